#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{error_of, valid_seminar_answers, TestApp};
use diesel::prelude::*;
use serde_json::{json, Value};
use tsunagari::db::schema::responses;
use uuid::Uuid;

#[tokio::test]
async fn a_valid_response_is_stored_with_its_attributes_and_version() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();

    let response = app.submit(id, Uuid::new_v4(), valid_seminar_answers()).await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let response_id = Uuid::parse_str(body["id"].as_str().unwrap()).unwrap();

    let (gender, age_band, occupation, relation, answers): (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Value,
    ) = responses::table
        .find(response_id)
        .select((
            responses::gender,
            responses::age_band,
            responses::occupation,
            responses::relation,
            responses::answers,
        ))
        .first(&mut app.database.connect())
        .unwrap();
    assert_eq!(
        (
            gender.as_deref(),
            age_band.as_deref(),
            occupation.as_deref(),
            relation.as_deref()
        ),
        (Some("female"), Some("40s"), Some("welfare"), Some("family"))
    );
    // Multi-choice answers are kept in the form's order.
    assert_eq!(answers["heard_from"], json!(["sns", "city_newsletter"]));

    let event: Value = app
        .get(&format!("/api/v1/events/{id}"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(event["response_count"], 1);
}

#[tokio::test]
async fn submitting_the_same_submission_twice_returns_the_first_id() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let submission = Uuid::new_v4();

    let first = app.submit(id, submission, valid_seminar_answers()).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = app.submit(id, submission, valid_seminar_answers()).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(first["id"], again["id"]);
    assert_eq!(app.stored_responses(id), 1);
}

#[tokio::test]
async fn the_same_submission_with_different_answers_is_a_conflict() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let submission = Uuid::new_v4();
    assert_eq!(app.submit(id, submission, valid_seminar_answers()).await.status(), 201);

    let mut changed = valid_seminar_answers();
    changed["satisfaction"] = json!(1);
    let response = app.submit(id, submission, changed).await;
    assert_eq!(response.status(), 409);
    assert_eq!(error_of(response).await.0, "conflict");

    let other_event = app.seminar().await;
    let response = app
        .submit(other_event["id"].as_str().unwrap(), submission, valid_seminar_answers())
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(app.stored_responses(id), 1);
}

#[tokio::test]
async fn twenty_simultaneous_sends_of_one_submission_store_one_row() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap().to_owned();
    let submission = Uuid::new_v4();

    let sends = (0..20).map(|_| app.submit(&id, submission, valid_seminar_answers()));
    let results = futures::future::join_all(sends).await;
    let mut ids = Vec::new();
    let mut created = 0;
    for response in results {
        let status = response.status().as_u16();
        assert!(status == 200 || status == 201, "status {status}");
        created += usize::from(status == 201);
        let body: Value = response.json().await.unwrap();
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(created, 1);
    ids.dedup();
    assert_eq!(ids.len(), 1, "every send got the same id");
    assert_eq!(app.stored_responses(&id), 1);
}

#[tokio::test]
async fn invalid_answers_get_422_naming_the_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let cases = [
        (
            json!({"shoe_size": 27, "satisfaction": 3}),
            "unknown_question",
            "shoe_size",
        ),
        (
            json!({"gender": "robot", "satisfaction": 3}),
            "invalid_choice",
            "gender",
        ),
        (
            json!({"heard_from": ["sns", "radio"], "satisfaction": 3}),
            "invalid_choice",
            "heard_from",
        ),
        (json!({"satisfaction": "4"}), "wrong_type", "satisfaction"),
        (json!({"satisfaction": 6}), "out_of_range", "satisfaction"),
        (json!({"gender": "male"}), "required", "satisfaction"),
        (
            json!({"satisfaction": 3, "opinion": "あ".repeat(2001)}),
            "too_long",
            "opinion",
        ),
    ];
    for (answers, code, field) in cases {
        let response = app.submit(id, Uuid::new_v4(), answers.clone()).await;
        assert_eq!(response.status(), 422, "{answers}");
        assert_eq!(
            error_of(response).await,
            (code.to_owned(), Some(field.to_owned())),
            "{answers}"
        );
    }
    assert_eq!(app.stored_responses(id), 0);
}

#[tokio::test]
async fn a_malformed_body_gets_a_clear_error() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let path = format!("/api/v1/events/{}/responses", event["id"].as_str().unwrap());

    let response = app
        .post_json(&path, None, &json!({"answers": {"satisfaction": 3}}))
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        error_of(response).await,
        ("required".to_owned(), Some("submission_id".to_owned()))
    );

    let response = app
        .post_json(&path, None, &json!({"submission_id": "not-a-uuid", "answers": {}}))
        .await;
    assert_eq!(error_of(response).await.1.as_deref(), Some("submission_id"));

    let response = app
        .post_json(&path, None, &json!({"submission_id": Uuid::new_v4(), "answers": []}))
        .await;
    assert_eq!(error_of(response).await.1.as_deref(), Some("answers"));

    let response = app
        .client
        .post(app.url(&path))
        .header("content-type", "application/json")
        .body("{\"submission_id\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(error_of(response).await.0, "bad_request");
}

