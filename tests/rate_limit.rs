//! Public submissions are limited per client address, in memory, with a clear answer when the
//! limit is reached: JSON with `Retry-After` on the API, the form with its answers on the phone.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::sync::Arc;

use common::{error_of, shipped_forms_dir, TestApp, TestDatabase};
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn one_address_past_its_allowance_waits_and_others_do_not() {
    let app = TestApp::spawn_with(Arc::new(TestDatabase::new()), &shipped_forms_dir(), |config| {
        config.submissions_per_minute = 3;
    })
    .await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let answers = json!({"satisfaction": 4});
    for _ in 0..3 {
        assert_eq!(app.submit(id, Uuid::new_v4(), answers.clone()).await.status(), 201);
    }
    let limited = app.submit(id, Uuid::new_v4(), answers.clone()).await;
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(error_of(limited).await.0, "too_many_requests");

    let submission_id = Uuid::new_v4().to_string();
    let fields = [
        ("submission_id", submission_id.as_str()),
        ("lang", "ja"),
        ("q.satisfaction", "4"),
        ("q.opinion", "混雑中でも消えないでほしい"),
    ];
    let page = app.post_form(event["code"].as_str().unwrap(), &fields).await;
    assert_eq!(page.status(), 429);
    assert!(page.headers().contains_key("retry-after"));
    let html = page.text().await.unwrap();
    assert!(html.contains("送信が集中しています") && html.contains("混雑中でも消えないでほしい"));

    let elsewhere = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let other = elsewhere
        .post(app.url(&format!("/api/v1/events/{id}/responses")))
        .json(&json!({"submission_id": Uuid::new_v4(), "answers": answers}))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 201, "another address has its own allowance");
    assert_eq!(app.stored_responses(id), 4);
}
