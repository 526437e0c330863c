//! What staff did to publicise an event: the channel, the agency told (if any), when, how many
//! copies or messages, and what it cost.

use chrono::NaiveDate;
use serde_json::Value;

use super::validation::{Fields, ValidationError};

pub const CHANNELS: [&str; 9] = [
    "sns",
    "city_newsletter",
    "newspaper",
    "website",
    "poster_flyer",
    "agency_notice",
    "direct_mail",
    "email",
    "other",
];
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
                .parsed("channel", |value| {
                    value
                        .as_str()
                        .filter(|channel| CHANNELS.contains(channel))
                        .map(str::to_owned)
                        .ok_or_else(|| format!("must be one of {}", CHANNELS.join(", ")))
                })?
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
}
