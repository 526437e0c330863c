//! Codebooks from the dashboard: the editor's form becomes the API's codebook body (one
//! validation) and every save a new version through `services::codebooks`.

use std::collections::{HashMap, HashSet};

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde_json::{json, Value};

use super::session::{DashboardError, StaffForm, StaffSession};
use super::{chrome, html, see_other, typed_fields};
use crate::db;
use crate::db::codebooks::StoredCodebook;
use crate::domain::codebook::{changes, Codebook};
use crate::domain::lang::Lang;
use crate::domain::validation::ValidationError;
use crate::http::AppState;
use crate::pages::codebooks::{codebook_editor, codebooks_page, CodebookEditView};
use crate::pages::dashboard::NewEventForm;
use crate::services::codebooks;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `new` before `{slug}`, which would take it.
    cfg.service(list)
        .service(new_codebook)
        .service(create)
        .service(edit)
        .service(save);
}

/// Theme parts as the form names them.
const THEME_PARTS: [&str; 6] = ["id", "label_ja", "label_en", "keywords", "rule", "description"];
/// Empty theme rows offered beside those recorded.
const SPARE_ROWS: usize = 3;

#[derive(serde::Deserialize)]
struct Saved {
    saved: Option<String>,
}

#[get("/dashboard/codebooks")]
async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<Saved>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let books = db::run(&state.pool, codebooks::all_latest).await?;
    let notice = query
        .saved
        .as_deref()
        .map(|_| l.pick("新しい版を保存しました。", "New version saved. "));
    Ok(html(StatusCode::OK, codebooks_page(&chrome(&session), &books, notice)))
}

/// The codebook as the form shows it.
fn recorded_values(stored: &StoredCodebook) -> HashMap<String, String> {
    let book = &stored.codebook;
    let mut values = HashMap::from([
        ("title_ja".to_owned(), book.title.ja.clone()),
        ("title_en".to_owned(), book.title.en.clone()),
        ("description".to_owned(), book.description.clone().unwrap_or_default()),
    ]);
    for (row, theme) in book.themes.iter().enumerate() {
        for (part, value) in [
            ("id", theme.id.clone()),
            ("label_ja", theme.label.ja.clone()),
            ("label_en", theme.label.en.clone()),
            ("keywords", theme.keywords.join("、")),
            ("rule", theme.rule.clone().unwrap_or_default()),
            ("description", theme.description.clone().unwrap_or_default()),
        ] {
            values.insert(format!("theme_{part}_{row}"), value);
        }
    }
    values
}

/// The posted form as typed, and as the API's codebook body: empty rows left out, an English
/// label left empty taken from the Japanese, a missing id made up as `theme_N`, never one typed in
/// another row or in `used` (the ids earlier versions had).
fn codebook_body(fields: &HashMap<String, String>, used: &[String]) -> (HashMap<String, String>, Value, usize) {
    let typed = typed_fields(fields);
    let field = |name: &str| typed.get(name).map_or("", String::as_str);
    let rows = typed.keys().filter(|name| name.starts_with("theme_label_ja_")).count();
    let mut taken: HashSet<String> = used.iter().cloned().collect();
    taken.extend((0..rows).map(|row| field(&format!("theme_id_{row}")).to_owned()));
    let mut fresh_ids = (1..).map(|n| format!("theme_{n}")).filter(|id| !taken.contains(id));
    let mut themes = Vec::new();
    for row in 0..rows {
        let part = |name: &str| field(&format!("theme_{name}_{row}"));
        if THEME_PARTS.iter().all(|name| part(name).is_empty()) {
            continue;
        }
        let id = match part("id") {
            "" => fresh_ids.next().unwrap_or_default(),
            id => id.to_owned(),
        };
        let label_en = if part("label_en").is_empty() {
            part("label_ja")
        } else {
            part("label_en")
        };
        let keywords: Vec<&str> = part("keywords")
            .split([',', '、', '，', '\n'])
            .map(str::trim)
            .filter(|keyword| !keyword.is_empty())
            .collect();
        let mut theme = json!({"id": id, "label": {"ja": part("label_ja"), "en": label_en}, "keywords": keywords});
        for optional in ["description", "rule"] {
            if !part(optional).is_empty() {
                theme[optional] = json!(part(optional));
            }
        }
        themes.push(theme);
    }
    let title_en = if field("title_en").is_empty() {
        field("title_ja")
    } else {
        field("title_en")
    };
    let mut body = json!({"title": {"ja": field("title_ja"), "en": title_en}, "themes": themes});
    if !field("description").is_empty() {
        body["description"] = json!(field("description"));
    }
    (typed, body, rows)
}

