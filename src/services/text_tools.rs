//! Staff's tools for reading opinions as KH Coder users do: the text dictionary (words kept
//! whole, stop words), compound-word candidates to accept into it, and keywords in context.
//! Comments are read in full here, so these are for staff only; researchers keep the protected
//! term tables of the releases.

use std::collections::BTreeSet;

use diesel::PgConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{self, Connections, DbError};
use crate::domain::analysis_request::{BreakdownRequest, CommentSource};
use crate::domain::lang::Localized;
use crate::domain::text_dictionary::{TextDictionary, VersionedDictionary, MAX_WORD_CHARS};
use crate::services::analyses::{segmenter, AnalysesError, Comments};
use crate::text::compounds::{candidates, Candidate};
use crate::text::segmenter::{LazySegmenter, Lexicon};
use analysis::cooccurrence::{network, Joins, Network};
use analysis::correspondence::correspondence;
use analysis::spec::Label;

/// Most compound candidates listed.
const MAX_CANDIDATES: usize = 200;
/// Characters of context shown either side of a keyword.
const CONTEXT_CHARS: usize = 20;

pub fn dictionary(conn: &mut PgConnection) -> Result<VersionedDictionary, DbError> {
    db::text_dictionary::get(conn)
}

/// Replaces the dictionary; the next analysis segments comments anew with it.
pub fn save_dictionary(conn: &mut PgConnection, dictionary: &TextDictionary) -> Result<VersionedDictionary, DbError> {
    db::text_dictionary::put(conn, dictionary)
}

/// Compound-word candidates in the comments `request` names, best first, leaving out words the
/// dictionary keeps whole already.
pub fn compounds(
    connections: &mut impl Connections,
    lazy: &LazySegmenter,
    request: &BreakdownRequest,
    source: CommentSource,
) -> Result<Vec<Candidate>, AnalysesError> {
    let (comments, _) = Comments::load(connections, request, source)?;
    let segmenter = segmenter(lazy)?;
    let dictionary = connections.with(db::text_dictionary::get)?;
    let lexicon = Lexicon::new(&dictionary);
    let runs: Vec<Vec<String>> = comments
        .entries
        .iter()
        .flat_map(|(_, text)| segmenter.noun_runs(text, &lexicon))
        .collect();
    let known: BTreeSet<String> = dictionary.dictionary.whole_words().cloned().collect();
    let mut found = candidates(&runs, &known);
    // A word the dictionary could not keep is no candidate.
    found.retain(|candidate| candidate.word.chars().count() <= MAX_WORD_CHARS);
    found.truncate(MAX_CANDIDATES);
    Ok(found)
}

/// One use of the keyword: the text before it, the keyword as written, the text after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ContextLine {
    pub left: String,
    pub keyword: String,
    pub right: String,
}

/// A group's lines (by the value of the grouping attribute, `None` for no answer).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ContextGroup {
    pub value: Option<String>,
    #[schema(value_type = Option<Localized>)]
    pub label: Option<Label>,
    pub comments: usize,
    pub lines: Vec<ContextLine>,
}

/// Every use of a term with the text either side, grouped by the attribute.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Kwic {
    pub term: String,
    pub by: Option<String>,
    /// Comments that use the term, and all comments read.
    pub comments: usize,
    pub comments_read: usize,
    pub groups: Vec<ContextGroup>,
}

