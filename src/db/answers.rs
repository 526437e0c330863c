//! Answers loaded for analysis: only the questions asked for, only the filtered responses.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Jsonb;
use serde_json::Value;

use super::schema::{events, form_versions, responses};
use super::DbError;
use crate::domain::response_filter::ResponseFilter;

/// What a raw export says about each response besides its answers: (column name, SQL).
pub const CONTEXT_COLUMNS: [(&str, &str); 4] = [
    ("event", "events.title"),
    ("event_kind", "events.kind"),
    ("held_on", "events.held_on"),
    ("form_version", "form_versions.version"),
];

/// SQL for the answers to `question_ids` of each response row, in that order.
pub fn answer_columns<'a>(question_ids: &'a [&str]) -> impl Iterator<Item = String> + 'a {
    // Question ids are checked identifiers ([a-z0-9_]); quoting is belt and braces.
    question_ids
        .iter()
        .map(|id| format!("responses.answers -> '{}'", id.replace('\'', "''")))
}

/// Per response of the filter (cancelled events excluded), the answers to `question_ids` in that
/// order, `Value::Null` where a question was skipped or not on the version answered; preceded by
/// the [`CONTEXT_COLUMNS`] when `with_context`.
pub fn load(
    conn: &mut PgConnection,
    filter: &ResponseFilter,
    question_ids: &[&str],
    with_context: bool,
) -> Result<Vec<Vec<Value>>, DbError> {
    let context = CONTEXT_COLUMNS
        .iter()
        .filter(|_| with_context)
        .map(|(_, sql)| sql.to_string());
    let answers = answer_columns(question_ids);
    let selected = context.chain(answers).collect::<Vec<_>>().join(", ");
    let mut query = responses::table
        .inner_join(events::table)
        .inner_join(form_versions::table)
        .filter(form_versions::form_slug.eq(&filter.form))
        .filter(events::cancelled_at.is_null())
        .select(sql::<Jsonb>(&format!("jsonb_build_array({selected})")))
        .into_boxed();
    if let Some(year) = filter.fiscal_year {
        query = query.filter(events::held_on.between(year.first_day(), year.last_day()));
    }
    if let Some(event) = filter.event {
        query = query.filter(events::id.eq(event));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(events::kind.eq(kind.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(events::held_on.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(events::held_on.le(to));
    }
    Ok(arrays(query.order(responses::id).load(conn)?))
}

/// The rows selected as `jsonb_build_array(...)`, as vectors.
pub fn arrays(rows: Vec<Value>) -> Vec<Vec<Value>> {
    rows.into_iter()
        .map(|row| match row {
            Value::Array(values) => values,
            _ => Vec::new(),
        })
        .collect()
}
