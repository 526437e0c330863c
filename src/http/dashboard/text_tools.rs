//! Staff's text tools from the dashboard: a term in context, and the text dictionary (written
//! through `services::text_tools`, as the API does; compound candidates accepted with a tick).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde_json::{json, Value};

use super::opinions::Picked;
use super::session::{DashboardError, StaffForm, StaffSession};
use super::{attribute_picks, chrome, form_picks, html, see_other};
use crate::db;
use crate::domain::analysis_request::{BreakdownRequest, CommentSource};
use crate::domain::lang::Lang;
use crate::domain::query_params::QueryParams;
use crate::domain::text_dictionary::{TextDictionary, VersionedDictionary};
use crate::domain::validation::ValidationError;
use crate::http::text_tools::map_size;
use crate::http::AppState;
use crate::pages::dashboard::{Chrome, NewEventForm};
use crate::pages::text_maps::{correspondence_page, network_page, MapView};
use crate::pages::text_tools::lists;
use crate::pages::text_tools::{dictionary_page, kwic_page, DictionaryView, KwicView};
use crate::services;
use crate::services::analyses::AnalysesError;
use crate::services::text_tools::{self, MapSize};
use crate::text::compounds::Candidate;
use crate::text::segmenter::LazySegmenter;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(kwic)
        .service(show_dictionary)
        .service(save)
        .service(accept)
        .service(network_map)
        .service(correspondence_map);
}

/// What staff read when a text tool cannot answer.
fn refusal(l: Lang, error: &AnalysesError) -> &'static str {
    match error {
        AnalysesError::TextUnavailable(_) => l.pick(
            "日本語の辞書が準備できていないため表示できません（scripts/setup で導入できます）。",
            "Cannot be shown: the Japanese dictionary is not installed (scripts/setup installs it). ",
        ),
        _ => l.pick(
            "この条件では表示できません。アンケートと属性を選び直してください。",
            "Nothing to show for these filters. Choose the questionnaire and attribute again. ",
        ),
    }
}

