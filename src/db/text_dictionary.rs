//! Staff's text dictionary: one row, the definition staff gave and its version.

use chrono::Utc;
use diesel::prelude::*;

use super::schema::text_dictionary;
use super::DbError;
use crate::domain::text_dictionary::{TextDictionary, VersionedDictionary};

/// The dictionary in force: the shipped one (version 0) until staff change it.
pub fn get(conn: &mut PgConnection) -> Result<VersionedDictionary, DbError> {
    let row: Option<(serde_json::Value, i64)> = text_dictionary::table
        .select((text_dictionary::definition, text_dictionary::version))
        .first(conn)
        .optional()?;
    match row {
        None => Ok(VersionedDictionary::default()),
        Some((definition, version)) => Ok(VersionedDictionary {
            version,
            dictionary: TextDictionary::parse(definition)
                .map_err(|e| DbError::Corrupt(format!("text dictionary: {e}")))?,
        }),
    }
}

/// Replaces the dictionary under a new version.
pub fn put(conn: &mut PgConnection, dictionary: &TextDictionary) -> Result<VersionedDictionary, DbError> {
    let now = Utc::now();
    let version: i64 = diesel::insert_into(text_dictionary::table)
        .values((
            text_dictionary::singleton.eq(true),
            text_dictionary::definition.eq(dictionary.to_json()),
            text_dictionary::version.eq(1),
            text_dictionary::updated_at.eq(now),
        ))
        .on_conflict(text_dictionary::singleton)
        .do_update()
        .set((
            text_dictionary::definition.eq(dictionary.to_json()),
            text_dictionary::version.eq(text_dictionary::version + 1),
            text_dictionary::updated_at.eq(now),
        ))
        .returning(text_dictionary::version)
        .get_result(conn)?;
    Ok(VersionedDictionary {
        version,
        dictionary: dictionary.clone(),
    })
}
