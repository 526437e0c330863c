use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::{Caller, STAFF};
use super::contract::{self, FormDiffView, FormList, FormUploaded, FormVersionList, FormVersionSummary, FormView};
use super::error::ApiError;
use super::json_body::StrictJson;
use super::upload_body;
use super::AppState;
use crate::db::{self, forms::StoredForm};
use crate::domain::form::FormFile;
use crate::domain::form_diff;
use crate::domain::query_params::QueryParams;
use crate::domain::validation::ValidationError;
use crate::services;
use crate::services::form_upload::{self, Upload};
use crate::{spreadsheet, xlsform};

pub fn configure(cfg: &mut web::ServiceConfig) {
    // The workbook routes first: `{slug}` alone would also match `seminar.xlsx`.
    cfg.service(upload_form)
        .service(list_forms)
        .service(latest_workbook)
        .service(version_workbook)
        .service(form_versions)
        .service(diff_versions)
        .service(latest_form)
        .service(form_version);
}

fn workbook(form: &StoredForm) -> Result<HttpResponse, ApiError> {
    let bytes = xlsform::write(&form.definition, form.version).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(spreadsheet::MEDIA_TYPE)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}-v{}.xlsx\"",
                form.definition.slug, form.version
            ),
        ))
        .body(bytes))
}

fn not_found(error: db::DbError) -> ApiError {
    if error.is_not_found() {
        ApiError::NotFound("form")
    } else {
        error.into()
    }
}

#[utoipa::path(
    get, path = "/api/v1/forms", tag = "forms", security(()),
    responses((status = 200, description = "The latest version of every form", body = contract::FormList), contract::CommonErrors)
)]
#[get("/forms")]
async fn list_forms(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let forms = db::run(&state.pool, services::forms::all_latest).await?;
    Ok(HttpResponse::Ok().json(FormList {
        forms: forms.iter().map(FormView::from).collect(),
    }))
}

#[utoipa::path(
    get, path = "/api/v1/forms/{slug}", tag = "forms", security(()),
    params(("slug" = String, Path, description = "The form's slug, e.g. `seminar`")),
    responses((status = 200, description = "The form's latest version", body = contract::FormView),
        (status = 404, description = "No such form", body = contract::ErrorBody), contract::CommonErrors)
)]
#[get("/forms/{slug}")]
async fn latest_form(state: web::Data<AppState>, slug: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let form = db::run(&state.pool, move |conn| services::forms::latest(conn, &slug))
        .await
        .map_err(not_found)?;
    Ok(HttpResponse::Ok().json(FormView::from(&form)))
}

/// Every version stays readable, so old responses can always be read against their questions.
#[utoipa::path(
    get, path = "/api/v1/forms/{slug}/versions/{version}", tag = "forms", security(()),
    params(("slug" = String, Path), ("version" = i32, Path, description = "1, 2, ...")),
    responses((status = 200, description = "That version of the form", body = contract::FormView),
        (status = 404, description = "No such form or version", body = contract::ErrorBody), contract::CommonErrors)
)]
#[get("/forms/{slug}/versions/{version}")]
async fn form_version(state: web::Data<AppState>, path: web::Path<(String, String)>) -> Result<HttpResponse, ApiError> {
    let (slug, version) = path.into_inner();
    let version: i32 = version.parse().map_err(|_| ApiError::NotFound("form version"))?;
    let form = db::run(&state.pool, move |conn| {
        services::forms::by_version(conn, &slug, version)
    })
    .await
    .map_err(not_found)?;
    Ok(HttpResponse::Ok().json(FormView::from(&form)))
}

/// An upload's body: a form file's JSON, a workbook sent as itself, or a workbook as the file
/// of a multipart form (what a browser's file input sends).
async fn read_upload(request: &HttpRequest, payload: web::Payload) -> Result<Upload, ApiError> {
    if upload_body::media_type(request) == "application/json" {
        let bytes = upload_body::whole_body(request, payload).await?;
        let StrictJson(value) = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}")))?;
        return Ok(Upload::Json(value));
    }
    upload_body::workbook(request, payload)
        .await?
        .map(Upload::Workbook)
        .ok_or(ApiError::UnsupportedMediaType(
            "application/json, an .xlsx workbook, or multipart/form-data",
        ))
}

