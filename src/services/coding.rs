//! Coding comments and meeting notes with a codebook's themes, and what the codings show: themes
//! per group, representative quotes, and how far two coders agree.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use analysis::coding::{cohens_kappa, theme_table, Coded, ThemeTable};
use analysis::spec::Variable;
use diesel::{Connection, PgConnection};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::answers::Column;
use crate::db::codebooks::StoredCodebook;
use crate::db::codings::{self, CodedRow, Stored};
use crate::db::{self, Connections, DbError};
use crate::domain::analysis_request::{Analysis, BreakdownRequest, CommentSource};
use crate::domain::codebook::CodebookParams;
use crate::domain::coding::{CodedItem, NewCoding};
use crate::domain::coding_rule::fold;
use crate::domain::form::QuestionKind;
use crate::domain::query_params::QueryParams;
use crate::domain::similar_comments::themes_of_nearest;
use crate::domain::token::Staff;
use crate::domain::validation::{field_text, from_json, ValidationError};
use crate::services::analyses::{self, latest_form, AnalysesError, OPINION_QUESTION};
use crate::services::groupings;
use crate::text::segmenter::{LazySegmenter, Lexicon};

/// Quotes per theme a themes analysis offers for the report.
const QUOTES_PER_THEME: usize = 3;

pub fn codebook_of(conn: &mut PgConnection, slug: &str) -> Result<Result<StoredCodebook, ValidationError>, DbError> {
    match db::codebooks::latest(conn, slug) {
        Ok(codebook) => Ok(Ok(codebook)),
        Err(error) if error.is_not_found() => Ok(Err(ValidationError::new(
            "codebook",
            "unknown_codebook",
            format!("there is no codebook {slug:?}"),
        ))),
        Err(error) => Err(error),
    }
}

/// Stores `coder`'s coding with the codebook's latest version: its themes must be the
/// codebook's and its item a comment or note with text.
pub fn record(
    conn: &mut PgConnection,
    coder: Uuid,
    coding: &NewCoding,
) -> Result<Result<(Stored, StoredCodebook), ValidationError>, DbError> {
    let codebook = match codebook_of(conn, &coding.codebook)? {
        Ok(codebook) => codebook,
        Err(invalid) => return Ok(Err(invalid)),
    };
    if let Some(unknown) = coding.themes.iter().find(|t| codebook.codebook.theme(t).is_none()) {
        return Ok(Err(ValidationError::new(
            "themes",
            "invalid_value",
            format!("codebook {} has no theme {unknown:?}", coding.codebook),
        )));
    }
    if db::codings::item_text(conn, &coding.item)?.is_none_or(|text| text.trim().is_empty()) {
        return Ok(Err(ValidationError::new(
            "item",
            "invalid_value",
            "no such comment or note: an item is an answer with text to a question, or a meeting note",
        )));
    }
    let stored = db::codings::upsert(conn, coding, codebook.id, coder, false)?;
    Ok(Ok((stored, codebook)))
}

/// The next item `coder` has to code, with the themes its keywords suggest and those of the
/// closest comments already coded.
pub struct NextItem {
    pub item: CodedItem,
    pub text: String,
    pub suggested: Vec<String>,
    pub suggested_by_similar: Vec<String>,
}

/// How many coded comments a new one is compared with: the latest, enough for a programme's
/// few hundred a year.
const COMPARED_CODINGS: i64 = 2000;

pub fn next_item(
    conn: &mut PgConnection,
    coder: Uuid,
    codebook: &str,
    form: &str,
    question: &str,
) -> Result<Result<Option<NextItem>, ValidationError>, DbError> {
    let codebook = match codebook_of(conn, codebook)? {
        Ok(codebook) => codebook,
        Err(invalid) => return Ok(Err(invalid)),
    };
    if let Err(invalid) = text_question(conn, form, question)? {
        return Ok(Err(invalid));
    }
    let Some((item, text)) = codings::next_uncoded(conn, &codebook.slug, coder, form, question)? else {
        return Ok(Ok(None));
    };
    let coded = codings::coded_texts(conn, &codebook.slug, form, question, COMPARED_CODINGS)?;
    let owned = |themes: Vec<&str>| themes.into_iter().map(str::to_owned).collect();
    Ok(Ok(Some(NextItem {
        suggested: owned(codebook.codebook.suggest(&text)),
        suggested_by_similar: owned(themes_of_nearest(&text, &coded)),
        item,
        text,
    })))
}

