//! Reports assembled from stored events and plans: pure functions over records already loaded.

pub mod breakdown_csv;
pub mod csv_file;
pub mod document;
pub mod docx;
pub mod indicators;
pub mod markdown;
pub mod programme;
pub mod release_tables;
pub mod staff_text;
pub mod table_workbook;
