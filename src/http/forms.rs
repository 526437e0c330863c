use actix_web::{get, web, HttpResponse};
use serde_json::{json, Value};

use super::contract;
use super::error::ApiError;
use super::AppState;
use crate::db::{self, forms::StoredForm};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_forms).service(latest_form).service(form_version);
}

fn form_json(form: &StoredForm) -> Value {
    let mut value = form.definition.to_value();
    value["version"] = json!(form.version);
    value["created_at"] = json!(form.created_at);
    value
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
    let forms = db::run(&state.pool, db::forms::all_latest).await?;
    Ok(HttpResponse::Ok().json(json!({ "forms": forms.iter().map(form_json).collect::<Vec<_>>() })))
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
    let form = db::run(&state.pool, move |conn| db::forms::latest(conn, &slug))
        .await
        .map_err(not_found)?;
    Ok(HttpResponse::Ok().json(form_json(&form)))
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
    let form = db::run(&state.pool, move |conn| db::forms::by_version(conn, &slug, version))
        .await
        .map_err(not_found)?;
    Ok(HttpResponse::Ok().json(form_json(&form)))
}
