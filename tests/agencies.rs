#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The agencies list staff manage.
mod common;

use common::{error_of, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn agencies_are_created_replaced_listed_and_deleted() {
    let app = TestApp::spawn().await;
    let put = |slug: &'static str, body: Value| {
        let app = &app;
        async move {
            app.send_json(
                Method::PUT,
                &format!("/api/v1/agencies/{slug}"),
                Some(&app.analyst),
                &body,
            )
            .await
        }
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
        let refused = app
            .send_json(
                Method::PUT,
                &format!("/api/v1/agencies/{slug}"),
                Some(&app.analyst),
                &body,
            )
            .await;
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
