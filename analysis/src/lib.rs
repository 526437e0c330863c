//! Survey statistics with polars: takes plain data, returns plain serialisable structs.
//! No HTTP and no database here, so every statistic can be tested on a hand-made frame.

use polars::prelude::*;
use serde::Serialize;

/// How many respondents gave each value, in descending order of count, then by value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueCount {
    pub value: String,
    pub count: u32,
}

/// Counts the non-null values of `column` in `frame`.
pub fn count_values(frame: &DataFrame, column: &str) -> PolarsResult<Vec<ValueCount>> {
    let counted = frame
        .clone()
        .lazy()
        .filter(col(column).is_not_null())
        .group_by([col(column)])
        .agg([len().alias("count")])
        .sort_by_exprs(
            [col("count"), col(column)],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let values = counted.column(column)?.str()?;
    let counts = counted.column("count")?.u32()?;
    Ok(values
        .iter()
        .zip(counts.iter())
        .filter_map(|(value, count)| {
            Some(ValueCount {
                value: value?.to_owned(),
                count: count?,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_skip_missing_answers_and_sort_by_count() {
        let frame = df!("gender" => [Some("female"), Some("male"), None, Some("female")]).unwrap();
        let counts = count_values(&frame, "gender").unwrap();
        assert_eq!(
            counts,
            [
                ValueCount {
                    value: "female".into(),
                    count: 2
                },
                ValueCount {
                    value: "male".into(),
                    count: 1
                },
            ]
        );
    }
}
