use std::collections::HashMap;

use actix_web::{get, web, HttpResponse};
use serde_json::Value;

use super::auth::{Caller, AGGREGATE_READERS};
use super::contract;
use super::error::ApiError;
use super::AppState;
use crate::db::Lender;
use crate::domain::analysis_request::{
    BreakdownRequest, CommentSourceParams, CommentTextParams, QuestionParams, ThresholdParams,
};
use crate::domain::codebook::CodebookParams;
use crate::domain::event_comparison::{AttendanceBy, AttendanceParams, EventScope, ScopeParams};
use crate::domain::query_params::QueryParams;
use crate::domain::response_filter::FilterParams;
use crate::domain::survey_wave::{WaveComparison, WaveParams};
use crate::domain::token::Staff;
use crate::domain::validation::ValidationError;
use crate::services::analyses::{self, AnalysesError, Tabulation, CHANNEL_QUESTION};
use crate::services::coding::{self, ThemesRequest};
use crate::services::readers::{self, OpinionsRequest, ThemesAsked, Thresholds};
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
    params(FilterParams, ThresholdParams, QuestionParams),
    responses((status = 200, description = "A closed question's answers by attribute, with group sizes and tests", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/breakdown")]
async fn breakdown(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    tabulate(&state, caller, query.into_inner(), None, Tabulation::Breakdown).await
}

/// How people heard of events: the `heard_from` breakdown plus who named only one channel.
#[utoipa::path(
    get, path = "/api/v1/analysis/channels", tag = "analysis",
    params(FilterParams, ThresholdParams, QuestionParams),
    responses((status = 200, description = "How people heard of the events, by attribute", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/channels")]
async fn channels(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
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
    let request = BreakdownRequest::parse(&mut params, default_question, caller.staff()?, state.min_cell)?;
    params.finish()?;
    let result = state
        .run_analysis(move |connections| Ok(analyses::breakdown(connections, &request, tabulation)))
        .await??;
    Ok(HttpResponse::Ok().json(result.to_json()))
}

/// Top terms of free-text answers per group. Researchers get the terms under disclosure
/// control and never the comments themselves.
#[utoipa::path(
    get, path = "/api/v1/analysis/opinions", tag = "analysis",
    params(FilterParams, ThresholdParams, QuestionParams, CommentSourceParams, CommentTextParams),
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
    let include_text = params.take::<CommentTextParams>()?.include_text;
    if include_text {
        // The comments themselves are staff's only.
        caller.staff()?;
    }
    let request = OpinionsRequest::parse(&mut params, caller.role, include_text, thresholds(&state))?;
    params.finish()?;
    let segmenter = state.segmenter.clone();
    let document = state
        .run_analysis(move |connections| Ok(readers::opinions(connections, &segmenter, &request)))
        .await??;
    Ok(HttpResponse::Ok().json(document))
}

fn thresholds(state: &AppState) -> Thresholds {
    Thresholds {
        min_cell: state.min_cell,
        release_delay_days: state.release_delay_days,
    }
}

/// What draws people: events' headcounts by what the events were, with a rank test.
#[utoipa::path(
    get, path = "/api/v1/analysis/attendance", tag = "analysis",
    params(ScopeParams, AttendanceParams),
    responses((status = 200, description = "Per group: events, total, mean, median, min-max headcount and cost per attendee; Mann-Whitney or Kruskal-Wallis", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/attendance")]
async fn attendance_drivers(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let parse = |params: &mut QueryParams, _: &AppState, _: Staff| {
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
    params(ScopeParams),
    responses((status = 200, description = "Per channel and per kind of agency: events that used it, their attendance against the others, the share of respondents who came through it, cost per attendee reached", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/publicity")]
async fn publicity(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let parse = |params: &mut QueryParams, _: &AppState, _: Staff| EventScope::parse(params);
    staff_analysis(&state, caller, query.into_inner(), parse, |connections, scope| {
        Ok(publicity_reach::analyse(connections, scope)?.to_json())
    })
    .await
}

/// The agency survey repeated: one question in each wave side by side, with the test of change.
/// Researchers read waves in the aggregate (`kind=agency_survey`, a section per fiscal year).
#[utoipa::path(
    get, path = "/api/v1/analysis/waves", tag = "analysis",
    params(WaveParams, ThresholdParams),
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
        |params: &mut QueryParams, state: &AppState, staff: Staff| WaveComparison::parse(params, staff, state.min_cell);
    staff_analysis(&state, caller, query.into_inner(), parse, |connections, request| {
        Ok(survey_waves::compare(connections, request)?.to_json())
    })
    .await
}

/// Coded comments and notes: per group, each theme's count and share, with tests.
#[utoipa::path(
    get, path = "/api/v1/analysis/themes", tag = "analysis",
    params(FilterParams, ThresholdParams, QuestionParams, CodebookParams, CommentSourceParams),
    responses((status = 200, description = "Per group: items coded, each theme's count and share; a test of each theme by group; quotes staff marked", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/themes")]
async fn themes(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    caller.require(AGGREGATE_READERS)?;
    let mut params = QueryParams::new(query.into_inner());
    let asked = ThemesAsked::parse(&mut params, caller.role, thresholds(&state))?;
    params.finish()?;
    let document = state
        .run_analysis(move |connections| Ok(readers::themes(connections, &asked)))
        .await??;
    Ok(HttpResponse::Ok().json(document))
}

/// How far two coders agree, theme by theme (Cohen's kappa), on the items both coded.
#[utoipa::path(
    get, path = "/api/v1/analysis/agreement", tag = "analysis",
    params(FilterParams, ThresholdParams, QuestionParams, CodebookParams, CommentSourceParams),
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

fn parse_themes(params: &mut QueryParams, state: &AppState, staff: Staff) -> Result<ThemesRequest, ValidationError> {
    ThemesRequest::parse(params, staff, state.min_cell)
}

/// A staff analysis: reads its request with `parse` (a parameter it leaves unread is refused),
/// runs `analyse` on its turn for a connection, replies with the JSON.
async fn staff_analysis<R: Send + 'static>(
    state: &AppState,
    caller: Caller,
    query: HashMap<String, String>,
    parse: impl FnOnce(&mut QueryParams, &AppState, Staff) -> Result<R, ValidationError>,
    analyse: fn(&mut Lender, &R) -> Result<Value, AnalysesError>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let mut params = QueryParams::new(query);
    let request = parse(&mut params, state, staff)?;
    params.finish()?;
    let result = state
        .run_analysis(move |connections| Ok(analyse(connections, &request)))
        .await??;
    Ok(HttpResponse::Ok().json(result))
}
