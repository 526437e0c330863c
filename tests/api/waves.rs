//! The agency survey repeated as waves: created like events, never counted as attendance, and
//! compared question by question.

use crate::common::{error_of, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

async fn create_wave(app: &TestApp, body: Value) -> Value {
    let response = app.post_json("/api/v1/survey-waves", Some(&app.analyst), &body).await;
    assert_eq!(response.status(), 201, "{body}");
    response.json().await.unwrap()
}

/// A wave of `form` opening in fiscal year `year`, still taking answers.
async fn wave(app: &TestApp, form: &str, year: i32) -> Value {
    create_wave(
        app,
        json!({"form": form, "title": format!("関係機関実態調査 {year}"), "fiscal_year": year,
               "opens_on": format!("{year}-06-01"), "closes_on": "2099-03-31"}),
    )
    .await
}

#[tokio::test]
async fn a_wave_has_a_link_and_qr_code_like_an_event_and_is_listed() {
    let app = TestApp::spawn().await;
    let created = create_wave(
        &app,
        json!({"form": "agency_survey", "title": "関係機関実態調査", "title_en": "Agency survey",
               "fiscal_year": 2018, "opens_on": "2018-06-01", "closes_on": "2018-06-30"}),
    )
    .await;
    assert_eq!(
        [
            &created["fiscal_year"],
            &created["opens_on"],
            &created["closes_on"],
            &created["is_open"]
        ],
        [&json!(2018), &json!("2018-06-01"), &json!("2018-06-30"), &json!(false)]
    );
    let id = created["id"].as_str().unwrap();
    assert!(created["survey_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/s/{}", created["code"].as_str().unwrap())));
    let qr = app.get(created["qr_svg"].as_str().unwrap(), Some(&app.analyst)).await;
    assert_eq!(qr.status(), 200);
    let listed: Value = app
        .get("/api/v1/survey-waves?form=agency_survey", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["waves"][0]["id"], id);
    let other_form: Value = app
        .get("/api/v1/survey-waves?form=seminar", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other_form["waves"], json!([]));
    let event: Value = app
        .get(&format!("/api/v1/events/{id}"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(event["kind"], "agency_survey");

    // The phone form says until when it takes answers, not a day it was held.
    let open = wave(&app, "agency_survey", 2020).await;
    let page = app
        .get(&format!("/s/{}", open["code"].as_str().unwrap()), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("回答期限 2099年3月31日"), "the deadline is shown");
    assert!(page.contains("貴機関の種別"));
}

#[tokio::test]
async fn bad_waves_are_refused_and_waves_never_count_as_attendance() {
    let app = TestApp::spawn().await;
    let good = json!({"form": "agency_survey", "title": "調査", "fiscal_year": 2018, "opens_on": "2018-06-01", "closes_on": "2018-06-30"});
    for (change, field) in [
        (json!({"opens_on": "2019-04-01"}), "opens_on"),
        (json!({"closes_on": "2018-05-31"}), "closes_on"),
        (json!({"form": "no_such_form"}), "form"),
        (json!({"fiscal_year": "H30"}), "fiscal_year"),
        (json!({"title": null}), "title"),
        (json!({"headcount": 3}), "headcount"),
    ] {
        let mut body = good.clone();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let refused = app.post_json("/api/v1/survey-waves", Some(&app.analyst), &body).await;
        assert_eq!(refused.status(), 422, "{change}");
        assert_eq!(error_of(refused).await.1.as_deref(), Some(field), "{change}");
    }
    let as_event = app
        .post_json(
            "/api/v1/events",
            Some(&app.analyst),
            &json!({"kind": "agency_survey", "title": "調査", "held_on": "2018-06-01"}),
        )
        .await;
    assert_eq!(error_of(as_event).await.1.as_deref(), Some("kind"));
    let plan = app
        .put_plan(
            "waves",
            &json!({"title": {"ja": "調査"}, "event_kinds": ["agency_survey"], "targets": {"2018": 10}}),
        )
        .await;
    assert_eq!(plan.status(), 422, "a wave is no attendance target");
    assert_eq!(
        app.get("/api/v1/survey-waves", Some(&app.researcher)).await.status(),
        403
    );

    let wave = wave(&app, "agency_survey", 2018).await;
    app.patch_event(wave["id"].as_str().unwrap(), json!({"headcount": 40}))
        .await;
    let attendance: Value = app
        .get("/api/v1/analysis/attendance?by=fiscal_year", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(attendance["groups"], json!([]), "a wave is not an event people attend");
}

#[tokio::test]
async fn waves_are_compared_question_by_question_with_a_test_of_change() {
    let app = TestApp::spawn().await;
    let first = wave(&app, "agency_survey", 2018).await;
    let second = wave(&app, "agency_survey", 2020).await;
    let answer = |wave: &Value, kind: &str, training: &str| {
        let id = wave["id"].as_str().unwrap().to_owned();
        let answers = json!({"agency_kind": kind, "training_needed": training});
        let app = &app;
        async move { assert_eq!(app.submit(&id, Uuid::new_v4(), answers).await.status(), 201) }
    };
    // In 2018 few agencies wanted training; by 2020 most did.
    for (kind, training, times) in [
        ("medical", "no", 6),
        ("medical", "yes", 2),
        ("probation", "no", 4),
        ("probation", "yes", 1),
    ] {
        for _ in 0..times {
            answer(&first, kind, training).await;
        }
    }
    for (kind, training, times) in [
        ("medical", "yes", 7),
        ("medical", "no", 1),
        ("probation", "yes", 5),
        ("probation", "no", 2),
    ] {
        for _ in 0..times {
            answer(&second, kind, training).await;
        }
    }
    let (a, b) = (first["id"].as_str().unwrap(), second["id"].as_str().unwrap());
    let path =
        format!("/api/v1/analysis/waves?form=agency_survey&question=training_needed&waves={b},{a}&by=agency_kind");
    let response = app.get(&path, Some(&app.analyst)).await;
    assert_eq!(response.status(), 200);
    let result: Value = response.json().await.unwrap();
    let years: Vec<&str> = result["waves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["fiscal_year_label"].as_str().unwrap())
        .collect();
    assert_eq!(years, ["H30年度", "R2年度"], "oldest first");
    let groups = result["overall"]["groups"].as_array().unwrap();
    let counts = |i: usize| (groups[i]["counts"]["yes"].clone(), groups[i]["counts"]["no"].clone());
    let first_group = groups.iter().position(|g| g["key"]["event"] == a).unwrap();
    let second_group = groups.iter().position(|g| g["key"]["event"] == b).unwrap();
    assert_eq!(counts(first_group), (json!(3), json!(10)));
    assert_eq!(counts(second_group), (json!(12), json!(3)));
    // Wave x answer ("unsure", never chosen, left out): every expected count at least 5, so
    // chi-square holds, and the change is clear.
    let change = &result["change"]["independence"];
    assert_eq!(
        (change["n"].clone(), change["method"].clone()),
        (json!(28), json!("chi_square"))
    );
    assert!(change["p_value"].as_f64().unwrap() < 0.01, "{change}");
    assert_eq!(result["change"]["ranks"], Value::Null, "no ranks for choices");
    let by_kind = result["by"]["groups"].as_array().unwrap();
    assert_eq!(result["by"]["by"], json!(["event", "agency_kind"]));
    assert_eq!(by_kind.len(), 4, "each wave by each kind that answered");

    for (query, field) in [
        (format!("waves={a}"), "waves"),
        (format!("waves={a},{a}"), "waves"),
        (format!("waves={a},not-an-id"), "waves"),
        (format!("waves={a},{}", Uuid::new_v4()), "waves"),
        (format!("waves={a},{b}&by=no_such_question"), "by"),
        (format!("waves={a},{b}&colour=red"), "colour"),
    ] {
        let refused = app
            .get(
                &format!("/api/v1/analysis/waves?form=agency_survey&question=training_needed&{query}"),
                Some(&app.analyst),
            )
            .await;
        assert_eq!(refused.status(), 422, "{query}");
        assert_eq!(error_of(refused).await.1.as_deref(), Some(field), "{query}");
    }
    let event = app.seminar().await;
    let not_a_wave = app
        .get(
            &format!(
                "/api/v1/analysis/waves?form=agency_survey&question=training_needed&waves={a},{}",
                event["id"].as_str().unwrap()
            ),
            Some(&app.analyst),
        )
        .await;
    assert_eq!(error_of(not_a_wave).await.1.as_deref(), Some("waves"));
    assert_eq!(app.get(&path, Some(&app.researcher)).await.status(), 403);
}

#[tokio::test]
async fn a_scale_asked_in_two_waves_is_compared_by_ranks() {
    let app = TestApp::spawn().await;
    let first = wave(&app, "seminar", 2018).await;
    let second = wave(&app, "seminar", 2019).await;
    for (wave, scores) in [(&first, [2, 3, 3, 4]), (&second, [4, 5, 5, 5])] {
        for satisfaction in scores {
            let id = wave["id"].as_str().unwrap();
            assert_eq!(
                app.submit(id, Uuid::new_v4(), json!({"satisfaction": satisfaction}))
                    .await
                    .status(),
                201
            );
        }
    }
    let (a, b) = (first["id"].as_str().unwrap(), second["id"].as_str().unwrap());
    let result: Value = app
        .get(
            &format!("/api/v1/analysis/waves?form=seminar&question=satisfaction&waves={a},{b}"),
            Some(&app.analyst),
        )
        .await
        .json()
        .await
        .unwrap();
    // Ties, so asymptotic: scipy.stats.mannwhitneyu([2,3,3,4], [4,5,5,5]) gives U = 0.5, p = 0.03599300762286003.
    let ranks = &result["change"]["ranks"];
    assert_eq!(
        (ranks["method"].clone(), ranks["statistic"].clone()),
        (json!("mann_whitney_u"), json!(0.5))
    );
    assert!(
        (ranks["p_value"].as_f64().unwrap() - 0.03599300762286003).abs() < 1e-9,
        "{ranks}"
    );
    assert_eq!(result["by"], Value::Null);
}

#[tokio::test]
async fn researchers_read_each_settled_wave_in_the_aggregate_under_disclosure_control() {
    // The aggregate's own tests show what it withholds; here, that each wave is a year of it.
    let app = TestApp::spawn().await;
    for (year, wanting, not_wanting) in [(2018, 5, 7), (2020, 9, 5)] {
        let wave = wave(&app, "agency_survey", year).await;
        let id = wave["id"].as_str().unwrap();
        for (training, times) in [("yes", wanting), ("no", not_wanting)] {
            for _ in 0..times {
                let answers = json!({"agency_kind": "medical", "training_needed": training});
                assert_eq!(app.submit(id, Uuid::new_v4(), answers).await.status(), 201);
            }
        }
    }
    let response = app
        .get(
            "/api/v1/exports/aggregate.json?form=agency_survey&kind=agency_survey",
            Some(&app.researcher),
        )
        .await;
    assert_eq!(response.status(), 200);
    let document: Value = response.json().await.unwrap();
    let sections = document["fiscal_years"].as_array().unwrap();
    let years: Vec<&Value> = sections.iter().map(|s| &s["fiscal_year"]).collect();
    assert_eq!(years, [&json!(2018), &json!(2020)], "one section per wave's year");
    let training = |section: &Value| {
        section["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == "training_needed")
            .unwrap()["total"]["counts"]
            .clone()
    };
    assert_eq!(
        (
            training(&sections[0])["yes"].clone(),
            training(&sections[0])["no"].clone()
        ),
        (json!(5), json!(7))
    );
    assert_eq!(
        (
            training(&sections[1])["yes"].clone(),
            training(&sections[1])["no"].clone()
        ),
        (json!(9), json!(5))
    );
}

/// A city elsewhere names its time zone: a wave takes answers until the end of its last day
/// there, and staff's pages keep that day.
#[tokio::test]
async fn a_wave_closes_at_the_end_of_its_last_day_in_the_configured_time_zone() {
    let app = TestApp::spawn_with(
        std::sync::Arc::new(crate::common::TestDatabase::prepared()),
        &crate::common::shipped_forms_dir(),
        |config| config.time_zone = chrono_tz::Europe::London,
    )
    .await;
    let created = create_wave(
        &app,
        json!({"form": "agency_survey", "title": "関係機関実態調査", "fiscal_year": 2018,
               "opens_on": "2018-06-01", "closes_on": "2018-06-30"}),
    )
    .await;
    assert_eq!(created["closes_on"], "2018-06-30");
    let path = format!("/api/v1/events/{}", created["id"].as_str().unwrap());
    let event: Value = app.get(&path, Some(&app.analyst)).await.json().await.unwrap();
    // Midnight in London in summer (BST) is 23:00 UTC; in Japan it would be 15:00.
    let closes_at = chrono::DateTime::parse_from_rfc3339(event["closes_at"].as_str().unwrap()).unwrap();
    assert_eq!(closes_at.to_utc().to_rfc3339(), "2018-06-30T23:00:00+00:00");
}
