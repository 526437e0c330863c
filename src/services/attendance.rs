//! What draws people: events' headcounts compared by what the events were (format, speakers,
//! publicity, month, weekday, fiscal year), for the API and the dashboard alike.

use std::collections::{BTreeSet, HashMap};

use analysis::attendance::{self, AttendanceComparison, Grouping, Occasion};
use diesel::PgConnection;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::db::events::{EventFilter, EventRecord};
use crate::db::{self, Connections, DbError};
use crate::domain::event::EventKind;
use crate::domain::event_comparison::{AttendanceBy, EventScope};
use crate::domain::event_profile::{speaker_types, total_cost};

pub struct AttendanceResult {
    pub scope: EventScope,
    pub by: AttendanceBy,
    pub comparison: AttendanceComparison,
    /// Events held that have no headcount yet, so are not compared.
    pub without_headcount: usize,
}

/// The attended events of `scope` (no survey waves) already held and not cancelled, oldest first.
pub fn held_events(conn: &mut PgConnection, scope: &EventScope) -> Result<Vec<EventRecord>, DbError> {
    // Narrowed in the database where one kind or year is asked for, in memory otherwise.
    let filter = EventFilter {
        kind: scope.single_kind(),
        fiscal_year: scope.single_year(),
        series_id: None,
    };
    let today = crate::domain::clock::today();
    let mut events = db::events::list(conn, &filter)?;
    events.retain(|event| {
        event.cancelled_at.is_none()
            && event.held_on <= today
            && EventKind::parse(&event.kind)
                .is_some_and(|kind| kind.is_attended() && scope.contains(kind, event.held_on))
    });
    Ok(events)
}

pub fn compare(
    connections: &mut impl Connections,
    scope: &EventScope,
    by: AttendanceBy,
) -> Result<AttendanceResult, DbError> {
    let (events, channels) = connections.with(|conn| {
        let events = held_events(conn, scope)?;
        let channels = match by {
            AttendanceBy::PublicityChannel => channels_of(conn, &events)?,
            _ => HashMap::new(),
        };
        Ok((events, channels))
    })?;
    let occasions: Vec<Occasion> = events
        .iter()
        .filter_map(|event| {
            let headcount = u32::try_from(event.headcount?).ok()?;
            Some(Occasion {
                groups: groups_of(event, by, &channels),
                headcount,
                cost: event.costs.as_ref().map(total_cost),
            })
        })
        .collect();
    let found: Vec<String> = occasions
        .iter()
        .flat_map(|o| o.groups.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let grouping = if by.overlapping() {
        Grouping::Overlapping
    } else {
        Grouping::Exclusive
    };
    Ok(AttendanceResult {
        scope: scope.clone(),
        by,
        comparison: attendance::compare(&occasions, &by.ordered_keys(&found), grouping),
        without_headcount: events.len() - occasions.len(),
    })
}

/// Each event's distinct publicity channels.
fn channels_of(conn: &mut PgConnection, events: &[EventRecord]) -> Result<HashMap<Uuid, Vec<String>>, DbError> {
    let ids: Vec<Uuid> = events.iter().map(|event| event.id).collect();
    let mut channels: HashMap<Uuid, Vec<String>> = HashMap::new();
    for fact in db::publicity::facts_of(conn, &ids)? {
        let used = channels.entry(fact.event_id).or_default();
        if !used.contains(&fact.channel) {
            used.push(fact.channel);
        }
    }
    Ok(channels)
}

fn groups_of(event: &EventRecord, by: AttendanceBy, channels: &HashMap<Uuid, Vec<String>>) -> Vec<String> {
    match by {
        AttendanceBy::Format => event.format.iter().cloned().collect(),
        AttendanceBy::SpeakerType => event.speakers.as_ref().map(speaker_types).unwrap_or_default(),
        AttendanceBy::PublicityChannel => channels.get(&event.id).cloned().unwrap_or_default(),
        AttendanceBy::Month | AttendanceBy::Weekday | AttendanceBy::FiscalYear => {
            by.date_key(event.held_on).into_iter().collect()
        }
    }
}

impl AttendanceResult {
    pub fn to_json(&self) -> Value {
        let groups: Vec<Value> = self
            .comparison
            .groups
            .iter()
            .map(|group| {
                let mut row = json!(group);
                row["label"] = json!(self.by.label(&group.key));
                row
            })
            .collect();
        let scope = self.scope.to_json();
        json!({
            "by": self.by.id(),
            "kind": scope["kind"],
            "fiscal_year": scope["fiscal_year"],
            "overlapping": self.by.overlapping(),
            "groups": groups,
            "not_recorded": self.comparison.not_recorded,
            "test": self.comparison.test,
            "events_without_headcount": self.without_headcount,
        })
    }
}
