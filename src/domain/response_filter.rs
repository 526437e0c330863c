//! Which responses an analysis or export covers, read from query parameters.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::openapi::schema::Object;
use utoipa::IntoParams;
use uuid::Uuid;

use super::event::{any_kind, EventKind};
use super::fiscal_year::FiscalYear;
use super::query_params::QueryParams;
use super::response_source::Source;
use super::validation::{date_text, invalid_value, ValidationError};
use super::vocabulary::one_of;

/// The parameter that chooses how responses were sent.
pub const SOURCE_PARAM: &str = "answered_via";

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResponseFilter {
    pub form: String,
    pub fiscal_year: Option<FiscalYear>,
    /// Responses to these events only (`event=` gives one; waves compared give several); all
    /// events when empty.
    pub events: Vec<Uuid>,
    pub kind: Option<EventKind>,
    /// Inclusive bounds on the date the event was held.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Responses sent this way only (the phone, a program, paper keyed in); all when `None`.
    pub source: Option<Source>,
}

/// Which responses an analysis reads. `form` is required; researchers may narrow only by
/// `fiscal_year` and `kind` (whole partitions), and only to settled fiscal years.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterParams {
    #[param(example = "seminar")]
    form: String,
    /// The year the fiscal year starts, e.g. 2019 for 令和元年度.
    #[param(value_type = Option<i32>)]
    fiscal_year: Option<String>,
    #[param(schema_with = any_kind)]
    kind: Option<String>,
    /// Staff only.
    #[param(value_type = Option<Uuid>)]
    event: Option<String>,
    /// Staff only.
    #[param(value_type = Option<NaiveDate>)]
    from: Option<String>,
    /// Staff only.
    #[param(value_type = Option<NaiveDate>)]
    to: Option<String>,
    /// Staff only: responses sent from the phone form, by a program, or keyed in from paper.
    #[param(schema_with = sources)]
    answered_via: Option<String>,
}

fn sources() -> Object {
    one_of(Source::ALL.map(Source::as_str))
}

/// A parameter naming a fiscal year by the year it starts (`fiscal_year`, `from_fiscal_year`).
pub fn fiscal_year_text(field: &str, text: &str) -> Result<FiscalYear, ValidationError> {
    FiscalYear::parse(text).ok_or_else(|| {
        ValidationError::new(
            field,
            "invalid_value",
            format!("{field} is the year it starts, e.g. 2019"),
        )
    })
}

/// The same, if given.
pub fn fiscal_year_param(field: &str, given: Option<&str>) -> Result<Option<FiscalYear>, ValidationError> {
    given.map(|year| fiscal_year_text(field, year)).transpose()
}

/// `kind`, a kind of event.
pub fn kind_param(given: Option<&str>) -> Result<Option<EventKind>, ValidationError> {
    given
        .map(|kind| {
            EventKind::parse(kind)
                .ok_or_else(|| ValidationError::new("kind", "invalid_value", format!("unknown event kind {kind:?}")))
        })
        .transpose()
}

impl ResponseFilter {
    pub fn parse(params: &mut QueryParams) -> Result<Self, ValidationError> {
        let given: FilterParams = params.take()?;
        let date = |field: &'static str, text: Option<String>| {
            text.map(|text| date_text(&text).map_err(invalid_value(field)))
                .transpose()
        };
        let from = date("from", given.from)?;
        let to = date("to", given.to)?;
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                return Err(ValidationError::new("to", "invalid_value", "to is before from"));
            }
        }
        let event = given
            .event
            .map(|id| {
                Uuid::parse_str(&id)
                    .map_err(|_| ValidationError::new("event", "invalid_value", "must be a UUID string"))
            })
            .transpose()?;
        // Not `source`: the opinions' `source` already chooses answers or meeting notes.
        let source = given
            .answered_via
            .map(|text| {
                Source::parse(&text).ok_or_else(|| {
                    ValidationError::new(
                        SOURCE_PARAM,
                        "invalid_value",
                        "answered_via must be phone, api or paper",
                    )
                })
            })
            .transpose()?;
        Ok(Self {
            form: given.form,
            fiscal_year: fiscal_year_param("fiscal_year", given.fiscal_year.as_deref())?,
            events: event.into_iter().collect(),
            kind: kind_param(given.kind.as_deref())?,
            from,
            to,
            source,
        })
    }

    pub fn to_json(&self) -> Value {
        json!({
            "form": self.form,
            "fiscal_year": self.fiscal_year.map(|y| y.0),
            // One event, as `event=` chose; comparisons of several name them themselves.
            "event": match self.events.as_slice() {
                [event] => Some(event),
                _ => None,
            },
            "kind": self.kind.map(EventKind::as_str),
            "from": self.from,
            "to": self.to,
            SOURCE_PARAM: self.source.map(Source::as_str),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> QueryParams {
        QueryParams::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn every_filter_is_read() {
        let mut query = params(&[
            ("form", "seminar"),
            ("fiscal_year", "2019"),
            ("kind", "seminar"),
            ("from", "2019-05-01"),
            ("to", "2019-06-30"),
            ("answered_via", "paper"),
        ]);
        let filter = ResponseFilter::parse(&mut query).unwrap();
        query.finish().unwrap();
        assert_eq!(filter.source, Some(Source::Paper));
        assert_eq!(filter.to_json()["answered_via"], "paper");
        assert_eq!(filter.fiscal_year, Some(FiscalYear(2019)));
        assert_eq!(filter.kind, Some(EventKind::Seminar));
        assert_eq!(filter.to_json()["from"], "2019-05-01");
    }

    #[test]
    fn bad_filters_name_their_parameter() {
        let field_of = |pairs: &[(&str, &str)]| {
            let mut query = params(pairs);
            ResponseFilter::parse(&mut query)
                .and_then(|_| query.finish())
                .unwrap_err()
                .field
        };
        assert_eq!(field_of(&[]), "form");
        assert_eq!(field_of(&[("form", "seminar"), ("fiscal_year", "R1")]), "fiscal_year");
        assert_eq!(field_of(&[("form", "seminar"), ("event", "42")]), "event");
        assert_eq!(
            field_of(&[("form", "seminar"), ("from", "2019-07-01"), ("to", "2019-06-01")]),
            "to"
        );
        assert_eq!(field_of(&[("form", "seminar"), ("colour", "red")]), "colour");
        assert_eq!(
            field_of(&[("form", "seminar"), ("answered_via", "fax")]),
            "answered_via"
        );
    }
}
