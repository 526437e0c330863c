#![allow(clippy::unwrap_used, clippy::expect_used)]

use analysis::breakdown::{breakdown, channels};
use analysis::disclosure::suppress;
use analysis::frame::{build_frame, build_weighted_frame, ColumnData};
use analysis::polars::prelude::DataFrame;
use analysis::spec::{Choice, Label, QuestionType, Variable};
use serde_json::json;

fn variable(id: &str, kind: QuestionType, values: &[&str]) -> Variable {
    Variable {
        id: id.to_owned(),
        label: Label::new(id, id),
        kind,
        options: values.iter().map(|v| Choice::new(v, &format!("{v}(ja)"), v)).collect(),
    }
}

fn gender() -> Variable {
    variable(
        "gender",
        QuestionType::SingleChoice,
        &["female", "male", "other", "no_answer"],
    )
}

fn satisfaction() -> Variable {
    variable("satisfaction", QuestionType::Scale, &["1", "2", "3", "4", "5"])
}

fn heard_from() -> Variable {
    variable(
        "heard_from",
        QuestionType::MultiChoice,
        &["sns", "city_newsletter", "newspaper"],
    )
}

fn text(values: &[Option<&str>]) -> ColumnData {
    ColumnData::Text(values.iter().map(|v| v.map(str::to_owned)).collect())
}

/// Six respondents: four women, two men, one of whom skipped the satisfaction question.
fn frame() -> DataFrame {
    build_frame(columns()).unwrap()
}

fn columns() -> Vec<(String, ColumnData)> {
    vec![
        (
            "gender".into(),
            text(&[
                Some("female"),
                Some("female"),
                Some("male"),
                Some("female"),
                Some("male"),
                Some("female"),
            ]),
        ),
        (
            "age_band".into(),
            text(&[Some("40s"), Some("30s"), Some("40s"), None, Some("40s"), Some("30s")]),
        ),
        (
            "satisfaction".into(),
            ColumnData::Integer(vec![Some(5), Some(4), Some(2), Some(4), None, Some(3)]),
        ),
        (
            "heard_from".into(),
            ColumnData::Choices(vec![
                Some(vec!["sns".into()]),
                Some(vec!["sns".into(), "city_newsletter".into()]),
                Some(vec!["newspaper".into()]),
                None,
                Some(vec![]),
                Some(vec!["city_newsletter".into()]),
            ]),
        ),
    ]
}

/// Each row repeated `times[row]` times.
fn repeated(column: &ColumnData, times: &[usize]) -> ColumnData {
    fn repeat<T: Clone>(values: &[T], times: &[usize]) -> Vec<T> {
        values
            .iter()
            .zip(times)
            .flat_map(|(value, &n)| std::iter::repeat_n(value.clone(), n))
            .collect()
    }
    match column {
        ColumnData::Text(values) => ColumnData::Text(repeat(values, times)),
        ColumnData::Integer(values) => ColumnData::Integer(repeat(values, times)),
        ColumnData::Choices(values) => ColumnData::Choices(repeat(values, times)),
    }
}

#[test]
fn rows_that_stand_for_several_responses_give_the_figures_of_those_responses() {
    let times = [3, 1, 2, 1, 4, 5];
    let weighted = build_weighted_frame(columns(), times.iter().map(|&n| n as i64).collect()).unwrap();
    let expanded = build_frame(
        columns()
            .into_iter()
            .map(|(name, column)| (name, repeated(&column, &times)))
            .collect(),
    )
    .unwrap();
    let age_band = variable("age_band", QuestionType::SingleChoice, &["30s", "40s"]);
    let cases = [
        (satisfaction(), vec![gender()]),
        (satisfaction(), vec![gender(), age_band.clone()]),
        (gender(), vec![age_band.clone()]),
        (heard_from(), vec![gender()]),
    ];
    for (question, by) in cases {
        let from_weights = breakdown(&weighted, &question, &by).unwrap();
        let from_rows = breakdown(&expanded, &question, &by).unwrap();
        assert_eq!(from_weights.n, from_rows.n);
        let cells = |result: &analysis::breakdown::Breakdown| {
            let mut cells = vec![result.total.clone()];
            cells.extend(result.groups.iter().map(|g| g.cell.clone()));
            cells
        };
        for (weighted_cell, row_cell) in cells(&from_weights).iter().zip(cells(&from_rows)) {
            assert_eq!((weighted_cell.n, &weighted_cell.counts), (row_cell.n, &row_cell.counts));
            let moments = |cell: &analysis::breakdown::Cell| cell.moments.clone().map(|m| (m.mean, m.sd));
            match (moments(weighted_cell), moments(&row_cell)) {
                (Some((mean_w, sd_w)), Some((mean_r, sd_r))) => {
                    assert!((mean_w.unwrap() - mean_r.unwrap()).abs() < 1e-12);
                    assert_eq!(sd_w.is_some(), sd_r.is_some());
                    assert!((sd_w.unwrap_or(0.0) - sd_r.unwrap_or(0.0)).abs() < 1e-12);
                }
                (weighted_moments, row_moments) => assert_eq!(weighted_moments, row_moments),
            }
        }
        assert_eq!(
            from_weights.test.map(|t| (t.df, (t.statistic * 1e9).round())),
            from_rows.test.map(|t| (t.df, (t.statistic * 1e9).round()))
        );
    }
    let heard = channels(&weighted, &heard_from(), &[]).unwrap();
    assert_eq!(heard.total, channels(&expanded, &heard_from(), &[]).unwrap().total);
}

