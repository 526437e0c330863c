//! Staff's text tools: the text dictionary (`GET`/`PUT /text-dictionary`), compound-word
//! candidates (`GET /analysis/compounds`) and keywords in context (`GET /analysis/kwic`).

use std::collections::HashMap;

use actix_web::{get, put, web, HttpResponse};
use serde_json::{json, Value};

use super::auth::{Caller, STAFF};
use super::contract;
use super::error::ApiError;
use super::json_body::StrictJson;
use super::AppState;
use crate::db;
use crate::domain::analysis_request::{BreakdownRequest, CommentSource};
use crate::domain::response_filter::QueryParams;
use crate::domain::text_dictionary::{TextDictionary, VersionedDictionary};
use crate::domain::validation::ValidationError;
use crate::services::insights::OPINION_QUESTION;
use crate::services::text_tools;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(get_dictionary)
        .service(put_dictionary)
        .service(compounds)
        .service(kwic);
}

fn dictionary_json(dictionary: &VersionedDictionary) -> Value {
    let mut json = dictionary.dictionary.to_json();
    json["version"] = json!(dictionary.version);
    json
}

#[utoipa::path(
    get, path = "/api/v1/text-dictionary", tag = "analysis",
    responses((status = 200, description = "The text dictionary in force", body = contract::TextDictionaryView),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/text-dictionary")]
async fn get_dictionary(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let dictionary = db::run(&state.pool, text_tools::dictionary).await?;
    Ok(HttpResponse::Ok().json(dictionary_json(&dictionary)))
}

#[utoipa::path(
    put, path = "/api/v1/text-dictionary", tag = "analysis", request_body = contract::TextDictionaryBody,
    responses((status = 200, description = "Replaced (a new version)", body = contract::TextDictionaryView),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[put("/text-dictionary")]
async fn put_dictionary(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let dictionary = TextDictionary::parse(body.into_inner().0)?;
    let saved = db::run(&state.pool, move |conn| text_tools::save_dictionary(conn, &dictionary)).await?;
    Ok(HttpResponse::Ok().json(dictionary_json(&saved)))
}

/// The comments a text tool reads: filters, question, grouping and source.
fn comments_request(
    state: &AppState,
    caller: &Caller,
    params: &mut QueryParams,
) -> Result<(BreakdownRequest, CommentSource), ValidationError> {
    let request = BreakdownRequest::parse(params, Some(OPINION_QUESTION), caller.role, state.min_cell)?;
    Ok((request, CommentSource::parse(params)?))
}

#[utoipa::path(
    get, path = "/api/v1/analysis/compounds", tag = "analysis",
    params(contract::FilterParams, contract::TextToolParams),
    responses((status = 200, description = "Compound-word candidates, best first: `{\"candidates\": [{\"word\", \"parts\", \"frequency\", \"score\"}]}` (FLR as TermExtract scores it)", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/compounds")]
async fn compounds(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let mut params = QueryParams::new(query.into_inner());
    let (request, source) = comments_request(&state, &caller, &mut params)?;
    params.finish()?;
    let segmenter = state.segmenter.clone();
    let found = state
        .run_analysis(move |connections| Ok(text_tools::compounds(connections, &segmenter, &request, source)))
        .await??;
    Ok(HttpResponse::Ok().json(json!({ "candidates": found })))
}

#[utoipa::path(
    get, path = "/api/v1/analysis/kwic", tag = "analysis",
    params(contract::FilterParams, contract::TextToolParams, contract::KwicParams),
    responses((status = 200, description = "Each use of the term with the text either side, grouped by the attribute", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/kwic")]
async fn kwic(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let mut params = QueryParams::new(query.into_inner());
    let term = params.required_text("term")?;
    if term.chars().count() > 100 {
        return Err(ValidationError::new("term", "invalid_value", "term is at most 100 characters").into());
    }
    let (request, source) = comments_request(&state, &caller, &mut params)?;
    params.finish()?;
    let segmenter = state.segmenter.clone();
    let found = state
        .run_analysis(move |connections| Ok(text_tools::kwic(connections, &segmenter, &request, source, &term)))
        .await??;
    Ok(HttpResponse::Ok().json(found))
}
