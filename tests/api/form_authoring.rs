//! Forms that staff author: uploads as JSON or XLSForm workbooks, the workbook download and its
//! round trip, pyxform's reading of it, and skip logic applied to submissions.

use std::path::Path;
use std::process::Command;

use crate::common::{error_of, TestApp};
use reqwest::Response;
use rust_xlsxwriter::Workbook;
use serde_json::{json, Value};
use uuid::Uuid;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A workbook of `sheets`, each a list of rows of cells (the first row its header).
fn workbook(sheets: &[Sheet]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r as u32, c as u16, *cell).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

type Sheet = (&'static str, Vec<Vec<&'static str>>);

fn yes_no_choices() -> Sheet {
    (
        "choices",
        vec![
            vec!["list_name", "name", "label::日本語 (ja)", "label::English (en)"],
            vec!["yes_no", "yes", "はい", "Yes"],
            vec!["yes_no", "no", "いいえ", "No"],
        ],
    )
}

fn settings(slug: &'static str, title_ja: &'static str, title_en: &'static str) -> Sheet {
    (
        "settings",
        vec![
            vec!["form_id", "form_title", "form_title_en"],
            vec![slug, title_ja, title_en],
        ],
    )
}

const SURVEY_HEADER: [&str; 9] = [
    "type",
    "name",
    "label::日本語 (ja)",
    "label::English (en)",
    "required",
    "relevant",
    "constraint",
    "parameters",
    "appearance",
];

/// A checkup form: attendance, then a follow-up question only for those who came before, the
/// shared attribute block, and a comment.
fn checkup_sheets(slug: &str) -> Vec<Sheet> {
    let slug: &'static str = Box::leak(slug.to_owned().into_boxed_str());
    let mut sheets = vec![
        (
            "survey",
            vec![
                SURVEY_HEADER.to_vec(),
                vec!["note", "intro", "ご協力ください。", "Thank you for answering."],
                vec![
                    "select_one yes_no",
                    "came_before",
                    "以前に参加したことはありますか",
                    "Have you come before?",
                    "yes",
                ],
                vec![
                    "integer",
                    "times",
                    "何回目ですか",
                    "How many times?",
                    "yes",
                    "${came_before} = 'yes'",
                    ". >= 1 and . <= 99",
                ],
                vec![
                    "range",
                    "mood",
                    "今の気分",
                    "How do you feel?",
                    "",
                    "",
                    "",
                    "start=1 end=5 step=1",
                ],
                vec!["attributes", "", "", ""],
                vec![
                    "text",
                    "comment",
                    "ご意見",
                    "Comments",
                    "",
                    "${mood} <= 2 or selected(${came_before}, 'no')",
                ],
            ],
        ),
        yes_no_choices(),
        settings(slug, "参加者アンケート", "Attendee check-up"),
    ];
    // The range's end labels, which XLSForm has no column of its own for.
    for row in &mut sheets[0].1 {
        let extra: [&str; 6] = match row[0] {
            "type" => [
                "min_label::日本語 (ja)",
                "min_label::English (en)",
                "max_label::日本語 (ja)",
                "max_label::English (en)",
                "constraint_message::日本語 (ja)",
                "constraint_message::English (en)",
            ],
            "range" => ["つらい", "Low", "よい", "Good", "", ""],
            "integer" => [
                "",
                "",
                "",
                "",
                "1から99までの回数でお願いします",
                "A count from 1 to 99, please",
            ],
            _ => [""; 6],
        };
        row.resize(SURVEY_HEADER.len(), "");
        row.extend(extra);
    }
    sheets
}

fn checkup(slug: &str) -> Vec<u8> {
    workbook(&checkup_sheets(slug))
}

async fn upload(app: &TestApp, token: &str, bytes: Vec<u8>) -> Response {
    app.client
        .post(app.url("/api/v1/forms"))
        .bearer_auth(token)
        .header("content-type", XLSX)
        .body(bytes)
        .send()
        .await
        .unwrap()
}

/// Uploads `workbook` (the form `slug`) and creates an event that asks it.
async fn event_asking(app: &TestApp, workbook: Vec<u8>, slug: &str) -> Value {
    assert_eq!(upload(app, &app.admin, workbook).await.status(), 201);
    app.create_event(json!({"kind": "seminar", "title": "確認", "held_on": "2026-05-14", "form": slug}))
        .await
}

