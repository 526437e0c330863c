//! Staff's text tools in the dashboard: a term in its sentences (KWIC), and the dictionary that
//! decides which words are counted (words kept whole, compound candidates to accept, words left
//! out).

use maud::{html, Markup};

use super::dashboard::{select, signed_in, Chrome, NewEventForm, Pick, Section};
use super::opinions::CommentPicks;
use crate::services::text_tools::Kwic;
use crate::text::compounds::Candidate;

pub struct KwicView<'a> {
    pub picks: CommentPicks<'a>,
    pub term: &'a str,
    pub result: Option<&'a Kwic>,
    pub error: Option<&'a str>,
}

pub fn kwic_page(chrome: &Chrome, view: &KwicView) -> Markup {
    signed_in(
        "語の文脈",
        chrome,
        Section::Opinions,
        html! {
            p { a href={ "/dashboard/opinions?" (view.picks.query()) } { "← 自由記述の傾向" } }
            h1 { "語の文脈（KWIC）" }
            form.picker method="get" action="/dashboard/kwic" {
                div.field {
                    label for="kwic-term" { "語" }
                    input #kwic-term type="text" name="term" value=(view.term) required maxlength="100";
                }
                (view.picks.pickers())
                button type="submit" { "表示する" }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if let Some(kwic) = view.result {
                p { "「" (kwic.term) "」を使ったコメント " (kwic.comments) " 件（読んだコメント " (kwic.comments_read) " 件のうち）。" }
                @if kwic.groups.is_empty() {
                    p { "この語を使ったコメントはありません。語の表に出ている形（基本形）で入力してください。" }
                }
                @for group in &kwic.groups {
                    @let name = match (&group.label, &group.value, &kwic.by) {
                        (Some(label), _, _) => label.ja.clone(),
                        (None, Some(value), _) => value.clone(),
                        (None, None, Some(_)) => "無回答".to_owned(),
                        (None, None, None) => "全体".to_owned(),
                    };
                    section.card.wide {
                        h2 { (name) "（" (group.comments) " 件）" }
                        table.kwic {
                            caption { (name) " で「" (kwic.term) "」が使われた文脈" }
                            thead { tr { th scope="col" { "前" } th scope="col" { "語" } th scope="col" { "後" } } }
                            tbody {
                                @for line in &group.lines {
                                    tr { td.left-context { (line.left) } th scope="row" { mark { (line.keyword) } } td { (line.right) } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub struct DictionaryView<'a> {
    /// The three lists as the form shows them, one word per line, and what was wrong.
    pub form: NewEventForm,
    pub version: i64,
    pub notice: Option<&'a str>,
    pub forms: &'a [Pick],
    pub form_slug: &'a str,
    /// Compound candidates in the picked form's comments, or why there are none.
    pub candidates: Result<&'a [Candidate], &'a str>,
}

/// The lists as the form names them: label and hint.
pub const LISTS: [(&str, &str, &str); 3] = [
    (
        "forced",
        "強制抽出する語",
        "必ず一語として数える語（例：ポラ研、SMARPP-24）。1行に一つ。",
    ),
    ("compounds", "複合語", "候補から採用した複合語。1行に一つ。"),
    (
        "stop_words",
        "使わない語",
        "数えない語（例：市）。最初は標準の一覧が入っています。1行に一つ。",
    ),
];

pub fn dictionary_page(chrome: &Chrome, view: &DictionaryView) -> Markup {
    let form = &view.form;
    signed_in(
        "語の辞書",
        chrome,
        Section::Opinions,
        html! {
            p { a href={ "/dashboard/opinions?form=" (view.form_slug) } { "← 自由記述の傾向" } }
            h1 { "語の辞書" }
            p.hint { "自由記述を語に分けるときの辞書です。変えると、職員が見る語の表と文脈はすぐに新しい辞書で数え直されます（研究者向けの公開集計は標準の辞書のままです）。版 " (view.version) "。" }
            @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
            section.card.wide aria-labelledby="candidates-title" {
                h2 #candidates-title { "複合語の候補" }
                form.picker method="get" action="/dashboard/text-dictionary" {
                    (select("form", "アンケート", view.forms, view.form_slug, None))
                    button type="submit" { "候補を探す" }
                }
                @match view.candidates {
                    Err(message) => p { (message) },
                    Ok([]) => p { "新しい候補はありません。" },
                    Ok(candidates) => form method="post" action="/dashboard/text-dictionary/accept" {
                        input type="hidden" name="csrf" value=(chrome.csrf);
                        input type="hidden" name="form" value=(view.form_slug);
                        p.hint { "続けて現れる名詞をつないだ候補です。「スコア」は出現回数と、前後につく語の種類の多さから求めます（TermExtract の FLR）。" }
                        table {
                            caption { "複合語の候補（スコアの高い順）" }
                            thead { tr { th scope="col" { "採用" } th scope="col" { "語" } th scope="col" { "構成" } th scope="col" { "回数" } th scope="col" { "スコア" } } }
                            tbody {
                                @for (i, candidate) in candidates.iter().enumerate() {
                                    tr {
                                        td { input type="checkbox" id={ "accept-" (i) } name="accept" value=(candidate.word); }
                                        th scope="row" { label for={ "accept-" (i) } { (candidate.word) } }
                                        td { (candidate.parts.join(" + ")) }
                                        td.number { (candidate.frequency) }
                                        td.number { (format!("{:.2}", candidate.score)) }
                                    }
                                }
                            }
                        }
                        button type="submit" { "選んだ語を複合語に加える" }
                    },
                }
            }
            @if let Some((_, message)) = &form.error { p.error role="alert" { (message) } }
            form method="post" action="/dashboard/text-dictionary" {
                input type="hidden" name="csrf" value=(chrome.csrf);
                input type="hidden" name="form" value=(view.form_slug);
                section.card {
                    h2 { "辞書の内容" }
                    @for (name, label, hint) in LISTS {
                        @let error = form.error_for(name);
                        div.field.has-error[error.is_some()] {
                            label for={ "dictionary-" (name) } { (label) }
                            p.hint id={ "dictionary-" (name) "-hint" } { (hint) }
                            @if let Some(error) = error { p.error { (error) } }
                            textarea id={ "dictionary-" (name) } name=(name) rows="8"
                                aria-describedby={ "dictionary-" (name) "-hint" } { (form.value(name)) }
                        }
                    }
                }
                button type="submit" { "保存する" }
            }
        },
    )
}
