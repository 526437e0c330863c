//! The form files in `survey_forms/` (and the codebooks in `survey_forms/codebooks/`): reading
//! and checking them, and storing their versions.

use std::path::{Path, PathBuf};

use diesel::PgConnection;

use crate::db::{self, DbError};
use crate::domain::codebook::{is_codebook_slug, Codebook};
use crate::domain::form::{FormDefinition, FormError};

#[derive(Debug, thiserror::Error)]
pub enum FormFileError {
    #[error("{}: cannot read: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", path.display())]
    Invalid { path: PathBuf, source: FormError },
    #[error("{}: the file must be named after the form's slug ({slug}.json)", path.display())]
    Misnamed { path: PathBuf, slug: String },
    #[error("{}: {message}", path.display())]
    InvalidCodebook { path: PathBuf, message: String },
    #[error("{}: no form files (*.json) found", path.display())]
    Empty { path: PathBuf },
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The `*.json` files of `dir`, in name order.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>, FormFileError> {
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
    Ok(paths)
}

/// Reads and checks every `*.json` file of `dir`, in name order.
pub fn load_dir(dir: &Path) -> Result<Vec<FormDefinition>, FormFileError> {
    let paths = json_files(dir)?;
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

/// The codebooks of `dir/codebooks/` (none if there is no such folder), each named after its
/// file.
pub fn load_codebooks(dir: &Path) -> Result<Vec<(String, Codebook)>, FormFileError> {
    let dir = dir.join(CODEBOOKS_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    json_files(&dir)?
        .into_iter()
        .map(|path| {
            let invalid = |message: String| FormFileError::InvalidCodebook {
                path: path.clone(),
                message,
            };
            let text = std::fs::read_to_string(&path).map_err(|source| FormFileError::Read {
                path: path.clone(),
                source,
            })?;
            let slug = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .unwrap_or_default()
                .to_owned();
            if !is_codebook_slug(&slug) {
                return Err(invalid(
                    "a codebook file is named after its slug: a-z, 0-9, '-' and '_'".into(),
                ));
            }
            let body = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
            let codebook = Codebook::parse(body).map_err(|e| invalid(e.message))?;
            Ok((slug, codebook))
        })
        .collect()
}

const CODEBOOKS_DIR: &str = "codebooks";

/// Stores a new version of every form and codebook whose content changed; logs what it did.
pub fn sync_dir(conn: &mut PgConnection, dir: &Path) -> Result<(), FormFileError> {
    for (slug, codebook) in load_codebooks(dir)? {
        let (stored, is_new) = db::codebooks::put(conn, &slug, &codebook)?;
        if is_new {
            tracing::info!(codebook = %slug, version = stored.version, "stored a new codebook version");
        }
    }
    for form in load_dir(dir)? {
        let outcome = db::forms::sync(conn, &form, None)?;
        if outcome.is_new {
            tracing::info!(form = %form.slug, version = outcome.version, "stored a new form version");
        } else {
            tracing::debug!(form = %form.slug, version = outcome.version, "form unchanged");
        }
    }
    Ok(())
}
