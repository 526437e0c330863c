//! The word-segmentation dictionary: compiled once from Debian's IPADIC sources (EUC-JP CSVs)
//! and cached, so nothing is downloaded at build or run time.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use vibrato::{Dictionary, SystemDictionaryBuilder};

use super::TextError;

/// Where Debian's `mecab-ipadic` package puts the sources.
pub const DEFAULT_IPADIC_DIR: &str = "/usr/share/mecab/dic/ipadic";

/// The cache file, versioned by the vibrato format so an upgrade rebuilds it.
pub fn default_cache_path() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("tsunagari").join("ipadic-vibrato-0.5.dic")
}

/// Reads the cached dictionary, compiling and caching it first if there is none.
pub fn load_or_build(ipadic_dir: &Path, cache: &Path) -> Result<Dictionary, TextError> {
    if !cache.exists() {
        build(ipadic_dir, cache)?;
    }
    Ok(Dictionary::read(BufReader::new(File::open(cache)?))?)
}

fn build(ipadic_dir: &Path, cache: &Path) -> Result<(), TextError> {
    let missing = || TextError::MissingSources(ipadic_dir.display().to_string());
    let mut csv_files: Vec<PathBuf> = fs::read_dir(ipadic_dir)
        .map_err(|_| missing())?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "csv"))
        .collect();
    if csv_files.is_empty() {
        return Err(missing());
    }
    csv_files.sort();
    let mut lexicon = String::new();
    for path in &csv_files {
        lexicon.push_str(&read_euc_jp(path)?);
        if !lexicon.ends_with('\n') {
            lexicon.push('\n');
        }
    }
    let matrix = read_euc_jp(&ipadic_dir.join("matrix.def"))?;
    let char_def = read_euc_jp(&ipadic_dir.join("char.def"))?;
    let unk_def = read_euc_jp(&ipadic_dir.join("unk.def"))?;
    let dictionary = SystemDictionaryBuilder::from_readers(
        lexicon.as_bytes(),
        matrix.as_bytes(),
        char_def.as_bytes(),
        unk_def.as_bytes(),
    )?;
    if let Some(parent) = cache.parent() {
        fs::create_dir_all(parent)?;
    }
    // Written aside and renamed, so a process reading the cache never sees half a file.
    let partial = cache.with_extension(format!("partial-{}", std::process::id()));
    let mut writer = BufWriter::new(File::create(&partial)?);
    dictionary.write(&mut writer)?;
    writer.flush()?;
    drop(writer);
    fs::rename(&partial, cache)?;
    tracing::info!(cache = %cache.display(), "built the word-segmentation dictionary");
    Ok(())
}

fn read_euc_jp(path: &Path) -> Result<String, TextError> {
    let bytes = fs::read(path)?;
    let (text, _, _) = encoding_rs::EUC_JP.decode(&bytes);
    Ok(text.into_owned())
}