#[get("/dashboard/kwic")]
async fn kwic(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let picked = Picked::read(&query);
    let term = query.get("term").map_or("", |t| t.trim()).to_owned();
    let forms = db::run(&state.pool, services::forms::all_latest).await?;
    let form_picks = form_picks(l, &forms);
    let attributes = attribute_picks(l, forms.iter().map(|f| &f.definition).find(|f| f.slug == picked.form));
    let outcome = match picked.request(session.staff()?, state.min_cell) {
        _ if term.is_empty() => Err(l.pick("語を入力してください。", "Enter a term. ")),
        Err(_) => Err(Picked::refused(l)),
        Ok((request, source)) => {
            let (segmenter, asked) = (state.segmenter.clone(), term.clone());
            match state
                .run_analysis(move |connections| {
                    Ok(text_tools::kwic(connections, &segmenter, &request, source, &asked))
                })
                .await?
            {
                Ok(found) => Ok(found),
                Err(AnalysesError::Db(error)) => return Err(error.into()),
                Err(error) => Err(refusal(l, &error)),
            }
        }
    };
    let view = KwicView {
        picks: picked.picks(&form_picks, &attributes),
        term: &term,
        result: outcome.as_ref().ok(),
        error: outcome.as_ref().err().copied(),
    };
    let status = match (&outcome, term.is_empty()) {
        (Ok(_), _) | (Err(_), true) => StatusCode::OK,
        (Err(_), false) => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(html(status, kwic_page(&chrome(&session), &view)))
}

/// The dictionary as the form shows it: each list one word per line.
fn recorded_values(dictionary: &TextDictionary) -> HashMap<String, String> {
    [
        ("forced", &dictionary.forced),
        ("compounds", &dictionary.compounds),
        ("stop_words", &dictionary.stop_words),
    ]
    .into_iter()
    .map(|(name, words)| (name.to_owned(), words.join("\n")))
    .collect()
}

/// The posted lists as typed, and as the API's dictionary body.
fn dictionary_body(fields: &HashMap<String, String>) -> (HashMap<String, String>, Value) {
    let mut typed = HashMap::new();
    let mut body = serde_json::Map::new();
    for (name, _, _) in lists(Lang::Ja) {
        let text = fields.get(name).cloned().unwrap_or_default();
        let words: Vec<&str> = text.lines().map(str::trim).filter(|w| !w.is_empty()).collect();
        body.insert(name.to_owned(), json!(words));
        typed.insert(name.to_owned(), text);
    }
    (typed, Value::Object(body))
}

fn field_message(l: Lang, invalid: &ValidationError) -> String {
    let list = lists(l)
        .into_iter()
        .find(|(name, _, _)| *name == invalid.top_field())
        .map_or(l.pick("辞書", "Dictionary"), |(_, label, _)| label);
    match l {
        Lang::Ja => format!("{list}：1行に一語（空白なし、40文字まで、2000語まで）で入力してください。"),
        Lang::En => format!("{list}: one word a line (no spaces, at most 40 characters, at most 2000 words)."),
    }
}

/// The compound candidates of `form`'s comments, or what staff read instead.
async fn candidates_of(
    state: &AppState,
    session: &StaffSession,
    form: &str,
) -> Result<Result<Vec<Candidate>, &'static str>, DashboardError> {
    let l = session.lang;
    let picked = Picked::read(&HashMap::from([
        ("form".to_owned(), form.to_owned()),
        ("by".to_owned(), String::new()),
    ]));
    let Ok((request, source)) = picked.request(session.staff()?, state.min_cell) else {
        return Ok(Err(Picked::refused(l)));
    };
    let segmenter = state.segmenter.clone();
    match state
        .run_analysis(move |connections| Ok(text_tools::compounds(connections, &segmenter, &request, source)))
        .await?
    {
        Ok(found) => Ok(Ok(found)),
        Err(AnalysesError::Db(error)) => Err(error.into()),
        Err(error) => Ok(Err(refusal(l, &error))),
    }
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    status: StatusCode,
    form_slug: &str,
    form: NewEventForm,
    version: i64,
    notice: Option<&str>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let forms = db::run(&state.pool, services::forms::all_latest).await?;
    let candidates = candidates_of(state, session, form_slug).await?;
    let view = DictionaryView {
        form,
        version,
        notice,
        forms: &form_picks(l, &forms),
        form_slug,
        candidates: candidates.as_deref().map_err(|message| *message),
    };
    Ok(html(status, dictionary_page(&chrome(session), &view)))
}

#[derive(serde::Deserialize)]
struct DictionaryQuery {
    form: Option<String>,
    saved: Option<String>,
}

#[get("/dashboard/text-dictionary")]
async fn show_dictionary(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<DictionaryQuery>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let current = db::run(&state.pool, text_tools::dictionary).await?;
    let form_slug = query.form.clone().unwrap_or_else(|| "seminar".to_owned());
    let form = NewEventForm {
        values: recorded_values(&current.dictionary),
        error: None,
    };
    let notice = query.saved.as_ref().map(|_| {
        l.pick(
            "辞書を保存しました。語の表は新しい辞書で数え直されます。",
            "Dictionary saved. Term tables are counted again with it. ",
        )
    });
    render(
        &state,
        &session,
        StatusCode::OK,
        &form_slug,
        form,
        current.version,
        notice,
    )
    .await
}

fn saved(form_slug: &str) -> HttpResponse {
    let form: String = form_urlencoded::byte_serialize(form_slug.as_bytes()).collect();
    see_other(&format!("/dashboard/text-dictionary?form={form}&saved=1"))
}

#[post("/dashboard/text-dictionary")]
async fn save(state: web::Data<AppState>, form: StaffForm) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let form_slug = fields.get("form").cloned().unwrap_or_default();
    let (typed, body) = dictionary_body(&fields);
    match TextDictionary::parse(body) {
        Ok(dictionary) => {
            db::run(&state.pool, move |conn| text_tools::save_dictionary(conn, &dictionary)).await?;
            Ok(saved(&form_slug))
        }
        Err(invalid) => {
            let current: VersionedDictionary = db::run(&state.pool, text_tools::dictionary).await?;
            let form = NewEventForm {
                error: Some((invalid.top_field().to_owned(), field_message(l, &invalid))),
                values: typed,
            };
            render(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_slug,
                form,
                current.version,
                None,
            )
            .await
        }
    }
}

