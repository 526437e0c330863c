//! A programme like the one served, for measuring releases: three fiscal years of seminars,
//! forums and study sessions (with supervision, which asks the study session's form), 40 to 250
//! respondents per partition, answers skewed as real ones are.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use crate::common::Lcg;
use analysis::frame::{build_frame, ColumnData};
use analysis::polars::prelude::DataFrame;
use analysis::release::counts::PARTITION;
use analysis::release::ReleaseSpec;
use analysis::spec::{QuestionType, Variable};
use serde_json::Value;

pub const MIN_CELL: u64 = 5;
/// The option values of the attribute block and the seminar form's questions, as shipped: the
/// dataset asks what the forms ask.
pub static SHIPPED: LazyLock<BTreeMap<String, Vec<&'static str>>> = LazyLock::new(|| {
    let mut questions: Vec<Value> =
        serde_json::from_str(include_str!("../../../survey_forms/shared/attributes.json")).unwrap();
    let seminar: Value = serde_json::from_str(include_str!("../../../survey_forms/seminar.json")).unwrap();
    questions.extend(seminar["questions"].as_array().unwrap().iter().cloned());
    questions
        .iter()
        .filter_map(|question| {
            let values = question["options"].as_array()?.iter().map(|option| {
                let value = option["value"].as_str().unwrap_or_default().to_owned();
                &*Box::leak(value.into_boxed_str())
            });
            Some((question["id"].as_str()?.to_owned(), values.collect()))
        })
        .collect()
});

pub fn options(id: &str) -> &'static [&'static str] {
    &SHIPPED[id]
}

/// How each kind's people answer: weights per option, then for skipping the question.
pub struct Profile {
    pub gender: [u64; 5],
    pub age: [u64; 9],
    pub occupation: [u64; 13],
    pub relation: [u64; 6],
    pub satisfaction: [u64; 6],
    /// Chance in 100 of naming each channel.
    pub channels: [u64; 8],
}

pub const SEMINAR: Profile = Profile {
    gender: [35, 58, 2, 3, 2],
    age: [1, 8, 20, 25, 28, 13, 3, 1, 1],
    occupation: [20, 3, 8, 2, 3, 0, 1, 2, 6, 40, 10, 3, 2],
    relation: [60, 25, 8, 4, 2, 1],
    satisfaction: [2, 3, 12, 38, 44, 1],
    channels: [10, 8, 2, 12, 6, 55, 20, 3],
};
pub const FORUM: Profile = Profile {
    gender: [55, 40, 1, 2, 2],
    age: [2, 6, 12, 20, 24, 22, 12, 1, 1],
    occupation: [18, 15, 5, 20, 20, 4, 6, 2, 4, 2, 3, 1, 1],
    relation: [10, 15, 45, 27, 2, 1],
    satisfaction: [1, 2, 10, 40, 46, 1],
    channels: [25, 40, 15, 18, 20, 25, 15, 4],
};
pub const STUDY: Profile = Profile {
    gender: [60, 37, 1, 1, 1],
    age: [0, 15, 28, 27, 20, 8, 1, 1, 0],
    occupation: [3, 25, 2, 35, 28, 5, 2, 0, 0, 0, 1, 0, 1],
    relation: [3, 2, 85, 8, 1, 1],
    satisfaction: [1, 2, 8, 39, 50, 0],
    channels: [10, 20, 2, 15, 5, 60, 10, 2],
};

