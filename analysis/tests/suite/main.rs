//! The analysis crate's integration tests, in one binary: each would otherwise link polars again.

mod breakdown;
mod common;
mod rank_tests;
mod release_audit;
mod release_utility;
mod terms;
