//! The form files in `survey_forms/`: reading and checking them, and storing their versions.

use std::path::{Path, PathBuf};

use diesel::PgConnection;

use crate::db::{self, DbError};
use crate::domain::form::{FormDefinition, FormError};

#[derive(Debug, thiserror::Error)]
pub enum FormFileError {
    #[error("{}: cannot read: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", path.display())]
    Invalid { path: PathBuf, source: FormError },
    #[error("{}: the file must be named after the form's slug ({slug}.json)", path.display())]
    Misnamed { path: PathBuf, slug: String },
    #[error("{}: no form files (*.json) found", path.display())]
    Empty { path: PathBuf },
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Reads and checks every `*.json` file of `dir`, in name order.
pub fn load_dir(dir: &Path) -> Result<Vec<FormDefinition>, FormFileError> {
    let read_error = |source| FormFileError::Read {
        path: dir.to_owned(),
        source,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(read_error)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(read_error)?;
    paths.retain(|path| path.extension().is_some_and(|ext| ext == "json"));
    paths.sort();
    if paths.is_empty() {
        return Err(FormFileError::Empty { path: dir.to_owned() });
    }
    paths.iter().map(|path| load_file(path)).collect()
}

pub fn load_file(path: &Path) -> Result<FormDefinition, FormFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| FormFileError::Read {
        path: path.to_owned(),
        source,
    })?;
    let form = FormDefinition::parse_json(&text).map_err(|source| FormFileError::Invalid {
        path: path.to_owned(),
        source,
    })?;
    if path.file_stem().and_then(|stem| stem.to_str()) != Some(form.slug.as_str()) {
        return Err(FormFileError::Misnamed {
            path: path.to_owned(),
            slug: form.slug,
        });
    }
    Ok(form)
}

/// Stores a new version of every form whose content changed; logs what it did.
pub fn sync_dir(conn: &mut PgConnection, dir: &Path) -> Result<(), FormFileError> {
    for form in load_dir(dir)? {
        let outcome = db::forms::sync(conn, &form)?;
        if outcome.is_new {
            tracing::info!(form = %form.slug, version = outcome.version, "stored a new form version");
        } else {
            tracing::debug!(form = %form.slug, version = outcome.version, "form unchanged");
        }
    }
    Ok(())
}