/// Every use of `term` in the comments `request` names (grouped by its first `by` attribute),
/// with the text either side; the term as the term tables count it (base forms, whole words).
pub fn kwic(
    connections: &mut impl Connections,
    lazy: &LazySegmenter,
    request: &BreakdownRequest,
    source: CommentSource,
    term: &str,
) -> Result<Kwic, AnalysesError> {
    let (comments, _) = Comments::load(connections, request, source)?;
    let segmenter = segmenter(lazy)?;
    let lexicon = Lexicon::new(&connections.with(db::text_dictionary::get)?);
    let by = comments.by.first();
    let mut groups: Vec<ContextGroup> = Vec::new();
    let mut using = 0;
    for (key, text) in &comments.entries {
        let chars: Vec<char> = text.chars().collect();
        let lines: Vec<ContextLine> = segmenter
            .spans(text, &lexicon)
            .into_iter()
            .filter(|span| span.term == term)
            .map(|span| ContextLine {
                left: chars[span.chars.start.saturating_sub(CONTEXT_CHARS)..span.chars.start]
                    .iter()
                    .collect(),
                keyword: chars[span.chars.clone()].iter().collect(),
                right: chars[span.chars.end..(span.chars.end + CONTEXT_CHARS).min(chars.len())]
                    .iter()
                    .collect(),
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        using += 1;
        let value = by.and_then(|_| key.first().cloned().flatten());
        let position = groups.iter().position(|g| g.value == value).unwrap_or_else(|| {
            let label = by.and_then(|variable| {
                let option = variable.options.iter().find(|o| Some(&o.value) == value.as_ref())?;
                Some(option.label.clone())
            });
            groups.push(ContextGroup {
                value: value.clone(),
                label,
                comments: 0,
                lines: Vec::new(),
            });
            groups.len() - 1
        });
        groups[position].comments += 1;
        groups[position].lines.extend(lines);
    }
    // Groups in the attribute's order, no answer last.
    let order = |value: &Option<String>| {
        by.and_then(|variable| variable.options.iter().position(|o| Some(&o.value) == value.as_ref()))
            .unwrap_or(usize::MAX)
    };
    groups.sort_by_key(|group| order(&group.value));
    Ok(Kwic {
        term: term.to_owned(),
        by: by.map(|variable| variable.id.clone()),
        comments: using,
        comments_read: comments.entries.len(),
        groups,
    })
}

/// How many terms a map shows: those used in `min_comments` comments or more, and at most
/// `top` edges (network) or terms (correspondence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapSize {
    pub min_comments: u64,
    pub top: usize,
}

/// Each comment's distinct terms, with its grouping key.
fn term_sets(
    connections: &mut impl Connections,
    lazy: &LazySegmenter,
    request: &BreakdownRequest,
    source: CommentSource,
) -> Result<(Comments, Vec<BTreeSet<String>>), AnalysesError> {
    let (comments, _) = Comments::load(connections, request, source)?;
    let segmenter = segmenter(lazy)?;
    let lexicon = Lexicon::new(&connections.with(db::text_dictionary::get)?);
    let sets = comments
        .entries
        .iter()
        .map(|(_, text)| segmenter.terms_with(text, &lexicon).into_iter().collect())
        .collect();
    Ok((comments, sets))
}

/// The co-occurrence network of the comments `request` names (always drawn from the same seed):
/// terms with terms, or with `groups`, terms with the values of `request`'s first attribute
/// (KH Coder's 外部変数), named as "性別：女性".
pub fn cooccurrence(
    connections: &mut impl Connections,
    lazy: &LazySegmenter,
    request: &BreakdownRequest,
    source: CommentSource,
    size: MapSize,
    groups: bool,
) -> Result<Network, AnalysesError> {
    let (comments, mut sets) = term_sets(connections, lazy, request, source)?;
    if !groups {
        return Ok(network(&sets, size.min_comments, size.top, 1, Joins::Terms));
    }
    let by = first_attribute(&comments)?;
    let mut names = BTreeSet::new();
    for ((key, _), set) in comments.entries.iter().zip(&mut sets) {
        let value = by
            .options
            .iter()
            .find(|o| Some(&o.value) == key[0].as_ref())
            .map(|o| o.label.ja.clone())
            .or_else(|| key[0].clone())
            .unwrap_or_else(|| "無回答".to_owned());
        let name = format!("{}：{value}", by.label.ja);
        set.insert(name.clone());
        names.insert(name);
    }
    Ok(network(
        &sets,
        size.min_comments,
        size.top,
        1,
        Joins::TermsToGroups(&names),
    ))
}

/// The attribute the comments are grouped by, which a map against groups needs.
fn first_attribute(comments: &Comments) -> Result<&analysis::spec::Variable, AnalysesError> {
    Ok(comments.by.first().ok_or_else(|| {
        crate::domain::validation::ValidationError::new(
            "by",
            "required",
            "by names the attribute the terms are set against",
        )
    })?)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapGroup {
    pub value: Option<String>,
    pub label: Option<Label>,
}

/// A correspondence analysis of terms against the groups of one attribute: the table analysed
/// (comments using each term, per group) and both sets of coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct TermMap {
    pub by: String,
    pub terms: Vec<String>,
    pub groups: Vec<MapGroup>,
    /// `counts[term][group]`.
    pub counts: Vec<Vec<u64>>,
    pub inertia_shares: Vec<f64>,
    pub total_inertia: f64,
    pub term_coordinates: Vec<Vec<f64>>,
    pub group_coordinates: Vec<Vec<f64>>,
}

impl Serialize for TermMap {
    /// `{"by", "table": {"rows": [term], "columns": [group], "counts": [[n]]}, "dimensions":
    /// [{"inertia_share"}], "rows": [{"term", "coordinates"}], "columns": [{"value", "label",
    /// "coordinates"}], "total_inertia"}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rows: Vec<serde_json::Value> = self
            .terms
            .iter()
            .zip(&self.term_coordinates)
            .map(|(term, coordinates)| serde_json::json!({"term": term, "coordinates": coordinates}))
            .collect();
        let columns: Vec<serde_json::Value> = self
            .groups
            .iter()
            .zip(&self.group_coordinates)
            .map(|(group, coordinates)| {
                serde_json::json!({"value": group.value, "label": group.label, "coordinates": coordinates})
            })
            .collect();
        serde_json::json!({
            "by": self.by,
            "table": {"rows": self.terms, "columns": self.groups, "counts": self.counts},
            "dimensions": self.inertia_shares.iter().map(|share| serde_json::json!({"inertia_share": share})).collect::<Vec<_>>(),
            "total_inertia": self.total_inertia,
            "rows": rows,
            "columns": columns,
        })
        .serialize(serializer)
    }
}

