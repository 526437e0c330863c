//! Real-browser checks: starts the service, then runs tests/browser/run.mjs (playwright-core
//! driving Debian's Chromium, axe-core for the accessibility audit). `scripts/setup-tests`
//! installs Chromium and the script's npm packages.

use std::path::Path;
use std::process::Command;

use crate::common::TestApp;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn the_phone_form_and_dashboard_work_in_a_real_browser() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(
            json!({"kind": "forum", "title": "依存症フォーラム", "venue": "保健センター", "held_on": "2026-05-14"}),
        )
        .await;
    let id = event["id"].as_str().unwrap();
    for (gender, satisfaction) in [("female", 5), ("male", 2)] {
        let answers = json!({"gender": gender, "satisfaction": satisfaction});
        assert_eq!(app.submit(id, Uuid::new_v4(), answers).await.status(), 201);
    }
    let later = app.seminar().await;
    app.put_seminar_attendance_plan().await;
    // A form with skip logic: the number of sessions is asked of those who would come again.
    let mut with_rule: serde_json::Value =
        serde_json::from_str(include_str!("../../survey_forms/seminar.json")).unwrap();
    with_rule["slug"] = json!("seminar_with_rule");
    with_rule["questions"][3]["relevant"] = json!("${would_return} = 'yes' or ${would_return} = 'maybe'");
    // And a section, the comment, asked unless the person would not come again.
    with_rule["sections"] =
        json!([{"id": "comments", "label": {"ja": "ご意見", "en": "Comments"}, "relevant": "${would_return} != 'no'"}]);
    with_rule["questions"][5]["section"] = json!("comments");
    assert_eq!(
        app.post_json("/api/v1/forms", Some(&app.admin), &with_rule)
            .await
            .status(),
        201
    );
    let ruled = app
        .create_event(
            json!({"kind": "seminar", "title": "回復セミナー", "held_on": "2026-05-28", "form": "seminar_with_rule"}),
        )
        .await;
    let ruled_code = ruled["code"].as_str().unwrap().to_owned();
    // A past session whose paper questionnaires staff key in and import: the filled template
    // stands for the one staff would fill in Excel.
    let past = app
        .create_event(json!({"kind": "forum", "title": "依存症フォーラム", "held_on": "2025-11-13", "closes_at": "2025-11-30T00:00:00Z"}))
        .await;
    let past_id = past["id"].as_str().unwrap().to_owned();
    let template = app
        .get(
            &format!("/api/v1/events/{past_id}/paper-responses/template.xlsx"),
            Some(&app.analyst),
        )
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let rows: Vec<Vec<(&str, &str)>> = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "20"]
        .into_iter()
        .map(|number| vec![("number", number), ("satisfaction", "4"), ("gender", "女性")])
        .collect();
    let paper_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&paper_dir).unwrap();
    let (paper_file, broken_file) = (paper_dir.join("paper.xlsx"), paper_dir.join("paper-broken.xlsx"));
    std::fs::write(&paper_file, crate::common::fill_paper_template(&template, &rows)).unwrap();
    let broken = crate::common::fill_paper_template(&template, &[vec![("number", "1"), ("satisfaction", "よい")]]);
    std::fs::write(&broken_file, broken).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script_dir = root.join("tests/browser");
    assert!(
        script_dir.join("node_modules/playwright-core").exists(),
        "run scripts/setup-tests first: it installs Chromium and the browser tests' npm packages"
    );
    let address = app.address.clone();
    let analyst = app.analyst.clone();
    let admin = app.admin.clone();
    let code = event["code"].as_str().unwrap().to_owned();
    let event_id = id.to_owned();
    let (later_code, later_id) = (
        later["code"].as_str().unwrap().to_owned(),
        later["id"].as_str().unwrap().to_owned(),
    );
    let screenshots = root.join("target/screenshots");
    // The script blocks; run it off the runtime that serves the app.
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(script_dir.join("run.mjs"))
            .current_dir(&script_dir)
            .env("BASE_URL", address)
            .env("EVENT_CODE", code)
            .env("EVENT_ID", event_id)
            .env("LATER_CODE", later_code)
            .env("LATER_ID", later_id)
            .env("RULED_CODE", ruled_code)
            .env("ANALYST_TOKEN", analyst)
            .env("ADMIN_TOKEN", admin)
            .env("SCREENSHOTS", screenshots)
            .env("PAST_ID", past["id"].as_str().unwrap())
            .env("PAPER_FILE", &paper_file)
            .env("PAPER_BROKEN_FILE", &broken_file)
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{report}");
    assert_eq!(
        app.stored_responses(id),
        4,
        "the offline and the busy sends were each stored exactly once\n{report}"
    );
    assert_eq!(
        app.stored_responses(later["id"].as_str().unwrap()),
        0,
        "nothing stored for the cancelled event"
    );
    assert_eq!(
        app.stored_responses(&past_id),
        13,
        "three keyed in and ten imported from the dashboard\n{report}"
    );
    for shot in ["phone-form.png", "poster.png", "breakdown.png", "walk-report.png"] {
        assert!(root.join("target/screenshots").join(shot).exists(), "{shot}");
    }
}
