//! Start-up checks of what every instance sharing one database must share. Two instances on one
//! PostgreSQL that each made their own secret key both started, and a user who turned on 2FA
//! through one could not sign in through the other. Now the first instance to start records a
//! check of its key in the database (a MAC of a fixed label under the key: it reveals nothing of
//! the key), and an instance whose key gives another check refuses to start, saying what to do.
//!
//! The same holds for files kept locally (uploads, recordings, exports under `data_dir/objects`):
//! instances on several machines must share that folder (a network mount) or they would each see
//! only their own files. The first instance marks its folder (`.didtron-store`, holding an id that
//! is also recorded in the database); an instance whose folder carries no mark, or another one,
//! refuses to start. A deliberate fresh, empty folder is accepted by writing the recorded id into
//! its mark, as the refusal explains.

use std::path::Path;

use anyhow::bail;
use didtron_core::{id::new_id, time};

use super::store;
use crate::crypto::SecretBox;
use crate::jobs::instance;
use crate::state::AppState;

const KEY_CHECK: &str = "secret_key";
const FILE_STORE: &str = "file_store";
/// The mark of the local file store, in its folder.
pub const STORE_MARK: &str = ".didtron-store";

fn recorded_by() -> String {
    let me = instance::this();
    format!("recorded by the instance on {} (pid {}) at {}", me.host, me.pid, time::to_db(time::now()))
}

/// Both checks, in order; an error says why this instance must not start and what to do.
pub async fn check_shared_setup(state: &AppState) -> anyhow::Result<()> {
    check_secret_key(&state.db, &state.secrets).await?;
    check_file_store(&state.db, &state.settings.objects_dir()).await
}

/// Refuses a secret key other than the one the database was set up with.
pub async fn check_secret_key(db: &didtron_db::Db, secrets: &SecretBox) -> anyhow::Result<()> {
    let mine = secrets.key_check();
    let recorded = match store::check(db, KEY_CHECK).await? {
        Some(c) => c,
        None => {
            // Installed before this check: the key must at least open what it sealed before.
            if let Some(sealed) = store::any_sealed_secret(db).await?
                && secrets.open(&sealed).is_err()
            {
                bail!(
                    "this instance's secret key cannot open the secrets already stored in the database, so it is not the key they were sealed with. \
                     Configure the key of the instance that set the database up (`secret_key` / DIDTRON_SECRET_KEY, or copy its data_dir/secret.key); \
                     refusing to start"
                );
            }
            store::record_check_if_absent(db, KEY_CHECK, &mine, &recorded_by(), &time::to_db(time::now())).await?;
            // Read back: of two instances starting together, the first one's check stands.
            store::check(db, KEY_CHECK).await?.ok_or_else(|| anyhow::anyhow!("the key check could not be recorded"))?
        }
    };
    if !crate::crypto::constant_time_eq(&recorded.value, &mine) {
        bail!(
            "this instance's secret key is not the key this database was set up with (its check was {}). \
             Every instance that shares a database must use the same secret key, or secrets one of them stores (2FA, provider credentials) cannot be read by the others. \
             Set `secret_key` (DIDTRON_SECRET_KEY) to the other instances' key; without one configured, an instance makes its own in data_dir/secret.key, so copy that file from the first instance. \
             Refusing to start",
            recorded.detail
        );
    }
    Ok(())
}

/// Refuses a local file folder that is not the one the other instances use.
pub async fn check_file_store(db: &didtron_db::Db, dir: &Path) -> anyhow::Result<()> {
    let mark_path = dir.join(STORE_MARK);
    let mark = std::fs::read_to_string(&mark_path).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let recorded = store::check(db, FILE_STORE).await?;
    match (recorded, mark) {
        (Some(r), Some(m)) if r.value == m => Ok(()),
        (Some(r), Some(m)) => bail!(
            "the local file folder {} belongs to another DIDtron setup (its mark is {m}; this database's files are in the folder marked {}, {}). \
             Point data_dir at the folder the other instances share; refusing to start",
            dir.display(),
            r.value,
            r.detail
        ),
        (Some(r), None) => bail!(
            "the local file folder {} is not the one this database's files are kept in (that folder is marked {}, {}). \
             Instances on several machines that keep files locally must share one folder (a network mount of data_dir/objects). \
             If this folder is meant to replace it (restored from a backup, or empty on purpose), write {} into {} and start again; refusing to start",
            dir.display(),
            r.value,
            r.detail,
            r.value,
            mark_path.display()
        ),
        (None, mark) => {
            let made_here = mark.is_none();
            let id = mark.unwrap_or_else(new_id);
            std::fs::create_dir_all(dir)?;
            std::fs::write(&mark_path, format!("{id}\n"))?;
            store::record_check_if_absent(db, FILE_STORE, &id, &recorded_by(), &time::to_db(time::now())).await?;
            // Of two instances starting together with folders of their own, the first one's
            // stands and the other is refused.
            match store::check(db, FILE_STORE).await? {
                Some(r) if r.value == id => Ok(()),
                Some(r) => {
                    if made_here {
                        let _ = std::fs::remove_file(&mark_path);
                    }
                    bail!("another instance recorded its own local file folder ({}) at the same time; share one folder between instances; refusing to start", r.detail)
                }
                None => bail!("the local file store could not be recorded"),
            }
        }
    }
}
