//! Random small datasets through the protected release: groups of every size (three attributes,
//! one with six categories), questions answered by all, some or none, and partitions too small
//! to release. Every table's suppression pattern is audited as it is built (a failed audit
//! panics in a debug build), and no count it shows is about 1 to `min_cell - 1` people.
#![allow(clippy::unwrap_used)]

use crate::common::Lcg;
use analysis::frame::{build_frame, ColumnData};
use analysis::release::counts::PARTITION;
use analysis::release::{release_with_sections, Release, ReleaseSpec};
use analysis::spec::{QuestionType, Variable};
use serde_json::Value;

const MIN_CELL: u64 = 5;
const OCCUPATIONS: [&str; 6] = ["medical", "welfare", "police", "school", "family", "other"];

/// A list answer: each value ticked with its own chance, or no answer.
fn ticks(rng: &mut Lcg, values: &[&str], answer_chance: u64, chances: &[u64]) -> Option<Vec<String>> {
    if rng.below(100) >= answer_chance {
        return None;
    }
    Some(
        values
            .iter()
            .zip(chances)
            .filter(|(_, &chance)| rng.below(100) < chance)
            .map(|(v, _)| (*v).to_owned())
            .collect(),
    )
}

fn dataset(seed: u64) -> Vec<(String, ColumnData)> {
    let mut rng = Lcg(seed);
    let (gender_weights, age_weights, scale_weights) = (rng.weights(3), rng.weights(3), rng.weights(3));
    let occupation_weights = rng.weights(OCCUPATIONS.len());
    let chance = |rng: &mut Lcg| [0, 5, 50, 95, 100][rng.below(5) as usize];
    let (heard_chance, comment_chance) = (chance(&mut rng), chance(&mut rng));
    let heard_ticks = [chance(&mut rng), chance(&mut rng), chance(&mut rng)];
    let term_ticks = [chance(&mut rng), chance(&mut rng)];
    let theme_ticks = [chance(&mut rng), chance(&mut rng)];
    let text = |values: Vec<Option<String>>| ColumnData::Text(values);
    let (mut partition, mut gender, mut age, mut scale) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut occupation = Vec::new();
    let (mut heard, mut terms, mut themes) = (Vec::new(), Vec::new(), Vec::new());
    for p in 0..=rng.below(3) {
        let name = format!("{}/{}", 2019 + p % 2, if p < 2 { "seminar" } else { "forum" });
        for _ in 0..[2, 4, 12, 30, 60][rng.below(5) as usize] {
            partition.push(Some(name.clone()));
            let label = |i: Option<usize>, values: &[&str]| i.map(|i| values[i].to_owned());
            gender.push(label(rng.pick(&gender_weights), &["female", "male", "other"]));
            age.push(label(rng.pick(&age_weights), &["young", "middle", "old"]));
            occupation.push(label(rng.pick(&occupation_weights), &OCCUPATIONS));
            scale.push(label(rng.pick(&scale_weights), &["1", "2", "3"]).and_then(|v| v.parse().ok()));
            heard.push(ticks(&mut rng, &["sns", "paper", "friend"], heard_chance, &heard_ticks));
            let comment = ticks(&mut rng, &["talk", "room"], comment_chance, &term_ticks);
            // Every comment is coded, some with no theme.
            themes.push(
                comment
                    .as_ref()
                    .and_then(|_| ticks(&mut rng, &["praise", "noise"], 100, &theme_ticks)),
            );
            terms.push(comment);
        }
    }
    vec![
        (PARTITION.to_owned(), text(partition)),
        ("gender".to_owned(), text(gender)),
        ("age_band".to_owned(), text(age)),
        ("occupation".to_owned(), text(occupation)),
        ("satisfaction".to_owned(), ColumnData::Integer(scale)),
        ("heard_from".to_owned(), ColumnData::Choices(heard)),
        ("opinion".to_owned(), ColumnData::Choices(terms)),
        ("opinion_themes".to_owned(), ColumnData::Choices(themes)),
    ]
}

/// Every count a release shows, with where it is.
fn shown_counts(release: &Release) -> Vec<(String, u64)> {
    let mut counts = Vec::new();
    for (part, value) in [
        ("questions", serde_json::to_value(&release.questions)),
        ("opinions", serde_json::to_value(&release.opinions)),
        ("themes", serde_json::to_value(&release.themes)),
    ] {
        collect_counts(part.to_owned(), &value.unwrap(), &mut counts);
    }
    counts
}

fn collect_counts(path: String, value: &Value, counts: &mut Vec<(String, u64)>) {
    match value {
        Value::Object(fields) => {
            // Shares, moments and tests follow from the counts.
            let derived = ["percentages", "share", "mean", "sd", "ci95", "test"];
            for (key, value) in fields.iter().filter(|(key, _)| !derived.contains(&key.as_str())) {
                collect_counts(format!("{path}.{key}"), value, counts);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                collect_counts(format!("{path}[{i}]"), value, counts);
            }
        }
        Value::Number(n) => counts.extend(n.as_u64().map(|n| (path, n))),
        _ => {}
    }
}

#[test]
fn every_random_dataset_passes_the_audit_and_shows_no_small_count() {
    let attributes = [
        Variable::unlabelled("gender", QuestionType::SingleChoice, &["female", "male", "other"]),
        Variable::unlabelled("age_band", QuestionType::SingleChoice, &["young", "middle", "old"]),
        Variable::unlabelled("occupation", QuestionType::SingleChoice, &OCCUPATIONS),
    ];
    let questions = [
        Variable::unlabelled("satisfaction", QuestionType::Scale, &["1", "2", "3"]),
        Variable::unlabelled("heard_from", QuestionType::MultiChoice, &["sns", "paper", "friend"]),
        attributes[0].clone(),
        attributes[1].clone(),
        attributes[2].clone(),
    ];
    let texts = [Variable::unlabelled("opinion", QuestionType::Text, &[])];
    let coded = [Variable::unlabelled(
        "opinion_themes",
        QuestionType::MultiChoice,
        &["praise", "noise"],
    )];
    let spec = ReleaseSpec {
        attributes: &attributes,
        questions: &questions,
        texts: &texts,
        coded: &coded,
        min_cell: MIN_CELL,
        top_terms: 10,
    };
    for seed in 0..100 {
        let frame = build_frame(dataset(seed)).unwrap();
        let (whole, sections) = release_with_sections(&[frame], &spec, |p| Some(p[..4].to_owned()))
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        for release in std::iter::once(&whole).chain(sections.iter().map(|(_, r)| r)) {
            for (path, count) in shown_counts(release) {
                assert!(count == 0 || count >= MIN_CELL, "seed {seed}: {path} shows {count}");
            }
        }
    }
}
