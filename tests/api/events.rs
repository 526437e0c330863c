use crate::common::{error_of, TestApp};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

#[tokio::test]
async fn creating_an_event_returns_its_link_and_form_version() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(json!({
            "kind": "seminar", "title": "回復セミナー", "theme": "SMARPP 第5回", "venue": "保健センター",
            "held_on": "2026-05-14", "headcount": 12,
        }))
        .await;
    assert!(
        Uuid::parse_str(event["id"].as_str().unwrap())
            .unwrap()
            .get_version_num()
            == 7
    );
    let code = event["code"].as_str().unwrap();
    assert!(code.len() >= 8, "code {code} is long enough not to be guessed");
    assert_eq!(event["survey_url"], format!("{}/s/{code}", app.address));
    assert_eq!(event["form"], "seminar");
    assert_eq!(event["form_version"], 1);
    assert_eq!(event["fiscal_year"], 2026);
    assert_eq!(event["headcount"], 12);
    assert_eq!(event["response_count"], 0);
}

#[tokio::test]
async fn supervision_sessions_use_the_study_session_form() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(json!({"kind": "supervision", "title": "事例検討", "held_on": "2026-06-01"}))
        .await;
    assert_eq!(event["form"], "study_session");
}

#[tokio::test]
async fn every_event_gets_its_own_code() {
    let app = TestApp::spawn().await;
    let a = app.seminar().await;
    let b = app.seminar().await;
    assert_ne!(a["code"], b["code"]);
}

#[tokio::test]
async fn staff_endpoints_need_a_token_of_the_right_role() {
    let app = TestApp::spawn().await;
    let body = json!({"kind": "forum", "title": "フォーラム", "held_on": "2026-10-01"});

    let response = app.post_json("/api/v1/events", None, &body).await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_eq!(error_of(response).await.0, "unauthorized");

    let response = app
        .post_json("/api/v1/events", Some("tsu_not_a_real_token"), &body)
        .await;
    assert_eq!(response.status(), 401);

    let response = app.post_json("/api/v1/events", Some(&app.researcher), &body).await;
    assert_eq!(response.status(), 403);
    assert_eq!(error_of(response).await.0, "forbidden");
    assert_eq!(app.get("/api/v1/events", Some(&app.researcher)).await.status(), 403);

    assert_eq!(
        app.post_json("/api/v1/events", Some(&app.admin), &body).await.status(),
        201
    );
    assert_eq!(
        app.post_json("/api/v1/events", Some(&app.analyst), &body)
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn a_revoked_token_no_longer_works() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/api/v1/events", Some(&app.analyst)).await.status(), 200);
    let mut conn = app.database.connect();
    let analyst = tsunagari::db::tokens::list(&mut conn)
        .unwrap()
        .into_iter()
        .find(|t| t.role == "analyst")
        .unwrap();
    assert!(tsunagari::db::tokens::revoke(&mut conn, analyst.id).unwrap());
    assert_eq!(app.get("/api/v1/events", Some(&app.analyst)).await.status(), 401);
}

#[tokio::test]
async fn invalid_events_get_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let cases = [
        (json!({"kind": "party", "title": "x", "held_on": "2026-01-01"}), "kind"),
        (json!({"kind": "forum", "held_on": "2026-01-01"}), "title"),
        (
            json!({"kind": "forum", "title": "   ", "held_on": "2026-01-01"}),
            "title",
        ),
        (
            json!({"kind": "forum", "title": "x", "held_on": "2026-02-30"}),
            "held_on",
        ),
        (
            json!({"kind": "forum", "title": "x", "held_on": "2026-01-01", "headcount": -1}),
            "headcount",
        ),
        (
            json!({"kind": "forum", "title": "x", "held_on": "2026-01-01", "closes_at": "tomorrow"}),
            "closes_at",
        ),
        (
            json!({"kind": "forum", "title": "x", "held_on": "2026-01-01", "form": "nope"}),
            "form",
        ),
        (
            json!({"kind": "forum", "title": "x", "held_on": "2026-01-01", "colour": "red"}),
            "colour",
        ),
    ];
    for (body, field) in cases {
        let response = app.post_json("/api/v1/events", Some(&app.analyst), &body).await;
        assert_eq!(response.status(), 422, "{body}");
        assert_eq!(error_of(response).await.1.as_deref(), Some(field), "{body}");
    }
    let events: Value = app
        .get("/api/v1/events", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events["events"].as_array().unwrap().len(), 0, "nothing was written");
}

