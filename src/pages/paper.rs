//! Paper questionnaires from the dashboard: importing a filled template, its problems, and the
//! page shown when an event takes none (it is cancelled).

use maud::{html, Markup};
use uuid::Uuid;

use super::dashboard::{signed_in, Chrome, Section};
use crate::paper_workbook::SheetProblem;

/// The template's download and the form that imports it filled, on the event's page.
pub fn import_form(chrome: &Chrome, event_id: Uuid) -> Markup {
    let l = chrome.lang;
    let base = format!("/dashboard/events/{event_id}/paper");
    html! {
        h3 { (l.pick("Excel でまとめて取り込む", "Import many from Excel")) }
        p {
            (l.pick("テンプレートに、用紙1枚を1行として入力してから取り込みます。番号は用紙に書いた番号です。", "Key each questionnaire into a row of the template, then import it. The number is the one written on the sheet. "))
            (l.pick("同じファイルをもう一度取り込んでも、同じ用紙が二重に保存されることはありません。", "Importing the same file again never stores a sheet twice. "))
        }
        p { a href={ (base) "/template.xlsx" } download { (l.pick("テンプレート（Excel）をダウンロード", "Download the template (Excel)")) } }
        form method="post" action={ (base) "/import" } enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(chrome.csrf);
            div.field {
                label for="paper-workbook" { (l.pick("入力したテンプレート（.xlsx）", "Filled template (.xlsx)")) }
                input #paper-workbook type="file" name="workbook" required
                    accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            }
            button type="submit" { (l.pick("取り込む", "Import")) }
        }
    }
}

/// A refused import: every problem at its cell, nothing stored, and the form to try again.
pub fn import_problems_page(chrome: &Chrome, title: &str, event_id: Uuid, problems: &[SheetProblem]) -> Markup {
    let l = chrome.lang;
    signed_in(
        l.pick("紙のアンケートの取り込み", "Importing paper questionnaires"),
        chrome,
        Section::Events,
        html! {
            p { a href={ "/dashboard/events/" (event_id) } { (l.pick("← イベントに戻る", "← Back to the event")) } }
            h1 { (l.pick("紙のアンケートの取り込み：", "Importing paper questionnaires: ")) (title) }
            div role="alert" {
                p.error { (l.pick("次の点を直してから、もう一度取り込んでください（1件も保存していません）。", "Correct the following and import again (nothing was stored). ")) }
                table {
                    thead { tr { th scope="col" { (l.pick("セル", "Cell")) } th scope="col" { (l.pick("内容", "Problem")) } } }
                    tbody {
                        @for problem in problems {
                            tr {
                                td { code { (problem.cell) } }
                                td { (problem.message.get(l)) }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="paper-import-again" {
                h2 #paper-import-again { (l.pick("もう一度取り込む", "Import again")) }
                (import_form(chrome, event_id))
            }
        },
    )
}

/// Why paper questionnaires cannot be keyed in for this event: it is cancelled.
pub fn paper_refused_page(chrome: &Chrome, title: &str, back: &str) -> Markup {
    let l = chrome.lang;
    signed_in(
        l.pick("紙のアンケートの入力", "Keying in paper questionnaires"),
        chrome,
        Section::Events,
        html! {
            h1 { (l.pick("紙のアンケートの入力：", "Keying in paper questionnaires: ")) (title) }
            p.error role="alert" { (l.pick("このイベントは中止になっているため、回答を入力できません。中止を取り消すと入力できます。", "This event is cancelled, so no answers can be keyed in. Reinstate it to key them in. ")) }
            p { a href=(back) { (l.pick("イベントに戻る", "Back to the event")) } }
        },
    )
}
