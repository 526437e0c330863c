use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::session::{DashboardError, StaffSession};
use super::{chrome, html, see_other};
use crate::db::{self, DbError};
use crate::domain::form_diff;
use crate::domain::lang::{Lang, Localized};
use crate::http::survey_page::preview_html;
use crate::http::AppState;
use crate::pages::forms::{diff_page, forms_page, phone_page, FormsView};
use crate::pages::survey::{survey_page, FormValues, SurveyView, When};
use crate::services;
use crate::services::form_upload::{self, Upload, UploadProblem};
use crate::services::form_versions::with_current_agencies;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page)
        .service(upload)
        .service(phone)
        .service(preview)
        .service(diff);
}

#[derive(serde::Deserialize)]
struct Uploaded {
    uploaded: Option<String>,
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    status: StatusCode,
    problems: &[UploadProblem],
    uploaded: Option<&str>,
) -> Result<HttpResponse, DashboardError> {
    let forms = db::run(&state.pool, |conn| {
        services::forms::all_latest(conn)?
            .into_iter()
            .map(|latest| {
                let versions = services::forms::versions(conn, &latest.definition.slug)?;
                Ok((latest, versions))
            })
            .collect::<Result<Vec<_>, db::DbError>>()
    })
    .await?;
    let view = FormsView {
        forms: &forms,
        problems,
        uploaded,
    };
    Ok(html(status, forms_page(&chrome(session), &view)))
}

#[get("/dashboard/forms")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<Uploaded>,
) -> Result<HttpResponse, DashboardError> {
    render(&state, &session, StatusCode::OK, &[], query.uploaded.as_deref()).await
}

/// A workbook from the page's file input: stored as a new version, or shown back with every
/// problem in a table and nothing stored.
#[post("/dashboard/forms")]
async fn upload(
    state: web::Data<AppState>,
    session: StaffSession,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, DashboardError> {
    let bytes = match session.uploaded_file(&request, payload).await? {
        Ok(bytes) => bytes,
        Err(message) => {
            // Said in the page's language already.
            let problems = [UploadProblem {
                location: None,
                message: Localized::new(message.clone(), message),
            }];
            return render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, &problems, None).await;
        }
    };
    let checked = web::block(move || form_upload::check(Upload::Workbook(bytes)))
        .await
        .map_err(DashboardError::render)?;
    let form = match checked {
        Ok(form) => form,
        Err(problems) => return render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, &problems, None).await,
    };
    let by = session.session.token_id;
    let stored = db::run(&state.pool, move |conn| form_upload::store(conn, &form, by)).await?;
    let (slug, version) = (&stored.slug, stored.version);
    let message = match (stored.is_new, session.lang) {
        (true, Lang::Ja) => format!("{slug} の第{version}版を保存しました。"),
        (true, Lang::En) => format!("{slug} version {version} saved."),
        (false, Lang::Ja) => format!("{slug} の第{version}版と同じ内容です。変更はありません。"),
        (false, Lang::En) => format!("The same as {slug} version {version}: nothing changed."),
    };
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("uploaded", &message)
        .finish();
    Ok(see_other(&format!("/dashboard/forms?{query}")))
}

#[derive(serde::Deserialize)]
struct PreviewQuery {
    lang: Option<String>,
}

/// The preview below in a frame a phone's width, with the dashboard around it.
#[get("/dashboard/forms/{slug}/versions/{version}/phone")]
async fn phone(
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<(String, i32)>,
    query: web::Query<PreviewQuery>,
) -> Result<HttpResponse, DashboardError> {
    let (slug, version) = path.into_inner();
    let loaded = db::run(&state.pool, move |conn| {
        services::forms::by_version(conn, &slug, version)
    })
    .await;
    let Some(form) = found(loaded)? else {
        return Ok(see_other("/dashboard/forms"));
    };
    // The preview opens in the dashboard's language; its link shows the other.
    let lang = query
        .lang
        .as_deref()
        .map_or(session.lang, |code| Lang::from_param(Some(code)));
    Ok(html(StatusCode::OK, phone_page(&chrome(&session), &form, lang)))
}

/// The phone form of a version as attendees will see it, before any event asks it; nothing can
/// be sent from it, there being no event to answer.
#[get("/dashboard/forms/{slug}/versions/{version}/preview")]
async fn preview(
    state: web::Data<AppState>,
    _session: StaffSession,
    path: web::Path<(String, i32)>,
    query: web::Query<PreviewQuery>,
) -> Result<HttpResponse, DashboardError> {
    let (slug, version) = path.into_inner();
    let address = format!("/dashboard/forms/{slug}/versions/{version}/preview");
    let form = db::run(&state.pool, move |conn| {
        let form = services::forms::by_version(conn, &slug, version)?;
        with_current_agencies(conn, form)
    })
    .await;
    let Some(form) = found(form)? else {
        return Ok(see_other("/dashboard/forms"));
    };
    let lang = Lang::from_param(query.lang.as_deref());
    let values = FormValues::new();
    let view = SurveyView {
        lang,
        code: "preview",
        preview: Some(&address),
        title: form.definition.title.get(lang),
        when: When::Held(crate::domain::clock::today()),
        venue: None,
        form: &form.definition,
        submission_id: Uuid::nil(),
        values: &values,
        errors: &[],
        paper: None,
    };
    Ok(preview_html(survey_page(&view)))
}

#[derive(serde::Deserialize)]
struct DiffQuery {
    from: i32,
    to: i32,
}

#[get("/dashboard/forms/{slug}/diff")]
async fn diff(
    state: web::Data<AppState>,
    session: StaffSession,
    slug: web::Path<String>,
    query: web::Query<DiffQuery>,
) -> Result<HttpResponse, DashboardError> {
    let (slug, from, to) = (slug.into_inner(), query.from, query.to);
    let versions = db::run(&state.pool, move |conn| services::forms::pair(conn, &slug, from, to)).await;
    let Some((old, new)) = found(versions)? else {
        return Ok(see_other("/dashboard/forms"));
    };
    let changes = form_diff::diff(&old.definition, &new.definition);
    Ok(html(StatusCode::OK, diff_page(&chrome(&session), &new, from, &changes)))
}

/// What was loaded, or `None` for a form version that is not there (the page then sends staff
/// back to the list).
fn found<T>(loaded: Result<T, DbError>) -> Result<Option<T>, DashboardError> {
    match loaded {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error.into()),
    }
}
