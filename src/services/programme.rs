//! The programme profile and the results report the city files at the end of the model project
//! (地域再犯防止推進モデル事業成果報告書), in the filed report's eight sections and order: staff's
//! texts from the profile and the plans, what was done from the events themselves, the indicator
//! tables with the fiscal years as columns, one verdict per goal over the period with the
//! considerations numbered, and ア/イ from the same analyses as the evaluation report. A section
//! with nothing recorded says so, so staff see what is left to write.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::PgConnection;

use crate::db::events::EventRecord;
use crate::db::{self, Connections, DbError};
use crate::domain::era::{fiscal_year_label, short_date};
use crate::domain::event::EventKind;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::form::QuestionKind;
use crate::domain::indicator::ReportRow;
use crate::domain::lang::Lang;
use crate::domain::programme::ProgrammeProfile;
use crate::domain::release_request::Readers;
use crate::domain::survey_wave::WaveComparison;
use crate::domain::token::Staff;
use crate::reports::document::{p_value_text, test_method_text, Block, Document};
use crate::reports::indicators::PlanReport;
use crate::reports::programme::{
    activity_table, event_line, numbered_considerations, outcome_table, period_verdict, render, series_lines, Format,
    ProgrammeReport, RenderError, Rendered, TableRows,
};
use crate::reports::table_workbook::NamedTable;
use crate::services;
use crate::services::analyses::{self, AnalysesError};
use crate::services::evaluation::{self, ReportRequest};

const UNWRITTEN: &str = "（未記入）";
/// Below this p-value a question's answers are said to have changed between waves.
const SIGNIFICANCE: f64 = 0.05;
/// Whose meeting notes are the expert advice (学識経験者からの意見聴取).
const EXPERT_ROLE: &str = "expert";

pub fn profile(conn: &mut PgConnection) -> Result<(ProgrammeProfile, Option<DateTime<Utc>>), DbError> {
    db::programme::get(conn)
}

pub fn save_profile(conn: &mut PgConnection, profile: &ProgrammeProfile) -> Result<DateTime<Utc>, DbError> {
    db::programme::put(conn, profile)
}

/// A plan as the report needs it: its indicator rows in the report's years and its considerations.
struct Goal {
    report: PlanReport,
    considerations: BTreeMap<FiscalYear, String>,
}

impl Goal {
    fn rows(&self, request: &ReportRequest) -> Vec<&ReportRow> {
        let years = request.from.0..=request.to.0;
        self.report
            .rows
            .iter()
            .filter(|row| row.fiscal_year.is_some_and(|y| years.contains(&y)))
            .collect()
    }
}

/// Everything the report reads from the database, read in one go.
struct Records {
    profile: ProgrammeProfile,
    goals: Vec<Goal>,
    /// The period's events, cancelled ones too, in date order.
    events: Vec<EventRecord>,
    series_rules: std::collections::HashMap<uuid::Uuid, String>,
    /// (date, event title, text) of the experts' notes.
    advice: Vec<(NaiveDate, String, String)>,
}

