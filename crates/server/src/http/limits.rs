//! Bounds on expensive work. Some work is slow and memory-hungry on purpose or by nature (password
//! hashing: 19 MiB and tens of milliseconds a hash; parsing an upload); run without a bound, a burst
//! of requests takes the whole machine (200 parallel sign-ins once took a server from 281 MB to
//! 10 GB and every other request to 11 s). A [`WorkBound`] runs such work on the blocking pool at
//! most `workers` at a time, keeps a short queue behind them, and beyond that answers at once with
//! 429 and `Retry-After`. The turn is held until the work ends, even when the request that asked
//! has gone away, so the bound counts real work.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use didtron_core::{Error, Result};
use tokio::sync::Semaphore;

/// How long a request may wait in the queue before it is told to come back.
const MAX_WAIT: Duration = Duration::from_secs(5);
/// What a refused caller is told to wait, in seconds.
const RETRY_AFTER_SECS: u64 = 2;

/// A bound on one kind of expensive blocking work in this server instance.
#[derive(Clone, Debug)]
pub struct WorkBound(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    what: &'static str,
    workers: Arc<Semaphore>,
    /// Work running or waiting, to refuse at once when the queue is full.
    admitted: AtomicUsize,
    capacity: usize,
    worker_count: usize,
    /// The most pieces of work that ran at once, for tests and measurements.
    peak: AtomicUsize,
    running: AtomicUsize,
    /// Work finished since start.
    completed: AtomicUsize,
}

impl WorkBound {
    /// One worker per core and a queue of four per worker. `what` names the work in the answer to
    /// a refused caller ("the server is busy {what}").
    pub fn per_core(what: &'static str) -> WorkBound {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        WorkBound::new(cores, cores * 4, what)
    }
}

impl WorkBound {
    /// `workers` pieces of work at once, and up to `queue` more waiting for a turn.
    pub fn new(workers: usize, queue: usize, what: &'static str) -> WorkBound {
        let workers = workers.max(1);
        WorkBound(Arc::new(Inner {
            what,
            workers: Arc::new(Semaphore::new(workers)),
            admitted: AtomicUsize::new(0),
            capacity: workers + queue,
            worker_count: workers,
            peak: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            completed: AtomicUsize::new(0),
        }))
    }

    /// How many pieces of work may be running or waiting before callers are refused.
    pub fn capacity(&self) -> usize {
        self.0.capacity
    }

    pub fn workers(&self) -> usize {
        self.0.worker_count
    }

    /// The most pieces of work that ran at the same time since start.
    pub fn peak(&self) -> usize {
        self.0.peak.load(Ordering::Relaxed)
    }

    /// Pieces of work finished since start.
    pub fn completed(&self) -> usize {
        self.0.completed.load(Ordering::Relaxed)
    }

    /// Runs `work` on the blocking pool once a worker is free. Refuses with 429 and `Retry-After`
    /// when the queue is full or the wait too long. The turn is held until `work` has finished,
    /// even when the request that asked has gone away, so the bound counts real work.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let inner = self.0.clone();
        if inner.admitted.fetch_add(1, Ordering::AcqRel) >= inner.capacity {
            inner.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(busy(inner.what));
        }
        let admitted = Admitted(inner.clone());
        let permit = match tokio::time::timeout(MAX_WAIT, inner.workers.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            _ => return Err(busy(inner.what)),
        };
        let running = inner.running.fetch_add(1, Ordering::AcqRel) + 1;
        inner.peak.fetch_max(running, Ordering::AcqRel);
        let turn = Turn { inner, _worker: permit, _place: admitted };
        tokio::task::spawn_blocking(move || {
            let out = work();
            drop(turn);
            out
        })
        .await
        .map_err(Error::internal)
    }
}

/// Gives the queue place back when the work (or the wait) ends.
struct Admitted(Arc<Inner>);

/// A worker's turn: gives the worker back when the work ends, even by a panic.
struct Turn {
    inner: Arc<Inner>,
    _worker: tokio::sync::OwnedSemaphorePermit,
    _place: Admitted,
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.inner.running.fetch_sub(1, Ordering::AcqRel);
        self.inner.completed.fetch_add(1, Ordering::AcqRel);
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

fn busy(what: &str) -> Error {
    Error::RateLimited { message: format!("the server is busy {what}; try again in a moment"), retry_after_secs: RETRY_AFTER_SECS }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_is_bounded_and_the_overflow_is_told_to_retry() {
        let bound = WorkBound::new(2, 3, "testing");
        let tries: Vec<_> = (0..20)
            .map(|_| {
                let bound = bound.clone();
                tokio::spawn(async move { bound.run(|| std::thread::sleep(Duration::from_millis(50))).await })
            })
            .collect();
        let (mut done, mut refused) = (0, 0);
        for t in tries {
            match t.await.unwrap() {
                Ok(()) => done += 1,
                Err(Error::RateLimited { retry_after_secs, message }) => {
                    assert!(retry_after_secs > 0);
                    assert_eq!(message, "the server is busy testing; try again in a moment");
                    refused += 1;
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(done + refused, 20);
        assert!(done >= 2, "{done} ran");
        assert!(refused > 0, "a full queue refuses");
        assert!(bound.peak() <= 2, "at most two at once, saw {}", bound.peak());
        assert_eq!(bound.completed(), done);
        // Once the burst is over, the queue is free again.
        assert!(bound.run(|| ()).await.is_ok());
    }
}
