//! The softswitch: DIDtron keeps it configured to match its records. The driver (ConnexCS or the
//! embedded local switch) is chosen by configuration; the sync engine pushes changes through it.

pub mod http;
pub mod local;
pub mod mapping;
pub mod notify;
pub mod reconcile;
pub mod service;
pub mod store;
pub mod sync;

use std::sync::Arc;

use didtron_adapters::switch::Switch;
use didtron_adapters::switch::connexcs::ConnexCs;
use secrecy::SecretString;

use crate::config::Settings;

/// The driver `settings` choose.
pub fn driver(settings: &Settings, db: &didtron_db::Db) -> anyhow::Result<Arc<dyn Switch>> {
    match settings.switch_driver.trim() {
        "" | "local" => Ok(Arc::new(local::LocalSwitch::new(db.clone()))),
        "connexcs" => {
            let password = settings.connexcs_password.clone().unwrap_or_else(|| SecretString::from(String::new()));
            let client = ConnexCs::new(&settings.connexcs_url, settings.connexcs_username.as_deref().unwrap_or(""), password).map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(Arc::new(client))
        }
        other => anyhow::bail!("switch_driver must be local or connexcs, not {other:?}"),
    }
}
