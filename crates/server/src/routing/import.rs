//! Storing a checked deck: all of it or nothing. The new deck becomes the carrier's deck in force
//! and the previous one is kept as history; a deck with bad rows is kept only as its report, and
//! the previous deck stays in force.

use std::time::Instant;

use didtron_core::{Error, Result, id::new_id, time};
use didtron_db::Backend;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::deck::{DeckRow, DeckWarning, Mapping, ParsedDeck, ReadOptions, RowError};
use crate::state::AppState;
use crate::changes::audit::{self, AuditActor, Entry};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    pub deck_id: String,
    pub carrier_id: String,
    /// active (now in force), rejected (nothing changed), checked (a dry run found no problem) or
    /// queued (a background import was accepted; follow the deck's status).
    pub status: String,
    pub rows: usize,
    pub error_count: usize,
    /// The first 1,000 errors, each with its line.
    pub errors: Vec<RowError>,
    /// The file's column headers, and which of them feeds each canonical column.
    pub headers: Vec<String>,
    pub mapping: std::collections::HashMap<String, String>,
    pub millis: u128,
    /// The file's columns that are not imported.
    pub ignored: Vec<String>,
    /// Columns that look important but are not imported. Until accepted (`accept_warnings`), each
    /// is also an error that rejects the deck.
    pub warnings: Vec<DeckWarning>,
    pub warnings_accepted: bool,
    /// How the file was read: its format, text encoding and separator, or its sheet.
    pub format: String,
    /// The sheet read, and every sheet of the workbook (spreadsheets only).
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
}

impl ImportReport {
    /// The answer to a background import: accepted, to follow on the deck.
    pub fn queued(deck_id: String, carrier_id: String, mapping: Mapping) -> ImportReport {
        ImportReport {
            deck_id,
            carrier_id,
            status: "queued".into(),
            rows: 0,
            error_count: 0,
            errors: vec![],
            headers: vec![],
            mapping,
            millis: 0,
            ignored: vec![],
            warnings: vec![],
            warnings_accepted: false,
            format: String::new(),
            sheet: None,
            sheets: vec![],
        }
    }

    /// The report of a check that stores nothing: `checked` without errors, else `rejected`.
    pub fn checked(carrier_id: String, deck: &ParsedDeck) -> ImportReport {
        let mut report = ImportReport::queued(String::new(), carrier_id, deck.mapping.clone());
        report.status = if deck.error_count == 0 { "checked".into() } else { "rejected".into() };
        report.rows = deck.total;
        report.error_count = deck.error_count;
        report.errors = deck.errors.clone();
        report.headers = deck.headers.clone();
        report.describe(deck);
        report
    }

    fn describe(&mut self, deck: &ParsedDeck) {
        self.ignored = deck.ignored.clone();
        self.warnings = deck.warnings.clone();
        self.warnings_accepted = deck.warnings_accepted;
        self.format = deck.format.clone();
        self.sheet = deck.sheet.clone();
        self.sheets = deck.sheets.clone();
    }
}

/// Rows per INSERT statement on SQLite (9 values each, under SQLite's limit of 32,766).
const CHUNK: usize = 1000;