#[test]
fn a_scale_by_gender_has_counts_shares_moments_and_labels() {
    let result = breakdown(&frame(), &satisfaction(), &[gender()]).unwrap();
    assert_eq!(result.n, Some(5), "the one who skipped is not counted");
    assert_eq!(result.groups.len(), 2);
    let women = &result.groups[0];
    assert_eq!(women.key["gender"].as_deref(), Some("female"));
    assert_eq!(women.labels["gender"].ja, "female(ja)");
    assert_eq!(women.cell.n, Some(4));
    let counts = women.cell.counts.as_ref().unwrap();
    assert_eq!(counts["4"], Some(2));
    assert_eq!(counts["1"], Some(0), "every option is listed, zeros included");
    assert_eq!(women.cell.percentages.as_ref().unwrap()["4"], Some(50.0));
    let moments = women.cell.moments.as_ref().unwrap();
    assert_eq!(moments.mean, Some(4.0));
    // Sample standard deviation of 5, 4, 4, 3.
    assert!((moments.sd.unwrap() - (2.0_f64 / 3.0).sqrt()).abs() < 1e-12);
    assert_eq!(moments.ci95, None, "four answers are too few for an interval");
    let men = &result.groups[1];
    assert_eq!((men.cell.n, men.cell.moments.as_ref().unwrap().sd), (Some(1), None));
    assert_eq!(result.total.n, Some(5));
    assert_eq!(result.total.moments.as_ref().unwrap().mean, Some(3.6));
    let test = result.test.as_ref().unwrap();
    assert_eq!(test.df, 3, "a 2 x 4 table once the all-zero option 1 is dropped");
    assert_eq!((test.n, test.chi_square_valid, test.method), (5, false, "monte_carlo"));
    assert_eq!(test.expected_below_5_share, 1.0);
}

#[test]
fn a_mean_near_the_end_of_a_scale_keeps_its_interval_within_it() {
    let answers: Vec<Option<i64>> = [5, 5, 5, 5, 5, 5, 5, 5, 4, 5, 5, 3].into_iter().map(Some).collect();
    let genders = vec![Some("female".to_owned()); answers.len()];
    let frame = build_frame(vec![
        ("satisfaction".to_owned(), ColumnData::Integer(answers)),
        ("gender".to_owned(), ColumnData::Text(genders)),
    ])
    .unwrap();
    let result = breakdown(&frame, &satisfaction(), &[gender()]).unwrap();
    let moments = result.total.moments.unwrap();
    let [lo, hi] = moments.ci95.unwrap();
    assert!(
        moments.ci95_clipped && hi == 5.0 && lo < moments.mean.unwrap(),
        "{lo} {hi}"
    );
}

#[test]
fn the_json_shape_is_what_clients_read() {
    let result = breakdown(&frame(), &satisfaction(), &[gender()]).unwrap();
    let value = serde_json::to_value(&result).unwrap();
    assert_eq!(value["question_type"], "scale");
    assert_eq!(value["groups"][0]["key"], json!({"gender": "female"}));
    assert_eq!(value["groups"][0]["mean"], 4.0);
    assert_eq!(value["groups"][0]["suppressed"], false);
    assert_eq!(value["test"]["method"], "monte_carlo");
    assert_eq!(
        value["test"]["monte_carlo"],
        json!({"draws": 10_000, "seed": 20_180_401})
    );
    assert_eq!(value["groups"][0]["ci95_clipped"], false);
    assert!(value["total"].get("only").is_none());
}

