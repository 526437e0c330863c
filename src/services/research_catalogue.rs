//! What researchers can fetch, listed for their page: each form's settled partitions that the
//! protected release holds (frozen on the way, as a release would freeze them), and a form's
//! variables with the versions they came from.

use chrono::NaiveDate;
use diesel::PgConnection;

use crate::db::forms::{StoredForm, VersionSummary};
use crate::db::releases::PartitionSize;
use crate::db::{self, DbError};

pub struct ReleasedForm {
    pub form: StoredForm,
    pub partitions: Vec<PartitionSize>,
}

/// Every form with a partition in the researchers' release, each partition frozen; those below
/// `min_cell`, which no release holds, are not listed.
pub fn catalogue(
    conn: &mut PgConnection,
    settled_until: NaiveDate,
    min_cell: u64,
) -> Result<Vec<ReleasedForm>, DbError> {
    let min_responses = i64::try_from(min_cell).unwrap_or(i64::MAX).max(1);
    let mut released = Vec::new();
    for form in db::forms::all_latest(conn)? {
        db::releases::freeze_settled(conn, &form.definition.slug, settled_until)?;
        let partitions = db::releases::partition_sizes(conn, &form.definition.slug, min_responses)?;
        if !partitions.is_empty() {
            released.push(ReleasedForm { form, partitions });
        }
    }
    Ok(released)
}

/// A form's latest version, whose variables a release names, and every version.
pub fn codebook(conn: &mut PgConnection, slug: &str) -> Result<(StoredForm, Vec<VersionSummary>), DbError> {
    Ok((db::forms::latest(conn, slug)?, db::forms::versions(conn, slug)?))
}