/// Whether `question` is a free-text question of `form`'s latest version.
fn text_question(conn: &mut PgConnection, form: &str, question: &str) -> Result<Result<(), ValidationError>, DbError> {
    match db::forms::latest(conn, form) {
        Ok(latest)
            if latest
                .definition
                .question(question)
                .is_some_and(|q| matches!(q.kind, QuestionKind::Text { .. })) =>
        {
            Ok(Ok(()))
        }
        Ok(_) => Ok(Err(ValidationError::new(
            "question",
            "invalid_value",
            format!("{question:?} is not a free-text question of form {form:?}"),
        ))),
        Err(error) if error.is_not_found() => Ok(Err(ValidationError::new(
            "form",
            "unknown_form",
            format!("there is no form {form:?}"),
        ))),
        Err(error) => Err(error),
    }
}

/// Which comments a codebook's rules code: a form's answers to a free-text question (and the
/// meeting notes of its events).
pub struct RuleRequest {
    pub codebook: String,
    pub form: String,
    pub question: String,
}

/// A run of a codebook's rules as `POST /codings/apply-rules` takes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleRunBody {
    /// A codebook whose themes have rules.
    #[schema(max_length = 64)]
    pub codebook: String,
    /// The form whose comments (and events' meeting notes) are coded.
    #[schema(max_length = 64)]
    pub form: String,
    /// A free-text question (`opinion` when left out).
    #[schema(max_length = 64)]
    pub question: Option<String>,
}

impl RuleRequest {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let body: RuleRunBody = from_json(body)?;
        let id = |field, text: &str| field_text(field, text, 64);
        Ok(Self {
            codebook: id("codebook", &body.codebook)?,
            form: id("form", &body.form)?,
            question: body
                .question
                .as_deref()
                .map_or(Ok(OPINION_QUESTION.to_owned()), |q| id("question", q))?,
        })
    }
}

/// What a run of a codebook's rules did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RuleRun {
    /// Comments and notes coded by the rules (those no person had coded).
    pub coded: usize,
    /// Of those, the ones some rule held for.
    pub matched: usize,
    /// Per theme with a rule, the items it was given to.
    pub themes: BTreeMap<String, usize>,
}

/// Codes every comment and note that no person has coded with the codebook's rules: each gets
/// the themes whose rules hold over its terms (none is a coding too), stored as `coder`'s and
/// marked as made by rules. A person's coding is never replaced, and a later one by a person
/// counts instead of the rules' in every table (the latest coding of an item counts).
pub fn apply_rules(
    connections: &mut impl Connections,
    lazy: &LazySegmenter,
    coder: Uuid,
    request: &RuleRequest,
) -> Result<RuleRun, AnalysesError> {
    let codebook = connections.with(|conn| codebook_of(conn, &request.codebook))??;
    let rules = codebook.codebook.rules();
    if rules.is_empty() {
        return Err(ValidationError::new("codebook", "no_rules", "the codebook's themes have no rules").into());
    }
    connections.with(|conn| text_question(conn, &request.form, &request.question))??;
    let items = connections
        .with(|conn| codings::not_coded_by_people(conn, &codebook.slug, &request.form, &request.question))?;
    let segmenter = analyses::segmenter(lazy)?;
    let lexicon = Lexicon::new(&connections.with(db::text_dictionary::get)?);
    let mut run = RuleRun {
        coded: items.len(),
        matched: 0,
        themes: rules.iter().map(|(id, _)| ((*id).to_owned(), 0)).collect(),
    };
    let codings: Vec<NewCoding> = items
        .into_iter()
        .map(|(item, text)| {
            let terms: Vec<String> = segmenter.terms_with(&text, &lexicon).iter().map(|t| fold(t)).collect();
            let themes: Vec<String> = rules
                .iter()
                .filter(|(_, rule)| rule.holds(&terms))
                .map(|(id, _)| (*id).to_owned())
                .collect();
            run.matched += usize::from(!themes.is_empty());
            for theme in &themes {
                *run.themes.entry(theme.clone()).or_default() += 1;
            }
            NewCoding {
                codebook: codebook.slug.clone(),
                item,
                themes,
                quote: false,
            }
        })
        .collect();
    connections.with(|conn| {
        conn.transaction(|conn| {
            codings
                .iter()
                .try_for_each(|coding| codings::upsert(conn, coding, codebook.id, coder, true).map(|_| ()))
        })
    })?;
    Ok(run)
}

