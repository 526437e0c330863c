//! A wave of a survey that is not an event people attend (the survey of local agencies, repeated
//! to see what changed): a form, a title, a fiscal year and the days it takes answers. It is kept
//! as an event of kind `agency_survey`, so it has a public link, a QR code and a phone form, and
//! is never counted as attendance.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use uuid::Uuid;

use super::analysis_request::{min_cell_for, BreakdownRequest, ThresholdParams};
use super::clock;
use super::event::{EventKind, EventTemplate, NewEvent};
use super::event_column::EventColumn;
use super::event_profile::EventProfile;
use super::fiscal_year::FiscalYear;
use super::query_params::QueryParams;
use super::response_filter::ResponseFilter;
use super::token::Staff;
use super::validation::{date_text, field_text, from_json, invalid_value, ValidationError};

const MAX_TITLE_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub struct NewWave {
    pub fiscal_year: FiscalYear,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// The event it is kept as: held on the day it opens, closing at the end of its last day.
    pub event: NewEvent,
}

/// A wave as `POST /survey-waves` takes it, and the dashboard's form is read into.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWaveBody {
    #[schema(max_length = 64)]
    pub form: String,
    #[schema(max_length = 200)]
    pub title: String,
    #[schema(max_length = 200)]
    pub title_en: Option<String>,
    /// The year the fiscal year starts; the wave opens within it.
    pub fiscal_year: i64,
    #[schema(format = Date)]
    pub opens_on: String,
    /// Answers are taken until the end of this day in the service's time zone
    /// (`TSUNAGARI_TIME_ZONE`, Japan's by default).
    #[schema(format = Date)]
    pub closes_on: String,
}

impl NewWave {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let body: NewWaveBody = from_json(body)?;
        let form = field_text("form", &body.form, 64)?;
        let title = field_text("title", &body.title, MAX_TITLE_CHARS)?;
        let title_en = body
            .title_en
            .as_deref()
            .map(|en| field_text("title_en", en, MAX_TITLE_CHARS))
            .transpose()?;
        let fiscal_year = i32::try_from(body.fiscal_year)
            .ok()
            .and_then(|year| FiscalYear::parse(&year.to_string()))
            .ok_or_else(|| invalid_value("fiscal_year")("must be the year the fiscal year starts, e.g. 2018".into()))?;
        let opens_on = date_text(&body.opens_on).map_err(invalid_value("opens_on"))?;
        let closes_on = date_text(&body.closes_on).map_err(invalid_value("closes_on"))?;
        if FiscalYear::of(opens_on) != fiscal_year {
            return Err(ValidationError::new(
                "opens_on",
                "invalid_value",
                format!(
                    "a wave of fiscal year {} opens between {} and {}",
                    fiscal_year.0,
                    fiscal_year.first_day(),
                    fiscal_year.last_day()
                ),
            ));
        }
        if closes_on < opens_on {
            return Err(ValidationError::new(
                "closes_on",
                "invalid_value",
                "closes_on is before opens_on",
            ));
        }
        let end_of_last_day = Some(clock::start_of(closes_on + Duration::days(1)));
        Ok(Self {
            fiscal_year,
            opens_on,
            closes_on,
            event: NewEvent {
                template: EventTemplate {
                    kind: EventKind::AgencySurvey,
                    title,
                    theme: None,
                    venue: None,
                    title_en,
                    venue_en: None,
                    form,
                    profile: EventProfile::default(),
                },
                held_on: opens_on,
                headcount: None,
                closes_at: end_of_last_day,
            },
        })
    }
}

/// Most waves one comparison puts side by side.
const MAX_WAVES_COMPARED: usize = 10;

/// The waves compared and the question compared in them.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WaveParams {
    #[param(example = "agency_survey")]
    form: String,
    /// A closed question of the form.
    question: String,
    /// 2 to 10 wave ids, comma-separated.
    waves: String,
    /// A single-choice question to break each wave down by, e.g. `agency_kind`.
    by: Option<String>,
}

/// The same question in several waves side by side, optionally by one attribute as well.
#[derive(Debug, Clone, PartialEq)]
pub struct WaveComparison {
    pub staff: Staff,
    pub form: String,
    pub question: String,
    pub waves: Vec<Uuid>,
    pub by: Option<String>,
    pub min_cell: u64,
}

impl WaveComparison {
    pub fn parse(params: &mut QueryParams, staff: Staff, server_min_cell: u64) -> Result<Self, ValidationError> {
        let WaveParams {
            form,
            question,
            waves: wave_ids,
            by,
        } = params.take()?;
        let invalid_waves = || {
            ValidationError::new(
                "waves",
                "invalid_value",
                format!("waves is 2 to {MAX_WAVES_COMPARED} distinct wave ids, comma-separated"),
            )
        };
        let mut waves = Vec::new();
        for id in wave_ids.split(',') {
            let id = Uuid::parse_str(id.trim()).map_err(|_| invalid_waves())?;
            if waves.contains(&id) {
                return Err(invalid_waves());
            }
            waves.push(id);
        }
        if !(2..=MAX_WAVES_COMPARED).contains(&waves.len()) {
            return Err(invalid_waves());
        }
        let min_cell = min_cell_for(
            staff.role(),
            params.take::<ThresholdParams>()?.min_cell,
            server_min_cell,
            0,
        )?;
        Ok(Self {
            staff,
            form,
            question,
            waves,
            by,
            min_cell,
        })
    }

    /// The breakdown of the question over the waves' responses, by wave and then `by`.
    pub fn breakdown(&self, with_by: bool) -> BreakdownRequest {
        let mut by = vec![EventColumn::Event.id().to_owned()];
        by.extend(self.by.iter().filter(|_| with_by).cloned());
        BreakdownRequest {
            staff: self.staff,
            filter: ResponseFilter {
                form: self.form.clone(),
                events: self.waves.clone(),
                ..ResponseFilter::default()
            },
            question: self.question.clone(),
            by,
            min_cell: self.min_cell,
        }
    }
}

/// The last day, where the programme runs, a wave closing at `closes_at` takes answers.
pub fn last_day(closes_at: DateTime<Utc>) -> NaiveDate {
    clock::local_date(closes_at - Duration::seconds(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn wave(opens_on: &str, closes_on: &str) -> Result<NewWave, ValidationError> {
        NewWave::parse(json!({
            "form": "agency_survey", "title": "関係機関実態調査", "fiscal_year": 2018,
            "opens_on": opens_on, "closes_on": closes_on,
        }))
    }

    #[test]
    fn a_wave_takes_answers_until_the_end_of_its_last_day_in_japan() {
        let wave = wave("2018-06-01", "2018-06-30").unwrap();
        assert_eq!(wave.event.template.kind, EventKind::AgencySurvey);
        assert_eq!(wave.event.held_on, wave.opens_on);
        let closes = wave.event.closes_at.unwrap();
        assert_eq!(closes.to_rfc3339(), "2018-06-30T15:00:00+00:00");
        assert_eq!(last_day(closes), wave.closes_on);
    }

    #[test]
    fn a_wave_opens_within_its_fiscal_year_and_closes_after_it_opens() {
        assert_eq!(wave("2019-04-01", "2019-04-30").unwrap_err().field, "opens_on");
        assert_eq!(wave("2018-06-30", "2018-06-01").unwrap_err().field, "closes_on");
        assert!(
            wave("2019-03-01", "2019-04-30").is_ok(),
            "it may close in the next year"
        );
    }
}
