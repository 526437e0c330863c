//! An XLSForm workbook read into a form: each sheet's cells by column, each problem at its cell,
//! then the rows turned into the JSON a form file holds and checked by the same rules.

use std::collections::HashMap;

use calamine::Reader;
use serde_json::{json, Map, Value};

use super::cell_values::{parse_bounds, parse_length, parse_range, parse_required};
use super::sheet::{language_of, settings_row, split_header, Sheet, SheetRow};
use super::{
    translated, Problem, AGENCY_FILE, ATTRIBUTES, DEFAULT_TEXT_LENGTH, INTRO, PURPOSE, PURPOSE_EN, SETTINGS_COLUMNS,
    TITLE_EN,
};
use crate::domain::attribute_block;
use crate::domain::form::{FormDefinition, FormError, AGENCY_QUESTION};
use crate::domain::lang::{Lang, Localized};
use crate::spreadsheet;

const SURVEY_COLUMNS: [&str; 11] = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "parameters",
    "min_label",
    "max_label",
];
const CHOICES_COLUMNS: [&str; 3] = ["list_name", "name", "label"];

/// XLSForm types this service does not ask (yet), named in the refusal instead of "unknown".
const UNSUPPORTED_TYPES: [&str; 20] = [
    "decimal",
    "date",
    "time",
    "datetime",
    "geopoint",
    "geotrace",
    "geoshape",
    "image",
    "audio",
    "video",
    "file",
    "barcode",
    "calculate",
    "acknowledge",
    "hidden",
    "rank",
    "begin_repeat",
    "end_repeat",
    "select_multiple_from_file",
    "background-audio",
];

/// Reads a workbook into a checked form, or every problem found, each at its cell.
pub fn read(bytes: &[u8]) -> Result<FormDefinition, Vec<Problem>> {
    // Bound what the workbook claims before the reader trusts any of it.
    let mut workbook = spreadsheet::open(bytes).map_err(|reason| {
        vec![Problem {
            location: "workbook".into(),
            message: Localized::new(format!("ファイルを読み取れませんでした（{reason}）"), reason),
        }]
    })?;
    let mut problems = Vec::new();
    for name in workbook.sheet_names() {
        if ["external_choices", "entities", "osm"].contains(&name.as_str()) {
            problems.push(Problem {
                location: name.clone(),
                message: Localized::new(
                    format!("{name} シートにはまだ対応していません"),
                    format!("the {name} sheet is not supported yet"),
                ),
            });
        }
    }
    let mut sheet = |name: &'static str, columns: &[&str], required: bool| {
        Sheet::load(&mut workbook, name, columns, required, &mut problems)
    };
    let settings = sheet("settings", &SETTINGS_COLUMNS, true);
    let survey = sheet("survey", &SURVEY_COLUMNS, true);
    let choices = sheet("choices", &CHOICES_COLUMNS, false);
    let (Some(settings), Some(survey)) = (settings, survey) else {
        return Err(problems);
    };
    let default_lang = settings_row(&settings)
        .and_then(|row| row.text("default_language"))
        .map_or(Lang::Ja, |name| language_of(name).unwrap_or(Lang::Ja));
    let lists = choice_lists(choices.as_ref(), default_lang, &mut problems);
    let mut form = Converted::default();
    for row in &survey.rows {
        form.add_row(&survey, row, &lists, default_lang, &mut problems);
    }
    let raw = form.finish(&settings, &survey, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let locate = |error: FormError| form.locate(&survey, &settings, error);
    let definition =
        FormDefinition::parse_value(raw).map_err(|errors| errors.into_iter().map(locate).collect::<Vec<_>>())?;
    let deviations: Vec<Problem> = attribute_block::deviations(&definition)
        .into_iter()
        .map(locate)
        .collect();
    if deviations.is_empty() {
        Ok(definition)
    } else {
        Err(deviations)
    }
}

