use std::collections::HashMap;

use actix_web::{get, web, HttpResponse};
use serde_json::Value;

use super::auth::{Caller, AGGREGATE_READERS, STAFF};
use super::contract;
use super::error::ApiError;
use super::AppState;
use crate::db::Lender;
use crate::domain::analysis_request::{BreakdownRequest, CommentSource};
use crate::domain::event_column::EventColumn;
use crate::domain::event_comparison::{AttendanceBy, EventScope};
use crate::domain::release_request::ReleaseRequest;
use crate::domain::response_filter::QueryParams;
use crate::domain::survey_wave::WaveComparison;
use crate::domain::token::Role;
use crate::domain::validation::ValidationError;
use crate::services::coding::{self, ThemesRequest};
use crate::services::insights::{self, InsightError, Tabulation, CHANNEL_QUESTION, OPINION_QUESTION};
use crate::services::releases::{self, ThemeGrouping};
use crate::services::{attendance, publicity_reach, waves as survey_waves};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(breakdown)
        .service(channels)
        .service(opinions)
        .service(attendance_drivers)
        .service(publicity)
        .service(waves)
        .service(themes)
        .service(agreement);
}

#[utoipa::path(
    get, path = "/api/v1/analysis/breakdown", tag = "analysis",
    params(contract::FilterParams, contract::BreakdownParams),
    responses((status = 200, description = "A closed question's answers by attribute, with group sizes and tests", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/breakdown")]
async fn breakdown(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    tabulate(&state, caller, query.into_inner(), None, Tabulation::Breakdown).await
}

/// How people heard of events: the `heard_from` breakdown plus who named only one channel.
#[utoipa::path(
    get, path = "/api/v1/analysis/channels", tag = "analysis",
    params(contract::FilterParams, contract::BreakdownParams),
    responses((status = 200, description = "How people heard of the events, by attribute", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/channels")]
async fn channels(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    tabulate(
        &state,
        caller,
        query.into_inner(),
        Some(CHANNEL_QUESTION),
        Tabulation::Channels,
    )
    .await
}

async fn tabulate(
    state: &AppState,
    caller: Caller,
    query: HashMap<String, String>,
    default_question: Option<&str>,
    tabulation: Tabulation,
) -> Result<HttpResponse, ApiError> {
    let mut params = QueryParams::new(query);
    let request = BreakdownRequest::parse(&mut params, default_question, caller.role, state.min_cell)?;
    params.finish()?;
    let result = state
        .run_analysis(move |connections| Ok(insights::breakdown(connections, &request, tabulation)))
        .await??;
    Ok(HttpResponse::Ok().json(result.to_json()))
}

/// Top terms of free-text answers per group. Researchers get the terms under disclosure
/// control and never the comments themselves.
#[utoipa::path(
    get, path = "/api/v1/analysis/opinions", tag = "analysis",
    params(contract::FilterParams, contract::OpinionParams),
    responses((status = 200, description = "Free-text answers' top terms per group (researchers: under disclosure control)", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/opinions")]
async fn opinions(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    caller.require(AGGREGATE_READERS)?;
    let mut params = QueryParams::new(query.into_inner());
    let include_text = params.flag("include_text")?;
    if include_text {
        caller.require(STAFF)?;
    }
    if caller.role == Role::Researcher {
        return released_opinions(&state, caller, params).await;
    }
    let request = BreakdownRequest::parse(&mut params, Some(OPINION_QUESTION), caller.role, state.min_cell)?;
    let source = CommentSource::parse(&mut params)?;
    params.finish()?;
    let segmenter = state.segmenter.clone();
    let result = state
        .run_analysis(move |connections| {
            Ok(insights::opinions(
                connections,
                &segmenter,
                &request,
                include_text,
                source,
            ))
        })
        .await??;
    Ok(HttpResponse::Ok().json(result.to_json()))
}

/// Researchers' term tables come from the protected release, like the aggregate's.
async fn released_opinions(
    state: &AppState,
    caller: Caller,
    mut params: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let request = ReleaseRequest::parse(&mut params, caller.role, state.min_cell, state.release_delay_days)?;
    let question = params.text("question")?.unwrap_or_else(|| OPINION_QUESTION.to_owned());
    let by = params.text("by")?;
    params.finish()?;
    let segmenter = state.segmenter.clone();
    let document = state
        .run_analysis(move |connections| {
            Ok(releases::opinions(
                connections,
                &segmenter,
                &request,
                &question,
                by.as_deref(),
            ))
        })
        .await??;
    Ok(HttpResponse::Ok().json(document))
}

/// What draws people: events' headcounts by what the events were, with a rank test.
#[utoipa::path(
    get, path = "/api/v1/analysis/attendance", tag = "analysis",
    params(contract::EventScopeParams, contract::AttendanceParams),
    responses((status = 200, description = "Per group: events, total, mean, median, min-max headcount and cost per attendee; Mann-Whitney or Kruskal-Wallis", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/attendance")]
async fn attendance_drivers(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let parse = |params: &mut QueryParams, _: &AppState, _: Role| {
        Ok((EventScope::parse(params)?, AttendanceBy::parse(params)?))
    };
    staff_analysis(&state, caller, query.into_inner(), parse, |connections, (scope, by)| {
        Ok(attendance::compare(connections, scope, *by)?.to_json())
    })
    .await
}

/// Which publicity reached people: per channel and kind of agency told.
#[utoipa::path(
    get, path = "/api/v1/analysis/publicity", tag = "analysis",
    params(contract::EventScopeParams),
    responses((status = 200, description = "Per channel and per kind of agency: events that used it, their attendance against the others, the share of respondents who came through it, cost per attendee reached", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/publicity")]
async fn publicity(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let parse = |params: &mut QueryParams, _: &AppState, _: Role| EventScope::parse(params);
    staff_analysis(&state, caller, query.into_inner(), parse, |connections, scope| {
        Ok(publicity_reach::analyse(connections, scope)?.to_json())
    })
    .await
}

/// The agency survey repeated: one question in each wave side by side, with the test of change.
/// Researchers read waves in the aggregate (`kind=agency_survey`, a section per fiscal year).
#[utoipa::path(
    get, path = "/api/v1/analysis/waves", tag = "analysis",
    params(contract::WaveParams),
    responses((status = 200, description = "Per wave: counts, percentages and moments; a test of change across waves; by an attribute if asked", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/waves")]
async fn waves(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let parse =
        |params: &mut QueryParams, state: &AppState, role: Role| WaveComparison::parse(params, role, state.min_cell);
    staff_analysis(&state, caller, query.into_inner(), parse, |connections, request| {
        Ok(survey_waves::compare(connections, request)?.to_json())
    })
    .await
}

/// Coded comments and notes: per group, each theme's count and share, with tests.
#[utoipa::path(
    get, path = "/api/v1/analysis/themes", tag = "analysis",
    params(contract::FilterParams, contract::ThemesParams),
    responses((status = 200, description = "Per group: items coded, each theme's count and share; a test of each theme by group; quotes staff marked", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/themes")]
async fn themes(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    if caller.role == Role::Researcher {
        return released_themes(&state, caller, query.into_inner()).await;
    }
    staff_analysis(
        &state,
        caller,
        query.into_inner(),
        parse_themes,
        |connections, request| Ok(coding::themes(connections, request)?.to_json()),
    )
    .await
}

/// How far two coders agree, theme by theme (Cohen's kappa), on the items both coded.
#[utoipa::path(
    get, path = "/api/v1/analysis/agreement", tag = "analysis",
    params(contract::FilterParams, contract::ThemesParams),
    responses((status = 200, description = "Items both coders coded, and per theme Cohen's kappa", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/agreement")]
async fn agreement(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    staff_analysis(&state, caller, query.into_inner(), parse_themes, coding::agreement).await
}

fn parse_themes(params: &mut QueryParams, state: &AppState, role: Role) -> Result<ThemesRequest, ValidationError> {
    ThemesRequest::parse(params, role, state.min_cell)
}

/// A staff analysis: reads its request with `parse` (a parameter it leaves unread is refused),
/// runs `analyse` on its turn for a connection, replies with the JSON.
async fn staff_analysis<R: Send + 'static>(
    state: &AppState,
    caller: Caller,
    query: HashMap<String, String>,
    parse: impl FnOnce(&mut QueryParams, &AppState, Role) -> Result<R, ValidationError>,
    analyse: fn(&mut Lender, &R) -> Result<Value, InsightError>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let mut params = QueryParams::new(query);
    let request = parse(&mut params, state, caller.role)?;
    params.finish()?;
    let result = state
        .run_analysis(move |connections| Ok(analyse(connections, &request)))
        .await??;
    Ok(HttpResponse::Ok().json(result))
}

/// Researchers' theme counts come from frozen, fully coded partitions, in the same protected
/// release as the aggregate's tables.
async fn released_themes(
    state: &AppState,
    caller: Caller,
    query: HashMap<String, String>,
) -> Result<HttpResponse, ApiError> {
    let mut params = QueryParams::new(query);
    let request = ReleaseRequest::parse(&mut params, caller.role, state.min_cell, state.release_delay_days)?;
    let codebook = params.required_text("codebook")?;
    let question = params.text("question")?.unwrap_or_else(|| OPINION_QUESTION.to_owned());
    let grouping = match params.text("by")? {
        None => ThemeGrouping::Everyone,
        Some(by) => match EventColumn::parse(&by) {
            Some(EventColumn::Event) => {
                return Err(ValidationError::new(
                    "by",
                    "not_allowed",
                    "researchers' themes group by fiscal_year, kind or a shared attribute, never by event",
                )
                .into())
            }
            Some(column) => ThemeGrouping::Section(column),
            None => ThemeGrouping::Attribute(by),
        },
    };
    params.finish()?;
    let result = state
        .run_analysis(move |connections| Ok(releases::themes(connections, &request, &codebook, &question, &grouping)))
        .await??;
    Ok(HttpResponse::Ok().json(result))
}
