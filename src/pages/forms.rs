//! The dashboard's forms page: each form's versions (when, by whom, how many events ask them),
//! their workbooks, a preview of the phone form, and the upload of a new version with its problems.

use maud::{html, Markup};

use crate::domain::era::japan_time;

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
    signed_in(
        "フォーム",
        chrome,
        Section::Forms,
        html! {
            h1 { "フォーム" }
            p {
                "アンケートの質問は Excel（XLSForm 形式）で編集できます。今の版をダウンロードして直し、アップロードすると新しい版になります。"
                "すでに作成したイベントは、作成時の版のまま回答を受け付けます。"
            }
            @if let Some(uploaded) = view.uploaded { p.notice role="status" { (uploaded) } }
            section.card aria-labelledby="upload-form" {
                h2 id="upload-form" { "フォームをアップロード" }
                form method="post" action="/dashboard/forms" enctype="multipart/form-data" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    div.field {
                        label for="workbook" { "XLSForm のファイル（.xlsx）" }
                        input #workbook type="file" name="workbook" required
                            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                    }
                    button type="submit" { "アップロードする" }
                }
                @if !view.problems.is_empty() {
                    div role="alert" {
                        p.error { "次の点を直してから、もう一度アップロードしてください（保存していません）。" }
                        table {
                            thead { tr { th scope="col" { "場所" } th scope="col" { "内容" } } }
                            tbody {
                                @for problem in view.problems {
                                    tr {
                                        td { code { (problem.location.as_deref().unwrap_or("—")) } }
                                        td { (problem.message.ja) }
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
                    h2 id={ "form-" (slug) } { (latest.definition.title.ja) " " small { code { (slug) } } }
                    (what_it_asks(&latest.definition))
                    table {
                        thead { tr {
                            th scope="col" { "版" } th scope="col" { "作成日時" } th scope="col" { "作成者" }
                            th scope="col" { "使うイベント" } th scope="col" { "" }
                        } }
                        tbody {
                            @for version in versions {
                                tr {
                                    th scope="row" { "第" (version.version) "版" }
                                    td { (japan_time(version.created_at).format("%Y-%m-%d %H:%M")) }
                                    td { (version.created_by.as_deref().unwrap_or("同梱のファイル")) }
                                    td { (version.events) }
                                    td {
                                        a href={ "/api/v1/forms/" (slug) "/versions/" (version.version) ".xlsx" } { "Excel" }
                                        " · "
                                        a href={ "/dashboard/forms/" (slug) "/versions/" (version.version) "/phone" } { "プレビュー" }
                                    }
                                }
                            }
                        }
                    }
                    @if versions.len() > 1 {
                        form.inline method="get" action={ "/dashboard/forms/" (slug) "/diff" } {
                            @for (name, label, default) in [("from", "比べる版", versions[1].version), ("to", "と", versions[0].version)] {
                                label for={ (slug) "-" (name) } { (label) }
                                select id={ (slug) "-" (name) } name=(name) {
                                    @for version in versions {
                                        option value=(version.version) selected[version.version == default] { "第" (version.version) "版" }
                                    }
                                }
                            }
                            button.secondary type="submit" { "違いを見る" }
                        }
                    }
                }
            }
        },
    )
}

/// What the latest version asks, which shared attributes it leaves out, and why.
fn what_it_asks(form: &FormDefinition) -> Markup {
    let left_out: Vec<&str> = attribute_block::questions()
        .iter()
        .filter(|shared| form.question(&shared.id).is_none())
        .map(|shared| shared.label.ja.as_str())
        .collect();
    html! {
        @if let Some(purpose) = &form.purpose { p { (purpose.ja) } }
        details {
            summary { "たずねること（" (form.questions.len()) "問）" }
            ol { @for question in &form.questions { li { (question.label.ja) } } }
            @if !left_out.is_empty() {
                p { "共通の属性のうちたずねないもの：" (left_out.join("、")) }
            }
        }
    }
}

/// A version's phone form as attendees will see it, in a frame a phone's width (390 px), in
/// either language.
pub fn phone_page(chrome: &Chrome, form: &StoredForm, lang: Lang) -> Markup {
    let slug = &form.definition.slug;
    let title = format!("{}：第{}版のプレビュー", form.definition.title.ja, form.version);
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
                a href="/dashboard/forms" { "フォームの一覧へ" }
                " · "
                @let other = lang.other();
                a href={ "/dashboard/forms/" (slug) "/versions/" (form.version) "/phone?lang=" (other.code()) } {
                    (other.pick("日本語で見る", "English"))
                }
                " · "
                a href=(address(lang)) { "新しいタブで開く" }
            }
            p { "回答者のスマートフォン（幅 390 px）と同じ幅で表示しています。送信はできません。" }
            iframe.phone src=(address(lang)) width="390" height="844"
                title={ (form.definition.title.ja) "のプレビュー（幅 390 px）" } {}
        },
    )
}