#[tokio::test]
async fn unknown_events_get_404() {
    let app = TestApp::spawn().await;
    for id in [Uuid::now_v7().to_string(), "nonsense".to_owned()] {
        let response = app.submit(&id, Uuid::new_v4(), valid_seminar_answers()).await;
        assert_eq!(response.status(), 404);
        assert_eq!(error_of(response).await.0, "not_found");
    }
}

#[tokio::test]
async fn a_closed_event_gets_410_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(json!({"kind": "forum", "title": "市民フォーラム", "held_on": "2025-11-01", "closes_at": "2025-11-08T00:00:00+09:00"}))
        .await;
    assert_eq!(event["is_open"], false);
    let id = event["id"].as_str().unwrap();
    let response = app.submit(id, Uuid::new_v4(), json!({"satisfaction": 5})).await;
    assert_eq!(response.status(), 410);
    assert_eq!(error_of(response).await.0, "event_closed");
    assert_eq!(app.stored_responses(id), 0);
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let huge = "x".repeat(app.config.max_body_bytes + 1);
    let response = app
        .submit(id, Uuid::new_v4(), json!({"satisfaction": 3, "opinion": huge}))
        .await;
    assert_eq!(response.status(), 413);
    assert_eq!(error_of(response).await.0, "payload_too_large");
    assert_eq!(app.stored_responses(id), 0);
}

#[tokio::test]
async fn responses_store_no_client_address_or_agent() {
    let app = TestApp::spawn().await;
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = diesel::sql_types::Text)]
        column_name: String,
    }
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'responses' ORDER BY ordinal_position",
    )
    .load(&mut app.database.connect())
    .unwrap();
    let names: Vec<String> = columns.into_iter().map(|c| c.column_name).collect();
    assert_eq!(
        names,
        [
            "id",
            "submission_id",
            "event_id",
            "form_version_id",
            "answers",
            "gender",
            "age_band",
            "occupation",
            "relation",
            "submitted_at",
            // phone, api or paper; for paper, the staff token that keyed it in (never the attendee).
            "source",
            "entered_by"
        ]
    );
}

#[tokio::test]
async fn the_insert_itself_refuses_an_event_cancelled_after_it_was_read() {
    use tsunagari::db::responses::{submit, NewResponse};
    use tsunagari::domain::answers::Answers;
    use tsunagari::domain::response_source::Entry;
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let path = format!("/api/v1/events/{id}");
    let cancelled = app
        .send_json(
            reqwest::Method::PATCH,
            &path,
            Some(&app.analyst),
            &json!({"cancelled": true}),
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    let mut conn = app.database.connect();
    let form = tsunagari::db::forms::latest(&mut conn, "seminar").unwrap();
    let answers = Answers::parse(&form.definition, json!({"satisfaction": 4}).as_object().unwrap()).unwrap();
    let response = NewResponse {
        submission_id: Uuid::new_v4(),
        event_id: Uuid::parse_str(id).unwrap(),
        form_version_id: form.id,
        answers: &answers,
        entry: Entry::PHONE,
    };
    assert_eq!(
        submit(&mut conn, &response).unwrap(),
        None,
        "the statement checks the event it locks"
    );
    assert_eq!(app.stored_responses(id), 0);
}

#[tokio::test]
async fn an_event_cancelled_after_answers_arrived_refuses_the_next_even_with_bad_answers() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let path = format!("/api/v1/events/{id}");
    let first = app.submit(id, Uuid::new_v4(), valid_seminar_answers()).await;
    assert_eq!(first.status(), 201);

    let cancel = json!({"cancelled": true});
    let reinstate = json!({"cancelled": false});
    let cancelled = app
        .send_json(reqwest::Method::PATCH, &path, Some(&app.analyst), &cancel)
        .await;
    assert_eq!(cancelled.status(), 200);
    for answers in [valid_seminar_answers(), json!({"satisfaction": 9})] {
        let refused = app.submit(id, Uuid::new_v4(), answers).await;
        assert_eq!(refused.status(), 410, "the event's state is read at each submission");
        assert_eq!(error_of(refused).await.0, "event_cancelled");
    }
    let reinstated = app
        .send_json(reqwest::Method::PATCH, &path, Some(&app.analyst), &reinstate)
        .await;
    assert_eq!(reinstated.status(), 200);
    let reinstated = app.submit(id, Uuid::new_v4(), valid_seminar_answers()).await;
    assert_eq!(reinstated.status(), 201);
    assert_eq!(app.stored_responses(id), 2);
}