/// One respondent: their partition, attributes (gender, age band, occupation, relation) and
/// answers.
pub struct Respondent {
    pub partition: String,
    pub attributes: [Option<&'static str>; 4],
    pub satisfaction: Option<i64>,
    pub heard: Option<Vec<String>>,
}

pub const ATTRIBUTES: [&str; 4] = ["gender", "age_band", "occupation", "relation"];

/// One form's respondents: per partition ("2023/seminar"), its size and how its people answer.
pub fn respondents(partitions: &[(String, u64, &Profile)], rng: &mut Lcg) -> Vec<Respondent> {
    let mut all = Vec::new();
    for (name, size, profile) in partitions {
        for _ in 0..*size {
            let mut pick = |values: &[&'static str], weights: &[u64]| rng.pick(weights).map(|i| values[i]);
            let attributes = [
                pick(options("gender"), &profile.gender),
                pick(options("age_band"), &profile.age),
                pick(options("occupation"), &profile.occupation),
                pick(options("relation"), &profile.relation),
            ];
            let satisfaction = rng.pick(&profile.satisfaction).map(|i| i as i64 + 1);
            let heard = (rng.below(100) < 90).then(|| {
                let named: Vec<String> = options("heard_from")
                    .iter()
                    .zip(profile.channels)
                    .filter(|(_, chance)| rng.below(100) < *chance)
                    .map(|(c, _)| (*c).to_owned())
                    .collect();
                if named.is_empty() {
                    vec!["other".to_owned()]
                } else {
                    named
                }
            });
            all.push(Respondent {
                partition: name.clone(),
                attributes,
                satisfaction,
                heard,
            });
        }
    }
    all
}

/// The partitions of the seminar, forum and study session forms ("2023/seminar"), each with its
/// size and how its people answer.
pub type Partitions = Vec<(String, u64, &'static Profile)>;

pub const YEARS: [&str; 3] = ["2023", "2024", "2025"];

/// The three forms' partitions, sizes drawn from `rng`.
pub fn forms(rng: &mut Lcg) -> Vec<Partitions> {
    let size = |rng: &mut Lcg| 40 + rng.below(211);
    vec![
        YEARS
            .iter()
            .map(|y| (format!("{y}/seminar"), size(rng), &SEMINAR))
            .collect(),
        YEARS
            .iter()
            .map(|y| (format!("{y}/forum"), size(rng), &FORUM))
            .collect(),
        YEARS
            .iter()
            .flat_map(|y| [format!("{y}/study_session"), format!("{y}/supervision")])
            .map(|name| (name, size(rng), &STUDY))
            .collect(),
    ]
}

/// Every release a researcher may request of one form's partitions (each choice of fiscal year
/// and kind), labelled by what it pools, with the partitions it covers.
pub fn releases(partitions: &Partitions) -> Vec<(&'static str, Vec<String>)> {
    let names: Vec<String> = partitions.iter().map(|(name, _, _)| name.clone()).collect();
    let mut choices: Vec<(&'static str, Vec<String>)> =
        names.iter().map(|n| ("one partition", vec![n.clone()])).collect();
    for year in YEARS {
        let covered: Vec<String> = names.iter().filter(|n| n.starts_with(year)).cloned().collect();
        if covered.len() > 1 {
            choices.push(("one fiscal year", covered));
        }
    }
    let kinds: BTreeSet<&str> = names.iter().filter_map(|n| n.split_once('/')).map(|(_, k)| k).collect();
    for kind in &kinds {
        let covered: Vec<String> = names.iter().filter(|n| n.ends_with(kind)).cloned().collect();
        choices.push(("one kind, three years", covered));
    }
    if kinds.len() > 1 {
        choices.push(("everything", names.clone()));
    }
    choices
}

/// The respondents' answers, each in its partition or, `as_one`, all in one.
pub fn frame(respondents: &[&Respondent], as_one: bool) -> DataFrame {
    let partition = |r: &Respondent| match as_one {
        true => "pooled".to_owned(),
        false => r.partition.clone(),
    };
    let mut data = vec![(
        PARTITION.to_owned(),
        ColumnData::Text(respondents.iter().map(|r| Some(partition(r))).collect()),
    )];
    for (i, id) in ATTRIBUTES.iter().enumerate() {
        let values = respondents.iter().map(|r| r.attributes[i].map(str::to_owned)).collect();
        data.push(((*id).to_owned(), ColumnData::Text(values)));
    }
    data.push((
        "satisfaction".to_owned(),
        ColumnData::Integer(respondents.iter().map(|r| r.satisfaction).collect()),
    ));
    data.push((
        "heard_from".to_owned(),
        ColumnData::Choices(respondents.iter().map(|r| r.heard.clone()).collect()),
    ));
    build_frame(data).unwrap()
}

/// The attribute block and the closed questions every form of the programme asks (the
/// attributes are questions too).
pub fn variables() -> (Vec<Variable>, Vec<Variable>) {
    let attributes: Vec<Variable> = ATTRIBUTES
        .iter()
        .map(|id| Variable::unlabelled(id, QuestionType::SingleChoice, options(id)))
        .collect();
    let mut questions = vec![
        Variable::unlabelled("satisfaction", QuestionType::Scale, &SCALE),
        Variable::unlabelled("heard_from", QuestionType::MultiChoice, options("heard_from")),
    ];
    questions.extend(attributes.iter().cloned());
    (attributes, questions)
}

pub const SCALE: [&str; 5] = ["1", "2", "3", "4", "5"];

/// The options of a closed question of the programme (the scale's points for satisfaction).
pub fn values(id: &str) -> &'static [&'static str] {
    match id {
        "satisfaction" => &SCALE,
        id => options(id),
    }
}

impl Respondent {
    /// The answer to `question` as the values it counts under (a list's ticks).
    pub fn answer(&self, question: &str) -> Vec<String> {
        match question {
            "satisfaction" => self.satisfaction.map(|s| s.to_string()).into_iter().collect(),
            "heard_from" => self.heard.clone().unwrap_or_default(),
            attribute => {
                let i = ATTRIBUTES.iter().position(|a| *a == attribute).unwrap();
                self.attributes[i].map(str::to_owned).into_iter().collect()
            }
        }
    }

    /// The index among `values(id)` of the answer to a single-answer question, its number of
    /// values for "not answered".
    pub fn category(&self, id: &str) -> usize {
        let answer = self.answer(id);
        answer
            .first()
            .map_or(values(id).len(), |v| values(id).iter().position(|o| o == v).unwrap())
    }
}

/// The release of these variables, as served: every closed question by every attribute.
pub fn spec<'a>(attributes: &'a [Variable], questions: &'a [Variable]) -> ReleaseSpec<'a> {
    ReleaseSpec {
        attributes,
        questions,
        texts: &[],
        coded: &[],
        min_cell: MIN_CELL,
        top_terms: 10,
    }
}
