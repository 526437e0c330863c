//! The indicators page: each plan's activity and outcome indicators per fiscal year.

use crate::domain::lang::Lang;
use maud::{html, Markup};

use super::chart::{clustered_bars, BarGroup, Scale};
use crate::domain::decimal::Tenths;
use crate::domain::era::fiscal_year_in;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::indicator::ReportRow;
use crate::reports::indicators::{HeadcountMissing, PlanReport};

use super::dashboard::{fiscal_year_select, signed_in, Chrome, Section};

/// The activity and outcome indicator tables of every plan, as the reports print them, with a
/// chart of target against actual attendance.
/// `report_years`: the evaluation report's first and last year as the picker opens.
pub fn indicators_page(
    chrome: &Chrome,
    reports: &[PlanReport],
    report_years: (FiscalYear, FiscalYear),
    notice: Option<&str>,
) -> Markup {
    let l = chrome.lang;
    let (from, to) = report_years;
    let tenths = |value: Option<Tenths>| value.map_or_else(|| "—".to_owned(), |v| v.to_string());
    signed_in(
        l.pick("指標", "Indicators"),
        chrome,
        Section::Indicators,
        html! {
            h1 { (l.pick("活動指標・成果指標", "Activity and outcome indicators")) }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            p.links {
                a href="/dashboard/indicator-plans/new" { (l.pick("指標の計画を作る", "Create an indicator plan")) }
                " · "
                a href="/dashboard/indicators.csv" { (l.pick("報告書の形式でダウンロード（CSV）", "Download in the report's layout (CSV)")) }
                " · "
                a href="/dashboard/programme" { (l.pick("成果報告書（提出用：Word・Excel）と事業の概要", "Results report (to submit: Word, Excel) and programme profile")) }
            }
            form.picker method="get" action="/dashboard/evaluation-report" {
                (fiscal_year_select(l, "report-from", "from_fiscal_year", l.pick("効果検証の報告書：最初の年度", "Evaluation report: first fiscal year"), from))
                (fiscal_year_select(l, "report-to", "to_fiscal_year", l.pick("最後の年度", "Last fiscal year"), to))
                button type="submit" { (l.pick("報告書を開く（A4 で印刷できます）", "Open the report (prints on A4)")) }
            }
            @if reports.is_empty() {
                p { (l.pick("指標の計画がまだありません。「指標の計画を作る」から、数えるイベントの種別、想定対象者数、年度ごとの目標を登録してください。", "No indicator plans yet. Create one with the event kinds it counts, the assumed population and a target per fiscal year. ")) }
            }
            @for report in reports {
                @let rows: Vec<&ReportRow> = report.rows.iter().chain([&report.total]).collect();
                section.card.wide aria-labelledby=(format!("plan-{}", report.plan.slug)) {
                    h2 id=(format!("plan-{}", report.plan.slug)) { (report.plan.title.get(l)) }
                    p { (l.pick("想定対象者数 ", "Assumed population ")) (report.plan.assumed_population) (l.pick(" 人 · ", " · "))
                        a href=(format!("/dashboard/indicator-plans/{}", report.plan.slug)) aria-label={ (report.plan.title.get(l)) (l.pick("の計画を編集", ": edit plan")) } { (l.pick("計画を編集", "Edit plan")) } }
                    p.links {
                        (l.pick("考察を書く：", "Write considerations: "))
                        @for row in &report.rows {
                            @if let Some(year) = row.fiscal_year {
                                " "
                                a href=(format!("/dashboard/indicator-plans/{}/considerations/{year}", report.plan.slug))
                                    aria-label={ (report.plan.title.get(l)) " " (row_label(l, row)) (l.pick("の考察", ": considerations")) } { (row_label(l, row)) }
                            }
                        }
                    }
                    (clustered_bars(
                        &format!("{}{}", report.plan.title.get(l), l.pick(" 目標と実績", ": target and actual")),
                        &report.rows.iter().map(|row| BarGroup {
                            label: row_label(l, row),
                            bars: vec![((l.pick("目標", "Target")).to_owned(), Some(row.target as f64)), ((l.pick("実績", "Actual")).to_owned(), Some(row.actual as f64))],
                        }).collect::<Vec<_>>(),
                        &Scale::Count { max: report.rows.iter().map(|r| r.target.max(r.actual)).max().unwrap_or(0) as f64, unit: (l.pick("人", "")) },
                    ))
                    table {
                        caption { (l.pick("活動指標（参加者数）と成果指標（想定対象者に占める割合）", "Activity indicator (attendance) and outcome indicator (share of the assumed population)")) }
                        thead { tr { th scope="col" { (l.pick("指標", "Indicator")) } @for row in &rows { th scope="col" { (row_label(l, row)) } } } }
                        tbody {
                            tr { th scope="row" { (l.pick("目標（人）", "Target (people)")) } @for row in &rows { td.number { (row.target) } } }
                            tr { th scope="row" { (l.pick("実績（人）", "Actual (people)")) } @for row in &rows { td.number { (row.actual) } } }
                            tr { th scope="row" { (l.pick("達成率（%）", "Achieved (%)")) } @for row in &rows { td.number { (tenths(row.achievement_rate)) } } }
                            tr { th scope="row" { (l.pick("開催回数", "Events held")) } @for row in &rows { td.number { (row.events) } } }
                            tr { th scope="row" { (l.pick("1回あたり（人）", "Per event (people)")) } @for row in &rows { td.number { (tenths(row.mean_per_event)) } } }
                            tr { th scope="row" { (l.pick("目標の割合（%）", "Target share (%)")) } @for row in &rows { td.number { (tenths(row.target_share)) } } }
                            tr { th scope="row" { (l.pick("実績の割合（%）", "Actual share (%)")) } @for row in &rows { td.number { (tenths(row.actual_share)) } } }
                        }
                    }
                    @if let HeadcountMissing::Listed(missing) = &report.headcount_missing {
                        @if !missing.is_empty() {
                        p.error { (l.pick("参加者数が未記録のため回答数で数えたイベント：", "Events counted by their responses because no headcount was recorded: ")) }
                        ul {
                            @for missing in missing {
                                li { (missing.held_on_ja) " " (missing.title) (l.pick("（回答 ", " (")) (missing.responses) (l.pick(" 件）", " responses)")) }
                            }
                        }
                        }
                    }
                }
            }
        },
    )
}

/// A report row's fiscal year as the page's language names it, or the total.
fn row_label(l: Lang, row: &ReportRow) -> String {
    row.fiscal_year.map_or_else(
        || l.pick("合計", "Total").to_owned(),
        |year| fiscal_year_in(FiscalYear(year), l),
    )
}
