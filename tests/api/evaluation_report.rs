//! The evaluation report, built from three fiscal years entered through the API.

use crate::common::{error_of, TestApp};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

async fn three_years(app: &TestApp) {
    let plan = json!({"title": {"ja": "回復セミナーへの参加", "en": "Seminar attendance"}, "event_kinds": ["seminar"],
                      "assumed_population": 270, "targets": {"2018": 40, "2019": 50, "2020": 60}});
    assert_eq!(app.put_plan("seminar-attendance", &plan).await.status(), 201);
    let mut coded = 0;
    for (year, headcounts) in [(2018, [20, 25]), (2019, [30, 24]), (2020, [15, 10])] {
        for (i, headcount) in headcounts.into_iter().enumerate() {
            let event = app
                .create_event(json!({"kind": "seminar", "title": "回復セミナー", "held_on": format!("{year}-0{}-14", 6 + i), "headcount": headcount}))
                .await;
            let id = event["id"].as_str().unwrap();
            let publicity = json!({"channel": "sns", "sent_on": format!("{year}-05-20"), "cost": 0});
            assert_eq!(
                app.post_json(
                    &format!("/api/v1/events/{id}/publicity"),
                    Some(&app.analyst),
                    &publicity
                )
                .await
                .status(),
                201
            );
            for (relation, opinion) in [
                ("lived_experience", "マスクで声が聞き取りにくかった"),
                ("family", "ゲーム依存の話も聞きたい"),
            ] {
                let answers =
                    json!({"satisfaction": 4, "relation": relation, "heard_from": ["sns"], "opinion": opinion});
                let response: Value = app.submit(id, Uuid::new_v4(), answers).await.json().await.unwrap();
                let theme = if relation == "lived_experience" {
                    "audibility"
                } else {
                    "other_addictions"
                };
                let coding = json!({"codebook": "starter", "item": {"response": response["id"], "question": "opinion"},
                                    "themes": [theme], "quote": coded < 2});
                coded += 1;
                assert_eq!(
                    app.send_json(Method::PUT, "/api/v1/codings", Some(&app.analyst), &coding)
                        .await
                        .status(),
                    201
                );
            }
            let note = json!({"text": "家族への支援を求める声があった", "speaker_role": "staff"});
            let note: Value = app
                .post_json(&format!("/api/v1/events/{id}/notes"), Some(&app.analyst), &note)
                .await
                .json()
                .await
                .unwrap();
            let coding = json!({"codebook": "starter", "item": {"note": note["id"]}, "themes": ["family_support"]});
            assert_eq!(
                app.send_json(Method::PUT, "/api/v1/codings", Some(&app.analyst), &coding)
                    .await
                    .status(),
                201
            );
        }
    }
    let consideration = json!({"text": "講師に第一人者を招いた回は参加者が増えた。\n\n- 感染対策のため定員を減らした"});
    let put = app
        .send_json(
            Method::PUT,
            "/api/v1/indicator-plans/seminar-attendance/considerations/2020",
            Some(&app.analyst),
            &consideration,
        )
        .await;
    assert_eq!(put.status(), 201);
}

