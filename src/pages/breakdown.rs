//! The breakdown page: a question by one or more attributes, as a table, a chart and a test in words.

use maud::{html, Markup};

use analysis::breakdown::{Breakdown, Cell, Group, Moments};
use analysis::spec::scale_range;

use super::chart::{clustered_bars, stacked_bars, BarGroup, Scale, StackedRow};
use crate::domain::response_filter::SOURCE_PARAM;
use crate::domain::response_source::Source;
use crate::reports::document::{p_value_text, test_method_text};

use super::dashboard::{fiscal_year_picker, select, signed_in, Chrome, Pick, Section};

/// The ways answers arrive, as staff name them.
fn source_picks() -> Vec<Pick> {
    Source::ALL
        .into_iter()
        .map(|source| {
            let label = match source {
                Source::Phone => "スマートフォン",
                Source::Paper => "紙",
                Source::Api => "システム連携（API）",
            };
            (source.as_str().to_owned(), label.to_owned())
        })
        .collect()
}

pub struct BreakdownView<'a> {
    pub forms: &'a [Pick],
    pub form: &'a str,
    pub questions: &'a [Pick],
    pub question: &'a str,
    pub attributes: &'a [Pick],
    /// The first and the optional second attribute.
    pub by: [&'a str; 2],
    pub fiscal_year: &'a str,
    /// How the answers came, or empty for all.
    pub source: &'a str,
    pub result: Option<&'a Breakdown>,
    pub error: Option<&'a str>,
    /// The view's query string, for its JSON and CSV links.
    pub query: &'a str,
}

