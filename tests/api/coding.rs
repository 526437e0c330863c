//! From comments to findings: meeting notes, codebooks, coding and what the codings show.

use crate::common::{error_of, TestApp};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

#[tokio::test]
async fn meeting_notes_are_kept_changed_and_deleted_without_names() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let path = format!("/api/v1/events/{id}/notes");
    let note = json_of(
        app.post_json(
            &path,
            Some(&app.analyst),
            &json!({"text": "マスク越しで声が聞き取りにくかった", "speaker_role": "participant"}),
        )
        .await,
        201,
    )
    .await;
    let note_path = format!("{path}/{}", note["id"].as_str().unwrap());
    let changed = json_of(
        app.send_json(
            Method::PATCH,
            &note_path,
            Some(&app.analyst),
            &json!({"speaker_role": null}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (changed["speaker_role"].clone(), changed["text"].clone()),
        (Value::Null, note["text"].clone())
    );
    let listed = json_of(app.get(&path, Some(&app.analyst)).await, 200).await;
    assert_eq!(listed["notes"].as_array().unwrap().len(), 1);
    for (body, field) in [
        (json!({"text": "山田さんが話した", "name": "山田"}), "name"),
        (json!({"text": ""}), "text"),
        (json!({"text": "a", "speaker_role": "mayor"}), "speaker_role"),
    ] {
        let refused = app.post_json(&path, Some(&app.analyst), &body).await;
        assert_eq!(error_of(refused).await.1.as_deref(), Some(field), "{body}");
    }
    let unknown = format!("/api/v1/events/{}/notes", Uuid::new_v4());
    assert_eq!(
        app.post_json(&unknown, Some(&app.analyst), &json!({"text": "a"}))
            .await
            .status(),
        404
    );
    assert_eq!(app.get(&path, Some(&app.researcher)).await.status(), 403);
    assert_eq!(
        app.send_json(Method::DELETE, &note_path, Some(&app.analyst), &json!({}))
            .await
            .status(),
        204
    );
    assert_eq!(
        app.send_json(Method::DELETE, &note_path, Some(&app.analyst), &json!({}))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn notes_join_the_opinion_analyses_grouped_by_their_event() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    for text in [
        "ゲーム依存についても知りたい",
        "ゲームの話をもっと聞きたい",
        "ゲームと依存の関係",
    ] {
        let note = json!({"text": text, "speaker_role": "family"});
        assert_eq!(
            app.post_json(&format!("/api/v1/events/{id}/notes"), Some(&app.analyst), &note)
                .await
                .status(),
            201
        );
    }
    let answers = json!({"satisfaction": 4, "opinion": "ゲームのことも扱ってほしい"});
    assert_eq!(app.submit(id, Uuid::new_v4(), answers).await.status(), 201);
    let count = |result: &Value| result["total"]["comments"].as_u64().unwrap();
    let notes = json_of(
        app.get(
            "/api/v1/analysis/opinions?form=seminar&source=notes&by=fiscal_year",
            Some(&app.analyst),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(count(&notes), 3);
    let both = json_of(
        app.get(
            "/api/v1/analysis/opinions?form=seminar&source=both&include_text=true",
            Some(&app.analyst),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(count(&both), 4);
    assert_eq!(both["total"]["texts"].as_array().unwrap().len(), 4);
    let by_attribute = app
        .get(
            "/api/v1/analysis/opinions?form=seminar&source=notes&by=gender",
            Some(&app.analyst),
        )
        .await;
    assert_eq!(error_of(by_attribute).await.1.as_deref(), Some("by"));
    let bad = app
        .get(
            "/api/v1/analysis/opinions?form=seminar&source=minutes",
            Some(&app.analyst),
        )
        .await;
    assert_eq!(error_of(bad).await.1.as_deref(), Some("source"));
}

#[tokio::test]
async fn codebooks_are_versioned_and_the_starter_is_shipped() {
    let app = TestApp::spawn().await;
    let listed = json_of(app.get("/api/v1/codebooks", Some(&app.analyst)).await, 200).await;
    let starter = &listed["codebooks"][0];
    assert_eq!(
        (starter["slug"].clone(), starter["version"].clone()),
        (json!("starter"), json!(1))
    );
    assert_eq!(starter["themes"].as_array().unwrap().len(), 10);
    assert!(starter["description"].as_str().unwrap().contains("出発点"));

    let book = json!({"title": {"ja": "市のテーマ", "en": "City themes"}, "themes": [
        {"id": "audibility", "label": {"ja": "聞き取りやすさ", "en": "Audibility"}, "keywords": ["マスク"]},
    ]});
    let put = |body: Value| {
        let app = &app;
        async move {
            app.send_json(Method::PUT, "/api/v1/codebooks/city", Some(&app.analyst), &body)
                .await
        }
    };
    assert_eq!(json_of(put(book.clone()).await, 201).await["version"], 1);
    assert_eq!(
        json_of(put(book.clone()).await, 200).await["version"],
        1,
        "the same content is the same version"
    );
    let mut grown = book.clone();
    grown["themes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "stigma", "label": {"ja": "偏見", "en": "Stigma"}}));
    assert_eq!(json_of(put(grown).await, 201).await["version"], 2);
    let first = json_of(
        app.get("/api/v1/codebooks/city?version=1", Some(&app.analyst)).await,
        200,
    )
    .await;
    assert_eq!(first["themes"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.get("/api/v1/codebooks/nowhere", Some(&app.analyst)).await.status(),
        404
    );
    let bad_slug = app
        .send_json(
            Method::PUT,
            "/api/v1/codebooks/City%20Themes",
            Some(&app.analyst),
            &book,
        )
        .await;
    assert_eq!(error_of(bad_slug).await.1.as_deref(), Some("slug"));
    let refused =
        put(json!({"title": {"ja": "a", "en": "a"}, "themes": [{"id": "Bad Id", "label": {"ja": "a", "en": "a"}}]}))
            .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(app.get("/api/v1/codebooks", Some(&app.researcher)).await.status(), 403);
}

/// Ten comments, five from family members and five from the people themselves.
async fn commented(app: &TestApp) -> (String, Vec<String>) {
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap().to_owned();
    let mut responses = Vec::new();
    for (relation, opinion) in [
        ("family", "家族としての接し方を知りたい"),
        ("family", "家族会を紹介してほしい"),
        ("family", "親として何ができるか"),
        ("family", "マスクで聞き取りにくかった"),
        ("family", "家族の話が聞けてよかった"),
        ("lived_experience", "マスク越しで声が聞き取りにくい"),
        ("lived_experience", "ゲーム依存も扱ってほしい"),
        ("lived_experience", "マイクの音が小さかった"),
        ("lived_experience", "聞き取りにくい場面があった"),
        ("lived_experience", "また来たい"),
    ] {
        let answers = json!({"satisfaction": 4, "relation": relation, "opinion": opinion});
        let created = json_of(app.submit(&id, Uuid::new_v4(), answers).await, 201).await;
        responses.push(created["id"].as_str().unwrap().to_owned());
    }
    (id, responses)
}

async fn code(app: &TestApp, token: &str, response: &str, themes: &[&str], quote: bool) -> reqwest::Response {
    let body = json!({"codebook": "starter", "item": {"response": response, "question": "opinion"}, "themes": themes, "quote": quote});
    app.send_json(Method::PUT, "/api/v1/codings", Some(token), &body).await
}

#[tokio::test]
async fn comments_are_coded_one_by_one_with_suggestions_and_counted_by_theme() {
    let app = TestApp::spawn().await;
    let (_, responses) = commented(&app).await;
    // The first comment to code comes with the themes its keywords suggest.
    let next = json_of(
        app.get("/api/v1/codings/next?codebook=starter&form=seminar", Some(&app.analyst))
            .await,
        200,
    )
    .await;
    assert_eq!(next["item"]["response"], responses[0].as_str());
    assert_eq!(next["suggested"], json!(["family_support"]));
    let fourth = json_of(code(&app, &app.analyst, &responses[3], &[], false).await, 201).await;
    assert_eq!(fourth["codebook_version"], 1);
    for (i, response) in responses.iter().enumerate() {
        let themes: &[&str] = match i {
            0..=2 | 4 => &["family_support"],
            3 | 5 | 7 | 8 => &["audibility"],
            6 => &["other_addictions"],
            _ => &[],
        };
        let status = code(&app, &app.analyst, response, themes, i == 5).await.status();
        assert_eq!(
            status,
            if i == 3 { 200 } else { 201 },
            "coding again replaces the coder's own"
        );
    }
    let done = json_of(
        app.get("/api/v1/codings/next?codebook=starter&form=seminar", Some(&app.analyst))
            .await,
        200,
    )
    .await;
    assert_eq!(done["item"], Value::Null);
    // A second coder's first comment comes with the themes of the closest comments coded already.
    let second = json_of(
        app.get("/api/v1/codings/next?codebook=starter&form=seminar", Some(&app.admin))
            .await,
        200,
    )
    .await;
    assert_eq!(second["item"]["response"], responses[0].as_str());
    let similar: Vec<&str> = second["suggested_by_similar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(similar.contains(&"family_support"), "{second}");
    assert!(!similar.contains(&"audibility"), "{second}");

    let result = json_of(
        app.get(
            "/api/v1/analysis/themes?form=seminar&codebook=starter&by=relation",
            Some(&app.analyst),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(result["total"]["items"], 10);
    assert_eq!(result["total"]["counts"]["audibility"], 4);
    let family = result["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"][0]["value"] == "family")
        .unwrap();
    assert_eq!(
        (family["items"].clone(), family["counts"]["family_support"].clone()),
        (json!(5), json!(4))
    );
    assert_eq!(family["shares"]["family_support"], 80.0);
    assert_eq!(family["key"][0]["label"]["ja"], "ご家族");
    assert!(result["tests"]["family_support"]["p_value"].as_f64().unwrap() < 0.05);
    assert_eq!(
        result["quotes"]["audibility"],
        json!(["マスク越しで声が聞き取りにくい"])
    );

    for (body, field) in [
        (
            json!({"codebook": "starter", "item": {"response": responses[0], "question": "opinion"}, "themes": ["nonsense"]}),
            "themes",
        ),
        (
            json!({"codebook": "nowhere", "item": {"response": responses[0], "question": "opinion"}, "themes": []}),
            "codebook",
        ),
        (
            json!({"codebook": "starter", "item": {"response": responses[0], "question": "satisfaction"}, "themes": []}),
            "item",
        ),
        (
            json!({"codebook": "starter", "item": {"note": Uuid::new_v4()}, "themes": []}),
            "item",
        ),
        // A choice's value is text too, but not a comment.
        (
            json!({"codebook": "starter", "item": {"response": responses[0], "question": "relation"}, "themes": []}),
            "item",
        ),
    ] {
        let refused = app
            .send_json(Method::PUT, "/api/v1/codings", Some(&app.analyst), &body)
            .await;
        assert_eq!(error_of(refused).await.1.as_deref(), Some(field), "{body}");
    }
    assert_eq!(
        code(&app, &app.researcher, &responses[0], &[], false).await.status(),
        403
    );
    app.assert_parameters_refused("/api/v1/codings/next?codebook=starter", &app.analyst, &["form=nowhere"])
        .await;
    app.assert_parameters_refused(
        "/api/v1/codings/next?codebook=starter&form=seminar",
        &app.analyst,
        &["question=relation", "question=satisfaction"],
    )
    .await;
}

#[tokio::test]
async fn two_coders_agreement_is_measured_theme_by_theme() {
    let app = TestApp::spawn().await;
    let (_, responses) = commented(&app).await;
    for (i, response) in responses.iter().enumerate() {
        let mine: &[&str] = if i < 5 { &["family_support"] } else { &["audibility"] };
        // The second coder agrees on all but one item.
        let theirs: &[&str] = if i < 4 { &["family_support"] } else { &["audibility"] };
        assert_eq!(code(&app, &app.analyst, response, mine, false).await.status(), 201);
        assert_eq!(code(&app, &app.admin, response, theirs, false).await.status(), 201);
    }
    let agreement = json_of(
        app.get(
            "/api/v1/analysis/agreement?form=seminar&codebook=starter",
            Some(&app.analyst),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(agreement["items"], 10);
    let kappa = |theme: &str| {
        agreement["themes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["theme"] == theme)
            .unwrap()["kappa"]
            .as_f64()
    };
    // 9 of 10 agree; each coder says yes to half or to 4 in 10: kappa = (0.9 - 0.5) / 0.5 = 0.8.
    assert!((kappa("family_support").unwrap() - 0.8).abs() < 1e-12);
    assert_eq!(
        kappa("stigma"),
        None,
        "nobody used it: agreement by necessity says nothing"
    );
}

#[tokio::test]
async fn researchers_get_theme_counts_of_fully_coded_settled_partitions_frozen_and_protected() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(json!({"kind": "seminar", "title": "回復セミナー", "held_on": "2018-06-14"}))
        .await;
    let id = event["id"].as_str().unwrap();
    let mut responses = Vec::new();
    for i in 0..12 {
        let answers = json!({"satisfaction": 4, "opinion": format!("個別のコメント本文 {i}")});
        let created = json_of(app.submit(id, Uuid::new_v4(), answers).await, 201).await;
        responses.push(created["id"].as_str().unwrap().to_owned());
    }
    let small = app
        .create_event(json!({"kind": "forum", "title": "フォーラム", "held_on": "2019-11-23", "form": "seminar"}))
        .await;
    let small_id = small["id"].as_str().unwrap();
    for _ in 0..3 {
        let answers = json!({"satisfaction": 4, "opinion": "小さな回の意見"});
        let created = json_of(app.submit(small_id, Uuid::new_v4(), answers).await, 201).await;
        let response = created["id"].as_str().unwrap().to_owned();
        assert_eq!(
            code(&app, &app.analyst, &response, &["stigma"], false).await.status(),
            201
        );
    }
    let path = "/api/v1/analysis/themes?form=seminar&codebook=starter&by=fiscal_year";
    let released = || async { json_of(app.get(path, Some(&app.researcher)).await, 200).await };
    // Eleven of twelve coded: the year is not released yet.
    for response in &responses[..11] {
        let theme = if responses.iter().position(|r| r == response).unwrap() < 6 {
            "audibility"
        } else {
            "family_support"
        };
        assert_eq!(code(&app, &app.analyst, response, &[theme], true).await.status(), 201);
    }
    assert_eq!(released().await["groups"], json!([]));
    assert_eq!(
        code(&app, &app.analyst, &responses[11], &["family_support"], true)
            .await
            .status(),
        201
    );
    let first = released().await;
    let groups = first["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "the forum's three comments are too few to release");
    assert_eq!(groups[0]["key"]["fiscal_year"], "2018");
    assert_eq!(groups[0]["items"], 12);
    assert_eq!(
        (
            groups[0]["counts"]["audibility"].clone(),
            groups[0]["counts"]["family_support"].clone()
        ),
        (json!(6), json!(6))
    );
    let text = first.to_string();
    assert!(
        !text.contains("個別のコメント本文") && !text.contains("quotes"),
        "no text reaches researchers"
    );
    // Recoding later changes nothing researchers see: the partition was frozen.
    assert_eq!(
        code(&app, &app.analyst, &responses[0], &["stigma"], false)
            .await
            .status(),
        200
    );
    assert_eq!(released().await, first);
    // Staff see the live codings.
    let live = json_of(
        app.get(
            "/api/v1/analysis/themes?form=seminar&codebook=starter",
            Some(&app.analyst),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(live["total"]["counts"]["audibility"], 5);

    app.assert_parameters_refused(
        "/api/v1/analysis/themes?form=seminar&codebook=starter",
        &app.researcher,
        &[
            "by=satisfaction",
            "by=relation_to_person",
            "question=satisfaction",
            "by=event",
            &format!("event={id}"),
            "min_cell=1",
            "source=notes",
        ],
    )
    .await;
}

/// By a shared attribute, researchers get each group's coded comments and theme counts from the
/// same protected release as the aggregate: the same groups shown and withheld as its opinion
/// table by that attribute, a test per theme from the shown counts, and no count of 1 to 4.
#[tokio::test]
async fn researchers_get_theme_counts_by_attribute_protected_like_the_aggregate() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(json!({"kind": "forum", "title": "依存症フォーラム", "held_on": "2019-06-13"}))
        .await;
    let id = event["id"].as_str().unwrap();
    // Commenting: 40 women (24 on audibility, the rest on family support), 36 men (8 on
    // audibility), and 3 of another gender and 6 who did not give it, all on family support;
    // 8 more men did not comment. The last two groups are merged away as too small together.
    let people = [
        (Some("female"), 40, 24),
        (Some("male"), 36, 8),
        (Some("other"), 3, 0),
        (None, 6, 0),
    ];
    for (gender, size, audibility) in people {
        for i in 0..size {
            let answers = json!({"satisfaction": 4, "gender": gender, "opinion": format!("{gender:?}の意見 {i}")});
            let created = json_of(app.submit(id, Uuid::new_v4(), answers).await, 201).await;
            let theme = if i < audibility { "audibility" } else { "family_support" };
            let response = created["id"].as_str().unwrap();
            assert_eq!(code(&app, &app.analyst, response, &[theme], false).await.status(), 201);
        }
    }
    for _ in 0..8 {
        let answers = json!({"satisfaction": 3, "gender": "male"});
        assert_eq!(app.submit(id, Uuid::new_v4(), answers).await.status(), 201);
    }
    let themes = json_of(
        app.get(
            "/api/v1/analysis/themes?form=forum&codebook=starter&by=gender",
            Some(&app.researcher),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(themes["by"], "gender");
    let group = |gender: &str| theme_group(&themes, gender);
    let (women, men) = (group("female"), group("male"));
    assert_eq!(women["labels"]["gender"]["en"], "Female");
    assert_eq!(
        (women["items"].clone(), women["counts"]["audibility"].clone()),
        (json!(40), json!(24))
    );
    assert_eq!(women["shares"]["audibility"], 60.0);
    assert_eq!(
        (men["items"].clone(), men["counts"]["audibility"].clone()),
        (json!(36), json!(8))
    );
    for merged in ["other", ""] {
        assert_eq!(group(merged)["suppressed"], true, "{merged}: too few");
        assert_eq!(group(merged)["counts"], Value::Null);
    }
    assert_eq!(themes["total"]["items"], 85);
    assert!(
        themes["tests"]["audibility"]["p_value"].as_f64().unwrap() < 0.01,
        "{themes}"
    );
    // Every shown count is 0 or at least 5.
    for group in themes["groups"].as_array().unwrap().iter().chain([&themes["total"]]) {
        for count in group["counts"].as_object().into_iter().flat_map(|c| c.values()) {
            if let Some(count) = count.as_u64() {
                assert!(count == 0 || count >= 5, "{themes}");
            }
        }
    }
    // Groups shown and withheld as in the aggregate's opinion table by gender.
    let aggregate = json_of(
        app.get("/api/v1/exports/aggregate.json?form=forum", Some(&app.researcher))
            .await,
        200,
    )
    .await;
    let opinion = aggregate["opinions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "opinion")
        .unwrap();
    for group in opinion["by"]["gender"]["groups"].as_array().unwrap() {
        let gender = group["key"]["gender"].as_str().unwrap_or_default();
        assert_eq!(group["comments"], theme_group(&themes, gender)["items"], "{gender}");
    }
    app.assert_parameters_refused(
        "/api/v1/analysis/themes?form=forum&codebook=starter",
        &app.researcher,
        &["by=occupation_detail", "by=heard_from"],
    )
    .await;
}

/// The group of a themes table by gender for `gender` (`""`: not given); null if not listed.
fn theme_group(themes: &Value, gender: &str) -> Value {
    themes["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"]["gender"].as_str().unwrap_or_default() == gender)
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_codebooks_rules_code_what_no_person_has_and_tables_say_which_is_which() {
    let app = TestApp::spawn().await;
    let book = json!({"title": {"ja": "ルールの例", "en": "Rules"}, "themes": [
        {"id": "free_talk", "label": {"ja": "フリートーク", "en": "Free talk"}, "rule": "フリートーク | near(話-安心)"},
        {"id": "lecture", "label": {"ja": "講義", "en": "Lecture"}, "rule": "講師 & 資料 & !退屈"},
        {"id": "family", "label": {"ja": "家族", "en": "Family"}, "keywords": ["家族"]}]});
    json_of(
        app.send_json(Method::PUT, "/api/v1/codebooks/rules", Some(&app.analyst), &book)
            .await,
        201,
    )
    .await;
    let dictionary = json!({"forced": ["フリートーク"]});
    assert_eq!(
        app.send_json(Method::PUT, "/api/v1/text-dictionary", Some(&app.analyst), &dictionary)
            .await
            .status(),
        200
    );
    let event = app.seminar().await;
    let mut responses = Vec::new();
    for opinion in [
        "フリートークがよかった。",
        "話をして安心できた。",
        "講師の資料が分かりやすい。",
        "講師の資料は退屈だった。",
        "家族のことを相談したい。",
    ] {
        let answers = json!({"satisfaction": 4, "opinion": opinion});
        let created = json_of(
            app.submit(event["id"].as_str().unwrap(), Uuid::new_v4(), answers).await,
            201,
        )
        .await;
        responses.push(created["id"].as_str().unwrap().to_owned());
    }
    let by_hand = |response: &str, themes: &[&str]| json!({"codebook": "rules", "item": {"response": response, "question": "opinion"}, "themes": themes});
    // A person coded the family comment before the rules ran: the rules leave it alone.
    json_of(
        app.send_json(
            Method::PUT,
            "/api/v1/codings",
            Some(&app.analyst),
            &by_hand(&responses[4], &["family"]),
        )
        .await,
        201,
    )
    .await;
    let run_rules = || async {
        let body = json!({"codebook": "rules", "form": "seminar"});
        json_of(
            app.post_json("/api/v1/codings/apply-rules", Some(&app.admin), &body)
                .await,
            200,
        )
        .await
    };
    let run = run_rules().await;
    assert_eq!(
        run,
        json!({"coded": 4, "matched": 3, "themes": {"free_talk": 2, "lecture": 1}})
    );
    assert_eq!(run_rules().await, run, "running the rules again codes the same");
    let app = &app;
    let themes = |path: &'static str| async move { json_of(app.get(path, Some(&app.analyst)).await, 200).await };
    let table = themes("/api/v1/analysis/themes?form=seminar&codebook=rules").await;
    assert_eq!(table["coded_by"], json!({"rules": 4, "people": 1}));
    assert_eq!(table["total"]["counts"]["free_talk"], 2, "{table}");
    // A person corrects a rule's coding: theirs counts, and the next run keeps it.
    json_of(
        app.send_json(
            Method::PUT,
            "/api/v1/codings",
            Some(&app.analyst),
            &by_hand(&responses[3], &["lecture"]),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(run_rules().await["coded"], 3);
    let table = themes("/api/v1/analysis/themes?form=seminar&codebook=rules").await;
    assert_eq!(table["coded_by"], json!({"rules": 3, "people": 2}));
    assert_eq!(
        [&table["total"]["counts"]["lecture"], &table["coders"]],
        [&json!(2), &json!(1)]
    );
    // Rules are not a coder whose agreement with people is measured.
    let agreement = themes("/api/v1/analysis/agreement?form=seminar&codebook=rules").await;
    assert_eq!(agreement["items"], 0, "{agreement}");

    let broken = json!({"title": {"ja": "x", "en": "x"}, "themes": [
        {"id": "a", "label": {"ja": "a", "en": "a"}, "rule": "講師 &"}]});
    let refused = app
        .send_json(Method::PUT, "/api/v1/codebooks/broken", Some(&app.analyst), &broken)
        .await;
    let error = json_of(refused, 422).await["error"].clone();
    assert_eq!(error["field"], "themes");
    assert!(error["message"].as_str().unwrap().contains("rule:"), "{error}");
    let plain = json!({"title": {"ja": "x", "en": "x"}, "themes": [{"id": "a", "label": {"ja": "a", "en": "a"}}]});
    json_of(
        app.send_json(Method::PUT, "/api/v1/codebooks/plain", Some(&app.analyst), &plain)
            .await,
        201,
    )
    .await;
    let without_rules = json!({"codebook": "plain", "form": "seminar"});
    let refused = app
        .post_json("/api/v1/codings/apply-rules", Some(&app.analyst), &without_rules)
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(error_of(refused).await.1.as_deref(), Some("codebook"));
    let researcher = app
        .post_json("/api/v1/codings/apply-rules", Some(&app.researcher), &without_rules)
        .await;
    assert_eq!(researcher.status(), 403);
}
