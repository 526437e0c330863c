//! Staff's text tools in the dashboard: a term in its sentences (KWIC), and the dictionary that
//! decides which words are counted (words kept whole, compound candidates to accept, words left
//! out).

use crate::domain::lang::Lang;
use crate::pages::InLang;
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
    let l = chrome.lang;
    signed_in(
        l.pick("語の文脈", "Term in context"),
        chrome,
        Section::Opinions,
        html! {
            p { a href={ "/dashboard/opinions?" (view.picks.query()) } { (l.pick("← 自由記述の傾向", "← Tendency of opinions")) } }
            h1 { (l.pick("語の文脈（KWIC）", "Term in context (KWIC)")) }
            form.picker method="get" action="/dashboard/kwic" {
                div.field {
                    label for="kwic-term" { (l.pick("語", "Term")) }
                    input #kwic-term type="text" name="term" value=(view.term) required maxlength="100";
                }
                (view.picks.pickers(l))
                button type="submit" { (l.pick("表示する", "Show")) }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if let Some(kwic) = view.result {
                p { (l.pick("「", "\"")) (kwic.term) (l.pick("」を使ったコメント ", "\": comments using it: ")) (kwic.comments) (l.pick(" 件（読んだコメント ", " (of ")) (kwic.comments_read) (l.pick(" 件のうち）。", " comments read). ")) }
                @if kwic.groups.is_empty() {
                    p { (l.pick("この語を使ったコメントはありません。語の表に出ている形（基本形）で入力してください。", "No comment uses this term. Enter it as the term tables show it (its base form). ")) }
                }
                @for group in &kwic.groups {
                    @let name = match (&group.label, &group.value, &kwic.by) {
                        (Some(label), _, _) => label.get(l).to_owned(),
                        (None, Some(value), _) => value.clone(),
                        (None, None, Some(_)) => (l.pick("無回答", "Not answered")).to_owned(),
                        (None, None, None) => (l.pick("全体", "Total")).to_owned(),
                    };
                    section.card.wide {
                        h2 { (name) (l.pick("（", " (")) (group.comments) (l.pick(" 件）", " responses)")) }
                        table.kwic {
                            caption { (name) (l.pick(" で「", ": \"")) (kwic.term) (l.pick("」が使われた文脈", "\" in context")) }
                            thead { tr { th scope="col" { (l.pick("前", "Before")) } th scope="col" { (l.pick("語", "Term")) } th scope="col" { (l.pick("後", "After")) } } }
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
pub fn lists(l: Lang) -> [(&'static str, &'static str, &'static str); 3] {
    [
        (
            "forced",
            l.pick("強制抽出する語", "Forced words"),
            l.pick(
                "必ず一語として数える語（例：ポラ研、SMARPP-24）。1行に一つ。",
                "Words always counted whole (e.g. ポラ研, SMARPP-24). One per line. ",
            ),
        ),
        (
            "compounds",
            l.pick("複合語", "Compounds"),
            l.pick(
                "候補から採用した複合語。1行に一つ。",
                "Compounds accepted from the candidates. One per line. ",
            ),
        ),
        (
            "stop_words",
            l.pick("使わない語", "Stop words"),
            l.pick(
                "数えない語（例：市）。最初は標準の一覧が入っています。1行に一つ。",
                "Words not counted (e.g. 市). The standard list to begin with. One per line. ",
            ),
        ),
    ]
}

pub fn dictionary_page(chrome: &Chrome, view: &DictionaryView) -> Markup {
    let l = chrome.lang;
    let form = &view.form;
    signed_in(
        l.pick("語の辞書", "Word dictionary"),
        chrome,
        Section::Opinions,
        html! {
            p { a href={ "/dashboard/opinions?form=" (view.form_slug) } { (l.pick("← 自由記述の傾向", "← Tendency of opinions")) } }
            h1 { (l.pick("語の辞書", "Word dictionary")) }
            p.hint { (l.pick("自由記述を語に分けるときの辞書です。変えると、職員が見る語の表と文脈はすぐに新しい辞書で数え直されます（研究者向けの公開集計は標準の辞書のままです）。版 ", "The dictionary used to split comments into terms. Staff's term tables and contexts are counted again with a changed dictionary at once (the researchers' release keeps the standard one). Version ")) (view.version) (l.pick("。", ". ")) }
            @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
            section.card.wide aria-labelledby="candidates-title" {
                h2 #candidates-title { (l.pick("複合語の候補", "Compound candidates")) }
                form.picker method="get" action="/dashboard/text-dictionary" {
                    (select("form", l.pick("アンケート", "Questionnaire"), view.forms, view.form_slug, None))
                    button type="submit" { (l.pick("候補を探す", "Find candidates")) }
                }
                @match view.candidates {
                    Err(message) => p { (message) },
                    Ok([]) => p { (l.pick("新しい候補はありません。", "No new candidates. ")) },
                    Ok(candidates) => form method="post" action="/dashboard/text-dictionary/accept" {
                        input type="hidden" name="csrf" value=(chrome.csrf);
                        input type="hidden" name="form" value=(view.form_slug);
                        p.hint { (l.pick("続けて現れる名詞をつないだ候補です。「スコア」は出現回数と、前後につく語の種類の多さから求めます（TermExtract の FLR）。", "Candidates join nouns that follow each other. The score comes from how often they appear and how many different words come before and after (TermExtract's FLR). ")) }
                        table {
                            caption { (l.pick("複合語の候補（スコアの高い順）", "Compound candidates (highest score first)")) }
                            thead { tr { th scope="col" { (l.pick("採用", "Accept")) } th scope="col" { (l.pick("語", "Term")) } th scope="col" { (l.pick("構成", "Parts")) } th scope="col" { (l.pick("回数", "Uses")) } th scope="col" { (l.pick("スコア", "Score")) } } }
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
                        button type="submit" { (l.pick("選んだ語を複合語に加える", "Add the chosen ones as compounds")) }
                    },
                }
            }
            @if let Some((_, message)) = &form.error { p.error role="alert" { (message) } }
            form method="post" action="/dashboard/text-dictionary" {
                input type="hidden" name="csrf" value=(chrome.csrf);
                input type="hidden" name="form" value=(view.form_slug);
                section.card {
                    h2 { (l.pick("辞書の内容", "The dictionary")) }
                    @for (name, label, hint) in lists(l) {
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
                button type="submit" { (l.pick("保存する", "Save")) }
            }
        },
    )
}
