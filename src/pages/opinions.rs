//! The opinions page: free-text comments by group, their terms and the themes coded.

use crate::domain::lang::Lang;
use crate::pages::InLang;
use maud::{html, Markup};

use analysis::terms::{TermCell, TermGroup};

use super::themes::themes_section;
use crate::services::analyses::OpinionsResult;
use crate::services::coding::ThemesResult;

use super::dashboard::{fiscal_year_picker, select, signed_in, Chrome, Pick, Section};

/// Which comments a page reads, as its pickers show them.
pub struct CommentPicks<'a> {
    pub forms: &'a [Pick],
    pub form: &'a str,
    pub attributes: &'a [Pick],
    pub by: &'a str,
    /// `responses`, `notes` or `both`.
    pub source: &'a str,
    pub fiscal_year: &'a str,
}

impl CommentPicks<'_> {
    /// The picks as a query string, for links to another view of the same comments.
    pub fn query(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("form", self.form),
                ("by", self.by),
                ("source", self.source),
                ("fiscal_year", self.fiscal_year),
            ])
            .finish()
    }

    pub fn pickers(&self, l: Lang) -> Markup {
        html! {
            (select("form", l.pick("アンケート", "Questionnaire"), self.forms, self.form, None))
            (select("by", l.pick("属性（任意）", "Attribute (optional)"), self.attributes, self.by, Some(l.pick("全体のみ", "Total only"))))
            (select("source", l.pick("意見の出どころ", "Opinions from"), &comment_sources(l).map(|(value, label)| (value.to_owned(), label.to_owned())), self.source, None))
            (fiscal_year_picker(l, "pick-fiscal_year", self.fiscal_year))
        }
    }
}

pub struct OpinionsView<'a> {
    pub picks: CommentPicks<'a>,
    pub result: Option<&'a OpinionsResult>,
    /// The codebooks to count themes with, the one picked, and its counts.
    pub codebooks: &'a [Pick],
    pub codebook: &'a str,
    pub themes: Option<&'a ThemesResult>,
    pub error: Option<&'a str>,
}

/// Where opinions come from, as the picker offers them; meeting notes group by the event only.
fn comment_sources(l: Lang) -> [(&'static str, &'static str); 3] {
    [
        ("responses", (l.pick("アンケートの自由記述", "Questionnaire comments"))),
        (
            "notes",
            (l.pick(
                "会議の記録（年度・事業・回でのみ分けられます）",
                "Meeting notes (split by fiscal year, kind and event only)",
            )),
        ),
        ("both", (l.pick("両方", "Both"))),
    ]
}

pub fn opinions_page(chrome: &Chrome, view: &OpinionsView) -> Markup {
    let l = chrome.lang;
    signed_in(
        l.pick("自由記述", "Opinions"),
        chrome,
        Section::Opinions,
        html! {
            h1 { (l.pick("自由記述の傾向", "Tendency of opinions")) }
            p.links {
                a href={ "/dashboard/coding?form=" (view.picks.form) } { (l.pick("意見をテーマでコード付けする", "Code opinions by theme")) }
                " · "
                a href={ "/dashboard/text-dictionary?form=" (view.picks.form) } { (l.pick("語の辞書（複合語・強制抽出・使わない語）", "Word dictionary (compounds, forced words, stop words)")) }
                " · "
                a href={ "/dashboard/network?" (view.picks.query()) } { (l.pick("共起ネットワーク", "Co-occurrence network")) }
                " · "
                a href={ "/dashboard/correspondence?" (view.picks.query()) } { (l.pick("対応分析（語と属性）", "Correspondence analysis (terms and attributes)")) }
            }
            form.picker method="get" action="/dashboard/opinions" {
                (view.picks.pickers(l))
                (select("codebook", l.pick("テーマの一覧", "Themes"), view.codebooks, view.codebook, None))
                button type="submit" { (l.pick("表示する", "Show")) }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if let Some(result) = view.result {
                p { (l.pick("コメント ", "Comments: ")) (result.table.comments.unwrap_or(0)) (l.pick(" 件。語は名詞・動詞・形容詞の基本形です。「特徴度」はそのグループが他の人より多く使う度合い（対数オッズ比、3回以上使われた語のみ）です。語を選ぶと、その語が使われた文脈を読めます。", ". Terms are nouns, verbs and adjectives in their base form. \"Distinctiveness\" is how much more a group uses a term than everyone else (log-odds ratio, terms used three times or more). Choose a term to read it in context. ")) }
                @let kwic = format!("/dashboard/kwic?{}", view.picks.query());
                @let everyone = result.texts.as_ref().map(|(_, all)| all.as_slice());
                @for (i, group) in result.table.groups.iter().enumerate() {
                    @let texts = result.texts.as_ref().and_then(|(per_group, _)| per_group.get(i)).map(Vec::as_slice);
                    (term_section(l, &group_label(l, group), &group.cell, texts, &kwic))
                }
                (term_section(l, l.pick("全体", "Total"), &result.table.total, everyone, &kwic))
            }
            @if let Some(themes) = view.themes { (themes_section(l, themes)) }
        },
    )
}

fn group_label(l: Lang, group: &TermGroup) -> String {
    group
        .labels
        .values()
        .map(|label| label.get(l))
        .collect::<Vec<_>>()
        .join(" × ")
}

/// A term's link to its uses in context.
pub fn kwic_href(kwic: &str, term: &str) -> String {
    let term: String = form_urlencoded::byte_serialize(term.as_bytes()).collect();
    format!("{kwic}&term={term}")
}

fn term_section(l: Lang, name: &str, cell: &TermCell, texts: Option<&[String]>, kwic: &str) -> Markup {
    html! {
        section.card.wide {
            h2 { (name) (l.pick("（", " (")) (cell.comments.map_or_else(|| "—".to_owned(), |n| n.to_string())) (l.pick(" 件）", " responses)")) }
            @match &cell.terms {
                Some(terms) if !terms.is_empty() => {
                    table {
                        caption { (name) (l.pick(" でよく使われた語", ": frequent terms")) }
                        thead { tr { th scope="col" { (l.pick("語", "Term")) } th scope="col" { (l.pick("回数", "Uses")) } th scope="col" { (l.pick("含むコメントの割合", "Share of comments")) } th scope="col" { (l.pick("特徴度", "Distinctiveness")) } } }
                        tbody {
                            @for term in terms {
                                tr {
                                    th scope="row" { a href=(kwic_href(kwic, &term.term)) { (term.term) } }
                                    td.number { (term.count) }
                                    td.number { (format!("{:.1}%", term.share)) }
                                    td.number { (term.log_odds.map_or_else(|| "—".to_owned(), |l| format!("{l:+.2}"))) }
                                }
                            }
                        }
                    }
                }
                _ => { p { (l.pick("表示できる語はありません。", "No terms to show. ")) } }
            }
            @if let Some(texts) = texts.filter(|t| !t.is_empty()) {
                details {
                    summary { (l.pick("コメントを読む（", "Read the comments (")) (texts.len()) (l.pick(" 件）", " responses)")) }
                    ul.comments { @for text in texts { li { (text) } } }
                }
            }
        }
    }
}
