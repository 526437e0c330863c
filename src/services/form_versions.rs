//! Form versions kept in memory once read. A version never changes (its content hash is its
//! identity), so a submission need not fetch and parse its definition (some 20 KB) each time.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use diesel::PgConnection;
use uuid::Uuid;

use crate::db::forms::StoredForm;
use crate::db::{self, DbError};

#[derive(Default)]
pub struct FormVersions(RwLock<HashMap<Uuid, Arc<StoredForm>>>);

impl FormVersions {
    pub fn get(&self, conn: &mut PgConnection, id: Uuid) -> Result<Arc<StoredForm>, DbError> {
        if let Some(form) = self.0.read().ok().and_then(|forms| forms.get(&id).cloned()) {
            return Ok(form);
        }
        let form = Arc::new(db::forms::by_id(conn, id)?);
        if let Ok(mut forms) = self.0.write() {
            forms.insert(id, form.clone());
        }
        Ok(form)
    }
}
