//! Reports assembled from stored events and plans: pure functions over records already loaded.

pub mod breakdown_csv;
pub mod csv_file;
pub mod document;
pub mod indicators;
pub mod release_tables;
pub mod staff_text;
