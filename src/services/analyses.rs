//! Analyses as the service runs them: load the needed answers from PostgreSQL, hand them to the
//! `analysis` crate, label the result with the form and filters. A connection is held only while
//! loading. Blocking: call from a blocking thread (`db::lend`) or the command line.

use analysis::breakdown::{self, Breakdown, Key};
use analysis::disclosure::{suppress, suppress_terms};
use analysis::export;
use analysis::frame::{build_frame, ColumnData};
use analysis::polars::prelude::DataFrame;
use analysis::spec::{Label, QuestionType, Variable};
use analysis::terms::{term_table, TermOptions, TermTable};
use analysis::AnalysisError;
use diesel::PgConnection;
use serde_json::{json, Value};

use crate::db::answers::{Column, CONTEXT_COLUMNS};
use crate::db::forms::StoredForm;
use crate::db::{self, Connections, DbError};
use crate::domain::analysis_request::{Analysis, BreakdownRequest, CommentSource};
use crate::domain::event_column::EventColumn;
use crate::domain::indicator::IndicatorPlan;
use crate::domain::release_request::Readers;
use crate::domain::response_filter::ResponseFilter;
use crate::domain::token::Staff;
use crate::domain::validation::ValidationError;
use crate::reports::indicators::{counted_period, PlanReport};
use crate::services::form_versions::with_current_agencies;
use crate::services::{groupings, survey_frame};
use crate::text::segmenter::{LazySegmenter, Lexicon, Segmenter};

#[derive(Debug, thiserror::Error)]
pub enum AnalysesError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    #[error("text analysis is unavailable: {0}")]
    TextUnavailable(String),
}

impl From<analysis::polars::error::PolarsError> for AnalysesError {
    fn from(error: analysis::polars::error::PolarsError) -> Self {
        Self::Analysis(error.into())
    }
}

/// The question that says how people heard of an event, shared by every form.
pub const CHANNEL_QUESTION: &str = "heard_from";
/// The free-text question every shipped form ends with.
pub const OPINION_QUESTION: &str = "opinion";

/// The filtered answers to some questions of a form, as a frame.
pub struct Dataset {
    pub form: StoredForm,
    pub variables: Vec<Variable>,
    pub frame: DataFrame,
}

impl Dataset {
    pub fn variable(&self, id: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.id == id)
    }

    /// Loads those of `ids` that are questions on `form` (the filter's latest version) or
    /// columns of the event.
    pub fn load(
        connections: &mut impl Connections,
        form: StoredForm,
        filter: &ResponseFilter,
        ids: &[&str],
    ) -> Result<Self, AnalysesError> {
        let ids = groupings::readable(&form.definition, ids);
        let (counted, variables) = connections.with(|conn| {
            let counted = db::answers::count(conn, filter, &Column::all(&ids))?;
            let variables = groupings::variables(conn, &form.definition, &ids, |i| {
                counted
                    .iter()
                    .filter_map(|(row, _)| row.get(i)?.as_str().map(str::to_owned))
                    .collect()
            })?;
            Ok((counted, variables))
        })?;
        let frame = survey_frame::weighted_frame(&variables, &counted)?;
        Ok(Self { form, variables, frame })
    }

    fn variables_of(&self, ids: &[String]) -> Vec<Variable> {
        ids.iter().filter_map(|id| self.variable(id)).cloned().collect()
    }
}

pub fn latest_form(connections: &mut impl Connections, slug: &str) -> Result<StoredForm, AnalysesError> {
    connections
        .with(|conn| {
            let form = db::forms::latest(conn, slug)?;
            with_current_agencies(conn, form)
        })
        .map_err(|error| {
            if error.is_not_found() {
                ValidationError::new("form", "unknown_form", format!("there is no form {slug:?}")).into()
            } else {
                error.into()
            }
        })
}

/// Which figure of the analysis: a plain breakdown or the channel analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tabulation {
    Breakdown,
    Channels,
}

pub fn breakdown(
    connections: &mut impl Connections,
    request: &BreakdownRequest,
    tabulation: Tabulation,
) -> Result<BreakdownResult, AnalysesError> {
    let form = latest_form(connections, &request.filter.form)?;
    request.check(&form.definition, Analysis::Tabulation)?;
    let mut ids = vec![request.question.as_str()];
    ids.extend(request.by.iter().map(String::as_str));
    let data = Dataset::load(connections, form, &request.filter, &ids)?;
    let question = data
        .variable(&request.question)
        .ok_or_else(|| ValidationError::new("question", "unknown_question", "no such question"))?;
    let by = data.variables_of(&request.by);
    let mut result = match tabulation {
        Tabulation::Breakdown => breakdown::breakdown(&data.frame, question, &by)?,
        Tabulation::Channels => breakdown::channels(&data.frame, question, &by)?,
    };
    suppress(&mut result, request.min_cell);
    Ok(BreakdownResult {
        table: result,
        form_slug: data.form.definition.slug.clone(),
        form_version: data.form.version,
        filter: request.filter.clone(),
        min_cell: request.min_cell,
    })
}

