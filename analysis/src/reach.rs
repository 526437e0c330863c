//! Whom a kind of publicity reached: the share of respondents who said they came through it, and
//! what it cost per attendee it brought, estimated from the events that used it.

use serde::Serialize;

/// One event as the estimate sees it, for one channel (or kind of agency).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventReach {
    /// Whether staff recorded publicity of this kind for the event.
    pub used: bool,
    pub headcount: Option<u32>,
    /// Respondents who could have named it (those who answered the question).
    pub answered: u64,
    /// Respondents who named it.
    pub named: u64,
    /// Yen the event's records of this kind cost.
    pub cost: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reach {
    pub respondents: u64,
    pub named: u64,
    /// `named / respondents` over every event compared.
    pub share: Option<f64>,
    /// Attendees of the events that used it who came through it: each such event's headcount
    /// times the share of its respondents who named it (events without respondents left out).
    pub attendees_reached: Option<f64>,
    pub cost: u64,
    pub cost_per_attendee_reached: Option<f64>,
}

pub fn reach(events: &[EventReach]) -> Reach {
    let respondents: u64 = events.iter().map(|e| e.answered).sum();
    let named: u64 = events.iter().map(|e| e.named).sum();
    let cost: u64 = events.iter().filter(|e| e.used).map(|e| e.cost).sum();
    let estimable: Vec<(u32, f64)> = events
        .iter()
        .filter(|e| e.used && e.answered > 0)
        .filter_map(|e| Some((e.headcount?, e.named as f64 / e.answered as f64)))
        .collect();
    let attendees_reached =
        (!estimable.is_empty()).then(|| estimable.iter().map(|(people, share)| f64::from(*people) * share).sum());
    Reach {
        respondents,
        named,
        share: (respondents > 0).then(|| named as f64 / respondents as f64),
        attendees_reached,
        cost,
        cost_per_attendee_reached: attendees_reached
            .filter(|&people: &f64| people > 0.0)
            .map(|people| cost as f64 / people),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reach_is_estimated_from_the_events_that_used_the_channel() {
        let events = [
            // 20 came; 5 of 10 respondents named it: 10 reached, for 30,000 yen.
            EventReach {
                used: true,
                headcount: Some(20),
                answered: 10,
                named: 5,
                cost: 30_000,
            },
            // No respondents: no estimate, though its cost counts.
            EventReach {
                used: true,
                headcount: Some(8),
                answered: 0,
                named: 0,
                cost: 6_000,
            },
            // Not used here: its answers count in the share, not in the estimate or the cost.
            EventReach {
                used: false,
                headcount: Some(30),
                answered: 10,
                named: 1,
                cost: 0,
            },
        ];
        let reach = reach(&events);
        assert_eq!((reach.respondents, reach.named), (20, 6));
        assert_eq!(reach.share, Some(0.3));
        assert_eq!(reach.attendees_reached, Some(10.0));
        assert_eq!(reach.cost, 36_000);
        assert_eq!(reach.cost_per_attendee_reached, Some(3_600.0));
    }

    #[test]
    fn nothing_is_estimated_without_respondents() {
        let silent = [EventReach {
            used: true,
            headcount: Some(12),
            answered: 0,
            named: 0,
            cost: 1_000,
        }];
        let reach = reach(&silent);
        assert_eq!(
            (reach.share, reach.attendees_reached, reach.cost_per_attendee_reached),
            (None, None, None)
        );
    }
}
