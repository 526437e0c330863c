//! Meeting notes of events.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Jsonb;
use serde_json::Value;
use uuid::Uuid;

use super::answers::{conditions, event_sql};
use super::schema::{event_notes, events};
use super::DbError;
use crate::domain::event_column::EventColumn;
use crate::domain::meeting_note::{NewNote, NoteChanges};
use crate::domain::response_filter::ResponseFilter;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = event_notes)]
pub struct StoredNote {
    pub id: Uuid,
    pub event_id: Uuid,
    pub text: String,
    pub speaker_role: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn insert(conn: &mut PgConnection, event_id: Uuid, note: &NewNote) -> Result<StoredNote, DbError> {
    Ok(diesel::insert_into(event_notes::table)
        .values((
            event_notes::id.eq(Uuid::now_v7()),
            event_notes::event_id.eq(event_id),
            event_notes::text.eq(&note.text),
            event_notes::speaker_role.eq(&note.speaker_role),
        ))
        .returning(StoredNote::as_returning())
        .get_result(conn)?)
}

/// An event's notes, in the order they were written.
pub fn of_event(conn: &mut PgConnection, event_id: Uuid) -> Result<Vec<StoredNote>, DbError> {
    Ok(event_notes::table
        .filter(event_notes::event_id.eq(event_id))
        .order(event_notes::id)
        .select(StoredNote::as_select())
        .load(conn)?)
}

#[derive(AsChangeset)]
#[diesel(table_name = event_notes)]
struct NoteChangeset<'a> {
    text: Option<&'a str>,
    speaker_role: Option<Option<&'a str>>,
    updated_at: DateTime<Utc>,
}

pub fn update(conn: &mut PgConnection, event_id: Uuid, id: Uuid, changes: &NoteChanges) -> Result<StoredNote, DbError> {
    let changeset = NoteChangeset {
        text: changes.text.as_deref(),
        speaker_role: changes.speaker_role.as_ref().map(Option::as_deref),
        updated_at: Utc::now(),
    };
    Ok(
        diesel::update(event_notes::table.filter(event_notes::id.eq(id).and(event_notes::event_id.eq(event_id))))
            .set(&changeset)
            .returning(StoredNote::as_returning())
            .get_result(conn)?,
    )
}

pub fn delete(conn: &mut PgConnection, event_id: Uuid, id: Uuid) -> Result<(), DbError> {
    let deleted =
        diesel::delete(event_notes::table.filter(event_notes::id.eq(id).and(event_notes::event_id.eq(event_id))))
            .execute(conn)?;
    match deleted {
        0 => Err(diesel::result::Error::NotFound.into()),
        _ => Ok(()),
    }
}

/// The notes of speakers of `role` at events held between two dates inclusive, each with its
/// event's date and title, by event and in the order written.
pub fn by_role_between(
    conn: &mut PgConnection,
    role: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, String, String)>, DbError> {
    Ok(event_notes::table
        .inner_join(events::table)
        .filter(event_notes::speaker_role.eq(role))
        .filter(events::held_on.between(from, to))
        .order((events::held_on, events::id, event_notes::id))
        .select((events::held_on, events::title, event_notes::text))
        .load(conn)?)
}

#[derive(QueryableByName)]
struct NoteRow {
    #[diesel(sql_type = Jsonb)]
    row: Value,
}

/// Per note of the filter's events (those asking its form, cancelled ones left out): its text,
/// then `columns` of its event, as text.
pub fn texts(
    conn: &mut PgConnection,
    filter: &ResponseFilter,
    columns: &[EventColumn],
) -> Result<Vec<Vec<Value>>, DbError> {
    let (conditions, binds) = conditions(filter, None);
    let selected: Vec<String> = std::iter::once("to_jsonb(n.text)".to_owned())
        .chain(
            columns
                .iter()
                .map(|column| format!("to_jsonb({})", event_sql(*column, "e"))),
        )
        .collect();
    let statement = format!(
        "SELECT jsonb_build_array({}) AS row FROM event_notes n JOIN events e ON e.id = n.event_id WHERE {} ORDER BY n.id",
        selected.join(", "),
        conditions.join(" AND ")
    );
    let mut query = diesel::sql_query(statement).into_boxed::<Pg>();
    for bind in binds {
        query = bind.apply(query);
    }
    let rows: Vec<NoteRow> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| match row.row {
            Value::Array(values) => values,
            other => vec![other],
        })
        .collect())
}
