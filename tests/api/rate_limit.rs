//! Public submissions are limited per client address, in memory, with a clear answer when the
//! limit is reached: JSON with `Retry-After` on the API, the form with its answers on the phone.

use std::sync::Arc;

use crate::common::{error_of, shipped_forms_dir, TestApp, TestDatabase};
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

/// Behind a trusted reverse proxy each client has its own allowance, told by `X-Forwarded-For`;
/// a client that is not a trusted proxy cannot pick its allowance by sending the header.
#[tokio::test]
async fn a_trusted_proxy_is_believed_about_the_client_and_no_one_else_is() {
    let app = TestApp::spawn_with(Arc::new(TestDatabase::new()), &shipped_forms_dir(), |config| {
        config.submissions_per_minute = 2;
        config.trusted_proxies = vec![std::net::IpAddr::from([127, 0, 0, 1])];
    })
    .await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let send = |client: &reqwest::Client, forwarded: &str| {
        client
            .post(app.url(&format!("/api/v1/events/{id}/responses")))
            .header("x-forwarded-for", forwarded)
            .json(&json!({"submission_id": Uuid::new_v4(), "answers": {"satisfaction": 4}}))
            .send()
    };
    let proxy = reqwest::Client::new();
    for _ in 0..2 {
        assert_eq!(send(&proxy, "203.0.113.1").await.unwrap().status(), 201);
    }
    assert_eq!(send(&proxy, "203.0.113.1").await.unwrap().status(), 429);
    assert_eq!(
        send(&proxy, "203.0.113.2").await.unwrap().status(),
        201,
        "another client behind the proxy has its own allowance"
    );

    let untrusted = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 3]))
        .build()
        .unwrap();
    for forwarded in ["198.51.100.1", "198.51.100.2"] {
        assert_eq!(send(&untrusted, forwarded).await.unwrap().status(), 201);
    }
    assert_eq!(
        send(&untrusted, "198.51.100.3").await.unwrap().status(),
        429,
        "an untrusted client's header changes nothing"
    );
}
