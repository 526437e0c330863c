//! Building the responses frame from plain column data, as the service loads it.

use polars::prelude::*;

/// The values of one column, one per response.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    Text(Vec<Option<String>>),
    Integer(Vec<Option<i64>>),
    Choices(Vec<Option<Vec<String>>>),
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
