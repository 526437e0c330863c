//! Starts the real service on a random port against a fresh PostgreSQL database of its own,
//! dropped again when the test ends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod cluster;
mod template;

use std::path::{Path, PathBuf};

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::{Client, Response};
use serde_json::{json, Value};
use uuid::Uuid;

use tsunagari::config::{Config, DEFAULT_DATABASE_URL};
use tsunagari::db;
use tsunagari::domain::token::{generate_token, Role};
use tsunagari::startup::Application;

pub struct TestDatabase {
    pub url: String,
}

impl TestDatabase {
    /// A fresh, empty database: the service migrates it and syncs its forms as at a first start.
    pub fn new() -> Self {
        Self::on(&server_url())
    }

    /// A fresh database already migrated and holding the shipped forms: a copy of this build's
    /// template (see [`template`]), which saves every test the migrations and the form sync.
    pub fn prepared() -> Self {
        let database = Self::new();
        let (maintenance, name) = template::split(&database.url);
        let mut conn = PgConnection::establish(&maintenance).expect("PostgreSQL reachable");
        let source = template::ensure(&mut conn, &database.url);
        diesel::sql_query(format!("CREATE DATABASE \"{name}\" TEMPLATE \"{source}\""))
            .execute(&mut conn)
            .expect("the template is copied");
        database
    }

    /// A fresh database on the server `server_url` points at.
    pub fn on(server_url: &str) -> Self {
        let mut url = url::Url::parse(server_url).expect("DATABASE_URL is a URL");
        url.set_path(&format!("/tsunagari_test_{}", Uuid::new_v4().simple()));
        // TLS and GSSAPI over loopback buy nothing, and their libraries' clean-up at process exit
        // can race a pool thread still connecting or closing (a rare SIGSEGV after the tests pass).
        for (key, value) in [("sslmode", "disable"), ("gssencmode", "disable")] {
            if !url.query_pairs().any(|(existing, _)| existing == key) {
                url.query_pairs_mut().append_pair(key, value);
            }
        }
        Self { url: url.to_string() }
    }

    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("test database reachable")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Err(error) = db::drop_database(&self.url) {
            eprintln!("could not drop test database {}: {error}", self.url);
        }
    }
}

fn server_url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned())
}

