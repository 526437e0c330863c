//! Server-rendered HTML. maud escapes every interpolated value, so text a person typed can never
//! become markup.

pub mod agencies;
pub mod audit;
pub mod breakdown;
pub mod chart;
pub mod codebooks;
pub mod coding;
pub mod dashboard;
pub mod downloads;
pub mod event_editor;
pub mod events;
pub mod forms;
pub mod indicators;
pub mod notes;
pub mod opinions;
pub mod outreach;
pub mod paper;
pub mod plan_editor;
pub mod programme;
pub mod qr;
pub mod research;
pub mod survey;
pub mod text_maps;
pub mod text_tools;
pub mod themes;
pub mod tokens;
pub mod waves;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::lang::Lang;

/// Yen as staff read it (150,000円, ¥150,000); an amount not recorded says so rather than
/// showing 0円.
pub fn yen(l: Lang, value: Option<f64>) -> String {
    let Some(yen) = value else {
        return l.pick("未記録", "not recorded").to_owned();
    };
    let digits = format!("{:.0}", yen.abs());
    let grouped: Vec<String> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect();
    let sign = if yen < -0.5 { "-" } else { "" };
    match l {
        Lang::Ja => format!("{sign}{}円", grouped.join(",")),
        Lang::En => format!("{sign}¥{}", grouped.join(",")),
    }
}

/// The analysis crate's labels (it knows no [`Lang`]) read in a page's language.
pub trait InLang {
    fn get(&self, l: Lang) -> &str;
}

impl InLang for analysis::spec::Label {
    fn get(&self, l: Lang) -> &str {
        l.pick(&self.ja, &self.en)
    }
}

const STYLE: &str = include_str!("style.css");

/// The frame every page shares: readable on a small phone, no external requests.
pub fn layout(lang: Lang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main { (body) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::yen;
    use crate::domain::lang::Lang;

    #[test]
    fn yen_are_grouped_by_thousands_and_unrecorded_is_said() {
        assert_eq!(yen(Lang::Ja, Some(150_000.0)), "150,000円");
        assert_eq!(yen(Lang::Ja, Some(999.4)), "999円");
        assert_eq!(yen(Lang::Ja, Some(1_234_567.0)), "1,234,567円");
        assert_eq!(yen(Lang::Ja, Some(0.0)), "0円");
        assert_eq!(yen(Lang::Ja, None), "未記録");
        assert_eq!(yen(Lang::En, Some(150_000.0)), "¥150,000");
        assert_eq!(yen(Lang::En, None), "not recorded");
    }
}
