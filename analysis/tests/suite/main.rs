//! The analysis crate's integration tests, in one binary: each would otherwise link polars again.

mod breakdown;
mod cell_key;
mod common;
mod programme;
mod rank_tests;
mod release_attack;
mod release_audit;
mod release_utility;
mod terms;