pub fn breakdown_page(chrome: &Chrome, view: &BreakdownView) -> Markup {
    signed_in(
        "属性別集計",
        chrome,
        Section::Breakdown,
        html! {
            h1 { "属性別集計" }
            form.picker method="get" action="/dashboard/breakdown" {
                (select("form", "アンケート", view.forms, view.form, None))
                (select("question", "質問", view.questions, view.question, None))
                (select("by", "属性 1", view.attributes, view.by[0], None))
                (select("by2", "属性 2（任意）", view.attributes, view.by[1], Some("なし")))
                (fiscal_year_picker("pick-fiscal_year", view.fiscal_year))
                (select(SOURCE_PARAM, "回答の方法", &source_picks(), view.source, Some("すべて")))
                button type="submit" { "集計する" }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if let Some(result) = view.result { (breakdown_result(result, view.query)) }
        },
    )
}

fn group_name(group: &Group) -> String {
    group
        .labels
        .values()
        .map(|label| label.ja.as_str())
        .collect::<Vec<_>>()
        .join(" × ")
}

/// The result as a chart: an ordered scale as one 100 % bar per group, light to dark, with each
/// group's mean; unordered options as clustered bars.
fn result_chart(result: &Breakdown, rows: &[(String, &Cell)]) -> Markup {
    let title = &result.question_label.ja;
    let label = |name: &str, cell: &Cell| {
        format!(
            "{name}（n={}）",
            cell.n.map_or_else(|| "—".to_owned(), |n| n.to_string())
        )
    };
    let shares = |cell: &Cell| -> Vec<Option<f64>> {
        result
            .options
            .iter()
            .map(|o| {
                cell.percentages
                    .as_ref()
                    .and_then(|p| p.get(&o.value).copied().flatten())
            })
            .collect()
    };
    let points: Vec<String> = result.options.iter().map(|o| o.label.ja.clone()).collect();
    if let Some(range) = scale_range(result.question_type, &result.options) {
        let stacked: Vec<StackedRow> = rows
            .iter()
            .map(|(name, cell)| StackedRow {
                label: label(name, cell),
                shares: shares(cell),
                mean: cell.moments.as_ref().and_then(|m| m.mean),
            })
            .collect();
        return stacked_bars(title, &points, &stacked, range);
    }
    if result.options.is_empty() {
        return html! {};
    }
    let groups: Vec<BarGroup> = rows
        .iter()
        .map(|(name, cell)| BarGroup {
            label: label(name, cell),
            bars: points.iter().cloned().zip(shares(cell)).collect(),
        })
        .collect();
    clustered_bars(title, &groups, &Scale::Percent)
}

fn breakdown_result(result: &Breakdown, query: &str) -> Markup {
    let percent = |share: Option<f64>| share.map_or_else(|| "—".to_owned(), |s| format!("{s:.1}%"));
    let count = |n: Option<u64>| n.map_or_else(|| "—".to_owned(), |n| n.to_string());
    let rows: Vec<(String, &Cell)> = result
        .groups
        .iter()
        .map(|g| (group_name(g), &g.cell))
        .chain([("全体".to_owned(), &result.total)])
        .collect();
    html! {
        section aria-labelledby="result-title" {
            h2 #result-title { (result.question_label.ja) }
            p.links {
                a href=(format!("/dashboard/breakdown.json?{query}")) { "JSON" }
                " · "
                a href=(format!("/dashboard/breakdown.csv?{query}")) { "CSV" }
            }
            (result_chart(result, &rows))
            table {
                caption { "回答者数と割合（無回答は除く）" }
                thead {
                    tr {
                        th scope="col" { "グループ" }
                        th scope="col" { "n" }
                        @for option in &result.options { th scope="col" { (option.label.ja) } }
                        @if result.question_type.is_numeric() { th scope="col" { "平均" } th scope="col" { "95%信頼区間" } }
                    }
                }
                tbody {
                    @for (name, cell) in &rows {
                        tr {
                            th scope="row" { (name) @if cell.suppressed { " " span.tag { "秘匿" } } }
                            td.number { (count(cell.n)) }
                            @for option in &result.options {
                                td.number {
                                    (count(cell.counts.as_ref().and_then(|c| c.get(&option.value).copied().flatten())))
                                    br;
                                    small { (percent(cell.percentages.as_ref().and_then(|p| p.get(&option.value).copied().flatten()))) }
                                }
                            }
                            @if let Some(moments) = &cell.moments {
                                td.number { (moments.mean.map_or_else(|| "—".to_owned(), |m| format!("{m:.2}"))) }
                                td.number { (interval_text(moments)) }
                            }
                        }
                    }
                }
            }
            p.test { (test_in_words(result)) }
        }
    }
}

/// A mean's interval, marked where it was cut at an end of the scale; a dash for a group too
/// small to be given one.
fn interval_text(moments: &Moments) -> String {
    match (moments.ci95, moments.ci95_clipped) {
        (Some([lo, hi]), false) => format!("{lo:.2}〜{hi:.2}"),
        (Some([lo, hi]), true) => format!("{lo:.2}〜{hi:.2}（尺度の端まで）"),
        (None, _) => "—".to_owned(),
    }
}

/// The test of independence as a sentence an analyst can paste into a report: how many
/// respondents it rests on, which test was used and why, and its verdict.
pub fn test_in_words(result: &Breakdown) -> String {
    let respondents = result
        .n
        .map_or_else(String::new, |n| format!("この表は回答者 {n} 人にもとづきます。"));
    let Some(test) = &result.test else {
        let why = if result.by.is_empty() {
            "属性を選ぶと、グループによる違いを検定します。"
        } else {
            "この表では独立性の検定を行いません（複数回答、グループや選択肢が2つ未満、または秘匿あり）。"
        };
        return format!("{respondents}{why}");
    };
    let method = test_method_text(test);
    let small_groups = if test.chi_square_valid {
        String::new()
    } else {
        format!(
            "グループの人数が少なく、期待度数が 5 未満のセルが {:.0}% あるため、カイ二乗分布による近似は使えません。p 値は次の方法で求めました。",
            test.expected_below_5_share * 100.0
        )
    };
    let verdict = if test.p_value < 0.05 {
        "グループによって回答の分布に統計的に有意な差があります"
    } else {
        "グループによる回答の分布の差は統計的に有意ではありません"
    };
    let p = p_value_text(test.p_value);
    format!(
        "{respondents}{small_groups}{verdict}（{method}: χ² = {:.2}, 自由度 {}, {p}, クラメールの V = {:.2}）。",
        test.statistic, test.df, test.cramers_v
    )
}