/// Adds the ticked candidates to the compounds.
#[post("/dashboard/text-dictionary/accept")]
async fn accept(state: web::Data<AppState>, form: StaffForm) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let form_slug = form.fields.get("form").cloned().unwrap_or_default();
    let accepted: Vec<String> = form_urlencoded::parse(&form.body)
        .filter(|(name, _)| name == "accept")
        .map(|(_, word)| word.trim().to_owned())
        .collect();
    let mut current = db::run(&state.pool, text_tools::dictionary).await?.dictionary;
    current.compounds.extend(accepted);
    // Through the parser, so an accepted word meets the same rules as a typed one.
    match TextDictionary::parse(current.to_json()) {
        Ok(dictionary) => {
            db::run(&state.pool, move |conn| text_tools::save_dictionary(conn, &dictionary)).await?;
            Ok(saved(&form_slug))
        }
        Err(_) => Ok(HttpResponse::UnprocessableEntity()
            .content_type("text/plain; charset=utf-8")
            .body(l.pick(
                "選んだ候補を辞書に加えられませんでした（一語40文字まで、2000語まで）。",
                "The chosen candidates could not be added (at most 40 characters a word, 2000 words). ",
            ))),
    }
}

/// A map page's request: its pickers and size, and what staff read if they name no comments.
async fn map<T: Send + 'static>(
    state: &AppState,
    session: &StaffSession,
    query: &HashMap<String, String>,
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
) -> Result<(Picked, MapSize, Result<T, &'static str>), DashboardError> {
    let l = session.lang;
    let picked = Picked::read(query);
    let mut params = QueryParams::new(
        query
            .iter()
            .filter(|(name, value)| ["min_comments", "top"].contains(&name.as_str()) && !value.trim().is_empty())
            .map(|(name, value)| (name.clone(), value.trim().to_owned()))
            .collect(),
    );
    let (Ok(size), Ok((request, source))) = (
        map_size(&mut params, default_top),
        picked.request(session.staff()?, state.min_cell),
    ) else {
        let size = MapSize {
            min_comments: 2,
            top: default_top,
        };
        return Ok((
            picked,
            size,
            Err(l.pick(
                "アンケート・年度・最小コメント数・最大数（1〜300）を確かめてください。",
                "Check the questionnaire, fiscal year, minimum comments and maximum (1 to 300). ",
            )),
        ));
    };
    let segmenter = state.segmenter.clone();
    let drawn = state
        .run_analysis(move |connections| Ok(draw(connections, &segmenter, &request, source, size)))
        .await?;
    let outcome = match drawn {
        Ok(drawn) => Ok(drawn),
        Err(AnalysesError::Db(error)) => return Err(error.into()),
        Err(error) => Err(refusal(l, &error)),
    };
    Ok((picked, size, outcome))
}

/// The map page of `drawn`.
async fn map_page<T>(
    state: &AppState,
    session: &StaffSession,
    (picked, size, drawn): (Picked, MapSize, Result<T, &'static str>),
    groups: Option<bool>,
    page: fn(&Chrome, &MapView<T>) -> maud::Markup,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let forms = db::run(&state.pool, services::forms::all_latest).await?;
    let form_picks = form_picks(l, &forms);
    let attributes = attribute_picks(l, forms.iter().map(|f| &f.definition).find(|f| f.slug == picked.form));
    let view = MapView {
        picks: picked.picks(&form_picks, &attributes),
        groups,
        min_comments: size.min_comments,
        top: size.top,
        result: drawn.as_ref().ok(),
        error: drawn.as_ref().err().copied(),
    };
    let status = if drawn.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html(status, page(&chrome(session), &view)))
}

#[get("/dashboard/network")]
async fn network_map(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let groups = query.get("joins").is_some_and(|joins| joins == "groups");
    let drawn = map(
        &state,
        &session,
        &query,
        60,
        move |connections, segmenter, request, source, size| {
            text_tools::cooccurrence(connections, segmenter, request, source, size, groups)
        },
    )
    .await?;
    map_page(&state, &session, drawn, Some(groups), network_page).await
}

#[get("/dashboard/correspondence")]
async fn correspondence_map(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let drawn = map(&state, &session, &query, 40, text_tools::term_map).await?;
    map_page(&state, &session, drawn, None, correspondence_page).await
}