/// The choices sheet's lists by name, each option as a form file writes it.
fn choice_lists(choices: Option<&Sheet>, default: Lang, problems: &mut Vec<Problem>) -> HashMap<String, Vec<Value>> {
    let mut lists: HashMap<String, Vec<Value>> = HashMap::new();
    let Some(choices) = choices else {
        return lists;
    };
    for row in &choices.rows {
        let (Some(list), Some(name)) = (row.text("list_name"), row.text("name")) else {
            problems.push(Problem {
                location: choices.cell(
                    row.number,
                    if row.text("list_name").is_none() {
                        "list_name"
                    } else {
                        "name"
                    },
                ),
                message: Localized::new(
                    "選択肢には list_name と name が必要です",
                    "a choice needs a list_name and a name",
                ),
            });
            continue;
        };
        let label = row
            .localized("label", default)
            .unwrap_or_else(|| json!({"ja": "", "en": ""}));
        lists
            .entry(list.to_owned())
            .or_default()
            .push(json!({"value": name, "label": label}));
    }
    lists
}

/// The survey rows turned into a form file's questions, with the row each question came from.
#[derive(Default)]
struct Converted {
    intro: Option<Value>,
    sections: Vec<Value>,
    /// The group being read: its name and the row that began it.
    open_section: Option<(String, u32)>,
    notes: Vec<Value>,
    /// Notes read since the last question: shown before the next one.
    pending_notes: Vec<Value>,
    questions: Vec<Value>,
    rows: HashMap<String, u32>,
}

