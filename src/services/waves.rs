//! The agency survey repeated: the same question in each wave side by side, with the test of
//! whether answers changed (chi-square, or an exact or Monte-Carlo test, on wave x option for
//! choices; Mann-Whitney or Kruskal-Wallis for scales), by an attribute such as the agency's
//! kind as well.

use analysis::ranks::{compare_tallies, RankTest};
use analysis::spec::QuestionType;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::db::events::EventRecord;
use crate::db::{self, Connections};
use crate::domain::era::fiscal_year_label;
use crate::domain::event::EventKind;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::survey_wave::{last_day, NewWave, WaveComparison};
use crate::domain::validation::ValidationError;
use crate::services::analyses::{self, AnalysesError, BreakdownResult, Tabulation};

/// Opens a wave (kept as an event of kind `agency_survey`); an unknown form is the caller's mistake.
pub fn create(
    conn: &mut diesel::PgConnection,
    wave: &NewWave,
) -> Result<Result<EventRecord, ValidationError>, db::DbError> {
    crate::services::event_creation::create_event(conn, &wave.event)
}

/// Every wave, oldest first.
pub fn list(conn: &mut diesel::PgConnection) -> Result<Vec<EventRecord>, db::DbError> {
    let filter = db::events::EventFilter {
        kind: Some(EventKind::AgencySurvey),
        ..db::events::EventFilter::default()
    };
    db::events::list(conn, &filter)
}

/// Stops wave `id` taking answers now, before its last day; one closed already keeps the day it
/// closed (a missing wave is not found).
pub fn close_now(conn: &mut diesel::PgConnection, id: Uuid) -> Result<EventRecord, db::DbError> {
    let now = chrono::Utc::now();
    let wave = db::events::find(conn, id)?;
    if wave.closes_at.is_some_and(|closes_at| closes_at <= now) {
        return Ok(wave);
    }
    let changes = crate::domain::event::EventChanges {
        closes_at: Some(Some(now)),
        ..Default::default()
    };
    crate::services::event_editing::update(conn, id, &changes)
}

pub struct WaveResult {
    pub waves: Vec<EventRecord>,
    pub overall: BreakdownResult,
    /// For scales: whether answers moved, by ranks.
    pub rank_test: Option<RankTest>,
    pub by: Option<BreakdownResult>,
}

pub fn compare(connections: &mut impl Connections, request: &WaveComparison) -> Result<WaveResult, AnalysesError> {
    let waves = waves_of(connections, request)?;
    let overall = analyses::breakdown(connections, &request.breakdown(false), Tabulation::Breakdown)?;
    let rank_test = match overall.table.question_type {
        QuestionType::Scale => compare_tallies(&tallies(&overall)),
        _ => None,
    };
    let by = match request.by {
        Some(_) => Some(analyses::breakdown(
            connections,
            &request.breakdown(true),
            Tabulation::Breakdown,
        )?),
        None => None,
    };
    Ok(WaveResult {
        waves,
        overall,
        rank_test,
        by,
    })
}

/// The waves asked for, oldest first; each must be a wave of the form compared.
fn waves_of(connections: &mut impl Connections, request: &WaveComparison) -> Result<Vec<EventRecord>, AnalysesError> {
    let mut waves = Vec::with_capacity(request.waves.len());
    for &id in &request.waves {
        let found = connections.with(|conn| match db::events::find(conn, id) {
            Ok(event) => Ok(Some(event)),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error),
        })?;
        match found {
            Some(event) if event.kind == EventKind::AgencySurvey.as_str() && event.form == request.form => {
                waves.push(event)
            }
            _ => return Err(not_a_wave(id, &request.form).into()),
        }
    }
    waves.sort_by_key(|wave| wave.held_on);
    Ok(waves)
}

fn not_a_wave(id: Uuid, form: &str) -> ValidationError {
    ValidationError::new(
        "waves",
        "invalid_value",
        format!("{id} is not a survey wave of form {form}"),
    )
}

/// Each wave's counts per point of the scale, as shown (suppressed counts left out).
fn tallies(result: &BreakdownResult) -> Vec<Vec<(f64, u64)>> {
    result
        .table
        .groups
        .iter()
        .filter_map(|group| group.cell.counts.as_ref())
        .map(|counts| {
            counts
                .iter()
                .filter_map(|(point, n)| Some((point.parse().ok()?, (*n)?)))
                .collect()
        })
        .collect()
}

impl WaveResult {
    pub fn to_json(&self) -> Value {
        let waves: Vec<Value> = self
            .waves
            .iter()
            .map(|wave| {
                let year = FiscalYear::of(wave.held_on);
                json!({
                    "id": wave.id,
                    "title": wave.title,
                    "fiscal_year": year.0,
                    "fiscal_year_label": fiscal_year_label(year),
                    "opens_on": wave.held_on,
                    "closes_on": wave.closes_at.map_or(wave.held_on, last_day),
                    "responses": wave.response_count,
                })
            })
            .collect();
        json!({
            "waves": waves,
            "overall": self.overall.to_json(),
            "change": {
                "independence": self.overall.table.test,
                "ranks": self.rank_test,
            },
            "by": self.by.as_ref().map(BreakdownResult::to_json),
        })
    }
}
