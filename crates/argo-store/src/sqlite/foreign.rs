//! Delivering changes other processes wrote to the same file while this one is idle: a poller,
//! which ends with the store, publishes them in revision order under the write lock.

use std::sync::Weak;
use std::time::Duration;

use super::handle::{self, Access};
use super::{Shared, pool_error, snapshot, tables};
use crate::Result;

/// Publishes changes other processes wrote while this one is idle; ends with the store.
pub(super) async fn poll_for_foreign_changes(shared: Weak<Shared>, interval: Duration) {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        if shared.pool.is_closed() {
            return;
        }
        if let Err(error) = publish_foreign_changes(&shared).await {
            tracing::warn!(%error, "could not read changes written by another process");
        }
    }
}

async fn publish_foreign_changes(shared: &Shared) -> Result<()> {
    let mut published = shared.published.lock().await;
    let mut connection = shared
        .pool
        .acquire()
        .await
        .map_err(pool_error("starting a read"))?;
    let since = *published;
    let (current, foreign) = handle::run(&mut connection, Access::Read, |connection| {
        snapshot(connection, |connection| {
            let (current, _) = tables::revisions(connection)?;
            let foreign = if current > since {
                tables::events_between(connection, since, current.next())?
            } else {
                Vec::new()
            };
            Ok((current, foreign))
        })
    })
    .await?;
    drop(connection);
    for change in foreign {
        shared.announced.note(&change);
        let _ = shared.live.send(change);
    }
    *published = (*published).max(current);
    shared.announced.note_current(*published);
    Ok(())
}
