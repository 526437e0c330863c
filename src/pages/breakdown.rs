//! The breakdown page: a question by one or more attributes, as a table, a chart and a test in words.

use crate::pages::InLang;
use maud::{html, Markup};

use analysis::breakdown::{Breakdown, Cell, Group, Moments};
use analysis::spec::scale_range;

use super::chart::{clustered_bars, stacked_bars, BarGroup, Scale, StackedRow};
use crate::domain::lang::Lang;
use crate::domain::response_filter::SOURCE_PARAM;
use crate::domain::response_source::Source;
use crate::reports::document::{p_value_text, test_method_text};

use super::dashboard::{fiscal_year_picker, select, signed_in, Chrome, Pick, Section};

/// The ways answers arrive, as staff name them.
fn source_picks(l: Lang) -> Vec<Pick> {
    Source::ALL
        .into_iter()
        .map(|source| {
            let label = match source {
                Source::Phone => l.pick("スマートフォン", "Phone"),
                Source::Paper => l.pick("紙", "Paper"),
                Source::Api => l.pick("システム連携（API）", "Programs (API)"),
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
    let l = chrome.lang;
    signed_in(
        l.pick("属性別集計", "Breakdowns"),
        chrome,
        Section::Breakdown,
        html! {
            h1 { (l.pick("属性別集計", "Breakdowns")) }
            form.picker method="get" action="/dashboard/breakdown" {
                (select("form", l.pick("アンケート", "Questionnaire"), view.forms, view.form, None))
                (select("question", l.pick("質問", "Question"), view.questions, view.question, None))
                (select("by", l.pick("属性 1", "Attribute 1"), view.attributes, view.by[0], None))
                (select("by2", l.pick("属性 2（任意）", "Attribute 2 (optional)"), view.attributes, view.by[1], Some(l.pick("なし", "None"))))
                (fiscal_year_picker(l, "pick-fiscal_year", view.fiscal_year))
                (select(SOURCE_PARAM, l.pick("回答の方法", "Answered via"), &source_picks(l, ), view.source, Some(l.pick("すべて", "All"))))
                button type="submit" { (l.pick("集計する", "Tabulate")) }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if let Some(result) = view.result { (breakdown_result(l, result, view.query)) }
        },
    )
}

fn group_name(l: Lang, group: &Group) -> String {
    group
        .labels
        .values()
        .map(|label| label.get(l))
        .collect::<Vec<_>>()
        .join(" × ")
}

/// The result as a chart: an ordered scale as one 100 % bar per group, light to dark, with each
/// group's mean; unordered options as clustered bars.
fn result_chart(l: Lang, result: &Breakdown, rows: &[(String, &Cell)]) -> Markup {
    let title = &result.question_label.get(l);
    let label = |name: &str, cell: &Cell| {
        let n = cell.n.map_or_else(|| "—".to_owned(), |n| n.to_string());
        format!("{name}{}{n}{}", l.pick("（n=", " (n="), l.pick("）", ")"))
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
    let points: Vec<String> = result.options.iter().map(|o| o.label.get(l).to_owned()).collect();
    if let Some(range) = scale_range(result.question_type, &result.options) {
        let stacked: Vec<StackedRow> = rows
            .iter()
            .map(|(name, cell)| StackedRow {
                label: label(name, cell),
                shares: shares(cell),
                mean: cell.moments.as_ref().and_then(|m| m.mean),
            })
            .collect();
        return stacked_bars(l, title, &points, &stacked, range);
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

fn breakdown_result(l: Lang, result: &Breakdown, query: &str) -> Markup {
    let percent = |share: Option<f64>| share.map_or_else(|| "—".to_owned(), |s| format!("{s:.1}%"));
    let count = |n: Option<u64>| n.map_or_else(|| "—".to_owned(), |n| n.to_string());
    let rows: Vec<(String, &Cell)> = result
        .groups
        .iter()
        .map(|g| (group_name(l, g), &g.cell))
        .chain([((l.pick("全体", "Total")).to_owned(), &result.total)])
        .collect();
    html! {
        section aria-labelledby="result-title" {
            h2 #result-title { (result.question_label.get(l)) }
            p.links {
                a href=(format!("/dashboard/breakdown.json?{query}")) { "JSON" }
                " · "
                a href=(format!("/dashboard/breakdown.csv?{query}")) { "CSV" }
            }
            (result_chart(l, result, &rows))
            table {
                caption { (l.pick("回答者数と割合（無回答は除く）", "Respondents and shares (not answered left out)")) }
                thead {
                    tr {
                        th scope="col" { (l.pick("グループ", "Group")) }
                        th scope="col" { "n" }
                        @for option in &result.options { th scope="col" { (option.label.get(l)) } }
                        @if result.question_type.is_numeric() { th scope="col" { (l.pick("平均", "Mean")) } th scope="col" { (l.pick("95%信頼区間", "95% confidence interval")) } }
                    }
                }
                tbody {
                    @for (name, cell) in &rows {
                        tr {
                            th scope="row" { (name) @if cell.suppressed { " " span.tag { (l.pick("秘匿", "withheld")) } } }
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
                                td.number { (interval_text(l, moments)) }
                            }
                        }
                    }
                }
            }
            p.test { (test_in_words(l, result)) }
        }
    }
}

/// A mean's interval, marked where it was cut at an end of the scale; a dash for a group too
/// small to be given one.
fn interval_text(l: Lang, moments: &Moments) -> String {
    match (moments.ci95, moments.ci95_clipped) {
        (Some([lo, hi]), false) => format!("{lo:.2}{}{hi:.2}", l.pick("〜", " – ")),
        (Some([lo, hi]), true) => format!(
            "{lo:.2}{}{hi:.2}{}",
            l.pick("〜", " – "),
            l.pick("（尺度の端まで）", " (to the end of the scale)")
        ),
        (None, _) => "—".to_owned(),
    }
}

/// The test of independence as a sentence an analyst can paste into a report: how many
/// respondents it rests on, which test was used and why, and its verdict.
pub fn test_in_words(l: Lang, result: &Breakdown) -> String {
    let respondents = result.n.map_or_else(String::new, |n| match l {
        Lang::Ja => format!("この表は回答者 {n} 人にもとづきます。"),
        Lang::En => format!("This table rests on {n} respondents. "),
    });
    let Some(test) = &result.test else {
        let why = if result.by.is_empty() {
            l.pick(
                "属性を選ぶと、グループによる違いを検定します。",
                "Choose an attribute to test the difference between groups. ",
            )
        } else {
            l.pick("この表では独立性の検定を行いません（複数回答、グループや選択肢が2つ未満、または秘匿あり）。", "No test of independence for this table (multiple choice, fewer than two groups or options, or figures withheld). ")
        };
        return format!("{respondents}{why}");
    };
    let method = test_method_text(test, l);
    let below_5 = test.expected_below_5_share * 100.0;
    let small_groups = match (test.chi_square_valid, l) {
        (true, _) => String::new(),
        (false, Lang::Ja) => format!(
            "グループの人数が少なく、期待度数が 5 未満のセルが {below_5:.0}% あるため、カイ二乗分布による近似は使えません。p 値は次の方法で求めました。"
        ),
        (false, Lang::En) => format!(
            "The groups are small: {below_5:.0}% of cells expect fewer than 5, so the chi-square approximation does not hold, and p was found as follows. "
        ),
    };
    let verdict = if test.p_value < 0.05 {
        l.pick(
            "グループによって回答の分布に統計的に有意な差があります",
            "The answers are distributed differently across the groups (statistically significant)",
        )
    } else {
        l.pick(
            "グループによる回答の分布の差は統計的に有意ではありません",
            "The difference in answers between the groups is not statistically significant",
        )
    };
    let p = p_value_text(test.p_value);
    let (statistic, df, v) = (test.statistic, test.df, test.cramers_v);
    match l {
        Lang::Ja => format!(
            "{respondents}{small_groups}{verdict}（{method}: χ² = {statistic:.2}, 自由度 {df}, {p}, クラメールの V = {v:.2}）。"
        ),
        Lang::En => format!(
            "{respondents}{small_groups}{verdict} ({method}: χ² = {statistic:.2}, df {df}, {p}, Cramér's V = {v:.2})."
        ),
    }
}
