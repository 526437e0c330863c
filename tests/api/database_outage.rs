//! PostgreSQL stopped while attendees submit: each request gets a prompt 503 with the JSON error
//! and `Retry-After` (not a wait of the whole pool timeout), nothing half-written, and when the
//! server is back the service recovers by itself; every client then resends what it never got an
//! answer for, and every submission is stored exactly once. The server stopped is a throwaway
//! cluster of this test's own, so the cluster the other tests share keeps running.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::cluster::ThrowawayCluster;
use crate::common::{error_of, shipped_forms_dir, TestApp, TestDatabase};
use serde_json::{json, Value};
use uuid::Uuid;

const CLIENTS: usize = 8;

/// What one client sent: the submissions acknowledged (with the id returned) and those not.
#[derive(Default)]
struct Sent {
    acknowledged: Vec<(Uuid, Value)>,
    unanswered: Vec<Uuid>,
    refused_while_down: usize,
}

async fn submit_until(app: Arc<TestApp>, event: String, stop: Arc<AtomicBool>) -> Sent {
    let mut sent = Sent::default();
    while !stop.load(Ordering::Relaxed) {
        let submission_id = Uuid::new_v4();
        let started = Instant::now();
        let response = app.submit(&event, submission_id, json!({"satisfaction": 4})).await;
        match response.status().as_u16() {
            201 => sent
                .acknowledged
                .push((submission_id, response.json::<Value>().await.unwrap()["id"].clone())),
            503 => {
                assert!(
                    started.elapsed() < Duration::from_secs(5),
                    "prompt: {:?}",
                    started.elapsed()
                );
                assert_eq!(response.headers()["retry-after"], "5");
                assert_eq!(error_of(response).await.0, "unavailable");
                sent.unanswered.push(submission_id);
                sent.refused_while_down += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    sent
}

async fn wait_for_health(app: &TestApp, status: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.get("/readyz", None).await.status() != status {
        assert!(Instant::now() < deadline, "/readyz never answered {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// An analysis and two researchers' releases, with the token that may read each.
fn analyses(app: &TestApp) -> [(&'static str, &str); 3] {
    [
        (
            "/api/v1/analysis/breakdown?form=seminar&question=satisfaction&by=relation",
            &app.analyst,
        ),
        ("/api/v1/exports/aggregate.json?form=seminar", &app.researcher),
        (
            "/api/v1/analysis/themes?form=seminar&codebook=starter&by=relation",
            &app.researcher,
        ),
    ]
}

#[tokio::test]
async fn submissions_get_a_prompt_503_while_postgresql_is_stopped_and_all_are_stored_once_after() {
    let cluster = ThrowawayCluster::start();
    let database = Arc::new(TestDatabase::on(&cluster.url()));
    let app = Arc::new(
        TestApp::spawn_with(database, &shipped_forms_dir(), |config| {
            config.db_wait_ms = 1000;
            // All the clients share one address here.
            config.submissions_per_minute = 1_000_000;
        })
        .await,
    );
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap().to_owned();

    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| tokio::spawn(submit_until(app.clone(), id.clone(), stop.clone())))
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    cluster.stop_server();
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let fields = [("submission_id", &*Uuid::new_v4().to_string()), ("q.satisfaction", "4")];
    let page = app.post_form(event["code"].as_str().unwrap(), &fields).await;
    assert_eq!(page.status(), 503, "the phone form says to try again");
    assert!(page.headers().contains_key("retry-after"));
    assert_eq!(app.get("/readyz", None).await.status(), 503);
    assert_eq!(app.get("/healthz", None).await.status(), 200, "the process lives on");
    // Staff and researchers are told to try again too, never left waiting or given a 500.
    for (path, token) in analyses(&app) {
        let refused = app.get(path, Some(token)).await;
        assert_eq!(refused.status(), 503, "{path}");
        assert!(refused.headers().contains_key("retry-after"), "{path}");
    }

    cluster.start_server();
    wait_for_health(&app, 200).await;
    for (path, token) in analyses(&app) {
        assert_eq!(
            app.get(path, Some(token)).await.status(),
            200,
            "{path} after the outage"
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let mut sent = Vec::new();
    for client in clients {
        sent.push(client.await.unwrap());
    }
    assert!(
        sent.iter().any(|client| client.refused_while_down > 0),
        "the outage was seen"
    );

    // Every client resends what it never got an answer for, then everything once more.
    let mut submissions = 0;
    for client in &sent {
        for submission_id in &client.unanswered {
            let response = app.submit(&id, *submission_id, json!({"satisfaction": 4})).await;
            assert_eq!(response.status(), 201, "stored after the outage");
        }
        for (submission_id, first_id) in &client.acknowledged {
            let response = app.submit(&id, *submission_id, json!({"satisfaction": 4})).await;
            assert_eq!(response.status(), 200, "a resend finds its first response");
            assert_eq!(&response.json::<Value>().await.unwrap()["id"], first_id);
        }
        submissions += client.unanswered.len() + client.acknowledged.len();
    }
    assert!(sent.iter().all(|client| !client.acknowledged.is_empty()));
    assert_eq!(
        app.stored_responses(&id),
        submissions as i64,
        "each submission stored exactly once"
    );
}
