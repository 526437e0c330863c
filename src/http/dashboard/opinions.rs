use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};

use super::session::{DashboardError, StaffSession};
use super::{attribute_picks, chrome, form_picks, html};
use crate::db;
use crate::domain::analysis_request::{BreakdownRequest, CommentSource};
use crate::domain::lang::Lang;
use crate::domain::query_params::QueryParams;
use crate::domain::token::Staff;
use crate::domain::validation::ValidationError;
use crate::http::AppState;
use crate::pages::dashboard::Pick;
use crate::pages::opinions::{opinions_page, CommentPicks, OpinionsView};
use crate::services;
use crate::services::analyses::{self, AnalysesError, OPINION_QUESTION};
use crate::services::coding::{self, ThemesRequest};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page);
}

/// Which comments the pickers of an opinions page name, as typed (an empty picker is none:
/// everyone together, every year).
pub(super) struct Picked {
    pub form: String,
    pub by: String,
    pub source: String,
    pub fiscal_year: String,
}

impl Picked {
    pub fn refused(l: Lang) -> &'static str {
        l.pick(
            "アンケートと年度（2019 のような西暦）を確かめてください。",
            "Check the questionnaire and the fiscal year (a year such as 2019). ",
        )
    }

    pub fn read(query: &HashMap<String, String>) -> Self {
        let get = |name: &str, default: &str| query.get(name).map_or(default, |v| v.trim()).to_owned();
        Self {
            form: get("form", "seminar"),
            by: get("by", "relation"),
            source: get("source", "responses"),
            fiscal_year: get("fiscal_year", ""),
        }
    }

    pub fn request(&self, staff: Staff, min_cell: u64) -> Result<(BreakdownRequest, CommentSource), ValidationError> {
        let params: HashMap<String, String> = [
            ("form", &self.form),
            ("by", &self.by),
            ("source", &self.source),
            ("fiscal_year", &self.fiscal_year),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| (name.to_owned(), value.clone()))
        .collect();
        let mut params = QueryParams::new(params);
        let request = BreakdownRequest::parse(&mut params, Some(OPINION_QUESTION), staff, min_cell)?;
        Ok((request, CommentSource::parse(&mut params)?))
    }

    pub fn picks<'a>(&'a self, forms: &'a [Pick], attributes: &'a [Pick]) -> CommentPicks<'a> {
        CommentPicks {
            forms,
            form: &self.form,
            attributes,
            by: &self.by,
            source: &self.source,
            fiscal_year: &self.fiscal_year,
        }
    }
}

#[get("/dashboard/opinions")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let picked = Picked::read(&query);
    let codebook = query.get("codebook").map_or("starter", |v| v.trim()).to_owned();
    let forms = db::run(&state.pool, services::forms::all_latest).await?;
    let codebooks: Vec<(String, String)> = db::run(&state.pool, services::codebooks::all_latest)
        .await?
        .into_iter()
        .map(|book| (book.slug, book.codebook.title.get(l).to_owned()))
        .collect();
    let form_picks = form_picks(l, &forms);
    let attributes = attribute_picks(l, forms.iter().map(|f| &f.definition).find(|f| f.slug == picked.form));
    let parsed = picked.request(session.staff()?, state.min_cell);
    let mut themes = None;
    let outcome = match parsed {
        Err(_) => Err(Picked::refused(l).to_owned()),
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
                Err(AnalysesError::Db(error)) => return Err(error.into()),
                Err(_) => None,
            };
            let segmenter = state.segmenter.clone();
            match state
                .run_analysis(move |connections| {
                    Ok(analyses::opinions(
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
                Err(AnalysesError::Db(error)) => return Err(error.into()),
                Err(AnalysesError::TextUnavailable(_)) => Err((l.pick(
                    "日本語の辞書が準備できていないため表示できません（scripts/setup で導入できます）。",
                    "Cannot be shown: the Japanese dictionary is not installed (scripts/setup installs it). ",
                ))
                .to_owned()),
                Err(_) => Err((l.pick(
                    "この条件では表示できません。属性を選び直してください。",
                    "Nothing to show for these filters. Choose the attribute again. ",
                ))
                .to_owned()),
            }
        }
    };
    let view = OpinionsView {
        picks: picked.picks(&form_picks, &attributes),
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
