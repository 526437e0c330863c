use std::process::ExitCode;

use clap::Parser;

use tsunagari::cli::{AnalyzeCommand, Cli, Command, FormsCommand, TokenCommand};
use tsunagari::config::Config;
use tsunagari::domain::analysis_request::{BreakdownRequest, CommentSource, CommentTextParams};
use tsunagari::domain::query_params::QueryParams;
use tsunagari::domain::release_request::ReleaseRequest;
use tsunagari::domain::token::{Role, Staff};
use tsunagari::services::analyses::{self, Tabulation, OPINION_QUESTION};
use tsunagari::services::form_upload::{self, Upload};
use tsunagari::services::release_cache::ReleaseCache;
use tsunagari::services::tokens::{self, Issued};
use tsunagari::services::{audit, demo, form_files, releases};
use tsunagari::startup::{prepare_database, segmenter_for, Application};
use tsunagari::{db, telemetry};

fn main() -> ExitCode {
    telemetry::init();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    tsunagari::domain::clock::set_zone(config.time_zone);
    match command {
        Command::Serve => actix_web::rt::System::new().block_on(async {
            let app = Application::build(&config).await?;
            app.run().await?;
            Ok(())
        }),
        Command::Demo { remove, force } => {
            let pool = prepare_database(&config)?;
            let mut conn = pool.get()?;
            let summary = if remove {
                let removed = demo::remove(&mut conn)?;
                println!("removed the demo data:");
                removed
            } else {
                form_files::sync_dir(&mut conn, &config.forms_dir)?;
                let loaded = demo::load(&mut conn, force)?;
                println!("loaded demo data (marked as such; `tsunagari demo --remove` deletes it):");
                loaded
            };
            println!(
                "  {} events, {} responses, {} indicator plans",
                summary.events, summary.responses, summary.plans
            );
            Ok(())
        }
        Command::Migrate { check: false } => {
            prepare_database(&config)?;
            println!("migrations are up to date");
            Ok(())
        }
        Command::Migrate { check: true } => {
            let mut conn = db::connect(&config.database_url)?;
            let pending = db::pending_migrations(&mut conn)?;
            if pending.is_empty() {
                println!("migrations are up to date");
                return Ok(());
            }
            println!("would run {} migration(s):", pending.len());
            for name in &pending {
                println!("  {name}");
            }
            std::process::exit(1);
        }
        Command::Forms {
            command: FormsCommand::Check { dir },
        } => {
            let dir = dir.unwrap_or(config.forms_dir);
            if dir.is_file() {
                return check_upload(&dir);
            }
            let forms = form_files::load_dir(&dir)?;
            for form in &forms {
                println!("ok  {} ({} questions)", form.slug, form.questions.len());
            }
            for (slug, codebook) in form_files::load_codebooks(&dir)? {
                println!("ok  codebook {slug} ({} themes)", codebook.themes.len());
            }
            Ok(())
        }
        Command::Token { command } => run_token(&config, command),
        Command::Analyze { command } => run_analyze(&config, command),
    }
}

/// Checks one form file (JSON, or an XLSForm workbook by its `.xlsx` name) exactly as an upload
/// is checked, printing every problem at its cell.
fn check_upload(path: &std::path::Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(path)?;
    let upload = if path.extension().is_some_and(|ext| ext == "xlsx") {
        Upload::Workbook(bytes)
    } else {
        Upload::Json(serde_json::from_slice(&bytes)?)
    };
    match form_upload::check(upload) {
        Ok(form) => {
            println!("ok  {} ({} questions)", form.slug, form.questions.len());
            Ok(())
        }
        Err(problems) => {
            for problem in &problems {
                eprintln!("{}: {}", problem.location.as_deref().unwrap_or("-"), problem.message.en);
            }
            anyhow::bail!("{}: {} problem(s)", path.display(), problems.len())
        }
    }
}

/// Runs as the operator of the server, so with staff rights.
fn run_analyze(config: &Config, command: AnalyzeCommand) -> anyhow::Result<()> {
    let pool = prepare_database(config)?;
    let mut pooled = pool.get()?;
    let conn: &mut diesel::PgConnection = &mut pooled;
    let segmenter = segmenter_for(config);
    let role = Role::Admin;
    let document = match command {
        AnalyzeCommand::Breakdown(args) => {
            let mut params = QueryParams::new(args.to_params());
            let request = BreakdownRequest::parse(&mut params, None, Staff::server_operator(), config.min_cell)?;
            params.finish()?;
            analyses::breakdown(conn, &request, Tabulation::Breakdown)?.to_json()
        }
        AnalyzeCommand::Opinions(args) => {
            let mut params = QueryParams::new(args.to_params());
            let include_text = params.take::<CommentTextParams>()?.include_text;
            let request = BreakdownRequest::parse(
                &mut params,
                Some(OPINION_QUESTION),
                Staff::server_operator(),
                config.min_cell,
            )?;
            let source = CommentSource::parse(&mut params)?;
            params.finish()?;
            analyses::opinions(conn, &segmenter, &request, include_text, source)?.to_json()
        }
        AnalyzeCommand::Aggregate(args) => {
            let mut params = QueryParams::new(args.to_params());
            let request = ReleaseRequest::parse(&mut params, role, config.min_cell, config.release_delay_days)?;
            params.finish()?;
            releases::aggregate(conn, &segmenter, &ReleaseCache::with_capacity(0), &request)?
        }
    };
    println!("{}", serde_json::to_string_pretty(&document)?);
    Ok(())
}

fn run_token(config: &Config, command: TokenCommand) -> anyhow::Result<()> {
    let pool = prepare_database(config)?;
    let mut conn = pool.get()?;
    match command {
        TokenCommand::Create { role, name } => {
            let role = Role::parse(&role).ok_or_else(|| anyhow::anyhow!("unknown role {role}"))?;
            let Issued { record, token } =
                tokens::issue(&mut conn, role, &name)?.map_err(|invalid| anyhow::anyhow!(invalid.message))?;
            let subject = serde_json::json!({"token_id": record.id, "role": role.as_str(), "name": name});
            audit::record(&mut conn, &audit::server_action("token create", subject))?;
            println!(
                "created {} token {:?} with id {}; it is shown only now:",
                role.as_str(),
                name,
                record.id
            );
            println!("{token}");
        }
        TokenCommand::List => {
            for token in tokens::list(&mut conn)? {
                let status = match token.revoked_at {
                    Some(at) => format!("revoked {}", at.format("%Y-%m-%d")),
                    None => "active".to_owned(),
                };
                let last_used = token.last_used_on.map_or("never".to_owned(), |day| day.to_string());
                println!(
                    "{}  {:<10}  {:<8}  created {}  last used {}  {}",
                    token.id,
                    token.role,
                    status,
                    token.created_at.format("%Y-%m-%d"),
                    last_used,
                    token.name
                );
            }
        }
        TokenCommand::Revoke { id } => {
            if !tokens::revoke(&mut conn, id)? {
                anyhow::bail!("no active token with id {id}");
            }
            audit::record(
                &mut conn,
                &audit::server_action("token revoke", serde_json::json!({"token_id": id})),
            )?;
            println!("revoked {id}");
        }
    }
    Ok(())
}
