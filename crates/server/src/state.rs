//! The shared state every handler, job and service receives: the database, settings, the
//! registries the composition root (`app.rs`) fills, and the in-memory tables. This module sits
//! on the infrastructure floor: it names no domain, so every domain can depend on it while
//! `app.rs`, on top, wires the domains in.

use std::sync::Arc;

use arc_swap::ArcSwap;
use didtron_db::Db;
use didtron_telecom::routing::RoutingTable;

use crate::changes::kinds::Kinds;
use crate::config::Settings;
use crate::crypto::SecretBox;
use crate::jobs;
use crate::messaging::Mailer;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub mailer: Mailer,
    pub secrets: SecretBox,
    /// The kinds of configuration record.
    pub kinds: Arc<Kinds>,
    /// The job handlers and event subscriptions.
    pub jobs: Arc<jobs::Registry>,
    /// The routing table in force.
    pub routing: Routing,
    /// The softswitch driver (ConnexCS or the embedded local switch).
    pub switch: Arc<dyn didtron_adapters::switch::Switch>,
    /// Pushes to the switch run one at a time in each instance.
    pub switch_lock: Arc<tokio::sync::Mutex<()>>,
    /// The start-up steps still running (`/readyz`, and 503 for requests that need them).
    pub readiness: Readiness,
    /// The bound on concurrent password hashing in this instance (one per core, a short queue).
    pub hashing: crate::http::limits::WorkBound,
}

/// The start-up steps still running (named in `ops::readiness::steps`). Empty (ready) unless a
/// step was announced with [`Readiness::waiting_for`]: a state built for a one-off command or a
/// test is ready at once, and `serve` announces its steps before it starts listening.
#[derive(Clone, Default)]
pub struct Readiness(Arc<std::sync::Mutex<Vec<&'static str>>>);

impl std::fmt::Debug for Readiness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Readiness").field(&self.waiting()).finish()
    }
}

impl Readiness {
    fn steps(&self) -> std::sync::MutexGuard<'_, Vec<&'static str>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Announces a step this instance is not ready without.
    pub fn waiting_for(&self, step: &'static str) {
        let mut w = self.steps();
        if !w.contains(&step) {
            w.push(step);
        }
    }

    /// Marks a step done.
    pub fn done(&self, step: &'static str) {
        self.steps().retain(|s| *s != step);
    }

    /// The steps still running, in the order announced.
    pub fn waiting(&self) -> Vec<&'static str> {
        self.steps().clone()
    }

    pub fn is_ready(&self) -> bool {
        self.steps().is_empty()
    }
}

/// The routing table in force, with the carriers' ids by index.
pub struct Loaded {
    pub table: RoutingTable,
    pub carrier_ids: Vec<String>,
}

/// The routing table shared by all requests without locks and swapped whole when rates change.
/// Built and reloaded by the routing domain (`routing::table`).
#[derive(Clone)]
pub struct Routing(pub(crate) Arc<ArcSwap<Loaded>>);

impl Default for Routing {
    fn default() -> Self {
        Routing(Arc::new(ArcSwap::from_pointee(Loaded { table: RoutingTable::default(), carrier_ids: Vec::new() })))
    }
}

impl Routing {
    pub fn current(&self) -> Arc<Loaded> {
        self.0.load_full()
    }
}
