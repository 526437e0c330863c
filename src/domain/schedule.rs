//! Recurring schedules: the events of an iCalendar RRULE between two dates, such as the seminars
//! held on the second and fourth Thursday of every month (`FREQ=MONTHLY;BYDAY=2TH,4TH`).

use chrono::{NaiveDate, Weekday};
use rrule::RRuleSet;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::event::{attended_kind, EventTemplate, NewEvent, NewEventBody};
use super::event_profile::{formats, CostsBody, SpeakerBody};
use super::validation::{date_text, field_text, from_json, invalid_value, ValidationError};

/// Twice a month for ten years is 240; more than this is a typo in the rule, not a programme.
pub const MAX_EVENTS_PER_SERIES: usize = 400;
const MAX_RULE_CHARS: usize = 300;
/// Longest period a series covers: a programme plans a few fiscal years at a time, and a rule
/// whose filters seldom match is walked day by day over the whole period.
const MAX_SERIES_DAYS: i64 = 5 * 366;

/// A schedule picked without writing iCalendar: every week on a weekday, or on some of that
/// weekday's occurrences in each month (the 2nd and 4th Thursday).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repeat {
    Weekly(Weekday),
    /// Which occurrences: 1 to 5, or -1 for the last.
    Monthly(Weekday, Vec<i8>),
}

/// Weekdays as iCalendar names them, Monday first.
pub const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// A weekday's iCalendar code (`TH`).
pub fn weekday_code(day: Weekday) -> &'static str {
    ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day.num_days_from_monday() as usize]
}

