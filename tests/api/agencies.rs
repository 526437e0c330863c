//! The agencies list staff manage.

use crate::common::{error_of, TestApp};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

#[tokio::test]
async fn agencies_are_created_replaced_listed_and_deleted() {
    let app = TestApp::spawn().await;
    let put = |slug: &'static str, body: Value| {
        let app = &app;
        async move { app.put_agency(slug, &body).await }
    };
    let hospital = json!({"name": {"ja": "市立病院 精神科", "en": "City Hospital, psychiatry"}, "kind": "medical"});
    let created = put("city-hospital", hospital.clone()).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(
        (created["name"].clone(), created["kind"].clone()),
        (hospital["name"].clone(), json!("medical"))
    );
    let darc = put("darc", json!({"name": {"ja": "ダルク"}, "kind": "recovery_facility"})).await;
    assert_eq!(darc.status(), 201);
    let replaced = put(
        "darc",
        json!({"name": {"ja": "地域のダルク"}, "kind": "recovery_facility"}),
    )
    .await;
    assert_eq!(replaced.status(), 200);

    let listed: Value = app
        .get("/api/v1/agencies", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    let slugs: Vec<&str> = listed["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["city-hospital", "darc"], "by kind");
    let one: Value = app
        .get("/api/v1/agencies/darc", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (one["name"]["ja"].clone(), one["name"]["en"].clone()),
        (json!("地域のダルク"), Value::Null)
    );

    let delete = |slug: &'static str| {
        let app = &app;
        async move {
            app.send_json(
                Method::DELETE,
                &format!("/api/v1/agencies/{slug}"),
                Some(&app.admin),
                &json!({}),
            )
            .await
            .status()
        }
    };
    assert_eq!(delete("darc").await, 204);
    assert_eq!(delete("darc").await, 404);
    assert_eq!(app.get("/api/v1/agencies/darc", Some(&app.analyst)).await.status(), 404);
}

#[tokio::test]
async fn bad_agencies_are_refused_and_only_staff_manage_them() {
    let app = TestApp::spawn().await;
    for (slug, body, field) in [
        ("Bad_Slug!", json!({"name": {"ja": "x"}, "kind": "medical"}), "slug"),
        ("a", json!({"name": {"ja": ""}, "kind": "medical"}), "name"),
        ("a", json!({"name": {"ja": "x"}, "kind": "church"}), "kind"),
        (
            "a",
            json!({"name": {"ja": "x"}, "kind": "police", "phone": "110"}),
            "phone",
        ),
    ] {
        let refused = app.put_agency(slug, &body).await;
        assert_eq!(refused.status(), 422, "{slug} {body}");
        assert_eq!(error_of(refused).await.1.as_deref(), Some(field), "{slug} {body}");
    }
    let listed: Value = app
        .get("/api/v1/agencies", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["agencies"], json!([]), "nothing written");
    let body = json!({"name": {"ja": "x"}, "kind": "medical"});
    let as_researcher = app
        .send_json(Method::PUT, "/api/v1/agencies/a", Some(&app.researcher), &body)
        .await;
    assert_eq!(as_researcher.status(), 403);
    assert_eq!(app.get("/api/v1/agencies", None).await.status(), 401);
}

