//! Protected releases: the figures that may leave the staff's hands (the aggregate document and
//! researchers' opinion terms). Every one is built here, by `analysis::release`, from the whole
//! partitions a [`ReleaseRequest`] names, under one suppression pattern; see that module for the
//! guarantees. A connection is held only while loading. Blocking: call from a blocking thread.

use std::collections::BTreeSet;
use std::sync::Arc;

use analysis::breakdown::Cell;
use analysis::frame::{build_weighted_frame, ColumnData};
use analysis::polars::prelude::DataFrame;
use analysis::release::counts::PARTITION;
use analysis::release::{release_with_sections, ticked_tests, Release, ReleaseSpec};
use analysis::spec::{Choice, QuestionType, Variable};
use serde_json::{json, Map, Value};

use crate::db::answers::Counted;
use crate::db::forms::StoredForm;
use crate::db::releases::CodedQuestion;
use crate::db::{self, Connections};
use crate::domain::era::fiscal_year_label;
use crate::domain::event_column::EventColumn;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::form::ATTRIBUTE_QUESTIONS;
use crate::domain::release_request::ReleaseRequest;
use crate::domain::validation::ValidationError;
use crate::services::analyses::{latest_form, AnalysesError};
use crate::services::release_cache::{ReleaseCache, ReleaseKey};
use crate::services::{coding, survey_frame};
use crate::text::segmenter::{LazySegmenter, Segmenter};

/// Version of the aggregate document's layout; bumped on any incompatible change.
pub const AGGREGATE_SCHEMA_VERSION: u32 = 3;
/// Most terms listed per free-text question.
const TOP_TERMS: usize = 30;

/// A release with the form it is of, and its sections (each fiscal year's or each kind's, in
/// their order).
struct Released {
    form: StoredForm,
    release: Release,
    sections: Vec<(String, Release)>,
}

/// What a release tabulates by the shared attributes.
#[derive(Default)]
struct Tables<'a> {
    closed: &'a [Variable],
    /// Free-text questions, as each comment's distinct terms.
    texts: &'a [Variable],
    /// A coded free-text question as its comments' themes (its options), counted over the
    /// partitions whose codings were frozen only.
    coded: Option<(&'a Variable, CodedQuestion<'a>)>,
}

/// Loads the requested partitions' answers to `tables` and protects every table of them, also
/// per section of `sections` (each fiscal year or each kind).
fn build(
    connections: &mut impl Connections,
    request: &ReleaseRequest,
    form: StoredForm,
    tables: Tables,
    segmenter: Option<&Segmenter>,
    sections: Option<EventColumn>,
) -> Result<Released, AnalysesError> {
    let Tables { closed, texts, coded } = tables;
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
        .chain(coded.map(|(variable, _)| variable))
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
    let counted = connections.with(|conn| {
        let Some(settled_until) = request.settled_until else {
            return match coded {
                None => db::answers::count_sets(conn, filter, &ids).map(Ok),
                Some(_) => Ok(Err(ValidationError::new(
                    "codebook",
                    "not_allowed",
                    "released themes are for researchers",
                ))),
            };
        };
        db::releases::freeze_settled(conn, &filter.form, settled_until)?;
        let Some((_, question)) = coded else {
            return db::releases::count_sets(conn, &filter.form, filter.fiscal_year, filter.kind, &ids).map(Ok);
        };
        db::releases::freeze_codings(conn, &filter.form, question.codebook, question.question)?;
        db::releases::count_coded_sets(
            conn,
            &filter.form,
            question,
            filter.fiscal_year,
            filter.kind,
            settled_until,
            &ids,
        )
        .map(Ok)
    })??;
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
        coded: coded
            .map(|(variable, _)| std::slice::from_ref(variable))
            .unwrap_or_default(),
        min_cell: request.min_cell,
        top_terms: TOP_TERMS,
    };
    // Partitions are named "2019/seminar": a section is its partitions' sum.
    let (release, sections) = release_with_sections(&frames, &spec, |partition| {
        let (year, kind) = partition.split_once('/')?;
        match sections? {
            EventColumn::FiscalYear => Some(year.to_owned()),
            EventColumn::Kind => Some(kind.to_owned()),
            EventColumn::Event => None,
        }
    })?;
    Ok(Released {
        form,
        release,
        sections,
    })
}

