//! Turns for analyses against the database: one fewer than the pool's connections, so that
//! however many analyses are asked for, submissions always find a connection.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{AcquireError, Semaphore, SemaphorePermit};

pub struct AnalysisTurns {
    semaphore: Semaphore,
    slots: usize,
    waiting: AtomicUsize,
}

impl AnalysisTurns {
    pub fn for_pool(pool_size: u32) -> Self {
        let slots = pool_size.saturating_sub(1).max(1) as usize;
        Self {
            semaphore: Semaphore::new(slots),
            slots,
            waiting: AtomicUsize::new(0),
        }
    }

    /// Waits for a turn; the analysis holds it until the permit drops.
    pub async fn take(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let turn = self.semaphore.acquire().await;
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        turn
    }

    pub fn running(&self) -> usize {
        self.slots.saturating_sub(self.semaphore.available_permits())
    }

    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }
}
