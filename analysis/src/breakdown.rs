//! Attribute breakdowns: one question tabulated by one or more attributes, with counts and shares
//! per option, moments for numeric questions, and a chi-square test of independence.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use serde::Serialize;

use crate::frame::{responses, weighted, WEIGHT};
use crate::spec::{Choice, Label, QuestionType, Variable};
use crate::stats::{ci95, independence_test, IndependenceTest};
use crate::AnalysisError;

/// Counts per option value; a `None` count was withheld by disclosure control.
pub type Counts = BTreeMap<String, Option<u64>>;
pub type Shares = BTreeMap<String, Option<f64>>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moments {
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    /// Student's t interval of the mean; none below [`crate::stats::MIN_N_FOR_INTERVAL`] answers.
    pub ci95: Option<[f64; 2]>,
    /// The interval passed an end of the scale and was cut there.
    pub ci95_clipped: bool,
}

impl Moments {
    /// The moments of `n` answers to `question`, with the interval of their mean.
    pub fn of(question: &Variable, mean: Option<f64>, sd: Option<f64>, n: u64) -> Self {
        let interval = mean.zip(sd).and_then(|(mean, sd)| ci95(mean, sd, n, question.range()));
        Self {
            mean,
            sd,
            ci95: interval.map(|(bounds, _)| bounds),
            ci95_clipped: interval.is_some_and(|(_, clipped)| clipped),
        }
    }

    /// Moments not shown.
    pub fn withheld() -> Self {
        Self {
            mean: None,
            sd: None,
            ci95: None,
            ci95_clipped: false,
        }
    }
}

/// The figures of one group (or of everyone).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Respondents to the question in this group.
    pub n: Option<u64>,
    /// Per option: respondents who chose it (for multi choice, who ticked it).
    pub counts: Option<Counts>,
    /// Per option: `counts` as a percentage of `n`, full precision.
    pub percentages: Option<Shares>,
    /// Present for scale and number questions.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub moments: Option<Moments>,
    /// Channel analysis only: per option, respondents who named that option and no other.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only: Option<Counts>,
    /// Releases only, where a table merges options: the group's count in them together (absent
    /// where withheld).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_count: Option<u64>,
    pub suppressed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Attribute id to its value (`None`: the attribute's question was skipped).
    pub key: BTreeMap<String, Option<String>>,
    pub labels: BTreeMap<String, Label>,
    #[serde(flatten)]
    pub cell: Cell,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub question: String,
    pub question_label: Label,
    pub question_type: QuestionType,
    pub options: Vec<Choice>,
    pub by: Vec<String>,
    pub n: Option<u64>,
    pub groups: Vec<Group>,
    pub total: Cell,
    pub test: Option<IndependenceTest>,
    /// For a release whose table withholds some counts: the groups and options the test was
    /// computed on, those whose counts are all shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_rests_on: Option<TestBasis>,
    /// For a release: the categories its table shows only together.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged: Option<Merged>,
}

/// The small categories of a released table, shown together where their parts are withheld.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merged {
    /// The question's options (`None`: those who skipped it) that each group's `merged_count`
    /// counts together.
    pub options: Vec<Option<String>>,
    /// The attribute's categories shown together as one group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<MergedGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergedGroup {
    /// The attribute's values it holds (`None`: those who did not answer the attribute).
    pub values: Vec<Option<String>>,
    pub labels: Vec<Label>,
    #[serde(flatten)]
    pub cell: Cell,
}

/// The part of a table a test was computed on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestBasis {
    /// Each group's value of the attribute (`None`: those who did not answer it).
    pub groups: Vec<Option<String>>,
    pub options: Vec<String>,
}

pub(crate) const ALL: &str = "__all";
const VALUE: &str = "__value";
const N: &str = "__n";
const COUNT: &str = "__count";
const MEAN: &str = "__mean";
const SD: &str = "__sd";
const SQUARED_DEVIATION: &str = "__squared_deviation";

/// A group's attribute values, in the order of the attributes grouped by.
pub type Key = Vec<Option<String>>;

#[derive(Default)]
struct Tally {
    n: u64,
    counts: HashMap<String, u64>,
    only: HashMap<String, u64>,
    mean: Option<f64>,
    sd: Option<f64>,
}

/// Tabulates `question` by the attributes `by` (none: the total only). The frame has one row per
/// response with a column per variable, typed as [`QuestionType`] says.
pub fn breakdown(frame: &DataFrame, question: &Variable, by: &[Variable]) -> Result<Breakdown, AnalysisError> {
    tabulate(frame, question, by, false)
}

