//! A workbook's sheets as this reader sees them: each sheet's header and non-empty rows, cells
//! by header, every problem at the cell it concerns.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{Problem, LANGUAGES};
use crate::domain::lang::{Lang, Localized};
use crate::spreadsheet::{self, Workbook};

/// Columns that hold text per language.
const TRANSLATABLE: [&str; 5] = ["label", "hint", "constraint_message", "min_label", "max_label"];

/// One sheet: its header and its non-empty rows, cells by header.
pub(super) struct Sheet {
    pub(super) name: &'static str,
    /// Header text to its column index.
    pub(super) columns: HashMap<String, u32>,
    pub(super) rows: Vec<SheetRow>,
}

pub(super) struct SheetRow {
    /// 1-based, as Excel numbers rows.
    pub(super) number: u32,
    pub(super) cells: HashMap<String, String>,
}

impl Sheet {
    pub(super) fn load(
        workbook: &mut Workbook,
        name: &'static str,
        known: &[&str],
        required: bool,
        problems: &mut Vec<Problem>,
    ) -> Option<Self> {
        let mut grid = match spreadsheet::sheet_cells(workbook, name) {
            Ok(Some(grid)) => grid,
            Ok(None) => {
                if required {
                    problems.push(Problem {
                        location: name.into(),
                        message: Localized::new(
                            format!("{name} シートが必要です"),
                            format!("the workbook needs a {name} sheet"),
                        ),
                    });
                }
                return None;
            }
            Err(reason) => {
                problems.push(Problem {
                    location: name.into(),
                    message: Localized::new(
                        format!("このシートを読み取れませんでした（{reason}）"),
                        format!("the sheet cannot be read ({reason})"),
                    ),
                });
                return None;
            }
        };
        let mut columns = HashMap::new();
        let mut header: HashMap<u32, String> = HashMap::new();
        let mut unknown = Vec::new();
        if let Some((header_row, cells)) = grid.pop_first() {
            for (column, text) in cells {
                let (base, language) = split_header(&text);
                let location = cell_name(name, column, header_row + 1);
                if !known.contains(&base.as_str()) {
                    unknown.push((text.clone(), location));
                } else if let Some(language) = language {
                    if !TRANSLATABLE.contains(&base.as_str()) {
                        problems.push(Problem {
                            location,
                            message: Localized::new(
                                format!("列 {base:?} は言語別に書く列ではありません"),
                                format!("column {base:?} has no languages"),
                            ),
                        });
                    } else if language_of(&language).is_none() {
                        problems.push(Problem {
                            location,
                            message: Localized::new(
                                format!("言語 {language:?}: フォームは日本語 (ja) と English (en) で尋ねます"),
                                format!("language {language:?}: forms are asked in 日本語 (ja) and English (en)"),
                            ),
                        });
                    }
                }
                columns.insert(text.clone(), column);
                header.insert(column, text);
            }
        }
        let rows = grid
            .into_iter()
            .filter_map(|(row, cells)| {
                let cells: HashMap<String, String> = cells
                    .into_iter()
                    .filter_map(|(column, text)| Some((header.get(&column)?.clone(), text)))
                    .collect();
                (!cells.is_empty()).then_some(SheetRow { number: row + 1, cells })
            })
            .collect::<Vec<SheetRow>>();
        // An empty column of another tool's is harmless; one with content would be dropped.
        for (title, location) in unknown {
            if rows.iter().any(|row| row.cells.contains_key(&title)) {
                problems.push(Problem {
                    location,
                    message: Localized::new(
                        format!(
                            "列 {title:?} には対応していません（このシートで読む列: {}）",
                            known.join(", ")
                        ),
                        format!(
                            "column {title:?} is not supported (this sheet reads {})",
                            known.join(", ")
                        ),
                    ),
                });
            }
        }
        Some(Self { name, columns, rows })
    }

    /// Where a column of a row is (the row's first cell when the column is absent).
    pub(super) fn cell(&self, row: u32, column: &str) -> String {
        cell_name(self.name, self.columns.get(column).copied().unwrap_or(0), row)
    }

    /// Where a row's first column named `base`, in any language, is (its name cell when there
    /// is none).
    pub(super) fn cell_of(&self, row: u32, base: &str) -> String {
        let translated = format!("{base}::");
        let column = self
            .columns
            .iter()
            .filter(|(title, _)| *title == base || title.starts_with(&translated))
            .map(|(_, &index)| index)
            .min();
        match column {
            Some(index) => cell_name(self.name, index, row),
            None => self.cell(row, "name"),
        }
    }
}

impl SheetRow {
    pub(super) fn text(&self, column: &str) -> Option<&str> {
        self.cells.get(column).map(String::as_str)
    }

    /// A translated column's text per language; a column without language is `default`'s.
    pub(super) fn localized(&self, base: &str, default: Lang) -> Option<Value> {
        let mut text: HashMap<Lang, &str> = HashMap::new();
        if let Some(plain) = self.text(base) {
            text.insert(default, plain);
        }
        for (title, value) in &self.cells {
            let (column_base, language) = split_header(title);
            if let (true, Some(lang)) = (column_base == base, language.as_deref().and_then(language_of)) {
                text.insert(lang, value);
            }
        }
        (!text.is_empty()).then(|| {
            json!({
                "ja": text.get(&Lang::Ja).copied().unwrap_or_default(),
                "en": text.get(&Lang::En).copied().unwrap_or_default(),
            })
        })
    }
}

pub(super) fn settings_row(settings: &Sheet) -> Option<&SheetRow> {
    settings.rows.first()
}

/// `label::日本語 (ja)` is `label` in `日本語 (ja)`.
pub(super) fn split_header(title: &str) -> (String, Option<String>) {
    match title.split_once("::") {
        Some((base, language)) => (base.trim().to_owned(), Some(language.trim().to_owned())),
        None => (title.trim().to_owned(), None),
    }
}

/// `日本語 (ja)`, `Japanese (ja)` and `ja` are Japanese.
pub(super) fn language_of(name: &str) -> Option<Lang> {
    let code = name
        .trim()
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once('('))
        .map_or(name.trim(), |(_, code)| code.trim());
    LANGUAGES
        .iter()
        .map(|(lang, _)| *lang)
        .find(|lang| lang.code().eq_ignore_ascii_case(code))
}

/// `survey!C7`.
pub(super) fn cell_name(sheet: &str, column: u32, row: u32) -> String {
    format!("{sheet}!{}", spreadsheet::cell_address(column, row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name("survey", 0, 1), "survey!A1");
        assert_eq!(cell_name("survey", 2, 7), "survey!C7");
    }

    #[test]
    fn languages_are_read_from_their_codes() {
        assert_eq!(language_of("日本語 (ja)"), Some(Lang::Ja));
        assert_eq!(language_of("English (en)"), Some(Lang::En));
        assert_eq!(language_of("en"), Some(Lang::En));
        assert_eq!(language_of("Français (fr)"), None);
    }
}
