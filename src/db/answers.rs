//! Answers loaded for analysis: only the questions asked for, only the filtered responses.

use diesel::dsl::sql;
use diesel::pg::{Pg, PgRowByRowLoadingMode};
use diesel::prelude::*;
use diesel::query_builder::BoxedSqlQuery;
use diesel::query_builder::SqlQuery;
use diesel::sql_types::{Array, BigInt, Date, Integer, Jsonb, Text, Uuid as SqlUuid};
use serde_json::Value;

use super::schema::{events, form_versions, responses};
use super::tally::{self, Tally};
use super::DbError;
use crate::domain::event_column::EventColumn;
use crate::domain::form::ATTRIBUTE_QUESTIONS;
use crate::domain::response_filter::ResponseFilter;

pub use super::tally::Counted;

/// What analyses read of a response: an answer, or a column of its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column<'a> {
    Answer(&'a str),
    Event(EventColumn),
}

impl<'a> Column<'a> {
    /// The column an id names: an event column's reserved name, else a question.
    pub fn of(id: &'a str) -> Self {
        EventColumn::parse(id).map_or(Self::Answer(id), Self::Event)
    }

    /// The columns `ids` name.
    pub fn all(ids: &[&'a str]) -> Vec<Self> {
        ids.iter().map(|id| Self::of(id)).collect()
    }
}

/// SQL for an event column of the events row `events`, as text.
pub(super) fn event_sql(column: EventColumn, events: &str) -> String {
    match column {
        EventColumn::FiscalYear => format!("{}::text", fiscal_year_of(events)),
        EventColumn::Kind => format!("{events}.kind"),
        EventColumn::Event => format!("{events}.id::text"),
    }
}

/// Per distinct combination of `columns` among the filter's responses (cancelled events
/// excluded): their values in that order (`Value::Null` where skipped) and how many responses
/// gave it. PostgreSQL does the counting (a plain `GROUP BY`, which it runs in parallel), so what
/// travels grows with the distinct answers, not the responses.
pub fn count(conn: &mut PgConnection, filter: &ResponseFilter, columns: &[Column]) -> Result<Counted, DbError> {
    super::statistics::refresh_stale(conn)?;
    let keys: Vec<GroupKey> = columns.iter().map(|&column| GroupKey::of(column)).collect();
    let (conditions, binds) = conditions(filter, Some("r"));
    let mut query = diesel::sql_query(grouped_query(&keys, LIVE_RESPONSES, &conditions)).into_boxed::<Pg>();
    for bind in binds {
        query = bind.apply(query);
    }
    let rows: Vec<CountedRow> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| match row.answers {
            Value::Array(values) => (values, row.n),
            _ => (Vec::new(), row.n),
        })
        .collect())
}

/// Like [`count`] for several sets of questions at once, each row preceded by the response's
/// partition (`"2019/seminar"`: fiscal year and event kind): one [`Counted`] per set.
pub fn count_sets(
    conn: &mut PgConnection,
    filter: &ResponseFilter,
    sets: &[Vec<&str>],
) -> Result<Vec<Counted>, DbError> {
    let partition = GroupKey::text(format!("{}::text || '/' || e.kind", fiscal_year_of("e")));
    let (conditions, binds) = conditions(filter, Some("r"));
    count_partitioned(conn, partition, sets, LIVE_RESPONSES, &conditions, binds)
}

const LIVE_RESPONSES: &str = "responses r JOIN events e ON e.id = r.event_id";

/// Separates the keys of a streamed row: JSON text escapes it, and plain keys are identifiers.
const SEPARATOR: char = '\u{1f}';
/// Stands for a skipped answer in a streamed row.
const SKIPPED: &str = "\u{1e}";