impl Converted {
    fn add_row(
        &mut self,
        survey: &Sheet,
        row: &SheetRow,
        lists: &HashMap<String, Vec<Value>>,
        default: Lang,
        problems: &mut Vec<Problem>,
    ) {
        let at = |column: &str| survey.cell(row.number, column);
        let mut problem = |column: &str, message: Localized| {
            problems.push(Problem {
                location: at(column),
                message,
            });
        };
        let Some(type_text) = row.text("type") else {
            return problem("type", Localized::new("行には type が必要です", "a row needs a type"));
        };
        let words: Vec<&str> = type_text.split_whitespace().collect();
        let name = row.text("name").unwrap_or_default();
        let is_first = self.questions.is_empty() && self.intro.is_none();
        match words.as_slice() {
            ["note"] if name == INTRO && is_first => {
                self.intro = row.localized("label", default);
                return;
            }
            ["note"] => {
                for column in ["required", "relevant", "constraint", "parameters", "hint"] {
                    if row.cells.keys().any(|title| split_header(title).0 == column) {
                        problem(
                            column,
                            Localized::new(
                                format!("{column} は note には使えません"),
                                format!("{column} does not apply to a note"),
                            ),
                        );
                    }
                }
                self.rows.insert(name.to_owned(), row.number);
                self.pending_notes
                    .push(json!({"id": name, "text": row.localized("label", default).unwrap_or_default()}));
                return;
            }
            [word] if *word == ATTRIBUTES => {
                self.place_notes_before(attribute_block::questions().first().map(|q| q.id.as_str()));
                for question in attribute_block::questions() {
                    self.rows.insert(question.id.clone(), row.number);
                    let mut question = serde_json::to_value(question).unwrap_or_default();
                    if let Some((section, _)) = &self.open_section {
                        question["section"] = json!(section);
                    }
                    self.questions.push(question);
                }
                return;
            }
            ["begin_group"] | ["begin", "group"] => {
                if let Some((open, _)) = &self.open_section {
                    return problem(
                        "type",
                        Localized::new(
                            format!(
                                "グループの入れ子にはまだ対応していません（このグループは {open:?} の中にあります）"
                            ),
                            format!("groups inside groups are not supported yet (this one is inside {open:?})"),
                        ),
                    );
                }
                for column in ["required", "constraint", "parameters", "hint"] {
                    if row.cells.keys().any(|title| split_header(title).0 == column) {
                        problem(
                            column,
                            Localized::new(
                                format!("{column} はグループには使えません"),
                                format!("{column} does not apply to a group"),
                            ),
                        );
                    }
                }
                let mut section = json!({"id": name, "label": row.localized("label", default).unwrap_or_default()});
                if let Some(rule) = row.text("relevant") {
                    section["relevant"] = json!(rule);
                }
                self.sections.push(section);
                self.rows.insert(name.to_owned(), row.number);
                self.open_section = Some((name.to_owned(), row.number));
                return;
            }
            ["end_group"] | ["end", "group"] => {
                if self.open_section.take().is_none() {
                    problem(
                        "type",
                        Localized::new(
                            "end_group の前に begin_group がありません",
                            "end_group without a begin_group before it",
                        ),
                    );
                }
                return;
            }
            _ => {}
        }
        let mut question = Map::new();
        question.insert("id".into(), json!(name));
        question.insert("label".into(), row.localized("label", default).unwrap_or_default());
        if let Some(hint) = row.localized("hint", default) {
            question.insert("help".into(), hint);
        }
        match parse_required(row.text("required")) {
            Ok(required) => {
                question.insert("required".into(), json!(required));
            }
            Err(message) => problem("required", message),
        }
        if let Some(rule) = row.text("relevant") {
            question.insert("relevant".into(), json!(rule));
        }
        if let Some((section, _)) = &self.open_section {
            question.insert("section".into(), json!(section));
        }
        if let Some(message) = row.localized("constraint_message", default) {
            question.insert("constraint_message".into(), message);
        }
        // Which of the type-specific columns this type reads; any other given is refused.
        let reads: &[&str] = match words.as_slice() {
            ["select_one" | "select_multiple", list] => {
                let kind = if words[0] == "select_one" {
                    "single_choice"
                } else {
                    "multi_choice"
                };
                question.insert("type".into(), json!(kind));
                match lists.get(*list) {
                    Some(options) => {
                        question.insert("options".into(), json!(options));
                    }
                    None => problem(
                        "type",
                        Localized::new(
                            format!("choices シートにリスト {list:?} がありません"),
                            format!("no list {list:?} in the choices sheet"),
                        ),
                    ),
                }
                &[]
            }
            ["select_one_from_file", file] if *file == AGENCY_FILE => {
                question.insert("type".into(), json!("agency"));
                &[]
            }
            ["select_one_from_file", file] => {
                problem(
                    "type",
                    Localized::new(
                        format!(
                            "{file:?}: 選べるファイルは {AGENCY_FILE}（このサービスの機関一覧、{AGENCY_QUESTION} 用）だけです"
                        ),
                        format!(
                            "{file:?}: the only file a question can choose from is {AGENCY_FILE}, the service's agency list (for {AGENCY_QUESTION})"
                        ),
                    ),
                );
                &[]
            }
            ["range"] => {
                question.insert("type".into(), json!("scale"));
                match parse_range(row.text("parameters").unwrap_or_default()) {
                    Ok((min, max)) => {
                        question.insert("min".into(), json!(min));
                        question.insert("max".into(), json!(max));
                    }
                    Err(message) => problem("parameters", message),
                }
                for end in ["min_label", "max_label"] {
                    if let Some(label) = row.localized(end, default) {
                        question.insert(end.into(), label);
                    } else {
                        problem(
                            &translated(end, Lang::Ja),
                            Localized::new(
                                format!("range には両方の言語の {end}（その端が何を表すか）が必要です"),
                                format!("a range needs {end} in both languages: what its end means"),
                            ),
                        );
                    }
                }
                &["parameters", "min_label", "max_label"]
            }
            ["integer"] => {
                question.insert("type".into(), json!("number"));
                match parse_bounds(row.text("constraint").unwrap_or_default()) {
                    Ok((min, max)) => {
                        question.insert("min".into(), json!(min));
                        question.insert("max".into(), json!(max));
                    }
                    Err(message) => problem("constraint", message),
                }
                &["constraint", "constraint_message"]
            }
            ["text"] => {
                question.insert("type".into(), json!("text"));
                match row
                    .text("constraint")
                    .map(parse_length)
                    .unwrap_or(Ok(DEFAULT_TEXT_LENGTH))
                {
                    Ok(length) => {
                        question.insert("max_length".into(), json!(length));
                    }
                    Err(message) => problem("constraint", message),
                }
                &["constraint", "constraint_message"]
            }
            [first, ..]
                if UNSUPPORTED_TYPES.contains(first) || first.starts_with("begin") || first.starts_with("end") =>
            {
                problem(
                    "type",
                    Localized::new(
                        format!("種類 {type_text:?} にはまだ対応していません"),
                        format!("type {type_text:?} is not supported yet"),
                    ),
                );
                return;
            }
            _ => {
                let known = format!(
                    "select_one LIST, select_multiple LIST, integer, text, range, note, begin_group, end_group, attributes, select_one_from_file {AGENCY_FILE}"
                );
                problem(
                    "type",
                    Localized::new(
                        format!("種類 {type_text:?} はありません（使える種類: {known}）"),
                        format!("unknown type {type_text:?} (expected {known})"),
                    ),
                );
                return;
            }
        };
        for column in [
            "parameters",
            "constraint",
            "constraint_message",
            "min_label",
            "max_label",
        ] {
            let given = row.cells.keys().any(|title| split_header(title).0 == column);
            if given && !reads.contains(&column) {
                problem(
                    column,
                    Localized::new(
                        format!("{column} は {type_text} の質問には使えません"),
                        format!("{column} does not apply to a {type_text} question"),
                    ),
                );
            }
        }
        self.place_notes_before(Some(name));
        self.rows.insert(name.to_owned(), row.number);
        self.questions.push(Value::Object(question));
    }

