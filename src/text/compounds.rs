//! Compound-word candidates, scored as KH Coder's TermExtract does (Nakagawa and Mori's FLR):
//! runs of consecutive nouns are candidate words; a noun that meets many different nouns on its
//! left and right is a likely part of compounds, and a compound used often as a whole is a likely
//! word. FLR(CN) = f(CN) × LR(CN), where f is how often the run occurs as a whole (not inside a
//! longer run) and LR the geometric mean over its nouns N of (FL(N) + 1)(FR(N) + 1), FL and FR
//! counting the different nouns seen directly left and right of N in any run.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use utoipa::ToSchema;

/// A compound word found in the comments, scored as TermExtract's FLR scores it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Candidate {
    pub word: String,
    pub parts: Vec<String>,
    /// Comments' runs that are this word as a whole.
    pub frequency: u64,
    pub score: f64,
}

/// The candidates of two nouns or more in `runs`, best first (then by word), without those in
/// `known` (already kept whole).
pub fn candidates(runs: &[Vec<String>], known: &BTreeSet<String>) -> Vec<Candidate> {
    let mut left: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    let mut right: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    let mut frequency: BTreeMap<&[String], u64> = BTreeMap::new();
    for run in runs {
        for pair in run.windows(2) {
            right.entry(&pair[0]).or_default().insert(&pair[1]);
            left.entry(&pair[1]).or_default().insert(&pair[0]);
        }
        if run.len() > 1 {
            *frequency.entry(run.as_slice()).or_default() += 1;
        }
    }
    let variety = |side: &HashMap<&str, BTreeSet<&str>>, noun: &str| side.get(noun).map_or(0, BTreeSet::len) as f64;
    let mut found: Vec<Candidate> = frequency
        .into_iter()
        .map(|(parts, f)| {
            let product: f64 = parts
                .iter()
                .map(|noun| (variety(&left, noun) + 1.0) * (variety(&right, noun) + 1.0))
                .product();
            let lr = product.powf(1.0 / (2.0 * parts.len() as f64));
            Candidate {
                word: parts.concat(),
                parts: parts.to_vec(),
                frequency: f,
                score: f as f64 * lr,
            }
        })
        .filter(|candidate| !known.contains(&candidate.word))
        .collect();
    found.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.word.cmp(&b.word)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(items: &[(&[&str], usize)]) -> Vec<Vec<String>> {
        items
            .iter()
            .flat_map(|(run, times)| std::iter::repeat_n(run.iter().map(|s| (*s).to_owned()).collect(), *times))
            .collect()
    }

    #[test]
    fn scores_are_frequency_times_the_mean_variety_of_neighbours() {
        let runs = runs(&[
            (&["フリー", "トーク"], 3),
            (&["フリー", "スペース"], 1),
            (&["トーク", "会"], 1),
            (&["ポラ", "研"], 2),
            (&["会場"], 4),
        ]);
        let found = candidates(&runs, &BTreeSet::new());
        let scores: Vec<(&str, u64, f64)> = found.iter().map(|c| (c.word.as_str(), c.frequency, c.score)).collect();
        // By hand: フリー has no left and two right neighbours, トーク one of each, so LR of
        // フリートーク is ((0+1)(2+1)(1+1)(1+1))^(1/4) = 12^(1/4), and it occurs 3 times whole.
        let expected = [
            ("フリートーク", 3, 3.0 * 12f64.powf(0.25)),
            ("ポラ研", 2, 2.0 * 4f64.powf(0.25)),
            ("トーク会", 1, 8f64.powf(0.25)),
            ("フリースペース", 1, 6f64.powf(0.25)),
        ];
        assert_eq!(
            scores.len(),
            expected.len(),
            "single nouns are no candidates: {scores:?}"
        );
        for ((word, f, score), (want_word, want_f, want_score)) in scores.iter().zip(expected) {
            assert_eq!((*word, *f), (want_word, want_f));
            assert!(
                (score - want_score).abs() < 1e-12,
                "{word}: {score} against {want_score}"
            );
        }
        let known = BTreeSet::from(["ポラ研".to_owned()]);
        assert!(
            candidates(&runs, &known).iter().all(|c| c.word != "ポラ研"),
            "accepted words are not proposed again"
        );
    }
}
