//! Counting for releases: how many respondents of each partition fall in each category of one
//! variable, or of a pair, in one grouped pass of polars per table.

use std::collections::HashMap;

use polars::prelude::*;

use crate::breakdown::{read_keys, Key};
use crate::frame::{responses, weighted};
use crate::spec::Variable;
use crate::AnalysisError;

/// The column that names each response's partition (e.g. fiscal year and event kind).
pub const PARTITION: &str = "__partition";
const COUNT: &str = "__count";
const ANSWERED: &str = "__answered";

/// Counts per distinct combination of `columns` (read as text; `None` for a null).
pub type Counted = HashMap<Key, u64>;

/// Where a release's counts come from: frames of the same responses, each with the [`PARTITION`]
/// column, a [`crate::frame::WEIGHT`] (or one row per response) and some of the variables, so
/// that each can be grouped as narrowly as the tables it serves. A count reads the first frame
/// that has every column it needs.
pub struct Sources(Vec<(Vec<String>, LazyFrame)>);

impl Sources {
    pub fn new(frames: &[DataFrame]) -> Self {
        Self(
            frames
                .iter()
                .map(|frame| {
                    let names = frame.get_column_names().iter().map(|name| name.to_string()).collect();
                    (names, weighted(frame))
                })
                .collect(),
        )
    }

    fn covering(&self, columns: &[&str]) -> Result<LazyFrame, AnalysisError> {
        self.0
            .iter()
            .find(|(names, _)| columns.iter().all(|column| names.iter().any(|name| name == column)))
            .map(|(_, frame)| frame.clone())
            .ok_or_else(|| AnalysisError::Unsupported(format!("no frame has all of {columns:?}")))
    }
}

pub fn count(sources: &Sources, columns: &[&str]) -> Result<Counted, AnalysisError> {
    count_in(sources.covering(columns)?, columns)
}

fn count_in(frame: LazyFrame, columns: &[&str]) -> Result<Counted, AnalysisError> {
    let keys: Vec<Expr> = columns.iter().map(|c| col(*c).cast(DataType::String)).collect();
    let counted = frame.group_by(keys).agg([responses().alias(COUNT)]).collect()?;
    let names: Vec<String> = columns.iter().map(|c| (*c).to_owned()).collect();
    let counts = counted.column(COUNT)?.u64()?;
    Ok(read_keys(&counted, &names)?
        .into_iter()
        .enumerate()
        .map(|(row, key)| (key, counts.get(row).unwrap_or(0)))
        .collect())
}

/// Counts of ticks of a list column (each value once per row): per `columns` and value.
pub fn count_ticks(sources: &Sources, columns: &[&str], list: &str) -> Result<Counted, AnalysisError> {
    let mut keys = columns.to_vec();
    keys.push(list);
    let exploded = sources.covering(&keys)?.explode(
        cols([list]),
        ExplodeOptions {
            empty_as_null: false,
            keep_nulls: false,
        },
    );
    count_in(exploded.filter(col(list).is_not_null()), &keys)
}

/// Counts of those who answered a list column (a non-empty list for choices, any list for
/// comments) as `"1"`, and of the others as `None`, per `columns`.
pub fn count_answered(
    sources: &Sources,
    columns: &[&str],
    list: &str,
    empty_is_answer: bool,
) -> Result<Counted, AnalysisError> {
    let answered = if empty_is_answer {
        col(list).is_not_null()
    } else {
        col(list).is_not_null().and(col(list).list().len().gt(lit(0)))
    };
    let mut needed = columns.to_vec();
    needed.push(list);
    let flagged = sources
        .covering(&needed)?
        .with_column(when(answered).then(lit("1")).otherwise(lit(NULL)).alias(ANSWERED));
    let mut keys = columns.to_vec();
    keys.push(ANSWERED);
    count_in(flagged, &keys)
}

/// The categories of a variable as counted: its options in order, then "no answer" (which also
/// takes values that are not among its options).
pub fn category_of(variable: &Variable, value: Option<&str>) -> usize {
    value
        .and_then(|v| variable.options.iter().position(|o| o.value == v))
        .unwrap_or(variable.options.len())
}

/// Sizes of `categories` categories for one partition from `counted` keyed by
/// (partition, value), with `index` placing a value.
pub fn sizes(counted: &Counted, partition: &str, categories: usize, index: impl Fn(Option<&str>) -> usize) -> Vec<u64> {
    let mut sizes = vec![0; categories];
    for (key, &n) in counted {
        if key.first().and_then(Option::as_deref) == Some(partition) {
            sizes[index(key.get(1).and_then(Option::as_deref))] += n;
        }
    }
    sizes
}

/// A cross-table for one partition from `counted` keyed by (partition, row value, column value).
pub fn grid(
    counted: &Counted,
    partition: &str,
    rows: usize,
    columns: usize,
    row_index: impl Fn(Option<&str>) -> usize,
    column_index: impl Fn(Option<&str>) -> usize,
) -> Vec<Vec<u64>> {
    let mut cells = vec![vec![0; columns]; rows];
    for (key, &n) in counted {
        if key.first().and_then(Option::as_deref) == Some(partition) {
            let value = |i: usize| key.get(i).and_then(Option::as_deref);
            cells[row_index(value(1))][column_index(value(2))] += n;
        }
    }
    cells
}
