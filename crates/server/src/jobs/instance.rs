//! Which `didtron serve` this process is, in the registry every instance shares (`instances`).
//!
//! Leases and running jobs record the instance holding them. When an instance is killed (SIGKILL,
//! power loss) they stay behind; a short lease frees them after at most [`super::lease::TTL`], but
//! an instance that starts again on the same host does better: it knows its predecessor is gone
//! (same host, and its process no longer runs — or had our very process id, as a container
//! restarted with pid 1 does) and frees what it held at once, so pushes resume in about a second.
//! Instances on other hosts count as gone once their heartbeat is older than [`STALE_AFTER`].

use std::sync::OnceLock;

use didtron_core::{Result, id::new_id, time};

use super::store;

/// How often a running instance says it is alive.
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(10);
/// An instance silent for this long is taken for dead by the others.
pub const STALE_AFTER: chrono::Duration = chrono::Duration::seconds(90);

/// This process as an instance.
#[derive(Debug, Clone)]
pub struct Instance {
    pub id: String,
    pub host: String,
    pub pid: u32,
}

/// The instance this process is (one per process, made on first use).
pub fn this() -> &'static Instance {
    static THIS: OnceLock<Instance> = OnceLock::new();
    THIS.get_or_init(|| Instance { id: new_id(), host: host_name(), pid: std::process::id() })
}

/// The machine's name: what tells "on this host" apart. Read from the kernel on Linux, else from
/// the usual environment variables.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".into())
}

/// Whether process `pid` runs on this machine; `None` where that cannot be told.
fn process_runs(pid: i64) -> Option<bool> {
    if cfg!(target_os = "linux") { Some(std::path::Path::new(&format!("/proc/{pid}")).exists()) } else { None }
}

/// What an instance found and freed when it started.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recovered {
    /// The instances found gone, as `host/pid`.
    pub instances: Vec<String>,
    pub leases: u64,
    pub jobs: u64,
}

/// Why `other` is gone, seen from `me` at `now`; `None` while it may still run.
fn gone(me: &Instance, other: &store::InstanceRow, now: time::Timestamp) -> Option<&'static str> {
    if other.host == me.host && (other.pid == i64::from(me.pid) || process_runs(other.pid) == Some(false)) {
        return Some("its process on this host no longer runs");
    }
    let silent = time::from_db(&other.heartbeat_at).is_none_or(|t| now - t > STALE_AFTER);
    silent.then_some("it stopped sending heartbeats")
}

/// Registers `me` and frees the leases and running jobs of instances that are gone.
pub async fn start(db: &didtron_db::Db, me: &Instance) -> Result<Recovered> {
    let now = time::now();
    let now_s = time::to_db(now);
    store::register_instance(db, &me.id, &me.host, i64::from(me.pid), env!("CARGO_PKG_VERSION"), &now_s).await?;
    let mut out = Recovered::default();
    for other in store::live_instances(db, &me.id).await? {
        let Some(why) = gone(me, &other, now) else { continue };
        let leases = store::release_instance_leases(db, &other.id).await?;
        let jobs = store::requeue_instance_jobs(db, &other.id, &format!("the instance running it ({}/{}) stopped: {why}", other.host, other.pid), &now_s).await?;
        store::mark_stopped(db, &other.id, &now_s).await?;
        tracing::info!(instance = %other.id, host = %other.host, pid = other.pid, leases, jobs, reason = why, "freed what a stopped instance held");
        out.instances.push(format!("{}/{}", other.host, other.pid));
        out.leases += leases;
        out.jobs += jobs;
    }
    store::forget_stopped_before(db, &time::to_db(now - chrono::Duration::days(7))).await?;
    Ok(out)
}

/// Says `me` is alive every [`HEARTBEAT`] until `stop` turns true.
pub async fn keep_alive(db: didtron_db::Db, me: Instance, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(HEARTBEAT) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            return;
        }
        if let Err(e) = store::heartbeat(&db, &me.id, &time::to_db(time::now())).await {
            tracing::warn!(error = %e, "instance heartbeat failed");
        }
    }
}

/// Marks `me` stopped and gives back the leases it still holds (after its work has ended).
pub async fn stop(db: &didtron_db::Db, me: &Instance) -> Result<()> {
    store::release_instance_leases(db, &me.id).await?;
    store::mark_stopped(db, &me.id, &time::to_db(time::now())).await?;
    Ok(())
}
