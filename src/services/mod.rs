//! The application's services: what the API, the dashboard and the command line all do the
//! same way (submitting answers, creating events, running analyses and releases, syncing the
//! shipped forms). Handlers parse and shape; these decide and call `db` and `analysis`.

pub mod agencies;
pub mod analyses;
pub mod attendance;
pub mod audit;
pub mod codebooks;
pub mod coding;
pub mod demo;
pub mod evaluation;
pub mod event_creation;
pub mod event_editing;
pub mod events;
pub mod form_files;
pub mod form_upload;
pub mod form_versions;
pub mod forms;
pub mod groupings;
pub mod notes;
pub mod paper_import;
pub mod plans;
pub mod programme;
pub mod publicity;
pub mod publicity_reach;
pub mod readers;
pub mod release_cache;
pub mod releases;
pub mod research_catalogue;
pub mod sessions;
pub mod submission;
pub mod survey_frame;
pub mod text_tools;
pub mod tokens;
pub mod waves;
