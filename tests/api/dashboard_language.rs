//! The dashboard in English: every page a signed-in person can reach by following links, read
//! with the language switched, says nothing in Japanese but the data people typed.

use std::collections::{BTreeSet, HashSet, VecDeque};

use diesel::RunQueryDsl;
use reqwest::header::{COOKIE, LOCATION};

use crate::common::TestApp;
use crate::dashboard::Browser;

/// Japanese the English pages say on purpose, run by run: the switch back, and examples of
/// Japanese input (words for the segmenter, names and titles as staff would type them, the list
/// marks the plan editor takes).
const MEANT: [&str; 15] = [
    "日本語",
    "ポラ研",
    "市",
    "回復セミナーへの参加",
    "第",
    "回",
    "関係機関調査",
    "啓発リーフレット",
    "つながり市",
    "フリートーク",
    "話",
    "安心",
    "、",
    "・",
    "「（未記入）」",
];

/// Pages that are documents in the programme's own format (the reports a city submits) or files.
fn skipped(path: &str) -> bool {
    // The phone form's preview is the attendee's page, in the language its link asks for.
    [
        "/dashboard/language/",
        "/dashboard/logout",
        "evaluation-report",
        "programme-report",
        "/poster",
        "/preview",
    ]
    .iter()
    .any(|part| path.contains(part))
        || [".csv", ".json", ".xlsx", ".docx", ".md", ".parquet", ".png", ".svg"]
            .iter()
            .any(|ext| path.split('?').next().unwrap_or(path).ends_with(ext))
        || path.contains("/downloads/")
}

fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// What people typed or the service stored, as text: Japanese found in it is data, not the page.
/// Form definitions are left out unless `with_forms` (the researchers' codebook shows both
/// languages), so a label shown in Japanese on an English page is caught.
fn stored_text(app: &TestApp, with_forms: bool) -> String {
    #[derive(diesel::QueryableByName)]
    struct Text {
        #[diesel(sql_type = diesel::sql_types::Text)]
        text: String,
    }
    #[derive(diesel::QueryableByName)]
    struct Table {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let mut conn = app.database.connect();
    let tables: Vec<Table> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND (table_name NOT LIKE 'form%' OR $1)",
    )
    .bind::<diesel::sql_types::Bool, _>(with_forms)
    .load(&mut conn)
    .unwrap();
    tables
        .iter()
        .map(|table| {
            let sql = format!(
                "SELECT coalesce(string_agg(t::text, ' '), '') AS text FROM \"{}\" t",
                table.name
            );
            diesel::sql_query(sql).get_result::<Text>(&mut conn).unwrap().text
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The page without what fields hold (typed values, the dictionary's word lists) and without
/// tags, so only what the page says is left.
fn said(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<textarea") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("</textarea>").map_or("", |end| &rest[start + end..]);
    }
    out.push_str(rest);
    let mut text = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in out.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                // Attributes people read: labels and titles, never typed values.
                for attribute in ["aria-label=\"", "title=\"", "placeholder=\""] {
                    if let Some(at) = tag.find(attribute) {
                        let value = &tag[at + attribute.len()..];
                        text.push(' ');
                        text.push_str(value.split('"').next().unwrap_or(""));
                    }
                }
                text.push(' ');
            }
            (true, c) => tag.push(c),
            (false, c) => text.push(c),
        }
    }
    text
}

fn japanese_runs(text: &str) -> Vec<String> {
    text.split(|c: char| !is_japanese(c))
        .filter(|run| !run.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether `run` is in what was stored, or is a term the segmenter made of it: a word in its
/// base form (聞ける of 聞けて) is stored with other endings.
fn is_data(run: &str, data: &str) -> bool {
    let stem = run.trim_end_matches(|c: char| ('\u{3041}'..='\u{309f}').contains(&c));
    // A word all in kana (もらえる of もらえて) keeps its first two.
    let stem = if stem.is_empty() {
        &run[..run.char_indices().nth(2).map_or(run.len(), |(at, _)| at)]
    } else {
        stem
    };
    data.contains(run) || data.contains(stem)
}

fn allowed(run: &str, data: &str) -> bool {
    is_data(run, data) || MEANT.contains(&run)
}

fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with("/dashboard") || href.starts_with("/research"))
        .map(|href| href.replace("&amp;", "&"))
        .collect()
}

