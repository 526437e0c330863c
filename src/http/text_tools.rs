//! Staff's text tools: the text dictionary (`GET`/`PUT /text-dictionary`), compound-word
//! candidates (`GET /analysis/compounds`) and keywords in context (`GET /analysis/kwic`).

use std::collections::HashMap;

use actix_web::{get, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::Object;
use utoipa::{IntoParams, ToSchema};

use super::auth::{Caller, STAFF};
use super::contract;
use super::error::ApiError;
use super::json_body::StrictJson;
use super::AppState;
use crate::db;
use crate::domain::analysis_request::{
    BreakdownRequest, CommentSource, CommentSourceParams, QuestionParams, ThresholdParams,
};
use crate::domain::query_params::QueryParams;
use crate::domain::response_filter::FilterParams;
use crate::domain::text_dictionary::{TextDictionary, TextDictionaryBody, VersionedDictionary};
use crate::domain::token::Staff;
use crate::domain::validation::ValidationError;
use crate::domain::vocabulary::one_of;
use crate::services::analyses::{AnalysesError, OPINION_QUESTION};
use crate::services::text_tools::{self, Kwic, MapSize};
use crate::text::compounds::Candidate;
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

/// Compound-word candidates, best first.
#[derive(Serialize, ToSchema)]
struct CompoundCandidates {
    candidates: Vec<Candidate>,
}

/// How much of the comments a map draws.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MapParams {
    /// Terms used in fewer comments are left out (2 when left out).
    #[param(minimum = 1)]
    min_comments: Option<u64>,
    /// Most edges (network, 60) or terms (correspondence, 40) shown.
    #[param(minimum = 1, maximum = 300)]
    top: Option<u64>,
}

/// What a co-occurrence network joins.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct NetworkParams {
    /// `terms` (default): terms with terms; `groups`: terms with the values of `by` (KH Coder's
    /// 外部変数), which group uses which words.
    #[param(schema_with = joins)]
    joins: Option<String>,
}

fn joins() -> Object {
    one_of(["terms", "groups"])
}

/// The term keywords in context are shown for.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct KwicParams {
    /// The term, as the term tables list it (a base form, or a word the dictionary keeps whole).
    #[param(min_length = 1, max_length = 100)]
    term: String,
}

/// `min_comments` and `top` of a map, with its defaults.
pub fn map_size(params: &mut QueryParams, default_top: usize) -> Result<MapSize, ValidationError> {
    let given: MapParams = params.take()?;
    let at_least_one = |field: &str, number: Option<u64>| match number {
        Some(0) => Err(ValidationError::new(
            field,
            "invalid_value",
            format!("{field} is at least 1"),
        )),
        _ => Ok(number),
    };
    let min_comments = at_least_one("min_comments", given.min_comments)?.unwrap_or(2);
    let top = match at_least_one("top", given.top)? {
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

#[utoipa::path(
    get, path = "/api/v1/text-dictionary", tag = "analysis",
    responses((status = 200, description = "The text dictionary in force", body = VersionedDictionary),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/text-dictionary")]
async fn get_dictionary(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let dictionary = db::run(&state.pool, text_tools::dictionary).await?;
    Ok(HttpResponse::Ok().json(dictionary))
}

#[utoipa::path(
    put, path = "/api/v1/text-dictionary", tag = "analysis", request_body = TextDictionaryBody,
    responses((status = 200, description = "Replaced (a new version)", body = VersionedDictionary),
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
    Ok(HttpResponse::Ok().json(saved))
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
    params(FilterParams, ThresholdParams, QuestionParams, CommentSourceParams),
    responses((status = 200, description = "Compound-word candidates, best first (FLR as TermExtract scores it)", body = CompoundCandidates),
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
    Ok(HttpResponse::Ok().json(CompoundCandidates { candidates: found }))
}

#[utoipa::path(
    get, path = "/api/v1/analysis/kwic", tag = "analysis",
    params(FilterParams, ThresholdParams, QuestionParams, CommentSourceParams, KwicParams),
    responses((status = 200, description = "Each use of the term with the text either side, grouped by the attribute", body = Kwic),
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
    let term = params.take::<KwicParams>()?.term;
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
    params(FilterParams, ThresholdParams, QuestionParams, CommentSourceParams, MapParams, NetworkParams),
    responses((status = 200, description = "Terms used in `min_comments` comments or more joined by the Jaccard coefficient of their comments, the `top` strongest edges, communities by Louvain's method and a layout in the unit square (the same for the same comments): `{\"nodes\": [{\"term\", \"comments\", \"community\", \"x\", \"y\", \"group\"}], \"edges\": [{\"source\", \"target\", \"jaccard\", \"comments\"}], \"communities\", \"modularity\"}`", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/cooccurrence")]
async fn cooccurrence(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let mut params = QueryParams::new(query.into_inner());
    let groups = match params.take::<NetworkParams>()?.joins.as_deref() {
        None | Some("terms") => false,
        Some("groups") => true,
        Some(_) => return Err(ValidationError::new("joins", "invalid_value", "joins is terms or groups").into()),
    };
    map_reply(
        &state,
        &caller,
        params,
        60,
        move |connections, segmenter, request, source, size| {
            text_tools::cooccurrence(connections, segmenter, request, source, size, groups)
        },
    )
    .await
}

#[utoipa::path(
    get, path = "/api/v1/analysis/correspondence", tag = "analysis",
    params(FilterParams, ThresholdParams, QuestionParams, CommentSourceParams, MapParams),
    responses((status = 200, description = "Correspondence analysis of the `top` terms (used in `min_comments` comments or more) against the groups of `by`: the table analysed (`table`: `rows` the terms, `columns` the groups, `counts[term][group]` the comments using the term), the first two dimensions' coordinates (`rows[{term, coordinates}]`, `columns[{value, label, coordinates}]`) and shares of inertia (`dimensions[{inertia_share}]`); `null` where the table has fewer than two terms or groups", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/analysis/correspondence")]
async fn correspondence(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    map_reply(
        &state,
        &caller,
        QueryParams::new(query.into_inner()),
        40,
        text_tools::term_map,
    )
    .await
}

/// A map of the comments the query names, drawn by `draw` with the query's size.
async fn map_reply<T: serde::Serialize + Send + 'static>(
    state: &AppState,
    caller: &Caller,
    mut params: QueryParams,
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
    let size = map_size(&mut params, default_top)?;
    let (request, source) = comments_request(state, staff, &mut params)?;
    params.finish()?;
    let segmenter = state.segmenter.clone();
    let drawn = state
        .run_analysis(move |connections| Ok(draw(connections, &segmenter, &request, source, size)))
        .await??;
    Ok(HttpResponse::Ok().json(drawn))
}
