use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde_json::json;

use super::session::{DashboardError, StaffForm, StaffSession};
use super::{chrome, form_picks, html, see_other};
use crate::db;
use crate::domain::coding::NewCoding;
use crate::domain::form::QuestionKind;
use crate::http::AppState;
use crate::pages::coding::{coding_page, CodingView};
use crate::pages::dashboard::Pick;
use crate::services;
use crate::services::analyses::{AnalysesError, OPINION_QUESTION};
use crate::services::coding;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page).service(save).service(apply_rules);
}

/// What the page works on, with defaults for a first visit.
struct Target {
    codebook: String,
    form: String,
    question: String,
}

impl Target {
    fn of(values: &HashMap<String, String>) -> Self {
        let get = |name: &str, default: &str| values.get(name).map_or(default, |v| v.trim()).to_owned();
        Self {
            codebook: get("codebook", "starter"),
            form: get("form", "seminar"),
            question: get("question", OPINION_QUESTION),
        }
    }

    fn query(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("codebook", &self.codebook)
            .append_pair("form", &self.form)
            .append_pair("question", &self.question)
            .finish()
    }
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    target: Target,
    error: Option<&str>,
    saved: bool,
    ruled: Option<(usize, usize)>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let coder = session.session.token_id;
    let (codebooks, forms) = db::run(&state.pool, |conn| {
        Ok((
            services::codebooks::all_latest(conn)?,
            services::forms::all_latest(conn)?,
        ))
    })
    .await?;
    let codebook = codebooks
        .iter()
        .find(|book| book.slug == target.codebook)
        .or(codebooks.first());
    let next = match codebook {
        Some(book) => {
            let (slug, form, question) = (book.slug.clone(), target.form.clone(), target.question.clone());
            db::run(&state.pool, move |conn| {
                coding::next_item(conn, coder, &slug, &form, &question)
            })
            .await?
            .ok()
            .flatten()
        }
        None => None,
    };
    let codebook_picks: Vec<Pick> = codebooks
        .iter()
        .map(|b| (b.slug.clone(), b.codebook.title.get(l).to_owned()))
        .collect();
    let questions: Vec<Pick> = forms
        .iter()
        .find(|f| f.definition.slug == target.form)
        .map(|f| {
            f.definition
                .questions
                .iter()
                .filter(|q| matches!(q.kind, QuestionKind::Text { .. }))
                .map(|q| (q.id.clone(), q.label.get(l).to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let view = CodingView {
        codebooks: &codebook_picks,
        codebook,
        forms: &form_picks(l, &forms),
        form: &target.form,
        questions: &questions,
        question: &target.question,
        next: next.as_ref(),
        error,
        saved,
        ruled,
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(html(status, coding_page(&chrome(session), &view)))
}

#[get("/dashboard/coding")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let saved = query.contains_key("saved");
    let count = |name: &str| query.get(name).and_then(|n| n.parse().ok());
    let ruled = count("ruled").zip(count("matched"));
    render(&state, &session, Target::of(&query), None, saved, ruled).await
}

#[post("/dashboard/coding")]
async fn save(state: web::Data<AppState>, form: StaffForm) -> Result<HttpResponse, DashboardError> {
    let StaffForm { session, fields, body } = form;
    let target = Target::of(&fields);
    // Ticked themes come as repeated fields.
    let themes: Vec<String> = form_urlencoded::parse(&body)
        .filter(|(name, _)| name == "theme")
        .map(|(_, value)| value.into_owned())
        .collect();
    let item = match (fields.get("response"), fields.get("note")) {
        (Some(response), None) => json!({"response": response, "question": target.question}),
        (None, Some(note)) => json!({"note": note}),
        _ => json!(null),
    };
    let body =
        json!({"codebook": target.codebook, "item": item, "themes": themes, "quote": fields.contains_key("quote")});
    let coder = session.session.token_id;
    let recorded = match NewCoding::parse(body) {
        Ok(coding) => db::run(&state.pool, move |conn| coding::record(conn, coder, &coding))
            .await?
            .map(|_| ()),
        Err(invalid) => Err(invalid),
    };
    match recorded {
        Ok(()) => Ok(see_other(&format!("/dashboard/coding?{}&saved=1", target.query()))),
        Err(invalid) => render(&state, &session, target, Some(&invalid.message), false, None).await,
    }
}

/// Codes with the codebook's rules what no person has coded, as the API does.
#[post("/dashboard/coding/apply-rules")]
async fn apply_rules(state: web::Data<AppState>, form: StaffForm) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let target = Target::of(&fields);
    let request = coding::RuleRequest {
        codebook: target.codebook.clone(),
        form: target.form.clone(),
        question: target.question.clone(),
    };
    let (coder, segmenter) = (session.session.token_id, state.segmenter.clone());
    let run = state
        .run_analysis(move |connections| Ok(coding::apply_rules(connections, &segmenter, coder, &request)))
        .await?;
    match run {
        Ok(run) => Ok(see_other(&format!(
            "/dashboard/coding?{}&ruled={}&matched={}",
            target.query(),
            run.coded,
            run.matched
        ))),
        Err(AnalysesError::Db(error)) => Err(error.into()),
        Err(_) => {
            let message = l.pick("このコードブックのルールでは、このアンケートをコード付けできません（ルールのあるテーマと自由記述の質問を確かめてください）。", "This codebook's rules cannot code this questionnaire (check the themes with rules and the open question). ") ;
            render(&state, &session, target, Some(message), false, None).await
        }
    }
}
