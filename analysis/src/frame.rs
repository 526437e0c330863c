//! Building the responses frame from plain column data, as the service loads it. A frame may
//! carry a [`WEIGHT`] column: each row then stands for that many responses with the same answers
//! (the service counts identical rows in PostgreSQL, so a frame grows with the distinct answers,
//! not with the responses); without one, each row is one response.

use polars::prelude::*;

/// How many responses a row stands for.
pub const WEIGHT: &str = "__weight";

/// The values of one column, one per response.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    Text(Vec<Option<String>>),
    Integer(Vec<Option<i64>>),
    Choices(Vec<Option<Vec<String>>>),
}

/// A frame whose rows each stand for `weights[row]` responses.
pub fn build_weighted_frame(mut columns: Vec<(String, ColumnData)>, weights: Vec<i64>) -> PolarsResult<DataFrame> {
    columns.push((
        WEIGHT.to_owned(),
        ColumnData::Integer(weights.into_iter().map(Some).collect()),
    ));
    build_frame(columns)
}

/// The frame, lazily, with its weights as unsigned counts (one per row where it has none).
pub(crate) fn weighted(frame: &DataFrame) -> LazyFrame {
    let lazy = frame.clone().lazy();
    if frame.column(WEIGHT).is_ok() {
        lazy.with_column(col(WEIGHT).cast(DataType::UInt64))
    } else {
        lazy.with_column(lit(1u64).alias(WEIGHT))
    }
}

/// The number of responses in each group: the sum of the rows' weights.
pub(crate) fn responses() -> Expr {
    col(WEIGHT).sum().cast(DataType::UInt64)
}

pub fn build_frame(columns: Vec<(String, ColumnData)>) -> PolarsResult<DataFrame> {
    let columns = columns
        .into_iter()
        .map(|(name, data)| {
            let name = PlSmallStr::from(name);
            let series = match data {
                ColumnData::Text(values) => Series::new(name, values),
                ColumnData::Integer(values) => Series::new(name, values),
                ColumnData::Choices(values) => {
                    let lists: ListChunked = values
                        .into_iter()
                        .map(|choices| choices.map(|choices| Series::new(PlSmallStr::EMPTY, choices)))
                        .collect();
                    // With no rows (or only skipped answers) the inner type cannot be inferred.
                    lists
                        .with_name(name)
                        .into_series()
                        .cast(&DataType::List(Box::new(DataType::String)))?
                }
            };
            Ok(series.into_column())
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new_infer_height(columns)
}
