//! The connection pool. A connection is tested with a round trip at checkout only if it has not
//! just served a query (testing every checkout cost a submission a third of its rate; connection
//! pools such as HikariCP skip the test the same way), and one whose query found it cut (the
//! server restarted or dropped it) is discarded when it returns to the pool.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::pg::PgConnection;
use diesel::r2d2::{self, ConnectionManager, ManageConnection, Pool, PooledConnection};

use super::DbError;

/// The pool, and how many threads are waiting for one of its connections (for the metrics).
#[derive(Clone)]
pub struct DbPool {
    connections: Pool<Manager>,
    waiting: Arc<AtomicUsize>,
}

impl DbPool {
    /// A connection held until it drops, waiting at most the pool's timeout.
    pub fn get(&self) -> Result<PooledConnection<Manager>, r2d2::PoolError> {
        self.get_timeout(self.connections.connection_timeout())
    }

    fn get_timeout(&self, timeout: Duration) -> Result<PooledConnection<Manager>, r2d2::PoolError> {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let checkout = self.connections.get_timeout(timeout);
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        checkout
    }

    fn connection_timeout(&self) -> Duration {
        self.connections.connection_timeout()
    }
}

pub struct Manager(ConnectionManager<PgConnection>);

/// How long after a successful query a connection is trusted without a test.
const TRUSTED_AFTER_USE: Duration = Duration::from_millis(500);

pub struct Connection {
    pg: PgConnection,
    last_success: Instant,
    lost: bool,
}

impl Deref for Connection {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.pg
    }
}

impl DerefMut for Connection {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.pg
    }
}

impl ManageConnection for Manager {
    type Connection = Connection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<Connection, r2d2::Error> {
        let pg = self.0.connect()?;
        Ok(Connection {
            pg,
            last_success: Instant::now(),
            lost: false,
        })
    }

    fn is_valid(&self, conn: &mut Connection) -> Result<(), r2d2::Error> {
        if conn.last_success.elapsed() < TRUSTED_AFTER_USE {
            return Ok(());
        }
        self.0.is_valid(&mut conn.pg)?;
        conn.last_success = Instant::now();
        Ok(())
    }

    fn has_broken(&self, conn: &mut Connection) -> bool {
        conn.lost || self.0.has_broken(&mut conn.pg)
    }
}

/// A pool of `max_size` connections; a request waits at most `wait` for one, so that when the
/// database is down it gets a prompt 503 rather than hanging.
pub fn build_pool(database_url: &str, max_size: u32, wait: Duration) -> Result<DbPool, DbError> {
    Ok(DbPool {
        connections: Pool::builder()
            .max_size(max_size)
            .connection_timeout(wait)
            .build(Manager(ConnectionManager::new(database_url)))?,
        waiting: Arc::default(),
    })
}

/// How the pool's connections are used at this moment.
pub struct PoolStatus {
    pub in_use: usize,
    pub idle: usize,
    pub waiting: usize,
}

pub fn pool_status(pool: &DbPool) -> PoolStatus {
    let state = pool.connections.state();
    PoolStatus {
        in_use: state.connections.saturating_sub(state.idle_connections) as usize,
        idle: state.idle_connections as usize,
        waiting: pool.waiting.load(Ordering::Relaxed),
    }
}

/// Runs `query` with a pooled connection on a blocking thread, inside the caller's tracing span.
pub async fn run<T, F>(pool: &DbPool, query: F) -> Result<T, DbError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    run_within(pool, pool.connection_timeout(), query).await
}

/// Like [`run`], giving up on the pool checkout after `checkout_timeout`.
pub async fn run_within<T, F>(pool: &DbPool, checkout_timeout: Duration, query: F) -> Result<T, DbError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    lend_within(pool, checkout_timeout, |lender| lender.with(query)).await
}

/// Runs `work` on a blocking thread, inside the caller's tracing span, with a [`Lender`] of the
/// pool's connections: it holds one only while it uses it.
pub async fn lend<T, F>(pool: &DbPool, work: F) -> Result<T, DbError>
where
    F: FnOnce(&mut Lender) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    lend_within(pool, pool.connection_timeout(), work).await
}

async fn lend_within<T, F>(pool: &DbPool, checkout_timeout: Duration, work: F) -> Result<T, DbError>
where
    F: FnOnce(&mut Lender) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    let mut lender = Lender {
        pool: pool.clone(),
        checkout_timeout,
    };
    let span = tracing::Span::current();
    actix_web::rt::task::spawn_blocking(move || span.in_scope(|| work(&mut lender)))
        .await
        .map_err(|_| DbError::Blocking)?
}

/// Where a service gets a connection for each of its database steps, so that the work between
/// them (an analysis computing its tables) holds none.
pub trait Connections {
    fn with<T>(&mut self, use_it: impl FnOnce(&mut PgConnection) -> Result<T, DbError>) -> Result<T, DbError>;
}

/// Lends pooled connections one use at a time (on a blocking thread).
pub struct Lender {
    pool: DbPool,
    checkout_timeout: Duration,
}

impl Connections for Lender {
    fn with<T>(&mut self, use_it: impl FnOnce(&mut PgConnection) -> Result<T, DbError>) -> Result<T, DbError> {
        let mut conn = self.pool.get_timeout(self.checkout_timeout)?;
        let result = use_it(&mut conn.pg);
        match &result {
            Ok(_) => conn.last_success = Instant::now(),
            Err(error) => conn.lost = error.is_unavailable(),
        }
        result
    }
}

/// One connection held throughout, as the command line has.
impl Connections for PgConnection {
    fn with<T>(&mut self, use_it: impl FnOnce(&mut PgConnection) -> Result<T, DbError>) -> Result<T, DbError> {
        use_it(self)
    }
}