/// Follows every link from `start` with `cookie`, English switched on, and returns each page's
/// Japanese that is neither data nor meant, and how many pages were read.
async fn untranslated(app: &TestApp, cookie: &str, start: &[&str], data: &str) -> (BTreeSet<(String, String)>, usize) {
    let english = format!("{cookie}; tsunagari_lang=en");
    let mut seen: HashSet<String> = start.iter().map(|s| (*s).to_owned()).collect();
    let mut queue: VecDeque<String> = seen.iter().cloned().collect();
    let mut found = BTreeSet::new();
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        let response = app
            .client
            .get(app.url(&path))
            .header(COOKIE, &english)
            .send()
            .await
            .unwrap();
        if response.status().is_redirection() {
            let to = response.headers()[LOCATION].to_str().unwrap().to_owned();
            if seen.insert(to.clone()) && !skipped(&to) {
                queue.push_back(to);
            }
            continue;
        }
        // A refused choice (422) is a page too, with the refusal in words.
        let status = response.status();
        assert!(status.is_success() || status == 422, "{path}: {status}");
        pages += 1;
        let html = response.text().await.unwrap();
        assert!(html.contains(r#"<html lang="en""#), "{path} is not marked English");
        for run in japanese_runs(&said(&html)) {
            if !allowed(&run, data) {
                found.insert((path.clone(), run));
            }
        }
        for link in links(&html) {
            // One page of each kind is enough: the same page for another id says the same.
            let kind: String = link
                .split('?')
                .next()
                .unwrap_or(&link)
                .chars()
                .filter(|c| !c.is_ascii_hexdigit())
                .collect();
            if !skipped(&link) && seen.insert(link.clone()) && seen.insert(format!("kind:{kind}")) {
                queue.push_back(link);
            }
        }
    }
    (found, pages)
}

/// Staff and researchers who switch to English read every page in English; the switch is a
/// cookie that comes back to the page it was pressed on, and never leads off the site.
#[tokio::test]
async fn every_page_reads_in_english_once_switched() {
    let app = TestApp::spawn().await;
    tsunagari::services::demo::load(&mut app.database.connect(), false).unwrap();
    // The term a page below is asked about is data too.
    let data = stored_text(&app, false) + " 講演";

    let admin = Browser::signed_in_as(&app, &app.admin).await;
    let switched = app
        .client
        .get(app.url("/dashboard/language/en?back=/dashboard/outreach"))
        .header(COOKIE, &admin.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), 303);
    assert_eq!(switched.headers()[LOCATION], "/dashboard/outreach");
    let set = switched.headers()["set-cookie"].to_str().unwrap();
    assert!(
        set.starts_with("tsunagari_lang=en;") && set.contains("HttpOnly"),
        "{set}"
    );
    for elsewhere in [
        "//example.com/",
        "/\\example.com",
        "https://example.com/",
        "/x%0D%0ASet-Cookie:%20a=b",
        "/%E8%AC%9B",
    ] {
        let path = format!("/dashboard/language/en?back={elsewhere}");
        let response = app.client.get(app.url(&path)).send().await.unwrap();
        // Either back to the dashboard's first page or refused outright, never elsewhere.
        match response.status().as_u16() {
            303 => assert_eq!(response.headers()[LOCATION], "/dashboard", "{elsewhere}"),
            status => assert_eq!(status, 400, "{elsewhere}"),
        }
    }

    let japanese = admin.get("/dashboard/events").await.text().await.unwrap();
    assert!(japanese.contains(r#"<html lang="ja""#) && japanese.contains("イベント"));
    assert!(japanese.contains(r#"href="/dashboard/language/en?back=%2Fdashboard%2Fevents""#));

    let staff_pages = [
        "/dashboard/events",
        "/dashboard/breakdown?form=forum&question=satisfaction&by=gender",
        "/dashboard/opinions?form=forum&by=gender",
        "/dashboard/outreach",
        "/dashboard/outreach?kind=&by=publicity_channel",
        "/dashboard/kwic?form=forum&by=gender&source=responses&fiscal_year=&term=講演",
        "/dashboard/network?form=forum",
        "/dashboard/correspondence?form=forum&by=gender",
        "/dashboard/login",
    ];
    // A refusal is said in the page's language, beside its field, with what was typed kept.
    let english = format!("{}; tsunagari_lang=en", admin.cookie);
    let events = app
        .client
        .get(app.url("/dashboard/events"))
        .header(COOKIE, &english)
        .send()
        .await
        .unwrap();
    let events = events.text().await.unwrap();
    let csrf = events
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let refused = app
        .client
        .post(app.url("/dashboard/events"))
        .header(COOKIE, &english)
        .form(&[
            ("csrf", csrf),
            ("kind", "forum"),
            ("held_on", "2026-10-04"),
            ("venue", "City hall"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("Enter a title (at most 200 characters).") && refused.contains(r#"value="City hall""#));
    assert!(
        japanese_runs(&said(&refused)).iter().all(|run| allowed(run, &data)),
        "{refused}"
    );

    let (staff, staff_pages) = untranslated(&app, &admin.cookie, &staff_pages, &data).await;
    let researcher = Browser::signed_in_as(&app, &app.researcher).await;
    let with_forms = stored_text(&app, true);
    let (research, research_pages) =
        untranslated(&app, &researcher.cookie, &["/research", "/research/guide"], &with_forms).await;
    assert!(
        staff_pages > 40 && research_pages >= 4,
        "{staff_pages} staff and {research_pages} researchers' pages read"
    );
    assert!(staff.is_empty(), "Japanese on English staff pages: {staff:#?}");
    assert!(
        research.is_empty(),
        "Japanese on English researchers' pages: {research:#?}"
    );
}
