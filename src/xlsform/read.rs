//! An XLSForm workbook read into a form: each sheet's cells by column, each problem at its cell,
//! then the rows turned into the JSON a form file holds and checked by the same rules.

use std::collections::HashMap;

use calamine::Reader;
use serde_json::{json, Map, Value};

use super::{
    translated, Problem, AGENCY_FILE, ATTRIBUTES, DEFAULT_TEXT_LENGTH, INTRO, LANGUAGES, PURPOSE, PURPOSE_EN, TITLE_EN,
};
use crate::domain::attribute_block;
use crate::domain::form::{FormDefinition, FormError, AGENCY_QUESTION};
use crate::domain::lang::{Lang, Localized};
use crate::spreadsheet::{self, Workbook};

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
const SETTINGS_COLUMNS: [&str; 7] = [
    "form_id",
    "form_title",
    TITLE_EN,
    "version",
    "default_language",
    PURPOSE,
    PURPOSE_EN,
];
/// Columns that hold text per language.
const TRANSLATABLE: [&str; 5] = ["label", "hint", "constraint_message", "min_label", "max_label"];

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

/// One sheet: its header and its non-empty rows, cells by header.
struct Sheet {
    name: &'static str,
    /// Header text to its column index.
    columns: HashMap<String, u32>,
    rows: Vec<SheetRow>,
}

struct SheetRow {
    /// 1-based, as Excel numbers rows.
    number: u32,
    cells: HashMap<String, String>,
}

impl Sheet {
    fn load(
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
    fn cell(&self, row: u32, column: &str) -> String {
        cell_name(self.name, self.columns.get(column).copied().unwrap_or(0), row)
    }

    /// Where a row's first column named `base`, in any language, is (its name cell when there
    /// is none).
    fn cell_of(&self, row: u32, base: &str) -> String {
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
    fn text(&self, column: &str) -> Option<&str> {
        self.cells.get(column).map(String::as_str)
    }

    /// A translated column's text per language; a column without language is `default`'s.
    fn localized(&self, base: &str, default: Lang) -> Option<Value> {
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

fn settings_row(settings: &Sheet) -> Option<&SheetRow> {
    settings.rows.first()
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

fn parse_required(text: Option<&str>) -> Result<bool, Localized> {
    match text.map(str::to_ascii_lowercase).as_deref() {
        None | Some("no" | "false" | "false()" | "0") => Ok(false),
        Some("yes" | "true" | "true()" | "1") => Ok(true),
        Some(other) => Err(Localized::new(
            format!("required は yes か no です（{other:?} ではなく）"),
            format!("required is yes or no, not {other:?}"),
        )),
    }
}

/// What the archive's entries say they unpack to, read from its directory without unpacking.
/// `start=1 end=5 step=1`, XLSForm's defaults being 1, 10 and 1; steps other than 1 are refused.
fn parse_range(parameters: &str) -> Result<(i64, i64), Localized> {
    let (mut start, mut end) = (1, 10);
    for pair in parameters.split([' ', ';', ',']).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            Localized::new(
                format!("parameters は start=1 end=5 step=1 のように書きます（{pair:?} ではなく）"),
                format!("parameters are written start=1 end=5 step=1, not {pair:?}"),
            )
        })?;
        let number: i64 = value.trim().parse().map_err(|_| {
            Localized::new(
                format!("{key} は整数です（{value:?} ではなく）"),
                format!("{key} must be a whole number, not {value:?}"),
            )
        })?;
        match key.trim() {
            "start" => start = number,
            "end" => end = number,
            "step" if number == 1 => {}
            "step" => return Err(Localized::new("range の step は 1 にします", "a range steps by 1 here")),
            other => {
                return Err(Localized::new(
                    format!("parameters の {other:?} はありません（range で読むのは start, end, step）"),
                    format!("unknown parameter {other:?} (a range reads start, end and step)"),
                ))
            }
        }
    }
    Ok((start, end))
}

/// `. >= 0 and . <= 120`: an integer's range, both ends needed.
fn parse_bounds(constraint: &str) -> Result<(i64, i64), Localized> {
    let expected = || {
        Localized::new(
            "integer の constraint には範囲を書きます: . >= 0 and . <= 120",
            "an integer needs its range as its constraint: . >= 0 and . <= 120",
        )
    };
    let compact: String = constraint.chars().filter(|c| !c.is_whitespace()).collect();
    let (mut min, mut max) = (None, None);
    for part in compact.split("and") {
        let bound = |prefix: &str| part.strip_prefix(prefix).and_then(|n| n.parse::<i64>().ok());
        if let Some(n) = bound(".>=") {
            min = Some(n);
        } else if let Some(n) = bound(".<=") {
            max = Some(n);
        } else if let Some(n) = bound(".>") {
            min = Some(n + 1);
        } else if let Some(n) = bound(".<") {
            max = Some(n - 1);
        } else {
            return Err(expected());
        }
    }
    min.zip(max).ok_or_else(expected)
}

/// `string-length(.) <= 500`: a text's longest answer.
fn parse_length(constraint: &str) -> Result<usize, Localized> {
    let compact: String = constraint.chars().filter(|c| !c.is_whitespace()).collect();
    let length = |prefix: &str| compact.strip_prefix(prefix).and_then(|n| n.parse::<usize>().ok());
    length("string-length(.)<=")
        .or_else(|| length("string-length(.)<").map(|n| n.saturating_sub(1)))
        .ok_or_else(|| {
            Localized::new(
                "text の constraint には最長の文字数を書きます: string-length(.) <= 500",
                "a text's constraint gives its longest answer: string-length(.) <= 500",
            )
        })
}

/// `label::日本語 (ja)` is `label` in `日本語 (ja)`.
fn split_header(title: &str) -> (String, Option<String>) {
    match title.split_once("::") {
        Some((base, language)) => (base.trim().to_owned(), Some(language.trim().to_owned())),
        None => (title.trim().to_owned(), None),
    }
}

/// `日本語 (ja)`, `Japanese (ja)` and `ja` are Japanese.
fn language_of(name: &str) -> Option<Lang> {
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
fn cell_name(sheet: &str, column: u32, row: u32) -> String {
    format!("{sheet}!{}", spreadsheet::cell_address(column, row))
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

    #[test]
    fn ranges_bounds_and_lengths_are_read_in_their_usual_spellings() {
        assert_eq!(parse_range("start=1 end=5 step=1"), Ok((1, 5)));
        assert_eq!(parse_range("end=7"), Ok((1, 7)));
        assert!(parse_range("start=1 end=10 step=2").is_err());
        assert_eq!(parse_bounds(". >= 0 and . <= 120"), Ok((0, 120)));
        assert_eq!(parse_bounds(".<=9 and .>0"), Ok((1, 9)));
        assert!(parse_bounds(". >= 0").is_err());
        assert!(parse_bounds("regex(., '[0-9]+')").is_err());
        assert_eq!(parse_length("string-length(.) <= 500"), Ok(500));
        assert!(parse_length(". != ''").is_err());
        assert_eq!(parse_required(Some("Yes")), Ok(true));
        assert!(parse_required(Some("maybe")).is_err());
    }
}
