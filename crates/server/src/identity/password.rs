//! Password hashing with Argon2id. Hashing is slow and memory-hungry on purpose (19 MiB and tens of
//! milliseconds a hash), so it runs off the async threads and under a bound: at most one hash per
//! core at a time, a short queue behind them, and a quick "busy, retry in a moment" beyond that.
//! Without the bound, 200 parallel sign-ins took a server from 281 MB to 10 GB and every other
//! request to 11 s.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use didtron_core::{Error, Result};
use rand::Rng;
use rand::distr::Alphanumeric;
use tokio::sync::Semaphore;

/// How long a request may wait in the queue before it is told to come back.
const MAX_WAIT: Duration = Duration::from_secs(5);
/// What a refused caller is told to wait, in seconds.
const RETRY_AFTER_SECS: u64 = 2;

/// The bound on concurrent password hashing of one server instance. Every hash and check of a
/// request goes through it, the unknown-address dummy check included, so that a wrong address
/// costs what a wrong password costs.
#[derive(Clone, Debug)]
pub struct Hashing(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    workers: Arc<Semaphore>,
    /// Hashes running or waiting, to refuse at once when the queue is full.
    admitted: AtomicUsize,
    capacity: usize,
    worker_count: usize,
    /// The most hashes that ran at once, for tests and measurements.
    peak: AtomicUsize,
    running: AtomicUsize,
    /// Hashes and checks finished since start.
    completed: AtomicUsize,
}

impl Default for Hashing {
    /// One worker per core and a queue of four per worker.
    fn default() -> Hashing {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Hashing::new(cores, cores * 4)
    }
}

impl Hashing {
    /// `workers` hashes at once, and up to `queue` more waiting for a turn.
    pub fn new(workers: usize, queue: usize) -> Hashing {
        let workers = workers.max(1);
        Hashing(Arc::new(Inner {
            workers: Arc::new(Semaphore::new(workers)),
            admitted: AtomicUsize::new(0),
            capacity: workers + queue,
            worker_count: workers,
            peak: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            completed: AtomicUsize::new(0),
        }))
    }

    /// How many hashes may be running or waiting before callers are refused.
    pub fn capacity(&self) -> usize {
        self.0.capacity
    }

    pub fn workers(&self) -> usize {
        self.0.worker_count
    }

    /// The most hashes that ran at the same time since start.
    pub fn peak(&self) -> usize {
        self.0.peak.load(Ordering::Relaxed)
    }

    /// Hashes and checks finished since start.
    pub fn completed(&self) -> usize {
        self.0.completed.load(Ordering::Relaxed)
    }

    /// Runs `work` on the blocking pool once a worker is free. Refuses with 429 and `Retry-After`
    /// when the queue is full or the wait too long. The turn is held until `work` has finished,
    /// even when the request that asked has gone away, so the bound counts real work.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let inner = self.0.clone();
        if inner.admitted.fetch_add(1, Ordering::AcqRel) >= inner.capacity {
            inner.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(busy());
        }
        let admitted = Admitted(inner.clone());
        let permit = match tokio::time::timeout(MAX_WAIT, inner.workers.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            _ => return Err(busy()),
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

    /// The Argon2id hash of `password`, in PHC form.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let password = password.to_owned();
        self.run(move || hash_now(&password)).await?
    }

    /// Whether `password` matches the stored hash. A malformed hash never matches.
    pub async fn verify(&self, password: &str, stored: &str) -> Result<bool> {
        let (password, stored) = (password.to_owned(), stored.to_owned());
        self.run(move || verify_now(&password, &stored)).await
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

fn busy() -> Error {
    Error::RateLimited { message: "the server is busy signing people in; try again in a moment".into(), retry_after_secs: RETRY_AFTER_SECS }
}

fn hash_now(password: &str) -> Result<String> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(Error::internal)
}

fn verify_now(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash outside any bound, for the command line and first start, where no requests compete.
pub async fn hash_unbounded(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_now(&password)).await.map_err(Error::internal)?
}

/// A check outside any bound, for the command line and tests; requests use [`Hashing::verify`].
pub async fn verify(password: &str, stored: &str) -> bool {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    tokio::task::spawn_blocking(move || verify_now(&password, &stored)).await.unwrap_or(false)
}

/// A random password for generated accounts: 20 letters and digits (about 119 bits).
pub fn generate() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(20).map(char::from).collect()
}

/// A valid Argon2id hash of a random string, verified against when the account does not exist so
/// that a wrong address takes as long as a wrong password.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$V7Bd5sbDNmEJ1QJ0hJ3Q7yQG2fdPZ8hP3t3lPpqkC1A";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let h = Hashing::default();
        let hash = h.hash("correct horse").await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(h.verify("correct horse", &hash).await.unwrap());
        assert!(!h.verify("wrong horse", &hash).await.unwrap());
        assert!(!h.verify("correct horse", "not a hash").await.unwrap());
        assert!(hash_unbounded("x").await.unwrap().starts_with("$argon2id$"));
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hashing_is_bounded_and_the_overflow_is_told_to_retry() {
        let h = Hashing::new(2, 3);
        let tries: Vec<_> = (0..20).map(|_| {
            let h = h.clone();
            tokio::spawn(async move { h.verify("whatever", DUMMY_HASH).await })
        }).collect();
        let (mut done, mut busy_count) = (0, 0);
        for t in tries {
            match t.await.unwrap() {
                Ok(_) => done += 1,
                Err(Error::RateLimited { retry_after_secs, .. }) => {
                    assert!(retry_after_secs > 0);
                    busy_count += 1;
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(done + busy_count, 20);
        assert!(done >= 2, "{done} ran");
        assert!(busy_count > 0, "a full queue refuses");
        assert!(h.peak() <= 2, "at most two at once, saw {}", h.peak());
        // Once the burst is over, the queue is free again.
        assert!(h.verify("whatever", DUMMY_HASH).await.is_ok());
    }
}