fn field_message(l: Lang, invalid: &ValidationError) -> String {
    match (invalid.top_field(), invalid.code) {
        ("slug", "taken") => (l.pick("その識別子のコードブックはすでにあります。", "A codebook with that identifier exists already. ")).to_owned(),
        ("slug", _) => (l.pick("識別子は半角英小文字・数字・ハイフン・下線で、64文字までです。", "The identifier is lower-case letters, digits, hyphens and underscores, at most 64. ")).to_owned(),
        ("title", _) => (l.pick("コードブックの名前を入力してください。", "Enter the codebook's name. ")).to_owned(),
        ("description", _) => (l.pick("説明は1000文字までです。", "The description takes at most 1000 characters. ")).to_owned(),
        _ => format!(
            "{}{}",
            l.pick(
                "テーマを確かめてください：テーマは1〜60個、それぞれに名前が要ります。識別子は半角英小文字・数字・下線で重複なし、キーワードは40個まで・1語40文字までです。",
                "Check the themes: 1 to 60, each with a name; identifiers lower-case letters, digits and underscores, none repeated; at most 40 keywords of at most 40 characters each. "
            ),
            invalid.message
        ),
    }
}

async fn render(
    session: &StaffSession,
    status: StatusCode,
    view: CodebookEditView<'_>,
) -> Result<HttpResponse, DashboardError> {
    Ok(html(status, codebook_editor(&chrome(session), &view)))
}

#[get("/dashboard/codebooks/new")]
async fn new_codebook(session: StaffSession) -> Result<HttpResponse, DashboardError> {
    let view = CodebookEditView {
        slug: None,
        version: None,
        form: NewEventForm::default(),
        theme_rows: SPARE_ROWS + 2,
        changes: None,
    };
    render(&session, StatusCode::OK, view).await
}

#[post("/dashboard/codebooks")]
async fn create(state: web::Data<AppState>, form: StaffForm) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let (typed, body, rows) = codebook_body(&fields, &[]);
    let slug = typed.get("slug").cloned().unwrap_or_default();
    let parsed = codebooks::check_slug(&slug).and_then(|()| Codebook::parse(body));
    let created = match parsed {
        Ok(codebook) => {
            let slug = slug.clone();
            db::run(&state.pool, move |conn| {
                match codebooks::latest_and_previous(conn, &slug) {
                    Ok(_) => Ok(Err(ValidationError::new("slug", "taken", "taken"))),
                    Err(error) if error.is_not_found() => codebooks::save(conn, &slug, &codebook).map(Ok),
                    Err(error) => Err(error),
                }
            })
            .await?
        }
        Err(invalid) => Err(invalid),
    };
    match created {
        Ok(_) => Ok(see_other("/dashboard/codebooks?saved=1")),
        Err(invalid) => {
            let view = CodebookEditView {
                slug: None,
                version: None,
                form: NewEventForm {
                    error: Some((invalid.top_field().to_owned(), field_message(l, &invalid))),
                    values: typed,
                },
                theme_rows: rows,
                changes: None,
            };
            render(&session, StatusCode::UNPROCESSABLE_ENTITY, view).await
        }
    }
}

async fn find(
    state: &AppState,
    slug: &str,
) -> Result<Option<(StoredCodebook, Option<StoredCodebook>)>, DashboardError> {
    if codebooks::check_slug(slug).is_err() {
        return Ok(None);
    }
    let slug = slug.to_owned();
    match db::run(&state.pool, move |conn| codebooks::latest_and_previous(conn, &slug)).await {
        Ok(found) => Ok(Some(found)),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error.into()),
    }
}

#[get("/dashboard/codebooks/{slug}")]
async fn edit(
    state: web::Data<AppState>,
    session: StaffSession,
    slug: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let Some((latest, previous)) = find(&state, &slug).await? else {
        return Ok(see_other("/dashboard/codebooks"));
    };
    let changed = previous.map(|previous| changes(&previous.codebook, &latest.codebook));
    let view = CodebookEditView {
        slug: Some(&latest.slug),
        version: Some(latest.version),
        form: NewEventForm {
            values: recorded_values(&latest),
            error: None,
        },
        theme_rows: latest.codebook.themes.len() + SPARE_ROWS,
        changes: changed.as_deref(),
    };
    render(&session, StatusCode::OK, view).await
}

#[post("/dashboard/codebooks/{slug}")]
async fn save(
    state: web::Data<AppState>,
    form: StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let Some((latest, _)) = find(&state, &slug).await? else {
        return Ok(see_other("/dashboard/codebooks"));
    };
    let slug = latest.slug.clone();
    let used = db::run(&state.pool, move |conn| codebooks::theme_ids_ever(conn, &slug)).await?;
    let (typed, body, rows) = codebook_body(&fields, &used);
    match Codebook::parse(body) {
        Ok(codebook) => {
            let slug = latest.slug.clone();
            db::run(&state.pool, move |conn| codebooks::save(conn, &slug, &codebook)).await?;
            Ok(see_other("/dashboard/codebooks?saved=1"))
        }
        Err(invalid) => {
            let view = CodebookEditView {
                slug: Some(&latest.slug),
                version: Some(latest.version),
                form: NewEventForm {
                    error: Some((invalid.top_field().to_owned(), field_message(l, &invalid))),
                    values: typed,
                },
                theme_rows: rows,
                changes: None,
            };
            render(&session, StatusCode::UNPROCESSABLE_ENTITY, view).await
        }
    }
}
