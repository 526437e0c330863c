//! Form versions kept in memory once read. A version never changes (its content hash is its
//! identity), and an event never changes the version it asks, so a submission need not fetch
//! its event or parse its definition (some 20 KB) each time. The agency question's options, the
//! agency list, are not part of a version: [`with_current_agencies`] reads them when needed.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use diesel::PgConnection;
use uuid::Uuid;

use crate::db::forms::StoredForm;
use crate::db::{self, DbError};

#[derive(Default)]
pub struct FormVersions {
    by_id: RwLock<HashMap<Uuid, Arc<StoredForm>>>,
    /// Event id to the id of the version it asks; only events that exist are ever added.
    by_event: RwLock<HashMap<Uuid, Uuid>>,
}

impl FormVersions {
    pub fn get(&self, conn: &mut PgConnection, id: Uuid) -> Result<Arc<StoredForm>, DbError> {
        if let Some(form) = cached(&self.by_id, &id) {
            return Ok(form);
        }
        let form = Arc::new(db::forms::by_id(conn, id)?);
        remember(&self.by_id, id, form.clone());
        Ok(form)
    }

    /// The version an event asks; `NotFound` when there is no such event.
    pub fn for_event(&self, conn: &mut PgConnection, event_id: Uuid) -> Result<Arc<StoredForm>, DbError> {
        let version_id = match cached(&self.by_event, &event_id) {
            Some(version_id) => version_id,
            None => {
                let version_id = db::events::form_version_of(conn, event_id)?;
                remember(&self.by_event, event_id, version_id);
                version_id
            }
        };
        self.get(conn, version_id)
    }
}

/// The form with the agency list as it is now as its agency question's options.
pub fn with_current_agencies(conn: &mut PgConnection, mut form: StoredForm) -> Result<StoredForm, DbError> {
    if form.definition.awaits_agencies() {
        form.definition = form.definition.with_agencies(&db::agencies::as_choices(conn)?);
    }
    Ok(form)
}

/// [`with_current_agencies`] for a shared form, copied only when it asks for an agency.
pub fn shared_with_current_agencies(
    conn: &mut PgConnection,
    form: Arc<StoredForm>,
) -> Result<Arc<StoredForm>, DbError> {
    if !form.definition.awaits_agencies() {
        return Ok(form);
    }
    Ok(Arc::new(with_current_agencies(conn, StoredForm::clone(&form))?))
}

fn cached<V: Clone>(map: &RwLock<HashMap<Uuid, V>>, key: &Uuid) -> Option<V> {
    map.read().ok().and_then(|map| map.get(key).cloned())
}

fn remember<V>(map: &RwLock<HashMap<Uuid, V>>, key: Uuid, value: V) {
    if let Ok(mut map) = map.write() {
        map.insert(key, value);
    }
}
