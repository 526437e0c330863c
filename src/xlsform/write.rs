//! A form as an XLSForm workbook.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{translated, AGENCY_FILE, INTRO, LANGUAGES, PURPOSE, PURPOSE_EN, SETTINGS_COLUMNS, TITLE_EN};
use crate::domain::form::{FormDefinition, Question, QuestionKind};
use crate::domain::lang::Localized;

/// Columns in order; a name ending in `::` stands for one column per language.
const SURVEY_COLUMNS: [&str; 11] = [
    "type",
    "name",
    "label::",
    "hint::",
    "required",
    "relevant",
    "constraint",
    "constraint_message::",
    "parameters",
    "min_label::",
    "max_label::",
];
const CHOICES_COLUMNS: [&str; 3] = ["list_name", "name", "label::"];

/// The workbook of `form`, numbered `version` in its settings.
pub fn write(form: &FormDefinition, version: i32) -> Result<Vec<u8>, XlsxError> {
    let mut survey = Table::new(&SURVEY_COLUMNS);
    let mut choices = Table::new(&CHOICES_COLUMNS);
    let mut intro = survey.row();
    intro.set("type", "note");
    intro.set("name", INTRO);
    intro.localized("label", &form.intro);
    survey.push(intro);
    let mut open_section: Option<&str> = None;
    for question in &form.questions {
        if question.section.as_deref() != open_section {
            if open_section.is_some() {
                survey.push(end_group(&survey));
            }
            if let Some(section) = question.section.as_deref().and_then(|id| form.section(id)) {
                let mut begin = survey.row();
                begin.set("type", "begin_group");
                begin.set("name", &section.id);
                begin.localized("label", &section.label);
                if let Some(rule) = &section.relevant {
                    begin.set("relevant", rule.source());
                }
                survey.push(begin);
            }
            open_section = question.section.as_deref();
        }
        write_notes(&mut survey, form, Some(&question.id));
        let row = question_row(&mut survey, question, &mut choices);
        survey.push(row);
    }
    if open_section.is_some() {
        survey.push(end_group(&survey));
    }
    write_notes(&mut survey, form, None);
    let mut settings = Table::new(&SETTINGS_COLUMNS);
    let mut row = settings.row();
    row.set("form_id", &form.slug);
    row.set("form_title", &form.title.ja);
    row.set(TITLE_EN, &form.title.en);
    row.set("version", &version.to_string());
    row.set("default_language", LANGUAGES[0].1);
    if let Some(purpose) = &form.purpose {
        row.set(PURPOSE, &purpose.ja);
        row.set(PURPOSE_EN, &purpose.en);
    }
    settings.push(row);

    let mut workbook = Workbook::new();
    for (name, table) in [("survey", &survey), ("choices", &choices), ("settings", &settings)] {
        add_sheet(&mut workbook, name, table)?;
    }
    workbook.save_to_buffer()
}

/// The note rows shown before `question` (after the last question when `None`).
fn write_notes(survey: &mut Table, form: &FormDefinition, question: Option<&str>) {
    for note in form.notes_before(question) {
        let mut row = survey.row();
        row.set("type", "note");
        row.set("name", &note.id);
        row.localized("label", &note.text);
        survey.push(row);
    }
}

fn end_group(survey: &Table) -> Row {
    let mut row = survey.row();
    row.set("type", "end_group");
    row
}

fn question_row(survey: &mut Table, question: &Question, choices: &mut Table) -> Row {
    let mut row = survey.row();
    row.set("name", &question.id);
    row.localized("label", &question.label);
    if let Some(help) = &question.help {
        row.localized("hint", help);
    }
    if question.required {
        row.set("required", "yes");
    }
    if let Some(rule) = &question.relevant {
        row.set("relevant", rule.source());
    }
    if let Some(message) = &question.constraint_message {
        row.localized("constraint_message", message);
    }
    let list = |choices: &mut Table, options: &[crate::domain::form::Choice]| {
        for option in options {
            let mut choice = choices.row();
            choice.set("list_name", &question.id);
            choice.set("name", &option.value);
            choice.localized("label", &option.label);
            choices.push(choice);
        }
    };
    match &question.kind {
        QuestionKind::SingleChoice { options } => {
            row.set("type", &format!("select_one {}", question.id));
            list(choices, options);
        }
        QuestionKind::MultiChoice { options } => {
            row.set("type", &format!("select_multiple {}", question.id));
            list(choices, options);
        }
        QuestionKind::Agency { .. } => row.set("type", &format!("select_one_from_file {AGENCY_FILE}")),
        QuestionKind::Scale {
            min,
            max,
            min_label,
            max_label,
        } => {
            row.set("type", "range");
            row.set("parameters", &format!("start={min} end={max} step=1"));
            row.localized("min_label", min_label);
            row.localized("max_label", max_label);
        }
        QuestionKind::Number { min, max } => {
            row.set("type", "integer");
            row.set("constraint", &format!(". >= {min} and . <= {max}"));
        }
        QuestionKind::Text { max_length } => {
            row.set("type", "text");
            row.set("constraint", &format!("string-length(.) <= {max_length}"));
        }
    }
    row
}

/// A sheet's rows before they are written: a header and cells by column name.
struct Table {
    header: Vec<String>,
    rows: Vec<Row>,
}

struct Row {
    cells: Vec<Option<String>>,
    header: Vec<String>,
}

impl Table {
    fn new(columns: &[&str]) -> Self {
        let header = columns
            .iter()
            .flat_map(|column| match column.strip_suffix("::") {
                Some(base) => LANGUAGES.iter().map(|(lang, _)| translated(base, *lang)).collect(),
                None => vec![(*column).to_owned()],
            })
            .collect();
        Self {
            header,
            rows: Vec::new(),
        }
    }

    fn row(&self) -> Row {
        Row {
            cells: vec![None; self.header.len()],
            header: self.header.clone(),
        }
    }

    fn push(&mut self, row: Row) {
        self.rows.push(row);
    }
}

impl Row {
    fn set(&mut self, column: &str, value: &str) {
        if let Some(index) = self.header.iter().position(|c| c == column) {
            self.cells[index] = Some(value.to_owned());
        }
    }

    fn localized(&mut self, base: &str, text: &Localized) {
        for (lang, _) in LANGUAGES {
            self.set(&translated(base, lang), text.get(lang));
        }
    }
}

fn add_sheet(workbook: &mut Workbook, name: &str, table: &Table) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    for (column, title) in table.header.iter().enumerate() {
        let column = u16::try_from(column).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, column, title, &bold)?;
        let width = if title.starts_with("label") || title.starts_with("hint") {
            40
        } else {
            16
        };
        sheet.set_column_width(column, width)?;
    }
    for (index, row) in table.rows.iter().enumerate() {
        let at = u32::try_from(index + 1).unwrap_or(u32::MAX);
        for (column, cell) in row.cells.iter().enumerate() {
            if let Some(text) = cell {
                sheet.write_string(at, u16::try_from(column).unwrap_or(u16::MAX), text)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}
