//! The researchers' pages: the release's partitions and downloads, how to read a release, and a
//! form's variables. Researchers sign in with their token and see only what the protected
//! release holds.

use chrono::NaiveDate;
use maud::{html, Markup};

use super::dashboard::{kind_label, language_switch, page, year_option, Chrome};
use crate::db::forms::{StoredForm, VersionSummary};
use crate::domain::clock::local_time;
use crate::domain::era::{fiscal_year_in, fiscal_year_label};
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::form::QuestionKind;
use crate::domain::lang::Lang;
use crate::services::research_catalogue::ReleasedForm;

const SCHEMA: &str = "/api/v1/exports/aggregate.schema.json";

fn researcher_chrome(title: &str, chrome: &Chrome, body: Markup) -> Markup {
    let l = chrome.lang;
    page(
        l,
        title,
        html! {
            header.bar {
                span.brand { (l.pick("つながり（研究者向け）", "Tsunagari (researchers)")) }
                nav aria-label=(l.pick("メニュー", "Menu")) {
                    a href="/research" { (l.pick("公開データ", "Released data")) }
                    a href="/research/guide" { (l.pick("データの読み方", "How to read the data")) }
                }
                form.sign-out method="post" action="/dashboard/logout" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    span.who { (chrome.signed_in_as) }
                    button type="submit" { (l.pick("サインアウト", "Sign out")) }
                }
                (language_switch(l, chrome.here))
            }
            main { (body) }
        },
    )
}

