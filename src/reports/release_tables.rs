//! A researchers' release as flat tables: one row per figure of each closed question's tables
//! (its total, then each group of each attribute), read from the release document itself, so a
//! CSV or a workbook holds the JSON's figures and nothing more. A withheld figure is marked, never
//! left blank, so that nobody reads it as zero.

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde_json::Value;

use super::csv_file::CsvFile;

/// What stands in a withheld figure's place.
pub const WITHHELD: &str = "withheld";

const HEADER: [&str; 9] = [
    "question",
    "question_label",
    "attribute",
    "group",
    "group_label",
    "group_n",
    "option",
    "option_label",
    "count",
];

/// One figure: where it is and what it says.
struct Figure {
    question: String,
    question_label: String,
    attribute: String,
    group: String,
    group_label: String,
    group_n: String,
    option: String,
    option_label: String,
    count: String,
}

impl Figure {
    fn fields(&self) -> [&str; 9] {
        [
            &self.question,
            &self.question_label,
            &self.attribute,
            &self.group,
            &self.group_label,
            &self.group_n,
            &self.option,
            &self.option_label,
            &self.count,
        ]
    }
}

fn number(value: &Value) -> String {
    match value {
        Value::Null => WITHHELD.to_owned(),
        other => other.to_string(),
    }
}

fn ja(label: &Value) -> String {
    label["ja"].as_str().unwrap_or_default().to_owned()
}

/// Values and labels of merged categories as one: values joined with `+` (`none` for those who
/// did not answer), labels with `・`.
fn together(values: &[Value], label_of: impl Fn(&Value) -> String) -> (String, String) {
    let names: Vec<&str> = values.iter().map(|v| v.as_str().unwrap_or("none")).collect();
    let labels: Vec<String> = values.iter().map(label_of).collect();
    (names.join("+"), labels.join("・"))
}

/// Every figure of `release`'s closed-question tables, question by question; the figures of
/// merged options and groups as rows of their own.
fn figures(release: &Value) -> Vec<(String, Vec<Figure>)> {
    let empty = Vec::new();
    release["questions"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|question| {
            let id = question["id"].as_str().unwrap_or_default().to_owned();
            let options = question["options"].as_array().unwrap_or(&empty);
            let merged_options = |merged: &Value| {
                let values = merged.as_array().filter(|values| !values.is_empty())?;
                Some(together(values, |value| {
                    let option = options.iter().find(|o| &o["value"] == value);
                    option.map_or_else(|| "無回答".to_owned(), |o| ja(&o["label"]))
                }))
            };
            let mut rows = Vec::new();
            let total_merged = merged_options(&question["merged_options"]);
            let mut cells = vec![(
                String::new(),
                String::new(),
                String::new(),
                &question["total"],
                total_merged,
            )];
            if let Some(by) = question["by"].as_object() {
                for (attribute, table) in by {
                    let merged = merged_options(&table["merged"]["options"]);
                    for group in table["groups"].as_array().unwrap_or(&empty) {
                        let value = group["key"][attribute].as_str().unwrap_or_default().to_owned();
                        let label = ja(&group["labels"][attribute]);
                        cells.push((attribute.clone(), value, label, group, merged.clone()));
                    }
                    let group = &table["merged"]["group"];
                    if let (Some(values), Some(labels)) = (group["values"].as_array(), group["labels"].as_array()) {
                        let (value, _) = together(values, |_| String::new());
                        let label = labels.iter().map(ja).collect::<Vec<_>>().join("・");
                        cells.push((attribute.clone(), value, label, group, merged.clone()));
                    }
                }
            }
            for (attribute, group, group_label, cell, merged) in cells {
                let row = |option: &str, option_label: String, count: &Value| Figure {
                    question: id.clone(),
                    question_label: ja(&question["label"]),
                    attribute: attribute.clone(),
                    group: group.clone(),
                    group_label: group_label.clone(),
                    group_n: number(&cell["n"]),
                    option: option.to_owned(),
                    option_label,
                    count: number(count),
                };
                for option in options {
                    let value = option["value"].as_str().unwrap_or_default();
                    rows.push(row(value, ja(&option["label"]), &cell["counts"][value]));
                }
                if let Some((value, label)) = merged {
                    rows.push(row(&value, label, &cell["merged_count"]));
                }
            }
            (id, rows)
        })
        .collect()
}

/// The release as one long CSV table.
pub fn to_csv(release: &Value) -> Result<Vec<u8>, csv::Error> {
    let mut file = CsvFile::default();
    file.row(HEADER)?;
    for (_, rows) in figures(release) {
        for figure in rows {
            file.row(figure.fields())?;
        }
    }
    file.finish()
}

/// A tally of a release's figures as a line: how many of them are shown.
fn kept(tally: &Value) -> String {
    let (shown, withheld) = (
        tally["shown"].as_u64().unwrap_or(0),
        tally["withheld"].as_u64().unwrap_or(0),
    );
    let all = shown + withheld;
    format!("{shown} / {all} 件を表示（{withheld} 件は秘匿） / {shown} of {all} figures shown ({withheld} withheld)")
}

