//! The programme's results report (成果報告書), built from three fiscal years entered through the
//! API, and the programme profile it opens with.

use crate::common::{error_of, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

const HOSTILE: &str = "<script>alert(1)</script>\r![x](http://evil/) | a";

async fn put_json(app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    app.send_json(Method::PUT, path, Some(&app.analyst), body).await
}

async fn note(app: &TestApp, event: &Value, text: &str, role: &str) {
    let body = json!({"text": text, "speaker_role": role});
    let path = format!("/api/v1/events/{}/notes", event["id"].as_str().unwrap());
    assert_eq!(app.post_json(&path, Some(&app.analyst), &body).await.status(), 201);
}

/// Three plans over FY2018-FY2020: seminars in a series on the 2nd and 4th Thursday with one
/// session cancelled, a forum a year (the last cancelled), study sessions and supervision; an
/// expert's notes, considerations, two agency-survey waves and the profile.
async fn three_years(app: &TestApp) {
    let profile = json!({"organisation": "つながり市", "name": "薬物依存症者の地域支援事業",
        "purpose": "回復を地域で支える。", "implementing_body": "つながり市精神保健福祉センター",
        "deliverables": ["啓発リーフレット", "| 表 |"], "other_outcomes": "関係機関の連絡会が定着した。",
        "advice_for_others": HOSTILE});
    assert_eq!(put_json(app, "/api/v1/programme", &profile).await.status(), 200);
    for (slug, title, kinds, population, target) in [
        (
            "seminars",
            "回復セミナーへの参加",
            json!(["seminar"]),
            300,
            [10, 10, 40],
        ),
        ("forums", "フォーラムへの参加", json!(["forum"]), 1000, [100, 100, 100]),
        (
            "training",
            "支援者の研修",
            json!(["study_session", "supervision"]),
            200,
            [20, 20, 20],
        ),
    ] {
        let plan = json!({"title": {"ja": title, "en": slug}, "event_kinds": kinds, "assumed_population": population,
            "targets": {"2018": target[0], "2019": target[1], "2020": target[2]},
            "description": format!("{title}の取組。"), "indicator_reason": format!("{title}は回復の支えになるため。"),
            "method": {"publicity": "広報の記録を集計する。", "questionnaires": "属性別に集計する。"}});
        assert_eq!(app.put_plan(slug, &plan).await.status(), 201);
    }
    let series = json!({"kind": "seminar", "title": "回復セミナー", "rrule": "FREQ=MONTHLY;BYDAY=2TH,4TH",
                        "starts_on": "2020-01-01", "ends_on": "2020-03-31"});
    let created: Value = app
        .post_json("/api/v1/event-series", Some(&app.analyst), &series)
        .await
        .json()
        .await
        .unwrap();
    let sessions = created["events"].as_array().unwrap();
    assert_eq!(sessions.len(), 6);
    for (session, headcount) in sessions.iter().zip([5, 4, 6, 0, 3, 5]) {
        let id = session["id"].as_str().unwrap();
        if session["held_on"] == "2020-02-27" {
            app.patch_event(
                id,
                json!({"cancelled": true, "cancellation_reason": "新型コロナウイルスの影響"}),
            )
            .await;
        } else {
            app.patch_event(id, json!({"headcount": headcount})).await;
        }
    }
    for (held_on, theme, headcount) in [
        ("2018-11-29", "依存症と家族", 120),
        ("2019-06-06", "回復を支える地域", 110),
        ("2020-11-26", "つながる支援", 0),
    ] {
        let forum = app
            .create_event(json!({"kind": "forum", "title": "依存症フォーラム", "held_on": held_on,
                                 "venue": "市民会館", "theme": theme, "headcount": headcount}))
            .await;
        if held_on == "2020-11-26" {
            app.patch_event(
                forum["id"].as_str().unwrap(),
                json!({"cancelled": true, "cancellation_reason": "緊急事態宣言のため"}),
            )
            .await;
        }
    }
    for (kind, title, held_on, headcount) in [
        ("study_session", "物質使用障害学習会", "2018-07-10", 25),
        ("supervision", "スーパービジョン", "2019-09-12", 12),
        ("study_session", "物質使用障害学習会", "2020-10-15", 30),
    ] {
        let event = app
            .create_event(
                json!({"kind": kind, "title": title, "held_on": held_on, "venue": "保健所",
                                 "theme": "支援の実際", "headcount": headcount}),
            )
            .await;
        if kind == "supervision" {
            note(app, &event, "家族支援の窓口を明示するとよい", "expert").await;
            note(app, &event, "職員の感想", "staff").await;
        }
    }
    for (year, text) in [
        (2019, "参加者は少なかった。\n\n- 周知が遅れた\n- 会場が遠い".to_owned()),
        (2020, format!("1. オンライン開催を検討する\n2. {HOSTILE}")),
    ] {
        let path = format!("/api/v1/indicator-plans/seminars/considerations/{year}");
        assert_eq!(put_json(app, &path, &json!({"text": text})).await.status(), 201);
    }
    for year in [2018, 2020] {
        let wave = json!({"form": "agency_survey", "title": format!("関係機関実態調査 {year}"), "fiscal_year": year,
                          "opens_on": format!("{year}-06-01"), "closes_on": format!("{year}-06-30")});
        let response = app.post_json("/api/v1/survey-waves", Some(&app.analyst), &wave).await;
        assert_eq!(response.status(), 201);
        // Agencies answered on paper: probation offices came in between the waves.
        let path = format!(
            "/api/v1/events/{}/paper-responses",
            response.json::<Value>().await.unwrap()["id"].as_str().unwrap()
        );
        let (medical, probation) = if year == 2018 { (12, 3) } else { (3, 12) };
        for kind in std::iter::repeat_n("medical", medical).chain(std::iter::repeat_n("probation", probation)) {
            let sheet = json!({"submission_id": uuid::Uuid::new_v4(), "answers": {"agency_kind": kind}});
            assert_eq!(app.post_json(&path, Some(&app.analyst), &sheet).await.status(), 201);
        }
    }
}

async fn report(app: &TestApp, format: &str) -> reqwest::Response {
    let response = app
        .get(
            &format!("/api/v1/programme-report?from_fiscal_year=2018&to_fiscal_year=2020&format={format}"),
            Some(&app.analyst),
        )
        .await;
    assert_eq!(response.status(), 200, "{format}");
    response
}

#[tokio::test]
async fn the_report_has_the_filed_reports_sections_from_the_data() {
    let app = TestApp::spawn().await;
    three_years(&app).await;
    let markdown = report(&app, "md").await.text().await.unwrap();
    // The whole report as filed, reviewed once; the checks below say what matters in it.
    insta::assert_snapshot!("programme_report_h30_r2", markdown);
    assert!(
        markdown.starts_with("# 薬物依存症者の地域支援事業成果報告書（H30年度〜R2年度）\n"),
        "{markdown}"
    );
    let sections = [
        "## 1 事業実施団体名\n\nつながり市\n\n実施主体：つながり市精神保健福祉センター\n",
        "## 2 事業名称\n\n薬物依存症者の地域支援事業\n",
        "## 3 事業の目的\n\n回復を地域で支える。\n",
        "## 4 事業実施の背景\n\n（未記入）\n",
        "## 5 取組実績\n",
        "## 6 成果\n",
        "## 7 効果検証実施結果\n",
        "## 8 他の地方公共団体が事業を実施する上での参考事項\n",
    ];
    let at: Vec<usize> = sections
        .iter()
        .map(|s| markdown.find(s).unwrap_or_else(|| panic!("{s} in {markdown}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "in the filed report's order");

    // 取組実績: the series as the report words it, the cancelled session with its reason, each
    // single event on a line of its own under its kind, then the indicator with years as columns.
    for line in [
        "### 取組内容①　回復セミナーへの参加\n\n回復セミナーへの参加の取組。\n\n【開催状況】\n",
        "回復セミナー：毎月2回（第2・第4木曜日）、R2.1.9〜R2.3.26に5回開催。\n",
        "令和2年2月2回目は新型コロナウイルスの影響で中止。\n",
        "\\[フォーラム\\]\n\nH30.11.29 依存症フォーラム（会場：市民会館、テーマ：依存症と家族、参加者120人）\n\nR1.6.6 依存症フォーラム（会場：市民会館、テーマ：回復を支える地域、参加者110人）\n\nR2.11.26 依存症フォーラムは緊急事態宣言のため中止。\n",
        "\\[研修会\\]\n\nH30.7.10 物質使用障害学習会（会場：保健所、テーマ：支援の実際、参加者25人）\n",
        "\\[スーパービジョン\\]\n\nR1.9.12 スーパービジョン（会場：保健所、テーマ：支援の実際、参加者12人）\n",
        "| 区分 | 単位 | H30年度 | R1年度 | R2年度 | 特記事項 |\n| --- | --- | --- | --- | --- | --- |\n| 目標 | 延べ人数 | 10 | 10 | 40 |  |\n| 実績 | 延べ人数 | 0 | 23 | 0 | 計5回開催し、平均参加者数4.6人 |\n",
        "| 実績 | 延べ人数 | 25 | 12 | 30 | 計3回開催し、平均参加者数22.3人 |\n",
        // 成果: the outcome indicator the same way round, and why it was chosen.
        "| 目標 | % | 3.3 | 3.3 | 13.3 | 想定対象者300人に対する割合 |\n| 実績 | % | 0.0 | 7.7 | 0.0 |  |\n\n成果指標設定理由：\n\n回復セミナーへの参加は回復の支えになるため。\n",
        "### (2) 成果指標以外の成果\n\n関係機関の連絡会が定着した。\n\n研修会：2回開催、延べ55人が参加。\n\nスーパービジョン：1回開催、延べ12人が参加。\n\n関係機関実態調査 2018（H30.6.1から実施）：回答15件。\n",
        // The waves compared question by question: what agencies answered differently.
        "地域の関係機関における薬物問題への対応に関する実態調査：2回の調査を比べ、検定できた1問のうち1問で回答の分布が変わった（有意水準5%）。\n\n(1) 貴機関の種別（カイ二乗検定: χ² = 10.80, 自由度 1, p = 0.001）\n",
        "### (3) 最終成果物\n\n(1) 啓発リーフレット  \n(2) \\| 表 \\|\n",
        // 効果検証: the method per goal, the expert's advice per meeting (staff's notes are not).
        "#### 設定目標①　回復セミナーへの参加\n\n活動指標：回復セミナーへの参加の参加者数（延べ人数）\n",
        "ア 周知・広報：\n\n広報の記録を集計する。\n",
        "ウ 参加を増やす要因・妨げる要因：\n\n（未記入）\n",
        "#### 学識経験者からの意見聴取\n\nR1.9.12 スーパービジョン\n\n- 「家族支援の窓口を明示するとよい」\n",
        // One verdict per goal over the period, then the considerations numbered.
        "平成30年度から令和2年度までの目標60人に対し、実績は23人（達成率38.3%）。目標は達成できなかったが、改善点等について次のとおり検討を行った。\n\n(1) 参加者は少なかった。  \n(2) 周知が遅れた  \n(3) 会場が遠い  \n(4) オンライン開催を検討する  \n(5) \\<script\\>",
        "平成30年度から令和2年度までの目標60人に対し、実績は67人（達成率111.7%）。目標を達成した。\n\n考察は未記入です。\n",
    ] {
        assert!(markdown.contains(line), "{line}\nin\n{markdown}");
    }
    assert!(!markdown.contains("職員の感想"), "only experts' notes are advice");
    assert!(!markdown.contains("R1年度：目標"), "no verdict per year");
    for raw in ["<script>", "![x]", "\r"] {
        assert!(!markdown.contains(raw), "{raw:?} stays text in Markdown");
    }

    let html = report(&app, "html").await;
    assert!(html.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = html.text().await.unwrap();
    assert!(html.contains("size: A4") && html.contains("break-before: page"));
    assert!(html.contains("<h2>5 取組実績</h2>"));
    assert!(!html.contains("<script>alert") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("<p>(1) 参加者は少なかった。</p>"), "{html}");
}

#[tokio::test]
async fn the_report_opens_in_word_processors_and_its_tables_in_excel() {
    let app = TestApp::spawn().await;
    three_years(&app).await;
    let docx = report(&app, "docx").await;
    assert_eq!(
        docx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert!(docx.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("programme-report.docx"));
    let bytes = docx.bytes().await.unwrap();
    let dir = std::env::temp_dir().join(format!("tsunagari-docx-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.docx");
    std::fs::write(&file, &bytes).unwrap();
    // LibreOffice converts it without a repair prompt (a file it cannot read fails the conversion).
    let converted = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}/profile", dir.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&file)
        .output()
        .expect("LibreOffice (scripts/setup-tests installs it)");
    assert!(converted.status.success(), "{converted:?}");
    let pdf = std::fs::read(dir.join("report.pdf")).expect("a PDF");
    assert!(pdf.starts_with(b"%PDF") && pdf.len() > 10_000, "{} bytes", pdf.len());
    // And reads back as text: the headings and a figure of the tables.
    let text = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}/profile", dir.display()))
        .args(["--headless", "--cat"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("5 取組実績") && text.contains("計5回開催し、平均参加者数4.6人"),
        "{text}"
    );
    assert!(
        text.contains("<script>alert(1)</script>"),
        "hostile text is text in Word"
    );
    std::fs::remove_dir_all(&dir).unwrap();

    let xlsx = report(&app, "xlsx").await.bytes().await.unwrap();
    use calamine::{Data, Reader, Xlsx};
    let mut workbook = Xlsx::new(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "活動指標①",
            "活動指標②",
            "活動指標③",
            "成果指標①",
            "成果指標②",
            "成果指標③"
        ]
    );
    let activity = workbook.worksheet_range("活動指標①").unwrap();
    assert_eq!(activity.get((0, 2)), Some(&Data::String("H30年度".into())));
    assert_eq!(activity.get((2, 3)), Some(&Data::Float(23.0)), "numbers as numbers");
    let outcome = workbook.worksheet_range("成果指標①").unwrap();
    assert_eq!(outcome.get((1, 4)), Some(&Data::Float(13.3)));
}

#[tokio::test]
async fn the_profile_is_staffs_and_refuses_what_it_cannot_keep() {
    let app = TestApp::spawn().await;
    let empty: Value = app
        .get("/api/v1/programme", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        [&empty["name"], &empty["deliverables"], &empty["updated_at"]],
        [&Value::Null, &json!([]), &Value::Null]
    );
    let written = json!({"name": "事業", "deliverables": ["手引き"]});
    let put: Value = put_json(&app, "/api/v1/programme", &written)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        [&put["name"], &put["deliverables"]],
        [&json!("事業"), &json!(["手引き"])]
    );
    assert!(put["updated_at"].is_string());
    for (body, field) in [
        (json!({"name": 5}), "name"),
        (json!({"deliverables": ["ok", ""]}), "deliverables"),
        (json!({"budget": 100}), "budget"),
        (json!({"purpose": "x".repeat(20_001)}), "purpose"),
    ] {
        let response = put_json(&app, "/api/v1/programme", &body).await;
        assert_eq!(response.status(), 422, "{body}");
        assert_eq!(error_of(response).await.1.as_deref(), Some(field));
    }
    let kept: Value = app
        .get("/api/v1/programme", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kept["name"], "事業", "a refused body writes nothing");
    // Researchers and anyone without a token get neither the profile nor the report.
    for path in [
        "/api/v1/programme",
        "/api/v1/programme-report?from_fiscal_year=2018&to_fiscal_year=2020",
    ] {
        assert_eq!(app.get(path, Some(&app.researcher)).await.status(), 403, "{path}");
        assert_eq!(app.get(path, None).await.status(), 401, "{path}");
    }
    for query in [
        "from_fiscal_year=2018&to_fiscal_year=2020&format=pdf",
        "from_fiscal_year=2020&to_fiscal_year=2018",
        "from_fiscal_year=x&to_fiscal_year=2020",
        "to_fiscal_year=2020",
    ] {
        let response = app
            .get(&format!("/api/v1/programme-report?{query}"), Some(&app.analyst))
            .await;
        assert_eq!(response.status(), 422, "{query}");
    }
}