/// A themes analysis: the opinions' question and filters, a codebook, where the items come from.
pub struct ThemesRequest {
    pub breakdown: BreakdownRequest,
    pub codebook: String,
    pub source: CommentSource,
}

impl ThemesRequest {
    pub fn parse(params: &mut QueryParams, staff: Staff, server_min_cell: u64) -> Result<Self, ValidationError> {
        Ok(Self {
            breakdown: BreakdownRequest::parse(params, Some(OPINION_QUESTION), staff, server_min_cell)?,
            codebook: params.take::<CodebookParams>()?.codebook,
            source: CommentSource::parse(params)?,
        })
    }
}

pub struct ThemesResult {
    pub codebook: StoredCodebook,
    pub by: Vec<Variable>,
    pub table: ThemeTable,
    /// Per theme, texts staff marked as quotable (the latest coding of each item).
    pub quotes: BTreeMap<String, Vec<String>>,
    pub coders: usize,
    /// Items whose coding that counts was made by the codebook's rules, and by people.
    pub by_rules: usize,
    pub by_people: usize,
}

/// The codings of the request's items, each item's latest coding only, with the columns of `by`.
fn load_codings(
    connections: &mut impl Connections,
    request: &ThemesRequest,
) -> Result<(Vec<CodedRow>, StoredCodebook, Vec<Variable>), AnalysesError> {
    let breakdown = &request.breakdown;
    let form = latest_form(connections, &breakdown.filter.form)?;
    breakdown.check(&form.definition, Analysis::Opinions)?;
    request.source.check_grouping(&breakdown.by)?;
    let codebook = connections.with(|conn| codebook_of(conn, &request.codebook))??;
    let ids: Vec<&str> = breakdown.by.iter().map(String::as_str).collect();
    let by_ids = groupings::readable(&form.definition, &ids);
    let rows = connections.with(|conn| {
        codings::coded(
            conn,
            &codebook.slug,
            &breakdown.question,
            &breakdown.filter,
            &Column::all(&by_ids),
            request.source.reads_responses(),
            request.source.reads_notes(),
        )
    })?;
    let by = connections.with(|conn| {
        groupings::variables(conn, &form.definition, &by_ids, |i| {
            rows.iter()
                .filter_map(|row| key_of(&row.key).get(i).cloned().flatten())
                .collect()
        })
    })?;
    Ok((rows, codebook, by))
}

