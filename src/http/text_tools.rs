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
use crate::domain::text_dictionary::{TextDictionary, TextDictionaryBody, VersionedDictionary};
use crate::domain::token::Staff;
use crate::domain::validation::ValidationError;
use crate::services::analyses::{AnalysesError, OPINION_QUESTION};
use crate::services::text_tools::{self, MapSize};
use crate::text::segmenter::LazySegmenter;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(get_dictionary)
        .service(put_dictionary)
        .service(compounds)
        .service(kwic)
        .service(cooccurrence)
        .service(correspondence);
}

/// Most edges or terms a map may be asked for: beyond it nobody can read the picture.
const MAX_MAP_ITEMS: u64 = 300;

/// `min_comments` and `top` of a map, with its defaults.
pub fn map_size(params: &mut QueryParams, default_top: usize) -> Result<MapSize, ValidationError> {
    let min_comments = params.number("min_comments", 1)?.unwrap_or(2);
    let top = match params.number("top", 1)? {
        Some(top) if top > MAX_MAP_ITEMS => {
            return Err(ValidationError::new(
                "top",
                "invalid_value",
                format!("top is at most {MAX_MAP_ITEMS}"),
            ))
        }
        Some(top) => usize::try_from(top).unwrap_or(default_top),
        None => default_top,
    };
    Ok(MapSize { min_comments, top })
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
    put, path = "/api/v1/text-dictionary", tag = "analysis", request_body = TextDictionaryBody,
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
    staff: Staff,
    params: &mut QueryParams,
) -> Result<(BreakdownRequest, CommentSource), ValidationError> {
    let request = BreakdownRequest::parse(params, Some(OPINION_QUESTION), staff, state.min_cell)?;
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
    let staff = caller.staff()?;
    let mut params = QueryParams::new(query.into_inner());
    let (request, source) = comments_request(&state, staff, &mut params)?;
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
    let staff = caller.staff()?;
    let mut params = QueryParams::new(query.into_inner());
    let term = params.required_text("term")?;
    if term.chars().count() > 100 {
        return Err(ValidationError::new("term", "invalid_value", "term is at most 100 characters").into());
    }
    let (request, source) = comments_request(&state, staff, &mut params)?;
    params.finish()?;
    let segmenter = state.segmenter.clone();
    let found = state
        .run_analysis(move |connections| Ok(text_tools::kwic(connections, &segmenter, &request, source, &term)))
        .await??;
    Ok(HttpResponse::Ok().json(found))
}

#[utoipa::path(
    get, path = "/api/v1/analysis/cooccurrence", tag = "analysis",
    params(contract::FilterParams, contract::TextToolParams, contract::MapParams, contract::NetworkParams),
    responses((status = 200, description = "Terms used in `min_comments` comments or more joined by the Jaccard coefficient of their comments, the `top` strongest edges, communities by Louvain's method and a layout in the unit square (the same for the same comments): `{\"nodes\": [{\"term\", \"comments\", \"community\", \"x\", \"y\", \"group\"}], \"edges\": [{\"source\", \"target\", \"jaccard\", \"comments\"}], \"communities\", \"modularity\"}`", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/cooccurrence")]
async fn cooccurrence(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let mut query = query.into_inner();
    let groups = match query.remove("joins").as_deref() {
        None | Some("terms") => false,
        Some("groups") => true,
        Some(_) => return Err(ValidationError::new("joins", "invalid_value", "joins is terms or groups").into()),
    };
    map_reply(
        &state,
        &caller,
        query,
        60,
        move |connections, segmenter, request, source, size| {
            text_tools::cooccurrence(connections, segmenter, request, source, size, groups)
        },
    )
    .await
}

#[utoipa::path(
    get, path = "/api/v1/analysis/correspondence", tag = "analysis",
    params(contract::FilterParams, contract::TextToolParams, contract::MapParams),
    responses((status = 200, description = "Correspondence analysis of the `top` terms (used in `min_comments` comments or more) against the groups of `by`: the table analysed (`table`: `rows` the terms, `columns` the groups, `counts[term][group]` the comments using the term), the first two dimensions' coordinates (`rows[{term, coordinates}]`, `columns[{value, label, coordinates}]`) and shares of inertia (`dimensions[{inertia_share}]`); `null` where the table has fewer than two terms or groups", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/correspondence")]
async fn correspondence(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    map_reply(&state, &caller, query.into_inner(), 40, text_tools::term_map).await
}

/// A map of the comments the query names, drawn by `draw` with the query's size.
async fn map_reply<T: serde::Serialize + Send + 'static>(
    state: &AppState,
    caller: &Caller,
    query: HashMap<String, String>,
    default_top: usize,
    draw: impl FnOnce(
            &mut crate::db::Lender,
            &LazySegmenter,
            &BreakdownRequest,
            CommentSource,
            MapSize,
        ) -> Result<T, AnalysesError>
        + Send
        + 'static,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let mut params = QueryParams::new(query);
    let size = map_size(&mut params, default_top)?;
    let (request, source) = comments_request(state, staff, &mut params)?;
    params.finish()?;
    let segmenter = state.segmenter.clone();
    let drawn = state
        .run_analysis(move |connections| Ok(draw(connections, &segmenter, &request, source, size)))
        .await??;
    Ok(HttpResponse::Ok().json(drawn))
}
