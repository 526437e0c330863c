//! Staff's text tools: the dictionary that keeps words whole, compound candidates, keywords in
//! context.

use crate::common::{error_of, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

const COMMENTS: [(&str, &str); 5] = [
    ("female", "フリートークの時間がよかった。"),
    ("female", "ポラ研の話とフリートークが心に残った。"),
    ("male", "フリートークでは話しやすかった。"),
    ("male", "市の支援を知った。"),
    ("female", "家族の会も知りたい。"),
];

async fn json_of(app: &TestApp, path: &str) -> Value {
    let response = app.get(path, Some(&app.analyst)).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

fn terms(opinions: &Value) -> Vec<String> {
    opinions["total"]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["term"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn accepted_compounds_and_forced_words_are_counted_whole_and_shown_in_context() {
    let app = TestApp::spawn().await;
    app.forum_with_opinions(&COMMENTS).await;
    let shipped = json_of(&app, "/api/v1/text-dictionary").await;
    assert_eq!(shipped["version"], 0);
    assert!(shipped["stop_words"].as_array().unwrap().contains(&json!("する")));
    let before = terms(&json_of(&app, "/api/v1/analysis/opinions?form=forum").await);
    assert!(
        before.contains(&"フリー".to_owned()) && !before.contains(&"フリートーク".to_owned()),
        "{before:?}"
    );

    let candidates = json_of(&app, "/api/v1/analysis/compounds?form=forum").await;
    let first = &candidates["candidates"][0];
    assert_eq!(
        [&first["word"], &first["parts"], &first["frequency"]],
        [&json!("フリートーク"), &json!(["フリー", "トーク"]), &json!(3)],
        "{candidates}"
    );

    let mut stop_words = shipped["stop_words"].as_array().unwrap().clone();
    stop_words.push(json!("市"));
    let dictionary = json!({"forced": ["ポラ研"], "compounds": ["フリートーク"], "stop_words": stop_words});
    let saved: Value = app
        .send_json(Method::PUT, "/api/v1/text-dictionary", Some(&app.analyst), &dictionary)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(saved["version"], 1);
    let after = terms(&json_of(&app, "/api/v1/analysis/opinions?form=forum").await);
    assert!(
        after.contains(&"フリートーク".to_owned()),
        "re-segmented with the dictionary: {after:?}"
    );
    for gone in ["フリー", "トーク", "市"] {
        assert!(!after.contains(&gone.to_owned()), "{gone} in {after:?}");
    }
    let candidates = json_of(&app, "/api/v1/analysis/compounds?form=forum").await;
    assert!(
        !candidates["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["word"] == "フリートーク"),
        "accepted words are not proposed again"
    );

    let kwic = json_of(&app, "/api/v1/analysis/kwic?form=forum&term=フリートーク&by=gender").await;
    assert_eq!([&kwic["comments"], &kwic["comments_read"]], [&json!(3), &json!(5)]);
    let groups = kwic["groups"].as_array().unwrap();
    assert_eq!(groups[0]["value"], "female", "in the attribute's order: {kwic}");
    assert_eq!(groups[0]["label"]["ja"], "女性");
    assert_eq!(
        groups[0]["lines"][1],
        json!({"left": "ポラ研の話と", "keyword": "フリートーク", "right": "が心に残った。"})
    );
    assert_eq!(groups[1]["lines"][0]["right"], "では話しやすかった。");
    // Reading comments in context is a read of comments in full: audited, the term not kept.
    let log: Value = app
        .get("/api/v1/audit-log?action=kwic", Some(&app.admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["entries"][0]["action"], "GET /api/v1/analysis/kwic", "{log}");
    assert!(!log.to_string().contains("フリートーク"), "{log}");
}

#[tokio::test]
async fn the_text_tools_are_staffs_and_refuse_what_they_cannot_read() {
    let app = TestApp::spawn().await;
    for path in [
        "/api/v1/text-dictionary",
        "/api/v1/analysis/compounds?form=forum",
        "/api/v1/analysis/kwic?form=forum&term=話",
    ] {
        assert_eq!(app.get(path, Some(&app.researcher)).await.status(), 403, "{path}");
        assert_eq!(app.get(path, None).await.status(), 401, "{path}");
    }
    let refused = app
        .send_json(
            Method::PUT,
            "/api/v1/text-dictionary",
            Some(&app.analyst),
            &json!({"forced": ["二つ の語"]}),
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(error_of(refused).await.1.as_deref(), Some("forced"));
    assert_eq!(
        json_of(&app, "/api/v1/text-dictionary").await["version"],
        0,
        "nothing written"
    );
    for (query, field) in [
        ("form=forum", "term"),
        ("form=forum&term=話&question=satisfaction", "question"),
        ("form=nothing&term=話", "form"),
    ] {
        let response = app
            .get(&format!("/api/v1/analysis/kwic?{query}"), Some(&app.analyst))
            .await;
        assert_eq!(response.status(), 422, "{query}");
        assert_eq!(error_of(response).await.1.as_deref(), Some(field), "{query}");
    }
}

#[tokio::test]
async fn terms_are_mapped_as_a_network_and_against_an_attribute() {
    let app = TestApp::spawn().await;
    app.forum_with_opinions(&[
        ("female", "フリートークで安心して話せた。"),
        ("female", "フリートークで話せた。"),
        ("female", "フリートークは安心だった。"),
        ("male", "講師の資料と説明がよかった。"),
        ("male", "講師の資料が分かりやすい。"),
        ("male", "講師の説明と資料が丁寧だった。"),
    ])
    .await;
    let dictionary = json!({"forced": ["フリートーク"]});
    let put = app
        .send_json(Method::PUT, "/api/v1/text-dictionary", Some(&app.analyst), &dictionary)
        .await;
    assert_eq!(put.status(), 200);
    let network = json_of(&app, "/api/v1/analysis/cooccurrence?form=forum&min_comments=2&top=10").await;
    let edge = network["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source"] == "講師" && e["target"] == "資料")
        .unwrap_or_else(|| panic!("{network}"));
    assert_eq!([&edge["jaccard"], &edge["comments"]], [&json!(1.0), &json!(3)]);
    let communities = network["communities"].as_array().unwrap();
    let together = |a: &str, b: &str| {
        communities
            .iter()
            .any(|c| c.as_array().unwrap().contains(&json!(a)) && c.as_array().unwrap().contains(&json!(b)))
    };
    assert!(
        together("フリートーク", "安心") && together("講師", "資料") && !together("フリートーク", "講師"),
        "{network}"
    );
    assert_eq!(
        network,
        json_of(&app, "/api/v1/analysis/cooccurrence?form=forum&min_comments=2&top=10").await,
        "the same comments draw the same network"
    );

    // With the attribute's values as nodes (KH Coder's 外部変数): which group uses which words.
    let groups = json_of(
        &app,
        "/api/v1/analysis/cooccurrence?form=forum&by=gender&joins=groups&min_comments=2",
    )
    .await;
    let edge = |term: &str, group: &str| {
        groups["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["source"] == term && e["target"] == group)
            .map(|e| e["jaccard"].clone())
    };
    assert_eq!(edge("フリートーク", "性別：女性"), Some(json!(1.0)), "{groups}");
    assert_eq!(edge("講師", "性別：女性"), None, "no woman wrote of the lecturer");
    assert!(groups["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["term"] == "性別：男性" && n["group"] == true));
    let map = json_of(
        &app,
        "/api/v1/analysis/correspondence?form=forum&by=gender&min_comments=2",
    )
    .await;
    assert_eq!(map["by"], "gender");
    let groups: Vec<&Value> = map["table"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| &g["value"])
        .collect();
    assert_eq!(groups, [&json!("female"), &json!("male")]);
    let terms = map["table"]["rows"].as_array().unwrap();
    let row = |term: &str| terms.iter().position(|t| t == term).unwrap();
    assert_eq!(map["table"]["counts"][row("フリートーク")], json!([3, 0]));
    // Women's words lie on women's side of the first dimension.
    let x = |point: &Value| point["coordinates"][0].as_f64().unwrap();
    let (women, men) = (x(&map["columns"][0]), x(&map["columns"][1]));
    assert_eq!(map["columns"][0]["label"]["ja"], "女性");
    assert!(x(&map["rows"][row("フリートーク")]) * women > 0.0 && x(&map["rows"][row("講師")]) * men > 0.0);
    assert_eq!(map["rows"][row("講師")]["term"], "講師");
    assert!(
        (map["dimensions"][0]["inertia_share"].as_f64().unwrap() - 1.0).abs() < 1e-9,
        "two groups: one dimension: {map}"
    );

    for (query, field) in [
        ("/api/v1/analysis/correspondence?form=forum", "by"),
        ("/api/v1/analysis/cooccurrence?form=forum&top=301", "top"),
        (
            "/api/v1/analysis/cooccurrence?form=forum&min_comments=0",
            "min_comments",
        ),
        ("/api/v1/analysis/cooccurrence?form=forum&joins=groups", "by"),
        ("/api/v1/analysis/cooccurrence?form=forum&joins=words", "joins"),
    ] {
        let response = app.get(query, Some(&app.analyst)).await;
        assert_eq!(response.status(), 422, "{query}");
        assert_eq!(error_of(response).await.1.as_deref(), Some(field), "{query}");
    }
    assert_eq!(
        app.get("/api/v1/analysis/cooccurrence?form=forum", Some(&app.researcher))
            .await
            .status(),
        403
    );
}
