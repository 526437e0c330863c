//! Opinion tendencies: the terms each group's comments use most, and how much more often the
//! group uses a term than everyone else (a smoothed log-odds ratio with its z-score).

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use serde::Serialize;

use crate::breakdown::{key_map, labels, rank, read_keys, Key, ALL};
use crate::spec::{Label, QuestionType, Variable};
use crate::AnalysisError;

/// Added to every count so that a term a group never uses still has finite odds.
const SMOOTHING: f64 = 0.5;
const COMMENT: &str = "__comment";
const COUNT: &str = "__count";
const COMMENTS: &str = "__comments";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermStat {
    pub term: String,
    /// Times the term occurs in the group's comments.
    pub count: u64,
    /// Comments of the group that contain it.
    pub comments: u64,
    /// `comments` as a percentage of the group's comments.
    pub share: f64,
    /// ln of the group's odds of using this term over everyone else's; `None` below the minimum
    /// count, where the ratio says more about chance than about the group.
    pub log_odds: Option<f64>,
    pub z: Option<f64>,
}

/// A group's comments and terms; `T` says what is told of each term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermCell<T = TermStat> {
    pub comments: Option<u64>,
    pub terms: Option<Vec<T>>,
    pub suppressed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermGroup<T = TermStat> {
    pub key: BTreeMap<String, Option<String>>,
    pub labels: BTreeMap<String, Label>,
    #[serde(flatten)]
    pub cell: TermCell<T>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermTable<T = TermStat> {
    pub by: Vec<String>,
    pub comments: Option<u64>,
    pub groups: Vec<TermGroup<T>>,
    pub total: TermCell<T>,
    /// Releases only: the groups merged away, shown as one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_group: Option<MergedTermGroup<T>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergedTermGroup<T> {
    /// The attribute's values it holds (`None`: those who did not answer the attribute).
    pub values: Vec<Option<String>>,
    pub labels: Vec<Label>,
    #[serde(flatten)]
    pub cell: TermCell<T>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermOptions {
    /// Terms listed per group.
    pub top: usize,
    /// Fewest occurrences in a group for a log-odds score.
    pub min_count: u64,
}

impl Default for TermOptions {
    fn default() -> Self {
        Self { top: 20, min_count: 3 }
    }
}

#[derive(Default)]
struct GroupTerms {
    comments: u64,
    /// term -> (count, comments containing it)
    terms: HashMap<String, (u64, u64)>,
}

impl GroupTerms {
    fn tokens(&self) -> u64 {
        self.terms.values().map(|(count, _)| count).sum()
    }
}

/// `frame` has one row per comment: the `by` attribute columns and `terms_column`, the comment's
/// terms as a list of strings.
pub fn term_table(
    frame: &DataFrame,
    terms_column: &str,
    by: &[Variable],
    options: TermOptions,
) -> Result<TermTable, AnalysisError> {
    if let Some(attribute) = by.iter().find(|a| a.kind != QuestionType::SingleChoice) {
        return Err(AnalysisError::Unsupported(format!("cannot group by {}", attribute.id)));
    }
    let keys: Vec<String> = by.iter().map(|a| a.id.clone()).collect();
    let rows = frame.clone().lazy().with_row_index(COMMENT, None);
    let mut groups = if by.is_empty() {
        Vec::new()
    } else {
        tally(rows.clone(), terms_column, &keys)?
    };
    let everyone = tally(rows.with_column(lit(ALL).alias(ALL)), terms_column, &[ALL.to_owned()])?
        .into_iter()
        .next()
        .map(|(_, terms)| terms)
        .unwrap_or_default();
    groups.sort_by_key(|(key, _)| rank(by, key));
    let total = cell(&everyone, None, options);
    Ok(TermTable {
        by: keys,
        comments: total.comments,
        groups: groups
            .iter()
            .map(|(key, terms)| TermGroup {
                key: key_map(by, key),
                labels: labels(by, key),
                cell: cell(terms, Some(&everyone), options),
            })
            .collect(),
        total,
        merged_group: None,
    })
}

fn tally(rows: LazyFrame, terms_column: &str, keys: &[String]) -> Result<Vec<(Key, GroupTerms)>, AnalysisError> {
    let key_columns: Vec<Expr> = keys.iter().map(|k| col(k.as_str())).collect();
    let sizes = rows
        .clone()
        .group_by(key_columns.clone())
        .agg([len().cast(DataType::UInt64).alias(COUNT)])
        .collect()?;
    let mut groups: HashMap<Key, GroupTerms> = HashMap::new();
    let counts = sizes.column(COUNT)?.u64()?;
    for (row, key) in read_keys(&sizes, keys)?.into_iter().enumerate() {
        groups.entry(key).or_default().comments = counts.get(row).unwrap_or(0);
    }
    let mut by_term = key_columns;
    by_term.push(col(terms_column));
    let terms = rows
        .explode(
            cols([terms_column]),
            ExplodeOptions {
                empty_as_null: false,
                keep_nulls: false,
            },
        )
        .filter(col(terms_column).is_not_null())
        .group_by(by_term)
        .agg([
            len().cast(DataType::UInt64).alias(COUNT),
            col(COMMENT).n_unique().cast(DataType::UInt64).alias(COMMENTS),
        ])
        .collect()?;
    let names = terms.column(terms_column)?.str()?;
    let counts = terms.column(COUNT)?.u64()?;
    let comments = terms.column(COMMENTS)?.u64()?;
    for (row, key) in read_keys(&terms, keys)?.into_iter().enumerate() {
        if let (Some(term), Some(count), Some(comments)) = (names.get(row), counts.get(row), comments.get(row)) {
            groups
                .entry(key)
                .or_default()
                .terms
                .insert(term.to_owned(), (count, comments));
        }
    }
    Ok(groups.into_iter().collect())
}

/// The group's top terms; with `everyone`, each scored against the rest of the comments.
fn cell(group: &GroupTerms, everyone: Option<&GroupTerms>, options: TermOptions) -> TermCell {
    let group_tokens = group.tokens() as f64;
    let mut terms: Vec<TermStat> = group
        .terms
        .iter()
        .map(|(term, &(count, comments))| {
            let score = everyone.filter(|_| count >= options.min_count).and_then(|everyone| {
                let all_count = everyone.terms.get(term).map_or(count, |(c, _)| *c);
                log_odds(
                    count as f64,
                    group_tokens,
                    (all_count - count) as f64,
                    (everyone.tokens() as f64) - group_tokens,
                )
            });
            TermStat {
                term: term.clone(),
                count,
                comments,
                share: if group.comments > 0 {
                    comments as f64 * 100.0 / group.comments as f64
                } else {
                    0.0
                },
                log_odds: score.map(|(lor, _)| lor),
                z: score.map(|(_, z)| z),
            }
        })
        .collect();
    terms.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.comments.cmp(&a.comments))
            .then(a.term.cmp(&b.term))
    });
    terms.truncate(options.top);
    TermCell {
        comments: Some(group.comments),
        terms: Some(terms),
        suppressed: false,
    }
}

/// The smoothed log odds ratio of a term used `y` times in `n` tokens of the group against `y_o`
/// times in `n_o` tokens of everyone else, and its z-score; `None` when no one else wrote anything.
pub fn log_odds(y: f64, n: f64, y_o: f64, n_o: f64) -> Option<(f64, f64)> {
    if n_o <= 0.0 {
        return None;
    }
    let a = SMOOTHING;
    let lor = ((y + a) / (n - y + a)).ln() - ((y_o + a) / (n_o - y_o + a)).ln();
    let variance = 1.0 / (y + a) + 1.0 / (n - y + a) + 1.0 / (y_o + a) + 1.0 / (n_o - y_o + a);
    Some((lor, lor / variance.sqrt()))
}