/// Counts `sets` of questions with `partition` first in each, from one scan of `from` that
/// streams each row's keys (never holding the rows) into a [`Tally`].
pub fn count_partitioned(
    conn: &mut PgConnection,
    partition: GroupKey,
    sets: &[Vec<&str>],
    from: &str,
    conditions: &[String],
    binds: Vec<Bind>,
) -> Result<Vec<Counted>, DbError> {
    super::statistics::refresh_stale(conn)?;
    let mut ids: Vec<&str> = Vec::new();
    for id in sets.iter().flatten() {
        if !ids.contains(id) {
            ids.push(id);
        }
    }
    let keys: Vec<GroupKey> = std::iter::once(partition)
        .chain(ids.iter().map(|id| GroupKey::answer(id)))
        .collect();
    let positions = sets
        .iter()
        .map(|set| {
            std::iter::once(0)
                .chain(
                    set.iter()
                        .filter_map(|id| ids.iter().position(|known| known == id).map(|i| i + 1)),
                )
                .collect()
        })
        .collect();
    let columns: Vec<String> = keys
        .iter()
        .map(|key| format!("coalesce({}, E'\\x1e')", key.sql))
        .collect();
    let statement = format!(
        "SELECT concat_ws(E'\\x1f', {}) AS keys FROM {from} WHERE {}",
        columns.join(", "),
        conditions.join(" AND ")
    );
    let mut query = diesel::sql_query(statement).into_boxed::<Pg>();
    for bind in binds {
        query = bind.apply(query);
    }
    let mut tally = Tally::new(keys.iter().map(|key| key.json).collect(), positions).ok_or_else(|| {
        diesel::result::Error::QueryBuilderError(format!("a set counts at most {} keys", tally::MAX_SET_KEYS).into())
    })?;
    for row in query.load_iter::<KeysRow, PgRowByRowLoadingMode>(conn)? {
        let row = row?;
        tally.add(
            row.keys
                .split(SEPARATOR)
                .map(|value| (value != SKIPPED).then_some(value)),
        );
    }
    Ok(tally.finish())
}

#[derive(QueryableByName)]
struct KeysRow {
    #[diesel(sql_type = Text)]
    keys: String,
}

/// SQL for the fiscal year (April to March, named by the year it starts) of the events row
/// `events`.
pub fn fiscal_year_of(events: &str) -> String {
    format!("(extract(year FROM {events}.held_on - interval '3 months'))::int")
}

/// One column to group by, as text: PostgreSQL hashes text fast and estimates its groups well,
/// while grouping by a `jsonb` expression it has no statistics for picked a sort that spilled to
/// disk. Each key is turned back into JSON once per group.
#[derive(Clone)]
pub struct GroupKey {
    sql: String,
    /// `sql` is an answer's JSON as text, rather than plain text.
    json: bool,
}

impl GroupKey {
    pub fn text(sql: String) -> Self {
        Self { sql, json: false }
    }

    /// A column of response `r` and its event `e`.
    fn of(column: Column) -> Self {
        match column {
            Column::Answer(id) => Self::answer(id),
            Column::Event(column) => Self::text(event_sql(column, "e")),
        }
    }

    /// An answer of response `r`: a shared attribute from its own column (which holds the
    /// answer's text), any other from the answers.
    fn answer(question_id: &str) -> Self {
        if ATTRIBUTE_QUESTIONS.contains(&question_id) {
            return Self::text(format!("r.{question_id}"));
        }
        // Question ids are checked identifiers ([a-z0-9_]); quoting is belt and braces.
        Self {
            sql: format!("(r.answers -> '{}')::text", question_id.replace('\'', "''")),
            json: true,
        }
    }

    fn to_json(&self, column: &str) -> String {
        if self.json {
            format!("{column}::jsonb")
        } else {
            format!("to_jsonb({column})")
        }
    }
}

/// `SELECT jsonb_build_array(keys), count FROM from WHERE conditions GROUP BY keys`.
fn grouped_query(keys: &[GroupKey], from: &str, conditions: &[String]) -> String {
    let inner: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| format!("{} AS k{i}", key.sql))
        .collect();
    let outer: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| key.to_json(&format!("k{i}")))
        .collect();
    let group_by = match keys.len() {
        0 => String::new(),
        n => format!(
            "GROUP BY {}",
            (1..=n).map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
        ),
    };
    format!(
        "SELECT jsonb_build_array({}) AS answers, n FROM (
             SELECT {}count(*) AS n FROM {from} WHERE {} {group_by}
         ) grouped",
        outer.join(", "),
        inner.iter().map(|column| format!("{column}, ")).collect::<String>(),
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

