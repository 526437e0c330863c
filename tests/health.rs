#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{TestApp, TestDatabase};
use diesel::prelude::*;
use diesel_migrations::MigrationHarness;
use serde_json::Value;
use tsunagari::db;

#[tokio::test]
async fn health_is_ok_while_the_database_answers() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz", None).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn health_is_503_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    db::drop_database(&app.database.url).unwrap();
    let response = app.get("/healthz", None).await;
    assert_eq!(response.status(), 503);
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
