//! Protected releases: the figures that may leave the staff's hands (the aggregate document and
//! researchers' opinion terms). Every one is built here, by `analysis::release`, from the whole
//! partitions a [`ReleaseRequest`] names, under one suppression pattern; see that module for the
//! guarantees. A connection is held only while loading. Blocking: call from a blocking thread.

use std::collections::BTreeSet;

use analysis::frame::{build_weighted_frame, ColumnData};
use analysis::polars::prelude::DataFrame;
use analysis::release::counts::PARTITION;
use analysis::release::{release_with_sections, Release, ReleaseSpec};
use analysis::spec::{QuestionType, Variable};
use serde_json::{json, Map, Value};

use crate::db::answers::Counted;
use crate::db::forms::StoredForm;
use crate::db::{self, Connections};
use crate::domain::era::fiscal_year_label;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::form::ATTRIBUTE_QUESTIONS;
use crate::domain::release_request::ReleaseRequest;
use crate::domain::validation::ValidationError;
use crate::services::insights::{latest_form, InsightError};
use crate::services::survey_frame;
use crate::text::segmenter::{LazySegmenter, Segmenter};

/// Version of the aggregate document's layout; bumped on any incompatible change.
pub const AGGREGATE_SCHEMA_VERSION: u32 = 2;
/// Most terms listed per free-text question.
const TOP_TERMS: usize = 30;

/// A release with the form it is of, and its sections by fiscal year (oldest first).
struct Released {
    form: StoredForm,
    release: Release,
    fiscal_years: Vec<(FiscalYear, Release)>,
}

