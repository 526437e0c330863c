//! The indicators page: each plan's activity and outcome indicators per fiscal year.

use maud::{html, Markup};

use super::chart::{clustered_bars, BarGroup, Scale};
use crate::domain::decimal::Tenths;
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
    let (from, to) = report_years;
    let tenths = |value: Option<Tenths>| value.map_or_else(|| "—".to_owned(), |v| v.to_string());
    signed_in(
        "指標",
        chrome,
        Section::Indicators,
        html! {
            h1 { "活動指標・成果指標" }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            p.links {
                a href="/dashboard/indicator-plans/new" { "指標の計画を作る" }
                " · "
                a href="/dashboard/indicators.csv" { "報告書の形式でダウンロード（CSV）" }
                " · "
                a href="/dashboard/programme" { "成果報告書（提出用：Word・Excel）と事業の概要" }
            }
            form.picker method="get" action="/dashboard/evaluation-report" {
                (fiscal_year_select("report-from", "from_fiscal_year", "効果検証の報告書：最初の年度", from))
                (fiscal_year_select("report-to", "to_fiscal_year", "最後の年度", to))
                button type="submit" { "報告書を開く（A4 で印刷できます）" }
            }
            @if reports.is_empty() {
                p { "指標の計画がまだありません。「指標の計画を作る」から、数えるイベントの種別、想定対象者数、年度ごとの目標を登録してください。" }
            }
            @for report in reports {
                @let rows: Vec<&ReportRow> = report.rows.iter().chain([&report.total]).collect();
                section.card.wide aria-labelledby=(format!("plan-{}", report.plan.slug)) {
                    h2 id=(format!("plan-{}", report.plan.slug)) { (report.plan.title.ja) }
                    p { "想定対象者数 " (report.plan.assumed_population) " 人 · "
                        a href=(format!("/dashboard/indicator-plans/{}", report.plan.slug)) aria-label={ (report.plan.title.ja) "の計画を編集" } { "計画を編集" } }
                    p.links {
                        "考察を書く："
                        @for row in &report.rows {
                            @if let Some(year) = row.fiscal_year {
                                " "
                                a href=(format!("/dashboard/indicator-plans/{}/considerations/{year}", report.plan.slug))
                                    aria-label={ (report.plan.title.ja) " " (row.label_ja) "の考察" } { (row.label_ja) }
                            }
                        }
                    }
                    (clustered_bars(
                        &format!("{} 目標と実績", report.plan.title.ja),
                        &report.rows.iter().map(|row| BarGroup {
                            label: row.label_ja.clone(),
                            bars: vec![("目標".to_owned(), Some(row.target as f64)), ("実績".to_owned(), Some(row.actual as f64))],
                        }).collect::<Vec<_>>(),
                        &Scale::Count { max: report.rows.iter().map(|r| r.target.max(r.actual)).max().unwrap_or(0) as f64, unit: "人" },
                    ))
                    table {
                        caption { "活動指標（参加者数）と成果指標（想定対象者に占める割合）" }
                        thead { tr { th scope="col" { "指標" } @for row in &rows { th scope="col" { (row.label_ja) } } } }
                        tbody {
                            tr { th scope="row" { "目標（人）" } @for row in &rows { td.number { (row.target) } } }
                            tr { th scope="row" { "実績（人）" } @for row in &rows { td.number { (row.actual) } } }
                            tr { th scope="row" { "達成率（%）" } @for row in &rows { td.number { (tenths(row.achievement_rate)) } } }
                            tr { th scope="row" { "開催回数" } @for row in &rows { td.number { (row.events) } } }
                            tr { th scope="row" { "1回あたり（人）" } @for row in &rows { td.number { (tenths(row.mean_per_event)) } } }
                            tr { th scope="row" { "目標の割合（%）" } @for row in &rows { td.number { (tenths(row.target_share)) } } }
                            tr { th scope="row" { "実績の割合（%）" } @for row in &rows { td.number { (tenths(row.actual_share)) } } }
                        }
                    }
                    @if let HeadcountMissing::Listed(missing) = &report.headcount_missing {
                        @if !missing.is_empty() {
                        p.error { "参加者数が未記録のため回答数で数えたイベント：" }
                        ul {
                            @for missing in missing {
                                li { (missing.held_on_ja) " " (missing.title) "（回答 " (missing.responses) " 件）" }
                            }
                        }
                        }
                    }
                }
            }
        },
    )
}
