use crate::common::{error_of, fill_paper_template, paper_column, valid_seminar_answers, TestApp};
use diesel::prelude::*;
use reqwest::Response;
use serde_json::{json, Value};
use tsunagari::db::schema::responses;
use uuid::Uuid;

#[tokio::test]
async fn a_valid_response_is_stored_with_its_attributes_and_version() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(json!({"kind": "forum", "title": "依存症フォーラム", "held_on": "2026-05-14"}))
        .await;
    let id = event["id"].as_str().unwrap();

    let mut answers = valid_seminar_answers();
    answers["gender"] = json!("female");
    answers["age_band"] = json!("40s");
    answers["occupation"] = json!("welfare");
    let response = app.submit(id, Uuid::new_v4(), answers).await;
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
            json!({"relation": "robot", "satisfaction": 3}),
            "invalid_choice",
            "relation",
        ),
        (
            json!({"heard_from": ["sns", "radio"], "satisfaction": 3}),
            "invalid_choice",
            "heard_from",
        ),
        (json!({"satisfaction": "4"}), "wrong_type", "satisfaction"),
        (json!({"satisfaction": 6}), "out_of_range", "satisfaction"),
        (json!({"relation": "family"}), "required", "satisfaction"),
        // The seminar form asks no gender (see its purpose).
        (
            json!({"gender": "male", "satisfaction": 3}),
            "unknown_question",
            "gender",
        ),
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
            "entered_by",
            // Insertion order, which fixes what a frozen release holds.
            "seq"
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

    let database = std::sync::Arc::new(crate::common::TestDatabase::new());
    let app = TestApp::spawn_with(database, &crate::common::shipped_forms_dir(), |config| {
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

    // Staff may narrow analyses and exports to one way of answering; researchers may not.
    let n_of = |via: &'static str| {
        let app = &app;
        async move {
            let path =
                format!("/api/v1/analysis/breakdown?form=seminar&question=satisfaction&by=relation&min_cell=0{via}");
            let body: Value = app.get(&path, Some(&app.analyst)).await.json().await.unwrap();
            body["n"].as_u64().unwrap()
        }
    };
    assert_eq!(n_of("").await, 2);
    assert_eq!(n_of("&answered_via=paper").await, 1);
    assert_eq!(n_of("&answered_via=api").await, 1);
    assert_eq!(n_of("&answered_via=phone").await, 0);
    let paper_only = app
        .get(
            "/api/v1/exports/responses.csv?form=seminar&answered_via=paper",
            Some(&app.analyst),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        paper_only.contains(",paper,") && !paper_only.contains(",api,"),
        "{paper_only}"
    );
    let unknown = app
        .get(
            "/api/v1/analysis/breakdown?form=seminar&question=satisfaction&answered_via=fax",
            Some(&app.analyst),
        )
        .await;
    assert_eq!(error_of(unknown).await.1.as_deref(), Some("answered_via"));
    let researcher = app
        .get(
            "/api/v1/exports/aggregate.json?form=seminar&answered_via=paper",
            Some(&app.researcher),
        )
        .await;
    assert_eq!(researcher.status(), 422);
    assert_eq!(error_of(researcher).await.1.as_deref(), Some("answered_via"));

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

async fn paper_template(app: &TestApp, event_id: &str) -> Vec<u8> {
    let response = app
        .get(
            &format!("/api/v1/events/{event_id}/paper-responses/template.xlsx"),
            Some(&app.analyst),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    response.bytes().await.unwrap().to_vec()
}

async fn import_paper(app: &TestApp, event_id: &str, workbook: Vec<u8>) -> Response {
    app.client
        .post(app.url(&format!("/api/v1/events/{event_id}/paper-responses/import")))
        .bearer_auth(&app.analyst)
        .header(
            "content-type",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .body(workbook)
        .send()
        .await
        .unwrap()
}

/// One questionnaire row of the seminar's template, numbered `number`.
fn seminar_row(number: &'static str, satisfaction: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("number", number),
        ("satisfaction", satisfaction),
        ("would_return", "ぜひ参加したい"),
        ("heard_from:sns", "○"),
        ("heard_from:newspaper", "〇"),
        ("relation", "ご家族"),
        ("opinion", "紙で答えました。"),
    ]
}

/// The paper template: a row per questionnaire numbered in advance, a column per question (per
/// option of a multiple choice), choices as labels with a drop-down list, staff only.
#[tokio::test]
async fn a_paper_template_lists_every_question_with_its_allowed_answers() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let path = format!("/api/v1/events/{id}/paper-responses/template.xlsx");
    assert_eq!(app.get(&path, None).await.status(), 401);
    assert_eq!(app.get(&path, Some(&app.researcher)).await.status(), 403);
    let template = paper_template(&app, id).await;

    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(&template[..])).unwrap();
    assert_eq!(book.sheet_names(), ["回答票", "選択肢", "記入方法"]);
    let sheet = book.worksheet_range("回答票").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "番号");
    assert!(
        rows[0].contains(&"満足度".to_owned()) || rows[0].iter().any(|h| h.contains("満足")),
        "{:?}",
        rows[0]
    );
    assert!(rows[0].iter().any(|h| h.ends_with("：SNS")), "{:?}", rows[0]);
    assert!(rows[1].contains(&"heard_from:city_newsletter".to_owned()));
    assert_eq!(rows[2][0], "1", "numbered in advance");
    let choices = book.worksheet_range("選択肢").unwrap();
    let labels: Vec<String> = choices.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(labels.contains(&"ぜひ参加したい".to_owned()) && labels.contains(&"ご家族".to_owned()));

    // Excel checks the cells as staff type: a list of labels, a mark, a whole number in range.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&template[..])).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains(r#"type="list""#) && xml.contains("選択肢"), "{xml}");
    assert!(xml.contains(r#"type="whole""#));

    // Numbering goes on after the questionnaires already keyed in.
    let filled = fill_paper_template(&template, &[seminar_row("1", "4"), seminar_row("2", "5")]);
    assert_eq!(import_paper(&app, id, filled).await.status(), 201);
    let again = paper_template(&app, id).await;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(&again[..])).unwrap();
    let first = book.worksheet_range("回答票").unwrap().get((2, 0)).unwrap().to_string();
    assert_eq!(first, "3");

    let cancelled = app.seminar().await;
    let cancelled_id = cancelled["id"].as_str().unwrap();
    app.patch_event(cancelled_id, json!({"cancelled": true})).await;
    let refused = app
        .get(
            &format!("/api/v1/events/{cancelled_id}/paper-responses/template.xlsx"),
            Some(&app.analyst),
        )
        .await;
    assert_eq!(refused.status(), 410);
}

