//! Which publicity reached people (step ア of the evaluation): per channel and per kind of agency
//! told, the events that used it, their attendance against the other events', the share of
//! respondents who said they came through it, and its cost per attendee it brought.

use std::collections::{BTreeSet, HashMap};

use analysis::attendance::{self, GroupComparison, Grouping, Occasion};
use analysis::reach::{reach, EventReach, Reach};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::db::events::EventRecord;
use crate::db::publicity::{PublicityFact, RespondentCount};
use crate::db::{self, Connections, DbError};
use crate::domain::event_comparison::EventScope;
use crate::domain::form::AGENCY_QUESTION;
use crate::domain::publicity::{heard_from_option, AGENCY_CHANNEL, AGENCY_REFERRAL};
use crate::domain::vocabulary::{Vocabulary, AGENCY_KINDS, CHANNELS};
use crate::services::analyses::CHANNEL_QUESTION;
use crate::services::attendance::held_events;

pub struct PublicityReach {
    pub scope: EventScope,
    pub events: usize,
    pub events_with_publicity: usize,
    pub channels: Vec<ReachRow>,
    pub agency_kinds: Vec<ReachRow>,
}

pub struct ReachRow {
    pub key: String,
    pub label: Value,
    /// Events that used it, headcount or not.
    pub events: usize,
    /// Their headcounts against the other events' (those with publicity recorded).
    pub attendance: Option<GroupComparison>,
    pub reach: Reach,
}

/// One event's publicity and what its respondents said, by channel and by kind of agency.
#[derive(Default)]
struct EventPublicity {
    cost_by_channel: HashMap<String, u64>,
    cost_by_agency_kind: HashMap<String, u64>,
    /// Respondents who said how they heard, or named the agency that referred them.
    answered_heard: u64,
    /// Of them, those an agency told.
    told_by_agency: u64,
    heard: HashMap<String, u64>,
    referred: HashMap<String, u64>,
}

pub fn analyse(connections: &mut impl Connections, scope: &EventScope) -> Result<PublicityReach, DbError> {
    let (events, facts, counts) = connections.with(|conn| {
        let events = held_events(conn, scope)?;
        let ids: Vec<Uuid> = events.iter().map(|event| event.id).collect();
        let facts = db::publicity::facts_of(conn, &ids)?;
        let counts = db::publicity::respondent_counts(conn, &ids, CHANNEL_QUESTION, AGENCY_QUESTION, AGENCY_REFERRAL)?;
        Ok((events, facts, counts))
    })?;
    let publicity = by_event(&facts, &counts);
    let channels = rows(
        &events,
        &publicity,
        CHANNELS,
        |p| &p.cost_by_channel,
        |p, channel| {
            if channel == AGENCY_CHANNEL {
                (p.answered_heard, p.told_by_agency)
            } else {
                heard_from_option(channel).map_or((0, 0), |option| {
                    (p.answered_heard, p.heard.get(option).copied().unwrap_or(0))
                })
            }
        },
    );
    let agency_kinds = rows(
        &events,
        &publicity,
        AGENCY_KINDS,
        |p| &p.cost_by_agency_kind,
        |p, kind| (p.answered_heard, p.referred.get(kind).copied().unwrap_or(0)),
    );
    Ok(PublicityReach {
        scope: scope.clone(),
        events: events.len(),
        events_with_publicity: events
            .iter()
            .filter(|event| publicity.get(&event.id).is_some_and(|p| !p.cost_by_channel.is_empty()))
            .count(),
        channels,
        agency_kinds,
    })
}

fn by_event(facts: &[PublicityFact], counts: &[RespondentCount]) -> HashMap<Uuid, EventPublicity> {
    let mut events: HashMap<Uuid, EventPublicity> = HashMap::new();
    for fact in facts {
        let event = events.entry(fact.event_id).or_default();
        let cost = fact.cost.and_then(|yen| u64::try_from(yen).ok()).unwrap_or(0);
        *event.cost_by_channel.entry(fact.channel.clone()).or_default() += cost;
        if let Some(kind) = &fact.agency_kind {
            *event.cost_by_agency_kind.entry(kind.clone()).or_default() += cost;
        }
    }
    for count in counts {
        let event = events.entry(count.event_id).or_default();
        let n = u64::try_from(count.n).unwrap_or(0);
        match (count.measure.as_str(), &count.value) {
            ("heard", None) => event.answered_heard = n,
            ("agency", _) => event.told_by_agency = n,
            ("heard", Some(channel)) => *event.heard.entry(channel.clone()).or_default() = n,
            (_, Some(kind)) => *event.referred.entry(kind.clone()).or_default() = n,
            _ => {}
        }
    }
    events
}

/// One row per term of `vocabulary` some event used: `costs` gives an event's costs by term,
/// `said` how many of its respondents could have named the term and how many did.
fn rows(
    events: &[EventRecord],
    publicity: &HashMap<Uuid, EventPublicity>,
    vocabulary: Vocabulary,
    costs: impl Fn(&EventPublicity) -> &HashMap<String, u64>,
    said: impl Fn(&EventPublicity, &str) -> (u64, u64),
) -> Vec<ReachRow> {
    let none = EventPublicity::default();
    let of = |event: &EventRecord| publicity.get(&event.id).unwrap_or(&none);
    let used: BTreeSet<&str> = events
        .iter()
        .flat_map(|e| costs(of(e)).keys().map(String::as_str))
        .collect();
    let occasions: Vec<Occasion> = events
        .iter()
        .filter_map(|event| {
            Some(Occasion {
                groups: costs(of(event)).keys().cloned().collect(),
                headcount: u32::try_from(event.headcount?).ok()?,
                cost: None,
            })
        })
        .collect();
    let keys: Vec<String> = vocabulary
        .terms()
        .filter(|term| used.contains(term.id))
        .map(|term| term.id.to_owned())
        .collect();
    let mut attendance = attendance::compare(&occasions, &keys, Grouping::Overlapping).groups;
    vocabulary
        .terms()
        .filter(|term| used.contains(term.id))
        .map(|term| {
            let per_event: Vec<EventReach> = events
                .iter()
                .map(|event| {
                    let publicity = of(event);
                    let (answered, named) = said(publicity, term.id);
                    EventReach {
                        used: costs(publicity).contains_key(term.id),
                        headcount: event.headcount.and_then(|n| u32::try_from(n).ok()),
                        answered,
                        named,
                        cost: costs(publicity).get(term.id).copied().unwrap_or(0),
                    }
                })
                .collect();
            let position = attendance.iter().position(|group| group.key == term.id);
            ReachRow {
                key: term.id.to_owned(),
                label: json!({"ja": term.ja, "en": term.en}),
                events: per_event.iter().filter(|e| e.used).count(),
                attendance: position.map(|i| attendance.swap_remove(i)),
                reach: reach(&per_event),
            }
        })
        .collect()
}

impl PublicityReach {
    pub fn to_json(&self) -> Value {
        let rows = |rows: &[ReachRow]| -> Vec<Value> {
            rows.iter()
                .map(|row| {
                    json!({
                        "key": row.key,
                        "label": row.label,
                        "events": row.events,
                        "attendance": row.attendance,
                        "reach": row.reach,
                    })
                })
                .collect()
        };
        let scope = self.scope.to_json();
        json!({
            "kind": scope["kind"],
            "fiscal_year": scope["fiscal_year"],
            "events": self.events,
            "events_with_publicity": self.events_with_publicity,
            "channels": rows(&self.channels),
            "agency_kinds": rows(&self.agency_kinds),
        })
    }
}