/// The breakdown of a multi-choice "how did you hear of it" question, plus per channel the number
/// of respondents who named only that channel.
pub fn channels(frame: &DataFrame, question: &Variable, by: &[Variable]) -> Result<Breakdown, AnalysisError> {
    if question.kind != QuestionType::MultiChoice {
        return Err(AnalysisError::Unsupported(format!(
            "{} is not a multi-choice question",
            question.id
        )));
    }
    tabulate(frame, question, by, true)
}

fn tabulate(
    frame: &DataFrame,
    question: &Variable,
    by: &[Variable],
    with_only: bool,
) -> Result<Breakdown, AnalysisError> {
    if question.kind == QuestionType::Text {
        return Err(AnalysisError::Unsupported(format!(
            "{} is a free-text question",
            question.id
        )));
    }
    if let Some(attribute) = by
        .iter()
        .find(|a| a.kind != QuestionType::SingleChoice || a.id == question.id)
    {
        return Err(AnalysisError::Unsupported(format!("cannot group by {}", attribute.id)));
    }
    let answered = answered(frame, question);
    let keys: Vec<String> = by.iter().map(|a| a.id.clone()).collect();
    let mut groups_tallies = if by.is_empty() {
        Vec::new()
    } else {
        tally(answered.clone(), question, &keys, with_only)?
    };
    let total_tally = tally(
        answered.with_column(lit(ALL).alias(ALL)),
        question,
        &[ALL.to_owned()],
        with_only,
    )?
    .into_iter()
    .next()
    .map(|(_, tally)| tally)
    .unwrap_or_default();
    groups_tallies.sort_by_key(|(key, _)| rank(by, key));
    let test = match question.kind {
        QuestionType::SingleChoice | QuestionType::Scale if !by.is_empty() => independence_test(
            &groups_tallies
                .iter()
                .map(|(_, tally)| {
                    question
                        .options
                        .iter()
                        .map(|o| tally.counts.get(&o.value).copied().unwrap_or(0))
                        .collect()
                })
                .collect::<Vec<_>>(),
        ),
        _ => None,
    };
    let groups = groups_tallies
        .iter()
        .map(|(key, tally)| Group {
            key: key_map(by, key),
            labels: labels(by, key),
            cell: cell(question, tally, with_only),
        })
        .collect();
    let total = cell(question, &total_tally, with_only);
    Ok(Breakdown {
        question: question.id.clone(),
        question_label: question.label.clone(),
        question_type: question.kind,
        options: question.options.clone(),
        by: keys,
        n: total.n,
        groups,
        total,
        test,
        test_rests_on: None,
        merged: None,
    })
}

/// Sorts groups in the form's order of each attribute.
pub(crate) fn rank(by: &[Variable], key: &Key) -> Vec<usize> {
    by.iter()
        .zip(key)
        .map(|(attribute, value)| attribute.rank_of(value.as_deref()))
        .collect()
}

pub(crate) fn key_map(by: &[Variable], key: &Key) -> BTreeMap<String, Option<String>> {
    by.iter()
        .zip(key)
        .map(|(a, value)| (a.id.clone(), value.clone()))
        .collect()
}

pub(crate) fn labels(by: &[Variable], key: &Key) -> BTreeMap<String, Label> {
    by.iter()
        .zip(key)
        .map(|(a, value)| (a.id.clone(), a.label_of(value.as_deref())))
        .collect()
}

/// Rows that answered the question; for multi choice an empty list counts as skipped.
fn answered(frame: &DataFrame, question: &Variable) -> LazyFrame {
    let rows = weighted(frame).filter(col(question.id.as_str()).is_not_null());
    match question.kind {
        QuestionType::MultiChoice => rows.filter(col(question.id.as_str()).list().len().gt(lit(0))),
        _ => rows,
    }
}

