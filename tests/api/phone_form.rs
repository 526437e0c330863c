use crate::common::TestApp;
use serde_json::{json, Value};
use uuid::Uuid;

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.get(path, None).await;
    let status = response.status().as_u16();
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    (status, response.text().await.unwrap())
}

fn hidden_submission_id(html: &str) -> String {
    let marker = r#"name="submission_id" value=""#;
    let start = html.find(marker).expect("hidden submission id") + marker.len();
    html[start..start + 36].to_owned()
}

#[tokio::test]
async fn the_form_shows_the_event_and_its_questions_in_japanese_and_english() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(
            json!({"kind": "seminar", "title": "回復セミナー", "venue": "保健センター", "held_on": "2026-05-14"}),
        )
        .await;
    let code = event["code"].as_str().unwrap();

    let (status, html) = page(&app, &format!("/s/{code}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="ja">"#));
    assert!(html.contains("回復セミナー"));
    assert!(html.contains("2026年5月14日（木）"));
    assert!(html.contains("保健センター"));
    // The seminar form asks the relation alone of the attributes (see its purpose).
    assert!(
        html.contains(r#"<span class="step">7 / 7</span>あなたの立場"#),
        "{html}"
    );
    assert!(!html.contains(r#"name="q.gender""#) && !html.contains(r#"name="q.occupation""#));
    assert!(html.contains(r#"name="viewport""#));
    // The event's questions first, the one required one marked; the attributes last, under a
    // heading that says why they are asked and that each may be skipped.
    let position = |text: &str| html.find(text).unwrap_or_else(|| panic!("{text}"));
    assert!(html.contains(r#"<span class="step">1 / 7</span>今日の会の満足度"#));
    assert!(position("今日の会の満足度") < position("あなたについて"));
    assert!(position("あなたについて") < position("あなたの立場"));
    assert!(html.contains("答えなくてかまいません"));
    assert_eq!(html.matches(r#"<span class="tag">必須</span>"#).count(), 1);
    assert!(!html.contains("任意"));
    assert!(html.contains(r#"id="q-sessions_attended""#));
    assert!(html.contains(r#"type="checkbox""#) && html.contains(r#"name="q.heard_from""#));
    assert!(html.contains("匿名"));

    // A forum asks the whole block: four genders in two columns; twelve occupations in the
    // phone's own picker; every question, numbers too, is a link target.
    let forum = app
        .create_event(json!({"kind": "forum", "title": "依存症フォーラム", "held_on": "2026-05-14"}))
        .await;
    let (_, forum_page) = page(&app, &format!("/s/{}", forum["code"].as_str().unwrap())).await;
    assert!(
        forum_page.contains(r#"<span class="step">6 / 9</span>性別"#),
        "{forum_page}"
    );
    assert!(forum_page.contains(r#"<div class="choices compact"><label class="choice" for="q-gender-0">"#));
    assert!(forum_page.contains(r#"<select id="q-occupation-input" name="q.occupation">"#));
    assert!(forum_page.contains(r#"<option value="">選んでください</option>"#));
    assert!(forum_page.contains(r#"id="q-occupation""#));

    let (_, english) = page(&app, &format!("/s/{code}?lang=en")).await;
    assert!(english.contains(r#"<html lang="en">"#));
    assert!(english.contains("Thursday 14 May 2026"));
    assert!(english.contains(r#"<span class="step">7 / 7</span>How are you involved?"#));
    assert!(english.contains("About you"));
}

#[tokio::test]
async fn the_english_form_shows_the_english_title_and_venue_staff_gave() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(json!({
            "kind": "forum", "title": "市民フォーラム", "title_en": "Citizens' forum on recovery",
            "venue": "市民会館", "venue_en": "City Hall", "held_on": "2026-10-01",
        }))
        .await;
    assert_eq!(
        (event["title_en"].clone(), event["venue_en"].clone()),
        (json!("Citizens' forum on recovery"), json!("City Hall"))
    );
    let code = event["code"].as_str().unwrap();
    let (_, english) = page(&app, &format!("/s/{code}?lang=en")).await;
    assert!(
        english.contains("<h1>Citizens&#39; forum on recovery</h1>")
            || english.contains("<h1>Citizens' forum on recovery</h1>")
    );
    assert!(english.contains("City Hall") && !english.contains("市民会館"));
    let (_, japanese) = page(&app, &format!("/s/{code}")).await;
    assert!(japanese.contains("<h1>市民フォーラム</h1>") && japanese.contains("市民会館"));

    // Cleared, the English form falls back to the Japanese title.
    app.patch_event(event["id"].as_str().unwrap(), json!({"title_en": null}))
        .await;
    let (_, english) = page(&app, &format!("/s/{code}?lang=en")).await;
    assert!(english.contains("<h1>市民フォーラム</h1>"));
}

#[tokio::test]
async fn sending_the_form_stores_one_response_and_thanks_the_person() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let code = event["code"].as_str().unwrap();
    let id = event["id"].as_str().unwrap();
    let (_, html) = page(&app, &format!("/s/{code}")).await;
    let submission_id = hidden_submission_id(&html);

    let fields = [
        ("submission_id", submission_id.as_str()),
        ("lang", "ja"),
        ("q.relation", "family"),
        ("q.heard_from", "sns"),
        ("q.heard_from", "agency_referral"),
        ("q.satisfaction", "5"),
        ("q.sessions_attended", "３"),
        ("q.opinion", "また来ます"),
    ];
    let response = app.post_form(code, &fields).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (status, thanks) = page(&app, &location).await;
    assert_eq!(status, 200);
    assert!(thanks.contains("ご回答ありがとうございました"));

    // A double tap or a resend of the same page is the same response.
    let again = app.post_form(code, &fields).await;
    assert_eq!(again.status(), 303);
    assert_eq!(app.stored_responses(id), 1);

    use diesel::prelude::*;
    use tsunagari::db::schema::responses;
    let answers: Value = responses::table
        .filter(responses::submission_id.eq(Uuid::parse_str(&submission_id).unwrap()))
        .select(responses::answers)
        .first(&mut app.database.connect())
        .unwrap();
    assert_eq!(
        answers,
        json!({"relation": "family", "heard_from": ["sns", "agency_referral"], "satisfaction": 5,
               "sessions_attended": 3, "opinion": "また来ます"})
    );
}

#[tokio::test]
async fn an_invalid_form_comes_back_with_answers_kept_and_problems_beside_questions() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let code = event["code"].as_str().unwrap();
    let submission_id = Uuid::new_v4().to_string();
    let typed = r#"<script>alert("x")</script> & 感想"#;

    let response = app
        .post_form(
            code,
            &[
                ("submission_id", &submission_id),
                ("lang", "ja"),
                ("q.relation", "lived_experience"),
                ("q.heard_from", "newspaper"),
                ("q.sessions_attended", "たくさん"),
                ("q.opinion", typed),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("入力内容をご確認ください"));
    // The required satisfaction scale and the unreadable number each get their message.
    assert!(html.contains(r#"id="q-satisfaction-error">この質問へのご回答をお願いします。"#));
    assert!(html.contains(r#"id="q-sessions_attended-error">半角数字で入力してください。"#));
    // Every link of the summary lands on its question, whatever its type.
    for target in ["q-satisfaction", "q-sessions_attended"] {
        assert!(html.contains(&format!(r##"<a href="#{target}">"##)), "{target}");
        assert!(html.contains(&format!(r#"id="{target}""#)), "{target}");
    }
    // What the person entered is still there, escaped.
    assert!(html.contains(r#"value="lived_experience" selected"#));
    assert!(html.contains(r#"value="newspaper" checked"#));
    assert!(html.contains(r#"value="たくさん""#));
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 感想"));
    assert!(!html.contains("<script>"));
    // The same submission id, so that fixing and resending is still one response.
    assert_eq!(hidden_submission_id(&html), submission_id);
    assert_eq!(app.stored_responses(event["id"].as_str().unwrap()), 0);
}

#[tokio::test]
async fn the_english_form_reports_problems_in_english() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let code = event["code"].as_str().unwrap();
    let response = app
        .post_form(code, &[("submission_id", &Uuid::new_v4().to_string()), ("lang", "en")])
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Please check your answers"));
    assert!(html.contains("Please answer this question."));
}

#[tokio::test]
async fn titles_typed_by_staff_are_escaped() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(json!({"kind": "forum", "title": "<img src=x onerror=alert(1)>", "held_on": "2026-10-01"}))
        .await;
    let (_, html) = page(&app, &format!("/s/{}", event["code"].as_str().unwrap())).await;
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains("<img"));
}

#[tokio::test]
async fn a_closed_event_gets_a_kind_page() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(json!({"kind": "forum", "title": "市民フォーラム", "held_on": "2025-11-01", "closes_at": "2025-11-08T00:00:00Z"}))
        .await;
    let code = event["code"].as_str().unwrap();
    let (status, html) = page(&app, &format!("/s/{code}")).await;
    assert_eq!(status, 410);
    assert!(html.contains("受付は終了しました"));
    assert!(html.contains("市民フォーラム"));

    let response = app.post_form(code, &[("q.satisfaction", "4")]).await;
    assert_eq!(response.status(), 410);
    assert_eq!(app.stored_responses(event["id"].as_str().unwrap()), 0);
}

#[tokio::test]
async fn an_unknown_code_gets_a_kind_page() {
    let app = TestApp::spawn().await;
    let (status, html) = page(&app, "/s/nosuchcode").await;
    assert_eq!(status, 404);
    assert!(html.contains("アンケートが見つかりません"));
    let (status, html) = page(&app, "/s/nosuchcode?lang=en").await;
    assert_eq!(status, 404);
    assert!(html.contains("Questionnaire not found"));
}

#[tokio::test]
async fn the_form_loads_its_offline_script_from_this_site_only() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let page = app.get(&format!("/s/{}", event["code"].as_str().unwrap()), None).await;
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<script src="/static/survey.js" defer>"#));
    assert!(html.contains(r#"data-survey=""#) && html.contains(r#"id="send-status""#));
    let script = app.get("/static/survey.js", None).await;
    assert_eq!(script.headers()["content-type"], "text/javascript; charset=utf-8");
    let source = script.text().await.unwrap();
    assert!(source.contains("localStorage") && source.contains("fetch("));
}

/// A query that fails (not a database out of reach) is a 500 page that keeps the answers on the
/// phone and says so, without `Retry-After`: the form's script would otherwise resend forever.
#[tokio::test]
async fn a_failing_query_is_not_a_503_to_retry() {
    use diesel::RunQueryDsl;
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let code = event["code"].as_str().unwrap();
    diesel::sql_query("ALTER TABLE responses RENAME COLUMN answers TO answers_renamed")
        .execute(&mut app.database.connect())
        .unwrap();
    let submission = Uuid::new_v4().to_string();
    let response = app
        .post_form(code, &[("submission_id", submission.as_str()), ("q.satisfaction", "4")])
        .await;
    assert_eq!(response.status(), 500);
    assert!(response.headers().get("retry-after").is_none());
    let page = response.text().await.unwrap();
    assert!(page.contains("この端末に残っています"), "{page}");
    assert!(include_str!("../../src/pages/survey.js").contains("response.status >= 500"));
}