    /// The notes read since the last question are shown before `question` (at the end if none).
    fn place_notes_before(&mut self, question: Option<&str>) {
        for mut note in self.pending_notes.drain(..) {
            if let Some(question) = question {
                note["before"] = json!(question);
            }
            self.notes.push(note);
        }
    }

    /// Closes the survey sheet (trailing notes, an open group) and gives the form file's JSON.
    fn finish(&mut self, settings: &Sheet, survey: &Sheet, problems: &mut Vec<Problem>) -> Value {
        let row = settings_row(settings);
        let setting = |column: &str| row.and_then(|r| r.text(column)).unwrap_or_default();
        if setting("form_id").is_empty() {
            problems.push(Problem {
                location: settings.cell(2, "form_id"),
                message: Localized::new(
                    "form_id（フォームのスラッグ）が必要です",
                    "form_id, the form's slug, is needed",
                ),
            });
        }
        if self.intro.is_none() {
            problems.push(Problem {
                location: survey.cell(2, "type"),
                message: Localized::new(
                    "最初の行ははじめの説明です: 名前が intro の note を両方の言語で書きます",
                    "the first row is the introduction: a note named intro, in both languages",
                ),
            });
        }
        self.place_notes_before(None);
        if let Some((section, row)) = &self.open_section {
            problems.push(Problem {
                location: survey.cell(*row, "type"),
                message: Localized::new(
                    format!("グループ {section:?} に end_group がありません"),
                    format!("the group {section:?} has no end_group"),
                ),
            });
        }
        let purpose = [setting(PURPOSE), setting(PURPOSE_EN)];
        json!({
            "slug": setting("form_id"),
            "title": {"ja": setting("form_title"), "en": setting(TITLE_EN)},
            "intro": self.intro,
            "purpose": (purpose != ["", ""]).then(|| json!({"ja": purpose[0], "en": purpose[1]})),
            "sections": self.sections,
            "notes": self.notes,
            "questions": self.questions,
        })
    }

    /// Where a problem the form's own checks found is: its question's row, at the column that
    /// holds the property concerned.
    fn locate(&self, survey: &Sheet, settings: &Sheet, error: FormError) -> Problem {
        let location = match (&error.question, error.field) {
            (Some(question), field) => {
                let row = self.rows.get(question).copied().unwrap_or(1);
                let is_scale = || {
                    self.questions
                        .iter()
                        .any(|q| q["id"] == question.as_str() && q["type"] == "scale")
                };
                let column = match field {
                    None | Some("section" | "before") => "name",
                    Some("help") => "hint",
                    Some("options") => "type",
                    Some("min" | "max") if is_scale() => "parameters",
                    Some("min" | "max" | "max_length") => "constraint",
                    Some(field) => field,
                };
                survey.cell_of(row, column)
            }
            (None, Some("slug")) => settings.cell(2, "form_id"),
            (None, Some("title")) => settings.cell(2, "form_title"),
            (None, Some("intro")) => survey.cell_of(2, "label"),
            (None, Some("purpose")) => settings.cell(2, PURPOSE),
            (None, _) => "workbook".into(),
        };
        Problem {
            location,
            message: error.localized(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_that_unpacks_too_large_is_refused_before_it_is_read() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let long = "あ".repeat(10_000);
        for row in 0..800 {
            sheet.write_string(row, 0, format!("{row}{long}")).unwrap();
        }
        let problems = read(&book.save_to_buffer().unwrap()).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.en.contains("unpacks to"), "{problems:?}");
        assert!(
            problems[0].message.ja.starts_with("ファイルを読み取れませんでした"),
            "{problems:?}"
        );
    }
}