fn load(conn: &mut PgConnection, request: &ReportRequest) -> Result<Records, DbError> {
    let (profile, _) = db::programme::get(conn)?;
    let goals = db::indicator_plans::list(conn)?
        .into_iter()
        .map(|stored| {
            let considerations = db::indicator_plans::considerations(conn, &stored.plan.slug)?;
            Ok(Goal {
                report: analyses::plan_report(conn, stored.plan, Readers::Staff)?,
                considerations,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let (from, to) = (request.from.first_day(), request.to.last_day());
    let events = db::events::between(conn, from, to)?;
    let series: Vec<uuid::Uuid> = events.iter().filter_map(|e| e.series_id).collect();
    Ok(Records {
        profile,
        goals,
        series_rules: db::events::series_rules(conn, &series)?,
        advice: db::notes::by_role_between(conn, EXPERT_ROLE, from, to)?,
        events,
    })
}

/// ①, ②, …: how the filed report numbers goals.
fn circled(index: usize) -> String {
    u32::try_from(index)
        .ok()
        .filter(|i| *i < 20)
        .and_then(|i| char::from_u32(0x2460 + i))
        .map_or_else(|| format!("({})", index + 1), String::from)
}

fn staff_text_or_unwritten(text: Option<&String>) -> Block {
    match text {
        Some(text) => Block::StaffText(text.clone()),
        None => Block::Paragraph(UNWRITTEN.to_owned()),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Analyses(#[from] AnalysesError),
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// The report in `format`, built and rendered on the caller's (blocking) thread.
pub fn rendered(
    connections: &mut impl Connections,
    request: &ReportRequest,
    format: Format,
) -> Result<Rendered, ReportError> {
    Ok(render(&report(connections, request)?, format)?)
}

pub fn report(connections: &mut impl Connections, request: &ReportRequest) -> Result<ProgrammeReport, AnalysesError> {
    let records = connections.with(|conn| load(conn, request))?;
    let profile = &records.profile;
    let mut blocks = Vec::new();
    let mut tables = Vec::new();

    blocks.push(Block::Heading(2, "1 事業実施団体名".into()));
    blocks.push(Block::Paragraph(
        profile.organisation.clone().unwrap_or_else(|| UNWRITTEN.to_owned()),
    ));
    if let Some(body) = &profile.implementing_body {
        blocks.push(Block::Paragraph(format!("実施主体：{body}")));
    }
    blocks.push(Block::Heading(2, "2 事業名称".into()));
    blocks.push(Block::Paragraph(
        profile.name.clone().unwrap_or_else(|| UNWRITTEN.to_owned()),
    ));
    blocks.push(Block::Heading(2, "3 事業の目的".into()));
    blocks.push(staff_text_or_unwritten(profile.purpose.as_ref()));
    blocks.push(Block::Heading(2, "4 事業実施の背景".into()));
    blocks.push(staff_text_or_unwritten(profile.background.as_ref()));

    blocks.push(Block::Heading(2, "5 取組実績".into()));
    if records.goals.is_empty() {
        blocks.push(Block::Paragraph("指標の計画がまだありません。".into()));
    }
    for (i, goal) in records.goals.iter().enumerate() {
        let plan = &goal.report.plan;
        blocks.push(Block::Heading(3, format!("取組内容{}　{}", circled(i), plan.title.ja)));
        blocks.push(staff_text_or_unwritten(plan.texts.description.as_ref()));
        blocks.push(Block::Paragraph("【開催状況】".into()));
        blocks.extend(held_blocks(&records, &plan.event_kinds));
        let rows = goal.rows(request);
        blocks.push(Block::Paragraph(format!("【活動指標】{}の参加者数", plan.title.ja)));
        blocks.push(table(
            &mut tables,
            format!("活動指標{}", circled(i)),
            activity_table(&rows),
        ));
    }

    blocks.push(Block::Heading(2, "6 成果".into()));
    blocks.push(Block::Heading(3, "(1) 成果指標".into()));
    for (i, goal) in records.goals.iter().enumerate() {
        let plan = &goal.report.plan;
        blocks.push(Block::Heading(4, format!("{}　{}", circled(i), plan.title.ja)));
        let outcome = outcome_table(&goal.rows(request), plan.assumed_population);
        blocks.push(table(&mut tables, format!("成果指標{}", circled(i)), outcome));
        blocks.push(Block::Paragraph("成果指標設定理由：".into()));
        blocks.push(staff_text_or_unwritten(plan.texts.indicator_reason.as_ref()));
    }
    blocks.push(Block::Heading(3, "(2) 成果指標以外の成果".into()));
    blocks.push(staff_text_or_unwritten(profile.other_outcomes.as_ref()));
    blocks.extend(other_outcome_counts(&records.events));
    blocks.extend(wave_changes(connections, request.staff, &records.events)?);
    blocks.push(Block::Heading(3, "(3) 最終成果物".into()));
    blocks.push(match profile.deliverables.is_empty() {
        true => Block::Paragraph(UNWRITTEN.to_owned()),
        false => Block::Numbered(profile.deliverables.clone()),
    });

    blocks.push(Block::Heading(2, "7 効果検証実施結果".into()));
    blocks.push(Block::Heading(3, "(1) 効果検証実施方法".into()));
    for (i, goal) in records.goals.iter().enumerate() {
        method_blocks(&mut blocks, i, &goal.report);
    }
    blocks.push(Block::Heading(4, "学識経験者からの意見聴取".into()));
    blocks.extend(advice_blocks(&records.advice));
    blocks.push(Block::Heading(3, "(2) 効果検証結果".into()));
    for (i, goal) in records.goals.iter().enumerate() {
        let plan = &goal.report.plan;
        blocks.push(Block::Heading(4, format!("設定目標{}　{}", circled(i), plan.title.ja)));
        blocks.push(Block::Paragraph(period_verdict(&goal.rows(request))));
        let written = request
            .years()
            .into_iter()
            .filter_map(|year| goal.considerations.get(&year).map(String::as_str));
        blocks.push(match numbered_considerations(written) {
            points if points.is_empty() => Block::Paragraph("考察は未記入です。".into()),
            points => Block::Numbered(points),
        });
        evaluation::findings(connections, &mut blocks, request, plan, 5, false)?;
    }

    blocks.push(Block::Heading(
        2,
        "8 他の地方公共団体が事業を実施する上での参考事項".into(),
    ));
    blocks.push(staff_text_or_unwritten(profile.advice_for_others.as_ref()));

    let name = profile.name.as_deref().unwrap_or("地域再犯防止推進モデル事業");
    Ok(ProgrammeReport {
        document: Document {
            title: format!(
                "{name}成果報告書（{}〜{}）",
                fiscal_year_label(request.from),
                fiscal_year_label(request.to)
            ),
            blocks,
        },
        tables,
    })
}

/// The table as a block of the report, kept as a sheet of the workbook too.
fn table(tables: &mut Vec<NamedTable>, name: String, (headers, rows): TableRows) -> Block {
    tables.push(NamedTable {
        name,
        headers: headers.clone(),
        rows: rows.clone(),
    });
    Block::Table { headers, rows }
}

/// 【開催状況】 of a goal's kinds: each series summarised with its cancelled sessions, then the
/// single events one per line under their kind.
fn held_blocks(records: &Records, kinds: &[EventKind]) -> Vec<Block> {
    let mut blocks = Vec::new();
    for kind in kinds {
        // Events come in date order, so each series is listed from its first session.
        let mut series: Vec<(uuid::Uuid, Vec<&EventRecord>)> = Vec::new();
        let mut singles = Vec::new();
        for event in records.events.iter().filter(|e| e.kind == kind.as_str()) {
            match event.series_id {
                Some(id) => match series.iter_mut().find(|(known, _)| *known == id) {
                    Some((_, events)) => events.push(event),
                    None => series.push((id, vec![event])),
                },
                None => singles.push(event),
            }
        }
        for (id, events) in &series {
            let rule = records.series_rules.get(id).map(String::as_str);
            blocks.extend(series_lines(events, rule).into_iter().map(Block::Paragraph));
        }
        if !singles.is_empty() {
            blocks.push(Block::Paragraph(format!("[{}]", kind.names().0)));
            blocks.extend(singles.iter().map(|event| Block::Paragraph(event_line(event))));
        }
    }
    if blocks.is_empty() {
        blocks.push(Block::Paragraph("この期間の開催記録はありません。".into()));
    }
    blocks
}

/// What the data counts beside staff's words: training held for professionals and the waves of
/// the agency survey.
fn other_outcome_counts(events: &[EventRecord]) -> Vec<Block> {
    let held = |kind: EventKind| -> Vec<&EventRecord> {
        events
            .iter()
            .filter(|e| e.kind == kind.as_str() && e.cancelled_at.is_none())
            .collect()
    };
    let mut lines = Vec::new();
    for kind in [EventKind::StudySession, EventKind::Supervision] {
        let sessions = held(kind);
        if !sessions.is_empty() {
            let attendance: i64 = sessions.iter().filter_map(|e| e.headcount).map(i64::from).sum();
            lines.push(format!(
                "{}：{}回開催、延べ{attendance}人が参加。",
                kind.names().0,
                sessions.len()
            ));
        }
    }
    for wave in held(EventKind::AgencySurvey) {
        lines.push(format!(
            "{}（{}から実施）：回答{}件。",
            wave.title,
            short_date(wave.held_on),
            wave.response_count
        ));
    }
    lines.into_iter().map(Block::Paragraph).collect()
}

/// For each form the agency survey asked in two waves or more within the period: which of its
/// closed questions were answered differently between the waves, by the wave comparison's test.
fn wave_changes(
    connections: &mut impl Connections,
    staff: Staff,
    events: &[EventRecord],
) -> Result<Vec<Block>, AnalysesError> {
    let mut waves_by_form: BTreeMap<&str, Vec<uuid::Uuid>> = BTreeMap::new();
    for wave in events
        .iter()
        .filter(|e| e.kind == EventKind::AgencySurvey.as_str() && e.cancelled_at.is_none())
    {
        waves_by_form.entry(&wave.form).or_default().push(wave.id);
    }
    let mut blocks = Vec::new();
    for (form, waves) in waves_by_form.into_iter().filter(|(_, waves)| waves.len() > 1) {
        let stored = connections.with(|conn| db::forms::latest(conn, form))?;
        let mut compared = 0;
        let mut changed = Vec::new();
        for question in stored.definition.questions.iter().filter(|q| {
            matches!(
                q.kind,
                QuestionKind::SingleChoice { .. } | QuestionKind::Agency { .. } | QuestionKind::Scale { .. }
            )
        }) {
            let comparison = WaveComparison {
                staff,
                form: form.to_owned(),
                question: question.id.clone(),
                waves: waves.clone(),
                by: None,
                min_cell: 0,
            };
            let Some(test) = services::waves::compare(connections, &comparison)?.overall.table.test else {
                continue;
            };
            compared += 1;
            if test.p_value < SIGNIFICANCE {
                changed.push(format!(
                    "{}（{}: χ² = {:.2}, 自由度 {}, {}）",
                    question.label.ja,
                    test_method_text(&test, Lang::Ja),
                    test.statistic,
                    test.df,
                    p_value_text(test.p_value)
                ));
            }
        }
        blocks.push(Block::Paragraph(format!(
            "{}：{}回の調査を比べ、検定できた{compared}問のうち{}問で回答の分布が変わった（有意水準{}%）。",
            stored.definition.title.ja,
            waves.len(),
            changed.len(),
            SIGNIFICANCE * 100.0
        )));
        if !changed.is_empty() {
            blocks.push(Block::Numbered(changed));
        }
    }
    Ok(blocks)
}

/// 効果検証実施方法 of one goal: its indicators and the plan's texts for ア, イ and ウ.
fn method_blocks(blocks: &mut Vec<Block>, index: usize, report: &PlanReport) {
    let plan = &report.plan;
    blocks.push(Block::Heading(
        4,
        format!("設定目標{}　{}", circled(index), plan.title.ja),
    ));
    blocks.push(Block::Paragraph(format!(
        "活動指標：{}の参加者数（延べ人数）",
        plan.title.ja
    )));
    blocks.push(Block::Paragraph(format!(
        "成果指標：想定対象者{}人に対する参加者数の割合",
        plan.assumed_population
    )));
    let texts = &plan.texts;
    for (label, text) in [
        ("ア 周知・広報", &texts.method_publicity),
        ("イ アンケートの集計と意見", &texts.method_questionnaires),
        ("ウ 参加を増やす要因・妨げる要因", &texts.method_drivers),
    ] {
        blocks.push(Block::Paragraph(format!("{label}：")));
        blocks.push(staff_text_or_unwritten(text.as_ref()));
    }
}

/// The experts' notes, per meeting.
fn advice_blocks(advice: &[(NaiveDate, String, String)]) -> Vec<Block> {
    if advice.is_empty() {
        return vec![Block::Paragraph("記録がありません。".into())];
    }
    let mut blocks = Vec::new();
    let mut meetings: Vec<((NaiveDate, &str), Vec<String>)> = Vec::new();
    for (date, title, text) in advice {
        match meetings.last_mut() {
            Some((meeting, notes)) if *meeting == (*date, title.as_str()) => notes.push(text.clone()),
            _ => meetings.push(((*date, title), vec![text.clone()])),
        }
    }
    for ((date, title), notes) in meetings {
        blocks.push(Block::Paragraph(format!("{} {title}", short_date(date))));
        blocks.push(Block::Quotes(notes));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_are_numbered_in_circles() {
        assert_eq!(circled(0), "①");
        assert_eq!(circled(2), "③");
        assert_eq!(circled(19), "⑳");
        assert_eq!(circled(20), "(21)");
    }
}
