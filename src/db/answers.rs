//! Answers loaded for analysis: only the questions asked for, only the filtered responses.

use diesel::dsl::sql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::BoxedSqlQuery;
use diesel::query_builder::SqlQuery;
use diesel::sql_types::{BigInt, Date, Integer, Jsonb, Text, Uuid as SqlUuid};
use serde_json::Value;

use super::schema::{events, form_versions, responses};
use super::DbError;
use crate::domain::form::ATTRIBUTE_QUESTIONS;
use crate::domain::response_filter::ResponseFilter;

/// Distinct answers with how many responses gave them.
pub type Counted = Vec<(Vec<Value>, i64)>;

/// Per distinct combination of answers to `question_ids` among the filter's responses (cancelled
/// events excluded): the answers in that order (`Value::Null` where skipped), preceded by the
/// response's partition (`"2019/seminar"`: fiscal year and event kind) when `partitioned`, and how
/// many responses gave it. PostgreSQL does the counting, so what travels grows with the distinct
/// answers, not the responses; the shared attributes are read from their own columns.
pub fn count(
    conn: &mut PgConnection,
    filter: &ResponseFilter,
    question_ids: &[&str],
    partitioned: bool,
) -> Result<Counted, DbError> {
    let mut keys: Vec<GroupKey> = Vec::new();
    if partitioned {
        keys.push(GroupKey::text(format!(
            "{}::text || '/' || e.kind",
            fiscal_year_of("e")
        )));
    }
    keys.extend(question_ids.iter().map(|id| GroupKey::answer(id)));
    let (conditions, binds) = conditions(filter);
    count_grouped(
        conn,
        &keys,
        "responses r JOIN events e ON e.id = r.event_id",
        &conditions,
        binds,
    )
}

/// Runs the [`grouped_query`] with `binds` for its `$n` placeholders.
pub fn count_grouped(
    conn: &mut PgConnection,
    keys: &[GroupKey],
    from: &str,
    conditions: &[String],
    binds: Vec<Bind>,
) -> Result<Counted, DbError> {
    let mut query = diesel::sql_query(grouped_query(keys, from, conditions)).into_boxed::<Pg>();
    for bind in binds {
        query = bind.apply(query);
    }
    Ok(rows(query.load(conn)?))
}

/// SQL for the fiscal year (April to March, named by the year it starts) of the events row
/// `events`.
pub fn fiscal_year_of(events: &str) -> String {
    format!("(extract(year FROM {events}.held_on - interval '3 months'))::int")
}

/// One column to group by: SQL, and whether it is text (turned into JSON once per group).
pub struct GroupKey {
    sql: String,
    text: bool,
}

impl GroupKey {
    pub fn text(sql: String) -> Self {
        Self { sql, text: true }
    }

    /// An answer of response `r`: a shared attribute from its own column (which holds the
    /// answer's text), any other from the answers as JSON.
    pub fn answer(question_id: &str) -> Self {
        if ATTRIBUTE_QUESTIONS.contains(&question_id) {
            return Self::text(format!("r.{question_id}"));
        }
        // Question ids are checked identifiers ([a-z0-9_]); quoting is belt and braces.
        Self {
            sql: format!("r.answers -> '{}'", question_id.replace('\'', "''")),
            text: false,
        }
    }
}

/// `SELECT jsonb_build_array(keys...), count FROM from WHERE conditions GROUP BY keys`.
fn grouped_query(keys: &[GroupKey], from: &str, conditions: &[String]) -> String {
    let inner: String = keys
        .iter()
        .enumerate()
        .map(|(i, key)| format!("{} AS k{i}, ", key.sql))
        .collect();
    let outer: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            if key.text {
                format!("to_jsonb(k{i})")
            } else {
                format!("k{i}")
            }
        })
        .collect();
    let group_by = match keys.len() {
        0 => String::new(),
        n => format!(
            " GROUP BY {}",
            (1..=n).map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
        ),
    };
    format!(
        "SELECT jsonb_build_array({}) AS answers, n FROM (SELECT {inner}count(*) AS n FROM {from} WHERE {}{group_by}) grouped",
        outer.join(", "),
        conditions.join(" AND "),
    )
}

#[derive(QueryableByName)]
struct CountedRow {
    #[diesel(sql_type = Jsonb)]
    answers: Value,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn rows(rows: Vec<CountedRow>) -> Counted {
    rows.into_iter()
        .map(|row| match row.answers {
            Value::Array(values) => (values, row.n),
            _ => (Vec::new(), row.n),
        })
        .collect()
}

/// A value bound to a `$n` placeholder.
pub enum Bind {
    Text(String),
    Integer(i32),
    Date(chrono::NaiveDate),
    Uuid(uuid::Uuid),
}

impl Bind {
    fn apply<'a>(self, query: BoxedSqlQuery<'a, Pg, SqlQuery>) -> BoxedSqlQuery<'a, Pg, SqlQuery> {
        match self {
            Self::Text(value) => query.bind::<Text, _>(value),
            Self::Integer(value) => query.bind::<Integer, _>(value),
            Self::Date(value) => query.bind::<Date, _>(value),
            Self::Uuid(value) => query.bind::<SqlUuid, _>(value),
        }
    }
}

/// The filter as SQL conditions on response `r` and its event `e`. The form is matched by its
/// version ids, so the planner joins events by hash rather than visiting the responses of each
/// event in turn.
fn conditions(filter: &ResponseFilter) -> (Vec<String>, Vec<Bind>) {
    let mut conditions = vec![
        "r.form_version_id IN (SELECT id FROM form_versions WHERE form_slug = $1)".to_owned(),
        "e.cancelled_at IS NULL".to_owned(),
    ];
    let mut binds = vec![Bind::Text(filter.form.clone())];
    let mut add = |condition: &str, bind: Bind| {
        binds.push(bind);
        conditions.push(condition.replace('?', &format!("${}", binds.len())));
    };
    if let Some(year) = filter.fiscal_year {
        add("e.held_on >= ?", Bind::Date(year.first_day()));
        add("e.held_on <= ?", Bind::Date(year.last_day()));
    }
    if let Some(event) = filter.event {
        add("e.id = ?", Bind::Uuid(event));
    }
    if let Some(kind) = filter.kind {
        add("e.kind = ?", Bind::Text(kind.as_str().to_owned()));
    }
    if let Some(from) = filter.from {
        add("e.held_on >= ?", Bind::Date(from));
    }
    if let Some(to) = filter.to {
        add("e.held_on <= ?", Bind::Date(to));
    }
    (conditions, binds)
}

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
