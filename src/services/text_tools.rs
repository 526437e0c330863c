//! Staff's tools for reading opinions as KH Coder users do: the text dictionary (words kept
//! whole, stop words), compound-word candidates to accept into it, and keywords in context.
//! Comments are read in full here, so these are for staff only; researchers keep the protected
//! term tables of the releases.

use std::collections::BTreeSet;

use diesel::PgConnection;
use serde::Serialize;

use crate::db::{self, Connections, DbError};
use crate::domain::analysis_request::{BreakdownRequest, CommentSource};
use crate::domain::text_dictionary::{TextDictionary, VersionedDictionary};
use crate::services::insights::{segmenter, Comments, InsightError};
use crate::text::compounds::{candidates, Candidate};
use crate::text::segmenter::{LazySegmenter, Lexicon};

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
) -> Result<Vec<Candidate>, InsightError> {
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
    found.truncate(MAX_CANDIDATES);
    Ok(found)
}

/// One use of the keyword: the text before it, the keyword as written, the text after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextLine {
    pub left: String,
    pub keyword: String,
    pub right: String,
}

/// A group's lines (by the value of the grouping attribute, `None` for no answer).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContextGroup {
    pub value: Option<String>,
    pub label: Option<analysis::spec::Label>,
    pub comments: usize,
    pub lines: Vec<ContextLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
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
) -> Result<Kwic, InsightError> {
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
