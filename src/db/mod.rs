//! Everything diesel: the pool, migrations and one module of queries per table. Query functions
//! take `&mut PgConnection` so that they compose inside a transaction; async code reaches them
//! through [`run`], which keeps both the pool checkout and the query off the async threads.

pub mod agencies;
pub mod answers;
pub mod audit_log;
pub mod codebooks;
pub mod codings;
pub mod events;
pub mod forms;
pub mod indicator_plans;
pub mod notes;
mod pool;
pub mod programme;
pub mod publicity;
pub mod releases;
pub mod responses;
pub mod schema;
pub mod sessions;
pub mod statistics;
mod tally;
pub mod text_dictionary;
pub mod tokens;

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub use pool::{build_pool, lend, pool_status, run, run_within, Connections, DbPool, Lender, PoolStatus};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("migrations failed: {0}")]
    Migration(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("a database task panicked or was cancelled")]
    Blocking,
}

impl DbError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Query(diesel::result::Error::NotFound))
    }

    /// The database cannot be reached (down, restarting, or this connection was cut): worth a
    /// retry later, unlike a failing query.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            Self::Pool(_)
                | Self::Connect(_)
                | Self::Query(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::ClosedConnection,
                    _
                ))
        )
    }
}

pub fn run_migrations(conn: &mut PgConnection) -> Result<(), DbError> {
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(())
}

/// One connection, for the command line.
pub fn connect(database_url: &str) -> Result<PgConnection, DbError> {
    Ok(PgConnection::establish(database_url)?)
}

/// The migrations this build embeds that have not run on the database, by name.
pub fn pending_migrations(conn: &mut PgConnection) -> Result<Vec<String>, DbError> {
    Ok(conn
        .pending_migrations(MIGRATIONS)
        .map_err(|e| DbError::Migration(e.to_string()))?
        .iter()
        .map(|migration| migration.name().to_string())
        .collect())
}

/// Creates the database named in `database_url` if it does not exist, connecting to the server's
/// `postgres` maintenance database with the same credentials.
pub fn create_database_if_missing(database_url: &str) -> Result<bool, DbError> {
    let (maintenance_url, name) = split_database_url(database_url)?;
    let mut conn = PgConnection::establish(&maintenance_url)?;
    #[derive(QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let found: Exists = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
        .bind::<diesel::sql_types::Text, _>(&name)
        .get_result(&mut conn)?;
    if found.exists {
        return Ok(false);
    }
    match diesel::sql_query(format!("CREATE DATABASE {}", quote_identifier(&name))).execute(&mut conn) {
        Ok(_) => Ok(true),
        // Another process created it between our check and our CREATE: that is what we wanted.
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) if e.to_string().contains("already exists") => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Drops a database, disconnecting whoever still uses it (test databases).
pub fn drop_database(database_url: &str) -> Result<(), DbError> {
    let (maintenance_url, name) = split_database_url(database_url)?;
    let mut conn = PgConnection::establish(&maintenance_url)?;
    diesel::sql_query(format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        quote_identifier(&name)
    ))
    .execute(&mut conn)?;
    Ok(())
}

fn split_database_url(database_url: &str) -> Result<(String, String), DbError> {
    let mut url = url::Url::parse(database_url)
        .map_err(|e| DbError::Connect(diesel::ConnectionError::InvalidConnectionUrl(e.to_string())))?;
    let name = url.path().trim_start_matches('/').to_owned();
    if name.is_empty() {
        return Err(DbError::Connect(diesel::ConnectionError::InvalidConnectionUrl(
            "the database URL names no database".into(),
        )));
    }
    url.set_path("/postgres");
    Ok((url.to_string(), name))
}

fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_maintenance_url_keeps_credentials_and_options() {
        let (url, name) = split_database_url("postgres://u:p@127.0.0.1:5432/tsunagari?sslmode=disable").unwrap();
        assert_eq!(url, "postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable");
        assert_eq!(name, "tsunagari");
        assert!(split_database_url("postgres://u:p@localhost").is_err());
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_identifier(r#"a"b"#), r#""a""b""#);
    }
}
