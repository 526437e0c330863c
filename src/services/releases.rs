//! Protected releases: the figures that may leave the staff's hands (the aggregate document and
//! researchers' opinion terms). Every one is built here, by `analysis::release`, from the whole
//! partitions a [`ReleaseRequest`] names, under one suppression pattern; see that module for the
//! guarantees. Blocking: call from a blocking thread.

use std::collections::BTreeSet;

use analysis::frame::{build_frame, ColumnData};
use analysis::release::counts::PARTITION;
use analysis::release::{release, Release, ReleaseSpec};
use analysis::spec::{QuestionType, Variable};
use chrono::NaiveDate;
use diesel::PgConnection;
use serde_json::{json, Map, Value};

use crate::db;
use crate::db::answers::CONTEXT_COLUMNS;
use crate::db::forms::StoredForm;
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

/// A release with the form it is of.
struct Released {
    form: StoredForm,
    release: Release,
}

/// Loads the requested partitions' answers to `closed` and `texts` (segmented into each
/// comment's distinct terms) and protects every table of them.
fn build(
    conn: &mut PgConnection,
    request: &ReleaseRequest,
    form: StoredForm,
    closed: &[Variable],
    texts: &[Variable],
    segmenter: Option<&Segmenter>,
) -> Result<Released, InsightError> {
    let attributes: Vec<Variable> = ATTRIBUTE_QUESTIONS
        .iter()
        .filter_map(|id| form.definition.question(id))
        .map(survey_frame::variable)
        .collect();
    let mut ids: Vec<&str> = closed.iter().chain(texts).map(|v| v.id.as_str()).collect();
    ids.extend(
        attributes
            .iter()
            .map(|a| a.id.as_str())
            .filter(|id| !closed.iter().any(|v| v.id == *id)),
    );
    let (partitions, rows) = load(conn, request, &ids)?;
    let loaded: Vec<Variable> = closed
        .iter()
        .chain(texts)
        .cloned()
        .chain(
            attributes
                .iter()
                .filter(|a| !closed.iter().any(|v| v.id == a.id))
                .cloned(),
        )
        .collect();
    let mut columns = survey_frame::columns(&loaded, &rows, 0);
    for (text, column) in texts.iter().zip(columns.iter_mut().skip(closed.len())) {
        if let (Some(segmenter), ColumnData::Text(comments)) = (segmenter, &column.1) {
            column.1 = ColumnData::Choices(
                comments
                    .iter()
                    .map(|c| distinct_terms(segmenter, c.as_deref()))
                    .collect(),
            );
        }
        debug_assert_eq!(column.0, text.id);
    }
    columns.push((PARTITION.to_owned(), ColumnData::Text(partitions)));
    let frame = build_frame(columns)?;
    let release = release(
        &frame,
        &ReleaseSpec {
            attributes: &attributes,
            questions: closed,
            texts,
            min_cell: request.min_cell,
            top_terms: TOP_TERMS,
        },
    )?;
    Ok(Released { form, release })
}

/// Each loaded response's partition (`"2019/seminar"`).
type Partitions = Vec<Option<String>>;

/// Each response's partition and its answers to `ids`: for researchers, those the settled
/// partitions held when first released (frozen now if they are released for the first time);
/// for staff, the live responses of the filter.
fn load(
    conn: &mut PgConnection,
    request: &ReleaseRequest,
    ids: &[&str],
) -> Result<(Partitions, Vec<Vec<Value>>), InsightError> {
    let filter = &request.filter;
    let (context, rows) = match request.settled_until {
        Some(settled_until) => {
            db::releases::freeze_settled(conn, &filter.form, settled_until)?;
            (
                1,
                db::releases::load(conn, &filter.form, filter.fiscal_year, filter.kind, ids)?,
            )
        }
        None => (CONTEXT_COLUMNS.len(), db::answers::load(conn, filter, ids, true)?),
    };
    Ok(rows
        .into_iter()
        .map(|mut row| {
            let partition = match request.settled_until {
                Some(_) => row.first().and_then(Value::as_str).map(str::to_owned),
                None => partition_of(&row),
            };
            (partition, row.split_off(context.min(row.len())))
        })
        .unzip())
}

/// A comment's distinct terms; `None` for no comment.
fn distinct_terms(segmenter: &Segmenter, comment: Option<&str>) -> Option<Vec<String>> {
    let comment = comment.map(str::trim).filter(|c| !c.is_empty())?;
    Some(
        segmenter
            .terms(comment)
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    )
}

/// The partition of a row loaded with its context: the fiscal year its event was held in and
/// the event's kind.
fn partition_of(row: &[Value]) -> Option<String> {
    let context = |name: &str| {
        let index = CONTEXT_COLUMNS.iter().position(|(column, _)| *column == name)?;
        row.get(index)?.as_str()
    };
    let held_on: NaiveDate = context("held_on")?.parse().ok()?;
    Some(format!("{}/{}", FiscalYear::of(held_on).0, context("event_kind")?))
}

/// The aggregate document: every closed question in total and by each shared attribute, and the
/// term tables of every free-text question (`null` when word segmentation is unavailable).
/// Holds no free text, no ids of responses and no dates of them.
pub fn aggregate(
    conn: &mut PgConnection,
    lazy: &LazySegmenter,
    request: &ReleaseRequest,
) -> Result<Value, InsightError> {
    let form = latest_form(conn, &request.filter.form)?;
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
    let Released { form, release } = build(conn, request, form, &closed, &texts, segmenter)?;
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
    let opinions: Option<Vec<Value>> = segmenter.map(|_| {
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
    Ok(json!({
        "schema_version": AGGREGATE_SCHEMA_VERSION,
        "generated_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "form": {"slug": form.definition.slug, "version": form.version, "title": form.definition.title},
        "filters": request.filter.to_json(),
        "min_cell": request.min_cell,
        "responses": release.responses,
        "questions": questions,
        "opinions": opinions,
    }))
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
    conn: &mut PgConnection,
    lazy: &LazySegmenter,
    request: &ReleaseRequest,
    question: &str,
    by: Option<&str>,
) -> Result<Value, InsightError> {
    let form = latest_form(conn, &request.filter.form)?;
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
    let Released { form, release } = build(conn, request, form, &[], std::slice::from_ref(&text), Some(segmenter))?;
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
