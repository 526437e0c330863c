//! A filled template read back: each row's cells turned into the answers the phone would send,
//! checked by the same rules, every problem at its cell.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};
use unicode_normalization::UnicodeNormalization;

use super::{columns, Column, SheetProblem, ANSWERS_SHEET, FIRST_ROW, KEY_ROW, MARK, NUMBER_KEY};
use crate::domain::answers::Answers;
use crate::domain::form::{FormDefinition, QuestionKind};
use crate::domain::lang::Lang;
use crate::spreadsheet::{self, cell_address, Grid};

/// One questionnaire of the sheet, its answers checked.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedIn {
    /// The number written on the paper, as typed (full-width digits made plain).
    pub number: String,
    /// Where that number is (`A7`).
    pub number_cell: String,
    pub answers: Answers,
}

/// Marks that mean an option was chosen, as people write them on paper and in cells.
const CHOSEN: [&str; 8] = [MARK, "〇", "◯", "●", "✓", "✔", "1", "TRUE"];
/// Marks that mean it was not.
const NOT_CHOSEN: [&str; 4] = ["0", "×", "✕", "FALSE"];

/// Every questionnaire of a filled template of `form`, or every problem in it.
pub fn read(form: &FormDefinition, bytes: &[u8]) -> Result<Vec<KeyedIn>, Vec<SheetProblem>> {
    let unreadable = |reason: String| {
        vec![SheetProblem::new(
            "workbook",
            "unreadable_workbook",
            format!("ファイルを読み取れませんでした（{reason}）。"),
            reason,
        )]
    };
    let mut workbook = spreadsheet::open(bytes).map_err(unreadable)?;
    let grid = match spreadsheet::sheet_cells(&mut workbook, ANSWERS_SHEET) {
        Ok(Some(grid)) => grid,
        Ok(None) => {
            return Err(vec![SheetProblem::new(
                "workbook",
                "no_answers_sheet",
                format!("「{ANSWERS_SHEET}」シートがありません。この行事のテンプレートに入力してください。"),
                format!("the workbook has no {ANSWERS_SHEET} sheet: fill in this event's template"),
            )])
        }
        Err(error) => return Err(unreadable(error.to_string())),
    };
    let columns = columns(form);
    let layout = Layout::read(&grid, &columns)?;
    let mut problems = Vec::new();
    let mut keyed = Vec::new();
    let mut numbers: HashMap<String, String> = HashMap::new();
    for (&row, cells) in grid.range(FIRST_ROW..) {
        let Some(raw) = layout.raw_answers(row, cells, &mut problems) else {
            continue;
        };
        let number_cell = cell_address(layout.number, row + 1);
        let number: String = cells
            .get(&layout.number)
            .map(|n| n.nfkc().collect())
            .unwrap_or_default();
        let number = number.trim().to_owned();
        if number.is_empty() {
            problems.push(SheetProblem::new(
                &number_cell,
                "number_missing",
                "回答票の番号を入れてください（同じ回答票を二度取り込まないために使います）。".into(),
                "give the questionnaire's number (it keeps one questionnaire from being imported twice)".into(),
            ));
        } else if let Some(first) = numbers.get(&number) {
            problems.push(SheetProblem::new(
                &number_cell,
                "number_repeated",
                format!("番号「{number}」は{first}にもあります。回答票ごとに別の番号にしてください。"),
                format!("number {number:?} is also at {first}: each questionnaire needs its own number"),
            ));
        } else {
            numbers.insert(number.clone(), number_cell.clone());
        }
        match Answers::parse(form, &raw) {
            Ok(answers) => keyed.push(KeyedIn {
                number,
                number_cell,
                answers,
            }),
            Err(errors) => problems.extend(errors.into_iter().filter_map(|error| {
                let question = form.question(&error.field)?;
                let cell = cell_address(layout.first_column_of(&question.id), row + 1);
                let problem = SheetProblem::new(
                    cell,
                    error.problem.code(),
                    format!("{}：{}", question.label.ja, error.message(form, Lang::Ja)),
                    format!("{}: {}", question.label.en, error.message(form, Lang::En)),
                );
                Some(problem.about(question))
            })),
        }
    }
    if problems.is_empty() {
        Ok(keyed)
    } else {
        Err(problems)
    }
}

/// Which column holds what, from the sheet's second row.
struct Layout<'a> {
    number: u32,
    columns: Vec<(u32, &'a Column<'a>)>,
}