/// Which attributes' groups lean to which words: the `top` terms used in `min_comments`
/// comments or more, by the groups of `request`'s first attribute that have comments. `None`
/// when the table has fewer than two terms or groups.
pub fn term_map(
    connections: &mut impl Connections,
    lazy: &LazySegmenter,
    request: &BreakdownRequest,
    source: CommentSource,
    size: MapSize,
) -> Result<Option<TermMap>, AnalysesError> {
    let (comments, sets) = term_sets(connections, lazy, request, source)?;
    let by = first_attribute(&comments)?;
    let mut uses: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for set in &sets {
        for term in set {
            *uses.entry(term).or_default() += 1;
        }
    }
    let mut terms: Vec<(&str, u64)> = uses
        .into_iter()
        .filter(|(_, n)| *n >= size.min_comments.max(1))
        .collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    terms.truncate(size.top);
    let mut groups: Vec<Option<String>> = by.options.iter().map(|o| Some(o.value.clone())).collect();
    groups.push(None);
    let mut counts = vec![vec![0u64; groups.len()]; terms.len()];
    for ((key, _), set) in comments.entries.iter().zip(&sets) {
        let Some(group) = groups.iter().position(|g| g == &key[0]) else {
            continue;
        };
        for (row, (term, _)) in terms.iter().enumerate() {
            counts[row][group] += u64::from(set.contains(*term));
        }
    }
    let used: Vec<usize> = (0..groups.len())
        .filter(|&g| counts.iter().any(|row| row[g] > 0))
        .collect();
    let counts: Vec<Vec<u64>> = counts
        .into_iter()
        .map(|row| used.iter().map(|&g| row[g]).collect())
        .collect();
    let table: Vec<Vec<f64>> = counts
        .iter()
        .map(|row| row.iter().map(|&n| n as f64).collect())
        .collect();
    let Some(found) = correspondence(&table, 2) else {
        return Ok(None);
    };
    let label_of = |value: &Option<String>| {
        by.options
            .iter()
            .find(|o| Some(&o.value) == value.as_ref())
            .map(|o| o.label.clone())
    };
    Ok(Some(TermMap {
        by: by.id.clone(),
        terms: terms.iter().map(|(t, _)| (*t).to_owned()).collect(),
        groups: used
            .iter()
            .map(|&g| MapGroup {
                value: groups[g].clone(),
                label: label_of(&groups[g]),
            })
            .collect(),
        counts,
        inertia_shares: found.inertia_shares,
        total_inertia: found.total_inertia,
        term_coordinates: found.rows,
        group_coordinates: found.columns,
    }))
}