fn tally(
    answered: LazyFrame,
    question: &Variable,
    keys: &[String],
    with_only: bool,
) -> Result<Vec<(Key, Tally)>, AnalysisError> {
    let q = question.id.as_str();
    let key_columns: Vec<Expr> = keys.iter().map(|k| col(k.as_str())).collect();
    let mut aggregates = vec![responses().alias(N)];
    let mut rows = answered.clone();
    if question.kind.is_numeric() {
        // Weighted moments in two passes (the mean first), as exact as unweighted ones.
        let value = col(q).cast(DataType::Float64);
        let weight = col(WEIGHT).cast(DataType::Float64);
        let weighted_sum = (value.clone() * weight.clone()).sum();
        let mean = weighted_sum.clone() / weight.clone().sum();
        rows = rows
            .with_column(((value - mean.over(key_columns.clone())?).pow(2) * weight.clone()).alias(SQUARED_DEVIATION));
        let n = weight.sum();
        aggregates.push((weighted_sum / n.clone()).alias(MEAN));
        aggregates.push(
            when(n.clone().gt(lit(1.0)))
                .then((col(SQUARED_DEVIATION).sum() / (n - lit(1.0))).sqrt())
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(SD),
        );
    }
    let sizes = rows.group_by(key_columns.clone()).agg(aggregates).collect()?;
    let mut tallies: HashMap<Key, Tally> = HashMap::new();
    let size_keys = read_keys(&sizes, keys)?;
    let n = sizes.column(N)?.u64()?;
    let numeric = question.kind.is_numeric();
    let means = numeric
        .then(|| sizes.column(MEAN).and_then(|c| c.f64().cloned()))
        .transpose()?;
    let sds = numeric
        .then(|| sizes.column(SD).and_then(|c| c.f64().cloned()))
        .transpose()?;
    for (row, key) in size_keys.into_iter().enumerate() {
        let tally = tallies.entry(key).or_default();
        tally.n = n.get(row).unwrap_or(0);
        tally.mean = means.as_ref().and_then(|m| m.get(row));
        tally.sd = sds.as_ref().and_then(|s| s.get(row));
    }
    if question.kind.has_options() {
        let values = option_values(answered.clone(), question);
        for (key, value, count) in count_by(values, keys)? {
            tallies.entry(key).or_default().counts.insert(value, count);
        }
        if with_only {
            let single = option_values(answered.filter(col(q).list().len().eq(lit(1))), question);
            for (key, value, count) in count_by(single, keys)? {
                tallies.entry(key).or_default().only.insert(value, count);
            }
        }
    }
    Ok(tallies.into_iter().collect())
}

/// One row per chosen option, its value as text in `VALUE`.
fn option_values(rows: LazyFrame, question: &Variable) -> LazyFrame {
    let q = question.id.as_str();
    match question.kind {
        QuestionType::MultiChoice => rows
            .explode(
                cols([q]),
                ExplodeOptions {
                    empty_as_null: false,
                    keep_nulls: false,
                },
            )
            .with_column(col(q).alias(VALUE)),
        _ => rows.with_column(col(q).cast(DataType::String).alias(VALUE)),
    }
}

fn count_by(values: LazyFrame, keys: &[String]) -> Result<Vec<(Key, String, u64)>, AnalysisError> {
    let mut group: Vec<Expr> = keys.iter().map(|k| col(k.as_str())).collect();
    group.push(col(VALUE));
    let counted = values
        .filter(col(VALUE).is_not_null())
        .group_by(group)
        .agg([responses().alias(COUNT)])
        .collect()?;
    let row_keys = read_keys(&counted, keys)?;
    let values = counted.column(VALUE)?.str()?;
    let counts = counted.column(COUNT)?.u64()?;
    Ok(row_keys
        .into_iter()
        .enumerate()
        .filter_map(|(row, key)| Some((key, values.get(row)?.to_owned(), counts.get(row)?)))
        .collect())
}

pub(crate) fn read_keys(frame: &DataFrame, keys: &[String]) -> Result<Vec<Key>, AnalysisError> {
    let columns = keys
        .iter()
        .map(|k| frame.column(k).and_then(|c| c.cast(&DataType::String)))
        .collect::<PolarsResult<Vec<_>>>()?;
    let columns = columns.iter().map(|c| c.str()).collect::<PolarsResult<Vec<_>>>()?;
    Ok((0..frame.height())
        .map(|row| columns.iter().map(|c| c.get(row).map(str::to_owned)).collect())
        .collect())
}

fn cell(question: &Variable, tally: &Tally, with_only: bool) -> Cell {
    let per_option = |counts: &HashMap<String, u64>| -> Counts {
        question
            .options
            .iter()
            .map(|o| (o.value.clone(), Some(counts.get(&o.value).copied().unwrap_or(0))))
            .collect()
    };
    let counts = question.kind.has_options().then(|| per_option(&tally.counts));
    Cell {
        n: Some(tally.n),
        percentages: counts.as_ref().map(|counts| percentages(counts, Some(tally.n))),
        counts,
        moments: question
            .kind
            .is_numeric()
            .then(|| Moments::of(question, tally.mean, tally.sd, tally.n)),
        only: with_only.then(|| per_option(&tally.only)),
        merged_count: None,
        suppressed: false,
    }
}

/// Each count as a percentage of `n`; withheld where the count or `n` is.
pub fn percentages(counts: &Counts, n: Option<u64>) -> Shares {
    counts
        .iter()
        .map(|(value, count)| {
            let share = count
                .zip(n.filter(|&n| n > 0))
                .map(|(count, n)| count as f64 * 100.0 / n as f64);
            (value.clone(), share)
        })
        .collect()
}
