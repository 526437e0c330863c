//! What staff code and count opinions with: codebooks, codings and the text dictionary.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::codebooks::StoredCodebook;
use crate::domain::codebook::Theme;
use crate::domain::coding::{CodedItem, NewCoding};
use crate::domain::lang::Localized;
use crate::services::coding::NextItem;

/// A version of a codebook: the codebook's fields, its slug, version and when it was stored.
#[derive(Serialize, ToSchema)]
pub struct CodebookView<'a> {
    pub slug: &'a str,
    pub version: i32,
    pub title: &'a Localized,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    pub themes: &'a [Theme],
    pub created_at: DateTime<Utc>,
}

impl<'a> From<&'a StoredCodebook> for CodebookView<'a> {
    fn from(stored: &'a StoredCodebook) -> Self {
        Self {
            slug: &stored.slug,
            version: stored.version,
            title: &stored.codebook.title,
            description: stored.codebook.description.as_deref(),
            themes: &stored.codebook.themes,
            created_at: stored.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CodebookList<'a> {
    pub codebooks: Vec<CodebookView<'a>>,
}

/// What was coded: an answer to a free-text question, or a meeting note.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum CodedItemView<'a> {
    Answer { response: Uuid, question: &'a str },
    Note { note: Uuid },
}

impl<'a> From<&'a CodedItem> for CodedItemView<'a> {
    fn from(item: &'a CodedItem) -> Self {
        match item {
            CodedItem::Answer { response, question } => Self::Answer {
                response: *response,
                question,
            },
            CodedItem::Note(note) => Self::Note { note: *note },
        }
    }
}

/// A coder's coding of one item.
#[derive(Serialize, ToSchema)]
pub struct CodingView<'a> {
    pub id: Uuid,
    pub codebook: &'a str,
    pub codebook_version: i32,
    pub item: CodedItemView<'a>,
    pub themes: &'a [String],
    /// Marked as a quote the report may show.
    pub quote: bool,
}

impl<'a> CodingView<'a> {
    pub fn new(id: Uuid, coding: &'a NewCoding, codebook_version: i32) -> Self {
        Self {
            id,
            codebook: &coding.codebook,
            codebook_version,
            item: CodedItemView::from(&coding.item),
            themes: &coding.themes,
            quote: coding.quote,
        }
    }
}

/// The next item a coder has not coded (`item: null` when all are coded), with its text and the
/// themes suggested for it.
#[derive(Serialize, ToSchema)]
pub struct NextCodingView<'a> {
    pub item: Option<CodedItemView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
    /// The themes its keywords suggest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested: Option<&'a [String]>,
    /// The themes shared by the closest comments already coded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested_by_similar: Option<&'a [String]>,
}

impl<'a> From<Option<&'a NextItem>> for NextCodingView<'a> {
    fn from(next: Option<&'a NextItem>) -> Self {
        Self {
            item: next.map(|next| CodedItemView::from(&next.item)),
            text: next.map(|next| next.text.as_str()),
            suggested: next.map(|next| next.suggested.as_slice()),
            suggested_by_similar: next.map(|next| next.suggested_by_similar.as_slice()),
        }
    }
}
