use std::sync::Arc;

use crate::common::{shipped_forms_dir, valid_seminar_answers, TestApp, TestDatabase};
use serde_json::{json, Value};
use uuid::Uuid;

const SHARED_BLOCK: [(&str, &str, &[&str]); 7] = [
    ("gender", "single_choice", &["female", "male", "other", "no_answer"]),
    (
        "age_band",
        "single_choice",
        &["under_20", "20s", "30s", "40s", "50s", "60s", "70_plus", "no_answer"],
    ),
    (
        "occupation",
        "single_choice",
        &[
            "company_employee",
            "public_servant",
            "self_employed",
            "healthcare",
            "welfare",
            "corrections_probation",
            "education",
            "student",
            "homemaker",
            "unemployed",
            "other",
            "no_answer",
        ],
    ),
    (
        "relation",
        "single_choice",
        &["lived_experience", "family", "supporter", "general", "no_answer"],
    ),
    (
        "heard_from",
        "multi_choice",
        &[
            "sns",
            "city_newsletter",
            "newspaper",
            "website",
            "poster_flyer",
            "agency_referral",
            "acquaintance",
            "other",
        ],
    ),
    ("satisfaction", "scale", &[]),
    ("opinion", "text", &[]),
];

/// What the seminar form leaves out: its few attendees are mostly in recovery, and the
/// evaluation method reads only the tendency of their opinions.
const NOT_ASKED_AT_SEMINARS: [&str; 4] = ["gender", "age_band", "occupation", "referred_by"];