#[tokio::test]
async fn events_record_what_was_done_to_publicise_them() {
    let app = TestApp::spawn().await;
    let hospital = json!({"name": {"ja": "市立病院"}, "kind": "medical"});
    let put = app
        .send_json(
            Method::PUT,
            "/api/v1/agencies/city-hospital",
            Some(&app.analyst),
            &hospital,
        )
        .await;
    assert_eq!(put.status(), 201);
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let path = format!("/api/v1/events/{id}/publicity");
    let records = [
        json!({"channel": "city_newsletter", "sent_on": "2026-04-01", "quantity": 50000, "cost": 30000}),
        json!({"channel": "agency_notice", "agency": "city-hospital", "sent_on": "2026-04-10", "quantity": 30, "note": "チラシを郵送"}),
    ];
    let mut ids = Vec::new();
    for record in &records {
        let created = app.post_json(&path, Some(&app.analyst), record).await;
        assert_eq!(created.status(), 201, "{record}");
        let created: Value = created.json().await.unwrap();
        assert_eq!(
            (created["channel"].clone(), created["event_id"].clone()),
            (record["channel"].clone(), json!(id))
        );
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    let listed: Value = app.get(&path, Some(&app.analyst)).await.json().await.unwrap();
    let channels: Vec<&str> = listed["publicity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["channel"].as_str().unwrap())
        .collect();
    assert_eq!(channels, ["city_newsletter", "agency_notice"], "by date");
    assert_eq!(listed["publicity"][1]["agency"], "city-hospital");

    // An agency in use stays; an unknown one, a bad channel or an unknown event write nothing.
    let in_use = app
        .send_json(
            Method::DELETE,
            "/api/v1/agencies/city-hospital",
            Some(&app.analyst),
            &json!({}),
        )
        .await;
    assert_eq!(in_use.status(), 409);
    for (body, field) in [
        (
            json!({"channel": "agency_notice", "agency": "nowhere", "sent_on": "2026-04-10"}),
            "agency",
        ),
        (json!({"channel": "radio", "sent_on": "2026-04-10"}), "channel"),
    ] {
        let refused = app.post_json(&path, Some(&app.analyst), &body).await;
        assert_eq!(refused.status(), 422, "{body}");
        assert_eq!(error_of(refused).await.1.as_deref(), Some(field));
    }
    let unknown = format!("/api/v1/events/{}/publicity", uuid::Uuid::new_v4());
    assert_eq!(
        app.post_json(&unknown, Some(&app.analyst), &records[0]).await.status(),
        404
    );
    assert_eq!(app.get(&unknown, Some(&app.analyst)).await.status(), 404);
    assert_eq!(app.get(&path, Some(&app.researcher)).await.status(), 403);

    let delete = |record: &str| format!("{path}/{record}");
    let gone = app
        .send_json(Method::DELETE, &delete(&ids[1]), Some(&app.analyst), &json!({}))
        .await;
    assert_eq!(gone.status(), 204);
    let again = app
        .send_json(Method::DELETE, &delete(&ids[1]), Some(&app.analyst), &json!({}))
        .await;
    assert_eq!(again.status(), 404);
    let listed: Value = app.get(&path, Some(&app.analyst)).await.json().await.unwrap();
    assert_eq!(listed["publicity"].as_array().unwrap().len(), 1);
    let freed = app
        .send_json(
            Method::DELETE,
            "/api/v1/agencies/city-hospital",
            Some(&app.analyst),
            &json!({}),
        )
        .await;
    assert_eq!(freed.status(), 204, "no longer named");
}

#[tokio::test]
async fn a_series_gives_one_plan_of_publicity_to_each_of_its_events() {
    let app = TestApp::spawn().await;
    let series = json!({
        "kind": "seminar", "title": "回復セミナー", "rrule": "FREQ=MONTHLY;BYDAY=2TH",
        "starts_on": "2026-04-01", "ends_on": "2026-06-30",
    });
    let created: Value = app
        .post_json("/api/v1/event-series", Some(&app.analyst), &series)
        .await
        .json()
        .await
        .unwrap();
    let series_id = created["series"]["id"].as_str().unwrap();
    let events: Vec<&Value> = created["events"].as_array().unwrap().iter().collect();
    // The May seminar is cancelled: it gets no record.
    app.patch_event(events[1]["id"].as_str().unwrap(), json!({"cancelled": true}))
        .await;
    let path = format!("/api/v1/event-series/{series_id}/publicity");
    let plan = json!({"days_before": 14, "channel": "city_newsletter", "quantity": 50000});
    let recorded = app.post_json(&path, Some(&app.analyst), &plan).await;
    assert_eq!(recorded.status(), 201);
    let recorded: Value = recorded.json().await.unwrap();
    let sent: Vec<&str> = recorded["publicity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["sent_on"].as_str().unwrap())
        .collect();
    assert_eq!(sent, ["2026-03-26", "2026-05-28"], "14 days before 9 April and 11 June");
    let june = format!("/api/v1/events/{}/publicity", events[2]["id"].as_str().unwrap());
    let june: Value = app.get(&june, Some(&app.analyst)).await.json().await.unwrap();
    assert_eq!(june["publicity"][0]["quantity"], 50000);

    let unknown_agency = json!({"days_before": 7, "channel": "agency_notice", "agency": "nowhere"});
    let refused = app.post_json(&path, Some(&app.analyst), &unknown_agency).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(error_of(refused).await.1.as_deref(), Some("agency"));
    let no_series = format!("/api/v1/event-series/{}/publicity", uuid::Uuid::new_v4());
    assert_eq!(app.post_json(&no_series, Some(&app.analyst), &plan).await.status(), 404);
}

#[tokio::test]
async fn attendees_name_the_agency_that_referred_them_from_the_list_as_it_is() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(json!({"kind": "forum", "title": "依存症フォーラム", "held_on": "2026-05-14"}))
        .await;
    let (id, code) = (event["id"].as_str().unwrap(), event["code"].as_str().unwrap());
    let phone_form = || async { app.get(&format!("/s/{code}"), None).await.text().await.unwrap() };
    assert!(
        !phone_form().await.contains("q.referred_by"),
        "nothing to choose from, so not asked"
    );

    for (slug, name, kind) in [
        ("city-hospital", "市立病院 精神科", "medical"),
        ("darc", "地域のダルク", "recovery_facility"),
    ] {
        let body = json!({"name": {"ja": name}, "kind": kind});
        let put = app.put_agency(slug, &body).await;
        assert_eq!(put.status(), 201);
    }
    // The new agencies are offered at once, by kind, searchable, without a new form version.
    let html = phone_form().await;
    assert!(html.contains(r#"class="choice-search""#));
    let hospital = html
        .find("市立病院 精神科（医療機関）")
        .expect("the hospital, named with its kind");
    let darc = html
        .find("地域のダルク（回復支援施設）")
        .expect("the recovery facility");
    assert!(hospital < darc, "in the list's order of kinds");
    assert!(html.contains(r#"name="q.referred_by" value="darc""#));

    let referred = |slug: &'static str| json!({"satisfaction": 4, "referred_by": slug});
    assert_eq!(app.submit(id, Uuid::new_v4(), referred("darc")).await.status(), 201);
    let unknown = app.submit(id, Uuid::new_v4(), referred("nowhere")).await;
    assert_eq!(unknown.status(), 422);
    assert_eq!(error_of(unknown).await.1.as_deref(), Some("referred_by"));
    let from_phone = app
        .post_form(
            code,
            &[
                ("submission_id", &Uuid::new_v4().to_string()),
                ("q.satisfaction", "5"),
                ("q.referred_by", "city-hospital"),
            ],
        )
        .await;
    assert!(
        from_phone.status().is_redirection() || from_phone.status() == 200,
        "{}",
        from_phone.status()
    );
    assert_eq!(app.stored_responses(id), 2);

    let breakdown: Value = app
        .get(
            "/api/v1/analysis/breakdown?form=forum&question=referred_by&min_cell=0",
            Some(&app.analyst),
        )
        .await
        .json()
        .await
        .unwrap();
    let labels: Vec<&str> = breakdown["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"]["ja"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["市立病院 精神科（医療機関）", "地域のダルク（回復支援施設）"]);
    assert_eq!(breakdown["n"], 2);

    // An agency attendees named stays on the list, or their answers would lose their meaning.
    let refused = app
        .send_json(Method::DELETE, "/api/v1/agencies/darc", Some(&app.analyst), &json!({}))
        .await;
    assert_eq!(refused.status(), 409);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["error"]["message"].as_str().unwrap().contains("referred"),
        "{body}"
    );
}