pub fn research_page(chrome: &Chrome, forms: &[ReleasedForm], settled_until: NaiveDate, min_cell: u64) -> Markup {
    let l = chrome.lang;
    researcher_chrome(
        l.pick("公開データ", "Released data"),
        chrome,
        html! {
            h1 { (l.pick("公開データ（保護した集計表）", "Released data (protected tables)")) }
            p {
                (l.pick("回答そのものではなく、", "Not the answers themselves: tables protected so that no figure about fewer than ")) (min_cell) (l.pick(" 人未満の数字を割り出せないよう保護した集計表です。", " people can be worked out. "))
                @match l {
                    Lang::Ja => { (fiscal_year_label(FiscalYear::of(settled_until))) "（" (settled_until.format("%Y年%-m月%-d日")) "まで）までの、確定した年度を公開しています。" }
                    Lang::En => { " Settled fiscal years up to " (fiscal_year_in(FiscalYear::of(settled_until), l)) " (ending " (settled_until.format("%-d %B %Y")) ") are released. " }
                }
                (l.pick("読み方は「", "See \"")) a href="/research/guide" { (l.pick("データの読み方", "How to read the data")) } (l.pick("」をご覧ください。", "\" for how to read them. "))
            }
            p { (l.pick("JSON の形式（JSON Schema）：", "The JSON's format (JSON Schema): ")) a href=(SCHEMA) { (SCHEMA) } }
            @if forms.is_empty() {
                p { (l.pick("まだ公開できるデータはありません。年度が終わってしばらくすると公開されます。", "Nothing can be released yet. A fiscal year is released a while after it ends. ")) }
            }
            @for released in forms {
                @let form = &released.form.definition;
                @let base = format!("/research/downloads/{}/aggregate.json", form.slug);
                section.card aria-labelledby={ "form-" (form.slug) } {
                    h2 id={ "form-" (form.slug) } { (form.title.get(l)) " " small { code { (form.slug) } } }
                    p {
                        (l.pick("すべての年度の集計表：", "Tables of every fiscal year: "))
                        a href=(base) { "JSON" } " · "
                        a href=(base.replace(".json", ".csv")) { "CSV" } " · "
                        a href=(base.replace(".json", ".xlsx")) { "Excel" }
                        (l.pick(" ／ ", " / "))
                        a href={ "/research/codebook/" (form.slug) } { (l.pick("変数の一覧（コードブック）", "Variables (codebook)")) }
                    }
                    p.hint { (l.pick("CSV と Excel は JSON と同じ数字を、1行に1つの数字として並べたものです。秘匿した数字は「withheld」と記しています（0 ではありません）。", "The CSV and Excel files hold the JSON's figures, one figure per row. A withheld figure says \"withheld\" (it is not 0). ")) }
                    table {
                        caption { (form.title.get(l)) (l.pick("の公開している区分", ": released partitions")) }
                        thead { tr {
                            th scope="col" { (l.pick("年度", "Fiscal year")) } th scope="col" { (l.pick("種別", "Kind")) } th scope="col" { (l.pick("回答数", "Responses")) }
                            th scope="col" { (l.pick("固定した日", "Frozen on")) } th scope="col" { (l.pick("集計表", "Tables")) }
                        } }
                        tbody {
                            @for partition in &released.partitions {
                                tr {
                                    th scope="row" { (year_option(l, FiscalYear(partition.fiscal_year))) }
                                    td { (kind_label(l, &partition.kind)) }
                                    td.number { (partition.responses) }
                                    td { (local_time(partition.released_at).format("%Y-%m-%d")) }
                                    td { a href={ (base) "?fiscal_year=" (partition.fiscal_year) "&kind=" (partition.kind) }
                                        aria-label={ (l.pick("JSON（", "JSON (")) (fiscal_year_in(FiscalYear(partition.fiscal_year), l)) (l.pick("・", ", ")) (kind_label(l, &partition.kind)) (l.pick("の集計表）", ": tables)")) } { "JSON" } }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="by-program" {
                h2 #by-program { (l.pick("プログラムから取得する", "Fetching from a program")) }
                p { (l.pick("同じデータは API からも取得できます（トークンは管理者から受け取ったものです）。", "The same data can be fetched from the API (with the token an administrator gave you). ")) }
                pre { code { "curl -H \"Authorization: Bearer $TOKEN\" \\\n  \"https://" (l.pick("（このサーバー）", "(this server)")) "/api/v1/exports/aggregate.json?form=seminar&fiscal_year=2019\"" } }
            }
        },
    )
}

pub fn guide_page(chrome: &Chrome, min_cell: u64, delay_days: u32) -> Markup {
    let l = chrome.lang;
    researcher_chrome(
        l.pick("データの読み方", "How to read the data"),
        chrome,
        html! {
            h1 { (l.pick("公開データの読み方", "How to read the released data")) }
            section.card aria-labelledby="partitions" {
                h2 #partitions { (l.pick("区分（年度 × 種別）", "Partitions (fiscal year × kind)")) }
                p { (l.pick("集計表は、年度（4月〜翌年3月）とイベントの種別（回復セミナー、フォーラム、研修会など）の組み合わせを一つの区分として作ります。", "Tables are made per partition: a fiscal year (April to March) and a kind of event (recovery seminar, forum, study session, ...). "))
                    (l.pick("複数の年度や種別をまとめた表は、各区分の表をそのまま足したものです。年度や種別より細かく（イベントごと、日付の範囲など）絞ることはできません。", "A table over several years or kinds is the sum of its partitions' tables. Nothing narrower than a year and a kind (an event, a range of dates) can be asked for. "))
                    (l.pick("まとめた表は、どれかの区分で伏せた数字を伏せたままにする（引き算で割り出せないように）ため、区分ごとの表より多くを伏せます。詳しく見るときは、年度ごとの節（", "So that no release can be subtracted from another, a table over several partitions withholds whatever any of them withholds, and shows less than each of them: for detail, read each fiscal year's section ("))
                    code { "fiscal_years" } (l.pick("）を一つずつ読んでください。", ") one by one. ")) }
            }
            section.card aria-labelledby="asked" {
                h2 #asked { (l.pick("様式がたずねること", "What the forms ask")) }
                p { (l.pick("表は、それぞれのアンケートの最新の版がたずねる質問ごとに作ります。", "There is a table for each question the latest version of a questionnaire asks. "))
                    (l.pick("回復セミナーの参加者のほとんどは回復途上の方で、1回あたりの人数も少ないため、セミナーの様式は立場（本人・家族など）のほかの属性（性別・年代・職業）と紹介元の機関をたずねません。", "Most people at the recovery seminars are in recovery and each session is small, so the seminar form asks no attribute but the relation (person in recovery, family, ...): not gender, age or occupation, nor the agency that referred them. "))
                    (l.pick("セミナーの表は立場別だけで、以前の版で集めた性別などの回答も公開する表には使いません。", "Seminar tables are by relation only; gender and the like collected by earlier versions are not used in released tables. ")) }
            }
            section.card aria-labelledby="settled" {
                h2 #settled { (l.pick("確定した年度だけを公開", "Settled years only")) }
                p { (l.pick("年度が終わって ", "A fiscal year is released ")) (delay_days) (l.pick(" 日たつと（通常は翌年度の6月1日から）、その年度を公開します。", " days after it ends (usually from 1 June of the next). "))
                    (l.pick("区分は最初に公開したときに固定され、その後に届いた回答や、イベントの中止・日付の変更があっても、公開する数字は変わりません。", "A partition is frozen when first released: answers arriving later, cancelled events and changed dates never change its figures. ")) }
            }
            section.card aria-labelledby="withheld" {
                h2 #withheld { (l.pick("伏せた数字", "Withheld figures")) }
                p { (l.pick("回答者が ", "A figure about fewer than ")) (min_cell) (l.pick(" 人未満の数字は、その人を特定できるおそれがあるため伏せています（JSON では ", " respondents could identify them, so it is withheld (in the JSON "))
                    code { "null" } (l.pick("）。伏せた数字は「0人」ではなく、「公表できない」という意味です。", "). A withheld figure does not mean 0: it means it cannot be published. "))
                    (l.pick("ほかの数字や合計から引き算で割り出せないよう、関連する数字もあわせて伏せることがあります。", "Related figures may be withheld with it, so that it cannot be worked out from the others and the totals. "))
                    (l.pick("回答者が ", "A partition of fewer than ")) (min_cell) (l.pick(" 人に満たない区分は、どの表にも含めません。", " respondents is in no table. ")) }
                p { (l.pick("どれだけ示せたかは、リリースごと（年度ごとの節にも）", "How much a release shows is stated in each release (and each fiscal year's section) as "))
                    code { "kept" } (l.pick(" に載せています。全体での選択肢ごとの数（", ": the figures its tables show and withhold, each option among everyone ("))
                    code { "one_way" } (l.pick("）と、属性別の表のグループ×選択肢ごとの数（", ") and each group by each option in the tables by attribute ("))
                    code { "cross_tables" } (l.pick("）について、示した数と伏せた数です。表そのものから数えたもので、表にないことは何も含みません。回答者の少ないプログラムでは、属性別の表の多くが伏せられます。", "). It is counted from the tables themselves and says nothing they do not. Where a programme has few respondents, most cells of the tables by attribute are withheld. ")) }
            }
            section.card aria-labelledby="merged" {
                h2 #merged { (l.pick("一緒に伏せる選択肢", "Options withheld together")) }
                p { (l.pick("表には、回答した人がいない選択肢や「無回答」も含め、すべての選択肢を載せています（載っているかどうかでは何もわかりません）。0 はそのまま 0 と示すため、伏せた選択肢には1人以上いることがわかります。", "Tables list every option, those nobody chose and \"not answered\" included (whether one is listed says nothing). A 0 is shown as 0, so a withheld option is known to hold someone. "))
                    (l.pick("そこで、人数の少ない選択肢（年代など）は、次に少ない選択肢と一緒に伏せ、伏せた数字の合計からも少人数の数字が割り出せないようにしています。", "So a small option (an age band, say) is withheld with the next smallest, so that not even the sum of the withheld figures gives a small one away. "))
                    (l.pick("そのため、", "So an option of ")) (min_cell) (l.pick(" 人以上いる選択肢が伏せられていることもあります。", " or more people may be withheld too. ")) }
                p { (l.pick("一緒に伏せた選択肢は、合わせた数字として示します。単一選択と尺度の属性別の表では、", "Options withheld together are shown as one figure. In single-choice and scale tables by attribute, each group's count in the options of "))
                    code { "merged.options" } (l.pick(" の選択肢を合わせた各集団の人数を ", " is given in ")) code { "merged_count" } (l.pick(" に載せます。", ". "))
                    (l.pick("どの属性別の表（複数選択、自由記述の語を含む）でも、一緒に伏せた属性の区分（例：「その他」と「無回答」）を一つの集団として ", "Every table by attribute (multiple choice and opinion terms included) shows the attribute's categories withheld together (e.g. \"other\" and \"not answered\") as one group in "))
                    code { "merged.group" } (l.pick(" に載せます。", ". "))
                    (l.pick("合わせた数字も、どの区分でもその一部を伏せていないときだけ示し、ほかの数字と同じ監査を通しています。", "A figure of merged options is shown only where no partition withholds any part of it, and passes the same audit as every other figure. ")) }
            }
            section.card aria-labelledby="statistics" {
                h2 #statistics { (l.pick("平均と検定", "Means and tests")) }
                p { (l.pick("平均・標準偏差・信頼区間は、その集団の数字がすべて公表されているときだけ示します。", "Means, standard deviations and confidence intervals are shown only where all of a group's figures are published. "))
                    (l.pick("属性による違いの検定（カイ二乗検定など）は、数字がすべて公表されている集団と選択肢だけで計算し、どの集団と選択肢で計算したかを ", "Tests of a difference by attribute (chi-square and the like) are computed on the groups and options whose figures are all published, named in "))
                    code { "test_rests_on" } (l.pick(" に示します。公表された数字から計算できる値なので、伏せた数字については何もわかりません。", ". They follow from the published figures, so they say nothing of the withheld ones. ")) }
            }
            section.card aria-labelledby="cite" {
                h2 #cite { (l.pick("引用のしかた", "How to cite")) }
                p { (l.pick("自治体名、事業名、アンケート名、年度、取得した日を記してください。例：", "Give the city, the programme, the questionnaire, the fiscal year and the day you fetched it. For example: "))
                    (l.pick("「〇〇市 地域再犯防止推進モデル事業 回復セミナー参加者アンケート（令和元年度）、つながり公開データ、2026年12月6日取得」。", "\"City of ○○, regional model programme for preventing reoffending, recovery seminar questionnaire (FY2019), Tsunagari released data, fetched 6 December 2026\". ")) }
            }
        },
    )
}

fn kind_name(l: Lang, kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::SingleChoice { .. } => l.pick("単一選択", "Single choice"),
        QuestionKind::Agency { .. } => l.pick("紹介元の機関（一覧から選択）", "Referring agency (from a list)"),
        QuestionKind::MultiChoice { .. } => l.pick("複数選択", "Multiple choice"),
        QuestionKind::Scale { .. } => l.pick("尺度", "Scale"),
        QuestionKind::Number { .. } => l.pick("数値", "Number"),
        QuestionKind::Text { .. } => l.pick(
            "自由記述（公開データでは語の集計のみ）",
            "Free text (term counts only in the release)",
        ),
    }
}

pub fn codebook_page(chrome: &Chrome, form: &StoredForm, versions: &[VersionSummary]) -> Markup {
    let l = chrome.lang;
    let definition = &form.definition;
    researcher_chrome(
        l.pick("コードブック", "Codebook"),
        chrome,
        html! {
            p { a href="/research" { (l.pick("← 公開データ", "← Released data")) } }
            h1 { (definition.title.get(l)) (l.pick("のコードブック", ": codebook")) }
            p { (l.pick("集計表の変数名（JSON のキー）、質問文と選択肢（日本語・英語）です。第", "The tables' variable names (the JSON's keys), the questions and their options (Japanese and English). Version ")) (form.version) (l.pick("版の内容です。", ". ")) }
            table {
                caption { (l.pick("変数", "Variables")) }
                thead { tr {
                    th scope="col" { (l.pick("変数名", "Variable")) } th scope="col" { (l.pick("種類", "Type")) } th scope="col" { (l.pick("質問", "Question (Japanese)")) }
                    th scope="col" { "Question" } th scope="col" { (l.pick("選択肢（値 = 日本語 / English）", "Options (value = Japanese / English)")) }
                } }
                tbody {
                    @for question in &definition.questions {
                        tr {
                            th scope="row" { code { (question.id) } }
                            td { (kind_name(l, &question.kind)) }
                            td lang="ja" { (question.label.ja) }
                            td lang="en" { (question.label.en) }
                            td {
                                @match &question.kind {
                                    QuestionKind::Scale { min, max, min_label, max_label } => {
                                        (min) (l.pick("（", " (")) (min_label.ja) " / " (min_label.en) (l.pick("）〜 ", ") to ")) (max) (l.pick("（", " (")) (max_label.ja) " / " (max_label.en) (l.pick("）", ")"))
                                    }
                                    QuestionKind::Number { min, max } => { (min) (l.pick("〜", " – ")) (max) }
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
            h2 { (l.pick("版", "Version")) }
            ul {
                @for version in versions {
                    li { (l.pick("第", "version ")) (version.version) (l.pick("版（", " (")) (local_time(version.created_at).format("%Y-%m-%d")) (l.pick("）", ")")) }
                }
            }
        },
    )
}
