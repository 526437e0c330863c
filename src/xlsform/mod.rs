//! XLSForm, the spreadsheet form format of ODK and KoboToolbox, for the part that fits this
//! service's forms: staff author a form in Excel, upload it, download it again to change it.
//! Reading refuses by name whatever it does not support rather than dropping it; writing gives a
//! workbook that `pyxform` converts and that reads back to the same form.

mod cell_values;
mod read;
mod sheet;
mod write;

pub use read::read;
pub use write::write;

use crate::domain::lang::{Lang, Localized};

/// A problem in a workbook, at the cell it concerns (`survey!C7`), or at its sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub location: String,
    /// In both languages: the API answers in English, the dashboard in Japanese.
    pub message: Localized,
}

/// Translated columns are written `label::日本語 (ja)`: the language's name, then its code.
const LANGUAGES: [(Lang, &str); 2] = [(Lang::Ja, "日本語 (ja)"), (Lang::En, "English (en)")];

/// The agency question's options are the service's agency list, an external file to XLSForm.
const AGENCY_FILE: &str = "agencies.csv";

/// XLSForm's `form_title` has one language; the English title has a column of its own.
const TITLE_EN: &str = "form_title_en";

/// Why the form asks what it asks (for staff), in the settings like the title.
const PURPOSE: &str = "purpose";
const PURPOSE_EN: &str = "purpose_en";
/// The settings sheet's columns, read and written alike.
const SETTINGS_COLUMNS: [&str; 7] = [
    "form_id",
    "form_title",
    TITLE_EN,
    "version",
    "default_language",
    PURPOSE,
    PURPOSE_EN,
];
/// The form's introduction is a note with this name before the first question.
const INTRO: &str = "intro";

/// The row type that asks the shared attribute block.
const ATTRIBUTES: &str = "attributes";

/// Texts without a length constraint get this one.
const DEFAULT_TEXT_LENGTH: usize = 1000;

fn translated(base: &str, lang: Lang) -> String {
    let name = LANGUAGES.iter().find(|(l, _)| *l == lang).map_or("", |(_, name)| name);
    format!("{base}::{name}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::FormDefinition;

    #[test]
    fn every_shipped_form_reads_back_from_its_workbook_unchanged() {
        for text in [
            include_str!("../../survey_forms/seminar.json"),
            include_str!("../../survey_forms/forum.json"),
            include_str!("../../survey_forms/study_session.json"),
            include_str!("../../survey_forms/agency_survey.json"),
        ] {
            let form = FormDefinition::parse_json(text).unwrap();
            let workbook = write(&form, 3).unwrap();
            let again = read(&workbook).unwrap_or_else(|problems| panic!("{}: {problems:?}", form.slug));
            assert_eq!(again, form);
            assert_eq!(again.content_hash(), form.content_hash());
        }
    }

    #[test]
    fn something_that_is_not_a_workbook_is_one_clear_problem() {
        let problems = read(b"slug,title\n").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].location, "workbook");
    }
}
