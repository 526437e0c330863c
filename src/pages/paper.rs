//! Paper questionnaires from the dashboard: importing a filled template, its problems, and the
//! page shown when an event takes none (it is cancelled).

use maud::{html, Markup};
use uuid::Uuid;

use super::dashboard::{signed_in, Chrome, Section};
use crate::paper_workbook::SheetProblem;

/// The template's download and the form that imports it filled, on the event's page.
pub fn import_form(chrome: &Chrome, event_id: Uuid) -> Markup {
    let base = format!("/dashboard/events/{event_id}/paper");
    html! {
        h3 { "Excel でまとめて取り込む" }
        p {
            "テンプレートに、用紙1枚を1行として入力してから取り込みます。番号は用紙に書いた番号です。"
            "同じファイルをもう一度取り込んでも、同じ用紙が二重に保存されることはありません。"
        }
        p { a href={ (base) "/template.xlsx" } download { "テンプレート（Excel）をダウンロード" } }
        form method="post" action={ (base) "/import" } enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(chrome.csrf);
            div.field {
                label for="paper-workbook" { "入力したテンプレート（.xlsx）" }
                input #paper-workbook type="file" name="workbook" required
                    accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            }
            button type="submit" { "取り込む" }
        }
    }
}

/// A refused import: every problem at its cell, nothing stored, and the form to try again.
pub fn import_problems_page(chrome: &Chrome, title: &str, event_id: Uuid, problems: &[SheetProblem]) -> Markup {
    signed_in(
        "紙のアンケートの取り込み",
        chrome,
        Section::Events,
        html! {
            p { a href={ "/dashboard/events/" (event_id) } { "← イベントに戻る" } }
            h1 { "紙のアンケートの取り込み：" (title) }
            div role="alert" {
                p.error { "次の点を直してから、もう一度取り込んでください（1件も保存していません）。" }
                table {
                    thead { tr { th scope="col" { "セル" } th scope="col" { "内容" } } }
                    tbody {
                        @for problem in problems {
                            tr {
                                td { code { (problem.cell) } }
                                td { (problem.message.ja) }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="paper-import-again" {
                h2 #paper-import-again { "もう一度取り込む" }
                (import_form(chrome, event_id))
            }
        },
    )
}

/// Why paper questionnaires cannot be keyed in for this event: it is cancelled.
pub fn paper_refused_page(chrome: &Chrome, title: &str, back: &str) -> Markup {
    signed_in(
        "紙のアンケートの入力",
        chrome,
        Section::Events,
        html! {
            h1 { "紙のアンケートの入力：" (title) }
            p.error role="alert" { "このイベントは中止になっているため、回答を入力できません。中止を取り消すと入力できます。" }
            p { a href=(back) { "イベントに戻る" } }
        },
    )
}
