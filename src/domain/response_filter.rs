//! Which responses an analysis or export covers, read from query parameters.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::event::EventKind;
use super::fiscal_year::FiscalYear;
use super::response_source::Source;
use super::validation::{Fields, ValidationError};

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

/// Query parameters taken one by one, with errors naming the parameter; `finish` rejects any
/// parameter nobody took, so a misspelt filter is an error rather than silently ignored.
pub struct QueryParams(Fields);

impl QueryParams {
    pub fn new(params: HashMap<String, String>) -> Self {
        let map: Map<String, Value> = params.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
        Self(Fields::from_map(map))
    }

    pub fn fields(&mut self) -> &mut Fields {
        &mut self.0
    }

    pub fn text(&mut self, name: &str) -> Result<Option<String>, ValidationError> {
        Ok(self.0.text(name, 200)?.optional())
    }

    pub fn required_text(&mut self, name: &str) -> Result<String, ValidationError> {
        self.0.text(name, 200)?.required(name)
    }

    /// A whole number at least `min`.
    pub fn number(&mut self, name: &str, min: u64) -> Result<Option<u64>, ValidationError> {
        self.text(name)?
            .map(|text| {
                text.parse::<u64>()
                    .ok()
                    .filter(|&n| n >= min && n <= 1_000_000)
                    .ok_or_else(|| {
                        ValidationError::new(
                            name,
                            "invalid_value",
                            format!("{name} must be a whole number of at least {min}"),
                        )
                    })
            })
            .transpose()
    }

    pub fn flag(&mut self, name: &str) -> Result<bool, ValidationError> {
        match self.text(name)?.as_deref() {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(_) => Err(ValidationError::new(
                name,
                "invalid_value",
                format!("{name} must be true or false"),
            )),
        }
    }

    /// `fiscal_year`, named by the year it starts.
    pub fn fiscal_year(&mut self) -> Result<Option<FiscalYear>, ValidationError> {
        self.text("fiscal_year")?
            .map(|year| {
                FiscalYear::parse(&year).ok_or_else(|| {
                    ValidationError::new(
                        "fiscal_year",
                        "invalid_value",
                        "fiscal_year is the year it starts, e.g. 2019",
                    )
                })
            })
            .transpose()
    }

    /// `kind`, a kind of event.
    pub fn kind(&mut self) -> Result<Option<EventKind>, ValidationError> {
        self.text("kind")?
            .map(|kind| {
                EventKind::parse(&kind).ok_or_else(|| {
                    ValidationError::new("kind", "invalid_value", format!("unknown event kind {kind:?}"))
                })
            })
            .transpose()
    }

    pub fn finish(self) -> Result<(), ValidationError> {
        self.0.finish()
    }
}

impl ResponseFilter {
    pub fn parse(params: &mut QueryParams) -> Result<Self, ValidationError> {
        let form = params.required_text("form")?;
        let fiscal_year = params.fiscal_year()?;
        let events = params.fields().uuid("event")?.optional().into_iter().collect();
        let kind = params.kind()?;
        let from = params.fields().date("from")?.optional();
        let to = params.fields().date("to")?.optional();
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                return Err(ValidationError::new("to", "invalid_value", "to is before from"));
            }
        }
        // Not `source`: the opinions' `source` already chooses answers or meeting notes.
        let source = params
            .text(SOURCE_PARAM)?
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
            form,
            fiscal_year,
            events,
            kind,
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

    #[test]
    fn numbers_and_flags_are_checked() {
        let mut query = params(&[("min_cell", "3"), ("include_text", "true"), ("bad", "-1")]);
        assert_eq!(query.number("min_cell", 0).unwrap(), Some(3));
        assert!(query.flag("include_text").unwrap());
        assert_eq!(query.number("bad", 0).unwrap_err().field, "bad");
    }
}
