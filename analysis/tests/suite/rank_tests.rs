#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The rank tests against scipy's own results on the same groups
//! (`scripts/rank-test-fixtures` wrote the fixture with scipy).

use analysis::ranks::{kruskal_wallis_h, mann_whitney_u};
use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

fn close(ours: f64, scipy: &Value, what: &str, groups: &Value) {
    let scipy = scipy.as_f64().unwrap_or_else(|| panic!("{what} in the fixture"));
    assert!(
        (ours - scipy).abs() <= TOLERANCE * scipy.abs().max(1.0),
        "{what}: ours {ours}, scipy {scipy}, groups {groups}"
    );
}

#[test]
fn mann_whitney_and_kruskal_wallis_agree_with_scipy() {
    let fixture: Value = serde_json::from_str(include_str!("../fixtures/rank_tests.json")).expect("the fixture");
    let cases = fixture["cases"].as_array().expect("cases");
    let mut exact = 0;
    for case in cases {
        let groups: Vec<Vec<f64>> = serde_json::from_value(case["groups"].clone()).expect("groups");
        let slices: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
        if let Some(expected) = case.get("mann_whitney_u") {
            let ours = mann_whitney_u(slices[0], slices[1]).expect("a test of two groups");
            close(ours.statistic, &expected["statistic"], "U", &case["groups"]);
            close(ours.p_value, &expected["p_value"], "p of U", &case["groups"]);
            exact += usize::from(ours.distribution == "exact");
        }
        let expected = &case["kruskal_wallis_h"];
        let ours = kruskal_wallis_h(&slices).expect("a test of several groups");
        close(ours.statistic, &expected["statistic"], "H", &case["groups"]);
        close(ours.p_value, &expected["p_value"], "p of H", &case["groups"]);
    }
    assert!(exact >= 5, "the exact distribution is exercised ({exact} cases)");
}