/// The changes between two versions of a form, one line each.
pub fn diff_page(chrome: &Chrome, form: &StoredForm, from: i32, changes: &[Change]) -> Markup {
    let title = format!("{}：第{}版と第{}版の違い", form.definition.title.ja, from, form.version);
    signed_in(
        &title,
        chrome,
        Section::Forms,
        html! {
            h1 { (title) }
            p { a href="/dashboard/forms" { "フォームの一覧へ" } }
            @if changes.is_empty() {
                p { "違いはありません。" }
            } @else {
                ul.changes {
                    @for change in changes { li { (in_words(change)) } }
                }
            }
        },
    )
}

fn in_words(change: &Change) -> Markup {
    match change {
        Change::TitleChanged { from, to } => html! { "題名：「" (from.ja) "」→「" (to.ja) "」" },
        Change::IntroChanged { .. } => html! { "説明文が変わりました。" },
        Change::PurposeChanged { .. } => html! { "様式のねらい（職員向け）が変わりました。" },
        Change::QuestionAdded { question, label } => html! { "質問を追加：" code { (question) } "「" (label.ja) "」" },
        Change::QuestionRemoved { question, label } => {
            html! { "質問を削除：" code { (question) } "「" (label.ja) "」" }
        }
        Change::QuestionRelabelled { question, from, to } => {
            html! { code { (question) } " の文言：「" (from.ja) "」→「" (to.ja) "」" }
        }
        Change::HelpChanged { question } => html! { code { (question) } " の補足が変わりました。" },
        Change::TypeChanged { question, from, to } => {
            html! { code { (question) } " の種類：" (from) " → " (to) "（前の版の回答とは比べられません）" }
        }
        Change::RequiredChanged { question, required } => {
            html! { code { (question) } (if *required { " が必須になりました。" } else { " が任意になりました。" }) }
        }
        Change::RuleChanged { question, from, to } => html! {
            code { (question) } " を尋ねる条件："
            code { (from.as_deref().unwrap_or("常に")) } " → " code { (to.as_deref().unwrap_or("常に")) }
        },
        Change::LimitsChanged { question, from, to } => html! { code { (question) } " の範囲：" (from) " → " (to) },
        Change::OptionAdded { question, value, label } => {
            html! { code { (question) } " に選択肢を追加：" code { (value) } "「" (label.ja) "」" }
        }
        Change::OptionRemoved { question, value, label } => {
            html! { code { (question) } " から選択肢を削除：" code { (value) } "「" (label.ja) "」" }
        }
        Change::OptionRelabelled {
            question,
            value,
            from,
            to,
        } => html! {
            code { (question) } " の選択肢 " code { (value) } "：「" (from.ja) "」→「" (to.ja) "」"
            @if from.ja == to.ja { "（英語：" (from.en) " → " (to.en) "）" }
        },
        Change::Reordered => html! { "質問の順番が変わりました。" },
        Change::SectionAdded { section, label } => html! { "節を追加：" code { (section) } "「" (label.ja) "」" },
        Change::SectionRemoved { section, label } => html! { "節を削除：" code { (section) } "「" (label.ja) "」" },
        Change::SectionRelabelled { section, from, to } => {
            html! { "節 " code { (section) } " の見出し：「" (from.ja) "」→「" (to.ja) "」" }
        }
        Change::SectionRuleChanged { section, from, to } => html! {
            "節 " code { (section) } " を尋ねる条件："
            code { (from.as_deref().unwrap_or("常に")) } " → " code { (to.as_deref().unwrap_or("常に")) }
        },
        Change::QuestionMoved { question, from, to } => html! {
            code { (question) } " の節：" (from.as_deref().unwrap_or("（なし）")) " → " (to.as_deref().unwrap_or("（なし）"))
        },
        Change::NoteAdded { note, text } => html! { "説明を追加：" code { (note) } "「" (text.ja) "」" },
        Change::NoteRemoved { note, text } => html! { "説明を削除：" code { (note) } "「" (text.ja) "」" },
        Change::NoteReworded { note, from, to } => {
            html! { "説明 " code { (note) } " の文：「" (from.ja) "」→「" (to.ja) "」" }
        }
        Change::NoteMoved { note, from, to } => html! {
            "説明 " code { (note) } " の位置：" (from.as_deref().map_or("最後".to_owned(), |q| format!("{q} の前")))
            " → " (to.as_deref().map_or("最後".to_owned(), |q| format!("{q} の前")))
        },
    }
}
