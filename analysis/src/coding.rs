//! Coded comments counted: per group, how many items were coded and how many carry each theme,
//! a test of whether a theme's share differs between groups, and how far two coders agree
//! (Cohen's kappa).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::stats::{independence_test, IndependenceTest};

/// One coded item: its group (a value per grouping, `None` where unanswered) and its themes.
#[derive(Debug, Clone, PartialEq)]
pub struct Coded {
    pub group: Vec<Option<String>>,
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeCounts {
    /// Items coded; `None` when withheld as too few.
    pub items: Option<u64>,
    /// Per theme, items carrying it (`None` when withheld).
    pub counts: BTreeMap<String, Option<u64>>,
    pub shares: BTreeMap<String, Option<f64>>,
    pub suppressed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeGroup {
    pub key: Vec<Option<String>>,
    #[serde(flatten)]
    pub counts: ThemeCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeTable {
    pub groups: Vec<ThemeGroup>,
    pub total: ThemeCounts,
    /// Per theme: carrying it or not, by group.
    pub tests: BTreeMap<String, IndependenceTest>,
}

/// Counts `items` by group (groups in first-seen order after sorting their keys) for `themes`;
/// groups of fewer than `min_cell` items, and theme counts below it, are withheld, and then
/// no test is made.
pub fn theme_table(items: &[Coded], themes: &[String], min_cell: u64) -> ThemeTable {
    let mut by_group: BTreeMap<&[Option<String>], Vec<&Coded>> = BTreeMap::new();
    for item in items {
        by_group.entry(item.group.as_slice()).or_default().push(item);
    }
    let groups: Vec<ThemeGroup> = by_group
        .iter()
        .map(|(key, members)| ThemeGroup {
            key: key.to_vec(),
            counts: counts(members, themes, min_cell),
        })
        .collect();
    let everyone: Vec<&Coded> = items.iter().collect();
    let any_withheld = groups
        .iter()
        .any(|g| g.counts.suppressed || g.counts.counts.values().any(Option::is_none));
    let tests = if any_withheld || groups.len() < 2 {
        BTreeMap::new()
    } else {
        themes
            .iter()
            .filter_map(|theme| {
                let table: Vec<Vec<u64>> = by_group
                    .values()
                    .map(|members| {
                        let with = members.iter().filter(|m| m.themes.contains(theme)).count() as u64;
                        vec![with, members.len() as u64 - with]
                    })
                    .collect();
                Some((theme.clone(), independence_test(&table)?))
            })
            .collect()
    };
    ThemeTable {
        groups,
        total: counts(&everyone, themes, min_cell),
        tests,
    }
}

fn counts(members: &[&Coded], themes: &[String], min_cell: u64) -> ThemeCounts {
    let n = members.len() as u64;
    let suppressed = n < min_cell;
    let shown = |count: u64| (!suppressed && (count == 0 || count >= min_cell)).then_some(count);
    let mut counts = BTreeMap::new();
    let mut shares = BTreeMap::new();
    for theme in themes {
        let count = shown(members.iter().filter(|m| m.themes.contains(theme)).count() as u64);
        counts.insert(theme.clone(), count);
        shares.insert(
            theme.clone(),
            count.filter(|_| n > 0).map(|c| c as f64 / n as f64 * 100.0),
        );
    }
    ThemeCounts {
        items: (!suppressed).then_some(n),
        counts,
        shares,
        suppressed,
    }
}

/// Cohen's kappa of two coders' yes/no decisions on the same items; `None` without items, or
/// when both always agree by necessity (all one answer: chance agreement is 1).
pub fn cohens_kappa(decisions: &[(bool, bool)]) -> Option<f64> {
    let n = decisions.len() as f64;
    if decisions.is_empty() {
        return None;
    }
    let agreed = decisions.iter().filter(|(a, b)| a == b).count() as f64 / n;
    let first_yes = decisions.iter().filter(|(a, _)| *a).count() as f64 / n;
    let second_yes = decisions.iter().filter(|(_, b)| *b).count() as f64 / n;
    let chance = first_yes * second_yes + (1.0 - first_yes) * (1.0 - second_yes);
    (chance < 1.0).then(|| (agreed - chance) / (1.0 - chance))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coded(group: &str, themes: &[&str]) -> Coded {
        Coded {
            group: vec![Some(group.to_owned())],
            themes: themes.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn themes_are_counted_per_group_and_tested() {
        let mut items = Vec::new();
        for _ in 0..12 {
            items.push(coded("family", &["family_support"]));
        }
        for _ in 0..3 {
            items.push(coded("family", &[]));
        }
        for _ in 0..2 {
            items.push(coded("person", &["family_support"]));
        }
        for _ in 0..13 {
            items.push(coded("person", &["audibility"]));
        }
        let themes = vec!["audibility".to_owned(), "family_support".to_owned()];
        let table = theme_table(&items, &themes, 0);
        assert_eq!(table.groups[0].counts.items, Some(15));
        assert_eq!(table.groups[0].counts.counts["family_support"], Some(12));
        assert_eq!(table.groups[0].counts.shares["family_support"], Some(80.0));
        assert_eq!(table.total.counts["audibility"], Some(13));
        assert!(table.tests["family_support"].p_value < 0.001);
        // With a threshold of 5, the person group's 2 is withheld, and so is every test.
        let protected = theme_table(&items, &themes, 5);
        assert_eq!(protected.groups[1].counts.counts["family_support"], None);
        assert!(protected.tests.is_empty());
    }

    #[test]
    fn kappa_is_one_for_full_agreement_and_zero_for_chance() {
        assert_eq!(
            cohens_kappa(&[(true, true), (false, false), (true, true), (false, false)]),
            Some(1.0)
        );
        // Agreement on half, chance agreement a half: kappa 0.
        assert_eq!(
            cohens_kappa(&[(true, true), (true, false), (false, true), (false, false)]),
            Some(0.0)
        );
        // 20 items, 15 agreements.
        let mut decisions = vec![(true, true); 7];
        decisions.extend(vec![(false, false); 8]);
        decisions.extend(vec![(true, false); 3]);
        decisions.extend(vec![(false, true); 2]);
        let kappa = cohens_kappa(&decisions).unwrap();
        // p_o = 0.75; p_e = 0.5 * 0.45 + 0.5 * 0.55 = 0.5; kappa = 0.5.
        assert!((kappa - 0.5).abs() < 1e-12, "{kappa}");
        assert_eq!(cohens_kappa(&[(true, true), (true, true)]), None);
        assert_eq!(cohens_kappa(&[]), None);
    }
}
