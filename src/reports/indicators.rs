//! The activity and outcome indicator tables of a plan, from the events actually held, as JSON
//! and as the CSV layout municipal reports use.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::csv_file::CsvFile;
use crate::db::events::EventRecord;
use crate::domain::decimal::Tenths;
use crate::domain::era::{fiscal_year_label, short_date};
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::indicator::{report, IndicatorPlan, PlanView, ReportRow, YearActual};

/// An event counted by its number of responses because nobody recorded its headcount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MissingHeadcount {
    pub id: Uuid,
    pub title: String,
    pub held_on: NaiveDate,
    pub held_on_ja: String,
    pub responses: i64,
}

/// A plan's report as clients get it: target against actual attendance per fiscal year, and
/// attendance as a share of the assumed population.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanReportView {
    pub plan: PlanView,
    pub rows: Vec<ReportRow>,
    pub total: ReportRow,
    /// Staff: events held without a recorded headcount, counted by their responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headcount_missing: Option<Vec<MissingHeadcount>>,
    /// Researchers: how many events of the settled years had no recorded headcount; they are
    /// left out of the actuals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events_without_headcount: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct PlanReport {
    pub plan: IndicatorPlan,
    pub rows: Vec<ReportRow>,
    pub total: ReportRow,
    pub headcount_missing: HeadcountMissing,
}

/// Events held without a recorded headcount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadcountMissing {
    /// For staff: each event, counted by its responses in the actuals.
    Listed(Vec<MissingHeadcount>),
    /// For researchers: how many there are, left out of the actuals. A response count is a
    /// live figure about the respondents of one event, which releases never give.
    Uncounted(usize),
}

/// The dates whose events count for `plan`: its fiscal years, up to and including `today`
/// (an event not yet held has no attendance).
pub fn counted_period(plan: &IndicatorPlan, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let first = plan.targets.keys().next()?.first_day();
    let last = plan.targets.keys().next_back()?.last_day().min(today);
    (first <= last).then_some((first, last))
}

impl PlanReport {
    /// For staff. `events` are the plan's kinds of events held, not cancelled, in
    /// `counted_period`; one without a headcount counts its responses.
    pub fn build(plan: IndicatorPlan, events: &[EventRecord]) -> Self {
        let mut actuals: BTreeMap<FiscalYear, YearActual> = BTreeMap::new();
        let mut headcount_missing = Vec::new();
        for event in events {
            let attendance = match event.headcount {
                Some(headcount) => i64::from(headcount),
                None => {
                    headcount_missing.push(MissingHeadcount {
                        id: event.id,
                        title: event.title.clone(),
                        held_on: event.held_on,
                        held_on_ja: short_date(event.held_on),
                        responses: event.response_count,
                    });
                    event.response_count
                }
            };
            add(&mut actuals, event, attendance);
        }
        let (rows, total) = report(&plan, &actuals);
        Self {
            plan,
            rows,
            total,
            headcount_missing: HeadcountMissing::Listed(headcount_missing),
        }
    }

    /// For researchers: the fiscal years settled by `settled_until` only (the plan's later
    /// targets left out), in totals per year, from recorded headcounts alone. `events` as for
    /// [`Self::build`].
    pub fn settled(mut plan: IndicatorPlan, events: &[EventRecord], settled_until: NaiveDate) -> Self {
        plan.targets.retain(|year, _| year.last_day() <= settled_until);
        let mut actuals: BTreeMap<FiscalYear, YearActual> = BTreeMap::new();
        let mut uncounted = 0;
        for event in events.iter().filter(|event| event.held_on <= settled_until) {
            match event.headcount {
                Some(headcount) => add(&mut actuals, event, i64::from(headcount)),
                None => uncounted += 1,
            }
        }
        let (rows, total) = report(&plan, &actuals);
        Self {
            plan,
            rows,
            total,
            headcount_missing: HeadcountMissing::Uncounted(uncounted),
        }
    }

    pub fn view(&self) -> PlanReportView {
        let (listed, uncounted) = match &self.headcount_missing {
            HeadcountMissing::Listed(events) => (Some(events.clone()), None),
            HeadcountMissing::Uncounted(events) => (None, Some(*events)),
        };
        PlanReportView {
            plan: self.plan.view(),
            rows: self.rows.clone(),
            total: self.total.clone(),
            headcount_missing: listed,
            events_without_headcount: uncounted,
        }
    }
}

fn add(actuals: &mut BTreeMap<FiscalYear, YearActual>, event: &EventRecord, attendance: i64) {
    let year = actuals.entry(FiscalYear::of(event.held_on)).or_default();
    year.actual += attendance;
    year.events += 1;
}

/// One row per plan, indicator and kind (目標 target / 実績 actual), one column per fiscal year
/// and a total, as the reports lay it out; UTF-8 with a byte order mark so Excel reads it.
pub fn to_csv(reports: &[PlanReport]) -> Result<Vec<u8>, csv::Error> {
    let years: BTreeSet<FiscalYear> = reports.iter().flat_map(|r| r.plan.targets.keys().copied()).collect();
    let mut writer = CsvFile::default();
    let mut header = vec!["計画".to_owned(), "指標".to_owned(), "区分".to_owned()];
    header.extend(years.iter().map(|year| fiscal_year_label(*year)));
    header.push("合計".to_owned());
    writer.row(&header)?;
    for report in reports {
        let by_year: BTreeMap<Option<i32>, &ReportRow> = report
            .rows
            .iter()
            .chain([&report.total])
            .map(|row| (row.fiscal_year, row))
            .collect();
        let lines: [(&str, &str, CellOf); 4] = [
            ("活動指標(参加者数)", "目標", |row| row.target.to_string()),
            ("活動指標(参加者数)", "実績", |row| row.actual.to_string()),
            ("成果指標(対象者に占める割合%)", "目標", |row| {
                tenths(row.target_share)
            }),
            ("成果指標(対象者に占める割合%)", "実績", |row| {
                tenths(row.actual_share)
            }),
        ];
        for (indicator, kind, cell) in lines {
            let mut record = vec![report.plan.title.ja.clone(), indicator.to_owned(), kind.to_owned()];
            record.extend(
                years
                    .iter()
                    .map(|year| by_year.get(&Some(year.0)).map(|row| cell(row)).unwrap_or_default()),
            );
            record.push(cell(&report.total));
            writer.row(&record)?;
        }
    }
    writer.finish()
}

/// How one line of the CSV reads its figure off a report row.
type CellOf = fn(&ReportRow) -> String;

fn tenths(value: Option<Tenths>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}
