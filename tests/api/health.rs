use crate::common::{TestApp, TestDatabase};
use diesel::prelude::*;
use diesel_migrations::MigrationHarness;
use serde_json::Value;
use tsunagari::db;

#[tokio::test]
async fn live_and_ready_while_the_database_answers() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz", None).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    let ready: Value = app.get("/readyz", None).await.json().await.unwrap();
    assert_eq!(ready["status"], "ready");
}

#[tokio::test]
async fn without_the_database_it_is_live_but_not_ready() {
    let app = TestApp::spawn().await;
    db::drop_database(&app.database.url).unwrap();
    assert_eq!(app.get("/healthz", None).await.status(), 200);
    let response = app.get("/readyz", None).await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
}

/// A database whose schema is behind this build (a migration not run) is not ready, and says
/// why; `tsunagari migrate --check` names what would run.
#[tokio::test]
async fn a_database_with_migrations_pending_is_not_ready() {
    let app = TestApp::spawn().await;
    let mut conn = app.database.connect();
    conn.revert_last_migration(db::MIGRATIONS).unwrap();
    let pending = db::pending_migrations(&mut conn).unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    let response = app.get("/readyz", None).await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "migrations_pending");
    db::run_migrations(&mut conn).unwrap();
    assert_eq!(app.get("/readyz", None).await.status(), 200);
}

#[test]
fn migrations_run_down_and_up_again() {
    let database = TestDatabase::new();
    db::create_database_if_missing(&database.url).unwrap();
    let mut conn = database.connect();
    db::run_migrations(&mut conn).unwrap();
    conn.revert_all_migrations(db::MIGRATIONS).unwrap();
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let tables: Count = diesel::sql_query(
        "SELECT count(*) AS count FROM information_schema.tables WHERE table_schema = 'public' \
         AND table_name <> '__diesel_schema_migrations'",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(tables.count, 0, "down.sql removes everything up.sql made");
    db::run_migrations(&mut conn).unwrap();
}

/// `/metrics` counts requests by route pattern (never the path with its ids, the query string or
/// the client), submissions by outcome, and shows the pool and the analysis queue.
#[tokio::test]
async fn metrics_count_requests_by_route_and_submissions_by_outcome() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let event_id = event["id"].as_str().unwrap();
    let answers = crate::common::valid_seminar_answers();
    assert_eq!(
        app.submit(event_id, uuid::Uuid::new_v4(), answers.clone())
            .await
            .status(),
        201
    );
    assert_eq!(
        app.submit(
            event_id,
            uuid::Uuid::new_v4(),
            serde_json::json!({"age_band": "no such band"})
        )
        .await
        .status(),
        422
    );
    assert_eq!(app.get("/healthz?who=someone", None).await.status(), 200);
    assert_eq!(app.get("/no/such/page", None).await.status(), 404);

    let response = app.get("/metrics", None).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text"));
    let text = response.text().await.unwrap();
    for expected in [
        r#"tsunagari_http_requests_total{method="GET",route="/healthz",status="200"} 1"#,
        r#"tsunagari_http_requests_total{method="POST",route="/api/v1/events/{id}/responses",status="201"} 1"#,
        r#"tsunagari_http_requests_total{method="GET",route="(unmatched)",status="404"} 1"#,
        r#"tsunagari_http_request_duration_seconds_count{method="GET",route="/healthz"} 1"#,
        r#"tsunagari_submissions_total{outcome="stored"} 1"#,
        r#"tsunagari_submissions_total{outcome="invalid"} 1"#,
        r#"tsunagari_db_connections{state="waiting"} 0"#,
        r#"tsunagari_analyses{state="running"} 0"#,
        "# EOF",
    ] {
        assert!(text.contains(expected), "{expected} missing from\n{text}");
    }
    for leaked in [event_id, "someone", "127.0.0.1", "no/such"] {
        assert!(!text.contains(leaked), "{leaked} in the metrics");
    }
}