/// A filled template is imported all or nothing, for a closed past event too: labels in either
/// language, values, full-width digits and the usual marks are read; a second import of the same
/// file stores nothing new; every problem is named at its cell and then nothing is stored.
#[tokio::test]
async fn a_filled_paper_template_is_imported_once_and_whole() {
    let app = TestApp::spawn().await;
    let past = app
        .create_event(json!({"kind": "seminar", "title": "回復セミナー", "held_on": "2019-06-13", "closes_at": "2019-06-30T00:00:00Z"}))
        .await;
    let id = past["id"].as_str().unwrap();
    let template = paper_template(&app, id).await;
    let mut rows: Vec<Vec<(&str, &str)>> = (1..=9)
        .map(|n| seminar_row(Box::leak(n.to_string().into_boxed_str()), "4"))
        .collect();
    rows.push(vec![
        ("number", "１０"),
        ("satisfaction", "５"),
        ("would_return", "If I can"),
        ("relation", "supporter"),
        ("heard_from:sns", "1"),
        ("heard_from:website", "×"),
    ]);
    rows.push(vec![("number", "11")]); // numbered in advance, never filled: skipped
    let filled = fill_paper_template(&template, &rows);

    let imported = import_paper(&app, id, filled.clone()).await;
    assert_eq!(imported.status(), 201);
    let body: Value = imported.json().await.unwrap();
    assert_eq!(body, json!({"stored": 10, "already_imported": 0}));
    assert_eq!(app.stored_responses(id), 10);
    let again = import_paper(&app, id, filled).await;
    assert_eq!(again.status(), 200);
    assert_eq!(
        again.json::<Value>().await.unwrap(),
        json!({"stored": 0, "already_imported": 10})
    );
    assert_eq!(app.stored_responses(id), 10, "imported twice, stored once");
    let sources: Vec<String> = responses::table
        .filter(responses::event_id.eq(Uuid::parse_str(id).unwrap()))
        .select(responses::source)
        .load(&mut app.database.connect())
        .unwrap();
    assert!(sources.iter().all(|s| s == "paper"));
    let tenth: Value = responses::table
        .filter(responses::event_id.eq(Uuid::parse_str(id).unwrap()))
        .filter(responses::answers.contains(json!({"relation": "supporter"})))
        .select(responses::answers)
        .first(&mut app.database.connect())
        .unwrap();
    assert_eq!(
        tenth,
        json!({"satisfaction": 5, "would_return": "maybe", "relation": "supporter", "heard_from": ["sns"]})
    );

    // Problems in several rows, each at its cell; the good rows are not stored either.
    let at =
        |key: &str, row: usize| tsunagari::spreadsheet::cell_address(paper_column(&template, key) as u32, row as u32);
    let broken = fill_paper_template(
        &template,
        &[
            seminar_row("20", "4"),
            seminar_row("21", "9"),
            vec![
                ("number", "22"),
                ("would_return", "よく分からない"),
                ("satisfaction", "3"),
            ],
            vec![("number", "23"), ("would_return", "ぜひ参加したい")],
            vec![("number", "24"), ("satisfaction", "2"), ("heard_from:sns", "たぶん")],
            vec![("satisfaction", "2")],
            seminar_row("20", "3"),
            seminar_row("1", "2"),
        ],
    );
    let refused = import_paper(&app, id, broken).await;
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_sheet");
    let details: Vec<(String, String)> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["field"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        (at("satisfaction", 4), "out_of_range"),
        (at("would_return", 5), "invalid_choice"),
        (at("satisfaction", 6), "required"),
        (at("heard_from:sns", 7), "invalid_mark"),
        (at("number", 8), "number_missing"),
        (at("number", 9), "number_repeated"),
    ];
    for (cell, code) in &expected {
        assert!(
            details.contains(&(cell.clone(), (*code).to_owned())),
            "{cell} {code}: {details:?}"
        );
    }
    let message = body["error"]["details"].to_string();
    assert!(message.contains("よく分からない"), "the value is named: {message}");
    assert_eq!(app.stored_responses(id), 10, "nothing of a refused sheet is stored");

    // A column left out is a question unanswered, unless the question is required.
    let without_opinion =
        crate::common::fill_paper_template_without(&template, &["opinion"], &[seminar_row("40", "4")]);
    assert_eq!(import_paper(&app, id, without_opinion).await.status(), 201);
    assert_eq!(app.stored_responses(id), 11);
    let without_satisfaction =
        crate::common::fill_paper_template_without(&template, &["satisfaction"], &[seminar_row("41", "4")]);
    let refused = import_paper(&app, id, without_satisfaction).await;
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["code"], "column_missing", "{body}");
    assert_eq!(app.stored_responses(id), 11);

    // Rows that pass, but a number imported before with other answers: nothing stored.
    let clash = fill_paper_template(&template, &[seminar_row("30", "4"), seminar_row("1", "2")]);
    let refused = import_paper(&app, id, clash).await;
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["code"], "number_imported_before");
    assert_eq!(body["error"]["details"][0]["field"], at("number", 4));
    assert_eq!(app.stored_responses(id), 11);
}

