//! Japanese (and English) free text cut into terms, for reading the tendency of opinions.

pub mod compounds;
pub mod dictionary;
pub mod segmenter;

#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("the IPADIC sources are not in {0} (install Debian's mecab-ipadic: scripts/setup does it)")]
    MissingSources(String),
    #[error("cannot read or write the dictionary: {0}")]
    Io(#[from] std::io::Error),
    #[error("the dictionary is invalid: {0}")]
    Dictionary(#[from] vibrato::errors::VibratoError),
}
