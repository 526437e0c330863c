//! `.xlsx` workbooks that staff exchange with the service (XLSForm forms, paper questionnaires
//! keyed into a template): what a workbook may claim is bounded before it is read, and a sheet
//! is read as text cells by position, without allocating its grid.

pub mod bounds;

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

/// The media type of an `.xlsx` workbook.
pub const MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A workbook opened for reading.
pub type Workbook<'a> = Xlsx<Cursor<&'a [u8]>>;

/// Cells' trimmed text by row, then column (both 0-based); empty cells are absent.
pub type Grid = BTreeMap<u32, BTreeMap<u32, String>>;

/// Opens a workbook whose claims are within [`bounds`]; what is wrong, in a sentence, otherwise.
pub fn open(bytes: &[u8]) -> Result<Workbook<'_>, String> {
    bounds::check(bytes)?;
    open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| format!("not a readable .xlsx workbook ({e})"))
}

/// A sheet's non-empty cells as text, read as a stream so that only the cells present cost
/// memory; `None` when the workbook has no such sheet.
pub fn sheet_cells(workbook: &mut Workbook, name: &str) -> Result<Option<Grid>, calamine::XlsxError> {
    if !workbook.sheet_names().iter().any(|sheet| sheet == name) {
        return Ok(None);
    }
    let mut reader = workbook.worksheet_cells_reader(name)?;
    let mut grid = Grid::new();
    while let Some(cell) = reader.next_cell()? {
        let (row, column) = cell.get_position();
        let text = text_of(&Data::from(cell.get_value().clone()));
        if !text.is_empty() {
            grid.entry(row).or_default().insert(column, text);
        }
    }
    Ok(Some(grid))
}

/// A cell's text as a person typed it: a whole number without `.0`.
fn text_of(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.trim().to_owned(),
        Data::Float(number) if number.fract() == 0.0 => format!("{number:.0}"),
        other => other.to_string().trim().to_owned(),
    }
}

/// `C7` for the 0-based column 2 of the 1-based row 7, as Excel names cells.
pub fn cell_address(column: u32, row: u32) -> String {
    let mut letters = String::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    format!("{letters}{row}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_address(0, 1), "A1");
        assert_eq!(cell_address(2, 7), "C7");
        assert_eq!(cell_address(25, 3), "Z3");
        assert_eq!(cell_address(26, 2), "AA2");
        assert_eq!(cell_address(701, 9), "ZZ9");
        assert_eq!(cell_address(702, 9), "AAA9");
    }

    #[test]
    fn something_that_is_not_a_workbook_says_so() {
        let error = open(b"slug,title\n").err().unwrap_or_default();
        assert!(error.contains("not a readable .xlsx workbook"), "{error}");
    }
}