/// Stores `deck` for the carrier. Bad rows reject it whole. `queued` is the id of the placeholder
/// deck of a background import, which the stored deck replaces in the same transaction.
pub async fn store(state: &AppState, actor: &AuditActor, carrier_id: &str, source: &str, deck: ParsedDeck, queued: Option<&str>) -> Result<ImportReport> {
    let started = Instant::now();
    let deck_id = queued.map(str::to_string).unwrap_or_else(new_id);
    let now = time::to_db(time::now());
    if deck.error_count > 0 || deck.rows.is_empty() {
        let mut errors = deck.errors.clone();
        if deck.rows.is_empty() && errors.is_empty() {
            errors.push(RowError { line: 1, column: "file".into(), message: "the file has no rates".into() });
        }
        let error_count = deck.error_count.max(errors.len());
        let report = json!({"errors": errors, "error_count": error_count, "rows": deck.total, "ignored": deck.ignored, "warnings": deck.warnings, "format": deck.format});
        let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
        sqlx::query(CLEAR_QUEUED).bind(&deck_id).execute(&mut *tx).await.map_err(Error::internal)?;
        sqlx::query(
            "INSERT INTO rate_decks (id, carrier_id, source, status, row_count, processed, report, created_at, created_by, updated_at, updated_by)
             VALUES ($1, $2, $3, 'rejected', $4, $4, $5, $6, $7, $6, $7)",
        )
        .bind(&deck_id)
        .bind(carrier_id)
        .bind(source)
        .bind(deck.total as i64)
        .bind(report.to_string())
        .bind(&now)
        .bind(&actor.id)
        .execute(&mut *tx)
        .await
        .map_err(Error::internal)?;
        let entry = Entry { action: "rate_deck.reject", target_kind: "carrier", target_id: Some(carrier_id), old: None, new: Some(json!({"deck": deck_id, "error_count": error_count})) };
        audit::record(&mut *tx, actor, entry).await?;
        tx.commit().await.map_err(Error::internal)?;
        let mut report = ImportReport::checked(carrier_id.into(), &deck);
        (report.deck_id, report.status, report.error_count, report.errors) = (deck_id, "rejected".into(), error_count, errors);
        report.millis = started.elapsed().as_millis();
        return Ok(report);
    }
    let rows = deck.rows.len();
    let report = json!({"rows": rows, "mapping": deck.mapping, "ignored": deck.ignored, "warnings": deck.warnings, "warnings_accepted": deck.warnings_accepted, "format": deck.format});
    // In index order, the inserts append to the indexes' pages instead of scattering over them.
    let mut deck = deck;
    deck.rows.sort_unstable_by(|a, b| (&a.prefix, &a.effective_from).cmp(&(&b.prefix, &b.effective_from)));
    match state.db.backend() {
        Backend::Sqlite => store_sqlite(state, actor, carrier_id, source, &deck_id, &now, &deck.rows, &report.to_string()).await?,
        Backend::Postgres => store_postgres(state, actor, carrier_id, source, &deck_id, &now, &deck.rows, &report.to_string()).await?,
    }
    let mut report = ImportReport::checked(carrier_id.into(), &deck);
    (report.deck_id, report.status, report.rows) = (deck_id, "active".into(), rows);
    report.millis = started.elapsed().as_millis();
    Ok(report)
}

const NEW_DECK: &str = "INSERT INTO rate_decks (id, carrier_id, source, status, row_count, processed, report, created_at, created_by, updated_at, updated_by)
     VALUES ($1, $2, $3, 'active', $4, $4, $5, $6, $7, $6, $7)";
/// A background import's placeholder deck, replaced by the stored one.
const CLEAR_QUEUED: &str = "DELETE FROM rate_decks WHERE id = $1 AND status IN ('queued', 'importing')";
const SUPERSEDE: &str = "UPDATE rate_decks SET status = 'superseded', updated_at = $1, updated_by = $2 WHERE carrier_id = $3 AND status = 'active' AND id <> $4";
/// The audit entry of an import, for the PostgreSQL path, whose native connection cannot use the
/// engine-neutral `audit::record`.
const AUDIT: &str = "INSERT INTO audit_log (id, actor_id, actor_kind, tenant_id, action, target_kind, target_id, old_values, new_values, ip, created_at, created_by, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, 'rate_deck.import', 'carrier', $5, NULL, $6, $7, $8, $2, $8, $2)";

/// The `rate_deck.activated` event, for the PostgreSQL path's native connection (the same row
/// `jobs::events::emit` writes, in the import's own transaction).
const ACTIVATED: &str = "INSERT INTO events (id, kind, tenant_id, subject_id, payload, created_at, created_by, updated_at, updated_by)
     VALUES ($1, 'rate_deck.activated', NULL, $2, $3, $4, 'system', $4, 'system')";

