#![allow(clippy::unwrap_used, clippy::expect_used)]

use analysis::disclosure::suppress_terms;
use analysis::frame::{build_frame, ColumnData};
use analysis::polars::prelude::DataFrame;
use analysis::spec::{Choice, Label, QuestionType, Variable};
use analysis::terms::{log_odds, term_table, TermOptions};

fn relation() -> Variable {
    Variable {
        id: "relation".into(),
        label: Label::new("立場", "Relation"),
        kind: QuestionType::SingleChoice,
        options: vec![
            Choice::new("family", "家族", "Family"),
            Choice::new("supporter", "支援者", "Supporter"),
        ],
    }
}

/// Families write about 家族 and 安心; supporters about 支援 and 連携; both about 参加.
fn comments() -> DataFrame {
    let rows: Vec<(&str, Vec<&str>)> = vec![
        ("family", vec!["家族", "安心", "参加"]),
        ("family", vec!["家族", "家族", "安心"]),
        ("family", vec!["家族", "参加"]),
        ("family", vec!["安心"]),
        ("supporter", vec!["支援", "連携", "参加"]),
        ("supporter", vec!["支援", "連携"]),
        ("supporter", vec!["支援", "家族"]),
    ];
    build_frame(vec![
        (
            "relation".into(),
            ColumnData::Text(rows.iter().map(|(r, _)| Some(r.to_string())).collect()),
        ),
        (
            "terms".into(),
            ColumnData::Choices(
                rows.iter()
                    .map(|(_, t)| Some(t.iter().map(|s| s.to_string()).collect()))
                    .collect(),
            ),
        ),
    ])
    .unwrap()
}

#[test]
fn each_group_gets_its_top_terms_with_counts_and_shares() {
    let table = term_table(
        &comments(),
        "terms",
        &[relation()],
        TermOptions { top: 3, min_count: 2 },
    )
    .unwrap();
    assert_eq!(table.comments, Some(7));
    let family = &table.groups[0];
    assert_eq!(family.key["relation"].as_deref(), Some("family"));
    assert_eq!(family.cell.comments, Some(4));
    let terms = family.cell.terms.as_ref().unwrap();
    assert_eq!(terms.len(), 3);
    assert_eq!(
        (terms[0].term.as_str(), terms[0].count, terms[0].comments),
        ("家族", 4, 3)
    );
    assert_eq!(terms[0].share, 75.0);
    assert_eq!((terms[1].term.as_str(), terms[1].count), ("安心", 3));
    let total = table.total.terms.as_ref().unwrap();
    assert_eq!((total[0].term.as_str(), total[0].count), ("家族", 5));
    assert!(
        total.iter().all(|t| t.log_odds.is_none()),
        "the total is not compared with anyone"
    );
}

#[test]
fn log_odds_favour_the_group_that_uses_a_term_more() {
    let table = term_table(
        &comments(),
        "terms",
        &[relation()],
        TermOptions { top: 10, min_count: 2 },
    )
    .unwrap();
    let score = |group: usize, term: &str| {
        table.groups[group]
            .cell
            .terms
            .as_ref()
            .unwrap()
            .iter()
            .find(|t| t.term == term)
            .unwrap()
            .log_odds
    };
    assert!(score(0, "家族").unwrap() > 0.0);
    assert!(score(1, "支援").unwrap() > 0.0);
    assert_eq!(score(1, "家族"), None, "once is below the minimum count");
    // Family: 家族 4 of 9 tokens; others: 家族 1 of 7 tokens.
    let (expected, _) = log_odds(4.0, 9.0, 1.0, 7.0).unwrap();
    assert!((score(0, "家族").unwrap() - expected).abs() < 1e-12);
    assert!((expected - ((4.5_f64 / 5.5).ln() - (1.5_f64 / 6.5).ln())).abs() < 1e-12);
}

#[test]
fn rare_terms_and_small_groups_are_withheld() {
    let mut table = term_table(&comments(), "terms", &[relation()], TermOptions::default()).unwrap();
    suppress_terms(&mut table, 4);
    // Supporters wrote three comments: hidden, and so are the families, who would be the rest.
    assert!(table.groups.iter().all(|g| g.cell.suppressed && g.cell.terms.is_none()));
    let total = table.total.terms.as_ref().unwrap();
    let listed: Vec<&str> = total.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(
        listed,
        ["家族"],
        "only terms found in at least four comments: {listed:?}"
    );
    suppress_terms(&mut table, 8);
    assert!(table.total.suppressed);
    assert_eq!(table.comments, None);
}
