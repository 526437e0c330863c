//! What an outside tester sends to break the service: control characters in answers, titles and
//! addresses, dates chrono can read but PostgreSQL cannot hold, repeated JSON keys. None gets a
//! 5xx; each gets a 4xx that says what is wrong (the phone form keeps the answers), and nothing
//! is written.

use crate::common::{error_of, TestApp};
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn control_characters_in_answers_and_events_are_refused() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    for text in ["a\u{0}b", "bell\u{7}", "\u{1b}[31mred"] {
        let response = app
            .submit(id, Uuid::new_v4(), json!({"satisfaction": 4, "opinion": text}))
            .await;
        assert_eq!(response.status(), 422, "{text:?}");
        let (code, field) = error_of(response).await;
        // The answers' own refusal, which lists every answer at fault.
        assert_eq!(code, "control_character", "{text:?}");
        assert!(field.unwrap().contains("opinion"), "{code}");
        for (field, value) in [("title", text), ("venue", text), ("theme", text)] {
            let mut body = json!({"kind": "seminar", "title": "回復セミナー", "held_on": "2026-05-14"});
            body[field] = json!(value);
            let created = app.post_json("/api/v1/events", Some(&app.analyst), &body).await;
            assert_eq!(created.status(), 422, "{field} {text:?}");
            assert_eq!(error_of(created).await.1.as_deref(), Some(field));
            let path = format!("/api/v1/events/{id}");
            let patched = app
                .send_json(Method::PATCH, &path, Some(&app.analyst), &json!({ field: value }))
                .await;
            assert_eq!(patched.status(), 422, "{field} {text:?}");
        }
    }
    let lines = "一行目\n二行目\tタブ";
    let kept = app
        .submit(id, Uuid::new_v4(), json!({"satisfaction": 4, "opinion": lines}))
        .await;
    assert_eq!(kept.status(), 201, "line breaks and tabs are text");
    assert_eq!(app.stored_responses(id), 1);
    let events: serde_json::Value = app
        .get("/api/v1/events", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events["events"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_phone_form_keeps_the_answers_when_one_holds_a_control_character() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let code = event["code"].as_str().unwrap();
    let submission_id = Uuid::new_v4().to_string();
    let fields = [
        ("submission_id", submission_id.as_str()),
        ("lang", "ja"),
        ("q.satisfaction", "5"),
        ("q.opinion", "よかった\u{0}です"),
    ];
    let response = app.post_form(code, &fields).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("制御文字"), "the problem is said beside the question");
    assert!(
        html.contains(r#"value="5" aria-label="5 とても満足した" checked"#),
        "the answers are kept"
    );
    assert!(html.contains("よかった"), "the comment is kept");
    assert_eq!(app.stored_responses(event["id"].as_str().unwrap()), 0);
}

#[tokio::test]
async fn dates_outside_the_programme_s_range_are_refused_with_their_field() {
    let app = TestApp::spawn().await;
    for held_on in ["-4713-01-01", "0000-01-01", "1999-12-31", "2101-01-01", "+275760-09-13"] {
        let body = json!({"kind": "seminar", "title": "回復セミナー", "held_on": held_on});
        let response = app.post_json("/api/v1/events", Some(&app.analyst), &body).await;
        assert_eq!(response.status(), 422, "{held_on}");
        assert_eq!(error_of(response).await.1.as_deref(), Some("held_on"));
    }
    let far = app
        .get(
            "/api/v1/analysis/breakdown?form=seminar&question=satisfaction&from=-4713-01-01",
            Some(&app.analyst),
        )
        .await;
    assert_eq!(far.status(), 422);
    assert_eq!(error_of(far).await.1.as_deref(), Some("from"));
}

#[tokio::test]
async fn control_characters_in_addresses_get_400_before_any_handler() {
    let app = TestApp::spawn().await;
    let paths = [
        ("/api/v1/forms/%00", None),
        ("/api/v1/forms/seminar%1F", None),
        ("/api/v1/events/%00", Some(&app.analyst)),
        ("/s/%00", None),
        (
            "/api/v1/analysis/breakdown?form=%00&question=satisfaction",
            Some(&app.analyst),
        ),
        ("/api/v1/exports/aggregate.json?form=seminar%7f", Some(&app.researcher)),
        ("/dashboard/breakdown?form=%00", None),
    ];
    for (path, token) in paths {
        let response = app.get(path, token.map(String::as_str)).await;
        assert_eq!(response.status(), 400, "{path}");
        assert_eq!(error_of(response).await.0, "bad_request", "{path}");
    }
}

#[tokio::test]
async fn a_repeated_json_key_is_refused_rather_than_read_as_the_last() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let (first, second) = (Uuid::new_v4(), Uuid::new_v4());
    let bodies = [
        format!(r#"{{"submission_id": "{first}", "submission_id": "{second}", "answers": {{"satisfaction": 4}}}}"#),
        format!(r#"{{"submission_id": "{first}", "answers": {{"satisfaction": 4, "satisfaction": 1}}}}"#),
    ];
    for body in bodies {
        let response = app
            .client
            .post(app.url(&format!("/api/v1/events/{id}/responses")))
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{body}");
        let (code, _) = error_of(response).await;
        assert_eq!(code, "bad_request");
    }
    let event_body = r#"{"kind": "seminar", "title": "a", "title": "b", "held_on": "2026-05-14"}"#;
    let response = app
        .client
        .post(app.url("/api/v1/events"))
        .bearer_auth(&app.analyst)
        .header("content-type", "application/json")
        .body(event_body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(app.stored_responses(id), 0);
}

#[tokio::test]
async fn a_phone_form_without_its_submission_id_comes_back_to_be_sent_again() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let code = event["code"].as_str().unwrap();
    for id in [None, Some("not-a-uuid")] {
        let mut fields = vec![("lang", "ja"), ("q.satisfaction", "4"), ("q.opinion", "ありがとう")];
        fields.extend(id.map(|id| ("submission_id", id)));
        let response = app.post_form(code, &fields).await;
        assert_eq!(response.status(), 422, "{id:?}");
        let html = response.text().await.unwrap();
        assert!(html.contains("もう一度「送信する」を押してください"));
        assert!(html.contains("ありがとう"), "the answers are kept");
        let marker = r#"name="submission_id" value=""#;
        let start = html.find(marker).unwrap() + marker.len();
        assert!(
            Uuid::parse_str(&html[start..start + 36]).is_ok(),
            "a fresh id to send with"
        );
    }
    assert_eq!(app.stored_responses(event["id"].as_str().unwrap()), 0);
}
