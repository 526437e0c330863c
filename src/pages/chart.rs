//! Bar charts drawn on the server as SVG: nothing to load, prints as crisply as the page.

use maud::{html, Markup};

/// Colour-blind-safe (Okabe–Ito), dark enough on white for the bars' labels.
const PALETTE: [&str; 7] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#999999",
];
const WIDTH: f64 = 760.0;
const LABEL_WIDTH: f64 = 230.0;
const BAR_AREA: f64 = WIDTH - LABEL_WIDTH - 70.0;
const BAR_HEIGHT: f64 = 18.0;
const GAP: f64 = 4.0;
const GROUP_GAP: f64 = 14.0;

/// One group's bars: per bar its label and value (`None` when withheld).
pub struct BarGroup {
    pub label: String,
    pub bars: Vec<(String, Option<f64>)>,
}

/// What a full-length bar stands for, and how a value is written.
pub enum Scale {
    Percent,
    Count { max: f64, unit: &'static str },
}

impl Scale {
    fn length(&self, value: f64) -> f64 {
        match self {
            Self::Percent => value / 100.0 * BAR_AREA,
            Self::Count { max, .. } if *max > 0.0 => value / max * BAR_AREA,
            Self::Count { .. } => 0.0,
        }
    }

    fn text(&self, value: f64) -> String {
        match self {
            Self::Percent => format!("{value:.1}%"),
            Self::Count { unit, .. } => format!("{value:.0}{unit}"),
        }
    }
}

/// Horizontal bars, one cluster per group, one bar per option or measure.
pub fn clustered_bars(title: &str, groups: &[BarGroup], scale: &Scale) -> Markup {
    let rows: usize = groups.iter().map(|g| g.bars.len() + 1).sum();
    let height = rows as f64 * (BAR_HEIGHT + GAP) + groups.len() as f64 * GROUP_GAP + 10.0;
    let mut y = 4.0;
    let mut items = Vec::new();
    for group in groups {
        items.push(html! {
            text x="0" y=(y + BAR_HEIGHT - 4.0) font-weight="700" { (group.label) }
        });
        y += BAR_HEIGHT + GAP;
        for (i, (label, share)) in group.bars.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let width = share.map_or(0.0, |s| scale.length(s));
            let value = share.map_or_else(|| "—".to_owned(), |s| scale.text(s));
            items.push(html! {
                g {
                    title { (group.label) " / " (label) ": " (value) }
                    text x="12" y=(y + BAR_HEIGHT - 4.0) { (label) }
                    rect x=(LABEL_WIDTH) y=(y) width=(format!("{width:.1}")) height=(BAR_HEIGHT) fill=(colour) {}
                    text x=(LABEL_WIDTH + width + 6.0) y=(y + BAR_HEIGHT - 4.0) { (value) }
                }
            });
            y += BAR_HEIGHT + GAP;
        }
        y += GROUP_GAP;
    }
    html! {
        svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(title) viewBox=(format!("0 0 {WIDTH} {height:.0}"))
            width="100%" font-size="13" font-family="system-ui, sans-serif" fill="#1a1a1a" {
            title { (title) }
            @for item in &items { (item) }
        }
    }
}