#[allow(clippy::too_many_arguments)]
async fn store_sqlite(state: &AppState, actor: &AuditActor, carrier: &str, source: &str, deck_id: &str, now: &str, rows: &[DeckRow], report: &str) -> Result<()> {
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    sqlx::query(CLEAR_QUEUED).bind(deck_id).execute(&mut *tx).await.map_err(Error::internal)?;
    sqlx::query(NEW_DECK)
        .bind(deck_id)
        .bind(carrier)
        .bind(source)
        .bind(rows.len() as i64)
        .bind(report)
        .bind(now)
        .bind(&actor.id)
        .execute(&mut *tx)
        .await
        .map_err(Error::internal)?;
    for chunk in rows.chunks(CHUNK) {
        let sql = state.db.backend().multi_row_insert(
            "rates (deck_id, carrier_id, prefix, destination, rate, connection_fee, initial_increment, subsequent_increment, effective_from)",
            9,
            chunk.len(),
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            q = q
                .bind(deck_id)
                .bind(carrier)
                .bind(&r.prefix)
                .bind(&r.destination)
                .bind(r.rate)
                .bind(r.connection_fee)
                .bind(r.initial_increment)
                .bind(r.subsequent_increment)
                .bind(&r.effective_from);
        }
        q.execute(&mut *tx).await.map_err(Error::internal)?;
    }
    sqlx::query(SUPERSEDE).bind(now).bind(&actor.id).bind(carrier).bind(deck_id).execute(&mut *tx).await.map_err(Error::internal)?;
    let entry = Entry {
        action: "rate_deck.import",
        target_kind: "carrier",
        target_id: Some(carrier),
        old: None,
        new: Some(json!({"deck": deck_id, "rows": rows.len(), "source": source})),
    };
    audit::record(&mut *tx, actor, entry).await?;
    activated(&mut tx, carrier, deck_id).await?;
    tx.commit().await.map_err(Error::internal)?;
    Ok(())
}