/// What is not this event's filled template is refused with a reason, and stores nothing.
#[tokio::test]
async fn a_paper_import_refuses_other_files_clearly() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let not_a_workbook = import_paper(&app, id, b"number,satisfaction\n1,4\n".to_vec()).await;
    assert_eq!(not_a_workbook.status(), 422);
    let body: Value = not_a_workbook.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["field"], "workbook");

    // A form's workbook is not a template.
    let xlsform = app
        .get("/api/v1/forms/seminar.xlsx", None)
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let body: Value = import_paper(&app, id, xlsform).await.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["code"], "no_answers_sheet");

    // Another form's template: its columns are named.
    let forum = app
        .create_event(json!({"kind": "forum", "title": "フォーラム", "held_on": "2026-02-01"}))
        .await;
    let forum_template = paper_template(&app, forum["id"].as_str().unwrap()).await;
    let refused = import_paper(&app, id, fill_paper_template(&forum_template, &[vec![("number", "1")]])).await;
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    let codes: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"unknown_column"), "{codes:?}");

    let wrong_type = app
        .client
        .post(app.url(&format!("/api/v1/events/{id}/paper-responses/import")))
        .bearer_auth(&app.analyst)
        .header("content-type", "text/csv")
        .body("number\n1\n")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 415);
    let researcher = app
        .client
        .post(app.url(&format!("/api/v1/events/{id}/paper-responses/import")))
        .bearer_auth(&app.researcher)
        .body(Vec::new())
        .send()
        .await
        .unwrap();
    assert_eq!(researcher.status(), 403);
    assert_eq!(app.stored_responses(id), 0);
}

