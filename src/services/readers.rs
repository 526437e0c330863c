//! The analyses that staff and researchers both ask for (opinions, themes): staff get the live
//! figures, researchers the protected release. The choice is made here, from the reader's role,
//! so that no route can hand a researcher the live tables.

use serde_json::Value;

use crate::db::Connections;
use crate::domain::analysis_request::{BreakdownRequest, CommentSource, QuestionParams};
use crate::domain::codebook::CodebookParams;
use crate::domain::event_column::EventColumn;
use crate::domain::query_params::QueryParams;
use crate::domain::release_request::ReleaseRequest;
use crate::domain::token::{Role, Staff};
use crate::domain::validation::ValidationError;
use crate::services::analyses::{self, AnalysesError, OPINION_QUESTION};
use crate::services::coding::{self, ThemesRequest};
use crate::services::releases::{self, ThemeGrouping};
use crate::text::segmenter::LazySegmenter;

/// The server's disclosure settings: the smallest count shown, and how long after a fiscal year
/// ends its figures are released.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    pub min_cell: u64,
    pub release_delay_days: u32,
}

pub enum OpinionsRequest {
    Live {
        request: BreakdownRequest,
        include_text: bool,
        source: CommentSource,
    },
    Released {
        request: ReleaseRequest,
        question: String,
        by: Option<String>,
    },
}

impl OpinionsRequest {
    /// Reads the request for a reader of `role`; `include_text` is staff's alone (a researcher
    /// who asks for it is refused before this).
    pub fn parse(
        params: &mut QueryParams,
        role: Role,
        include_text: bool,
        thresholds: Thresholds,
    ) -> Result<Self, ValidationError> {
        Ok(match Staff::of(role) {
            Some(staff) => Self::Live {
                request: BreakdownRequest::parse(params, Some(OPINION_QUESTION), staff, thresholds.min_cell)?,
                include_text,
                source: CommentSource::parse(params)?,
            },
            None => {
                let request = released(params, role, thresholds)?;
                let QuestionParams { question, by } = params.take()?;
                Self::Released {
                    request,
                    question: question.unwrap_or_else(|| OPINION_QUESTION.to_owned()),
                    by,
                }
            }
        })
    }
}

pub fn opinions(
    connections: &mut impl Connections,
    lazy: &LazySegmenter,
    request: &OpinionsRequest,
) -> Result<Value, AnalysesError> {
    match request {
        OpinionsRequest::Live {
            request,
            include_text,
            source,
        } => Ok(analyses::opinions(connections, lazy, request, *include_text, *source)?.to_json()),
        OpinionsRequest::Released { request, question, by } => {
            releases::opinions(connections, lazy, request, question, by.as_deref())
        }
    }
}

pub enum ThemesAsked {
    Live(ThemesRequest),
    Released {
        request: ReleaseRequest,
        codebook: String,
        question: String,
        grouping: ThemeGrouping,
    },
}

impl ThemesAsked {
    pub fn parse(params: &mut QueryParams, role: Role, thresholds: Thresholds) -> Result<Self, ValidationError> {
        if let Some(staff) = Staff::of(role) {
            return Ok(Self::Live(ThemesRequest::parse(params, staff, thresholds.min_cell)?));
        }
        let request = released(params, role, thresholds)?;
        let codebook = params.take::<CodebookParams>()?.codebook;
        let QuestionParams { question, by } = params.take()?;
        let question = question.unwrap_or_else(|| OPINION_QUESTION.to_owned());
        let grouping = match by {
            None => ThemeGrouping::Everyone,
            Some(by) => match EventColumn::parse(&by) {
                Some(EventColumn::Event) => {
                    return Err(ValidationError::new(
                        "by",
                        "not_allowed",
                        "researchers' themes group by fiscal_year, kind or a shared attribute, never by event",
                    ))
                }
                Some(column) => ThemeGrouping::Section(column),
                None => ThemeGrouping::Attribute(by),
            },
        };
        Ok(Self::Released {
            request,
            codebook,
            question,
            grouping,
        })
    }
}

pub fn themes(connections: &mut impl Connections, asked: &ThemesAsked) -> Result<Value, AnalysesError> {
    match asked {
        ThemesAsked::Live(request) => Ok(coding::themes(connections, request)?.to_json()),
        ThemesAsked::Released {
            request,
            codebook,
            question,
            grouping,
        } => releases::themes(connections, request, codebook, question, grouping),
    }
}

fn released(params: &mut QueryParams, role: Role, thresholds: Thresholds) -> Result<ReleaseRequest, ValidationError> {
    ReleaseRequest::parse(params, role, thresholds.min_cell, thresholds.release_delay_days)
}
