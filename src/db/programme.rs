//! The programme profile: one row, the definition staff gave, read back through its parser.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::programme_profile;
use super::DbError;
use crate::domain::programme::ProgrammeProfile;

/// The profile and when it was last written; an empty one before staff write any.
pub fn get(conn: &mut PgConnection) -> Result<(ProgrammeProfile, Option<DateTime<Utc>>), DbError> {
    let row: Option<(serde_json::Value, DateTime<Utc>)> = programme_profile::table
        .select((programme_profile::definition, programme_profile::updated_at))
        .first(conn)
        .optional()?;
    match row {
        None => Ok((ProgrammeProfile::default(), None)),
        Some((definition, updated_at)) => {
            let profile =
                ProgrammeProfile::parse(definition).map_err(|e| DbError::Corrupt(format!("programme profile: {e}")))?;
            Ok((profile, Some(updated_at)))
        }
    }
}

/// Replaces the profile; returns when it was written.
pub fn put(conn: &mut PgConnection, profile: &ProgrammeProfile) -> Result<DateTime<Utc>, DbError> {
    let now = Utc::now();
    Ok(diesel::insert_into(programme_profile::table)
        .values((
            programme_profile::singleton.eq(true),
            programme_profile::definition.eq(profile.definition()),
            programme_profile::updated_at.eq(now),
        ))
        .on_conflict(programme_profile::singleton)
        .do_update()
        .set((
            programme_profile::definition.eq(profile.definition()),
            programme_profile::updated_at.eq(now),
        ))
        .returning(programme_profile::updated_at)
        .get_result(conn)?)
}
