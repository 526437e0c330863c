//! The dashboard's forms page: each form's versions (when, by whom, how many events ask them),
//! their workbooks, a preview of the phone form, and the upload of a new version with its problems.

use maud::{html, Markup};

use crate::domain::clock::local_time;

use super::dashboard::{signed_in, Chrome, Section};
use crate::db::forms::{StoredForm, VersionSummary};
use crate::domain::attribute_block;
use crate::domain::form::FormDefinition;
use crate::domain::form_diff::Change;
use crate::domain::lang::Lang;
use crate::services::form_upload::UploadProblem;

pub struct FormsView<'a> {
    pub forms: &'a [(StoredForm, Vec<VersionSummary>)],
    pub problems: &'a [UploadProblem],
    pub uploaded: Option<&'a str>,
}

pub fn forms_page(chrome: &Chrome, view: &FormsView) -> Markup {
    let l = chrome.lang;
    signed_in(
        l.pick("フォーム", "Forms"),
        chrome,
        Section::Forms,
        html! {
            h1 { (l.pick("フォーム", "Forms")) }
            p {
                (l.pick("アンケートの質問は Excel（XLSForm 形式）で編集できます。今の版をダウンロードして直し、アップロードすると新しい版になります。", "The questions are edited in Excel (XLSForm). Download the current version, change it and upload it: it becomes a new version. "))
                (l.pick("すでに作成したイベントは、作成時の版のまま回答を受け付けます。", "Events created already keep taking answers on the version they were created with. "))
            }
            @if let Some(uploaded) = view.uploaded { p.notice role="status" { (uploaded) } }
            section.card aria-labelledby="upload-form" {
                h2 id="upload-form" { (l.pick("フォームをアップロード", "Upload a form")) }
                form method="post" action="/dashboard/forms" enctype="multipart/form-data" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    div.field {
                        label for="workbook" { (l.pick("XLSForm のファイル（.xlsx）", "XLSForm file (.xlsx)")) }
                        input #workbook type="file" name="workbook" required
                            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                    }
                    button type="submit" { (l.pick("アップロードする", "Upload")) }
                }
                @if !view.problems.is_empty() {
                    div role="alert" {
                        p.error { (l.pick("次の点を直してから、もう一度アップロードしてください（保存していません）。", "Correct the following and upload again (nothing was saved). ")) }
                        table {
                            thead { tr { th scope="col" { (l.pick("場所", "Where")) } th scope="col" { (l.pick("内容", "Problem")) } } }
                            tbody {
                                @for problem in view.problems {
                                    tr {
                                        td { code { (problem.location.as_deref().unwrap_or("—")) } }
                                        td { (problem.message.get(l)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @for (latest, versions) in view.forms {
                @let slug = &latest.definition.slug;
                section.card aria-labelledby={ "form-" (slug) } {
                    h2 id={ "form-" (slug) } { (latest.definition.title.get(l)) " " small { code { (slug) } } }
                    (what_it_asks(l, &latest.definition))
                    table {
                        thead { tr {
                            th scope="col" { (l.pick("版", "Version")) } th scope="col" { (l.pick("作成日時", "Created")) } th scope="col" { (l.pick("作成者", "By")) }
                            th scope="col" { (l.pick("使うイベント", "Used by")) } th scope="col" { "" }
                        } }
                        tbody {
                            @for version in versions {
                                tr {
                                    th scope="row" { (l.pick("第", "v")) (version.version) (l.pick("版", "")) }
                                    td { (local_time(version.created_at).format("%Y-%m-%d %H:%M")) }
                                    td { (version.created_by.as_deref().unwrap_or(l.pick("同梱のファイル", "Shipped file"))) }
                                    td { (version.events) }
                                    td {
                                        a href={ "/api/v1/forms/" (slug) "/versions/" (version.version) ".xlsx" } { "Excel" }
                                        " · "
                                        a href={ "/dashboard/forms/" (slug) "/versions/" (version.version) "/phone" } { (l.pick("プレビュー", "Preview")) }
                                    }
                                }
                            }
                        }
                    }
                    @if versions.len() > 1 {
                        form.inline method="get" action={ "/dashboard/forms/" (slug) "/diff" } {
                            @for (name, label, default) in [("from", (l.pick("比べる版", "Compare versions")), versions[1].version), ("to", (l.pick("と", "and")), versions[0].version)] {
                                label for={ (slug) "-" (name) } { (label) }
                                select id={ (slug) "-" (name) } name=(name) {
                                    @for version in versions {
                                        option value=(version.version) selected[version.version == default] { (l.pick("第", "v")) (version.version) (l.pick("版", "")) }
                                    }
                                }
                            }
                            button.secondary type="submit" { (l.pick("違いを見る", "Show differences")) }
                        }
                    }
                }
            }
        },
    )
}

/// What the latest version asks, which shared attributes it leaves out, and why.
fn what_it_asks(l: Lang, form: &FormDefinition) -> Markup {
    let left_out: Vec<&str> = attribute_block::questions()
        .iter()
        .filter(|shared| form.question(&shared.id).is_none())
        .map(|shared| shared.label.get(l))
        .collect();
    html! {
        @if let Some(purpose) = &form.purpose { p { (purpose.get(l)) } }
        details {
            summary { (l.pick("たずねること（", "What it asks (")) (form.questions.len()) (l.pick("問）", " questions)")) }
            ol { @for question in &form.questions { li { (question.label.get(l)) } } }
            @if !left_out.is_empty() {
                p { (l.pick("共通の属性のうちたずねないもの：", "Shared attributes it does not ask: ")) (left_out.join(l.pick("、", ", "))) }
            }
        }
    }
}

/// A version's phone form as attendees will see it, in a frame a phone's width (390 px), in
/// either language.
pub fn phone_page(chrome: &Chrome, form: &StoredForm, lang: Lang) -> Markup {
    let l = chrome.lang;
    let slug = &form.definition.slug;
    let name = form.definition.title.get(l);
    let title = match l {
        Lang::Ja => format!("{name}：第{}版のプレビュー", form.version),
        Lang::En => format!("{name}: version {} preview", form.version),
    };
    let address = |lang: Lang| {
        format!(
            "/dashboard/forms/{slug}/versions/{}/preview?lang={}",
            form.version,
            lang.code()
        )
    };
    signed_in(
        &title,
        chrome,
        Section::Forms,
        html! {
            h1 { (title) }
            p {
                a href="/dashboard/forms" { (l.pick("フォームの一覧へ", "To the forms")) }
                " · "
                @let other = lang.other();
                a href={ "/dashboard/forms/" (slug) "/versions/" (form.version) "/phone?lang=" (other.code()) } {
                    (match (l, other) {
                        (Lang::Ja, Lang::Ja) => "日本語で見る",
                        (Lang::Ja, Lang::En) => "英語で見る",
                        (Lang::En, Lang::Ja) => "View in Japanese",
                        (Lang::En, Lang::En) => "View in English",
                    })
                }
                " · "
                a href=(address(lang)) { (l.pick("新しいタブで開く", "Open in a new tab")) }
            }
            p { (l.pick("回答者のスマートフォン（幅 390 px）と同じ幅で表示しています。送信はできません。", "Shown as wide as an attendee's phone (390 px). It cannot be sent. ")) }
            iframe.phone src=(address(lang)) width="390" height="844"
                title={ (form.definition.title.get(l)) (l.pick("のプレビュー（幅 390 px）", ": preview (390 px wide)")) } {}
        },
    )
}

/// The changes between two versions of a form, one line each.
pub fn diff_page(chrome: &Chrome, form: &StoredForm, from: i32, changes: &[Change]) -> Markup {
    let l = chrome.lang;
    let name = form.definition.title.get(l);
    let title = match l {
        Lang::Ja => format!("{name}：第{from}版と第{}版の違い", form.version),
        Lang::En => format!("{name}: differences between versions {from} and {}", form.version),
    };
    signed_in(
        &title,
        chrome,
        Section::Forms,
        html! {
            h1 { (title) }
            p { a href="/dashboard/forms" { (l.pick("フォームの一覧へ", "To the forms")) } }
            @if changes.is_empty() {
                p { (l.pick("違いはありません。", "No differences. ")) }
            } @else {
                ul.changes {
                    @for change in changes { li { (in_words(l, change)) } }
                }
            }
        },
    )
}

fn in_words(l: Lang, change: &Change) -> Markup {
    match change {
        Change::TitleChanged { from, to } => {
            html! { (l.pick("題名：「", "Title: \"")) (from.get(l)) (l.pick("」→「", "\" → \"")) (to.get(l)) (l.pick("」", "\"")) }
        }
        Change::IntroChanged { .. } => html! { (l.pick("説明文が変わりました。", "The introduction changed. ")) },
        Change::PurposeChanged { .. } => {
            html! { (l.pick("様式のねらい（職員向け）が変わりました。", "The form's purpose (for staff) changed. ")) }
        }
        Change::QuestionAdded { question, label } => {
            html! { (l.pick("質問を追加：", "Question added: ")) code { (question) } (l.pick("「", "\"")) (label.get(l)) (l.pick("」", "\"")) }
        }
        Change::QuestionRemoved { question, label } => {
            html! { (l.pick("質問を削除：", "Question removed: ")) code { (question) } (l.pick("「", "\"")) (label.get(l)) (l.pick("」", "\"")) }
        }
        Change::QuestionRelabelled { question, from, to } => {
            html! { code { (question) } (l.pick(" の文言：「", " wording: \"")) (from.get(l)) (l.pick("」→「", "\" → \"")) (to.get(l)) (l.pick("」", "\"")) }
        }
        Change::HelpChanged { question } => {
            html! { code { (question) } (l.pick(" の補足が変わりました。", " hint changed. ")) }
        }
        Change::TypeChanged { question, from, to } => {
            html! { code { (question) } (l.pick(" の種類：", " type: ")) (from) " → " (to) (l.pick("（前の版の回答とは比べられません）", " (answers cannot be compared with the previous version's)")) }
        }
        Change::RequiredChanged { question, required } => {
            html! { code { (question) } (if *required { l.pick(" が必須になりました。", " is now required. ") } else { l.pick(" が任意になりました。", " is now optional. ") }) }
        }
        Change::RuleChanged { question, from, to } => html! {
            code { (question) } (l.pick(" を尋ねる条件：", " asked when: "))
            code { (from.as_deref().unwrap_or(l.pick("常に", "always"))) } " → " code { (to.as_deref().unwrap_or(l.pick("常に", "always"))) }
        },
        Change::LimitsChanged { question, from, to } => {
            html! { code { (question) } (l.pick(" の範囲：", " range: ")) (from) " → " (to) }
        }
        Change::OptionAdded { question, value, label } => {
            html! { code { (question) } (l.pick(" に選択肢を追加：", " option added: ")) code { (value) } (l.pick("「", "\"")) (label.get(l)) (l.pick("」", "\"")) }
        }
        Change::OptionRemoved { question, value, label } => {
            html! { code { (question) } (l.pick(" から選択肢を削除：", " option removed: ")) code { (value) } (l.pick("「", "\"")) (label.get(l)) (l.pick("」", "\"")) }
        }
        Change::OptionRelabelled {
            question,
            value,
            from,
            to,
        } => html! {
            code { (question) } (l.pick(" の選択肢 ", " option ")) code { (value) } (l.pick("：「", ": \"")) (from.get(l)) (l.pick("」→「", "\" → \"")) (to.get(l)) (l.pick("」", "\""))
            @if from.ja == to.ja { (l.pick("（英語：", " (English: ")) (from.en) " → " (to.en) (l.pick("）", ")")) }
        },
        Change::Reordered => html! { (l.pick("質問の順番が変わりました。", "The order of the questions changed. ")) },
        Change::SectionAdded { section, label } => {
            html! { (l.pick("節を追加：", "Section added: ")) code { (section) } (l.pick("「", "\"")) (label.get(l)) (l.pick("」", "\"")) }
        }
        Change::SectionRemoved { section, label } => {
            html! { (l.pick("節を削除：", "Section removed: ")) code { (section) } (l.pick("「", "\"")) (label.get(l)) (l.pick("」", "\"")) }
        }
        Change::SectionRelabelled { section, from, to } => {
            html! { (l.pick("節 ", "Section ")) code { (section) } (l.pick(" の見出し：「", " heading: \"")) (from.get(l)) (l.pick("」→「", "\" → \"")) (to.get(l)) (l.pick("」", "\"")) }
        }
        Change::SectionRuleChanged { section, from, to } => html! {
            (l.pick("節 ", "Section ")) code { (section) } (l.pick(" を尋ねる条件：", " asked when: "))
            code { (from.as_deref().unwrap_or(l.pick("常に", "always"))) } " → " code { (to.as_deref().unwrap_or(l.pick("常に", "always"))) }
        },
        Change::QuestionMoved { question, from, to } => html! {
            code { (question) } (l.pick(" の節：", " section: ")) (from.as_deref().unwrap_or(l.pick("（なし）", "(none)"))) " → " (to.as_deref().unwrap_or(l.pick("（なし）", "(none)")))
        },
        Change::NoteAdded { note, text } => {
            html! { (l.pick("説明を追加：", "Note added: ")) code { (note) } (l.pick("「", "\"")) (text.get(l)) (l.pick("」", "\"")) }
        }
        Change::NoteRemoved { note, text } => {
            html! { (l.pick("説明を削除：", "Note removed: ")) code { (note) } (l.pick("「", "\"")) (text.get(l)) (l.pick("」", "\"")) }
        }
        Change::NoteReworded { note, from, to } => {
            html! { (l.pick("説明 ", "Note ")) code { (note) } (l.pick(" の文：「", " text: \"")) (from.get(l)) (l.pick("」→「", "\" → \"")) (to.get(l)) (l.pick("」", "\"")) }
        }
        Change::NoteMoved { note, from, to } => html! {
            (l.pick("説明 ", "Note ")) code { (note) } (l.pick(" の位置：", " position: ")) (from.as_deref().map_or((l.pick("最後", "last")).to_owned(), |q| format!("{q}{}", l.pick(" の前", ": before"))))
            " → " (to.as_deref().map_or((l.pick("最後", "last")).to_owned(), |q| format!("{q}{}", l.pick(" の前", ": before"))))
        },
    }
}
