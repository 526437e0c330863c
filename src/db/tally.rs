//! Grouping sets counted from one stream of rows. PostgreSQL runs `GROUPING SETS` in a single
//! process and hashes each row once per set; a release counts dozens of sets, so it is faster to
//! stream the narrow key columns once and count here, each distinct value held once.

use rustc_hash::FxHashMap;
use serde_json::Value;

/// Distinct combinations of values with how many rows (responses) had them.
pub type Counted = Vec<(Vec<Value>, i64)>;

/// Per key column, its distinct values, each numbered once.
#[derive(Default)]
struct Dictionary {
    codes: FxHashMap<Box<str>, u32>,
    values: Vec<Box<str>>,
}

/// Code of a skipped answer in every dictionary.
const MISSING: u32 = u32::MAX;

impl Dictionary {
    fn code(&mut self, value: Option<&str>) -> u32 {
        let Some(value) = value else {
            return MISSING;
        };
        if let Some(&code) = self.codes.get(value) {
            return code;
        }
        let code = u32::try_from(self.values.len()).unwrap_or(MISSING - 1);
        self.values.push(value.into());
        self.codes.insert(value.into(), code);
        code
    }
}

/// The most keys a set may have: a combination's codes fit one fixed-size key, so counting a
/// row allocates nothing.
pub const MAX_SET_KEYS: usize = 4;

/// A combination of codes, unused places `MISSING`.
type Combination = [u32; MAX_SET_KEYS];

/// Counts rows of key values into `sets` (each a list of key positions).
pub struct Tally {
    /// Whether a key's text is JSON (an answer) rather than plain text.
    json: Vec<bool>,
    sets: Vec<Vec<usize>>,
    dictionaries: Vec<Dictionary>,
    counts: Vec<FxHashMap<Combination, i64>>,
    row: Vec<u32>,
}

impl Tally {
    /// `None` if a set has more than [`MAX_SET_KEYS`] keys.
    pub fn new(json: Vec<bool>, sets: Vec<Vec<usize>>) -> Option<Self> {
        if sets.iter().any(|set| set.len() > MAX_SET_KEYS) {
            return None;
        }
        Some(Self {
            dictionaries: json.iter().map(|_| Dictionary::default()).collect(),
            counts: sets.iter().map(|_| FxHashMap::default()).collect(),
            row: vec![MISSING; json.len()],
            json,
            sets,
        })
    }

    /// Counts one row: the keys' values in order, `None` where skipped.
    pub fn add<'a>(&mut self, values: impl IntoIterator<Item = Option<&'a str>>) {
        for ((slot, dictionary), value) in self.row.iter_mut().zip(&mut self.dictionaries).zip(values) {
            *slot = dictionary.code(value);
        }
        for (set, counts) in self.sets.iter().zip(&mut self.counts) {
            let mut combination = [MISSING; MAX_SET_KEYS];
            for (place, &i) in combination.iter_mut().zip(set) {
                *place = self.row[i];
            }
            *counts.entry(combination).or_insert(0) += 1;
        }
    }

    /// Per set, its distinct combinations of values with how many rows had them; each distinct
    /// value is turned into JSON once.
    pub fn finish(self) -> Vec<Counted> {
        let decoded: Vec<Vec<Value>> = self
            .dictionaries
            .iter()
            .zip(&self.json)
            .map(|(dictionary, &json)| {
                dictionary
                    .values
                    .iter()
                    .map(|text| match json {
                        true => serde_json::from_str(text).unwrap_or(Value::Null),
                        false => Value::String(text.to_string()),
                    })
                    .collect()
            })
            .collect();
        let value = |key: usize, code: u32| match code {
            MISSING => Value::Null,
            code => decoded[key].get(code as usize).cloned().unwrap_or(Value::Null),
        };
        self.sets
            .iter()
            .zip(self.counts)
            .map(|(set, counts)| {
                // In the order values were first met, whatever the hashing.
                let mut counts: Vec<(Combination, i64)> = counts.into_iter().collect();
                counts.sort_unstable();
                counts
                    .into_iter()
                    .map(|(codes, n)| (set.iter().zip(codes).map(|(&k, c)| value(k, c)).collect(), n))
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde_json::json;

    use super::*;

    /// The counts of `rows` by each of `sets`, as [`Tally`] gives them.
    fn tally(json: Vec<bool>, sets: Vec<Vec<usize>>, rows: &[Vec<Option<&str>>]) -> Vec<HashMap<Vec<Value>, i64>> {
        let mut tally = Tally::new(json, sets).expect("sets within the limit");
        for row in rows {
            tally.add(row.iter().copied());
        }
        tally
            .finish()
            .into_iter()
            .map(|rows| rows.into_iter().collect())
            .collect()
    }

    #[test]
    fn each_set_counts_every_row_by_its_keys() {
        let rows = vec![
            vec![
                Some("2019/seminar"),
                Some("female"),
                Some("5"),
                Some(r#"["sns","newspaper"]"#),
            ],
            vec![Some("2019/seminar"), Some("female"), Some("5"), None],
            vec![Some("2019/seminar"), None, Some("4"), Some(r#"["sns","newspaper"]"#)],
            vec![Some("2020/forum"), Some("female"), None, Some(r#"["sns"]"#)],
        ];
        let counts = tally(
            vec![false, false, true, true],
            vec![vec![0], vec![0, 1], vec![0, 2, 1], vec![3], vec![]],
            &rows,
        );
        assert_eq!(
            counts[0],
            HashMap::from([(vec![json!("2019/seminar")], 3), (vec![json!("2020/forum")], 1)])
        );
        assert_eq!(
            counts[1],
            HashMap::from([
                (vec![json!("2019/seminar"), json!("female")], 2),
                (vec![json!("2019/seminar"), Value::Null], 1),
                (vec![json!("2020/forum"), json!("female")], 1),
            ])
        );
        assert_eq!(
            counts[2],
            HashMap::from([
                (vec![json!("2019/seminar"), json!(5), json!("female")], 2),
                (vec![json!("2019/seminar"), json!(4), Value::Null], 1),
                (vec![json!("2020/forum"), Value::Null, json!("female")], 1),
            ])
        );
        assert_eq!(
            counts[3],
            HashMap::from([
                (vec![json!(["sns", "newspaper"])], 2),
                (vec![Value::Null], 1),
                (vec![json!(["sns"])], 1)
            ])
        );
        assert_eq!(counts[4], HashMap::from([(vec![], 4)]));
    }

    #[test]
    fn sets_are_limited_to_what_one_key_holds() {
        assert!(Tally::new(vec![false; 5], vec![vec![0, 1, 2, 3]]).is_some());
        assert!(Tally::new(vec![false; 5], vec![vec![0, 1, 2, 3, 4]]).is_none());
    }

    #[test]
    fn rows_come_out_in_the_order_their_values_were_first_met() {
        let rows: Vec<Vec<Option<&str>>> = (0..50)
            .map(|i| vec![Some(if i % 3 == 0 { "b" } else { "a" })])
            .collect();
        let mut tally = Tally::new(vec![false], vec![vec![0]]).expect("one key");
        for row in &rows {
            tally.add(row.iter().copied());
        }
        assert_eq!(
            tally.finish(),
            vec![vec![(vec![json!("b")], 17), (vec![json!("a")], 33)]]
        );
    }
}