/// A researcher's first release freezes a partition at a watermark: an answer being stored for
/// one of its events as it freezes is waited for and counted, and one that comes after is not,
/// whatever its number.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_frozen_while_an_answer_is_being_stored_counts_it_exactly_once() {
    use diesel::connection::SimpleConnection;
    use tsunagari::db::responses::{submit, NewResponse};
    use tsunagari::domain::answers::Answers;
    use tsunagari::domain::response_source::Entry;
    let app = TestApp::spawn().await;
    let past = app
        .create_event(json!({"kind": "seminar", "title": "回復セミナー", "held_on": "2019-06-13"}))
        .await;
    let id = past["id"].as_str().unwrap().to_owned();
    for _ in 0..6 {
        assert_eq!(
            app.submit(&id, Uuid::new_v4(), valid_seminar_answers()).await.status(),
            201
        );
    }
    // An answer stored in a transaction still open when the release is asked for.
    let mut conn = app.database.connect();
    let form = tsunagari::db::forms::latest(&mut conn, "seminar").unwrap();
    let answers = Answers::parse(&form.definition, valid_seminar_answers().as_object().unwrap()).unwrap();
    let response = NewResponse {
        submission_id: Uuid::new_v4(),
        event_id: Uuid::parse_str(&id).unwrap(),
        form_version_id: form.id,
        answers: &answers,
        entry: Entry::API,
    };
    conn.batch_execute("BEGIN").unwrap();
    assert!(submit(&mut conn, &response).unwrap().is_some());
    let release = {
        let (url, token) = (
            app.url("/api/v1/exports/aggregate.json?form=seminar&fiscal_year=2019"),
            app.researcher.clone(),
        );
        let client = app.client.clone();
        tokio::spawn(async move {
            let body: Value = client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["responses"].clone()
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert!(!release.is_finished(), "the freeze waits for the answer being stored");
    conn.batch_execute("COMMIT").unwrap();
    assert_eq!(release.await.unwrap(), 7);
    // Stored after the freeze: staff see it, the release does not.
    assert_eq!(
        app.submit(&id, Uuid::new_v4(), valid_seminar_answers()).await.status(),
        201
    );
    let again: Value = app
        .get(
            "/api/v1/exports/aggregate.json?form=seminar&fiscal_year=2019",
            Some(&app.researcher),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["responses"], 7);
    assert_eq!(app.stored_responses(&id), 8);
}
