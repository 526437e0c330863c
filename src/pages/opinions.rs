//! The opinions page: free-text comments by group, their terms and the themes coded.

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

    pub fn pickers(&self) -> Markup {
        html! {
            (select("form", "アンケート", self.forms, self.form, None))
            (select("by", "属性（任意）", self.attributes, self.by, Some("全体のみ")))
            (select("source", "意見の出どころ", &COMMENT_SOURCES.map(|(value, label)| (value.to_owned(), label.to_owned())), self.source, None))
            (fiscal_year_picker("pick-fiscal_year", self.fiscal_year))
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
const COMMENT_SOURCES: [(&str, &str); 3] = [
    ("responses", "アンケートの自由記述"),
    ("notes", "会議の記録（年度・事業・回でのみ分けられます）"),
    ("both", "両方"),
];

pub fn opinions_page(chrome: &Chrome, view: &OpinionsView) -> Markup {
    signed_in(
        "自由記述",
        chrome,
        Section::Opinions,
        html! {
            h1 { "自由記述の傾向" }
            p.links {
                a href={ "/dashboard/coding?form=" (view.picks.form) } { "意見をテーマでコード付けする" }
                " · "
                a href={ "/dashboard/text-dictionary?form=" (view.picks.form) } { "語の辞書（複合語・強制抽出・使わない語）" }
                " · "
                a href={ "/dashboard/network?" (view.picks.query()) } { "共起ネットワーク" }
                " · "
                a href={ "/dashboard/correspondence?" (view.picks.query()) } { "対応分析（語と属性）" }
            }
            form.picker method="get" action="/dashboard/opinions" {
                (view.picks.pickers())
                (select("codebook", "テーマの一覧", view.codebooks, view.codebook, None))
                button type="submit" { "表示する" }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if let Some(result) = view.result {
                p { "コメント " (result.table.comments.unwrap_or(0)) " 件。語は名詞・動詞・形容詞の基本形です。「特徴度」はそのグループが他の人より多く使う度合い（対数オッズ比、3回以上使われた語のみ）です。語を選ぶと、その語が使われた文脈を読めます。" }
                @let kwic = format!("/dashboard/kwic?{}", view.picks.query());
                @let everyone = result.texts.as_ref().map(|(_, all)| all.as_slice());
                @for (i, group) in result.table.groups.iter().enumerate() {
                    @let texts = result.texts.as_ref().and_then(|(per_group, _)| per_group.get(i)).map(Vec::as_slice);
                    (term_section(&group_label(group), &group.cell, texts, &kwic))
                }
                (term_section("全体", &result.table.total, everyone, &kwic))
            }
            @if let Some(themes) = view.themes { (themes_section(themes)) }
        },
    )
}

fn group_label(group: &TermGroup) -> String {
    group
        .labels
        .values()
        .map(|label| label.ja.as_str())
        .collect::<Vec<_>>()
        .join(" × ")
}

/// A term's link to its uses in context.
pub fn kwic_href(kwic: &str, term: &str) -> String {
    let term: String = form_urlencoded::byte_serialize(term.as_bytes()).collect();
    format!("{kwic}&term={term}")
}

fn term_section(name: &str, cell: &TermCell, texts: Option<&[String]>, kwic: &str) -> Markup {
    html! {
        section.card.wide {
            h2 { (name) "（" (cell.comments.map_or_else(|| "—".to_owned(), |n| n.to_string())) " 件）" }
            @match &cell.terms {
                Some(terms) if !terms.is_empty() => {
                    table {
                        caption { (name) " でよく使われた語" }
                        thead { tr { th scope="col" { "語" } th scope="col" { "回数" } th scope="col" { "含むコメントの割合" } th scope="col" { "特徴度" } } }
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
                _ => { p { "表示できる語はありません。" } }
            }
            @if let Some(texts) = texts.filter(|t| !t.is_empty()) {
                details {
                    summary { "コメントを読む（" (texts.len()) " 件）" }
                    ul.comments { @for text in texts { li { (text) } } }
                }
            }
        }
    }
}
