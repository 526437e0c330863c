//! The planner's statistics of the tables analyses scan. Rows loaded in bulk (a year's series,
//! an import, a restored backup) stay unanalysed until autovacuum comes by, about a minute, and
//! meanwhile the analyses' joins misjudge their rows and sort to disk: several times slower on
//! every call. An analysis refreshes what is stale before it scans, as autovacuum would.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::DbError;

/// The tables an analysis scans.
const SCANNED: [&str; 2] = ["responses", "events"];

/// Analyses the events table now: a batch of new events is about to be analysed. The table is
/// small, so this takes milliseconds.
pub fn analyze_events(conn: &mut PgConnection) -> Result<(), DbError> {
    diesel::sql_query("ANALYZE events").execute(conn)?;
    Ok(())
}

/// Analyses each scanned table whose rows changed since its last analysis by as many as make
/// autovacuum analyse it (its default threshold: 50 rows and a tenth of the table). Reading the
/// counters takes a millisecond; an analysis samples a fixed number of rows, under a second
/// for a million responses, and happens once per bulk load.
pub fn refresh_stale(conn: &mut PgConnection) -> Result<(), DbError> {
    #[derive(QueryableByName)]
    struct Stale {
        #[diesel(sql_type = Text)]
        relname: String,
    }
    let stale: Vec<Stale> = diesel::sql_query(
        "SELECT s.relname::text AS relname
           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
          WHERE s.relname = ANY($1) AND s.schemaname = current_schema()
            AND s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)",
    )
    .bind::<diesel::sql_types::Array<Text>, _>(&SCANNED[..])
    .load(conn)?;
    for table in stale {
        // Names from SCANNED only.
        diesel::sql_query(format!("ANALYZE {}", table.relname)).execute(conn)?;
    }
    Ok(())
}