pub fn shipped_forms_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("survey_forms")
}

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub admin: String,
    pub analyst: String,
    pub researcher: String,
    pub config: Config,
    // Last, so the server's connections go before the database is dropped.
    pub database: std::sync::Arc<TestDatabase>,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(
            std::sync::Arc::new(TestDatabase::prepared()),
            &shipped_forms_dir(),
            |_| {},
        )
        .await
    }

    /// Starts a service on `database` with the forms in `forms_dir`; `adjust` may change settings.
    pub async fn spawn_with(
        database: std::sync::Arc<TestDatabase>,
        forms_dir: &Path,
        adjust: impl FnOnce(&mut Config),
    ) -> Self {
        tsunagari::telemetry::init();
        let mut config = Config::from_lookup(|_| None).unwrap();
        config.database_url = database.url.clone();
        config.addr = "127.0.0.1:0".to_owned();
        config.forms_dir = forms_dir.to_owned();
        config.db_pool_size = 5;
        adjust(&mut config);
        let app = Application::build(&config).await.expect("application starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run());
        let mut conn = database.connect();
        let mut token = |role: Role| {
            let token = generate_token();
            db::tokens::insert(&mut conn, &token, role, role.as_str()).unwrap();
            token
        };
        let (admin, analyst, researcher) = (token(Role::Admin), token(Role::Analyst), token(Role::Researcher));
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // Below the server's 5 s keep-alive, so an idle pooled connection is never
            // reused just as the server closes it.
            .pool_idle_timeout(std::time::Duration::from_secs(2))
            .build()
            .unwrap();
        Self {
            address,
            client,
            admin,
            analyst,
            researcher,
            config,
            database,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    pub async fn send_json(&self, method: reqwest::Method, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut request = self.client.request(method, self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send_json(reqwest::Method::POST, path, token, body).await
    }

    /// Creates or replaces an indicator plan as an analyst.
    pub async fn put_plan(&self, slug: &str, body: &Value) -> Response {
        self.send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/indicator-plans/{slug}"),
            Some(&self.analyst),
            body,
        )
        .await
    }

    pub async fn put_agency(&self, slug: &str, body: &Value) -> Response {
        self.send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/agencies/{slug}"),
            Some(&self.analyst),
            body,
        )
        .await
    }

    /// Seminar attendance over FY2025 and FY2026, targets adding up to the assumed 270 people.
    pub async fn put_seminar_attendance_plan(&self) {
        let plan = json!({"title": {"ja": "回復セミナー参加", "en": "Seminar attendance"}, "event_kinds": ["seminar"],
                          "assumed_population": 270, "targets": {"2025": 90, "2026": 180}});
        assert_eq!(self.put_plan("seminars", &plan).await.status(), 201);
    }

    /// Creates an event as an analyst and returns its JSON.
    pub async fn create_event(&self, body: Value) -> Value {
        let response = self.post_json("/api/v1/events", Some(&self.analyst), &body).await;
        assert_eq!(response.status(), 201, "creating {body}");
        response.json().await.unwrap()
    }

    /// Amends an event as an analyst and returns its JSON.
    pub async fn patch_event(&self, id: &str, body: Value) -> Value {
        let response = self
            .send_json(
                reqwest::Method::PATCH,
                &format!("/api/v1/events/{id}"),
                Some(&self.analyst),
                &body,
            )
            .await;
        assert_eq!(response.status(), 200, "patching {id} with {body}");
        response.json().await.unwrap()
    }

    pub async fn seminar(&self) -> Value {
        self.create_event(json!({"kind": "seminar", "title": "回復セミナー", "held_on": "2026-05-14"}))
            .await
    }

    /// A forum whose attendees each gave a gender and a comment (and were satisfied).
    pub async fn forum_with_opinions(&self, comments: &[(&str, &str)]) -> Value {
        let event = self
            .create_event(json!({"kind": "forum", "title": "依存症フォーラム", "held_on": "2026-05-14"}))
            .await;
        for (gender, opinion) in comments {
            let answers = serde_json::json!({"satisfaction": 4, "gender": gender, "opinion": opinion});
            let response = self
                .submit(event["id"].as_str().unwrap(), Uuid::new_v4(), answers)
                .await;
            assert_eq!(response.status(), 201, "{opinion}");
        }
        event
    }

    /// Posts the phone form of event `code` as a browser without JavaScript would.
    pub async fn post_form(&self, code: &str, fields: &[(&str, &str)]) -> Response {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.client
            .post(self.url(&format!("/s/{code}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn submit(&self, event_id: &str, submission_id: Uuid, answers: Value) -> Response {
        let body = json!({"submission_id": submission_id, "answers": answers});
        self.post_json(&format!("/api/v1/events/{event_id}/responses"), None, &body)
            .await
    }

    /// Each of `queries` appended to `path` (which has a query string already) gets 422 with the
    /// query's parameter as the field at fault.
    pub async fn assert_parameters_refused(&self, path: &str, token: &str, queries: &[&str]) {
        for query in queries {
            let refused = self.get(&format!("{path}&{query}"), Some(token)).await;
            assert_eq!(refused.status(), 422, "{query}");
            let field = query.split('=').next();
            assert_eq!(error_of(refused).await.1.as_deref(), field, "{query}");
        }
    }

    /// Responses stored for an event, counted in the database itself.
    pub fn stored_responses(&self, event_id: &str) -> i64 {
        use diesel::prelude::*;
        use tsunagari::db::schema::responses;
        let id = Uuid::parse_str(event_id).unwrap();
        responses::table
            .filter(responses::event_id.eq(id))
            .count()
            .get_result(&mut self.database.connect())
            .unwrap()
    }
}

/// The error body every API error has; returns (code, field).
pub async fn error_of(response: Response) -> (String, Option<String>) {
    let body: Value = response.json().await.unwrap();
    let error = &body["error"];
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "error has a message: {body}"
    );
    (
        error["code"].as_str().unwrap().to_owned(),
        error["field"].as_str().map(str::to_owned),
    )
}

/// Answers to the seminar form as an attendee might give them.
pub fn valid_seminar_answers() -> Value {
    json!({
        "relation": "family",
        "heard_from": ["city_newsletter", "sns"],
        "satisfaction": 4,
        "opinion": "家族として参加しました。また来たいです。",
    })
}

/// A small deterministic generator, so every run posts the same answers.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// A paper-questionnaire template filled in as staff would: its two header rows kept, then one
/// row per questionnaire, each a list of (column key from row 2, cell text); `number` is the key
/// of the questionnaire's number.
pub fn fill_paper_template(template: &[u8], rows: &[Vec<(&str, &str)>]) -> Vec<u8> {
    fill_paper_template_without(template, &[], rows)
}

/// Like [`fill_paper_template`], with the columns of the keys in `dropped` deleted.
pub fn fill_paper_template_without(template: &[u8], dropped: &[&str], rows: &[Vec<(&str, &str)>]) -> Vec<u8> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(template)).unwrap();
    let sheet = book.worksheet_range("回答票").unwrap();
    let header: Vec<Vec<String>> = sheet
        .rows()
        .take(2)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let kept: Vec<usize> = (0..header[1].len())
        .filter(|&c| !dropped.contains(&header[1][c].as_str()))
        .collect();
    let mut filled = rust_xlsxwriter::Workbook::new();
    let out = filled.add_worksheet();
    out.set_name("回答票").unwrap();
    for (r, cells) in header.iter().enumerate() {
        for (at, &c) in kept.iter().enumerate() {
            out.write_string(r as u32, at as u16, &cells[c]).unwrap();
        }
    }
    for (r, row) in rows.iter().enumerate() {
        for (key, text) in row {
            let column = paper_column(template, key);
            if let Some(at) = kept.iter().position(|&c| c == column) {
                out.write_string(r as u32 + 2, at as u16, *text).unwrap();
            }
        }
    }
    filled.save_to_buffer().unwrap()
}

/// The 0-based column of a template's key (row 2).
pub fn paper_column(template: &[u8], key: &str) -> usize {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(template)).unwrap();
    let sheet = book.worksheet_range("回答票").unwrap();
    let keys = sheet.rows().nth(1).unwrap();
    keys.iter()
        .position(|c| matches!(c, calamine::Data::String(text) if text == key))
        .unwrap_or_else(|| panic!("no column {key}"))
}