#[tokio::test]
async fn the_three_attendee_forms_share_the_attribute_block() {
    let app = TestApp::spawn().await;
    let listed: Value = app.get("/api/v1/forms", None).await.json().await.unwrap();
    let slugs: Vec<&str> = listed["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["slug"].as_str().unwrap())
        .collect();
    // The agency survey asks agencies, not attendees: it has no attribute block.
    assert_eq!(slugs, ["agency_survey", "forum", "seminar", "study_session"]);

    for slug in &slugs[1..] {
        let form: Value = app
            .get(&format!("/api/v1/forms/{slug}"), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(form["version"], 1);
        assert!(form["title"]["ja"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(form["title"]["en"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(form["purpose"]["ja"].as_str().is_some_and(|t| !t.is_empty()), "{slug}");
        let asked = |id: &str| form["questions"].as_array().unwrap().iter().any(|q| q["id"] == id);
        for id in NOT_ASKED_AT_SEMINARS {
            assert_eq!(asked(id), *slug != "seminar", "{slug}.{id}");
        }
        for (id, kind, values) in SHARED_BLOCK {
            if *slug == "seminar" && NOT_ASKED_AT_SEMINARS.contains(&id) {
                continue;
            }
            let question = form["questions"].as_array().unwrap().iter().find(|q| q["id"] == id);
            let question = question.unwrap_or_else(|| panic!("{slug} lacks {id}"));
            assert_eq!(question["type"], kind, "{slug}.{id}");
            let options: Vec<&str> = question["options"]
                .as_array()
                .map(|o| o.iter().map(|o| o["value"].as_str().unwrap()).collect())
                .unwrap_or_default();
            assert_eq!(options, values, "{slug}.{id}");
        }
        let satisfaction = form["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == "satisfaction")
            .unwrap();
        assert_eq!(
            (satisfaction["min"].as_i64(), satisfaction["max"].as_i64()),
            (Some(1), Some(5))
        );
    }
    let study: Value = app.get("/api/v1/forms/study_session", None).await.json().await.unwrap();
    let wanted = study["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "other_addictions")
        .unwrap();
    let values: Vec<&str> = wanted["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap())
        .collect();
    for addiction in ["prescription_drugs", "gambling", "shopping", "smartphone", "gaming"] {
        assert!(values.contains(&addiction), "{addiction}");
    }
}

#[tokio::test]
async fn unknown_forms_get_404() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/api/v1/forms/nope", None).await.status(), 404);
    assert_eq!(app.get("/api/v1/forms/seminar/versions/2", None).await.status(), 404);
    assert_eq!(app.get("/api/v1/forms/seminar/versions/x", None).await.status(), 404);
}

#[tokio::test]
async fn a_changed_form_file_becomes_version_two_and_version_one_responses_remain() {
    let database = Arc::new(TestDatabase::new());
    let dir = tempdir();
    std::fs::copy(shipped_forms_dir().join("seminar.json"), dir.join("seminar.json")).unwrap();

    let first = TestApp::spawn_with(database.clone(), &dir, |_| {}).await;
    let old_event = first.seminar().await;
    let old_id = old_event["id"].as_str().unwrap();
    assert_eq!(
        first
            .submit(old_id, Uuid::new_v4(), valid_seminar_answers())
            .await
            .status(),
        201
    );

    // Restarting on an unchanged (merely reformatted) file keeps version 1.
    let mut form: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("seminar.json")).unwrap()).unwrap();
    std::fs::write(dir.join("seminar.json"), serde_json::to_string(&form).unwrap()).unwrap();
    let same = TestApp::spawn_with(database.clone(), &dir, |_| {}).await;
    let latest: Value = same.get("/api/v1/forms/seminar", None).await.json().await.unwrap();
    assert_eq!(latest["version"], 1);

    // A real change gives version 2.
    form["questions"].as_array_mut().unwrap().push(json!({
        "id": "venue_access", "type": "single_choice", "required": true,
        "label": {"ja": "会場には来やすかったですか", "en": "Was the venue easy to reach?"},
        "options": [{"value": "yes", "label": {"ja": "はい", "en": "Yes"}}, {"value": "no", "label": {"ja": "いいえ", "en": "No"}}],
    }));
    std::fs::write(dir.join("seminar.json"), serde_json::to_string_pretty(&form).unwrap()).unwrap();
    let second = TestApp::spawn_with(database.clone(), &dir, |_| {}).await;

    let latest: Value = second.get("/api/v1/forms/seminar", None).await.json().await.unwrap();
    assert_eq!(latest["version"], 2);
    let old: Value = second
        .get("/api/v1/forms/seminar/versions/1", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(old["questions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|q| q["id"] != "venue_access"));

    // The old event keeps answering version 1, and its response is still there.
    let old_event: Value = second
        .get(&format!("/api/v1/events/{old_id}"), Some(&second.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(old_event["form_version"], 1);
    assert_eq!(old_event["response_count"], 1);
    assert_eq!(
        second
            .submit(old_id, Uuid::new_v4(), valid_seminar_answers())
            .await
            .status(),
        201
    );

    // A new event asks version 2, which requires the new question.
    let new_event = second.seminar().await;
    assert_eq!(new_event["form_version"], 2);
    let new_id = new_event["id"].as_str().unwrap();
    assert_eq!(
        second
            .submit(new_id, Uuid::new_v4(), valid_seminar_answers())
            .await
            .status(),
        422
    );
    let mut answers = valid_seminar_answers();
    answers["venue_access"] = json!("yes");
    assert_eq!(second.submit(new_id, Uuid::new_v4(), answers).await.status(), 201);
    assert_eq!(second.stored_responses(old_id), 2);
}

#[tokio::test]
async fn a_broken_form_file_stops_start_up() {
    let dir = tempdir();
    std::fs::write(dir.join("seminar.json"), r#"{"slug": "seminar"}"#).unwrap();
    let database = TestDatabase::new();
    let mut config = tsunagari::config::Config::from_lookup(|_| None).unwrap();
    config.database_url = database.url.clone();
    config.addr = "127.0.0.1:0".into();
    config.forms_dir = dir.clone();
    let error = tsunagari::startup::Application::build(&config)
        .await
        .err()
        .expect("start-up fails");
    assert!(error.to_string().contains("seminar.json"), "{error}");
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tsunagari-forms-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
