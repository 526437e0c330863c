//! What staff did to publicise an event: the channel, the agency told (if any), when, how many
//! copies or messages, and what it cost.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;
use utoipa::openapi::schema::Object;
use utoipa::ToSchema;

use super::validation::{date_text, from_json, invalid_value, optional_text, ValidationError};
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

/// A publicity record as `POST /events/{id}/publicity` takes it, and the dashboard's form is read
/// into.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicityBody {
    #[schema(schema_with = channels)]
    pub channel: String,
    /// An agency of the list (`/api/v1/agencies`).
    #[schema(max_length = 64)]
    pub agency: Option<String>,
    #[schema(format = Date)]
    pub sent_on: String,
    #[schema(minimum = 0, maximum = 10000000)]
    pub quantity: Option<i32>,
    /// Yen.
    #[schema(minimum = 0, maximum = 100000000)]
    pub cost: Option<i64>,
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

pub fn channels() -> Object {
    CHANNELS.schema()
}

impl NewPublicity {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        Self::from_body(from_json(body)?)
    }

    pub fn from_body(body: PublicityBody) -> Result<Self, ValidationError> {
        let within = |field: &'static str, value: i64, max: i64, what: &str| {
            if (0..=max).contains(&value) {
                Ok(value)
            } else {
                Err(invalid_value(field)(format!(
                    "must be a whole number {what}from 0 to {max}"
                )))
            }
        };
        Ok(Self {
            channel: CHANNELS.checked("channel", body.channel)?,
            agency: optional_text("agency", body.agency, 64)?,
            sent_on: date_text(&body.sent_on).map_err(invalid_value("sent_on"))?,
            quantity: body
                .quantity
                .map(|n| within("quantity", i64::from(n), i64::from(MAX_QUANTITY), "").map(|_| n))
                .transpose()?,
            cost: body
                .cost
                .map(|yen| within("cost", yen, MAX_YEN, "of yen "))
                .transpose()?,
            note: optional_text("note", body.note, MAX_NOTE_CHARS)?,
        })
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

/// One plan of publicity for every event of a series, as `POST /event-series/{id}/publicity`
/// takes it: a record's fields but its date, sent `days_before` each event. The fields are
/// spelled out again because serde cannot refuse unknown fields through `flatten`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesPublicityBody {
    #[schema(minimum = 0, maximum = 365)]
    pub days_before: i32,
    #[schema(schema_with = channels)]
    pub channel: String,
    #[schema(max_length = 64)]
    pub agency: Option<String>,
    #[schema(minimum = 0, maximum = 10000000)]
    pub quantity: Option<i32>,
    #[schema(minimum = 0, maximum = 100000000)]
    pub cost: Option<i64>,
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

impl SeriesPlan {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let body: SeriesPublicityBody = from_json(body)?;
        if !(0..=MAX_DAYS_BEFORE).contains(&body.days_before) {
            let message = format!("must be a whole number from 0 to {MAX_DAYS_BEFORE}");
            return Err(ValidationError::new("days_before", "invalid_value", message));
        }
        let record = NewPublicity::from_body(PublicityBody {
            channel: body.channel,
            agency: body.agency,
            sent_on: PLACEHOLDER_DATE.to_owned(),
            quantity: body.quantity,
            cost: body.cost,
            note: body.note,
        })?;
        Ok(Self {
            days_before: body.days_before,
            record,
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