/// A breakdown with the form, filters and threshold it was computed with.
pub struct BreakdownResult {
    pub table: Breakdown,
    pub form_slug: String,
    pub form_version: i32,
    pub filter: ResponseFilter,
    pub min_cell: u64,
}

impl BreakdownResult {
    pub fn to_json(&self) -> Value {
        let mut value = serde_json::to_value(&self.table).unwrap_or(Value::Null);
        value["form"] = json!(self.form_slug);
        value["form_version"] = json!(self.form_version);
        value["filters"] = self.filter.to_json();
        value["min_cell"] = json!(self.min_cell);
        value
    }
}

/// The comments to a free-text question of a form, with the variables they are grouped by.
pub struct Comments {
    pub question: Variable,
    /// Per comment: its `by` values (in the order of `by`) and its text.
    pub entries: Vec<(Key, String)>,
    pub by: Vec<Variable>,
}

const TERMS: &str = "__terms";

impl Comments {
    /// The comments `request` names (its question must be free text), from answers, meeting
    /// notes or both, grouped by what of `request.by` the form or the events have.
    pub fn load(
        connections: &mut impl Connections,
        request: &BreakdownRequest,
        source: CommentSource,
    ) -> Result<(Self, StoredForm), AnalysesError> {
        let form = latest_form(connections, &request.filter.form)?;
        request.check(&form.definition, Analysis::Opinions)?;
        source.check_grouping(&request.by)?;
        let by_ids: Vec<&str> = request.by.iter().map(String::as_str).collect();
        let by_ids = groupings::readable(&form.definition, &by_ids);
        let question = form
            .definition
            .question(&request.question)
            .map(survey_frame::variable)
            .ok_or_else(|| ValidationError::new("question", "unknown_question", "no such question"))?;
        let mut ids = vec![question.id.as_str()];
        ids.extend(&by_ids);
        let mut rows = Vec::new();
        if source.reads_responses() {
            rows.extend(connections.with(|conn| db::answers::load(conn, &request.filter, &Column::all(&ids), false))?);
        }
        if source.reads_notes() {
            let columns: Vec<EventColumn> = by_ids.iter().filter_map(|id| EventColumn::parse(id)).collect();
            rows.extend(connections.with(|conn| db::notes::texts(conn, &request.filter, &columns))?);
        }
        let entries: Vec<(Key, String)> = rows
            .into_iter()
            .filter_map(|row| {
                let text = row.first()?.as_str()?.trim().to_owned();
                let key = row[1..].iter().map(|v| v.as_str().map(str::to_owned)).collect();
                (!text.is_empty()).then_some((key, text))
            })
            .collect();
        let by = connections.with(|conn| {
            groupings::variables(conn, &form.definition, &by_ids, |i| {
                entries.iter().filter_map(|(key, _)| key[i].clone()).collect()
            })
        })?;
        Ok((Self { question, entries, by }, form))
    }

    /// One row per comment: the grouping columns and `TERMS`, the comment's terms.
    fn frame(&self, segmenter: &Segmenter, lexicon: &Lexicon) -> Result<DataFrame, AnalysesError> {
        let mut columns: Vec<(String, ColumnData)> = self
            .by
            .iter()
            .enumerate()
            .map(|(i, variable)| {
                (
                    variable.id.clone(),
                    ColumnData::Text(self.entries.iter().map(|(key, _)| key[i].clone()).collect()),
                )
            })
            .collect();
        let terms = self
            .entries
            .iter()
            .map(|(_, text)| Some(segmenter.terms_with(text, lexicon)))
            .collect();
        columns.push((TERMS.to_owned(), ColumnData::Choices(terms)));
        Ok(build_frame(columns)?)
    }

    fn table(&self, segmenter: &Segmenter, lexicon: &Lexicon, min_cell: u64) -> Result<TermTable, AnalysesError> {
        let frame = self.frame(segmenter, lexicon)?;
        let mut table = term_table(&frame, TERMS, &self.by, TermOptions::default())?;
        suppress_terms(&mut table, min_cell);
        Ok(table)
    }
}

pub fn segmenter(lazy: &LazySegmenter) -> Result<&Segmenter, AnalysesError> {
    lazy.get().map_err(AnalysesError::TextUnavailable)
}

