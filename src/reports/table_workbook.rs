//! Tables as one Excel workbook, a sheet each, with figures written as numbers so they can be
//! summed and charted as they are.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub struct NamedTable {
    /// The sheet's name (Excel keeps 31 characters, none of `[]:*?/\`).
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A name Excel accepts, unique among `taken`.
fn sheet_name(name: &str, taken: &[String]) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control())
        .take(28)
        .collect();
    let clean = if clean.trim().is_empty() {
        "表".to_owned()
    } else {
        clean
    };
    let mut candidate = clean.clone();
    let mut n = 1;
    while taken.contains(&candidate) {
        n += 1;
        candidate = format!("{clean}_{n}");
    }
    candidate
}

pub fn to_xlsx(tables: &[NamedTable]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let mut names = Vec::new();
    for table in tables {
        let name = sheet_name(&table.name, &names);
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name)?;
        names.push(name);
        for (column, header) in (0u16..).zip(&table.headers) {
            sheet.write_string_with_format(0, column, header, &bold)?;
        }
        for (row, cells) in (1u32..).zip(&table.rows) {
            for (column, cell) in (0u16..).zip(cells) {
                match cell.parse::<f64>() {
                    Ok(number) if number.is_finite() => sheet.write_number(row, column, number)?,
                    _ => sheet.write_string(row, column, cell)?,
                };
            }
        }
        sheet.autofit();
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_ones_excel_takes() {
        assert_eq!(sheet_name("活動指標[1]: 回復/セミナー", &[]), "活動指標1 回復セミナー");
        assert_eq!(sheet_name("表", &["表".to_owned()]), "表_2");
        assert_eq!(sheet_name("x".repeat(40).as_str(), &[]).chars().count(), 28);
        assert_eq!(sheet_name("??", &[]), "表");
    }
}