/// Text-format COPY field: backslash, tab and line breaks escaped.
fn copy_field(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn store_postgres(state: &AppState, actor: &AuditActor, carrier: &str, source: &str, deck_id: &str, now: &str, rows: &[DeckRow], report: &str) -> Result<()> {
    use sqlx::Connection;
    let mut conn = state.db.postgres_connection().await.map_err(Error::internal)?.ok_or_else(|| Error::internal("not PostgreSQL"))?;
    let mut tx = conn.begin().await.map_err(Error::internal)?;
    sqlx::query(CLEAR_QUEUED).bind(deck_id).execute(&mut *tx).await.map_err(Error::internal)?;
    sqlx::query(NEW_DECK)
        .bind(deck_id)
        .bind(carrier)
        .bind(source)
        .bind(rows.len() as i64)
        .bind(report)
        .bind(now)
        .bind(&actor.id)
        .execute(&mut *tx)
        .await
        .map_err(Error::internal)?;
    // COPY streams the rows in one round trip: the fastest bulk load PostgreSQL has.
    let mut copy = tx
        .copy_in_raw(
            "COPY rates (deck_id, carrier_id, prefix, destination, rate, connection_fee, initial_increment, subsequent_increment, effective_from) FROM STDIN",
        )
        .await
        .map_err(Error::internal)?;
    let mut buf = String::with_capacity(1 << 20);
    for chunk in rows.chunks(20_000) {
        buf.clear();
        for r in chunk {
            copy_field(deck_id, &mut buf);
            buf.push('\t');
            copy_field(carrier, &mut buf);
            buf.push('\t');
            copy_field(&r.prefix, &mut buf);
            buf.push('\t');
            copy_field(&r.destination, &mut buf);
            buf.push_str(&format!("\t{}\t{}\t{}\t{}\t", r.rate, r.connection_fee, r.initial_increment, r.subsequent_increment));
            copy_field(&r.effective_from, &mut buf);
            buf.push('\n');
        }
        copy.send(buf.as_bytes()).await.map_err(Error::internal)?;
    }
    copy.finish().await.map_err(Error::internal)?;
    sqlx::query(SUPERSEDE).bind(now).bind(&actor.id).bind(carrier).bind(deck_id).execute(&mut *tx).await.map_err(Error::internal)?;
    sqlx::query(AUDIT)
        .bind(new_id())
        .bind(&actor.id)
        .bind(actor.kind)
        .bind(&actor.tenant_id)
        .bind(carrier)
        .bind(json!({"deck": deck_id, "rows": rows.len(), "source": source}).to_string())
        .bind(&actor.ip)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(Error::internal)?;
    sqlx::query(ACTIVATED)
        .bind(new_id())
        .bind(deck_id)
        .bind(json!({"carrier_id": carrier, "deck_id": deck_id}).to_string())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(Error::internal)?;
    tx.commit().await.map_err(Error::internal)?;
    conn.close().await.map_err(Error::internal)?;
    Ok(())
}

/// `didtron rates import`: finds the carrier by name or code (creating it when new), reads the
/// file and stores the deck, then reports.
pub async fn cli_import(state: &AppState, carrier: &str, file: &std::path::Path) -> Result<ImportReport> {
    use crate::changes::service::{self, Change, Operation};
    use crate::http::caller::Actor;
    let platform: Option<(String,)> =
        sqlx::query_as("SELECT id FROM tenants WHERE kind = 'platform' ORDER BY created_at LIMIT 1").fetch_optional(state.db.pool()).await.map_err(Error::internal)?;
    let actor = Actor::cli(&platform.map(|p| p.0).unwrap_or_default());
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM carriers WHERE LOWER(name) = $1 OR code = $1")
        .bind(carrier.trim().to_lowercase())
        .fetch_optional(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let carrier_id = match found {
        Some((id,)) => id,
        None => {
            let code: String = carrier.trim().to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
            let fields = json!({"code": code.trim_matches('-'), "name": carrier.trim()});
            // A carrier created here serves everyone until an admin narrows its assignment.
            let all = vec![didtron_core::scope::Assignment::include(didtron_core::scope::Scope::All)];
            let change = Change { operation: Operation::Create, id: None, fields: fields.as_object().cloned(), assignments: Some(all), expected_version: None };
            let created = service::apply(state, &actor, "carrier", &change).await?.ok_or_else(|| Error::internal("carrier not created"))?;
            created["id"].as_str().unwrap_or_default().to_string()
        }
    };
    let bytes = super::deck::read_file(file)?;
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let parsed = tokio::task::spawn_blocking(move || super::deck::read(&name, &bytes, None)).await.map_err(Error::internal)??;
    store(state, &AuditActor::from(&actor), &carrier_id, &file.display().to_string(), parsed, None).await
}

/// Queues a deck for import in the background: the file is kept in `uploads` and a placeholder
/// deck (status `queued`) shows its progress until the `rate_deck.import` job replaces it.
pub async fn enqueue(state: &AppState, actor: &AuditActor, carrier_id: &str, filename: &str, options: &ReadOptions, bytes: &[u8]) -> Result<String> {
    let deck_id = new_id();
    let upload_id = new_id();
    let now = time::to_db(time::now());
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    sqlx::query("INSERT INTO uploads (id, name, content, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $4, $5)")
        .bind(&upload_id)
        .bind(filename)
        .bind(bytes.to_vec())
        .bind(&now)
        .bind(&actor.id)
        .execute(&mut *tx)
        .await
        .map_err(Error::internal)?;
    sqlx::query(
        "INSERT INTO rate_decks (id, carrier_id, source, status, row_count, processed, report, upload_id, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, 'queued', 0, 0, $4, $5, $6, $7, $6, $7)",
    )
    .bind(&deck_id)
    .bind(carrier_id)
    .bind(filename)
    .bind(json!({"phase": "queued"}).to_string())
    .bind(&upload_id)
    .bind(&now)
    .bind(&actor.id)
    .execute(&mut *tx)
    .await
    .map_err(Error::internal)?;
    let payload = json!({"deck_id": deck_id, "carrier_id": carrier_id, "mapping": options.mapping, "sheet": options.sheet, "accept_warnings": options.accept_warnings, "actor": actor.to_json()});
    crate::jobs::enqueue(&mut *tx, crate::jobs::NewJob::new("rate_deck.import", payload), &actor.id).await?;
    tx.commit().await.map_err(Error::internal)?;
    Ok(deck_id)
}

async fn set_phase(state: &AppState, deck_id: &str, phase: &str, processed: i64) -> Result<()> {
    sqlx::query("UPDATE rate_decks SET status = 'importing', processed = $1, report = $2, updated_at = $3 WHERE id = $4 AND status IN ('queued', 'importing')")
        .bind(processed)
        .bind(json!({"phase": phase}).to_string())
        .bind(time::to_db(time::now()))
        .bind(deck_id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(())
}

/// Job `rate_deck.import`: reads the queued file, stores the deck (or its report) in place of the
/// placeholder, reloads the routing table and drops the file.
pub async fn import_job(state: AppState, payload: serde_json::Value) -> std::result::Result<(), crate::jobs::JobError> {
    use crate::jobs::JobError;
    let deck_id = payload["deck_id"].as_str().ok_or_else(|| JobError::permanent("payload without deck_id"))?.to_string();
    let carrier_id = payload["carrier_id"].as_str().ok_or_else(|| JobError::permanent("payload without carrier_id"))?.to_string();
    let actor = AuditActor::from_json(&payload["actor"]).ok_or_else(|| JobError::permanent("payload without actor"))?;
    let options = ReadOptions {
        mapping: serde_json::from_value(payload["mapping"].clone()).ok().flatten(),
        sheet: payload["sheet"].as_str().map(str::to_string),
        accept_warnings: payload["accept_warnings"].as_bool().unwrap_or(false),
    };
    let upload: Option<(String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT u.id, u.name, u.content FROM rate_decks d JOIN uploads u ON u.id = d.upload_id WHERE d.id = $1 AND d.status IN ('queued', 'importing')",
    )
    .bind(&deck_id)
    .fetch_optional(state.db.pool())
    .await
    .map_err(Error::internal)?;
    // Already imported by an earlier attempt, or cancelled: nothing left to do.
    let Some((upload_id, name, bytes)) = upload else { return Ok(()) };
    set_phase(&state, &deck_id, "reading", 0).await?;
    let file = name.clone();
    let parsed = match super::deck::read_off_thread(file, bytes, options).await {
        Ok(p) => p,
        // An unreadable file will not get better: keep the reason as the deck's report.
        Err(e) => ParsedDeck::refused(e.to_string()),
    };
    set_phase(&state, &deck_id, "storing", parsed.total as i64).await?;
    let report = store(&state, &actor, &carrier_id, &name, parsed, Some(&deck_id)).await?;
    sqlx::query("DELETE FROM uploads WHERE id = $1").bind(&upload_id).execute(state.db.pool()).await.map_err(Error::internal)?;
    if report.status == "active" {
        state.routing.reload(&state.db).await?;
    }
    Ok(())
}

/// Records, in the import's transaction, that a carrier's deck came into force: the routing table
/// reloads on this event (`routing.reload`) instead of waiting for its safety-net poll.
async fn activated(tx: &mut sqlx::Transaction<'_, sqlx::Any>, carrier: &str, deck_id: &str) -> Result<()> {
    crate::jobs::events::emit(&mut **tx, "rate_deck.activated", None, Some(deck_id), &json!({"carrier_id": carrier, "deck_id": deck_id})).await
}