/// Loads the requested partitions' answers to `closed` and `texts` (segmented into each
/// comment's distinct terms) and protects every table of them, also per fiscal year if
/// `by_fiscal_year`.
fn build(
    connections: &mut impl Connections,
    request: &ReleaseRequest,
    form: StoredForm,
    closed: &[Variable],
    texts: &[Variable],
    segmenter: Option<&Segmenter>,
    by_fiscal_year: bool,
) -> Result<Released, InsightError> {
    let attributes: Vec<Variable> = ATTRIBUTE_QUESTIONS
        .iter()
        .filter_map(|id| form.definition.question(id))
        .map(survey_frame::variable)
        .collect();
    // Narrow frames, all counted from one scan, each growing with the distinct answers rather
    // than with the responses: every pair of attributes and every question with each attribute
    // (a variable's own counts are its pair's, summed), all that a release tabulates.
    let questions: Vec<&Variable> = closed
        .iter()
        .filter(|q| !attributes.iter().any(|a| a.id == q.id))
        .chain(texts)
        .collect();
    // The partitions alone first: their sizes decide what is released at all.
    let mut sets: Vec<Vec<&Variable>> = vec![Vec::new()];
    for (i, attribute) in attributes.iter().enumerate() {
        sets.extend(attributes[i + 1..].iter().map(|other| vec![attribute, other]));
    }
    for question in &questions {
        sets.extend(attributes.iter().map(|attribute| vec![*question, attribute]));
        if attributes.is_empty() {
            sets.push(vec![question]);
        }
    }
    if attributes.len() == 1 {
        sets.push(attributes.iter().collect());
    }
    let ids: Vec<Vec<&str>> = sets
        .iter()
        .map(|set| set.iter().map(|v| v.id.as_str()).collect())
        .collect();
    let filter = &request.filter;
    let counted = connections.with(|conn| match request.settled_until {
        Some(settled_until) => {
            db::releases::freeze_settled(conn, &filter.form, settled_until)?;
            db::releases::count_sets(conn, &filter.form, filter.fiscal_year, filter.kind, &ids)
        }
        None => db::answers::count_sets(conn, filter, &ids),
    })?;
    let frames = sets
        .iter()
        .zip(&counted)
        .map(|(set, counted)| {
            let is_text = set.first().is_some_and(|v| v.kind == QuestionType::Text);
            counted_frame(set, counted, segmenter.filter(|_| is_text))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let spec = ReleaseSpec {
        attributes: &attributes,
        questions: closed,
        texts,
        min_cell: request.min_cell,
        top_terms: TOP_TERMS,
    };
    // Partitions are named "2019/seminar": a fiscal year's section is its partitions' sum.
    let (release, sections) = release_with_sections(&frames, &spec, |partition| {
        let (year, _) = partition.split_once('/').filter(|_| by_fiscal_year)?;
        Some(year.to_owned())
    })?;
    let fiscal_years = sections
        .into_iter()
        .filter_map(|(year, release)| Some((FiscalYear(year.parse().ok()?), release)))
        .collect();
    Ok(Released {
        form,
        release,
        fiscal_years,
    })
}

/// A frame of `variables` (a free-text one first, as its comments' distinct terms) and the
/// partition, weighted, from rows counted with the partition first.
fn counted_frame(
    variables: &[&Variable],
    counted: &Counted,
    segmenter: Option<&Segmenter>,
) -> Result<DataFrame, InsightError> {
    let variables: Vec<Variable> = variables.iter().map(|v| (*v).clone()).collect();
    let partitions = counted
        .iter()
        .map(|(row, _)| row.first().and_then(Value::as_str).map(str::to_owned))
        .collect();
    let rows: Vec<&[Value]> = counted.iter().map(|(row, _)| row.as_slice()).collect();
    let mut columns = survey_frame::columns(&variables, &rows, 1);
    if let (Some(segmenter), Some((_, ColumnData::Text(comments)))) = (segmenter, columns.first()) {
        let terms = comments
            .iter()
            .map(|c| distinct_terms(segmenter, c.as_deref()))
            .collect();
        columns[0].1 = ColumnData::Choices(terms);
    }
    columns.push((PARTITION.to_owned(), ColumnData::Text(partitions)));
    Ok(build_weighted_frame(
        columns,
        counted.iter().map(|(_, n)| *n).collect(),
    )?)
}

/// A comment's distinct terms, `None` for no comment.
fn distinct_terms(segmenter: &Segmenter, comment: Option<&str>) -> Option<Vec<String>> {
    let comment = comment.map(str::trim).filter(|c| !c.is_empty())?;
    let terms: BTreeSet<String> = segmenter.terms(comment).into_iter().collect();
    Some(terms.into_iter().collect())
}

/// The aggregate document: every closed question in total and by each shared attribute, and the
/// term tables of every free-text question (`null` when word segmentation is unavailable).
/// Holds no free text, no ids of responses and no dates of them.
pub fn aggregate(
    connections: &mut impl Connections,
    lazy: &LazySegmenter,
    request: &ReleaseRequest,
) -> Result<Value, InsightError> {
    let form = latest_form(connections, &request.filter.form)?;
    let variables: Vec<Variable> = form.definition.questions.iter().map(survey_frame::variable).collect();
    let closed: Vec<Variable> = variables.iter().filter(|v| v.kind.has_options()).cloned().collect();
    let segmenter = lazy
        .get()
        .inspect_err(|error| tracing::warn!(%error, "aggregate without opinion terms"))
        .ok();
    let texts: Vec<Variable> = match segmenter {
        Some(_) => variables.into_iter().filter(|v| v.kind == QuestionType::Text).collect(),
        None => Vec::new(),
    };
    let Released {
        form,
        release,
        fiscal_years,
    } = build(connections, request, form, &closed, &texts, segmenter, true)?;
    let with_opinions = segmenter.is_some();
    let fiscal_years: Vec<Value> = fiscal_years
        .iter()
        .map(|(year, release)| {
            let mut section = tables_json(release, with_opinions);
            section["fiscal_year"] = json!(year.0);
            section["label"] = json!({"ja": fiscal_year_label(*year), "en": format!("FY{}", year.0)});
            section
        })
        .collect();
    let mut document = tables_json(&release, with_opinions);
    document["schema_version"] = json!(AGGREGATE_SCHEMA_VERSION);
    document["generated_at"] = json!(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    document["form"] = json!({"slug": form.definition.slug, "version": form.version, "title": form.definition.title});
    document["filters"] = request.filter.to_json();
    document["min_cell"] = json!(request.min_cell);
    document["fiscal_years"] = json!(fiscal_years);
    Ok(document)
}

/// A release's respondents, closed-question tables and (`null` without word segmentation)
/// opinion term tables.
fn tables_json(release: &Release, with_opinions: bool) -> Value {
    let questions: Vec<Value> = release
        .questions
        .iter()
        .map(|tables| {
            let total = &tables.total;
            json!({
                "id": total.question,
                "label": total.question_label,
                "type": total.question_type,
                "options": total.options,
                "n": total.n,
                "total": total.total,
                "by": by_attribute(&tables.by, |t| &t.by, |t| json!({"groups": t.groups, "test": t.test})),
            })
        })
        .collect();
    let opinions: Option<Vec<Value>> = with_opinions.then(|| {
        release
            .opinions
            .iter()
            .map(|tables| {
                json!({
                    "id": tables.question,
                    "label": tables.question_label,
                    "comments": tables.total.comments,
                    "total": tables.total.total,
                    "by": by_attribute(&tables.by, |t| &t.by, |t| json!({"groups": t.groups})),
                })
            })
            .collect()
    });
    json!({"responses": release.responses, "questions": questions, "opinions": opinions})
}

fn by_attribute<T>(tables: &[T], by: impl Fn(&T) -> &Vec<String>, body: impl Fn(&T) -> Value) -> Map<String, Value> {
    tables
        .iter()
        .filter_map(|table| Some((by(table).first()?.clone(), body(table))))
        .collect()
}

/// One free-text question's term table, in total or by one shared attribute, taken from the
/// same release as the aggregate's.
pub fn opinions(
    connections: &mut impl Connections,
    lazy: &LazySegmenter,
    request: &ReleaseRequest,
    question: &str,
    by: Option<&str>,
) -> Result<Value, InsightError> {
    let form = latest_form(connections, &request.filter.form)?;
    let text = form
        .definition
        .question(question)
        .map(survey_frame::variable)
        .filter(|v| v.kind == QuestionType::Text)
        .ok_or_else(|| {
            ValidationError::new(
                "question",
                "invalid_value",
                format!("{question:?} is not a free-text question of this form"),
            )
        })?;
    if let Some(by) = by.filter(|by| !ATTRIBUTE_QUESTIONS.contains(by) || form.definition.question(by).is_none()) {
        return Err(ValidationError::new(
            "by",
            "invalid_value",
            format!(
                "cannot group by {by:?}: researchers' term tables are by one of gender, age_band, occupation, relation"
            ),
        )
        .into());
    }
    let segmenter = lazy.get().map_err(InsightError::TextUnavailable)?;
    let Released { form, release, .. } = build(
        connections,
        request,
        form,
        &[],
        std::slice::from_ref(&text),
        Some(segmenter),
        false,
    )?;
    let empty =
        || json!({"comments": null, "groups": [], "total": {"comments": null, "terms": null, "suppressed": true}});
    let tables = release.opinions.first();
    let table = match (tables, by) {
        (Some(tables), Some(by)) => tables
            .by
            .iter()
            .find(|t| t.by.first().is_some_and(|id| id == by))
            .map(|t| json!({"comments": tables.total.comments, "groups": t.groups, "total": tables.total.total})),
        (Some(tables), None) => {
            Some(json!({"comments": tables.total.comments, "groups": [], "total": tables.total.total}))
        }
        (None, _) => None,
    };
    let mut value = table.unwrap_or_else(empty);
    value["by"] = json!(by.into_iter().collect::<Vec<_>>());
    value["form"] = json!(form.definition.slug);
    value["form_version"] = json!(form.version);
    value["question"] = json!(text.id);
    value["question_label"] = json!(text.label);
    value["filters"] = request.filter.to_json();
    value["min_cell"] = json!(request.min_cell);
    Ok(value)
}