#[test]
fn nested_groups_put_a_skipped_attribute_last() {
    let age = variable("age_band", QuestionType::SingleChoice, &["30s", "40s"]);
    let result = breakdown(&frame(), &satisfaction(), &[gender(), age]).unwrap();
    let keys: Vec<(Option<&str>, Option<&str>)> = result
        .groups
        .iter()
        .map(|g| (g.key["gender"].as_deref(), g.key["age_band"].as_deref()))
        .collect();
    assert_eq!(
        keys,
        [
            (Some("female"), Some("30s")),
            (Some("female"), Some("40s")),
            (Some("female"), None),
            (Some("male"), Some("40s"))
        ]
    );
    assert_eq!(result.groups[2].labels["age_band"], Label::no_answer());
}

#[test]
fn multi_choice_counts_respondents_who_ticked_each_option() {
    let result = breakdown(&frame(), &heard_from(), &[gender()]).unwrap();
    assert_eq!(result.n, Some(4), "a skipped and an empty answer are not respondents");
    let total = result.total.counts.as_ref().unwrap();
    assert_eq!(
        (total["sns"], total["city_newsletter"], total["newspaper"]),
        (Some(2), Some(2), Some(1))
    );
    let shares = result.total.percentages.as_ref().unwrap();
    assert_eq!(shares["sns"], Some(50.0));
    assert!(
        shares.values().flatten().sum::<f64>() > 100.0,
        "shares may sum past 100"
    );
    assert_eq!(result.test, None, "no chi-square for multi choice");
}

#[test]
fn channels_count_who_named_only_that_channel() {
    let result = channels(&frame(), &heard_from(), &[]).unwrap();
    let only = result.total.only.as_ref().unwrap();
    assert_eq!(
        (only["sns"], only["city_newsletter"], only["newspaper"]),
        (Some(1), Some(1), Some(1))
    );
    assert!(result.groups.is_empty());
    assert!(channels(&frame(), &satisfaction(), &[]).is_err());
}

#[test]
fn text_questions_and_odd_groupings_are_refused() {
    let opinion = variable("opinion", QuestionType::Text, &[]);
    assert!(breakdown(&frame(), &opinion, &[]).is_err());
    assert!(breakdown(&frame(), &satisfaction(), &[heard_from()]).is_err());
    assert!(breakdown(&frame(), &gender(), &[gender()]).is_err());
}

#[test]
fn an_empty_frame_gives_zeros_not_errors() {
    let empty = build_frame(vec![
        ("gender".into(), ColumnData::Text(vec![])),
        ("heard_from".into(), ColumnData::Choices(vec![])),
    ])
    .unwrap();
    let result = breakdown(&empty, &heard_from(), &[gender()]).unwrap();
    assert_eq!(result.n, Some(0));
    assert!(result.groups.is_empty());
}

#[test]
fn small_groups_are_suppressed_with_the_next_smallest() {
    let mut result = breakdown(&frame(), &satisfaction(), &[gender()]).unwrap();
    suppress(&mut result, 2);
    let men = &result.groups[1];
    assert!(men.cell.suppressed);
    assert_eq!((men.cell.n, men.cell.counts.clone()), (None, None));
    assert_eq!(men.cell.moments.as_ref().unwrap().mean, None);
    // The men's one answer would be total minus women, so the women's group goes too.
    assert!(result.groups[0].cell.suppressed);
    assert_eq!(result.test, None);
    assert_eq!(result.total.n, Some(5));
    // Inside the total, options chosen by one person are withheld, and the lone one takes the next.
    let total = result.total.counts.as_ref().unwrap();
    assert_eq!(total["4"], Some(2));
    assert_eq!((total["2"], total["3"], total["5"]), (None, None, None));
    assert_eq!(total["1"], Some(0));
    assert_eq!(result.total.percentages.as_ref().unwrap()["2"], None);
}

#[test]
fn a_total_below_the_threshold_hides_everything() {
    let mut result = breakdown(&frame(), &satisfaction(), &[gender()]).unwrap();
    suppress(&mut result, 10);
    assert!(result.total.suppressed && result.groups.iter().all(|g| g.cell.suppressed));
    assert_eq!(result.n, None);
}

#[test]
fn a_threshold_of_zero_or_one_changes_nothing() {
    let original = breakdown(&frame(), &satisfaction(), &[gender()]).unwrap();
    for min_cell in [0, 1] {
        let mut result = original.clone();
        suppress(&mut result, min_cell);
        assert_eq!(result, original);
    }
}
