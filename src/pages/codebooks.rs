//! Codebooks in the dashboard: the list, and an editor whose every save is a new version (codings
//! keep theirs), with what changed since the version before.

use crate::domain::lang::Lang;
use maud::{html, Markup};

use crate::domain::clock::local_time;

use super::dashboard::{signed_in, text_field, Chrome, Field, NewEventForm, Section};
use crate::db::codebooks::StoredCodebook;
use crate::domain::codebook::ThemeChange;

pub fn codebooks_page(chrome: &Chrome, books: &[StoredCodebook], notice: Option<&str>) -> Markup {
    let l = chrome.lang;
    signed_in(
        l.pick("コードブック", "Codebooks"),
        chrome,
        Section::Opinions,
        html! {
            h1 { (l.pick("コードブック", "Codebooks")) }
            p { (l.pick("自由記述と会議の記録に付けるテーマ（コード）の一覧です。保存するたびに新しい版になり、付けたコードは付けたときの版を保ちます。", "The themes (codes) given to opinions and meeting notes. Each save makes a new version; a coding keeps the version it was made with. ")) }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            p.links { a href="/dashboard/codebooks/new" { (l.pick("コードブックを作る", "Create a codebook")) } " · " a href="/dashboard/coding" { (l.pick("コード付けへ", "To coding")) } }
            @if books.is_empty() {
                p { (l.pick("まだコードブックがありません。", "No codebooks yet. ")) }
            } @else {
                table {
                    thead { tr { th scope="col" { (l.pick("名前", "Name")) } th scope="col" { (l.pick("識別子", "Identifier")) } th scope="col" { (l.pick("版", "Version")) } th scope="col" { (l.pick("テーマ数", "Themes")) } th scope="col" { (l.pick("更新日", "Updated")) } } }
                    tbody {
                        @for book in books {
                            tr {
                                th scope="row" { a href={ "/dashboard/codebooks/" (book.slug) } { (book.codebook.title.get(l)) } }
                                td { code { (book.slug) } }
                                td.number { (book.version) }
                                td.number { (book.codebook.themes.len()) }
                                td { (local_time(book.created_at).format("%Y-%m-%d")) }
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
    let l = chrome.lang;
    let form = &view.form;
    let (title, action) = match view.slug {
        Some(slug) => (
            (l.pick("コードブックの編集", "Edit codebook")),
            format!("/dashboard/codebooks/{slug}"),
        ),
        None => (
            (l.pick("コードブックを作る", "Create a codebook")),
            "/dashboard/codebooks".to_owned(),
        ),
    };
    signed_in(
        title,
        chrome,
        Section::Opinions,
        html! {
            p { a href="/dashboard/codebooks" { (l.pick("← コードブック", "← Codebooks")) } }
            h1 { (title) @if let Some(version) = view.version { (l.pick("（第", " (version ")) (version) (l.pick("版）", ")")) } }
            @if let Some((_, message)) = &form.error { p.error role="alert" { (message) } }
            @if let Some(changes) = view.changes {
                section.card aria-labelledby="changes" {
                    h2 #changes { (l.pick("前の版からの変更", "Changes since the previous version")) }
                    @if changes.is_empty() { p { (l.pick("テーマの変更はありません（名前や説明だけが変わりました）。", "No themes changed (only the name or description). ")) } }
                    ul {
                        @for change in changes {
                            li { (describe(l, change)) }
                        }
                    }
                }
            }
            form method="post" action=(action) {
                input type="hidden" name="csrf" value=(chrome.csrf);
                section.card {
                    @match view.slug {
                        Some(slug) => p { (l.pick("識別子：", "Identifier: ")) code { (slug) } },
                        None => (text_field(l, form, "codebook", Field { name: "slug", label: l.pick("識別子", "Identifier"), kind: "text", required: true, hint: Some(l.pick("半角英小文字・数字・ハイフン（例: seminar-2026）。", "Lower-case letters, digits and hyphens (e.g. seminar-2026). ")) })),
                    }
                    (text_field(l, form, "codebook", Field { name: "title_ja", label: l.pick("名前", "Name"), kind: "text", required: true, hint: None }))
                    (text_field(l, form, "codebook", Field { name: "title_en", label: l.pick("名前（英語）", "Name (English)"), kind: "text", required: false, hint: Some(l.pick("空欄なら日本語の名前を使います。", "Left empty, the Japanese name is used. ")) }))
                    (text_field(l, form, "codebook", Field { name: "description", label: l.pick("説明", "Description"), kind: "text", required: false, hint: None }))
                }
                fieldset.card {
                    legend { (l.pick("テーマ", "Theme")) }
                    p.hint { (l.pick("キーワードは読点（、）かカンマで区切ります。コメントにキーワードがあると、そのテーマが最初から選ばれます。ルールは KH Coder と同じ書き方です（例：フリートーク | near(話-安心)。| はまたは、& はかつ、! は否定、near(a-b) は10語以内、seq(a-b) は続けて出る語）。ルールのあるテーマは、コード付けのページから一括でコード付けできます。識別子は空欄なら自動で付けます。", "Separate keywords with 、 or commas. A comment containing a keyword has its theme ticked already. Rules are written as in KH Coder (e.g. フリートーク | near(話-安心): | is or, & is and, ! is not, near(a-b) within ten words, seq(a-b) one right after the other). Themes with a rule can be coded all at once from the coding page. An empty identifier is filled in. ")) }
                    @for row in 0..view.theme_rows {
                        @let name = |part: &str| format!("theme_{part}_{row}");
                        div.theme role="group" aria-label={ (l.pick("テーマ ", "Theme ")) (row + 1) } {
                            @for (part, label) in [("label_ja", (l.pick("テーマ名", "Theme"))), ("label_en", (l.pick("テーマ名（英語）", "Theme (English)"))), ("keywords", (l.pick("キーワード", "Keywords"))), ("rule", (l.pick("ルール", "Rule"))), ("description", (l.pick("説明", "Description"))), ("id", (l.pick("識別子", "Identifier")))] {
                                @let field = name(part);
                                label for={ "codebook-" (field) } { (label) " " (row + 1) }
                                input id={ "codebook-" (field) } type="text" name=(field) value=(form.value(&field));
                            }
                        }
                    }
                }
                button type="submit" { (l.pick("新しい版として保存する", "Save as a new version")) }
            }
        },
    )
}

fn describe(l: Lang, change: &ThemeChange) -> String {
    let list = |words: &[String]| words.join(l.pick("、", ", "));
    match (change, l) {
        (ThemeChange::Added { label }, Lang::Ja) => format!("「{label}」を追加"),
        (ThemeChange::Added { label }, Lang::En) => format!("\"{label}\" added"),
        (ThemeChange::Removed { label }, Lang::Ja) => format!("「{label}」を削除"),
        (ThemeChange::Removed { label }, Lang::En) => format!("\"{label}\" removed"),
        (ThemeChange::Relabelled { from, to }, Lang::Ja) => format!("「{from}」を「{to}」に改名"),
        (ThemeChange::Relabelled { from, to }, Lang::En) => format!("\"{from}\" renamed \"{to}\""),
        (ThemeChange::Described { label }, Lang::Ja) => format!("「{label}」の説明を変更"),
        (ThemeChange::Described { label }, Lang::En) => format!("\"{label}\": description changed"),
        (ThemeChange::Ruled { label }, Lang::Ja) => format!("「{label}」のルールを変更"),
        (ThemeChange::Ruled { label }, Lang::En) => format!("\"{label}\": rule changed"),
        (ThemeChange::Keywords { label, added, removed }, _) => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("{}{}", list(added), l.pick(" を追加", " added")));
            }
            if !removed.is_empty() {
                parts.push(format!("{}{}", list(removed), l.pick(" を削除", " removed")));
            }
            match l {
                Lang::Ja => format!("「{label}」のキーワード：{}", parts.join("、")),
                Lang::En => format!("\"{label}\" keywords: {}", parts.join("; ")),
            }
        }
    }
}