async fn download(app: &TestApp, path: &str) -> Vec<u8> {
    let response = app.get(path, None).await;
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(response.headers()["content-type"], XLSX);
    response.bytes().await.unwrap().to_vec()
}

/// The problems of a refused upload, as (location, message).
async fn problems(response: Response) -> Vec<(String, String)> {
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_form", "{body}");
    body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["field"].as_str().unwrap().to_owned(),
                p["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_workbook_becomes_a_version_and_an_identical_one_changes_nothing() {
    let app = TestApp::spawn().await;
    let stored = upload(&app, &app.analyst, checkup("checkup")).await;
    let body: Value = stored.json().await.unwrap();
    assert_eq!(body, json!({"slug": "checkup", "version": 1, "created": true}));

    let form: Value = app.get("/api/v1/forms/checkup", None).await.json().await.unwrap();
    let ids: Vec<&str> = form["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "came_before",
            "times",
            "mood",
            "gender",
            "age_band",
            "occupation",
            "relation",
            "comment"
        ]
    );
    assert_eq!(form["questions"][1]["relevant"], "${came_before} = 'yes'");
    assert_eq!(form["questions"][2]["min_label"]["en"], "Low");
    assert_eq!(
        form["questions"][1]["constraint_message"]["en"],
        "A count from 1 to 99, please"
    );
    assert_eq!(form["title"]["en"], "Attendee check-up");

    let again = upload(&app, &app.admin, checkup("checkup")).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["version"], 1);

    let versions: Value = app
        .get("/api/v1/forms/checkup/versions", Some(&app.admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(versions["versions"].as_array().unwrap().len(), 1);
    assert_eq!(
        versions["versions"][0]["created_by"], "analyst",
        "the uploading token's name"
    );
    assert_eq!(
        app.get("/api/v1/forms/checkup/versions", Some(&app.researcher))
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn only_staff_upload() {
    let app = TestApp::spawn().await;
    assert_eq!(upload(&app, &app.researcher, checkup("checkup")).await.status(), 403);
    let anonymous = app
        .client
        .post(app.url("/api/v1/forms"))
        .header("content-type", XLSX)
        .body(checkup("checkup"));
    assert_eq!(anonymous.send().await.unwrap().status(), 401);
    assert_eq!(app.get("/api/v1/forms/checkup", None).await.status(), 404);
}

#[tokio::test]
async fn every_problem_is_listed_at_its_cell_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let mut sheets = checkup_sheets("broken");
    let survey = &mut sheets[0].1;
    survey[2][0] = "select one yes_no";
    survey[3][5] = "${later} = 'x'";
    survey[4].truncate(SURVEY_HEADER.len());
    survey[4][8] = "likert";
    survey.push(vec!["begin_repeat", "visits", "訪問", "Visits"]);
    survey.push(vec!["integer", "age", "年齢", "Age"]);
    let found = problems(upload(&app, &app.admin, workbook(&sheets)).await).await;
    let at = |cell: &str| {
        found
            .iter()
            .find(|(location, _)| location == cell)
            .map(|(_, message)| message.clone())
            .unwrap_or_else(|| panic!("no problem at {cell}: {found:?}"))
    };
    assert!(at("survey!A3").contains("unknown type \"select one yes_no\""));
    assert!(at("survey!I1").contains("\"appearance\" is not supported"));
    assert!(at("survey!A8").contains("not supported yet"));
    assert!(
        at("survey!G9").contains(". >= 0 and . <= 120"),
        "an integer needs its range"
    );
    assert!(at("survey!J5").contains("min_label"), "a range needs its end labels");
    assert_eq!(app.get("/api/v1/forms/broken", None).await.status(), 404);

    // Once the reading problems are fixed, the form's own rules speak, at the question's row.
    let mut sheets = checkup_sheets("broken");
    sheets[0].1[2][3] = "";
    sheets[0].1[3][5] = "${later} = 'x'";
    let found = problems(upload(&app, &app.admin, workbook(&sheets)).await).await;
    let at = |cell: &str, says: &str| found.iter().any(|(at, message)| at == cell && message.contains(says));
    assert!(at("survey!C3", "label needs both"), "{found:?}");
    assert!(at("survey!F4", "${later}"), "{found:?}");
    let mut sheets = checkup_sheets("broken");
    sheets[0].1[3][6] = ". >= 50 and . <= 10";
    let found = problems(upload(&app, &app.admin, workbook(&sheets)).await).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "survey!G4", "the bounds are in the constraint column");
    // A form's purpose, in the settings, is said in both languages or not at all.
    let mut sheets = checkup_sheets("broken");
    let settings = &mut sheets.iter_mut().find(|(name, _)| *name == "settings").unwrap().1;
    settings[0].push("purpose");
    settings[1].push("意見の傾向を見るため");
    let found = problems(upload(&app, &app.admin, workbook(&sheets)).await).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "settings!D2", "{found:?}");
    assert!(found[0].1.contains("purpose"), "{found:?}");
    assert_eq!(app.get("/api/v1/forms/broken", None).await.status(), 404);
}

