//! What a comparison of events asks: which events (a kind, a fiscal year) and, for attendance,
//! what to group them by.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::openapi::schema::Object;
use utoipa::IntoParams;

use super::era::fiscal_year_label;
use super::event::{any_kind, EventKind};
use super::fiscal_year::FiscalYear;
use super::lang::Localized;
use super::query_params::QueryParams;
use super::response_filter::{fiscal_year_param, kind_param};
use super::validation::ValidationError;
use super::vocabulary::{one_of, Vocabulary, CHANNELS, FORMATS, SPEAKER_TYPES};

/// Which events are compared: held and not cancelled, of a kind and a fiscal year if given.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScopeParams {
    #[param(schema_with = any_kind)]
    kind: Option<String>,
    /// The year the fiscal year starts, e.g. 2019 for 令和元年度.
    #[param(value_type = Option<i32>)]
    fiscal_year: Option<String>,
}

/// What events are grouped by.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttendanceParams {
    /// `format` when left out.
    #[param(schema_with = groupings)]
    by: Option<String>,
}

fn groupings() -> Object {
    one_of(AttendanceBy::ALL.map(AttendanceBy::id))
}

/// The events compared: held, not cancelled, of these kinds (any when empty) and within these
/// fiscal years (inclusive, any when unbounded).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventScope {
    pub kinds: Vec<EventKind>,
    pub from: Option<FiscalYear>,
    pub to: Option<FiscalYear>,
}

impl EventScope {
    /// `kind` and `fiscal_year`, each at most one, as the API takes them.
    pub fn parse(params: &mut QueryParams) -> Result<Self, ValidationError> {
        let given: ScopeParams = params.take()?;
        let year = fiscal_year_param("fiscal_year", given.fiscal_year.as_deref())?;
        Ok(Self {
            kinds: kind_param(given.kind.as_deref())?.into_iter().collect(),
            from: year,
            to: year,
        })
    }

    pub fn contains(&self, kind: EventKind, held_on: NaiveDate) -> bool {
        let year = FiscalYear::of(held_on);
        (self.kinds.is_empty() || self.kinds.contains(&kind))
            && self.from.is_none_or(|from| year >= from)
            && self.to.is_none_or(|to| year <= to)
    }

    /// The one kind asked for, if only one was.
    pub fn single_kind(&self) -> Option<EventKind> {
        match self.kinds.as_slice() {
            [kind] => Some(*kind),
            _ => None,
        }
    }

    /// The one fiscal year asked for, if only one was.
    pub fn single_year(&self) -> Option<FiscalYear> {
        self.from.filter(|from| Some(*from) == self.to)
    }

