#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::process::{Command, Output};

use common::{shipped_forms_dir, TestDatabase};
use diesel::prelude::*;
use tsunagari::db::schema::api_tokens;

fn tsunagari(database: &TestDatabase, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tsunagari"))
        .args(args)
        .env("DATABASE_URL", &database.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn forms_check_accepts_the_shipped_forms() {
    let database = TestDatabase::new();
    let output = tsunagari(&database, &["forms", "check", shipped_forms_dir().to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    for slug in ["seminar", "forum", "study_session"] {
        assert!(text.contains(&format!("ok  {slug}")), "{text}");
    }
}

#[test]
fn forms_check_names_the_file_and_question_at_fault() {
    let database = TestDatabase::new();
    let dir = std::env::temp_dir().join(format!("tsunagari-check-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut form: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shipped_forms_dir().join("forum.json")).unwrap()).unwrap();
    form["questions"][1]["options"] = serde_json::json!([]);
    std::fs::write(dir.join("forum.json"), form.to_string()).unwrap();

    let output = tsunagari(&database, &["forms", "check", dir.to_str().unwrap()]);
    assert!(!output.status.success());
    let message = String::from_utf8(output.stderr).unwrap();
    assert!(message.contains("forum.json"), "{message}");
    assert!(message.contains("question 'age_band'"), "{message}");
}

#[test]
fn tokens_are_printed_once_and_stored_only_as_hashes() {
    let database = TestDatabase::new();
    let output = tsunagari(
        &database,
        &["token", "create", "--role", "researcher", "--name", "大学 研究班"],
    );
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    let token = text.lines().last().unwrap().trim().to_owned();
    assert!(token.starts_with("tsu_") && token.len() >= 36, "{token}");

    let hashes: Vec<String> = api_tokens::table
        .select(api_tokens::token_hash)
        .load(&mut database.connect())
        .unwrap();
    assert_eq!(hashes, [tsunagari::domain::token::hash_token(&token)]);
    assert!(!hashes[0].contains(&token[4..]));

    let listed = stdout(&tsunagari(&database, &["token", "list"]));
    assert!(listed.contains("researcher") && listed.contains("大学 研究班") && listed.contains("active"));
    assert!(!listed.contains(&token));

    let id = listed.split_whitespace().next().unwrap().to_owned();
    assert!(tsunagari(&database, &["token", "revoke", &id]).status.success());
    assert!(stdout(&tsunagari(&database, &["token", "list"])).contains("revoked"));
    assert!(
        !tsunagari(&database, &["token", "revoke", &id]).status.success(),
        "a second revoke fails"
    );
}

#[test]
fn token_create_rejects_unknown_roles() {
    let database = TestDatabase::new();
    let output = tsunagari(&database, &["token", "create", "--role", "root", "--name", "x"]);
    assert!(!output.status.success());
}

#[test]
fn migrate_creates_the_database_and_is_idempotent() {
    let database = TestDatabase::new();
    assert!(tsunagari(&database, &["migrate"]).status.success());
    assert!(tsunagari(&database, &["migrate"]).status.success());
    assert_eq!(
        api_tokens::table
            .count()
            .get_result::<i64>(&mut database.connect())
            .unwrap(),
        0
    );
}
