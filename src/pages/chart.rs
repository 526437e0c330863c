//! Bar charts drawn on the server as SVG: nothing to load, prints as crisply as the page.

use crate::domain::lang::Lang;
use maud::{html, Markup};

/// For unordered options: colour-blind-safe (Okabe–Ito), dark enough on white for the bars'
/// labels.
pub const PALETTE: [&str; 7] = [
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

/// For the points of an ordered scale, light to dark (ColorBrewer Blues): told apart by lightness
/// alone, so also by colour-blind readers and in grey print.
const SEQUENTIAL: [&str; 9] = [
    "#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b",
];
const LEGEND_HEIGHT: f64 = 26.0;
/// Segments narrower than this carry no printed share.
const MIN_LABELLED_WIDTH: f64 = 30.0;

/// One group's 100 % bar: each point's share in order, and the group's mean.
pub struct StackedRow {
    pub label: String,
    pub shares: Vec<Option<f64>>,
    pub mean: Option<f64>,
}

/// The colour of point `i` of `n`, spread over the palette, the lightest left out (it vanishes
/// on white).
fn sequential(i: usize, n: usize) -> (&'static str, bool) {
    let last = SEQUENTIAL.len() - 1;
    let index = 1 + (i * (last - 1)) / n.saturating_sub(1).max(1);
    let index = index.min(last);
    (SEQUENTIAL[index], index >= 5)
}

/// Each segment's left edge and share (a withheld share drawn as none).
fn starts(shares: &[Option<f64>]) -> impl Iterator<Item = (f64, f64)> + '_ {
    shares.iter().scan(LABEL_WIDTH, |x, share| {
        let share = share.unwrap_or(0.0);
        let start = *x;
        *x += share / 100.0 * BAR_AREA;
        Some((start, share))
    })
}

/// One 100 % stacked bar per group for an ordered scale (`points` its labels, lowest first),
/// the mean marked on each as a diamond placed between the scale's ends `range`.
pub fn stacked_bars(l: Lang, title: &str, points: &[String], rows: &[StackedRow], range: (f64, f64)) -> Markup {
    let height = LEGEND_HEIGHT + rows.len() as f64 * (BAR_HEIGHT + GAP + GROUP_GAP) + 10.0;
    let (low, high) = range;
    let mean_x = |mean: f64| LABEL_WIDTH + (mean - low) / (high - low).max(f64::EPSILON) * BAR_AREA;
    let legend_step = WIDTH / (points.len() + 1) as f64;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(title) viewBox=(format!("0 0 {WIDTH} {height:.0}"))
            width="100%" font-size="13" font-family="system-ui, sans-serif" fill="#1a1a1a" class="stacked" {
            title { (title) }
            @for (i, point) in points.iter().enumerate() {
                @let (colour, _) = sequential(i, points.len());
                rect x=(format!("{:.1}", i as f64 * legend_step)) y="2" width="14" height="14" fill=(colour) stroke="#4a4a4a" {}
                text x=(format!("{:.1}", i as f64 * legend_step + 18.0)) y="14" { (point) }
            }
            text x=(format!("{:.1}", points.len() as f64 * legend_step)) y="14" { (l.pick("◆ 平均", "◆ Mean")) }
            @for (r, row) in rows.iter().enumerate() {
                @let y = LEGEND_HEIGHT + r as f64 * (BAR_HEIGHT + GAP + GROUP_GAP);
                g {
                    title { (row.label) (row.mean.map_or_else(String::new, |m| format!("{}{m:.2}", l.pick("：平均 ", ": mean ")))) }
                    text x="0" y=(y + BAR_HEIGHT - 4.0) { (row.label) }
                    @for (i, (x, share)) in starts(&row.shares).enumerate() {
                        @let width = share / 100.0 * BAR_AREA;
                        @let (colour, dark) = sequential(i, points.len());
                        rect x=(format!("{x:.1}")) y=(y) width=(format!("{width:.1}")) height=(BAR_HEIGHT) fill=(colour) stroke="#ffffff" {}
                        @if width >= MIN_LABELLED_WIDTH {
                            text x=(format!("{:.1}", x + width / 2.0)) y=(y + BAR_HEIGHT - 5.0) text-anchor="middle"
                                fill=(if dark { "#ffffff" } else { "#1a1a1a" }) font-size="11" {
                                (format!("{share:.0}%"))
                            }
                        }
                    }
                    @if let Some(mean) = row.mean {
                        @let mx = mean_x(mean);
                        path d=(format!("M{mx:.1} {:.1} l5 5 l-5 5 l-5 -5 z", y + BAR_HEIGHT - 1.0)) fill="#1a1a1a" stroke="#ffffff" {}
                        text x=(LABEL_WIDTH + BAR_AREA + 6.0) y=(y + BAR_HEIGHT - 4.0) { (l.pick("平均 ", "mean ")) (format!("{mean:.2}")) }
                    }
                }
            }
        }
    }
}

const TREND_HEIGHT: f64 = 220.0;
const TREND_LEFT: f64 = 40.0;
const TREND_BOTTOM: f64 = 24.0;

/// Sessions in date order: each one's headcount as a dot, the `level` (a moving median) as a
/// line, so whether attendance settled shows at a glance.
pub fn trend(l: Lang, title: &str, sessions: &[(String, f64)], level: &[f64]) -> Markup {
    let top = sessions.iter().map(|(_, v)| *v).fold(1.0_f64, f64::max);
    let plot_width = WIDTH - TREND_LEFT - 10.0;
    let plot_height = TREND_HEIGHT - TREND_BOTTOM - 10.0;
    let step = plot_width / sessions.len().saturating_sub(1).max(1) as f64;
    let x = |i: usize| TREND_LEFT + i as f64 * step;
    let y = |value: f64| 10.0 + plot_height * (1.0 - value / top);
    let line: Vec<String> = level
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect();
    let baseline = y(0.0);
    html! {
        svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(title) viewBox=(format!("0 0 {WIDTH} {TREND_HEIGHT}"))
            width="100%" font-size="12" font-family="system-ui, sans-serif" fill="#1a1a1a" {
            title { (title) }
            line x1=(TREND_LEFT) y1=(baseline) x2=(WIDTH - 10.0) y2=(baseline) stroke="#8a8a8a" {}
            text x="0" y=(y(top) + 4.0) { (format!("{top:.0}")) (l.pick("人", "")) }
            text x="0" y=(baseline + 4.0) { "0" }
            @if let (Some((first, _)), Some((last, _))) = (sessions.first(), sessions.last()) {
                text x=(TREND_LEFT) y=(TREND_HEIGHT - 6.0) { (first) }
                text x=(WIDTH - 10.0) y=(TREND_HEIGHT - 6.0) text-anchor="end" { (last) }
            }
            @for (i, (label, value)) in sessions.iter().enumerate() {
                circle cx=(format!("{:.1}", x(i))) cy=(format!("{:.1}", y(*value))) r="4" fill=(PALETTE[0]) {
                    title { (label) ": " (format!("{value:.0}")) (l.pick("人", "")) }
                }
            }
            polyline points=(line.join(" ")) fill="none" stroke=(PALETTE[1]) stroke-width="2.5" {}
        }
    }
}
