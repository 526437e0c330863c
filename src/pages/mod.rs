//! Server-rendered HTML. maud escapes every interpolated value, so text a person typed can never
//! become markup.

pub mod agencies;
pub mod audit;
pub mod chart;
pub mod coding;
pub mod dashboard;
pub mod event_editor;
pub mod forms;
pub mod notes;
pub mod outreach;
pub mod plan_editor;
pub mod qr;
pub mod survey;
pub mod themes;
pub mod tokens;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::lang::Lang;

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