    /// As the API's answers echo it.
    pub fn to_json(&self) -> Value {
        json!({
            "kind": self.single_kind().map(EventKind::as_str),
            "fiscal_year": self.single_year().map(|year| year.0),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendanceBy {
    Format,
    SpeakerType,
    PublicityChannel,
    Month,
    Weekday,
    FiscalYear,
}

const MONTHS_JA: [&str; 12] = [
    "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS_JA: [&str; 7] = ["月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日"];
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

impl AttendanceBy {
    pub const ALL: [Self; 6] = [
        Self::Format,
        Self::SpeakerType,
        Self::PublicityChannel,
        Self::Month,
        Self::Weekday,
        Self::FiscalYear,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::Format => "format",
            Self::SpeakerType => "speaker_type",
            Self::PublicityChannel => "publicity_channel",
            Self::Month => "month",
            Self::Weekday => "weekday",
            Self::FiscalYear => "fiscal_year",
        }
    }

    /// `by`, `format` when absent.
    pub fn parse(params: &mut QueryParams) -> Result<Self, ValidationError> {
        let Some(by) = params.take::<AttendanceParams>()?.by else {
            return Ok(Self::Format);
        };
        Self::ALL.into_iter().find(|b| b.id() == by).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|b| b.id()).collect();
            ValidationError::new("by", "invalid_value", format!("by must be one of {}", names.join(", ")))
        })
    }

    /// Whether an event can be in several groups (several speakers, several channels).
    pub fn overlapping(self) -> bool {
        matches!(self, Self::SpeakerType | Self::PublicityChannel)
    }

    /// The closed list its groups come from, if it has one.
    pub fn vocabulary(self) -> Option<Vocabulary> {
        match self {
            Self::Format => Some(FORMATS),
            Self::SpeakerType => Some(SPEAKER_TYPES),
            Self::PublicityChannel => Some(CHANNELS),
            Self::Month | Self::Weekday | Self::FiscalYear => None,
        }
    }

    /// The group of an event held on `held_on`, for the groupings read from its date.
    pub fn date_key(self, held_on: NaiveDate) -> Option<String> {
        match self {
            Self::Month => Some(held_on.month().to_string()),
            Self::Weekday => Some(held_on.weekday().number_from_monday().to_string()),
            Self::FiscalYear => Some(FiscalYear::of(held_on).0.to_string()),
            Self::Format | Self::SpeakerType | Self::PublicityChannel => None,
        }
    }

    /// The groups in the order a reader expects (fiscal months from April, weeks from Monday,
    /// years ascending, lists in their own order), among `found`.
    pub fn ordered_keys(self, found: &[String]) -> Vec<String> {
        let all: Vec<String> = match (self.vocabulary(), self) {
            (Some(vocabulary), _) => vocabulary.terms().map(|t| t.id.to_owned()).collect(),
            (None, Self::Month) => (4..=12).chain(1..=3).map(|m| m.to_string()).collect(),
            (None, Self::Weekday) => (1..=7).map(|d| d.to_string()).collect(),
            (None, _) => {
                let mut years: Vec<i32> = found.iter().filter_map(|y| y.parse().ok()).collect();
                years.sort_unstable();
                years.dedup();
                years.iter().map(i32::to_string).collect()
            }
        };
        all.into_iter().filter(|key| found.contains(key)).collect()
    }

    /// How reports name group `key`.
    pub fn label(self, key: &str) -> Localized {
        let (ja, en) = match (self.vocabulary(), self) {
            (Some(vocabulary), _) => vocabulary
                .find(key)
                .map(|t| (t.ja.to_owned(), t.en.to_owned()))
                .unwrap_or_else(|| (key.to_owned(), key.to_owned())),
            (None, Self::Month) => named(key, &MONTHS_JA, &MONTHS_EN),
            (None, Self::Weekday) => named(key, &WEEKDAYS_JA, &WEEKDAYS_EN),
            (None, _) => match key.parse() {
                Ok(year) => (fiscal_year_label(FiscalYear(year)), format!("FY{year}")),
                Err(_) => (key.to_owned(), key.to_owned()),
            },
        };
        Localized { ja, en }
    }
}

/// The names of a month or weekday numbered from 1.
fn named(key: &str, ja: &[&str], en: &[&str]) -> (String, String) {
    let index = key
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .filter(|&i| i < ja.len());
    match index {
        Some(i) => (ja[i].to_owned(), en[i].to_owned()),
        None => (key.to_owned(), key.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_read_from_the_date_are_ordered_and_named_as_reports_do() {
        let held_on = NaiveDate::from_ymd_opt(2020, 2, 13).unwrap_or_default();
        assert_eq!(AttendanceBy::Month.date_key(held_on).as_deref(), Some("2"));
        assert_eq!(AttendanceBy::Weekday.date_key(held_on).as_deref(), Some("4"));
        assert_eq!(AttendanceBy::FiscalYear.date_key(held_on).as_deref(), Some("2019"));
        let found: Vec<String> = ["2", "4", "12"].map(String::from).to_vec();
        assert_eq!(AttendanceBy::Month.ordered_keys(&found), ["4", "12", "2"]);
        assert_eq!(AttendanceBy::Month.label("4").ja, "4月");
        assert_eq!(AttendanceBy::Weekday.label("4").en, "Thursday");
        assert_eq!(AttendanceBy::FiscalYear.label("2019").ja, "R1年度");
        assert_eq!(AttendanceBy::Format.label("free_talk").ja, "フリートーク");
    }
}