#[tokio::test]
async fn the_shared_attribute_block_cannot_be_redefined() {
    let app = TestApp::spawn().await;
    let mut sheets = checkup_sheets("retyped");
    sheets[0].1[5] = vec!["select_one genders", "gender", "性別", "Gender"];
    sheets[1].1.push(vec!["genders", "f", "女", "F"]);
    sheets[1].1.push(vec!["genders", "m", "男", "M"]);
    let found = problems(upload(&app, &app.admin, workbook(&sheets)).await).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "survey!B6");
    assert!(found[0].1.contains("shared attribute block"));

    let mut forum: Value = serde_json::from_str(include_str!("../../survey_forms/forum.json")).unwrap();
    forum["slug"] = json!("forum_retyped");
    let gender = forum["questions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|q| q["id"] == "gender");
    gender.unwrap()["options"].as_array_mut().unwrap().pop();
    let refused = app.post_json("/api/v1/forms", Some(&app.admin), &forum).await;
    let found = problems(refused).await;
    assert_eq!(found[0].0, "questions.gender");
}

#[tokio::test]
async fn a_json_form_uploads_too_and_lists_every_problem() {
    let app = TestApp::spawn().await;
    let mut form: Value = serde_json::from_str(include_str!("../../survey_forms/forum.json")).unwrap();
    form["slug"] = json!("forum_copy");
    let stored = app.post_json("/api/v1/forms", Some(&app.admin), &form).await;
    assert_eq!(stored.status(), 201);
    form["questions"][0]["min"] = json!(9);
    form["questions"][1]["relevant"] = json!("${nowhere} = 'x'");
    let found = problems(app.post_json("/api/v1/forms", Some(&app.admin), &form).await).await;
    let locations: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        locations,
        ["questions.satisfaction.max", "questions.understanding.relevant"]
    );
    // Longer than a workbook cell, or a rule longer than any form needs: refused, so that every
    // stored form downloads as a workbook and its phone page stays small.
    let mut long: Value = serde_json::from_str(include_str!("../../survey_forms/forum.json")).unwrap();
    long["slug"] = json!("forum_long");
    long["questions"][0]["label"]["en"] = json!("a".repeat(33_000));
    long["questions"][1]["relevant"] = json!(vec!["${satisfaction} = 1"; 60].join(" or "));
    let found = problems(app.post_json("/api/v1/forms", Some(&app.admin), &long).await).await;
    let locations: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        locations,
        ["questions.satisfaction.label", "questions.understanding.relevant"],
        "{found:?}"
    );
    assert!(found[0].1.contains("33000 characters"), "{found:?}");
    let unsupported = app
        .client
        .post(app.url("/api/v1/forms"))
        .bearer_auth(&app.admin)
        .header("content-type", "text/csv")
        .body("type,name")
        .send()
        .await
        .unwrap();
    assert_eq!(unsupported.status(), 415);
    let garbage = upload(&app, &app.admin, b"not a workbook".to_vec()).await;
    assert_eq!(problems(garbage).await[0].0, "workbook");
}

#[tokio::test]
async fn a_browser_upload_as_multipart_is_read() {
    let app = TestApp::spawn().await;
    let part = reqwest::multipart::Part::bytes(checkup("from_browser"))
        .file_name("checkup.xlsx")
        .mime_str(XLSX)
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("note", "ignored")
        .part("workbook", part);
    let response = app
        .client
        .post(app.url("/api/v1/forms"))
        .bearer_auth(&app.admin)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);

    let without_file = reqwest::multipart::Form::new().text("note", "no file chosen");
    let response = app
        .client
        .post(app.url("/api/v1/forms"))
        .bearer_auth(&app.admin)
        .multipart(without_file)
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(response).await.0, "bad_request");

    // One limit for the whole body, not per part: fifty text parts of 100 KB are 5 MB.
    let many_parts = (0..50).fold(reqwest::multipart::Form::new(), |form, i| {
        form.text(format!("note{i}"), "x".repeat(100_000))
    });
    let response = app
        .client
        .post(app.url("/api/v1/forms"))
        .bearer_auth(&app.admin)
        .multipart(many_parts)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn an_upload_larger_than_two_mebibytes_is_refused_unread() {
    let app = TestApp::spawn().await;
    let response = upload(&app, &app.admin, vec![b'x'; 2 * 1024 * 1024 + 1]).await;
    assert_eq!(response.status(), 413);
    assert_eq!(error_of(response).await.0, "payload_too_large");
}