/// A client that sends its body a byte at a time is cut off once the body's time is up, with a
/// client error, and the answer it was sending is not stored.
#[tokio::test]
async fn a_body_sent_too_slowly_is_cut_off() {
    use std::io::{BufRead, BufReader, Write};
    use std::time::{Duration, Instant};

    let database = std::sync::Arc::new(common::TestDatabase::new());
    let app = TestApp::spawn_with(database, &common::shipped_forms_dir(), |config| {
        config.body_timeout_secs = 2;
    })
    .await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap().to_owned();
    let address = app.address.trim_start_matches("http://").to_owned();
    let (status, waited) = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        let reader = stream.try_clone().unwrap();
        reader.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let started = Instant::now();
        let status = std::thread::spawn(move || {
            let mut line = String::new();
            BufReader::new(reader).read_line(&mut line).map(|_| line)
        });
        let head = format!(
            "POST /api/v1/events/{id}/responses HTTP/1.1\r\nHost: localhost\r\n\
             Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{"
        );
        stream.write_all(head.as_bytes()).unwrap();
        for _ in 0..40 {
            if stream.write_all(b" ").is_err() || status.is_finished() {
                break;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        (status.join().unwrap().unwrap_or_default(), started.elapsed())
    })
    .await
    .unwrap();
    assert!(status.starts_with("HTTP/1.1 4"), "{status:?}");
    assert!(waited < Duration::from_secs(8), "cut off after {waited:?}");
    assert_eq!(app.stored_responses(event["id"].as_str().unwrap()), 0);
}

/// Staff key in paper questionnaires through the API: checked as the phone's answers are,
/// accepted for a closed or past event (never a cancelled one), kept as `paper` with the token
/// that entered them, and told apart in the raw export.
#[tokio::test]
async fn paper_questionnaires_are_keyed_in_for_closed_and_past_events() {
    let app = TestApp::spawn().await;
    let past = app
        .create_event(json!({"kind": "seminar", "title": "回復セミナー", "held_on": "2019-06-13", "closes_at": "2019-06-30T00:00:00Z"}))
        .await;
    let id = past["id"].as_str().unwrap();
    let phone = app.submit(id, Uuid::new_v4(), valid_seminar_answers()).await;
    assert_eq!(phone.status(), 410, "the phone form is closed");
    let path = format!("/api/v1/events/{id}/paper-responses");
    let sheet = json!({"submission_id": Uuid::new_v4(), "answers": valid_seminar_answers()});
    assert_eq!(app.post_json(&path, None, &sheet).await.status(), 401);
    assert_eq!(app.post_json(&path, Some(&app.researcher), &sheet).await.status(), 403);
    let stored = app.post_json(&path, Some(&app.analyst), &sheet).await;
    assert_eq!(stored.status(), 201);
    assert_eq!(
        app.post_json(&path, Some(&app.analyst), &sheet).await.status(),
        200,
        "keyed twice, kept once"
    );
    let invalid = json!({"submission_id": Uuid::new_v4(), "answers": {"satisfaction": 9}});
    let invalid = app.post_json(&path, Some(&app.analyst), &invalid).await;
    assert_eq!(invalid.status(), 422);
    assert_eq!(app.stored_responses(id), 1);

    let (source, entered_by): (String, Option<Uuid>) = responses::table
        .filter(responses::event_id.eq(Uuid::parse_str(id).unwrap()))
        .select((responses::source, responses::entered_by))
        .first(&mut app.database.connect())
        .unwrap();
    assert_eq!(source, "paper");
    assert!(entered_by.is_some());

    let open = app.seminar().await;
    let open_id = open["id"].as_str().unwrap();
    assert_eq!(
        app.submit(open_id, Uuid::new_v4(), valid_seminar_answers())
            .await
            .status(),
        201
    );
    let csv = app
        .get("/api/v1/exports/responses.csv?form=seminar", Some(&app.analyst))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains(",paper,") && csv.contains(",api,"), "{csv}");

    let cancelled = app.seminar().await;
    let cancelled_id = cancelled["id"].as_str().unwrap();
    app.patch_event(cancelled_id, json!({"cancelled": true})).await;
    let another = json!({"submission_id": Uuid::new_v4(), "answers": valid_seminar_answers()});
    let refused = app
        .post_json(
            &format!("/api/v1/events/{cancelled_id}/paper-responses"),
            Some(&app.analyst),
            &another,
        )
        .await;
    assert_eq!(refused.status(), 410);
}