/// Opinion tendencies of a free-text question: per group, its comments' top terms. With
/// `include_text`, the comments themselves, grouped (for analysts only).
pub fn opinions(
    connections: &mut impl Connections,
    lazy: &LazySegmenter,
    request: &BreakdownRequest,
    include_text: bool,
    source: CommentSource,
) -> Result<OpinionsResult, AnalysesError> {
    let (comments, form) = Comments::load(connections, request, source)?;
    let segmenter = segmenter(lazy)?;
    let lexicon = Lexicon::new(&connections.with(db::text_dictionary::get)?);
    let table = comments.table(segmenter, &lexicon, request.min_cell)?;
    let texts = include_text.then(|| {
        let texts_of = |key: Option<&Key>| -> Vec<String> {
            comments
                .entries
                .iter()
                .filter(|(k, _)| key.is_none_or(|key| k == key))
                .map(|(_, text)| text.clone())
                .collect()
        };
        let per_group = table
            .groups
            .iter()
            .map(|group| {
                let key: Key = request
                    .by
                    .iter()
                    .map(|id| group.key.get(id).cloned().flatten())
                    .collect();
                texts_of(Some(&key))
            })
            .collect();
        (per_group, texts_of(None))
    });
    Ok(OpinionsResult {
        table,
        question: comments.question,
        form_slug: form.definition.slug.clone(),
        form_version: form.version,
        filter: request.filter.clone(),
        min_cell: request.min_cell,
        texts,
    })
}

/// Opinion tendencies with the question, form, filters and threshold they were computed with.
pub struct OpinionsResult {
    pub table: TermTable,
    pub question: Variable,
    pub form_slug: String,
    pub form_version: i32,
    pub filter: ResponseFilter,
    pub min_cell: u64,
    /// When asked for: the comments of each group (in the table's order) and of everyone.
    pub texts: Option<(Vec<Vec<String>>, Vec<String>)>,
}

impl OpinionsResult {
    pub fn to_json(&self) -> Value {
        let mut value = serde_json::to_value(&self.table).unwrap_or(Value::Null);
        value["form"] = json!(self.form_slug);
        value["form_version"] = json!(self.form_version);
        value["question"] = json!(self.question.id);
        value["question_label"] = json!(self.question.label);
        value["filters"] = self.filter.to_json();
        value["min_cell"] = json!(self.min_cell);
        if let Some((per_group, everyone)) = &self.texts {
            for (i, texts) in per_group.iter().enumerate() {
                value["groups"][i]["texts"] = json!(texts);
            }
            value["total"]["texts"] = json!(everyone);
        }
        value
    }
}

/// A plan's activity and outcome indicators from the events held so far, as `readers` may see
/// them.
pub fn plan_report(conn: &mut PgConnection, plan: IndicatorPlan, readers: Readers) -> Result<PlanReport, DbError> {
    let events = match counted_period(&plan, crate::domain::clock::today()) {
        Some((from, to)) => db::events::held(conn, &plan.event_kinds, from, to)?,
        None => Vec::new(),
    };
    Ok(match readers {
        Readers::Staff => PlanReport::build(plan, &events),
        Readers::Researchers { settled_until } => PlanReport::settled(plan, &events, settled_until),
    })
}

pub fn all_plan_reports(conn: &mut PgConnection, readers: Readers) -> Result<Vec<PlanReport>, DbError> {
    db::indicator_plans::list(conn)?
        .into_iter()
        .map(|stored| plan_report(conn, stored.plan, readers))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawFormat {
    Csv,
    Parquet,
}

/// Every filtered response of the form, one row each, with its event's title, kind and date and
/// the form version it answered, then one column per question (multi choice spread into one 0/1
/// column per option). Staff's only (`_staff` proves it): it holds free text.
pub fn raw_export(
    connections: &mut impl Connections,
    _staff: Staff,
    filter: &ResponseFilter,
    format: RawFormat,
) -> Result<Vec<u8>, AnalysesError> {
    let form = latest_form(connections, &filter.form)?;
    let questions: Vec<Variable> = form.definition.questions.iter().map(survey_frame::variable).collect();
    let columns: Vec<Column> = questions.iter().map(|q| Column::Answer(&q.id)).collect();
    let rows = connections.with(|conn| db::answers::load(conn, filter, &columns, true))?;
    let context = CONTEXT_COLUMNS.iter().map(|(name, _)| Variable {
        id: (*name).to_owned(),
        label: Label::new(name, name),
        kind: if *name == "form_version" {
            QuestionType::Number
        } else {
            QuestionType::Text
        },
        options: Vec::new(),
    });
    let columns: Vec<Variable> = context.chain(questions.iter().cloned()).collect();
    let mut flat = export::flatten(&survey_frame::frame(&columns, &rows)?, &questions)?;
    Ok(match format {
        RawFormat::Csv => export::to_csv(&mut flat)?,
        RawFormat::Parquet => export::to_parquet(&mut flat)?,
    })
}
