//! What staff did to publicise an event: the channel, the agency told (if any), when, how many
//! copies or messages, and what it cost.

use chrono::NaiveDate;
use serde_json::Value;

use super::validation::{Fields, ValidationError};
use super::vocabulary::CHANNELS;

const MAX_NOTE_CHARS: usize = 1000;
const MAX_QUANTITY: i32 = 10_000_000;
/// A cost above a hundred million yen is a typo.
const MAX_YEN: i64 = 100_000_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPublicity {
    /// One of [`CHANNELS`].
    pub channel: String,
    /// The slug of an agency of the list.
    pub agency: Option<String>,
    pub sent_on: NaiveDate,
    pub quantity: Option<i32>,
    /// Yen.
    pub cost: Option<i64>,
    pub note: Option<String>,
}

impl NewPublicity {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let mut fields = Fields::new(body)?;
        let record = Self {
            channel: fields
                .parsed("channel", |value| CHANNELS.parse(value))?
                .required("channel")?,
            agency: fields.text("agency", 64)?.optional(),
            sent_on: fields.date("sent_on")?.required("sent_on")?,
            quantity: fields.count("quantity", MAX_QUANTITY)?.optional(),
            cost: fields
                .parsed("cost", |value| {
                    value
                        .as_i64()
                        .filter(|yen| (0..=MAX_YEN).contains(yen))
                        .ok_or_else(|| format!("must be a whole number of yen from 0 to {MAX_YEN}"))
                })?
                .optional(),
            note: fields.text("note", MAX_NOTE_CHARS)?.optional(),
        };
        fields.finish()?;
        Ok(record)
    }
}

/// The channel whose people came through an agency: those who said so in `heard_from`, and
/// those who named the agency that referred them.
pub const AGENCY_CHANNEL: &str = "agency_notice";
/// The answer to `heard_from` that says an agency told them.
pub const AGENCY_REFERRAL: &str = "agency_referral";

/// The answer to `heard_from` on the shipped forms that names what `channel` is, if any: a
/// notice to agencies reaches people as a referral; mail and email have no answer of their own.
pub fn heard_from_option(channel: &str) -> Option<&'static str> {
    match channel {
        AGENCY_CHANNEL => Some(AGENCY_REFERRAL),
        "direct_mail" | "email" => None,
        other => CHANNELS.find(other).map(|term| term.id),
    }
}

/// Stands for each event's own date while the rest of a series' plan is checked.
const PLACEHOLDER_DATE: &str = "2000-01-01";
/// Days before an event a series' plan may be sent.
const MAX_DAYS_BEFORE: i32 = 365;

/// One plan of publicity for every event of a series: a record per event, sent `days_before` it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesPlan {
    pub days_before: i32,
    /// The record, its `sent_on` a placeholder replaced per event.
    pub record: NewPublicity,
}

impl SeriesPlan {
    /// `{"days_before", "channel", "agency"?, "quantity"?, "cost"?, "note"?}`.
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let mut fields = Fields::new(body)?;
        let days_before = fields.count("days_before", MAX_DAYS_BEFORE)?.required("days_before")?;
        if fields.value("sent_on").is_some() {
            return Err(ValidationError::new(
                "sent_on",
                "unknown_field",
                "a series' plan is sent days_before each event, not on one date",
            ));
        }
        let mut rest = fields.into_rest();
        rest.insert("sent_on".to_owned(), Value::String(PLACEHOLDER_DATE.to_owned()));
        Ok(Self {
            days_before,
            record: NewPublicity::parse(Value::Object(rest))?,
        })
    }

    /// The record for an event held on `held_on`.
    pub fn for_event(&self, held_on: NaiveDate) -> NewPublicity {
        NewPublicity {
            sent_on: held_on - chrono::Days::new(u64::from(self.days_before.unsigned_abs())),
            ..self.record.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_record_names_its_channel_and_date() {
        let record = NewPublicity::parse(json!({
            "channel": "agency_notice", "agency": "city-hospital", "sent_on": "2026-10-01",
            "quantity": 30, "cost": 0, "note": "チラシを郵送",
        }))
        .unwrap();
        assert_eq!(record.agency.as_deref(), Some("city-hospital"));
        for (body, field) in [
            (json!({"sent_on": "2026-10-01"}), "channel"),
            (json!({"channel": "radio", "sent_on": "2026-10-01"}), "channel"),
            (json!({"channel": "sns"}), "sent_on"),
            (json!({"channel": "sns", "sent_on": "2026-10-01", "cost": -1}), "cost"),
            (
                json!({"channel": "sns", "sent_on": "2026-10-01", "quantity": 1.5}),
                "quantity",
            ),
        ] {
            assert_eq!(NewPublicity::parse(body.clone()).unwrap_err().field, field, "{body}");
        }
    }

    #[test]
    fn a_series_plan_is_sent_days_before_each_event() {
        let plan = SeriesPlan::parse(json!({"days_before": 14, "channel": "sns", "cost": 0})).unwrap();
        let record = plan.for_event(NaiveDate::from_ymd_opt(2026, 5, 14).unwrap());
        assert_eq!(record.sent_on, NaiveDate::from_ymd_opt(2026, 4, 30).unwrap());
        assert_eq!(record.channel, "sns");
        for (body, field) in [
            (json!({"channel": "sns"}), "days_before"),
            (
                json!({"days_before": 7, "channel": "sns", "sent_on": "2026-04-01"}),
                "sent_on",
            ),
            (json!({"days_before": 7, "channel": "radio"}), "channel"),
            (json!({"days_before": 7, "channel": "sns", "colour": "red"}), "colour"),
        ] {
            assert_eq!(SeriesPlan::parse(body.clone()).unwrap_err().field, field, "{body}");
        }
    }
}