#[tokio::test]
async fn events_are_listed_by_kind_and_fiscal_year() {
    let app = TestApp::spawn().await;
    for (kind, held_on) in [
        ("seminar", "2019-03-31"),
        ("seminar", "2019-04-01"),
        ("forum", "2019-11-20"),
        ("seminar", "2020-03-31"),
        ("seminar", "2020-04-01"),
    ] {
        app.create_event(json!({"kind": kind, "title": "event", "held_on": held_on}))
            .await;
    }
    let dates = |body: Value| -> Vec<String> {
        body["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["held_on"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = app
        .get("/api/v1/events?fiscal_year=2019", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dates(all), ["2019-04-01", "2019-11-20", "2020-03-31"]);
    let seminars = app
        .get("/api/v1/events?fiscal_year=2019&kind=seminar", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dates(seminars), ["2019-04-01", "2020-03-31"]);

    let response = app.get("/api/v1/events?fiscal_year=R1", Some(&app.analyst)).await;
    assert_eq!(error_of(response).await.1.as_deref(), Some("fiscal_year"));
    let response = app.get("/api/v1/events?kind=party", Some(&app.analyst)).await;
    assert_eq!(error_of(response).await.1.as_deref(), Some("kind"));
}

#[tokio::test]
async fn patching_an_event_changes_only_what_is_given() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(
            json!({"kind": "seminar", "title": "回復セミナー", "venue": "保健センター", "held_on": "2026-05-14"}),
        )
        .await;
    let path = format!("/api/v1/events/{}", event["id"].as_str().unwrap());

    let response = app
        .send_json(
            Method::PATCH,
            &path,
            Some(&app.analyst),
            &json!({"headcount": 18, "venue": null}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let patched: Value = response.json().await.unwrap();
    assert_eq!(patched["headcount"], 18);
    assert_eq!(patched["venue"], Value::Null);
    assert_eq!(patched["title"], "回復セミナー");
    assert_eq!(patched["code"], event["code"]);

    let fetched: Value = app.get(&path, Some(&app.analyst)).await.json().await.unwrap();
    assert_eq!(fetched["headcount"], 18);

    let response = app
        .send_json(Method::PATCH, &path, Some(&app.analyst), &json!({"title": null}))
        .await;
    assert_eq!(response.status(), 422);
    let response = app
        .send_json(Method::PATCH, &path, Some(&app.researcher), &json!({"headcount": 1}))
        .await;
    assert_eq!(response.status(), 403);
}

/// A cancellation keeps its reason until the event is reinstated; a reason cannot come with
/// reinstating.
#[tokio::test]
async fn a_cancellation_keeps_its_reason_until_reinstated() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let cancelled = app
        .patch_event(
            id,
            json!({"cancelled": true, "cancellation_reason": "緊急事態宣言のため"}),
        )
        .await;
    assert_eq!(
        (
            cancelled["cancelled"].as_bool(),
            cancelled["cancellation_reason"].as_str()
        ),
        (Some(true), Some("緊急事態宣言のため"))
    );
    let path = format!("/api/v1/events/{id}");
    let contradictory = app
        .send_json(
            Method::PATCH,
            &path,
            Some(&app.analyst),
            &json!({"cancelled": false, "cancellation_reason": "x"}),
        )
        .await;
    assert_eq!(
        crate::common::error_of(contradictory).await.1.as_deref(),
        Some("cancellation_reason")
    );
    let too_long = app
        .send_json(
            Method::PATCH,
            &path,
            Some(&app.analyst),
            &json!({"cancellation_reason": "長".repeat(1001)}),
        )
        .await;
    assert_eq!(too_long.status(), 422);
    let reinstated = app.patch_event(id, json!({"cancelled": false})).await;
    assert_eq!(
        (reinstated["cancelled"].as_bool(), &reinstated["cancellation_reason"]),
        (Some(false), &Value::Null)
    );
}

/// Only an event nobody answered, and that no release counts, is deleted (with its notes and
/// publicity); otherwise 409 says to cancel it instead.
#[tokio::test]
async fn only_an_unanswered_event_is_deleted() {
    let app = TestApp::spawn().await;
    let empty = app.seminar().await;
    let empty_id = empty["id"].as_str().unwrap();
    let note = app
        .post_json(
            &format!("/api/v1/events/{empty_id}/notes"),
            Some(&app.analyst),
            &json!({"text": "打ち合わせ"}),
        )
        .await;
    assert_eq!(note.status(), 201);
    let path = format!("/api/v1/events/{empty_id}");
    let researcher = app
        .send_json(Method::DELETE, &path, Some(&app.researcher), &json!({}))
        .await;
    assert_eq!(researcher.status(), 403);
    let delete = |path: String| {
        let app = &app;
        async move {
            app.send_json(Method::DELETE, &path, Some(&app.analyst), &json!({}))
                .await
        }
    };
    assert_eq!(delete(path.clone()).await.status(), 204);
    assert_eq!(app.get(&path, Some(&app.analyst)).await.status(), 404);
    assert_eq!(delete(path.clone()).await.status(), 404);

    let answered = app.seminar().await;
    let answered_id = answered["id"].as_str().unwrap();
    assert_eq!(
        app.submit(
            answered_id,
            uuid::Uuid::new_v4(),
            crate::common::valid_seminar_answers()
        )
        .await
        .status(),
        201
    );
    let refused = delete(format!("/api/v1/events/{answered_id}")).await;
    assert_eq!(refused.status(), 409);
    let (code, _) = crate::common::error_of(refused).await;
    assert_eq!(code, "conflict");
    assert_eq!(app.stored_responses(answered_id), 1);

    // Held in a settled year and frozen by a researcher's first release: counted for good.
    let past = app
        .create_event(json!({"kind": "seminar", "title": "回復セミナー", "held_on": "2019-05-09"}))
        .await;
    let past_id = past["id"].as_str().unwrap();
    let release = app
        .get("/api/v1/exports/aggregate.json?form=seminar", Some(&app.researcher))
        .await;
    assert_eq!(release.status(), 200);
    let refused = delete(format!("/api/v1/events/{past_id}")).await;
    assert_eq!(refused.status(), 409, "a released event stays");
}

#[tokio::test]
async fn unknown_events_and_routes_get_404_in_json() {
    let app = TestApp::spawn().await;
    let missing = format!("/api/v1/events/{}", Uuid::now_v7());
    assert_eq!(
        error_of(app.get(&missing, Some(&app.analyst)).await).await.0,
        "not_found"
    );
    let response = app
        .send_json(Method::PATCH, &missing, Some(&app.analyst), &json!({"headcount": 1}))
        .await;
    assert_eq!(response.status(), 404);
    let response = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(response.status(), 404);
    assert_eq!(error_of(response).await.0, "not_found");
}

#[tokio::test]
async fn events_say_what_they_were_and_a_series_gives_every_event_the_same() {
    let app = TestApp::spawn().await;
    let profile = json!({
        "format": "lived_experience_talk",
        "speakers": [{"type": "leading_expert", "name": "依存症専門医"}, {"type": "lived_experience"}],
        "costs": {"honorarium": 50000, "travel": 12000},
        "notes": "感染対策：マスクとフェイスシールド",
    });
    let mut body = json!({"kind": "forum", "title": "市民フォーラム", "held_on": "2026-11-23"});
    body.as_object_mut()
        .unwrap()
        .extend(profile.as_object().unwrap().clone());
    let event = app.create_event(body).await;
    for part in ["format", "speakers", "costs", "notes"] {
        assert_eq!(event[part], profile[part], "{part}");
    }
    let id = event["id"].as_str().unwrap();
    let cleared = app.patch_event(id, json!({"format": "lecture", "costs": null})).await;
    assert_eq!(
        (cleared["format"].clone(), cleared["costs"].clone()),
        (json!("lecture"), Value::Null)
    );
    assert_eq!(cleared["speakers"], profile["speakers"], "left as it was");

    let series = json!({
        "kind": "seminar", "title": "回復セミナー", "rrule": "FREQ=MONTHLY;BYDAY=2TH", "format": "free_talk",
        "starts_on": "2026-04-01", "ends_on": "2026-06-30",
    });
    let created = app.post_json("/api/v1/event-series", Some(&app.analyst), &series).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let formats: Vec<&Value> = created["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["format"])
        .collect();
    assert_eq!(formats, [&json!("free_talk"); 3]);
    // A year's series leaves the planner's statistics of events fresh, so that the analyses'
    // joins do not misjudge their rows until autovacuum comes by.
    #[derive(diesel::QueryableByName)]
    struct Analysed {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        analysed: bool,
    }
    use diesel::RunQueryDsl;
    let analysed: Analysed = diesel::sql_query(
        "SELECT last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL AS analysed
           FROM pg_stat_user_tables WHERE relname = 'events'",
    )
    .get_result(&mut app.database.connect())
    .unwrap();
    assert!(analysed.analysed);

    for (bad, field) in [
        (json!({"format": "party"}), "format"),
        (json!({"speakers": [{"name": "名前だけ"}]}), "speakers.type"),
        (json!({"costs": {"honorarium": -5}}), "costs.honorarium"),
        (json!({"costs": {"lunch": 500}}), "costs.lunch"),
    ] {
        let mut body = json!({"kind": "forum", "title": "x", "held_on": "2026-11-23"});
        body.as_object_mut().unwrap().extend(bad.as_object().unwrap().clone());
        let refused = app.post_json("/api/v1/events", Some(&app.analyst), &body).await;
        assert_eq!(refused.status(), 422, "{bad}");
        assert_eq!(error_of(refused).await.1.as_deref(), Some(field), "{bad}");
    }
}