/// A row's key as text values (`None` where unanswered).
fn key_of(key: &Value) -> Vec<Option<String>> {
    key.as_array()
        .map(|values| {
            values
                .iter()
                .map(|value| match value {
                    Value::Null => None,
                    Value::String(text) => Some(text.clone()),
                    other => Some(other.to_string()),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Each item's latest coding.
fn latest_per_item(rows: Vec<CodedRow>) -> Vec<CodedRow> {
    let mut latest: HashMap<Uuid, CodedRow> = HashMap::new();
    for row in rows {
        match latest.get(&row.item) {
            Some(kept) if kept.updated_at >= row.updated_at => {}
            _ => {
                latest.insert(row.item, row);
            }
        }
    }
    let mut rows: Vec<CodedRow> = latest.into_values().collect();
    rows.sort_by_key(|row| row.item);
    rows
}

pub fn themes(connections: &mut impl Connections, request: &ThemesRequest) -> Result<ThemesResult, AnalysesError> {
    let (rows, codebook, by) = load_codings(connections, request)?;
    let coders = rows
        .iter()
        .filter(|row| !row.by_rule)
        .map(|row| row.coder)
        .collect::<BTreeSet<_>>()
        .len();
    let rows = latest_per_item(rows);
    let by_rules = rows.iter().filter(|row| row.by_rule).count();
    let theme_ids: Vec<String> = codebook.codebook.themes.iter().map(|t| t.id.clone()).collect();
    let items: Vec<Coded> = rows
        .iter()
        .map(|row| Coded {
            group: key_of(&row.key),
            themes: row.themes.clone(),
        })
        .collect();
    let mut quotes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows.iter().filter(|row| row.quote) {
        for theme in &row.themes {
            let texts = quotes.entry(theme.clone()).or_default();
            if texts.len() < QUOTES_PER_THEME {
                texts.push(row.text.clone());
            }
        }
    }
    Ok(ThemesResult {
        table: theme_table(&items, &theme_ids, request.breakdown.min_cell),
        codebook,
        by,
        quotes,
        coders,
        by_rules,
        by_people: rows.len() - by_rules,
    })
}

impl ThemesResult {
    pub fn to_json(&self) -> Value {
        let labels = |key: &[Option<String>]| -> Vec<Value> {
            key.iter()
                .zip(&self.by)
                .map(|(value, variable)| {
                    let option = value
                        .as_ref()
                        .and_then(|v| variable.options.iter().find(|o| &o.value == v));
                    json!({"by": variable.id, "value": value, "label": option.map(|o| &o.label)})
                })
                .collect()
        };
        let groups: Vec<Value> = self
            .table
            .groups
            .iter()
            .map(|group| {
                let mut value = json!(group);
                value["key"] = json!(labels(&group.key));
                value
            })
            .collect();
        json!({
            "codebook": {"slug": self.codebook.slug, "version": self.codebook.version, "title": self.codebook.codebook.title},
            "themes": self.codebook.codebook.themes.iter().map(|t| json!({"id": t.id, "label": t.label})).collect::<Vec<_>>(),
            "by": self.by.iter().map(|v| &v.id).collect::<Vec<_>>(),
            "groups": groups,
            "total": self.table.total,
            "tests": self.table.tests,
            "quotes": self.quotes,
            "coders": self.coders,
            "coded_by": {"rules": self.by_rules, "people": self.by_people},
        })
    }
}

/// How far two coders agree, theme by theme, on the items both coded: the pair of coders who
/// share the most items. Codings made by rules are no coder's judgement and are left out.
pub fn agreement(connections: &mut impl Connections, request: &ThemesRequest) -> Result<Value, AnalysesError> {
    let (rows, codebook, _) = load_codings(connections, request)?;
    let mut by_item: BTreeMap<Uuid, BTreeMap<Uuid, &CodedRow>> = BTreeMap::new();
    for row in rows.iter().filter(|row| !row.by_rule) {
        by_item.entry(row.item).or_default().insert(row.coder, row);
    }
    let mut pairs: BTreeMap<(Uuid, Uuid), usize> = BTreeMap::new();
    for coders in by_item.values() {
        let ids: Vec<&Uuid> = coders.keys().collect();
        for (i, first) in ids.iter().enumerate() {
            for second in &ids[i + 1..] {
                *pairs.entry((**first, **second)).or_default() += 1;
            }
        }
    }
    let Some((&(first, second), &shared)) = pairs.iter().max_by_key(|(_, shared)| **shared) else {
        return Ok(json!({"items": 0, "themes": [], "mean_kappa": null}));
    };
    let both: Vec<(&CodedRow, &CodedRow)> = by_item
        .values()
        .filter_map(|coders| Some((*coders.get(&first)?, *coders.get(&second)?)))
        .collect();
    let kappas: Vec<(String, Option<f64>)> = codebook
        .codebook
        .themes
        .iter()
        .map(|theme| {
            let decisions: Vec<(bool, bool)> = both
                .iter()
                .map(|(a, b)| (a.themes.contains(&theme.id), b.themes.contains(&theme.id)))
                .collect();
            (theme.id.clone(), cohens_kappa(&decisions))
        })
        .collect();
    let defined: Vec<f64> = kappas.iter().filter_map(|(_, kappa)| *kappa).collect();
    Ok(json!({
        "items": shared,
        "themes": kappas.iter().map(|(theme, kappa)| json!({"theme": theme, "kappa": kappa})).collect::<Vec<_>>(),
        "mean_kappa": (!defined.is_empty()).then(|| defined.iter().sum::<f64>() / defined.len() as f64),
    }))
}