#[tokio::test]
async fn every_form_survives_the_trip_through_its_workbook() {
    let app = TestApp::spawn().await;
    assert_eq!(upload(&app, &app.admin, checkup("checkup")).await.status(), 201);
    for slug in ["seminar", "forum", "study_session", "agency_survey", "checkup"] {
        let before: Value = app
            .get(&format!("/api/v1/forms/{slug}"), None)
            .await
            .json()
            .await
            .unwrap();
        let bytes = download(&app, &format!("/api/v1/forms/{slug}.xlsx")).await;
        let again = upload(&app, &app.admin, bytes).await;
        assert_eq!(again.status(), 200, "{slug}: the exported workbook is the same form");
        let after: Value = app
            .get(&format!("/api/v1/forms/{slug}"), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(before, after, "{slug}");
    }
    download(&app, "/api/v1/forms/seminar/versions/1.xlsx").await;
    assert_eq!(
        app.get("/api/v1/forms/seminar/versions/9.xlsx", None).await.status(),
        404
    );
    assert_eq!(app.get("/api/v1/forms/nothing.xlsx", None).await.status(), 404);
}

/// The reference implementation reads every exported workbook: pyxform, installed by
/// `scripts/setup-tests`, converts it to an XForm without error.
#[tokio::test]
async fn pyxform_converts_every_exported_workbook() {
    let converter = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/pyxform/bin/xls2xform");
    assert!(converter.exists(), "pyxform is not installed: run scripts/setup-tests");
    let app = TestApp::spawn().await;
    assert_eq!(upload(&app, &app.admin, checkup("checkup")).await.status(), 201);
    assert_eq!(upload(&app, &app.admin, grouped()).await.status(), 201);
    let dir = std::env::temp_dir().join(format!("xlsform-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let slugs = [
        "seminar",
        "forum",
        "study_session",
        "agency_survey",
        "checkup",
        "grouped",
    ];
    // Every download comes before any conversion: the converter blocks this test's
    // runtime, and a pooled connection the server closed meanwhile would fail the next request.
    for slug in slugs {
        let workbook = download(&app, &format!("/api/v1/forms/{slug}.xlsx")).await;
        std::fs::write(dir.join(format!("{slug}.xlsx")), workbook).unwrap();
    }
    for slug in slugs {
        let path = dir.join(format!("{slug}.xlsx"));
        let output = Command::new(&converter)
            .arg(&path)
            .arg(dir.join(format!("{slug}.xml")))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{slug}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let xform = std::fs::read_to_string(dir.join(format!("{slug}.xml"))).unwrap();
        assert!(xform.contains(&format!("id=\"{slug}\"")), "{slug}");
    }
    let checkup = std::fs::read_to_string(dir.join("checkup.xml")).unwrap();
    assert!(
        checkup.contains("relevant=\" /data/came_before  = 'yes'\""),
        "pyxform reads the rule"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_server_applies_skip_logic_to_submissions() {
    let app = TestApp::spawn().await;
    let event = event_asking(&app, checkup("checkup"), "checkup").await;
    let id = event["id"].as_str().unwrap();
    let submit = |answers: Value| app.submit(id, Uuid::new_v4(), answers);

    let not_applying = submit(json!({"came_before": "no", "times": 3})).await;
    assert_eq!(
        error_of(not_applying).await,
        ("not_relevant".into(), Some("times".into()))
    );
    let required_when_applying = submit(json!({"came_before": "yes"})).await;
    assert_eq!(
        error_of(required_when_applying).await,
        ("required".into(), Some("times".into()))
    );
    let comment_not_applying =
        submit(json!({"came_before": "yes", "times": 2, "mood": 5, "comment": "よかった"})).await;
    assert_eq!(error_of(comment_not_applying).await.1.as_deref(), Some("comment"));
    assert_eq!(app.stored_responses(id), 0, "refused answers write nothing");

    assert_eq!(
        submit(json!({"came_before": "no"})).await.status(),
        201,
        "a question that does not apply is not required"
    );
    assert_eq!(
        submit(json!({"came_before": "yes", "times": 2, "mood": 1, "comment": "つらい"}))
            .await
            .status(),
        201
    );
    assert_eq!(
        submit(json!({"came_before": "no", "comment": "初めて"})).await.status(),
        201
    );
    assert_eq!(app.stored_responses(id), 3);
}

#[tokio::test]
async fn without_script_the_phone_form_says_when_to_answer_and_the_server_keeps_the_answers() {
    let app = TestApp::spawn().await;
    let event = event_asking(&app, checkup("checkup"), "checkup").await;
    let code = event["code"].as_str().unwrap();
    let page = app.get(&format!("/s/{code}"), None).await.text().await.unwrap();
    assert!(
        page.contains("次の場合にお答えください：「以前に参加したことはありますか」が「はい」"),
        "{page}"
    );
    assert!(page.contains("data-relevant="));
    let english = app.get(&format!("/s/{code}?lang=en"), None).await.text().await.unwrap();
    assert!(english.contains("Answer only if “Have you come before?” is “Yes”"));

    let post = |came_before: &'static str, times: &'static str| {
        let submission_id = Uuid::new_v4().to_string();
        let app = &app;
        async move {
            app.post_form(
                code,
                &[
                    ("submission_id", &submission_id),
                    ("q.came_before", came_before),
                    ("q.times", times),
                ],
            )
            .await
        }
    };
    let refused = post("no", "4").await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("この質問にはお答えいただかなくて大丈夫です"),
        "the problem, at the question"
    );
    assert!(page.contains("value=\"4\""), "the answers are kept");

    let out_of_range = post("yes", "500").await;
    assert_eq!(out_of_range.status(), 422);
    assert!(
        out_of_range
            .text()
            .await
            .unwrap()
            .contains("1から99までの回数でお願いします"),
        "the form's own message"
    );
}

#[tokio::test]
async fn two_versions_are_compared_question_by_question() {
    let app = TestApp::spawn().await;
    let mut form: Value = serde_json::from_str(include_str!("../../survey_forms/forum.json")).unwrap();
    form["slug"] = json!("forum_diff");
    assert_eq!(
        app.post_json("/api/v1/forms", Some(&app.admin), &form).await.status(),
        201
    );
    form["questions"][2]["options"]
        .as_array_mut()
        .unwrap()
        .push(json!({"value": "gaming", "label": {"ja": "ゲーム依存", "en": "Gaming"}}));
    form["questions"][1]["relevant"] = json!("${satisfaction} >= 3");
    let removed = form["questions"].as_array_mut().unwrap().remove(5);
    assert_eq!(
        app.post_json("/api/v1/forms", Some(&app.admin), &form).await.status(),
        201
    );

    let diff: Value = app
        .get("/api/v1/forms/forum_diff/diff?from=1&to=2", None)
        .await
        .json()
        .await
        .unwrap();
    let changes = diff["changes"].as_array().unwrap();
    let kinds: Vec<&str> = changes.iter().map(|c| c["change"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["question_removed", "rule_changed", "option_added"], "{diff}");
    assert_eq!(changes[0]["question"], removed["id"]);
    assert_eq!(changes[1]["to"], "${satisfaction} >= 3");
    assert_eq!(changes[2]["value"], "gaming");
    let none: Value = app
        .get("/api/v1/forms/forum_diff/diff?from=2&to=2", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none["changes"], json!([]));

    // Sections and notes are named too.
    form["sections"] = json!([{"id": "first", "label": {"ja": "最初に", "en": "First"}}]);
    form["questions"][0]["section"] = json!("first");
    form["notes"] = json!([{"id": "thanks", "text": {"ja": "ありがとう", "en": "Thank you"}}]);
    assert_eq!(
        app.post_json("/api/v1/forms", Some(&app.admin), &form).await.status(),
        201
    );
    let diff: Value = app
        .get("/api/v1/forms/forum_diff/diff?from=2&to=3", None)
        .await
        .json()
        .await
        .unwrap();
    let named: Vec<(&str, &str)> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let whose = ["section", "question", "note"].iter().find_map(|k| c[k].as_str());
            (c["change"].as_str().unwrap(), whose.unwrap_or_default())
        })
        .collect();
    assert_eq!(
        named,
        [
            ("section_added", "first"),
            ("question_moved", "satisfaction"),
            ("note_added", "thanks")
        ],
        "{diff}"
    );

    assert_eq!(
        app.get("/api/v1/forms/forum_diff/diff?from=1&to=9", None)
            .await
            .status(),
        404
    );
    app.assert_parameters_refused("/api/v1/forms/forum_diff/diff?from=1", &app.admin, &["to=two", "to=0"])
        .await;
    app.assert_parameters_refused("/api/v1/forms/forum_diff/diff?from=1&to=2", &app.admin, &["extra=1"])
        .await;
}

/// A form with a group: the follow-up questions are asked only of those who came before.
fn grouped() -> Vec<u8> {
    workbook(&[
        (
            "survey",
            vec![
                SURVEY_HEADER[..6].to_vec(),
                vec!["note", "intro", "ご協力ください。", "Thank you for answering."],
                vec![
                    "select_one yes_no",
                    "came_before",
                    "以前に参加しましたか",
                    "Have you come before?",
                    "yes",
                ],
                vec![
                    "begin_group",
                    "returning",
                    "以前の参加について",
                    "About earlier visits",
                    "",
                    "${came_before} = 'yes'",
                ],
                vec!["select_one yes_no", "helped", "役に立ちましたか", "Did it help?", "yes"],
                vec![
                    "text",
                    "what_helped",
                    "何が役に立ちましたか",
                    "What helped?",
                    "",
                    "${helped} = 'yes'",
                ],
                vec!["end_group"],
                vec!["note", "almost", "あと少しです", "Nearly done"],
                vec!["text", "comment", "ご意見", "Comments"],
                vec!["note", "closing", "おつかれさまでした", "All done"],
            ],
        ),
        yes_no_choices(),
        settings("grouped", "グループ", "Grouped"),
    ])
}

#[tokio::test]
async fn a_group_becomes_a_section_asked_only_when_its_rule_holds() {
    let app = TestApp::spawn().await;
    assert_eq!(upload(&app, &app.admin, grouped()).await.status(), 201);
    let form: Value = app.get("/api/v1/forms/grouped", None).await.json().await.unwrap();
    assert_eq!(form["sections"][0]["id"], "returning");
    assert_eq!(form["sections"][0]["relevant"], "${came_before} = 'yes'");
    assert_eq!(form["questions"][1]["section"], "returning");
    assert_eq!(form["questions"][3].get("section"), None);
    assert_eq!(
        form["notes"],
        json!([
            {"id": "almost", "text": {"ja": "あと少しです", "en": "Nearly done"}, "before": "comment"},
            {"id": "closing", "text": {"ja": "おつかれさまでした", "en": "All done"}},
        ]),
        "notes between questions, and after the last"
    );

    let bytes = download(&app, "/api/v1/forms/grouped.xlsx").await;
    assert_eq!(
        upload(&app, &app.admin, bytes).await.status(),
        200,
        "the round trip keeps the group"
    );

    let event = app
        .create_event(json!({"kind": "seminar", "title": "確認", "held_on": "2026-05-14", "form": "grouped"}))
        .await;
    let id = event["id"].as_str().unwrap();
    let refused = app
        .submit(id, Uuid::new_v4(), json!({"came_before": "no", "helped": "yes"}))
        .await;
    assert_eq!(error_of(refused).await, ("not_relevant".into(), Some("helped".into())));
    let required = app.submit(id, Uuid::new_v4(), json!({"came_before": "yes"})).await;
    assert_eq!(error_of(required).await, ("required".into(), Some("helped".into())));
    assert_eq!(
        app.submit(id, Uuid::new_v4(), json!({"came_before": "no"}))
            .await
            .status(),
        201
    );
    let answered = json!({"came_before": "yes", "helped": "yes", "what_helped": "体験談"});
    assert_eq!(app.submit(id, Uuid::new_v4(), answered).await.status(), 201);

    let page = app
        .get(&format!("/s/{}", event["code"].as_str().unwrap()), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("以前の参加について"), "the section's heading");
    let (almost, comment, closing) = (
        page.find("あと少しです").unwrap(),
        page.find("ご意見").unwrap(),
        page.find("おつかれさまでした").unwrap(),
    );
    assert!(
        almost < comment && comment < closing,
        "each note where the workbook put it"
    );
    assert!(page.contains("次の場合にお答えください：「以前に参加しましたか」が「はい」"));

    let found = problems(upload(&app, &app.admin, grouped_rows_without_end()).await).await;
    assert!(
        found
            .iter()
            .any(|(cell, message)| cell == "survey!A4" && message.contains("no end_group")),
        "{found:?}"
    );
}

fn grouped_rows_without_end() -> Vec<u8> {
    workbook(&[
        (
            "survey",
            vec![
                vec!["type", "name", "label::日本語 (ja)", "label::English (en)"],
                vec!["note", "intro", "ご協力ください。", "Thank you."],
                vec!["text", "first", "最初", "First"],
                vec!["begin_group", "later", "後半", "Later"],
                vec!["text", "second", "次", "Second"],
            ],
        ),
        settings("unclosed", "未完", "Unclosed"),
    ])
}

/// A valid workbook with some of its parts replaced, zipped again as Excel does.
fn tampered(workbook: &[u8], replace: &dyn Fn(&str, String) -> Option<String>, extra: &[(String, String)]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(workbook)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        out.start_file(name.clone(), options).unwrap();
        out.write_all(replace(&name, text.clone()).unwrap_or(text).as_bytes())
            .unwrap();
    }
    for (name, text) in extra {
        out.start_file(name.clone(), options).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Workbooks that claim more than they hold (a cell at the sheet's far corner, a trillion shared
/// strings, a vast dimension), deep XML and hundreds of parts: each is refused with its reason
/// at the workbook, the service stays up and takes a good workbook after them.
#[tokio::test]
async fn crafted_workbooks_are_refused_and_the_service_stays_up() {
    let app = TestApp::spawn().await;
    let good = checkup("checkup");
    let in_survey = |edit: fn(String) -> String| {
        move |name: &str, text: String| (name == "xl/worksheets/sheet1.xml").then(|| edit(text))
    };
    let far_corner = in_survey(|xml| {
        xml.replace(
            "</sheetData>",
            r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>"#,
        )
    });
    let vast_dimension = in_survey(|xml| {
        let start = xml.find("<dimension ref=\"").unwrap() + 16;
        let end = start + xml[start..].find('"').unwrap();
        format!("{}A1:Z200000{}", &xml[..start], &xml[end..])
    });
    // Inside a cell's text, where a reader that recursed would meet it.
    let deep = in_survey(|xml| {
        xml.replace(
            "</sheetData>",
            &format!(
                r#"<row r="60"><c r="A60" t="inlineStr"><is>{}<t>x</t>{}</is></c></row></sheetData>"#,
                "<r>".repeat(50_000),
                "</r>".repeat(50_000)
            ),
        )
    });
    let huge_strings = |name: &str, text: String| {
        (name == "xl/sharedStrings.xml").then(|| {
            let start = text.find("<sst").unwrap();
            let end = start + text[start..].find('>').unwrap();
            format!(
                "{}<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1000000000000\" uniqueCount=\"1000000000000\"{}",
                &text[..start],
                &text[end..]
            )
        })
    };
    let untouched = |_: &str, _: String| None;
    let many_parts: Vec<(String, String)> = (0..300).map(|i| (format!("xl/extra/{i}.xml"), "<a/>".into())).collect();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("far corner", tampered(&good, &far_corner, &[]), "1048576"),
        ("vast dimension", tampered(&good, &vast_dimension, &[]), "Z200000"),
        ("trillion strings", tampered(&good, &huge_strings, &[]), "strings"),
        ("many parts", tampered(&good, &untouched, &many_parts), "parts"),
    ];
    for (case, bytes, reason) in cases {
        let response = upload(&app, &app.admin, bytes).await;
        let problems = problems(response).await;
        assert!(
            problems.iter().any(|(_, message)| message.contains(reason)),
            "{case}: {problems:?}"
        );
        assert_eq!(app.get("/healthz", None).await.status(), 200, "{case}");
    }
    // Deep but within every bound: read (the nesting is no text) or refused, never a crash.
    let status = upload(&app, &app.admin, tampered(&good, &deep, &[])).await.status();
    assert!(status == 201 || status == 422, "deep XML: {status}");
    assert_eq!(app.get("/healthz", None).await.status(), 200, "deep XML");
    assert!(upload(&app, &app.admin, good).await.status().is_success());
}
