//! The real binary under load, stopped the hard way and the polite way: every submission it
//! acknowledged is stored exactly once, resends are recognised, and SIGTERM lets it finish what
//! it has started before it exits.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{shipped_forms_dir, TestDatabase};
use futures::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use tsunagari::db;
use tsunagari::domain::token::{generate_token, Role};
use uuid::Uuid;

const CLIENTS: usize = 16;
const PER_CLIENT: usize = 25;

struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(database: &TestDatabase, port: u16) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_tsunagari"))
            .arg("serve")
            .env("DATABASE_URL", &database.url)
            .env("TSUNAGARI_ADDR", format!("127.0.0.1:{port}"))
            .env("TSUNAGARI_FORMS_DIR", shipped_forms_dir())
            .env("RUST_LOG", "warn")
            // Every phone here shares one address; the per-address limit is tested elsewhere.
            .env("TSUNAGARI_SUBMISSIONS_PER_MINUTE", "100000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while !Client::new()
            .get(format!("{}/readyz", server.base))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the service did not come up"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A seminar to answer, made with a fresh analyst token.
async fn seminar(database: &TestDatabase, server: &Server) -> String {
    let token = generate_token();
    db::tokens::insert(&mut database.connect(), &token, Role::Analyst, "faults").unwrap();
    let created: Value = Client::new()
        .post(format!("{}/api/v1/events", server.base))
        .bearer_auth(token)
        .json(&json!({"kind": "seminar", "title": "回復セミナー", "held_on": "2026-05-14"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    created["id"].as_str().unwrap().to_owned()
}

/// Posts a submission; `None` when no answer came back.
async fn send(client: &Client, base: &str, event: &str, submission: Uuid, satisfaction: usize) -> Option<StatusCode> {
    let body = json!({"submission_id": submission, "answers": {"satisfaction": 1 + satisfaction % 5}});
    let response = client
        .post(format!("{base}/api/v1/events/{event}/responses"))
        .json(&body)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .ok()?;
    Some(response.status())
}

fn stored(database: &TestDatabase, event: &str) -> i64 {
    use diesel::prelude::*;
    use tsunagari::db::schema::responses;
    responses::table
        .filter(responses::event_id.eq(Uuid::parse_str(event).unwrap()))
        .count()
        .get_result(&mut database.connect())
        .unwrap()
}

/// Sixteen phones each sending their answers in turn, until one gets no answer; `answered`
/// counts the answers they get.
async fn load(base: &str, event: &str, plans: &[Vec<Uuid>], answered: &AtomicUsize) -> Vec<Vec<Option<StatusCode>>> {
    join_all(plans.iter().map(|plan| async move {
        let client = Client::new();
        let mut outcomes = Vec::new();
        for (i, submission) in plan.iter().enumerate() {
            let outcome = send(&client, base, event, *submission, i).await;
            outcomes.push(outcome);
            if outcome.is_none() {
                break;
            }
            answered.fetch_add(1, Ordering::SeqCst);
        }
        outcomes
    }))
    .await
}

/// Starts the load and returns once it is well under way.
async fn start_load(
    base: &str,
    event: &str,
    plans: &[Vec<Uuid>],
) -> tokio::task::JoinHandle<Vec<Vec<Option<StatusCode>>>> {
    let answered = Arc::new(AtomicUsize::new(0));
    let running = tokio::spawn({
        let (base, event, plans, answered) = (base.to_owned(), event.to_owned(), plans.to_vec(), answered.clone());
        async move { load(&base, &event, &plans, &answered).await }
    });
    let started = Instant::now();
    while answered.load(Ordering::SeqCst) < CLIENTS * PER_CLIENT / 4 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the load did not get going"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    running
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_kill_minus_nine_loses_no_acknowledged_answer_and_resends_are_recognised() {
    let database = TestDatabase::new();
    let port = free_port();
    let mut server = Server::start(&database, port).await;
    let event = seminar(&database, &server).await;
    let plans: Vec<Vec<Uuid>> = (0..CLIENTS)
        .map(|_| (0..PER_CLIENT).map(|_| Uuid::new_v4()).collect())
        .collect();

    let running = start_load(&server.base, &event, &plans).await;
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let outcomes = running.await.unwrap();
    let acknowledged: Vec<Uuid> = plans
        .iter()
        .zip(&outcomes)
        .flat_map(|(plan, outcomes)| {
            plan.iter()
                .zip(outcomes)
                .filter(|(_, outcome)| outcome.is_some_and(|s| s.is_success()))
                .map(|(id, _)| *id)
        })
        .collect();
    assert!(
        outcomes.iter().flatten().flatten().all(|s| !s.is_server_error()),
        "no 5xx before the kill"
    );
    assert!(
        !acknowledged.is_empty(),
        "some answers were acknowledged before the kill: {outcomes:?}"
    );
    assert!(
        acknowledged.len() < CLIENTS * PER_CLIENT,
        "the kill came during the load"
    );

    let server = Server::start(&database, port).await;
    let client = Client::new();
    for round in 0..2 {
        for plan in &plans {
            for (i, submission) in plan.iter().enumerate() {
                let status = send(&client, &server.base, &event, *submission, i).await.unwrap();
                let was_acknowledged = acknowledged.contains(submission);
                if round == 1 || was_acknowledged {
                    assert_eq!(status, StatusCode::OK, "a resend of a stored answer (round {round})");
                } else {
                    assert!(status == StatusCode::CREATED || status == StatusCode::OK, "{status}");
                }
            }
        }
    }
    assert_eq!(
        stored(&database, &event),
        (CLIENTS * PER_CLIENT) as i64,
        "each answer stored exactly once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_finishes_what_was_started_then_exits() {
    let database = TestDatabase::new();
    let mut server = Server::start(&database, free_port()).await;
    let event = seminar(&database, &server).await;
    let plans: Vec<Vec<Uuid>> = (0..CLIENTS)
        .map(|_| (0..PER_CLIENT).map(|_| Uuid::new_v4()).collect())
        .collect();
    let running = start_load(&server.base, &event, &plans).await;
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let outcomes = running.await.unwrap();
    let started = Instant::now();
    let exit = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(35), "the service did not stop");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(exit.success(), "a graceful stop: {exit:?}");
    let answered: Vec<StatusCode> = outcomes.iter().flatten().flatten().copied().collect();
    assert!(
        answered.iter().all(|s| s.is_success()),
        "in-flight requests finished: {answered:?}"
    );
    assert!(answered.len() >= CLIENTS * PER_CLIENT / 4);
    assert_eq!(
        stored(&database, &event),
        answered.len() as i64,
        "every answer given was stored"
    );
}
