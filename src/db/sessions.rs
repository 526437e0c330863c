//! Dashboard sessions: a random id in an HTTP-only cookie, its hash here, tied to the token that
//! signed in (so revoking the token ends them) and to a CSRF token for the session's forms.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{api_tokens, dashboard_sessions};
use super::DbError;
use crate::db::tokens::Authenticated;
use crate::domain::token::{generate_token, hash_token, Role};

/// A working day and some: staff sign in again the next morning.
pub const SESSION_HOURS: i64 = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub role: Role,
    /// The token signed in with: who codes comments from the dashboard.
    pub token_id: Uuid,
    pub token_name: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// Starts a session for a live token; returns the cookie value (shown once) and the session.
/// Sweeps expired sessions first: signing in is rare, so the sweep costs nothing that matters.
pub fn start(conn: &mut PgConnection, signed_in: Authenticated) -> Result<(String, Session), DbError> {
    diesel::delete(dashboard_sessions::table.filter(dashboard_sessions::expires_at.le(Utc::now()))).execute(conn)?;
    let id = generate_token();
    let expires_at = Utc::now() + Duration::hours(SESSION_HOURS);
    diesel::insert_into(dashboard_sessions::table)
        .values((
            dashboard_sessions::id_hash.eq(hash_token(&id)),
            dashboard_sessions::token_id.eq(signed_in.token_id),
            dashboard_sessions::csrf_token.eq(generate_token()),
            dashboard_sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    let session = find(conn, &id)?.ok_or(diesel::result::Error::NotFound)?;
    Ok((id, session))
}

/// The live session with this cookie value, if any: not expired, its token not revoked.
pub fn find(conn: &mut PgConnection, id: &str) -> Result<Option<Session>, DbError> {
    let found: Option<(String, Uuid, String, String, DateTime<Utc>)> = dashboard_sessions::table
        .inner_join(api_tokens::table)
        .filter(dashboard_sessions::id_hash.eq(hash_token(id)))
        .filter(dashboard_sessions::expires_at.gt(Utc::now()))
        .filter(api_tokens::revoked_at.is_null())
        .select((
            api_tokens::role,
            api_tokens::id,
            api_tokens::name,
            dashboard_sessions::csrf_token,
            dashboard_sessions::expires_at,
        ))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(role, token_id, token_name, csrf_token, expires_at)| {
        Role::parse(&role).map(|role| Session {
            role,
            token_id,
            token_name,
            csrf_token,
            expires_at,
        })
    }))
}

/// Ends a session.
pub fn end(conn: &mut PgConnection, id: &str) -> Result<(), DbError> {
    diesel::delete(dashboard_sessions::table.filter(dashboard_sessions::id_hash.eq(hash_token(id)))).execute(conn)?;
    Ok(())
}