impl Repeat {
    /// The iCalendar RRULE; `None` for a monthly schedule without any occurrence picked.
    pub fn rrule(&self) -> Option<String> {
        match self {
            Self::Weekly(day) => Some(format!("FREQ=WEEKLY;BYDAY={}", weekday_code(*day))),
            Self::Monthly(_, nths) if nths.is_empty() => None,
            Self::Monthly(day, nths) => {
                let days: Vec<String> = nths.iter().map(|n| format!("{n}{}", weekday_code(*day))).collect();
                Some(format!("FREQ=MONTHLY;BYDAY={}", days.join(",")))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewSeries {
    pub template: EventTemplate,
    pub rrule: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Dates of the schedule on which no event is created (a holiday, a closed venue).
    pub skipped: Vec<NaiveDate>,
}

/// A series as `POST /event-series` takes it: an event's fields but its date, and the schedule.
/// The fields are spelled out again because serde cannot refuse unknown fields through
/// `flatten`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSeriesBody {
    #[schema(schema_with = attended_kind)]
    pub kind: String,
    #[schema(max_length = 200)]
    pub title: String,
    #[schema(max_length = 200)]
    pub theme: Option<String>,
    #[schema(max_length = 200)]
    pub venue: Option<String>,
    #[schema(max_length = 200)]
    pub title_en: Option<String>,
    #[schema(max_length = 200)]
    pub venue_en: Option<String>,
    #[schema(schema_with = formats)]
    pub format: Option<String>,
    #[schema(max_items = 20)]
    pub speakers: Option<Vec<SpeakerBody>>,
    pub costs: Option<CostsBody>,
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    #[schema(max_length = 64)]
    pub form: Option<String>,
    /// An iCalendar RRULE, e.g. `FREQ=MONTHLY;BYDAY=2TH,4TH`.
    #[schema(max_length = 300)]
    pub rrule: String,
    #[schema(format = Date)]
    pub starts_on: String,
    #[schema(format = Date)]
    pub ends_on: String,
    /// Dates the rule gives that are not held.
    pub skip: Option<Vec<String>>,
}

impl NewSeries {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let body: NewSeriesBody = from_json(body)?;
        let day = |field: &'static str, text: &str| date_text(text).map_err(invalid_value(field));
        let starts_on = day("starts_on", &body.starts_on)?;
        let ends_on = day("ends_on", &body.ends_on)?;
        let skipped = body
            .skip
            .unwrap_or_default()
            .iter()
            .map(|text| day("skip", text))
            .collect::<Result<Vec<_>, _>>()?;
        let rrule = field_text("rrule", &body.rrule, MAX_RULE_CHARS)?;
        // The event's own checks, on a stand-in for each event of the series.
        let template = NewEvent::from_body(NewEventBody {
            kind: body.kind,
            title: body.title,
            theme: body.theme,
            venue: body.venue,
            title_en: body.title_en,
            venue_en: body.venue_en,
            format: body.format,
            speakers: body.speakers,
            costs: body.costs,
            notes: body.notes,
            form: body.form,
            held_on: body.starts_on,
            headcount: None,
            closes_at: None,
        })?
        .template;
        let series = Self {
            template,
            rrule,
            starts_on,
            ends_on,
            skipped,
        };
        if series.ends_on < series.starts_on {
            return Err(ValidationError::new(
                "ends_on",
                "invalid_value",
                "ends_on is before starts_on",
            ));
        }
        if (series.ends_on - series.starts_on).num_days() > MAX_SERIES_DAYS {
            return Err(ValidationError::new(
                "ends_on",
                "invalid_value",
                "a series covers at most five years; create the next one later",
            ));
        }
        Ok(series)
    }

    /// The dates events are held on: the rule's occurrences from `starts_on` to `ends_on`
    /// inclusive, less the skipped ones.
    pub fn dates(&self) -> Result<Vec<NaiveDate>, ValidationError> {
        let occurrences = occurrences(&self.rrule, self.starts_on, self.ends_on)?;
        if let Some(stray) = self.skipped.iter().find(|day| !occurrences.contains(day)) {
            return Err(ValidationError::new(
                "skip",
                "invalid_value",
                format!("{stray} is not a date of this schedule"),
            ));
        }
        let dates: Vec<NaiveDate> = occurrences
            .into_iter()
            .filter(|day| !self.skipped.contains(day))
            .collect();
        if dates.is_empty() {
            return Err(ValidationError::new(
                "rrule",
                "empty_schedule",
                "the schedule has no dates in this period",
            ));
        }
        Ok(dates)
    }
}

fn occurrences(rule: &str, starts_on: NaiveDate, ends_on: NaiveDate) -> Result<Vec<NaiveDate>, ValidationError> {
    let invalid = |message: String| ValidationError::new("rrule", "invalid_value", message);
    // The start comes from starts_on; letting the rule carry its own would make two starts.
    if rule.contains(['\n', '\r', ':']) || rule.to_ascii_uppercase().contains("DTSTART") {
        return Err(invalid(
            "give only the rule itself, such as FREQ=MONTHLY;BYDAY=2TH,4TH".into(),
        ));
    }
    // Events are held on days: a rule that repeats by the hour or faster would be walked second
    // by second to find them.
    let upper = rule.to_ascii_uppercase();
    if ["SECONDLY", "MINUTELY", "HOURLY"]
        .iter()
        .any(|freq| upper.contains(freq))
    {
        return Err(invalid(
            "events repeat daily at most: use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY".into(),
        ));
    }
    let text = format!(
        "DTSTART:{}T000000Z\nRRULE:{}",
        starts_on.format("%Y%m%d"),
        rule.to_ascii_uppercase()
    );
    let set: RRuleSet = text
        .parse()
        .map_err(|error| invalid(format!("not a valid RRULE: {error}")))?;
    let dates: Vec<NaiveDate> = set
        .into_iter()
        .map(|occurrence| occurrence.date_naive())
        .take_while(|day| *day <= ends_on)
        .take(MAX_EVENTS_PER_SERIES + 1)
        .collect();
    if dates.len() > MAX_EVENTS_PER_SERIES {
        return Err(invalid(format!(
            "the schedule makes more than {MAX_EVENTS_PER_SERIES} events; check the rule and the dates"
        )));
    }
    Ok(dates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picked_schedules_become_rules() {
        assert_eq!(
            Repeat::Monthly(Weekday::Thu, vec![2, 4]).rrule().as_deref(),
            Some("FREQ=MONTHLY;BYDAY=2TH,4TH")
        );
        assert_eq!(
            Repeat::Monthly(Weekday::Sat, vec![-1]).rrule().as_deref(),
            Some("FREQ=MONTHLY;BYDAY=-1SA")
        );
        assert_eq!(
            Repeat::Weekly(Weekday::Mon).rrule().as_deref(),
            Some("FREQ=WEEKLY;BYDAY=MO")
        );
        assert_eq!(Repeat::Monthly(Weekday::Thu, vec![]).rrule(), None);
    }
    use serde_json::json;

    fn series(extra: Value) -> Result<NewSeries, ValidationError> {
        let mut body = json!({"kind": "seminar", "title": "回復セミナー", "rrule": "FREQ=MONTHLY;BYDAY=2TH,4TH",
                              "starts_on": "2026-04-01", "ends_on": "2026-06-30"});
        if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
            body.extend(extra);
        }
        NewSeries::parse(body)
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn second_and_fourth_thursdays() {
        let dates = series(json!({})).unwrap().dates().unwrap();
        let expected = [
            "2026-04-09",
            "2026-04-23",
            "2026-05-14",
            "2026-05-28",
            "2026-06-11",
            "2026-06-25",
        ];
        assert_eq!(dates, expected.map(day));
    }

    #[test]
    fn both_ends_are_inclusive() {
        let dates = series(json!({"starts_on": "2026-04-09", "ends_on": "2026-04-23"}))
            .unwrap()
            .dates()
            .unwrap();
        assert_eq!(dates, [day("2026-04-09"), day("2026-04-23")]);
    }

    #[test]
    fn skipped_dates_are_left_out_and_must_belong_to_the_schedule() {
        let dates = series(json!({"skip": ["2026-05-14"]})).unwrap().dates().unwrap();
        assert_eq!(dates.len(), 5);
        assert!(!dates.contains(&day("2026-05-14")));
        let error = series(json!({"skip": ["2026-05-15"]})).unwrap().dates().unwrap_err();
        assert_eq!(error.field, "skip");
    }

    #[test]
    fn bad_schedules_are_refused_with_their_field() {
        assert_eq!(
            series(json!({"rrule": "FREQ=SOMETIMES"}))
                .unwrap()
                .dates()
                .unwrap_err()
                .field,
            "rrule"
        );
        assert_eq!(
            series(json!({"rrule": "DTSTART:20260101T000000Z"}))
                .unwrap()
                .dates()
                .unwrap_err()
                .field,
            "rrule"
        );
        assert_eq!(series(json!({"ends_on": "2026-03-01"})).unwrap_err().field, "ends_on");
        assert_eq!(series(json!({"skip": "2026-05-14"})).unwrap_err().field, "skip");
        let daily_for_years = series(json!({"rrule": "FREQ=DAILY", "ends_on": "2030-01-01"})).unwrap();
        assert_eq!(daily_for_years.dates().unwrap_err().field, "rrule");
        let none = series(json!({"rrule": "FREQ=YEARLY;BYMONTH=2", "ends_on": "2026-05-01"})).unwrap();
        assert_eq!(none.dates().unwrap_err().code, "empty_schedule");
    }

    #[test]
    fn rules_faster_than_daily_and_periods_over_five_years_are_refused() {
        for rule in ["FREQ=SECONDLY", "FREQ=minutely;BYDAY=TH", "FREQ=HOURLY;BYMONTH=2"] {
            let faster = series(json!({"rrule": rule, "ends_on": "2026-12-31"})).unwrap();
            assert_eq!(faster.dates().unwrap_err().field, "rrule", "{rule}");
        }
        let century = series(json!({"rrule": "FREQ=YEARLY", "ends_on": "2126-04-01"}));
        assert_eq!(century.unwrap_err().field, "ends_on");
        let five_years = series(json!({"rrule": "FREQ=YEARLY", "ends_on": "2031-04-01"}));
        assert!(five_years.is_ok());
    }
}
