//! The command line: serve, migrate, check form files, manage API tokens, run analyses.

use std::collections::HashMap;
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
    Migrate {
        /// Only say which migrations would run, changing nothing; exit 1 if any would.
        #[arg(long)]
        check: bool,
    },
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
    /// Load three fiscal years of demo events, responses and indicator plans into the database
    /// (each marked as demo data), or remove them.
    Demo {
        /// Delete the demo data, and nothing else.
        #[arg(long)]
        remove: bool,
        /// Load beside events that are not demo data.
        #[arg(long, conflicts_with = "remove")]
        force: bool,
    },
    /// Analyses as JSON on stdout, the same documents the HTTP API returns.
    Analyze {
        #[command(subcommand)]
        command: AnalyzeCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AnalyzeCommand {
    /// A question broken down by attributes (like GET /api/v1/analysis/breakdown).
    Breakdown(AnalysisArgs),
    /// Top terms of free-text answers per group (like GET /api/v1/analysis/opinions).
    Opinions(AnalysisArgs),
    /// The researchers' aggregate document (like GET /api/v1/exports/aggregate.json).
    Aggregate(AnalysisArgs),
}

/// The query parameters of the HTTP API, as options; checked by the same code.
#[derive(Debug, clap::Args)]
pub struct AnalysisArgs {
    #[arg(long)]
    pub form: String,
    #[arg(long)]
    pub question: Option<String>,
    /// Attributes to group by, comma-separated (e.g. gender,age_band).
    #[arg(long)]
    pub by: Option<String>,
    /// Fiscal year by the year it starts (2019 = April 2019 to March 2020).
    #[arg(long)]
    pub fiscal_year: Option<String>,
    #[arg(long)]
    pub event: Option<String>,
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub min_cell: Option<String>,
    /// Opinions only: include the comments themselves.
    #[arg(long)]
    pub include_text: bool,
}

impl AnalysisArgs {
    pub fn to_params(&self) -> HashMap<String, String> {
        let options = [
            ("form", Some(&self.form)),
            ("question", self.question.as_ref()),
            ("by", self.by.as_ref()),
            ("fiscal_year", self.fiscal_year.as_ref()),
            ("event", self.event.as_ref()),
            ("kind", self.kind.as_ref()),
            ("from", self.from.as_ref()),
            ("to", self.to.as_ref()),
            ("min_cell", self.min_cell.as_ref()),
        ];
        let mut params: HashMap<String, String> = options
            .into_iter()
            .filter_map(|(name, value)| Some((name.to_owned(), value?.clone())))
            .collect();
        if self.include_text {
            params.insert("include_text".to_owned(), "true".to_owned());
        }
        params
    }
}

#[derive(Debug, Subcommand)]
pub enum FormsCommand {
    /// Check every form file in DIR (default: TSUNAGARI_FORMS_DIR or survey_forms), or one file
    /// (a form's JSON or an XLSForm `.xlsx`) as an upload would be checked.
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
