//! The terminal sessions open now: counted (the gauge is exported in `/metrics`), and told to
//! hang up when the server stops, so no shell outlives the console.

use std::{future::pending, sync::Arc, time::Duration};

use prometheus_client::metrics::gauge::Gauge;
use tokio::{
    sync::{Notify, watch},
    time::Instant,
};

/// The terminal sessions open now: counted (the gauge is exported in `/metrics`), and told to
/// hang up when the server stops, so no shell outlives the console. Cheap to clone.
#[derive(Clone)]
pub struct Terminals {
    open: Gauge,
    stopping: watch::Sender<bool>,
    closed: Arc<Notify>,
}

impl Terminals {
    pub fn new(open: Gauge) -> Self {
        Self {
            open,
            stopping: watch::Sender::new(false),
            closed: Arc::default(),
        }
    }

    pub(super) fn session(&self) -> Session {
        self.open.inc();
        Session {
            terminals: self.clone(),
        }
    }

    /// Tells every session to hang up.
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }

    /// Waits until every session has ended, at most `limit`; false if some are still open.
    pub async fn wait_closed(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            let closed = self.closed.notified();
            if self.open.get() <= 0 {
                return true;
            }
            if tokio::time::timeout_at(deadline, closed).await.is_err() {
                return false;
            }
        }
    }
}

/// One open session; counted until dropped.
pub(super) struct Session {
    terminals: Terminals,
}

impl Session {
    /// Resolves when the server is stopping.
    pub(super) async fn stopping(&self) {
        let mut stopping = self.terminals.stopping.subscribe();
        if stopping.wait_for(|stop| *stop).await.is_err() {
            pending::<()>().await;
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.terminals.open.dec();
        self.terminals.closed.notify_waiters();
    }
}