/// A frame of `variables` (a free-text one first, as its comments' distinct terms) and the
/// partition, weighted, from rows counted with the partition first.
fn counted_frame(
    variables: &[&Variable],
    counted: &Counted,
    segmenter: Option<&Segmenter>,
) -> Result<DataFrame, AnalysesError> {
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
/// Holds no free text, no ids of responses and no dates of them. A researcher's is built once
/// per state of the frozen partitions and kept in `cache`.
pub fn aggregate(
    connections: &mut impl Connections,
    lazy: &LazySegmenter,
    cache: &ReleaseCache,
    request: &ReleaseRequest,
) -> Result<Value, AnalysesError> {
    let form = latest_form(connections, &request.filter.form)?;
    let segmenter = lazy
        .get()
        .inspect_err(|error| tracing::warn!(%error, "aggregate without opinion terms"))
        .ok();
    let key = match request.settled_until {
        None => None,
        Some(settled_until) => {
            let slug = &form.definition.slug;
            let frozen = connections.with(|conn| {
                db::releases::freeze_settled(conn, slug, settled_until)?;
                db::releases::frozen_state(conn, slug)
            })?;
            let asked = json!([request.filter.to_json(), request.min_cell, settled_until]);
            let form = json!([form.id, form.definition]);
            Some(ReleaseKey::new(&asked, &form, segmenter.is_some(), &frozen))
        }
    };
    let kept = key.as_ref().and_then(|key| cache.get(key));
    let mut document = match kept {
        Some(document) => Value::clone(&document),
        None => {
            let document = build_aggregate(connections, segmenter, request, form)?;
            if let Some(key) = key {
                cache.put(key, Arc::new(document.clone()));
            }
            document
        }
    };
    document["generated_at"] = json!(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    Ok(document)
}

fn build_aggregate(
    connections: &mut impl Connections,
    segmenter: Option<&Segmenter>,
    request: &ReleaseRequest,
    form: StoredForm,
) -> Result<Value, AnalysesError> {
    let variables: Vec<Variable> = form.definition.questions.iter().map(survey_frame::variable).collect();
    let closed: Vec<Variable> = variables.iter().filter(|v| v.kind.has_options()).cloned().collect();
    let texts: Vec<Variable> = match segmenter {
        Some(_) => variables.into_iter().filter(|v| v.kind == QuestionType::Text).collect(),
        None => Vec::new(),
    };
    let tables = Tables {
        closed: &closed,
        texts: &texts,
        coded: None,
    };
    let Released {
        form,
        release,
        sections,
    } = build(
        connections,
        request,
        form,
        tables,
        segmenter,
        Some(EventColumn::FiscalYear),
    )?;
    let with_opinions = segmenter.is_some();
    let fiscal_years: Vec<Value> = sections
        .iter()
        .filter_map(|(year, release)| Some((FiscalYear(year.parse().ok()?), release)))
        .map(|(year, release)| {
            let mut section = tables_json(release, with_opinions);
            section["fiscal_year"] = json!(year.0);
            section["label"] = json!({"ja": fiscal_year_label(year), "en": format!("FY{}", year.0)});
            section
        })
        .collect();
    let mut document = tables_json(&release, with_opinions);
    document["schema_version"] = json!(AGGREGATE_SCHEMA_VERSION);
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
                "merged_options": total.merged.as_ref().map(|m| &m.options),
                "by": by_attribute(&tables.by, |t| &t.by, |t| {
                    json!({
                        "groups": t.groups,
                        "merged": t.merged,
                        "test": t.test,
                        "test_rests_on": t.test_rests_on,
                    })
                }),
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
                    "by": by_attribute(&tables.by, |t| &t.by, |t| {
                        json!({"groups": t.groups, "merged": t.merged_group.as_ref().map(|group| json!({"group": group}))})
                    }),
                })
            })
            .collect()
    });
    json!({"responses": release.responses, "kept": release.kept(), "questions": questions, "opinions": opinions})
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
) -> Result<Value, AnalysesError> {
    let form = latest_form(connections, &request.filter.form)?;
    let text = free_text_question(&form, question)?;
    if let Some(by) = by {
        check_attribute(&form, by)?;
    }
    let segmenter = lazy.get().map_err(AnalysesError::TextUnavailable)?;
    let tables = Tables {
        texts: std::slice::from_ref(&text),
        ..Tables::default()
    };
    let Released { form, release, .. } = build(connections, request, form, tables, Some(segmenter), None)?;
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

/// `question` of `form` if it is a free-text question.
fn free_text_question(form: &StoredForm, question: &str) -> Result<Variable, ValidationError> {
    form.definition
        .question(question)
        .map(survey_frame::variable)
        .filter(|v| v.kind == QuestionType::Text)
        .ok_or_else(|| {
            ValidationError::new(
                "question",
                "invalid_value",
                format!("{question:?} is not a free-text question of this form"),
            )
        })
}

/// Researchers' tables of comments group by a shared attribute that `form` asks.
fn check_attribute(form: &StoredForm, by: &str) -> Result<(), ValidationError> {
    if ATTRIBUTE_QUESTIONS.contains(&by) && form.definition.question(by).is_some() {
        return Ok(());
    }
    Err(ValidationError::new(
        "by",
        "invalid_value",
        format!("cannot group by {by:?}: researchers' tables of comments are by fiscal_year, kind or one of gender, age_band, occupation, relation that the form asks"),
    ))
}

/// How researchers' theme counts are grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeGrouping {
    Everyone,
    /// Each fiscal year's, or each kind's, partitions together.
    Section(EventColumn),
    /// By a shared attribute.
    Attribute(String),
}

