//! Analyses never starve attendees: with a pool of two connections and a short wait for one,
//! submissions keep being accepted while several aggregates of a large form run at once.

use std::sync::Arc;

use crate::common::{shipped_forms_dir, TestApp, TestDatabase};
use diesel::RunQueryDsl;
use serde_json::json;
use uuid::Uuid;

const RESPONSES: u32 = 100_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_are_accepted_while_aggregates_run() {
    let app = Arc::new(
        TestApp::spawn_with(Arc::new(TestDatabase::new()), &shipped_forms_dir(), |config| {
            config.db_pool_size = 2;
            config.db_wait_ms = 100;
        })
        .await,
    );
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap().to_owned();
    diesel::sql_query(format!(
        "INSERT INTO responses (id, submission_id, event_id, form_version_id, answers, gender)
         SELECT gen_random_uuid(), gen_random_uuid(), e.id, e.form_version_id,
                jsonb_build_object('gender', g, 'satisfaction', 1 + i % 5, 'would_return', 'yes'), g
         FROM events e, generate_series(1, {RESPONSES}) AS i,
              LATERAL (SELECT (ARRAY['female', 'male'])[1 + i % 2] AS g) AS gender
         WHERE e.id = '{id}'"
    ))
    .execute(&mut app.database.connect())
    .unwrap();

    let aggregates: Vec<_> = (0..4)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                app.get("/api/v1/exports/aggregate.json?form=seminar", Some(&app.analyst))
                    .await
                    .status()
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    for _ in 0..20 {
        let response = app.submit(&id, Uuid::new_v4(), json!({"satisfaction": 4})).await;
        assert_eq!(response.status(), 201, "a submission found a connection");
    }
    for aggregate in aggregates {
        assert_eq!(aggregate.await.unwrap(), 200);
    }
    assert_eq!(app.stored_responses(&id), i64::from(RESPONSES) + 20);
}
