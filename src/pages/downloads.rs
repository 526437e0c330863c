//! The downloads page: aggregates, the researchers' release and raw answers.

use maud::{html, Markup};

use super::dashboard::{fiscal_year_picker, select, signed_in, Chrome, Pick, Section};

/// Downloads of the aggregate JSON and the raw rows, for a form and an optional fiscal year.
pub fn downloads_page(chrome: &Chrome, forms: &[Pick], release_delay_days: u32) -> Markup {
    let l = chrome.lang;
    let kinds = [
        (
            "researchers-aggregate.json",
            (l.pick(
                "研究者向け集計 JSON（確定版・秘匿処理済み）",
                "Researchers' aggregate JSON (frozen, protected)",
            )),
        ),
        (
            "aggregate.json",
            (l.pick(
                "内部用集計 JSON（最新のデータ・職員のみ）",
                "Internal aggregate JSON (live data, staff only)",
            )),
        ),
        (
            "responses.csv",
            (l.pick("回答データ CSV（Excel 用）", "Responses CSV (for Excel)")),
        ),
        ("responses.parquet", (l.pick("回答データ Parquet", "Responses Parquet"))),
    ];
    signed_in(
        l.pick("ダウンロード", "Downloads"),
        chrome,
        Section::Downloads,
        html! {
            h1 { (l.pick("ダウンロード", "Downloads")) }
            p {
                (l.pick("研究者に渡すのは「研究者向け集計（確定版）」です。研究者用トークンで API から取得するものと同じで、", "Researchers get the researchers' aggregate (frozen): the same as a researcher's token fetches from the API. It counts "))
                (l.pick("締まった年度（年度末から", "settled fiscal years only (")) (release_delay_days) (l.pick("日後）だけを、初めて公開した時点の回答で固定して集計します。何度渡しても同じ内容です。", " days after the year's end), with the answers as they were when first released, so it is the same however often it is handed out. "))
            }
            p { (l.pick("「内部用集計」は今のデータから作るため、渡すたびに内容が変わります。外部には渡さないでください。回答データには自由記述が含まれます。取り扱いにご注意ください。", "The internal aggregate is made from today's data, so it changes from one download to the next: do not hand it outside. The responses include free-text comments: handle them with care. ")) }
            form.card method="get" action="/dashboard/downloads/aggregate.json" {
                (select("form", l.pick("アンケート", "Questionnaire"), forms, "seminar", None))
                (fiscal_year_picker(l, "download-year", ""))
                div.buttons {
                    @for (file, label) in kinds {
                        button type="submit" formaction=(format!("/dashboard/downloads/{file}")) { (label) }
                    }
                }
            }
        },
    )
}