impl<'a> Layout<'a> {
    fn read(grid: &Grid, columns: &'a [Column<'a>]) -> Result<Self, Vec<SheetProblem>> {
        let by_key: HashMap<&str, &Column> = columns.iter().map(|c| (c.key.as_str(), c)).collect();
        let empty = BTreeMap::new();
        let keys = grid.get(&KEY_ROW).unwrap_or(&empty);
        let mut problems = Vec::new();
        let mut number = None;
        let mut found: Vec<(u32, &Column)> = Vec::new();
        for (&at, key) in keys {
            let cell = cell_address(at, KEY_ROW + 1);
            if key == NUMBER_KEY {
                number = Some(at);
            } else if let Some(column) = by_key.get(key.as_str()) {
                if found.iter().any(|(_, seen)| seen.key == column.key) {
                    problems.push(SheetProblem::new(
                        cell,
                        "column_repeated",
                        format!("列「{key}」が二つあります。"),
                        format!("column {key:?} appears twice"),
                    ));
                } else {
                    found.push((at, column));
                }
            } else {
                problems.push(SheetProblem::new(
                    cell,
                    "unknown_column",
                    format!("列「{key}」はこの行事のフォームにありません。この行事のテンプレートをダウンロードし直してください。"),
                    format!("column {key:?} is not in this event's form: download this event's template again"),
                ));
            }
        }
        if number.is_none() {
            problems.push(SheetProblem::new(
                cell_address(0, KEY_ROW + 1),
                "column_missing",
                format!("「番号」の列（2行目が「{NUMBER_KEY}」）がありません。"),
                format!("the number column (row 2 reading {NUMBER_KEY:?}) is missing"),
            ));
        }
        // A question left out is unanswered; a template made before an agency was added to the
        // list lacks the agency question, and is still good. Only a required one must be there.
        for column in columns.iter().filter(|column| column.question.required) {
            if !found.iter().any(|(_, seen)| seen.key == column.key) {
                problems.push(
                    SheetProblem::new(
                        cell_address(0, KEY_ROW + 1),
                        "column_missing",
                        format!(
                            "「{}」の列がありません。2行目は変えずにお使いください。",
                            column.header()
                        ),
                        format!(
                            "the column of {:?} is missing: keep row 2 as the template has it",
                            column.key
                        ),
                    )
                    .about(column.question),
                );
            }
        }
        match number {
            Some(number) if problems.is_empty() => Ok(Self { number, columns: found }),
            _ => Err(problems),
        }
    }

    /// The column a question's problems are shown at: its first.
    fn first_column_of(&self, question: &str) -> u32 {
        self.columns
            .iter()
            .filter(|(_, column)| column.question.id == question)
            .map(|(at, _)| *at)
            .min()
            .unwrap_or(self.number)
    }

    /// A row's answers as the phone would send them; `None` for a row with no answer (a number
    /// written in advance, or a blank line). Marks that are neither chosen nor not are problems.
    fn raw_answers(
        &self,
        row: u32,
        cells: &BTreeMap<u32, String>,
        problems: &mut Vec<SheetProblem>,
    ) -> Option<Map<String, Value>> {
        let answered: Vec<(&Column, &String, u32)> = self
            .columns
            .iter()
            .filter_map(|(at, column)| cells.get(at).map(|text| (*column, text, *at)))
            .collect();
        if answered.is_empty() {
            return None;
        }
        let mut raw = Map::new();
        for (column, text, at) in answered {
            let question = column.question;
            let typed: String = text.nfkc().collect::<String>().trim().to_owned();
            match (&question.kind, column.option) {
                (_, Some(option)) => {
                    if is_mark(&typed, &CHOSEN) {
                        let chosen = raw
                            .entry(question.id.clone())
                            .or_insert_with(|| Value::Array(Vec::new()));
                        if let Value::Array(values) = chosen {
                            values.push(Value::String(option.value.clone()));
                        }
                    } else if !is_mark(&typed, &NOT_CHOSEN) {
                        problems.push(
                            SheetProblem::new(
                                cell_address(at, row + 1),
                                "invalid_mark",
                                format!("{}：「{text}」は印として読めません。選んだときは「{MARK}」、選ばなかったときは空けてください。", column.header()),
                                format!("{}: {text:?} is not a mark: put {MARK} when the option was chosen, or leave it empty", column.key),
                            )
                            .about(question),
                        );
                    }
                }
                (QuestionKind::Scale { .. } | QuestionKind::Number { .. }, None) => {
                    let value = typed
                        .parse::<i64>()
                        .map_or_else(|_| Value::String(text.clone()), Value::from);
                    raw.insert(question.id.clone(), value);
                }
                (QuestionKind::Text { .. }, None) => {
                    raw.insert(question.id.clone(), Value::String(text.clone()));
                }
                (kind, None) => {
                    // A label in either language, or the stored value; anything else is kept as
                    // typed so that the answer check names it.
                    let value = kind
                        .options()
                        .iter()
                        .find(|option| {
                            [&option.label.ja, &option.label.en, &option.value]
                                .iter()
                                .any(|name| name.nfkc().collect::<String>().trim() == typed)
                        })
                        .map_or_else(|| text.clone(), |option| option.value.clone());
                    raw.insert(question.id.clone(), Value::String(value));
                }
            }
        }
        Some(raw)
    }
}

fn is_mark(typed: &str, marks: &[&str]) -> bool {
    marks.iter().any(|mark| mark.eq_ignore_ascii_case(typed))
}