/// The theme counts of one coded free-text question, over the settled partitions whose comments
/// were all coded with `codebook` (frozen when first fully coded): in total, per fiscal year or
/// kind, or by a shared attribute. Protected in the same release as the aggregate's tables, the
/// comments coded being the comments, so no arithmetic across them and the aggregate narrows a
/// withheld figure.
pub fn themes(
    connections: &mut impl Connections,
    request: &ReleaseRequest,
    codebook: &str,
    question: &str,
    grouping: &ThemeGrouping,
) -> Result<Value, AnalysesError> {
    let form = latest_form(connections, &request.filter.form)?;
    let text = free_text_question(&form, question)?;
    if let ThemeGrouping::Attribute(by) = grouping {
        check_attribute(&form, by)?;
    }
    let book = connections.with(|conn| coding::codebook_of(conn, codebook))??;
    let themes = Variable {
        options: book
            .codebook
            .themes
            .iter()
            .map(|theme| Choice::new(&theme.id, &theme.label.ja, &theme.label.en))
            .collect(),
        kind: QuestionType::MultiChoice,
        ..text
    };
    let coded = CodedQuestion {
        codebook: &book.slug,
        question: &themes.id,
    };
    let tables = Tables {
        coded: Some((&themes, coded)),
        ..Tables::default()
    };
    let sections = match grouping {
        ThemeGrouping::Section(column) => Some(*column),
        _ => None,
    };
    let released = build(connections, request, form, tables, None, sections)?;
    let total = released.release.themes.first().map(|t| &t.total.total);
    let groups: Vec<(Value, Option<Value>, &Cell)> = match grouping {
        ThemeGrouping::Everyone => Vec::new(),
        ThemeGrouping::Section(column) => released
            .sections
            .iter()
            .filter_map(|(key, release)| Some((json!({column.id(): key}), None, &release.themes.first()?.total.total)))
            .collect(),
        ThemeGrouping::Attribute(by) => released
            .release
            .themes
            .iter()
            .flat_map(|t| &t.by)
            .filter(|table| table.by.first() == Some(by))
            .flat_map(|table| &table.groups)
            .map(|group| (json!(group.key), Some(json!(group.labels)), &group.cell))
            .collect(),
    };
    let cells: Vec<&Cell> = groups.iter().map(|(_, _, cell)| *cell).collect();
    let tests = ticked_tests(&themes.options, &cells);
    let groups: Vec<Value> = groups
        .iter()
        .map(|(key, labels, cell)| {
            let mut group = theme_cell(Some(cell));
            group["key"] = key.clone();
            if let Some(labels) = labels {
                group["labels"] = labels.clone();
            }
            group
        })
        .collect();
    Ok(json!({
        "codebook": {"slug": book.slug, "version": book.version, "title": book.codebook.title},
        "themes": book.codebook.themes.iter().map(|t| json!({"id": t.id, "label": t.label})).collect::<Vec<_>>(),
        "form": released.form.definition.slug,
        "question": themes.id,
        "question_label": themes.label,
        "by": match grouping {
            ThemeGrouping::Everyone => Value::Null,
            ThemeGrouping::Section(column) => json!(column.id()),
            ThemeGrouping::Attribute(by) => json!(by),
        },
        "groups": groups,
        "total": theme_cell(total),
        "tests": tests,
        "filters": request.filter.to_json(),
        "min_cell": request.min_cell,
    }))
}

/// A released cell of a theme table as items coded and each theme's count and share (`null`
/// where withheld).
fn theme_cell(cell: Option<&Cell>) -> Value {
    match cell {
        Some(cell) if !cell.suppressed => json!({
            "items": cell.n,
            "counts": cell.counts,
            "shares": cell.percentages,
            "suppressed": false,
        }),
        _ => json!({"items": null, "counts": null, "shares": null, "suppressed": true}),
    }
}
