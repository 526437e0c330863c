use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};

use super::session::{DashboardError, StaffSession};
use super::{attribute_picks, chrome, form_picks, html};
use crate::db;
use crate::domain::analysis_request::BreakdownRequest;
use crate::domain::form::{FormDefinition, QuestionKind};
use crate::domain::lang::Lang;
use crate::domain::query_params::QueryParams;
use crate::domain::response_filter::SOURCE_PARAM;
use crate::http::download::attachment;
use crate::http::AppState;
use crate::pages::breakdown::{breakdown_page, BreakdownView};
use crate::pages::dashboard::Pick;
use crate::reports::breakdown_csv;
use crate::services;
use crate::services::analyses::{self, AnalysesError, BreakdownResult, Tabulation};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page).service(as_json).service(as_csv);
}

/// What the page's pickers say, with defaults for a first visit.
struct Choices {
    form: String,
    question: String,
    by: [String; 2],
    fiscal_year: String,
    /// How the answers came (phone, api, paper); all when empty.
    source: String,
}

impl Choices {
    fn from_query(query: &HashMap<String, String>) -> Self {
        let get = |name: &str, default: &str| query.get(name).map_or(default, |v| v.trim()).to_owned();
        Self {
            form: get("form", "seminar"),
            question: get("question", "satisfaction"),
            by: [get("by", "gender"), get("by2", "")],
            fiscal_year: get("fiscal_year", ""),
            source: get(SOURCE_PARAM, ""),
        }
    }

    fn query_string(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("form", &self.form)
            .append_pair("question", &self.question)
            .append_pair("by", &self.by[0]);
        if !self.by[1].is_empty() {
            query.append_pair("by2", &self.by[1]);
        }
        for (name, value) in [("fiscal_year", &self.fiscal_year), (SOURCE_PARAM, &self.source)] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        query.finish()
    }

    /// The API's parameters, so the page and the API share one validation.
    fn params(&self) -> HashMap<String, String> {
        let by: Vec<&str> = self.by.iter().map(String::as_str).filter(|b| !b.is_empty()).collect();
        let mut params = HashMap::from([
            ("form".to_owned(), self.form.clone()),
            ("question".to_owned(), self.question.clone()),
            ("by".to_owned(), by.join(",")),
        ]);
        for (name, value) in [("fiscal_year", &self.fiscal_year), (SOURCE_PARAM, &self.source)] {
            if !value.is_empty() {
                params.insert(name.to_owned(), value.clone());
            }
        }
        params
    }
}

async fn compute(
    state: &AppState,
    session: &StaffSession,
    choices: &Choices,
) -> Result<Result<BreakdownResult, String>, DashboardError> {
    let l = session.lang;
    let mut params = QueryParams::new(choices.params());
    let request = match BreakdownRequest::parse(&mut params, None, session.staff()?, state.min_cell) {
        Ok(request) => request,
        Err(invalid) => return Ok(Err(message(l, invalid.top_field()))),
    };
    match state
        .run_analysis(move |connections| Ok(analyses::breakdown(connections, &request, Tabulation::Breakdown)))
        .await?
    {
        Ok(result) => Ok(Ok(result)),
        Err(AnalysesError::Db(error)) => Err(error.into()),
        Err(AnalysesError::Invalid(invalid)) => Ok(Err(message(l, invalid.top_field()))),
        Err(other) => Err(DashboardError::render(other)),
    }
}

fn message(l: Lang, field: &str) -> String {
    match field {
        "form" => l.pick("アンケートが見つかりません。", "No such questionnaire. "),
        "question" => l.pick(
            "この質問は集計できません（自由記述は「自由記述」から）。",
            "This question cannot be tabulated (open questions are on the opinions page). ",
        ),
        "by" => l.pick(
            "この組み合わせではグループ分けできません。属性を選び直してください。",
            "These cannot be grouped together. Choose the attributes again. ",
        ),
        "fiscal_year" => l.pick(
            "年度は 2019 のように、始まる年の西暦で入力してください。",
            "Give the fiscal year as the year it starts, e.g. 2019. ",
        ),
        SOURCE_PARAM => l.pick(
            "回答の方法は一覧から選んでください。",
            "Choose how it was answered from the list. ",
        ),
        _ => l.pick("条件を確認してください。", "Check the filters. "),
    }
    .to_owned()
}

/// The questions a breakdown can count: every question but free text.
fn question_picks(l: Lang, form: Option<&FormDefinition>) -> Vec<Pick> {
    form.map(|form| {
        form.questions
            .iter()
            .filter(|q| !matches!(q.kind, QuestionKind::Text { .. }))
            .map(|q| (q.id.clone(), q.label.get(l).to_owned()))
            .collect()
    })
    .unwrap_or_default()
}

#[get("/dashboard/breakdown")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let choices = Choices::from_query(&query);
    let forms = db::run(&state.pool, services::forms::all_latest).await?;
    let form_picks = form_picks(l, &forms);
    let selected = forms.iter().map(|f| &f.definition).find(|f| f.slug == choices.form);
    let (questions, attributes) = (question_picks(l, selected), attribute_picks(l, selected));
    let outcome = compute(&state, &session, &choices).await?;
    let query_string = choices.query_string();
    let view = BreakdownView {
        forms: &form_picks,
        form: &choices.form,
        questions: &questions,
        question: &choices.question,
        attributes: &attributes,
        by: [&choices.by[0], &choices.by[1]],
        fiscal_year: &choices.fiscal_year,
        source: &choices.source,
        result: outcome.as_ref().ok().map(|r| &r.table),
        error: outcome.as_ref().err().map(String::as_str),
        query: &query_string,
    };
    let status = if outcome.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html(status, breakdown_page(&chrome(&session), &view)))
}

#[get("/dashboard/breakdown.json")]
async fn as_json(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    match compute(&state, &session, &Choices::from_query(&query)).await? {
        Ok(result) => Ok(HttpResponse::Ok().json(result.to_json())),
        Err(message) => Ok(HttpResponse::UnprocessableEntity()
            .content_type("text/plain; charset=utf-8")
            .body(message)),
    }
}

#[get("/dashboard/breakdown.csv")]
async fn as_csv(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    match compute(&state, &session, &Choices::from_query(&query)).await? {
        Ok(result) => {
            let body = breakdown_csv::to_csv(&result.table).map_err(DashboardError::render)?;
            let filename = format!("{}-{}-breakdown.csv", result.form_slug, result.table.question);
            Ok(attachment(actix_web::mime::TEXT_CSV_UTF_8, filename, body))
        }
        Err(message) => Ok(HttpResponse::UnprocessableEntity()
            .content_type("text/plain; charset=utf-8")
            .body(message)),
    }
}
