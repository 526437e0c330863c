//! Codebooks in the dashboard: the list, and an editor whose every save is a new version (codings
//! keep theirs), with what changed since the version before.

use maud::{html, Markup};

use crate::domain::era::japan_time;

use super::dashboard::{signed_in, text_field, Chrome, NewEventForm, Section};
use crate::db::codebooks::StoredCodebook;
use crate::domain::codebook::ThemeChange;

pub fn codebooks_page(chrome: &Chrome, books: &[StoredCodebook], notice: Option<&str>) -> Markup {
    signed_in(
        "コードブック",
        chrome,
        Section::Opinions,
        html! {
            h1 { "コードブック" }
            p { "自由記述と会議の記録に付けるテーマ（コード）の一覧です。保存するたびに新しい版になり、付けたコードは付けたときの版を保ちます。" }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            p.links { a href="/dashboard/codebooks/new" { "コードブックを作る" } " · " a href="/dashboard/coding" { "コード付けへ" } }
            @if books.is_empty() {
                p { "まだコードブックがありません。" }
            } @else {
                table {
                    thead { tr { th scope="col" { "名前" } th scope="col" { "識別子" } th scope="col" { "版" } th scope="col" { "テーマ数" } th scope="col" { "更新日" } } }
                    tbody {
                        @for book in books {
                            tr {
                                th scope="row" { a href={ "/dashboard/codebooks/" (book.slug) } { (book.codebook.title.ja) } }
                                td { code { (book.slug) } }
                                td.number { (book.version) }
                                td.number { (book.codebook.themes.len()) }
                                td { (japan_time(book.created_at).format("%Y-%m-%d")) }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub struct CodebookEditView<'a> {
    /// `None` for a new codebook.
    pub slug: Option<&'a str>,
    pub version: Option<i32>,
    pub form: NewEventForm,
    pub theme_rows: usize,
    /// The latest version's changes from the one before it.
    pub changes: Option<&'a [ThemeChange]>,
}

pub fn codebook_editor(chrome: &Chrome, view: &CodebookEditView) -> Markup {
    let form = &view.form;
    let (title, action) = match view.slug {
        Some(slug) => ("コードブックの編集", format!("/dashboard/codebooks/{slug}")),
        None => ("コードブックを作る", "/dashboard/codebooks".to_owned()),
    };
    signed_in(
        title,
        chrome,
        Section::Opinions,
        html! {
            p { a href="/dashboard/codebooks" { "← コードブック" } }
            h1 { (title) @if let Some(version) = view.version { "（第" (version) "版）" } }
            @if let Some((_, message)) = &form.error { p.error role="alert" { (message) } }
            @if let Some(changes) = view.changes {
                section.card aria-labelledby="changes" {
                    h2 #changes { "前の版からの変更" }
                    @if changes.is_empty() { p { "テーマの変更はありません（名前や説明だけが変わりました）。" } }
                    ul {
                        @for change in changes {
                            li { (describe(change)) }
                        }
                    }
                }
            }
            form method="post" action=(action) {
                input type="hidden" name="csrf" value=(chrome.csrf);
                section.card {
                    @match view.slug {
                        Some(slug) => p { "識別子：" code { (slug) } },
                        None => (text_field(form, "codebook", "slug", "識別子", "text", true, Some("半角英小文字・数字・ハイフン（例: seminar-2026）。"))),
                    }
                    (text_field(form, "codebook", "title_ja", "名前", "text", true, None))
                    (text_field(form, "codebook", "title_en", "名前（英語）", "text", false, Some("空欄なら日本語の名前を使います。")))
                    (text_field(form, "codebook", "description", "説明", "text", false, None))
                }
                fieldset.card {
                    legend { "テーマ" }
                    p.hint { "キーワードは読点（、）かカンマで区切ります。コメントにキーワードがあると、そのテーマが最初から選ばれます。ルールは KH Coder と同じ書き方です（例：フリートーク | near(話-安心)。| はまたは、& はかつ、! は否定、near(a-b) は10語以内、seq(a-b) は続けて出る語）。ルールのあるテーマは、コード付けのページから一括でコード付けできます。識別子は空欄なら自動で付けます。" }
                    @for row in 0..view.theme_rows {
                        @let name = |part: &str| format!("theme_{part}_{row}");
                        div.theme role="group" aria-label={ "テーマ " (row + 1) } {
                            @for (part, label) in [("label_ja", "テーマ名"), ("label_en", "テーマ名（英語）"), ("keywords", "キーワード"), ("rule", "ルール"), ("description", "説明"), ("id", "識別子")] {
                                @let field = name(part);
                                label for={ "codebook-" (field) } { (label) " " (row + 1) }
                                input id={ "codebook-" (field) } type="text" name=(field) value=(form.value(&field));
                            }
                        }
                    }
                }
                button type="submit" { "新しい版として保存する" }
            }
        },
    )
}

fn describe(change: &ThemeChange) -> String {
    match change {
        ThemeChange::Added { label } => format!("「{label}」を追加"),
        ThemeChange::Removed { label } => format!("「{label}」を削除"),
        ThemeChange::Relabelled { from, to } => format!("「{from}」を「{to}」に改名"),
        ThemeChange::Described { label } => format!("「{label}」の説明を変更"),
        ThemeChange::Ruled { label } => format!("「{label}」のルールを変更"),
        ThemeChange::Keywords { label, added, removed } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("{} を追加", added.join("、")));
            }
            if !removed.is_empty() {
                parts.push(format!("{} を削除", removed.join("、")));
            }
            format!("「{label}」のキーワード：{}", parts.join("、"))
        }
    }
}
