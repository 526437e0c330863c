//! Survey statistics with polars: takes a frame of responses and plain descriptions of its
//! columns, returns plain serialisable structs. No HTTP and no database here, so every statistic
//! can be tested on a hand-made frame.

pub mod attendance;
pub mod breakdown;
pub mod coding;
pub mod cooccurrence;
pub mod correspondence;
pub mod disclosure;
pub mod export;
pub mod frame;
pub mod ranks;
pub mod reach;
pub mod release;
pub mod spec;
pub mod stats;
pub mod terms;

pub use polars;

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Polars(#[from] polars::error::PolarsError),
    #[error("{0}")]
    Unsupported(String),
}
