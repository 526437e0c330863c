//! Codebooks and codings: `PUT/GET /codebooks/{slug}`, `GET /codebooks`, `PUT /codings`,
//! `GET /codings/next` (staff).

use std::collections::HashMap;

use actix_web::{get, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::{Caller, STAFF};
use super::contract::{self, CodebookList, CodebookView, CodingView, NextCodingView};
use super::error::ApiError;
use super::json_body::StrictJson;
use super::{created_or_replaced, AppState};
use crate::db;
use crate::domain::codebook::{is_codebook_slug, Codebook};
use crate::domain::coding::{CodingBody, NewCoding};
use crate::domain::query_params::QueryParams;
use crate::domain::validation::ValidationError;
use crate::services;
use crate::services::analyses::OPINION_QUESTION;
use crate::services::coding::RuleRun;
use crate::services::{codebooks, coding};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_codebooks)
        .service(put_codebook)
        .service(get_codebook)
        .service(put_coding)
        .service(apply_rules)
        .service(next_coding);
}

fn slug_of(slug: &str) -> Result<&str, ApiError> {
    if is_codebook_slug(slug) {
        Ok(slug)
    } else {
        Err(ApiError::NotFound("codebook"))
    }
}

/// Which version of a codebook is read.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct VersionParams {
    /// An older version (the latest when left out).
    #[param(minimum = 1)]
    version: Option<i32>,
}

/// Whose comments a coder codes next.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct NextCodingParams {
    /// The codebook's slug, e.g. `starter`.
    codebook: String,
    /// The form whose comments are coded.
    form: String,
    /// A free-text question's id (`opinion` when left out).
    question: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/codebooks", tag = "analysis",
    responses((status = 200, description = "The latest version of every codebook", body = contract::CodebookList), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/codebooks")]
async fn list_codebooks(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let books = db::run(&state.pool, codebooks::all_latest).await?;
    Ok(HttpResponse::Ok().json(CodebookList {
        codebooks: books.iter().map(CodebookView::from).collect(),
    }))
}

#[utoipa::path(
    put, path = "/api/v1/codebooks/{slug}", tag = "analysis", request_body = Codebook,
    params(("slug" = String, Path, pattern = "^[a-z0-9_-]{1,64}$", example = "starter")),
    responses((status = 201, description = "A new version", body = contract::CodebookView,
            links(("GetCodebook" = (operation_id = "get_codebook", parameters(("slug" = "$request.path.slug")))))),
        (status = 200, description = "That content is stored already: its version", body = contract::CodebookView),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[put("/codebooks/{slug}")]
async fn put_codebook(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    codebooks::check_slug(&slug)?;
    let slug = slug.into_inner();
    let codebook = Codebook::parse(body.into_inner().0)?;
    let (stored, created) = db::run(&state.pool, move |conn| codebooks::save(conn, &slug, &codebook)).await?;
    Ok(created_or_replaced(created, CodebookView::from(&stored)))
}

#[utoipa::path(
    get, path = "/api/v1/codebooks/{slug}", tag = "analysis",
    params(("slug" = String, Path, pattern = "^[a-z0-9_-]{1,64}$"), VersionParams),
    responses((status = 200, description = "The codebook", body = contract::CodebookView),
        (status = 404, description = "No such codebook or version", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/codebooks/{slug}")]
async fn get_codebook(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let slug = slug_of(&slug)?.to_owned();
    let mut params = QueryParams::new(query.into_inner());
    let version = params.take::<VersionParams>()?.version;
    params.finish()?;
    if version.is_some_and(|version| version < 1) {
        return Err(ValidationError::new("version", "invalid_value", "version is at least 1").into());
    }
    let stored = db::run(&state.pool, move |conn| services::codebooks::find(conn, &slug, version))
        .await
        .map_err(ApiError::not_found_as("codebook"))?;
    Ok(HttpResponse::Ok().json(CodebookView::from(&stored)))
}

#[utoipa::path(
    put, path = "/api/v1/codings", tag = "analysis", request_body = CodingBody,
    responses((status = 201, description = "Coded", body = contract::CodingView),
        (status = 200, description = "This coder's earlier coding of the item replaced", body = contract::CodingView),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[put("/codings")]
async fn put_coding(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.require(STAFF)?;
    let coding = NewCoding::parse(body.into_inner().0)?;
    let coder = caller.token_id;
    let recorded = coding.clone();
    let (stored, codebook) = db::run(&state.pool, move |conn| coding::record(conn, coder, &recorded)).await??;
    Ok(created_or_replaced(
        stored.created,
        CodingView::new(stored.id, &coding, codebook.version),
    ))
}

#[utoipa::path(
    get, path = "/api/v1/codings/next", tag = "analysis",
    params(NextCodingParams),
    responses((status = 200, description = "The oldest comment or note this coder has not coded, with the themes its keywords suggest (`suggested`) and those shared by the closest comments already coded (`suggested_by_similar`); `item: null` when all are coded", body = contract::NextCodingView),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/codings/next")]
async fn next_coding(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.require(STAFF)?;
    let mut params = QueryParams::new(query.into_inner());
    let NextCodingParams {
        codebook,
        form,
        question,
    } = params.take()?;
    params.finish()?;
    let question = question.unwrap_or_else(|| OPINION_QUESTION.to_owned());
    let coder = caller.token_id;
    let next = db::run(&state.pool, move |conn| {
        coding::next_item(conn, coder, &codebook, &form, &question)
    })
    .await??;
    Ok(HttpResponse::Ok().json(NextCodingView::from(next.as_ref())))
}

#[utoipa::path(
    post, path = "/api/v1/codings/apply-rules", tag = "analysis", request_body = coding::RuleRunBody,
    responses((status = 200, description = "Every comment and note of the form that no person has coded, coded by the themes' rules as the caller's, marked as made by rules", body = RuleRun),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[post("/codings/apply-rules")]
async fn apply_rules(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.require(STAFF)?;
    let request = coding::RuleRequest::parse(body.into_inner().0)?;
    let (coder, segmenter) = (caller.token_id, state.segmenter.clone());
    let run = state
        .run_analysis(move |connections| Ok(coding::apply_rules(connections, &segmenter, coder, &request)))
        .await??;
    Ok(HttpResponse::Ok().json(run))
}
