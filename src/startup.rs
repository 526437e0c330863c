//! Building and running the service. `Application::build` prepares the database, syncs the form
//! files and binds, so tests can bind port 0 and ask which port they got.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, DefaultHeaders};
use actix_web::{web, App, HttpServer};

use crate::config::Config;
use crate::db::{self, DbError, DbPool};
use crate::domain::clock;
use crate::http::{self, AppState};
use crate::services::form_files::{self, FormFileError};
use crate::services::release_cache::ReleaseCache;
use crate::text::dictionary::load_or_build;
use crate::text::segmenter::LazySegmenter;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Forms(#[from] FormFileError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
}

pub struct Application {
    port: u16,
    server: Server,
}

/// Creates the database if missing and brings its schema up to date.
pub fn prepare_database(config: &Config) -> Result<DbPool, StartupError> {
    if db::create_database_if_missing(&config.database_url)? {
        tracing::info!("created the database");
    }
    let pool = db::build_pool(
        &config.database_url,
        config.db_pool_size,
        std::time::Duration::from_millis(config.db_wait_ms),
    )?;
    let mut conn = pool.get().map_err(DbError::from)?;
    db::run_migrations(&mut conn)?;
    Ok(pool)
}

impl Application {
    /// Prepares the database and syncs the form files (on a blocking thread), then binds.
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        clock::set_zone(config.time_zone);
        let blocking_config = config.clone();
        let pool = actix_web::rt::task::spawn_blocking(move || -> Result<DbPool, StartupError> {
            let pool = prepare_database(&blocking_config)?;
            form_files::sync_dir(&mut *pool.get().map_err(DbError::from)?, &blocking_config.forms_dir)?;
            Ok(pool)
        })
        .await
        .map_err(|_| DbError::Blocking)??;
        let bind_error = |source| StartupError::Bind {
            addr: config.addr.clone(),
            source,
        };
        let listener = TcpListener::bind(&config.addr).map_err(bind_error)?;
        let bound = listener.local_addr().map_err(bind_error)?;
        let state = web::Data::new(AppState {
            pool,
            public_url: config.public_url.clone().unwrap_or_else(|| format!("http://{bound}")),
            min_cell: config.min_cell,
            release_delay_days: config.release_delay_days,
            body_timeout: std::time::Duration::from_secs(config.body_timeout_secs),
            secure_cookies: config.secure_cookies,
            submissions: http::rate_limit::SubmissionLimiter::per_minute(
                config.submissions_per_minute,
                config.trusted_proxies.clone(),
            ),
            forms: Default::default(),
            segmenter: Arc::new(segmenter_for(config)),
            releases: Arc::new(ReleaseCache::with_capacity(config.release_cache_documents)),
            analyses: Arc::new(http::analysis_turns::AnalysisTurns::for_pool(config.db_pool_size)),
            metrics: Default::default(),
        });
        let max_body_bytes = config.max_body_bytes;
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .wrap(DefaultHeaders::new().add(("X-Content-Type-Options", "nosniff")))
                .wrap(from_fn(http::record_audited))
                .wrap(from_fn(http::limit_body_time))
                .wrap(from_fn(http::refuse_control_characters))
                .wrap(from_fn(http::log_request))
                .wrap(from_fn(http::measure_request))
                .configure(|cfg| http::configure(cfg, max_body_bytes))
        })
        .listen(listener)
        .map_err(bind_error)?
        .run();
        tracing::info!(%bound, "listening");
        Ok(Self {
            port: bound.port(),
            server,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight.
    pub async fn run(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Word segmentation as configured, loaded on first use.
pub fn segmenter_for(config: &Config) -> LazySegmenter {
    let (ipadic_dir, cache) = (config.ipadic_dir.clone(), config.dictionary_cache.clone());
    LazySegmenter::new(move || load_or_build(&ipadic_dir, &cache))
}
