//! Events' headcounts compared by what the events were (their format, speakers, publicity, month):
//! per group the spread of headcounts and the cost per attendee, and rank tests of whether the
//! groups drew different numbers of people. Headcounts are skewed and few, hence ranks, not means.

use serde::Serialize;

use crate::ranks::{compare_groups, mann_whitney_u, RankTest};

/// One event as the comparison sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Occasion {
    /// The groups it belongs to; empty when what it is grouped by was not recorded.
    pub groups: Vec<String>,
    pub headcount: u32,
    /// Yen, when staff recorded what it cost.
    pub cost: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// Each event is in one group (its format, its month): one test across all groups.
    Exclusive,
    /// An event may be in several (its speakers' types, its publicity channels): each group is
    /// tested against the other events whose grouping is recorded.
    Overlapping,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headcounts {
    pub events: usize,
    pub total: u64,
    pub mean: f64,
    pub median: f64,
    pub min: u32,
    pub max: u32,
    /// What the events with recorded costs cost, per person who came to them.
    pub cost_per_attendee: Option<f64>,
    pub events_with_costs: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupComparison {
    pub key: String,
    #[serde(flatten)]
    pub headcounts: Headcounts,
    /// The other events whose grouping is recorded, to read this group against.
    pub others: Option<Headcounts>,
    /// This group against `others` (overlapping groupings only).
    pub test_against_others: Option<RankTest>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttendanceComparison {
    pub groups: Vec<GroupComparison>,
    /// Events whose grouping was not recorded: shown, never tested.
    pub not_recorded: Option<Headcounts>,
    /// Across all groups (exclusive groupings only).
    pub test: Option<RankTest>,
}

/// Compares the occasions' headcounts by group, groups in the order of `keys` (those with no
/// events left out).
pub fn compare(occasions: &[Occasion], keys: &[String], grouping: Grouping) -> AttendanceComparison {
    let recorded: Vec<&Occasion> = occasions.iter().filter(|o| !o.groups.is_empty()).collect();
    let unrecorded: Vec<&Occasion> = occasions.iter().filter(|o| o.groups.is_empty()).collect();
    let mut samples: Vec<Vec<f64>> = Vec::new();
    let groups = keys
        .iter()
        .filter_map(|key| {
            let (members, others): (Vec<&Occasion>, Vec<&Occasion>) =
                recorded.iter().partition(|o| o.groups.contains(key));
            let headcounts = Headcounts::of(&members)?;
            samples.push(values(&members));
            let test_against_others = match grouping {
                Grouping::Overlapping => mann_whitney_u(&values(&members), &values(&others)),
                Grouping::Exclusive => None,
            };
            Some(GroupComparison {
                key: key.clone(),
                headcounts,
                others: Headcounts::of(&others),
                test_against_others,
            })
        })
        .collect();
    let test = match grouping {
        Grouping::Exclusive => compare_groups(&samples.iter().map(Vec::as_slice).collect::<Vec<_>>()),
        Grouping::Overlapping => None,
    };
    AttendanceComparison {
        groups,
        not_recorded: Headcounts::of(&unrecorded),
        test,
    }
}

/// The median of each value with the `window - 1` before it (fewer at the start), so a run of
/// sessions shows its level without one crowded or empty session pulling it about.
pub fn moving_median(values: &[f64], window: usize) -> Vec<f64> {
    (0..values.len())
        .map(|end| {
            let mut recent = values[(end + 1).saturating_sub(window.max(1))..=end].to_vec();
            recent.sort_by(f64::total_cmp);
            let middle = recent.len() / 2;
            if recent.len() % 2 == 1 {
                recent[middle]
            } else {
                (recent[middle - 1] + recent[middle]) / 2.0
            }
        })
        .collect()
}

fn values(occasions: &[&Occasion]) -> Vec<f64> {
    occasions.iter().map(|o| f64::from(o.headcount)).collect()
}

impl Headcounts {
    fn of(occasions: &[&Occasion]) -> Option<Self> {
        let mut counts: Vec<u32> = occasions.iter().map(|o| o.headcount).collect();
        counts.sort_unstable();
        let (&min, &max) = (counts.first()?, counts.last()?);
        let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        let middle = counts.len() / 2;
        let median = if counts.len() % 2 == 1 {
            f64::from(counts[middle])
        } else {
            (f64::from(counts[middle - 1]) + f64::from(counts[middle])) / 2.0
        };
        let costed: Vec<(u64, u64)> = occasions
            .iter()
            .filter_map(|o| o.cost.map(|cost| (cost, u64::from(o.headcount))))
            .collect();
        let (cost, attendees) = costed
            .iter()
            .fold((0, 0), |(cost, people), (c, p)| (cost + c, people + p));
        Some(Self {
            events: counts.len(),
            total,
            mean: total as f64 / counts.len() as f64,
            median,
            min,
            max,
            cost_per_attendee: (attendees > 0).then(|| cost as f64 / attendees as f64),
            events_with_costs: costed.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occasion(groups: &[&str], headcount: u32, cost: Option<u64>) -> Occasion {
        Occasion {
            groups: groups.iter().map(|g| g.to_string()).collect(),
            headcount,
            cost,
        }
    }

    fn keys(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn exclusive_groups_are_summarised_and_tested_together() {
        let occasions = [
            occasion(&["lecture"], 12, Some(60_000)),
            occasion(&["lecture"], 15, None),
            occasion(&["lecture"], 9, Some(30_000)),
            occasion(&["free_talk"], 5, Some(0)),
            occasion(&["free_talk"], 4, None),
            occasion(&[], 30, None),
        ];
        let result = compare(
            &occasions,
            &keys(&["free_talk", "group_work", "lecture"]),
            Grouping::Exclusive,
        );
        let lecture = &result.groups[1];
        assert_eq!(result.groups.len(), 2, "a group without events is left out");
        assert_eq!(
            (
                lecture.key.as_str(),
                lecture.headcounts.events,
                lecture.headcounts.total
            ),
            ("lecture", 3, 36)
        );
        assert_eq!(
            (
                lecture.headcounts.median,
                lecture.headcounts.min,
                lecture.headcounts.max
            ),
            (12.0, 9, 15)
        );
        // 90,000 yen for the 21 people of the two lectures whose costs are known.
        assert_eq!(lecture.headcounts.cost_per_attendee, Some(90_000.0 / 21.0));
        assert_eq!(result.groups[0].headcounts.median, 4.5);
        assert_eq!(
            lecture.others.as_ref().map(|o| o.events),
            Some(2),
            "the unrecorded event is no comparison"
        );
        assert_eq!(result.not_recorded.as_ref().map(|n| n.total), Some(30));
        let test = result.test.expect("two groups compared");
        assert_eq!((test.method, test.n), ("mann_whitney_u", 5));
    }

    #[test]
    fn the_moving_median_ignores_one_odd_session() {
        let headcounts = [5.0, 6.0, 30.0, 5.0, 7.0];
        assert_eq!(moving_median(&headcounts, 3), [5.0, 5.5, 6.0, 6.0, 7.0]);
    }

    #[test]
    fn overlapping_groups_are_each_tested_against_the_other_events() {
        let occasions = [
            occasion(&["leading_expert", "staff"], 20, None),
            occasion(&["leading_expert"], 18, None),
            occasion(&["staff"], 6, None),
            occasion(&["staff"], 5, None),
        ];
        let result = compare(&occasions, &keys(&["leading_expert", "staff"]), Grouping::Overlapping);
        assert_eq!(result.test, None);
        let expert = &result.groups[0];
        assert_eq!(expert.others.as_ref().map(|o| o.events), Some(2));
        assert_eq!(expert.test_against_others.as_ref().map(|t| t.statistic), Some(4.0));
        assert_eq!(result.groups[1].headcounts.events, 3);
    }
}
