//! The dashboard's coding page: one comment or meeting note at a time, the codebook's themes to
//! tick (those its keywords suggest ticked already), and whether to quote it in the report.

use maud::{html, Markup};

use super::dashboard::{select, signed_in, Chrome, Pick, Section};
use crate::db::codebooks::StoredCodebook;
use crate::domain::coding::CodedItem;
use crate::services::coding::NextItem;

pub struct CodingView<'a> {
    pub codebooks: &'a [Pick],
    pub codebook: Option<&'a StoredCodebook>,
    pub forms: &'a [Pick],
    pub form: &'a str,
    pub questions: &'a [Pick],
    pub question: &'a str,
    pub next: Option<&'a NextItem>,
    pub error: Option<&'a str>,
    pub saved: bool,
    /// After a run of the codebook's rules: items coded, and those some rule held for.
    pub ruled: Option<(usize, usize)>,
}

pub fn coding_page(chrome: &Chrome, view: &CodingView) -> Markup {
    let l = chrome.lang;
    let slug = view.codebook.map_or("", |book| book.slug.as_str());
    signed_in(
        l.pick("意見のコード付け", "Coding opinions"),
        chrome,
        Section::Opinions,
        html! {
            h1 { (l.pick("意見のコード付け", "Coding opinions")) }
            p { (l.pick("自由記述と会議の記録を一件ずつ読み、当てはまるテーマを選びます。キーワードから推測したテーマには印が付き、最初から選ばれています。", "Read the opinions and meeting notes one at a time and choose the themes that fit. Themes guessed from keywords are marked and ticked already. ")) }
            p.links { a href="/dashboard/codebooks" { (l.pick("コードブック（テーマとキーワード）を編集する", "Edit the codebook (themes and keywords)")) } }
            form.picker method="get" action="/dashboard/coding" {
                (select("codebook", l.pick("コードブック", "Codebooks"), view.codebooks, slug, None))
                (select("form", l.pick("アンケート", "Questionnaire"), view.forms, view.form, None))
                (select("question", l.pick("自由記述の質問", "Open question"), view.questions, view.question, None))
                button type="submit" { (l.pick("始める", "Start")) }
            }
            @if view.saved { p.notice role="status" { (l.pick("保存しました。次の一件です。", "Saved. Here is the next one. ")) } }
            @if let Some((coded, matched)) = view.ruled {
                p.notice role="status" { (l.pick("ルールで ", "The rules coded ")) (coded) (l.pick(" 件をコード付けしました（うち ", " opinions (")) (matched) (l.pick(" 件に当てはまるテーマがありました）。人がコード付けしたものは変えていません。", " had a theme that fits). Codings made by people were left as they were. ")) }
            }
            @if let Some(book) = view.codebook.filter(|book| !book.codebook.rules().is_empty()) {
                form.picker method="post" action="/dashboard/coding/apply-rules" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    input type="hidden" name="codebook" value=(book.slug);
                    input type="hidden" name="form" value=(view.form);
                    input type="hidden" name="question" value=(view.question);
                    p.hint { (l.pick("ルールのあるテーマで、まだ人がコード付けしていない意見をすべて一括でコード付けします。あとから人がコード付けした意見は、人の判断が集計に使われます。", "Codes every opinion no person has coded yet with the themes that have rules. Where a person codes an opinion later, the person's coding counts. ")) }
                    button type="submit" .secondary { (l.pick("ルールで一括コード付けする", "Code by the rules")) }
                }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @match (view.codebook, view.next) {
                (Some(book), Some(next)) => {
                    section.card.wide aria-labelledby="item" {
                        h2 id="item" { @match next.item { CodedItem::Note(_) => (l.pick("会議の記録", "Meeting notes")), CodedItem::Answer { .. } => (l.pick("アンケートの自由記述", "Questionnaire comments")) } }
                        blockquote.comment { (next.text) }
                        form method="post" action="/dashboard/coding" {
                            input type="hidden" name="csrf" value=(chrome.csrf);
                            input type="hidden" name="codebook" value=(book.slug);
                            input type="hidden" name="form" value=(view.form);
                            input type="hidden" name="question" value=(view.question);
                            @match &next.item {
                                CodedItem::Note(id) => { input type="hidden" name="note" value=(id); }
                                CodedItem::Answer { response, .. } => { input type="hidden" name="response" value=(response); }
                            }
                            fieldset {
                                legend { (l.pick("テーマ（いくつでも。当てはまらなければ選ばずに保存）", "Themes (any number; save with none if none fits)")) }
                                @for theme in &book.codebook.themes {
                                    @let by_keyword = next.suggested.contains(&theme.id);
                                    @let by_similar = next.suggested_by_similar.contains(&theme.id);
                                    label.inline {
                                        input type="checkbox" name="theme" value=(theme.id) checked[by_keyword || by_similar];
                                        " " (theme.label.get(l))
                                        @if by_keyword { span.optional { (l.pick("候補", "suggested")) } }
                                        @if by_similar { span.optional { (l.pick("似たコメントと同じ", "as a similar comment")) } }
                                    }
                                }
                            }
                            label.inline { input type="checkbox" name="quote" value="true"; (l.pick(" 報告書で代表的な意見として引用する", " Quote in the report as a typical opinion")) }
                            button type="submit" { (l.pick("保存して次へ", "Save and next")) }
                        }
                    }
                }
                (Some(_), None) => p { (l.pick("この条件の意見はすべてコード付けしました。", "Every opinion here has been coded. ")) },
                (None, _) => p { (l.pick("コードブックがありません。", "There is no codebook. ")) a href="/dashboard/codebooks/new" { (l.pick("コードブックを作る", "Create a codebook")) } },
            }
        },
    )
}