/// The release as a workbook: a sheet per question (named by its id), and a first sheet saying
/// what the release covers and how a withheld figure is marked.
pub fn to_workbook(release: &Value) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let about = workbook.add_worksheet();
    about.set_name("about")?;
    let filters = release["filters"].to_string();
    let lines = [
        (
            "form",
            release["filters"]["form"].as_str().unwrap_or_default().to_owned(),
        ),
        ("filters", filters),
        ("min_cell", release["min_cell"].to_string()),
        ("responses", number(&release["responses"])),
        ("kept: one-way", kept(&release["kept"]["one_way"])),
        ("kept: cross-tables", kept(&release["kept"]["cross_tables"])),
        (
            "generated_at",
            release["generated_at"].as_str().unwrap_or_default().to_owned(),
        ),
        (
            WITHHELD,
            "秘匿した数字（0 ではありません） / a figure withheld to protect people (not a zero)".to_owned(),
        ),
    ];
    for (row, (name, value)) in (0u32..).zip(lines) {
        about.write_string_with_format(row, 0, name, &bold)?;
        about.write_string(row, 1, value)?;
    }
    about.set_column_width(0, 16)?;
    about.set_column_width(1, 80)?;
    for (question, rows) in figures(release) {
        let sheet = workbook.add_worksheet();
        // Sheet names are at most 31 characters; question ids are identifiers.
        sheet.set_name(question.chars().take(31).collect::<String>())?;
        for (column, title) in (0u16..).zip(HEADER) {
            sheet.write_string_with_format(0, column, title, &bold)?;
        }
        for (row, figure) in (1u32..).zip(&rows) {
            for (column, field) in (0u16..).zip(figure.fields()) {
                match field.parse::<f64>() {
                    // group_n and count; option values stay text.
                    Ok(number) if matches!(column, 5 | 8) => {
                        sheet.write_number(row, column, number)?;
                    }
                    _ => {
                        sheet.write_string(row, column, field)?;
                    }
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn release() -> Value {
        json!({
            "filters": {"form": "seminar"}, "min_cell": 5, "responses": 12, "generated_at": "2026-12-06T00:00:00Z",
            "questions": [{
                "id": "satisfaction", "label": {"ja": "満足度", "en": "Satisfaction"}, "type": "scale",
                "options": [{"value": "1", "label": {"ja": "1", "en": "1"}}, {"value": "5", "label": {"ja": "5", "en": "5"}}],
                "n": 12, "total": {"n": 12, "counts": {"1": null, "5": 9}},
                "by": {"gender": {"groups": [
                    {"key": {"gender": "female"}, "labels": {"gender": {"ja": "女性", "en": "Female"}}, "n": 7, "counts": {"1": null, "5": 6}},
                    {"key": {"gender": "male"}, "labels": {"gender": {"ja": "男性", "en": "Male"}}, "n": null, "counts": null}
                ], "test": null}}
            }]
        })
    }

    #[test]
    fn every_figure_is_a_row_and_a_withheld_one_is_marked() {
        let csv = String::from_utf8(to_csv(&release()).unwrap()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 2 * 3, "{csv}");
        assert!(lines[1].ends_with(",12,1,1,withheld"), "{csv}");
        assert!(lines[2].ends_with(",12,5,5,9"), "{csv}");
        assert!(lines[4].contains("gender,female,女性,7,5,5,6"), "{csv}");
        assert!(lines[5].contains("gender,male,男性,withheld,1,1,withheld"), "{csv}");
    }

    #[test]
    fn merged_options_and_groups_are_rows_of_their_own() {
        let mut release = release();
        let question = &mut release["questions"][0];
        question["merged_options"] = json!(["1", null]);
        question["total"]["merged_count"] = json!(5);
        question["by"]["gender"]["merged"] = json!({
            "options": ["1", null],
            "group": {"values": ["other", null], "labels": [{"ja": "その他"}, {"ja": "無回答"}],
                      "n": null, "counts": {"1": null, "5": 7}, "merged_count": 6}
        });
        question["by"]["gender"]["groups"][0]["merged_count"] = json!(null);
        let csv = String::from_utf8(to_csv(&release).unwrap()).unwrap();
        assert!(csv.contains(",,,,12,1+none,1・無回答,5"), "{csv}");
        assert!(csv.contains("gender,female,女性,7,1+none,1・無回答,withheld"), "{csv}");
        assert!(csv.contains("gender,other+none,その他・無回答,withheld,5,5,7"), "{csv}");
        assert!(
            csv.contains("gender,other+none,その他・無回答,withheld,1+none,1・無回答,6"),
            "{csv}"
        );
    }

    #[test]
    fn the_workbook_has_a_sheet_per_question_after_what_the_release_keeps() {
        let mut release = release();
        release["kept"] = json!({"one_way": {"shown": 1, "withheld": 1}, "cross_tables": {"shown": 1, "withheld": 3}});
        let bytes = to_workbook(&release).unwrap();
        let mut workbook = crate::spreadsheet::open(&bytes).unwrap();
        let about = crate::spreadsheet::sheet_cells(&mut workbook, "about")
            .unwrap()
            .unwrap();
        let line = |name: &str| about.values().find(|row| row[&0] == name).map(|row| row[&1].clone());
        assert_eq!(
            line("kept: cross-tables").unwrap(),
            "1 / 4 件を表示（3 件は秘匿） / 1 of 4 figures shown (3 withheld)"
        );
        assert!(line("kept: one-way").unwrap().starts_with("1 / 2 件"));
        let satisfaction = crate::spreadsheet::sheet_cells(&mut workbook, "satisfaction")
            .unwrap()
            .unwrap();
        assert_eq!(satisfaction.len(), 1 + 2 * 3, "a header and a row per figure");
    }
}
