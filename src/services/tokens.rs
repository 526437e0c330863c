//! API tokens, issued and revoked alike from the command line and the dashboard: a token is
//! shown once, when it is made, and only its hash is kept.

use diesel::PgConnection;
use uuid::Uuid;

use crate::db::tokens::{Authenticated, TokenRecord};
use crate::db::{self, DbError};
use crate::domain::token::{generate_token, Role};
use crate::domain::validation::ValidationError;

/// Longest name a token may carry (a person's or a project's).
const NAME_CHARS: usize = 100;

/// A token just made: the secret is here and nowhere else.
pub struct Issued {
    pub record: TokenRecord,
    pub token: String,
}

/// Makes a token for `role` named `name` (trimmed; required); a bad name is the caller's mistake.
pub fn issue(conn: &mut PgConnection, role: Role, name: &str) -> Result<Result<Issued, ValidationError>, DbError> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(Err(ValidationError::new(
            "name",
            "missing",
            "a token needs a name (whose or what for)",
        )));
    }
    if name.chars().count() > NAME_CHARS || name.chars().any(char::is_control) {
        return Ok(Err(ValidationError::new(
            "name",
            "too_long",
            format!("a token's name is at most {NAME_CHARS} characters on one line"),
        )));
    }
    let token = generate_token();
    let record = db::tokens::insert(conn, &token, role, name)?;
    Ok(Ok(Issued { record, token }))
}

/// Revokes the live token `id` (its dashboard sessions end with it); false if there is none.
pub fn revoke(conn: &mut PgConnection, id: Uuid) -> Result<bool, DbError> {
    db::tokens::revoke(conn, id)
}

/// Who `token` is, if it is live (the day of its use is recorded).
pub fn authenticate(conn: &mut PgConnection, token: &str) -> Result<Option<Authenticated>, DbError> {
    db::tokens::authenticate(conn, token)
}

pub fn list(conn: &mut PgConnection) -> Result<Vec<TokenRecord>, DbError> {
    db::tokens::list(conn)
}