/// A value bound to a `$n` placeholder.
#[derive(Clone)]
pub enum Bind {
    Text(String),
    Integer(i32),
    Date(chrono::NaiveDate),
    Uuids(Vec<uuid::Uuid>),
}

impl Bind {
    pub(super) fn apply<'a>(self, query: BoxedSqlQuery<'a, Pg, SqlQuery>) -> BoxedSqlQuery<'a, Pg, SqlQuery> {
        match self {
            Self::Text(value) => query.bind::<Text, _>(value),
            Self::Integer(value) => query.bind::<Integer, _>(value),
            Self::Date(value) => query.bind::<Date, _>(value),
            Self::Uuids(values) => query.bind::<Array<SqlUuid>, _>(values),
        }
    }
}

/// The filter as SQL conditions on event `e` and on the items counted: `responses` names the
/// responses' alias, or is `None` for items of the events themselves (meeting notes), which take
/// the event's form version and belong to no source. The form is matched by its version ids, so
/// the planner joins events by hash rather than visiting the responses of each event in turn.
pub(super) fn conditions(filter: &ResponseFilter, responses: Option<&str>) -> (Vec<String>, Vec<Bind>) {
    let form_version = match responses {
        Some(alias) => format!("{alias}.form_version_id"),
        None => "e.form_version_id".to_owned(),
    };
    let mut conditions = vec![
        format!("{form_version} IN (SELECT id FROM form_versions WHERE form_slug = $1)"),
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
    if !filter.events.is_empty() {
        add("e.id = ANY(?)", Bind::Uuids(filter.events.clone()));
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
    if let Some(source) = filter.source {
        match responses {
            Some(alias) => add(&format!("{alias}.source = ?"), Bind::Text(source.as_str().to_owned())),
            // Notes were not answered on a phone or on paper.
            None => conditions.push("false".to_owned()),
        }
    }
    (conditions, binds)
}

/// What a raw export says about each response besides its answers: (column name, SQL).
pub const CONTEXT_COLUMNS: [(&str, &str); 5] = [
    ("event", "events.title"),
    ("event_kind", "events.kind"),
    ("held_on", "events.held_on"),
    ("form_version", "form_versions.version"),
    // phone, api or paper.
    ("source", "responses.source"),
];

/// SQL for `columns` of each response row as JSON, in that order.
fn json_columns<'a>(columns: &'a [Column]) -> impl Iterator<Item = String> + 'a {
    columns.iter().map(|column| match column {
        // Question ids are checked identifiers ([a-z0-9_]); quoting is belt and braces.
        Column::Answer(id) => format!("responses.answers -> '{}'", id.replace('\'', "''")),
        Column::Event(column) => format!("to_jsonb({})", event_sql(*column, "events")),
    })
}

/// Per response of the filter (cancelled events excluded), `columns` in that order,
/// `Value::Null` where a question was skipped or not on the version answered; preceded by the
/// [`CONTEXT_COLUMNS`] when `with_context`.
pub fn load(
    conn: &mut PgConnection,
    filter: &ResponseFilter,
    columns: &[Column],
    with_context: bool,
) -> Result<Vec<Vec<Value>>, DbError> {
    let context = CONTEXT_COLUMNS
        .iter()
        .filter(|_| with_context)
        .map(|(_, sql)| sql.to_string());
    let answers = json_columns(columns);
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
    if !filter.events.is_empty() {
        query = query.filter(events::id.eq_any(&filter.events));
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
    if let Some(source) = filter.source {
        query = query.filter(responses::source.eq(source.as_str()));
    }
    Ok(arrays(query.order(responses::id).load(conn)?))
}

/// The rows selected as `jsonb_build_array(...)`, as vectors.
fn arrays(rows: Vec<Value>) -> Vec<Vec<Value>> {
    rows.into_iter()
        .map(|row| match row {
            Value::Array(values) => values,
            _ => Vec::new(),
        })
        .collect()
}
