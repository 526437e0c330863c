//! The database going away while attendees submit: each request gets a prompt 503 with the JSON
//! error and `Retry-After` (not a wait of the whole pool timeout), nothing half-written, and the
//! service recovers by itself when the database comes back. The outage is made by refusing new
//! connections to this test's own database and ending its sessions, so the PostgreSQL cluster
//! that other tests share keeps running.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{error_of, shipped_forms_dir, TestApp, TestDatabase};
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::json;
use uuid::Uuid;

fn set_available(app: &TestApp, available: bool) {
    let mut url = url::Url::parse(&app.database.url).unwrap();
    let name = url.path().trim_start_matches('/').to_owned();
    url.set_path("/postgres");
    let mut conn = PgConnection::establish(url.as_str()).unwrap();
    diesel::sql_query(format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS {available}"))
        .execute(&mut conn)
        .unwrap();
    if !available {
        diesel::sql_query(format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        ))
        .execute(&mut conn)
        .unwrap();
    }
}

#[tokio::test]
async fn submissions_get_a_prompt_503_while_the_database_is_away_and_succeed_after() {
    let app = TestApp::spawn_with(Arc::new(TestDatabase::new()), &shipped_forms_dir(), |config| {
        config.db_wait_ms = 1000;
    })
    .await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap().to_owned();
    let answers = json!({"satisfaction": 4});

    set_available(&app, false);
    let submission_id = Uuid::new_v4();
    let started = Instant::now();
    let refused = app.submit(&id, submission_id, answers.clone()).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "prompt: {:?}",
        started.elapsed()
    );
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "5");
    assert_eq!(error_of(refused).await.0, "unavailable");
    let other_id = Uuid::new_v4().to_string();
    let fields = [("submission_id", other_id.as_str()), ("q.satisfaction", "4")];
    let page = app.post_form(event["code"].as_str().unwrap(), &fields).await;
    assert_eq!(page.status(), 503);
    assert!(page.headers().contains_key("retry-after"));
    assert_eq!(app.get("/healthz", None).await.status(), 503);

    set_available(&app, true);
    let stored = app.submit(&id, submission_id, answers).await;
    assert_eq!(stored.status(), 201, "the service recovers without a restart");
    assert_eq!(app.get("/healthz", None).await.status(), 200);
    assert_eq!(app.stored_responses(&id), 1);
}
