//! The researchers' pages: the release's partitions and downloads, how to read a release, and a
//! form's variables. Researchers sign in with their token and see only what the protected
//! release holds.

use chrono::NaiveDate;
use maud::{html, Markup};

use super::dashboard::{kind_label, page, Chrome};
use crate::db::forms::{StoredForm, VersionSummary};
use crate::domain::era::{fiscal_year_label, japan_time};
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::form::QuestionKind;
use crate::services::research_catalogue::ReleasedForm;

const SCHEMA: &str = "/api/v1/exports/aggregate.schema.json";

fn researcher_chrome(title: &str, chrome: &Chrome, body: Markup) -> Markup {
    page(
        title,
        html! {
            header.bar {
                span.brand { "つながり（研究者向け）" }
                nav aria-label="メニュー" {
                    a href="/research" { "公開データ" }
                    a href="/research/guide" { "データの読み方" }
                }
                form.sign-out method="post" action="/dashboard/logout" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    span.who { (chrome.signed_in_as) }
                    button type="submit" { "サインアウト" }
                }
            }
            main { (body) }
        },
    )
}

pub fn research_page(chrome: &Chrome, forms: &[ReleasedForm], settled_until: NaiveDate, min_cell: u64) -> Markup {
    researcher_chrome(
        "公開データ",
        chrome,
        html! {
            h1 { "公開データ（保護した集計表）" }
            p {
                "回答そのものではなく、" (min_cell) " 人未満の数字を割り出せないよう保護した集計表です。"
                (fiscal_year_label(FiscalYear::of(settled_until))) "（" (settled_until.format("%Y年%-m月%-d日")) "まで）までの、確定した年度を公開しています。"
                "読み方は「" a href="/research/guide" { "データの読み方" } "」をご覧ください。"
            }
            p { "JSON の形式（JSON Schema）：" a href=(SCHEMA) { (SCHEMA) } }
            @if forms.is_empty() {
                p { "まだ公開できるデータはありません。年度が終わってしばらくすると公開されます。" }
            }
            @for released in forms {
                @let form = &released.form.definition;
                @let base = format!("/research/downloads/{}/aggregate.json", form.slug);
                section.card aria-labelledby={ "form-" (form.slug) } {
                    h2 id={ "form-" (form.slug) } { (form.title.ja) " " small { code { (form.slug) } } }
                    p {
                        "すべての年度の集計表："
                        a href=(base) { "JSON" } " · "
                        a href=(base.replace(".json", ".csv")) { "CSV" } " · "
                        a href=(base.replace(".json", ".xlsx")) { "Excel" }
                        " ／ "
                        a href={ "/research/codebook/" (form.slug) } { "変数の一覧（コードブック）" }
                    }
                    p.hint { "CSV と Excel は JSON と同じ数字を、1行に1つの数字として並べたものです。秘匿した数字は「withheld」と記しています（0 ではありません）。" }
                    table {
                        caption { (form.title.ja) "の公開している区分" }
                        thead { tr {
                            th scope="col" { "年度" } th scope="col" { "種別" } th scope="col" { "回答数" }
                            th scope="col" { "固定した日" } th scope="col" { "集計表" }
                        } }
                        tbody {
                            @for partition in &released.partitions {
                                tr {
                                    th scope="row" { (fiscal_year_label(FiscalYear(partition.fiscal_year))) "（" (partition.fiscal_year) "）" }
                                    td { (kind_label(&partition.kind)) }
                                    td.number { (partition.responses) }
                                    td { (japan_time(partition.released_at).format("%Y-%m-%d")) }
                                    td { a href={ (base) "?fiscal_year=" (partition.fiscal_year) "&kind=" (partition.kind) }
                                        aria-label={ "JSON（" (fiscal_year_label(FiscalYear(partition.fiscal_year))) "・" (kind_label(&partition.kind)) "の集計表）" } { "JSON" } }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="by-program" {
                h2 #by-program { "プログラムから取得する" }
                p { "同じデータは API からも取得できます（トークンは管理者から受け取ったものです）。" }
                pre { code { "curl -H \"Authorization: Bearer $TOKEN\" \\\n  \"https://（このサーバー）/api/v1/exports/aggregate.json?form=seminar&fiscal_year=2019\"" } }
            }
        },
    )
}

pub fn guide_page(chrome: &Chrome, min_cell: u64, delay_days: u32) -> Markup {
    researcher_chrome(
        "データの読み方",
        chrome,
        html! {
            h1 { "公開データの読み方" }
            section.card aria-labelledby="partitions" {
                h2 #partitions { "区分（年度 × 種別）" }
                p { "集計表は、年度（4月〜翌年3月）とイベントの種別（回復セミナー、フォーラム、研修会など）の組み合わせを一つの区分として作ります。"
                    "複数の年度や種別をまとめた表は、各区分の表をそのまま足したものです。年度や種別より細かく（イベントごと、日付の範囲など）絞ることはできません。" }
            }
            section.card aria-labelledby="asked" {
                h2 #asked { "様式がたずねること" }
                p { "表は、それぞれのアンケートの最新の版がたずねる質問ごとに作ります。"
                    "回復セミナーの参加者のほとんどは回復途上の方で、1回あたりの人数も少ないため、セミナーの様式は立場（本人・家族など）のほかの属性（性別・年代・職業）と紹介元の機関をたずねません。"
                    "セミナーの表は立場別だけで、以前の版で集めた性別などの回答も公開する表には使いません。" }
            }
            section.card aria-labelledby="settled" {
                h2 #settled { "確定した年度だけを公開" }
                p { "年度が終わって " (delay_days) " 日たつと（通常は翌年度の6月1日から）、その年度を公開します。"
                    "区分は最初に公開したときに固定され、その後に届いた回答や、イベントの中止・日付の変更があっても、公開する数字は変わりません。" }
            }
            section.card aria-labelledby="withheld" {
                h2 #withheld { "伏せた数字" }
                p { "回答者が " (min_cell) " 人未満の数字は、その人を特定できるおそれがあるため伏せています（JSON では "
                    code { "null" } "）。伏せた数字は「0人」ではなく、「公表できない」という意味です。"
                    "ほかの数字や合計から引き算で割り出せないよう、関連する数字もあわせて伏せることがあります。"
                    "回答者が " (min_cell) " 人に満たない区分は、どの表にも含めません。" }
            }
            section.card aria-labelledby="merged" {
                h2 #merged { "一緒に伏せる選択肢" }
                p { "表には、回答した人がいない選択肢や「無回答」も含め、すべての選択肢を載せています（載っているかどうかでは何もわかりません）。0 はそのまま 0 と示すため、伏せた選択肢には1人以上いることがわかります。"
                    "そこで、人数の少ない選択肢（年代など）は、次に少ない選択肢と一緒に伏せ、伏せた数字の合計からも少人数の数字が割り出せないようにしています。"
                    "そのため、" (min_cell) " 人以上いる選択肢が伏せられていることもあります。" }
                p { "一緒に伏せた選択肢は、合わせた数字として示します。単一選択と尺度の属性別の表では、"
                    code { "merged.options" } " の選択肢を合わせた各集団の人数を " code { "merged_count" } " に載せます。"
                    "どの属性別の表（複数選択、自由記述の語を含む）でも、一緒に伏せた属性の区分（例：「その他」と「無回答」）を一つの集団として "
                    code { "merged.group" } " に載せます。"
                    "合わせた数字も、どの区分でもその一部を伏せていないときだけ示し、ほかの数字と同じ監査を通しています。" }
            }
            section.card aria-labelledby="statistics" {
                h2 #statistics { "平均と検定" }
                p { "平均・標準偏差・信頼区間は、その集団の数字がすべて公表されているときだけ示します。"
                    "属性による違いの検定（カイ二乗検定など）は、数字がすべて公表されている集団と選択肢だけで計算し、どの集団と選択肢で計算したかを "
                    code { "test_rests_on" } " に示します。公表された数字から計算できる値なので、伏せた数字については何もわかりません。" }
            }
            section.card aria-labelledby="cite" {
                h2 #cite { "引用のしかた" }
                p { "自治体名、事業名、アンケート名、年度、取得した日を記してください。例："
                    "「〇〇市 地域再犯防止推進モデル事業 回復セミナー参加者アンケート（令和元年度）、つながり公開データ、2026年12月6日取得」。" }
            }
        },
    )
}

fn kind_name(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::SingleChoice { .. } => "単一選択",
        QuestionKind::Agency { .. } => "紹介元の機関（一覧から選択）",
        QuestionKind::MultiChoice { .. } => "複数選択",
        QuestionKind::Scale { .. } => "尺度",
        QuestionKind::Number { .. } => "数値",
        QuestionKind::Text { .. } => "自由記述（公開データでは語の集計のみ）",
    }
}

pub fn codebook_page(chrome: &Chrome, form: &StoredForm, versions: &[VersionSummary]) -> Markup {
    let definition = &form.definition;
    researcher_chrome(
        "コードブック",
        chrome,
        html! {
            p { a href="/research" { "← 公開データ" } }
            h1 { (definition.title.ja) "のコードブック" }
            p { "集計表の変数名（JSON のキー）、質問文と選択肢（日本語・英語）です。第" (form.version) "版の内容です。" }
            table {
                caption { "変数" }
                thead { tr {
                    th scope="col" { "変数名" } th scope="col" { "種類" } th scope="col" { "質問" }
                    th scope="col" { "Question" } th scope="col" { "選択肢（値 = 日本語 / English）" }
                } }
                tbody {
                    @for question in &definition.questions {
                        tr {
                            th scope="row" { code { (question.id) } }
                            td { (kind_name(&question.kind)) }
                            td { (question.label.ja) }
                            td lang="en" { (question.label.en) }
                            td {
                                @match &question.kind {
                                    QuestionKind::Scale { min, max, min_label, max_label } => {
                                        (min) "（" (min_label.ja) " / " (min_label.en) "）〜 " (max) "（" (max_label.ja) " / " (max_label.en) "）"
                                    }
                                    QuestionKind::Number { min, max } => { (min) "〜" (max) }
                                    kind => {
                                        ul {
                                            @for option in kind.options() {
                                                li { code { (option.value) } " = " (option.label.ja) " / " span lang="en" { (option.label.en) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "版" }
            ul {
                @for version in versions {
                    li { "第" (version.version) "版（" (japan_time(version.created_at).format("%Y-%m-%d")) "）" }
                }
            }
        },
    )
}