/// The option values of a released question.
pub fn option_values(question: &Value) -> Vec<&str> {
    question["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap())
        .collect()
}

/// Checks that each test of an aggregate document rests on shown counts: its `test_rests_on`
/// names groups and options whose counts are all shown, and its `n` is their sum. Returns how
/// many tested tables withhold a group.
pub fn tests_rest_on_shown_counts(document: &Value) -> usize {
    let mut partial = 0;
    for question in document["questions"].as_array().unwrap() {
        for (attribute, table) in question["by"].as_object().unwrap() {
            let (test, basis) = (&table["test"], &table["test_rests_on"]);
            assert_eq!(test.is_null(), basis.is_null(), "{table}");
            if test.is_null() {
                continue;
            }
            let tested: Vec<&Value> = basis["groups"].as_array().unwrap().iter().collect();
            let options: Vec<&str> = basis["options"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_str().unwrap())
                .collect();
            let groups = table["groups"].as_array().unwrap();
            let shown: u64 = groups
                .iter()
                .filter(|group| tested.contains(&&group["key"][attribute]))
                .flat_map(|group| {
                    options
                        .iter()
                        .map(move |option| group["counts"][option].as_u64().unwrap())
                })
                .sum();
            assert_eq!(test["n"], shown, "{table}");
            partial += usize::from(groups.iter().any(|group| group["suppressed"] == true));
        }
    }
    partial
}
