//! API tokens, kept as hashes. Revoking keeps the row so that the list shows what existed.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::api_tokens;
use super::DbError;
use crate::domain::token::{hash_token, Role};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRecord {
    pub id: Uuid,
    pub name: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub last_used_on: Option<NaiveDate>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub fn insert(conn: &mut PgConnection, token: &str, role: Role, name: &str) -> Result<TokenRecord, DbError> {
    Ok(diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(Uuid::now_v7()),
            api_tokens::name.eq(name),
            api_tokens::role.eq(role.as_str()),
            api_tokens::token_hash.eq(hash_token(token)),
        ))
        .returning(TokenRecord::as_returning())
        .get_result(conn)?)
}

/// A live token that was presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authenticated {
    pub token_id: Uuid,
    pub role: Role,
}

/// The live token presented, recording the day it was used (a day, not a time: enough to spot
/// unused tokens without keeping a trail of activity).
pub fn authenticate(conn: &mut PgConnection, token: &str) -> Result<Option<Authenticated>, DbError> {
    let today = crate::domain::clock::today();
    let found: Option<(Uuid, String, Option<NaiveDate>)> = api_tokens::table
        .filter(api_tokens::token_hash.eq(hash_token(token)))
        .filter(api_tokens::revoked_at.is_null())
        .select((api_tokens::id, api_tokens::role, api_tokens::last_used_on))
        .first(conn)
        .optional()?;
    let Some((id, role, last_used_on)) = found else {
        return Ok(None);
    };
    if last_used_on != Some(today) {
        diesel::update(api_tokens::table.find(id))
            .set(api_tokens::last_used_on.eq(today))
            .execute(conn)?;
    }
    Ok(Role::parse(&role).map(|role| Authenticated { token_id: id, role }))
}

pub fn list(conn: &mut PgConnection) -> Result<Vec<TokenRecord>, DbError> {
    Ok(api_tokens::table
        .order(api_tokens::created_at)
        .select(TokenRecord::as_select())
        .load(conn)?)
}

/// Revokes a token; `false` if there is no such live token.
pub fn revoke(conn: &mut PgConnection, id: Uuid) -> Result<bool, DbError> {
    let updated = diesel::update(api_tokens::table.find(id).filter(api_tokens::revoked_at.is_null()))
        .set(api_tokens::revoked_at.eq(Utc::now()))
        .execute(conn)?;
    Ok(updated == 1)
}
