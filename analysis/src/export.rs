//! Raw exports for analysts: one row per response, one column per question, multi choice spread
//! into one 0/1 column per option, as CSV (with a byte order mark for Excel) or Parquet.

use polars::prelude::*;

use crate::spec::{QuestionType, Variable};

/// Spreads each multi-choice column of `frame` into `question.option` columns of 0/1 (null where
/// the question was skipped); other columns pass through in order.
pub fn flatten(frame: &DataFrame, questions: &[Variable]) -> PolarsResult<DataFrame> {
    let mut columns: Vec<Expr> = Vec::new();
    for name in frame.get_column_names() {
        match questions
            .iter()
            .find(|q| q.id == name.as_str() && q.kind == QuestionType::MultiChoice)
        {
            Some(question) => {
                let answered = col(name.clone())
                    .is_not_null()
                    .and(col(name.clone()).list().len().gt(lit(0)));
                for option in &question.options {
                    let ticked = col(name.clone())
                        .list()
                        .contains(lit(option.value.as_str()), false)
                        .cast(DataType::Int32);
                    columns.push(
                        when(answered.clone())
                            .then(ticked)
                            .otherwise(lit(NULL).cast(DataType::Int32))
                            .alias(format!("{}.{}", question.id, option.value)),
                    );
                }
            }
            None => columns.push(col(name.clone())),
        }
    }
    frame.clone().lazy().select(columns).collect()
}

/// CSV in UTF-8 with a byte order mark, for Excel, with text that a spreadsheet would run as a
/// formula made plain text.
pub fn to_csv(frame: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut buffer = Vec::new();
    CsvWriter::new(&mut buffer)
        .include_bom(true)
        .include_header(true)
        .finish(&mut without_formulas(frame)?)?;
    Ok(buffer)
}

/// Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return)
/// as a formula; a leading apostrophe keeps it text, as OWASP advises for CSV downloads. The one
/// function every CSV the service writes passes its text through.
pub fn spreadsheet_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn without_formulas(frame: &DataFrame) -> PolarsResult<DataFrame> {
    let columns = frame
        .columns()
        .iter()
        .map(|column| match column.dtype() {
            DataType::String => {
                let text: StringChunked = column.str()?.iter().map(|v| v.map(spreadsheet_text)).collect();
                Ok(text.with_name(column.name().clone()).into_column())
            }
            _ => Ok(column.clone()),
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new_infer_height(columns)
}

pub fn to_parquet(frame: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut buffer = Vec::new();
    ParquetWriter::new(&mut buffer).finish(frame)?;
    Ok(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_would_run_as_a_formula_stays_text() {
        let mut frame = build_frame(vec![(
            "opinion".to_owned(),
            ColumnData::Text(vec![
                Some("=HYPERLINK(\"http://example.com\")".to_owned()),
                Some("-1 point".to_owned()),
                Some("@SUM(A1)".to_owned()),
                Some("good, = fine".to_owned()),
                None,
            ]),
        )])
        .unwrap();
        let csv = String::from_utf8(to_csv(&mut frame).unwrap()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://example.com\"\")\"");
        assert_eq!(lines[2], "'-1 point");
        assert_eq!(lines[3], "'@SUM(A1)");
        assert_eq!(lines[4], "\"good, = fine\"");
    }
    use crate::frame::{build_frame, ColumnData};
    use crate::spec::{Choice, Label};

    #[test]
    fn multi_choice_becomes_one_column_per_option() {
        let frame = build_frame(vec![
            (
                "gender".into(),
                ColumnData::Text(vec![Some("female".into()), None, Some("male".into())]),
            ),
            (
                "heard_from".into(),
                ColumnData::Choices(vec![
                    Some(vec!["sns".into(), "newspaper".into()]),
                    None,
                    Some(vec!["sns".into()]),
                ]),
            ),
        ])
        .unwrap();
        let question = Variable {
            id: "heard_from".into(),
            label: Label::new("きっかけ", "Heard from"),
            kind: QuestionType::MultiChoice,
            options: vec![
                Choice::new("sns", "SNS", "SNS"),
                Choice::new("newspaper", "新聞", "Newspaper"),
            ],
        };
        let mut flat = flatten(&frame, &[question]).unwrap();
        let csv = String::from_utf8(to_csv(&mut flat).unwrap()).unwrap();
        assert_eq!(
            csv,
            "\u{feff}gender,heard_from.sns,heard_from.newspaper\nfemale,1,1\n,,\nmale,1,0\n"
        );
        let parquet = to_parquet(&mut flat).unwrap();
        assert_eq!(&parquet[..4], b"PAR1");
    }
}