#[tokio::test]
async fn the_report_lays_out_indicators_publicity_respondents_themes_and_considerations() {
    let app = TestApp::spawn().await;
    three_years(&app).await;
    let response = app
        .get(
            "/api/v1/evaluation-report?from_fiscal_year=2018&to_fiscal_year=2020&format=md",
            Some(&app.analyst),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    let report = response.text().await.unwrap();
    // The whole report, reviewed once; the checks below say what matters in it.
    insta::assert_snapshot!("evaluation_report_h30_r2", report);
    assert!(report.starts_with("# 効果検証（H30年度〜R2年度）\n"), "{report}");
    assert!(report.contains("## 回復セミナーへの参加"));
    // Activity indicators: targets, actuals, events, per-event means; in words, per year.
    assert!(report.contains("| H30年度 | 40 | 45 | 2 | 22.5 | 112.5 |"), "{report}");
    assert!(report.contains("| R2年度 | 60 | 25 | 2 | 12.5 | 41.7 |"), "{report}");
    assert!(report.contains("H30年度：目標40人に対し実績45人（2回開催）。目標を達成した。"));
    assert!(report.contains("R2年度：目標60人に対し実績25人（2回開催）。目標は達成できなかった。"));
    // Outcome indicators as shares of the assumed population (45 / 270 = 16.7%).
    assert!(report.contains("| H30年度 | 14.8 | 16.7 |"), "{report}");
    // ア: the channel used and who came through it.
    assert!(report.contains("| SNS | 6 | 100.0% |"), "{report}");
    // イ: satisfaction and themes with the quotes staff chose; the seminar form asks no
    // attribute to tabulate by.
    assert!(
        report.contains("この催しの様式は性別・年代・職業をたずねていないため、属性別の集計はありません。"),
        "{report}"
    );
    assert!(
        report.contains("| 今日の会の満足度を教えてください（平均） | 4.00 | 4.00 | 4.00 | 4.00 |"),
        "{report}"
    );
    assert!(report.contains("| 聞き取りやすさ | 2 | 2 | 2 | 6 |"), "{report}");
    assert!(
        report.contains("| 家族への支援 | 2 | 2 | 2 | 6 |"),
        "meeting notes are counted too"
    );
    assert!(report.contains("- 「マスクで声が聞き取りにくかった」"));
    // ウ: staff's considerations as written; years without them say so.
    assert!(
        report
            .contains("#### R2年度\n\n講師に第一人者を招いた回は参加者が増えた。\n\n- 感染対策のため定員を減らした\n"),
        "{report}"
    );
    assert!(report.contains("#### H30年度\n\n（未記入）"));

    let html = app
        .get(
            "/api/v1/evaluation-report?from_fiscal_year=2018&to_fiscal_year=2020",
            Some(&app.analyst),
        )
        .await;
    assert!(html.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = html.text().await.unwrap();
    assert!(html.contains("size: A4") && html.contains("<h2>回復セミナーへの参加</h2>"));
    assert!(
        html.contains(
            "<p>講師に第一人者を招いた回は参加者が増えた。</p><ul><li>感染対策のため定員を減らした</li></ul>"
        ),
        "considerations as paragraphs and lists, no markup characters: {html}"
    );
}

#[tokio::test]
async fn the_report_and_considerations_refuse_what_they_cannot_do() {
    let app = TestApp::spawn().await;
    for query in [
        "from_fiscal_year=2020&to_fiscal_year=2018",
        "from_fiscal_year=H30&to_fiscal_year=2020",
        "to_fiscal_year=2020",
        "from_fiscal_year=2018&to_fiscal_year=2020&format=pdf",
    ] {
        let refused = app
            .get(&format!("/api/v1/evaluation-report?{query}"), Some(&app.analyst))
            .await;
        assert_eq!(refused.status(), 422, "{query}");
    }
    assert_eq!(
        app.get(
            "/api/v1/evaluation-report?from_fiscal_year=2018&to_fiscal_year=2018",
            Some(&app.researcher)
        )
        .await
        .status(),
        403
    );
    let empty = app
        .get(
            "/api/v1/evaluation-report?from_fiscal_year=2018&to_fiscal_year=2018&format=md",
            Some(&app.analyst),
        )
        .await;
    assert!(empty.text().await.unwrap().contains("指標の計画がまだありません。"));
    let text = json!({"text": "考察"});
    let no_plan = app
        .send_json(
            Method::PUT,
            "/api/v1/indicator-plans/nowhere/considerations/2019",
            Some(&app.analyst),
            &text,
        )
        .await;
    assert_eq!(no_plan.status(), 404);
    let plan = json!({"title": {"ja": "計画", "en": "Plan"}, "event_kinds": ["forum"], "assumed_population": 100, "targets": {"2019": 10}});
    assert_eq!(app.put_plan("forum", &plan).await.status(), 201);
    let path = "/api/v1/indicator-plans/forum/considerations/2019";
    assert_eq!(
        app.send_json(Method::PUT, path, Some(&app.analyst), &text)
            .await
            .status(),
        201
    );
    assert_eq!(
        app.send_json(Method::PUT, path, Some(&app.analyst), &json!({"text": "書き直し"}))
            .await
            .status(),
        200
    );
    let read: Value = app.get(path, Some(&app.analyst)).await.json().await.unwrap();
    assert_eq!(read["text"], "書き直し");
    let empty_text = app
        .send_json(Method::PUT, path, Some(&app.analyst), &json!({"text": ""}))
        .await;
    assert_eq!(error_of(empty_text).await.1.as_deref(), Some("text"));
    assert_eq!(
        app.get("/api/v1/indicator-plans/forum/considerations/2020", Some(&app.analyst))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_forums_respondents_are_tabulated_by_attribute_per_year() {
    let app = TestApp::spawn().await;
    let plan = json!({"title": {"ja": "フォーラムへの参加", "en": "Forum attendance"}, "event_kinds": ["forum"],
                      "assumed_population": 1000, "targets": {"2019": 100}});
    assert_eq!(app.put_plan("forum-attendance", &plan).await.status(), 201);
    let forum = app
        .create_event(json!({"kind": "forum", "title": "依存症フォーラム", "held_on": "2019-11-29", "headcount": 120}))
        .await;
    for gender in ["female", "male", "female"] {
        let answers = json!({"satisfaction": 5, "gender": gender});
        let submitted = app.submit(forum["id"].as_str().unwrap(), Uuid::new_v4(), answers).await;
        assert_eq!(submitted.status(), 201);
    }
    let report = app
        .get(
            "/api/v1/evaluation-report?from_fiscal_year=2019&to_fiscal_year=2019&format=md",
            Some(&app.analyst),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(report.contains("| 女性 | 2（66.7%） | 2（66.7%） |"), "{report}");
    assert!(!report.contains("属性別の集計はありません"), "{report}");
}
