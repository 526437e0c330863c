//! The template an event's paper questionnaires are keyed into.

use rust_xlsxwriter::{
    utility::row_col_to_cell_absolute, DataValidation, DataValidationRule, Format, Formula, Workbook, Worksheet,
    XlsxError,
};

use super::{columns, Column, ANSWERS_SHEET, CHOICES_SHEET, FIRST_ROW, GUIDE_SHEET, KEY_ROW, MARK, NUMBER_KEY};
use crate::domain::form::{FormDefinition, QuestionKind};

/// Rows numbered in advance, and rows the drop-down lists and checks cover.
const NUMBERED_ROWS: u32 = 200;
const CHECKED_ROWS: u32 = 2000;

/// The template of `form`, its rows numbered from `first_number` (after the questionnaires of
/// this event already on paper, so that a new batch does not reuse their numbers).
pub fn template(form: &FormDefinition, first_number: i64) -> Result<Vec<u8>, XlsxError> {
    let columns = columns(form);
    let mut workbook = Workbook::new();
    let answers = workbook.add_worksheet();
    answers.set_name(ANSWERS_SHEET)?;
    write_answers_sheet(answers, &columns, first_number)?;
    let choices = workbook.add_worksheet();
    choices.set_name(CHOICES_SHEET)?;
    let lists = write_choice_lists(choices, &columns)?;
    let answers = workbook.worksheet_from_name(ANSWERS_SHEET)?;
    for (index, column) in columns.iter().enumerate() {
        let at = sheet_column(index + 1);
        if let Some(validation) = validation(column, lists.get(&column.key))? {
            answers.add_data_validation(FIRST_ROW, at, FIRST_ROW + CHECKED_ROWS, at, &validation)?;
        }
    }
    let guide = workbook.add_worksheet();
    guide.set_name(GUIDE_SHEET)?;
    write_guide(guide, form)?;
    workbook.save_to_buffer()
}

fn sheet_column(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}

fn write_answers_sheet(sheet: &mut Worksheet, columns: &[Column], first_number: i64) -> Result<(), XlsxError> {
    let header = Format::new().set_bold().set_text_wrap().set_background_color("#EEF3F8");
    let key = Format::new().set_italic().set_font_color("#888888");
    sheet.write_string_with_format(0, 0, "番号", &header)?;
    sheet.write_string_with_format(KEY_ROW, 0, NUMBER_KEY, &key)?;
    sheet.set_column_width(0, 8)?;
    for (index, column) in columns.iter().enumerate() {
        let at = sheet_column(index + 1);
        sheet.write_string_with_format(0, at, column.header(), &header)?;
        sheet.write_string_with_format(KEY_ROW, at, &column.key, &key)?;
        let width = match column.question.kind {
            QuestionKind::Text { .. } => 40,
            _ if column.option.is_some() => 10,
            _ => 18,
        };
        sheet.set_column_width(at, width)?;
    }
    sheet.set_row_height(0, 48)?;
    for offset in 0..NUMBERED_ROWS {
        // Whole numbers up to 2^53 are exact in a cell.
        #[allow(clippy::cast_precision_loss)]
        let number = (first_number + i64::from(offset)) as f64;
        sheet.write_number(FIRST_ROW + offset, 0, number)?;
    }
    sheet.set_freeze_panes(FIRST_ROW, 1)?;
    Ok(())
}

/// One column per single choice with its labels; the range each list takes, by column key.
fn write_choice_lists(
    sheet: &mut Worksheet,
    columns: &[Column],
) -> Result<std::collections::HashMap<String, String>, XlsxError> {
    let bold = Format::new().set_bold();
    let mut ranges = std::collections::HashMap::new();
    let single = columns
        .iter()
        .filter(|c| c.option.is_none() && c.question.kind.is_single_choice());
    for (index, column) in single.enumerate() {
        let at = sheet_column(index);
        sheet.write_string_with_format(0, at, &column.question.label.ja, &bold)?;
        sheet.set_column_width(at, 24)?;
        let options = column.question.kind.options();
        for (row, option) in (1u32..).zip(options) {
            sheet.write_string(row, at, &option.label.ja)?;
        }
        let last = u32::try_from(options.len()).unwrap_or(u32::MAX);
        ranges.insert(
            column.key.clone(),
            format!(
                "='{CHOICES_SHEET}'!{}:{}",
                row_col_to_cell_absolute(1, at),
                row_col_to_cell_absolute(last.max(1), at)
            ),
        );
    }
    Ok(ranges)
}

/// The check Excel applies while staff type: a list, a whole number in range, a length.
fn validation(column: &Column, list: Option<&String>) -> Result<Option<DataValidation>, XlsxError> {
    let check = match (&column.question.kind, column.option, list) {
        (_, Some(_), _) => DataValidation::new()
            .allow_list_strings(&[MARK])?
            .set_error_message(format!(
                "選んだ選択肢には「{MARK}」を入れ、選ばなかったものは空けてください。"
            ))?,
        (_, None, Some(range)) => DataValidation::new()
            .allow_list_formula(Formula::new(range))
            .set_error_message("一覧にある選択肢を選んでください。")?,
        (QuestionKind::Scale { min, max, .. } | QuestionKind::Number { min, max }, None, None) => {
            let (Ok(min), Ok(max)) = (i32::try_from(*min), i32::try_from(*max)) else {
                return Ok(None);
            };
            DataValidation::new()
                .allow_whole_number(DataValidationRule::Between(min, max))
                .set_error_message(format!("{min}から{max}までの数字を入れてください。"))?
        }
        (QuestionKind::Text { max_length }, None, None) => {
            let Ok(max) = u32::try_from(*max_length) else {
                return Ok(None);
            };
            DataValidation::new()
                .allow_text_length(DataValidationRule::LessThanOrEqualTo(max))
                .set_error_message(format!("{max}文字以内で入れてください。"))?
        }
        _ => return Ok(None),
    };
    Ok(Some(check))
}

fn write_guide(sheet: &mut Worksheet, form: &FormDefinition) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, format!("{}（紙の回答票の入力用）", form.title.ja), &bold)?;
    let lines = [
        "「回答票」シートに、紙の回答票1枚を1行に入力してください。".to_owned(),
        "「番号」は回答票に書いた番号です。同じファイルをもう一度取り込んでも、同じ番号の回答は二重に保存されません。".to_owned(),
        "選択肢の質問は、セルの一覧から選んでください。複数選べる質問は、選んだ選択肢の列に「○」を入れます。".to_owned(),
        "回答のない質問は空けておいてください。2行目（列の名前）は変えないでください。".to_owned(),
        "取り込むときは、すべての行を確認します。問題があるときは、そのセル（例：B7）と内容をお知らせし、何も保存しません。".to_owned(),
        String::new(),
        "One paper questionnaire per row of the 回答票 sheet. 番号 is the number written on the paper: importing the same file again stores nothing twice.".to_owned(),
        format!("Choose answers from each cell's list; for a multiple choice, put {MARK} under each option chosen. Leave unanswered questions empty; do not change row 2."),
        "An import checks every row: if any cell has a problem it is named (e.g. B7) and nothing is stored.".to_owned(),
    ];
    for (row, line) in (2u32..).zip(lines) {
        sheet.write_string(row, 0, &line)?;
    }
    sheet.set_column_width(0, 120)?;
    Ok(())
}
