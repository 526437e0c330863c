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
    let slug = view.codebook.map_or("", |book| book.slug.as_str());
    signed_in(
        "意見のコード付け",
        chrome,
        Section::Opinions,
        html! {
            h1 { "意見のコード付け" }
            p { "自由記述と会議の記録を一件ずつ読み、当てはまるテーマを選びます。キーワードから推測したテーマには印が付き、最初から選ばれています。" }
            p.links { a href="/dashboard/codebooks" { "コードブック（テーマとキーワード）を編集する" } }
            form.picker method="get" action="/dashboard/coding" {
                (select("codebook", "コードブック", view.codebooks, slug, None))
                (select("form", "アンケート", view.forms, view.form, None))
                (select("question", "自由記述の質問", view.questions, view.question, None))
                button type="submit" { "始める" }
            }
            @if view.saved { p.notice role="status" { "保存しました。次の一件です。" } }
            @if let Some((coded, matched)) = view.ruled {
                p.notice role="status" { "ルールで " (coded) " 件をコード付けしました（うち " (matched) " 件に当てはまるテーマがありました）。人がコード付けしたものは変えていません。" }
            }
            @if let Some(book) = view.codebook.filter(|book| !book.codebook.rules().is_empty()) {
                form.picker method="post" action="/dashboard/coding/apply-rules" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    input type="hidden" name="codebook" value=(book.slug);
                    input type="hidden" name="form" value=(view.form);
                    input type="hidden" name="question" value=(view.question);
                    p.hint { "ルールのあるテーマで、まだ人がコード付けしていない意見をすべて一括でコード付けします。あとから人がコード付けした意見は、人の判断が集計に使われます。" }
                    button type="submit" .secondary { "ルールで一括コード付けする" }
                }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @match (view.codebook, view.next) {
                (Some(book), Some(next)) => {
                    section.card.wide aria-labelledby="item" {
                        h2 id="item" { @match next.item { CodedItem::Note(_) => "会議の記録", CodedItem::Answer { .. } => "アンケートの自由記述" } }
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
                                legend { "テーマ（いくつでも。当てはまらなければ選ばずに保存）" }
                                @for theme in &book.codebook.themes {
                                    @let by_keyword = next.suggested.contains(&theme.id);
                                    @let by_similar = next.suggested_by_similar.contains(&theme.id);
                                    label.inline {
                                        input type="checkbox" name="theme" value=(theme.id) checked[by_keyword || by_similar];
                                        " " (theme.label.ja)
                                        @if by_keyword { span.optional { "候補" } }
                                        @if by_similar { span.optional { "似たコメントと同じ" } }
                                    }
                                }
                            }
                            label.inline { input type="checkbox" name="quote" value="true"; " 報告書で代表的な意見として引用する" }
                            button type="submit" { "保存して次へ" }
                        }
                    }
                }
                (Some(_), None) => p { "この条件の意見はすべてコード付けしました。" },
                (None, _) => p { "コードブックがありません。" a href="/dashboard/codebooks/new" { "コードブックを作る" } },
            }
        },
    )
}
