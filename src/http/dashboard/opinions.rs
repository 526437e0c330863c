use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};

use super::session::{DashboardError, StaffSession};
use super::{attribute_picks, chrome, form_picks, html};
use crate::db;
use crate::domain::analysis_request::{BreakdownRequest, CommentSource};
use crate::domain::response_filter::QueryParams;
use crate::http::AppState;
use crate::pages::opinions::{opinions_page, OpinionsView};
use crate::services::coding::{self, ThemesRequest};
use crate::services::insights::{self, InsightError, OPINION_QUESTION};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page);
}

#[get("/dashboard/opinions")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let get = |name: &str, default: &str| query.get(name).map_or(default, |v| v.trim()).to_owned();
    let (form, by, fiscal_year) = (get("form", "seminar"), get("by", "relation"), get("fiscal_year", ""));
    let source = get("source", "responses");
    let codebook = get("codebook", "starter");
    let forms = db::run(&state.pool, db::forms::all_latest).await?;
    let codebooks: Vec<(String, String)> = db::run(&state.pool, db::codebooks::all_latest)
        .await?
        .into_iter()
        .map(|book| (book.slug, book.codebook.title.ja))
        .collect();
    let form_picks = form_picks(&forms);
    let attributes = attribute_picks(forms.iter().map(|f| &f.definition).find(|f| f.slug == form));
    // An empty picker means none: everyone together, every year.
    let params: HashMap<String, String> = [
        ("form", &form),
        ("by", &by),
        ("source", &source),
        ("fiscal_year", &fiscal_year),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(name, value)| (name.to_owned(), value.clone()))
    .collect();
    let mut params = QueryParams::new(params);
    let parsed = BreakdownRequest::parse(
        &mut params,
        Some(OPINION_QUESTION),
        session.session.role,
        state.min_cell,
    )
    .and_then(|request| Ok((request, CommentSource::parse(&mut params)?)));
    let mut themes = None;
    let outcome = match parsed {
        Err(_) => Err("アンケートと年度（2019 のような西暦）を確かめてください。".to_owned()),
        Ok((request, comment_source)) => {
            // The themes come beside the terms where the codebook is known; none where it is not.
            let themes_request = ThemesRequest {
                breakdown: request.clone(),
                codebook: codebook.clone(),
                source: comment_source,
            };
            themes = match state
                .run_analysis(move |connections| Ok(coding::themes(connections, &themes_request)))
                .await?
            {
                Ok(result) => Some(result),
                Err(InsightError::Db(error)) => return Err(error.into()),
                Err(_) => None,
            };
            let segmenter = state.segmenter.clone();
            match state
                .run_analysis(move |connections| {
                    Ok(insights::opinions(
                        connections,
                        &segmenter,
                        &request,
                        true,
                        comment_source,
                    ))
                })
                .await?
            {
                Ok(result) => Ok(result),
                Err(InsightError::Db(error)) => return Err(error.into()),
                Err(InsightError::TextUnavailable(_)) => {
                    Err("日本語の辞書が準備できていないため表示できません（scripts/setup で導入できます）。".to_owned())
                }
                Err(_) => Err("この条件では表示できません。属性を選び直してください。".to_owned()),
            }
        }
    };
    let view = OpinionsView {
        forms: &form_picks,
        form: &form,
        attributes: &attributes,
        by: &by,
        source: &source,
        fiscal_year: &fiscal_year,
        result: outcome.as_ref().ok(),
        codebooks: &codebooks,
        codebook: &codebook,
        themes: themes.as_ref(),
        error: outcome.as_ref().err().map(String::as_str),
    };
    let status = if outcome.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html(status, opinions_page(&chrome(&session), &view)))
}
