//! The downloads page: aggregates, the researchers' release and raw answers.

use maud::{html, Markup};

use super::dashboard::{fiscal_year_picker, select, signed_in, Chrome, Pick, Section};

/// Downloads of the aggregate JSON and the raw rows, for a form and an optional fiscal year.
pub fn downloads_page(chrome: &Chrome, forms: &[Pick], release_delay_days: u32) -> Markup {
    let kinds = [
        (
            "researchers-aggregate.json",
            "研究者向け集計 JSON（確定版・秘匿処理済み）",
        ),
        ("aggregate.json", "内部用集計 JSON（最新のデータ・職員のみ）"),
        ("responses.csv", "回答データ CSV（Excel 用）"),
        ("responses.parquet", "回答データ Parquet"),
    ];
    signed_in(
        "ダウンロード",
        chrome,
        Section::Downloads,
        html! {
            h1 { "ダウンロード" }
            p {
                "研究者に渡すのは「研究者向け集計（確定版）」です。研究者用トークンで API から取得するものと同じで、"
                "締まった年度（年度末から" (release_delay_days) "日後）だけを、初めて公開した時点の回答で固定して集計します。何度渡しても同じ内容です。"
            }
            p { "「内部用集計」は今のデータから作るため、渡すたびに内容が変わります。外部には渡さないでください。回答データには自由記述が含まれます。取り扱いにご注意ください。" }
            form.card method="get" action="/dashboard/downloads/aggregate.json" {
                (select("form", "アンケート", forms, "seminar", None))
                (fiscal_year_picker("download-year", ""))
                div.buttons {
                    @for (file, label) in kinds {
                        button type="submit" formaction=(format!("/dashboard/downloads/{file}")) { (label) }
                    }
                }
            }
        },
    )
}
