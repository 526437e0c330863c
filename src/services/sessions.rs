//! Dashboard sessions: signing in with a token, finding a request's session, signing out.

use diesel::PgConnection;

use crate::db::sessions::Session;
use crate::db::{self, DbError};
use crate::domain::token::Role;

/// Starts a session for `token` if it is valid and its role one of `roles`: the session's id (for
/// the cookie) and the session.
pub fn sign_in(conn: &mut PgConnection, token: &str, roles: &[Role]) -> Result<Option<(String, Session)>, DbError> {
    match db::tokens::authenticate(conn, token)? {
        Some(found) if roles.contains(&found.role) => db::sessions::start(conn, found).map(Some),
        _ => Ok(None),
    }
}

/// The session `id` names, while it is valid.
pub fn find(conn: &mut PgConnection, id: &str) -> Result<Option<Session>, DbError> {
    db::sessions::find(conn, id)
}

pub fn sign_out(conn: &mut PgConnection, id: &str) -> Result<(), DbError> {
    db::sessions::end(conn, id)
}