/// A form authored by staff: checked like the shipped files (and XLSForm's rules), stored as a
/// new version of its slug unless identical to one stored already.
#[utoipa::path(
    post, path = "/api/v1/forms", tag = "forms",
    request_body(content = FormFile, description = "A form file's JSON (`application/json`), or an XLSForm workbook: as the body (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`) or as the file of a `multipart/form-data` upload"),
    responses(
        (status = 201, description = "Stored as a new version", body = contract::FormUploaded),
        (status = 200, description = "The same content is stored already: nothing changed", body = contract::FormUploaded),
        (status = 413, description = "Larger than 2 MiB", body = contract::ErrorBody),
        (status = 415, description = "Neither JSON, a workbook nor multipart", body = contract::ErrorBody),
        (status = 422, description = "Every problem, each at its cell (`survey!C7`) or question, in `details`", body = contract::ErrorBody),
        contract::CommonErrors, contract::TokenErrors)
)]
#[post("/forms")]
async fn upload_form(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.require(STAFF)?;
    let upload = read_upload(&request, payload).await?;
    let form = web::block(move || form_upload::check(upload))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::InvalidForm)?;
    let uploaded = db::run(&state.pool, move |conn| {
        form_upload::store(conn, &form, caller.token_id)
    })
    .await?;
    let mut response = if uploaded.is_new {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response.json(FormUploaded::from(uploaded)))
}

/// The latest version as an XLSForm workbook, to edit and upload again.
#[utoipa::path(
    get, path = "/api/v1/forms/{slug}.xlsx", tag = "forms", security(()),
    params(("slug" = String, Path)),
    responses((status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, description = "No such form", body = contract::ErrorBody), contract::CommonErrors)
)]
#[get("/forms/{slug}.xlsx")]
async fn latest_workbook(state: web::Data<AppState>, slug: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let form = db::run(&state.pool, move |conn| services::forms::latest(conn, &slug))
        .await
        .map_err(not_found)?;
    workbook(&form)
}

#[utoipa::path(
    get, path = "/api/v1/forms/{slug}/versions/{version}.xlsx", tag = "forms", security(()),
    params(("slug" = String, Path), ("version" = i32, Path)),
    responses((status = 200, description = "That version as a workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, description = "No such form or version", body = contract::ErrorBody), contract::CommonErrors)
)]
#[get("/forms/{slug}/versions/{version}.xlsx")]
async fn version_workbook(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, version) = path.into_inner();
    let version: i32 = version.parse().map_err(|_| ApiError::NotFound("form version"))?;
    let form = db::run(&state.pool, move |conn| {
        services::forms::by_version(conn, &slug, version)
    })
    .await
    .map_err(not_found)?;
    workbook(&form)
}

/// Every version, newest first, with who uploaded it and how many events ask it.
#[utoipa::path(
    get, path = "/api/v1/forms/{slug}/versions", tag = "forms",
    params(("slug" = String, Path)),
    responses((status = 200, description = "The versions", body = contract::FormVersionList),
        (status = 404, description = "No such form", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/forms/{slug}/versions")]
async fn form_versions(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let slug = slug.into_inner();
    let versions = db::run(&state.pool, move |conn| services::forms::versions(conn, &slug)).await?;
    if versions.is_empty() {
        return Err(ApiError::NotFound("form"));
    }
    Ok(HttpResponse::Ok().json(FormVersionList {
        versions: versions.into_iter().map(FormVersionSummary::from).collect(),
    }))
}

/// The versions compared.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DiffParams {
    /// The earlier version.
    #[param(minimum = 1)]
    from: i32,
    /// The later version.
    #[param(minimum = 1)]
    to: i32,
}

/// What changed between two versions: questions and options added, removed or relabelled, and
/// rules, limits and types changed.
#[utoipa::path(
    get, path = "/api/v1/forms/{slug}/diff", tag = "forms", security(()),
    params(("slug" = String, Path), DiffParams),
    responses((status = 200, description = "The changes, in the later version's order", body = contract::FormDiffView),
        (status = 404, description = "No such form or version", body = contract::ErrorBody), contract::CommonErrors)
)]
#[get("/forms/{slug}/diff")]
async fn diff_versions(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<std::collections::HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let mut params = QueryParams::new(query.into_inner());
    let DiffParams { from, to } = params.take()?;
    params.finish()?;
    for (name, version) in [("from", from), ("to", to)] {
        if version < 1 {
            return Err(ValidationError::new(name, "invalid_value", format!("{name} is a version number")).into());
        }
    }
    let slug = slug.into_inner();
    let (old, new) = db::run(&state.pool, move |conn| services::forms::pair(conn, &slug, from, to))
        .await
        .map_err(not_found)?;
    let changes = form_diff::diff(&old.definition, &new.definition);
    Ok(HttpResponse::Ok().json(FormDiffView {
        slug: new.definition.slug,
        from,
        to,
        changes,
    }))
}
