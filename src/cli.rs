//! The command line: serve, migrate, check form files, manage API tokens.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use uuid::Uuid;

#[derive(Debug, Parser)]
#[command(
    name = "tsunagari",
    version,
    about = "Survey collection and analysis for community programmes"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (creates the database, runs migrations, syncs survey_forms/).
    Serve,
    /// Create the database if missing and run pending migrations.
    Migrate,
    /// Form definition files.
    Forms {
        #[command(subcommand)]
        command: FormsCommand,
    },
    /// API tokens for staff and researchers.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum FormsCommand {
    /// Check every form file in DIR (default: TSUNAGARI_FORMS_DIR or survey_forms).
    Check { dir: Option<PathBuf> },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token; it is printed once, alone on the last line, and stored only as a hash.
    Create {
        #[arg(long, value_parser = ["admin", "analyst", "researcher"])]
        role: String,
        #[arg(long)]
        name: String,
    },
    /// List tokens (never the tokens themselves).
    List,
    /// Revoke a token by its id.
    Revoke { id: Uuid },
}
