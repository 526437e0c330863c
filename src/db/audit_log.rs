//! The append-only audit log (see its migration): entries are added, listed, never changed.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Nullable, SmallInt, Text, Timestamptz, Uuid as SqlUuid};
use serde::Serialize;
use uuid::Uuid;

use super::DbError;

/// Who acted: the token presented (none for the command line on the server).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub token_id: Uuid,
    pub role: crate::domain::token::Role,
}

pub struct NewEntry {
    pub actor: Option<Actor>,
    pub action: String,
    pub subject: serde_json::Value,
    pub status: Option<u16>,
}

#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct Entry {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Timestamptz)]
    pub at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub token_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub token_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub role: Option<String>,
    #[diesel(sql_type = Text)]
    pub action: String,
    #[diesel(sql_type = Jsonb)]
    pub subject: serde_json::Value,
    #[diesel(sql_type = Nullable<SmallInt>)]
    pub status: Option<i16>,
}

/// Adds an entry, naming the token as it is called now (a later rename leaves it as it was).
pub fn append(conn: &mut PgConnection, entry: &NewEntry) -> Result<(), DbError> {
    diesel::sql_query(
        "INSERT INTO audit_log (token_id, token_name, role, action, subject, status)
         SELECT $1, (SELECT name FROM api_tokens WHERE id = $1), $2, $3, $4, $5",
    )
    .bind::<Nullable<SqlUuid>, _>(entry.actor.map(|a| a.token_id))
    .bind::<Nullable<Text>, _>(entry.actor.map(|a| a.role.as_str()))
    .bind::<Text, _>(&entry.action)
    .bind::<Jsonb, _>(&entry.subject)
    .bind::<Nullable<SmallInt>, _>(entry.status.and_then(|s| i16::try_from(s).ok()))
    .execute(conn)?;
    Ok(())
}

/// What to list: entries of a token, whose action contains some text, in a period; newest
/// first, at most `limit`.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub token_id: Option<Uuid>,
    pub action: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: i64,
}

pub fn list(conn: &mut PgConnection, filter: &Filter) -> Result<Vec<Entry>, DbError> {
    Ok(diesel::sql_query(
        "SELECT id, at, token_id, token_name, role, action, subject, status FROM audit_log
         WHERE ($1::uuid IS NULL OR token_id = $1)
           AND ($2::text IS NULL OR strpos(action, $2) > 0)
           AND ($3::timestamptz IS NULL OR at >= $3)
           AND ($4::timestamptz IS NULL OR at < $4)
         ORDER BY id DESC LIMIT $5",
    )
    .bind::<Nullable<SqlUuid>, _>(filter.token_id)
    .bind::<Nullable<Text>, _>(filter.action.as_deref())
    .bind::<Nullable<Timestamptz>, _>(filter.since)
    .bind::<Nullable<Timestamptz>, _>(filter.until)
    .bind::<BigInt, _>(filter.limit)
    .load(conn)?)
}
