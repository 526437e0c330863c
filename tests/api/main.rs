//! The integration tests, one binary (linked once): a module per part of the service, each test
//! starting the real service on a random port against a PostgreSQL database of its own
//! (`common`). Tests that need outside tools (a browser, schemathesis, a throwaway cluster, the
//! built binary) are modules here too; nextest runs every test in a process of its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod agencies;
mod analysis;
mod analysis_load;
mod browser;
mod cli;
mod coding;
mod contract;
mod dashboard;
mod dashboard_language;
mod database_outage;
mod demo_release;
mod disclosure;
mod evaluation_report;
mod event_comparison;
mod events;
mod form_authoring;
mod forms;
mod health;
mod hostile_input;
mod indicators;
mod phone_form;
mod process_faults;
mod programme_report;
mod rate_limit;
mod responses;
mod segmenter;
mod text_tools;
mod waves;
