#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{TestApp, TestDatabase};
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
