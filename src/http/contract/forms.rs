//! Forms: their definitions, versions, uploads and the changes between versions.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::forms::{StoredForm, VersionSummary};
use crate::domain::form::{FormFileNote, FormFileQuestion, FormFileSection, FormNote, Question, Section};
use crate::domain::form_diff::Change;
use crate::domain::lang::Localized;
use crate::services::form_upload::Uploaded;

/// A form definition with its version: the fields of the form file (see `FormFile`), its
/// version and when it was stored. (The file's own schema refuses other fields, so the view
/// lists them rather than extending it.)
#[derive(Serialize, ToSchema)]
pub struct FormView<'a> {
    pub slug: &'a str,
    pub title: &'a Localized,
    pub intro: &'a Localized,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<&'a Localized>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    #[schema(value_type = Vec<FormFileSection>)]
    pub sections: &'a [Section],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    #[schema(value_type = Vec<FormFileNote>)]
    pub notes: &'a [FormNote],
    #[schema(value_type = Vec<FormFileQuestion>)]
    pub questions: &'a [Question],
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

impl<'a> From<&'a StoredForm> for FormView<'a> {
    fn from(form: &'a StoredForm) -> Self {
        let definition = &form.definition;
        Self {
            slug: &definition.slug,
            title: &definition.title,
            intro: &definition.intro,
            purpose: definition.purpose.as_ref(),
            sections: &definition.sections,
            notes: &definition.notes,
            questions: &definition.questions,
            version: form.version,
            created_at: form.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FormList<'a> {
    pub forms: Vec<FormView<'a>>,
}

/// An `.xlsx` workbook's bytes, as a request body: the document's name for what the workbook
/// readers take as bytes, never built as such.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct WorkbookBytes(Vec<u8>);

#[derive(Serialize, ToSchema)]
pub struct FormUploaded {
    pub slug: String,
    pub version: i32,
    /// False when the same content was stored already.
    pub created: bool,
}

impl From<Uploaded> for FormUploaded {
    fn from(uploaded: Uploaded) -> Self {
        Self {
            slug: uploaded.slug,
            version: uploaded.version,
            created: uploaded.is_new,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FormVersionSummary {
    pub version: i32,
    pub created_at: DateTime<Utc>,
    /// The name of the token that uploaded it; null for a shipped file.
    pub created_by: Option<String>,
    /// How many events ask it.
    pub events: i64,
}

impl From<VersionSummary> for FormVersionSummary {
    fn from(summary: VersionSummary) -> Self {
        Self {
            version: summary.version,
            created_at: summary.created_at,
            created_by: summary.created_by,
            events: summary.events,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FormVersionList {
    pub versions: Vec<FormVersionSummary>,
}

/// What changed between two versions of a form, in the later version's order.
#[derive(Serialize, ToSchema)]
pub struct FormDiffView {
    pub slug: String,
    pub from: i32,
    pub to: i32,
    pub changes: Vec<Change>,
}
