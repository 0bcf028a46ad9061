//! The command line: `didtron serve | migrate | admin … | openapi`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use didtron_db::{Db, redact_url};

use crate::app::{self, AppState};
use crate::config::{Overrides, Settings};
use crate::identity::bootstrap::{self, FirstAdmin};
use crate::telemetry;

#[derive(Parser)]
#[command(name = "didtron", version, about = "DIDtron: a self-hostable VoIP operator platform")]
struct Cli {
    /// Configuration file (TOML). Default: ./didtron.toml when it exists.
    #[arg(long, global = true, env = "DIDTRON_CONFIG")]
    config: Option<PathBuf>,
    /// Where the SQLite database and local files live (default ./data).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// `sqlite://…` or `postgres://…` (default: SQLite in the data directory).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server and background workers (applies pending migrations first).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Operator tasks.
    Admin {
        #[command(subcommand)]
        task: AdminTask,
    },
    /// Print the OpenAPI document of the API.
    Openapi,
    /// Carriers' rate decks.
    Rates {
        #[command(subcommand)]
        task: RatesTask,
    },
    /// Routing.
    Route {
        #[command(subcommand)]
        task: RouteTask,
    },
    /// Measure import and routing speed; prints the figures.
    Bench {
        /// Carriers in the synthetic deck.
        #[arg(long, default_value_t = 20)]
        carriers: usize,
        /// Prefixes per carrier.
        #[arg(long, default_value_t = 100_000)]
        prefixes: usize,
        /// Rows of the import benchmark.
        #[arg(long, default_value_t = 1_000_000)]
        import_rows: usize,
        /// PostgreSQL server for the PostgreSQL figures (a scratch database is created and dropped).
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        postgres: String,
        /// Skip the PostgreSQL figures.
        #[arg(long)]
        no_postgres: bool,
    },
}

#[derive(Subcommand)]
enum RatesTask {
    /// Import a deck (CSV or Excel) for a carrier, creating the carrier if it is new. The new deck
    /// replaces the carrier's current one; a deck with bad rows is rejected whole with a report.
    Import {
        /// Carrier name (or code).
        #[arg(long)]
        carrier: String,
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum RouteTask {
    /// The ordered route list for a number.
    Lookup {
        number: String,
        /// A customer id: only carriers assigned to the customer.
        #[arg(long)]
        customer: Option<String>,
        /// Print JSON (an array of candidates in routing order).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AdminTask {
    /// Create a super admin; prints a generated password once when none is given.
    CreateSuperAdmin {
        #[arg(long)]
        email: String,
        /// At least 12 characters. Prefer the environment variable to keep it out of shell history.
        #[arg(long, env = "DIDTRON_NEW_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let listen = match &cli.command {
        Command::Serve { listen } => *listen,
        _ => None,
    };
    let overrides = Overrides { config_file: cli.config, listen, data_dir: cli.data_dir, database_url: cli.database_url };
    match cli.command {
        Command::Openapi => {
            println!("{}", serde_json::to_string_pretty(&app::openapi())?);
            Ok(())
        }
        Command::Migrate => {
            let settings = Settings::load(overrides)?;
            telemetry::init(&settings.log, settings.log_format);
            let db = open_database(&settings).await?;
            db.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Admin { task: AdminTask::CreateSuperAdmin { email, password } } => {
            let settings = Settings::load(overrides)?;
            telemetry::init(&settings.log, settings.log_format);
            let db = open_database(&settings).await?;
            let generated = password.is_none();
            let password = password.unwrap_or_else(crate::identity::password::generate);
            bootstrap::create_super_admin(&db, &email, &password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("super admin {email} created");
            if generated {
                println!("password (shown once): {password}");
            }
            db.close().await;
            Ok(())
        }
        Command::Serve { .. } => serve(Settings::load(overrides)?).await,
        Command::Rates { task: RatesTask::Import { carrier, file } } => {
            let state = cli_state(overrides).await?;
            let report = crate::routing::import::cli_import(&state, &carrier, &file).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            state.db.close().await;
            if report.status == "active" { Ok(()) } else { anyhow::bail!("the deck was rejected: {} bad rows; the previous deck stays in force", report.error_count) }
        }
        Command::Route { task: RouteTask::Lookup { number, customer, json } } => {
            let state = cli_state(overrides).await?;
            state.routing.reload(&state.db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let list = crate::routing::lookup::plan(&state, &number, customer.as_deref(), None, None).await.map_err(|e| anyhow::anyhow!("{e}"))?.candidates;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else if list.is_empty() {
                println!("no route for {number}");
            } else {
                println!("{:<4} {:<24} {:<16} {:>12} {:>12} {:>12}  {:<8} destination", "#", "carrier", "prefix", "rate/min", "sell/min", "margin", "billing");
                let money = |m: Option<i64>| m.map(|m| rust_decimal::Decimal::new(m, 6).to_string()).unwrap_or_else(|| "-".into());
                for (i, c) in list.iter().enumerate() {
                    println!(
                        "{:<4} {:<24} {:<16} {:>12} {:>12} {:>12}  {:<8} {}",
                        i + 1,
                        c.carrier,
                        c.prefix,
                        rust_decimal::Decimal::new(c.rate_micro, 6),
                        money(c.sell_rate_micro),
                        money(c.margin_micro),
                        c.increments,
                        c.destination
                    );
                }
            }
            state.db.close().await;
            Ok(())
        }
        Command::Bench { carriers, prefixes, import_rows, postgres, no_postgres } => {
            crate::bench::run(crate::bench::Options { carriers, prefixes, import_rows, postgres: (!no_postgres).then_some(postgres) }).await
        }
    }
}

/// The application state for a one-off command on the configured database.
async fn cli_state(overrides: Overrides) -> anyhow::Result<AppState> {
    let settings = Settings::load(overrides)?;
    telemetry::init(&settings.log, settings.log_format);
    let db = open_database(&settings).await?;
    AppState::new(db, settings)
}

/// Connects and migrates; the data directory is created for the embedded defaults.
async fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    std::fs::create_dir_all(settings.objects_dir())
        .with_context(|| format!("cannot create the data directory {}", settings.data_dir.display()))?;
    let url = settings.database_url();
    tracing::info!(database = %redact_url(&url), "opening database");
    let db = Db::connect(&url).await.with_context(|| format!("cannot open the database {}", redact_url(&url)))?;
    didtron_db::migrate(&db).await.context("migrations failed")?;
    Ok(db)
}

/// `didtron serve`. Before it listens: migrations, the shared-setup checks (an instance with
/// another secret key or another local file folder than the rest refuses to start), the first
/// admin. Then it listens at once — `/healthz` answers, `/readyz` answers 503 — and runs the
/// start-up steps (`ops::readiness::steps`), each marked done as it ends: stale work of stopped
/// instances freed, schedules in place, waiting pushes given a job, the routing table loaded.
async fn serve(settings: Settings) -> anyhow::Result<()> {
    use crate::ops::readiness::{self, steps};
    telemetry::init(&settings.log, settings.log_format);
    let db = open_database(&settings).await?;
    let state = AppState::new(db.clone(), settings.clone())?;
    crate::ops::startup::check_shared_setup(&state).await?;
    match bootstrap::ensure_first_admin(&db, &settings).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        FirstAdmin::Exists => {}
        FirstAdmin::Created { email } => tracing::info!(%email, "created the first super admin"),
        FirstAdmin::CreatedWithPassword { email, password } => {
            // Printed once, on the console only: never through the log pipeline.
            println!("\n  First super admin created.\n  e-mail:   {email}\n  password: {password}\n  (shown once: sign in and change it)\n");
        }
    }
    for step in steps::ALL {
        state.readiness.waiting_for(step);
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    tracing::info!(address = %settings.listen, "DIDtron is listening on http://{}", settings.listen);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let server = tokio::spawn(
        axum::serve(listener, app::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .into_future(),
    );

    let me = crate::jobs::instance::this().clone();
    let recovered = crate::jobs::instance::start(&db, &me).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    if !recovered.instances.is_empty() {
        tracing::info!(instances = ?recovered.instances, leases = recovered.leases, jobs = recovered.jobs, "freed the work of instances that stopped");
    }
    state.readiness.done(steps::STALE_WORK);
    app::ensure_schedules(&state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    state.readiness.done(steps::SCHEDULES);
    if crate::switch::sync::resume_waiting_pushes(&state).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        tracing::info!("pushes to the switch were waiting from before the start; queued a job to carry them out");
    }
    state.readiness.done(steps::SWITCH_PUSHES);
    let heartbeat = tokio::spawn(crate::jobs::instance::keep_alive(db.clone(), me.clone(), stopped.clone()));
    let worker = tokio::spawn(crate::jobs::worker::Worker::new(state.clone()).run(stopped.clone()));
    let routing = tokio::spawn(crate::routing::table::keep_current(state.routing.clone(), state.db.clone(), stopped));
    let table = {
        let state = state.clone();
        tokio::spawn(async move {
            readiness::first_routing_table(&state).await;
            state.readiness.done(steps::ROUTING_TABLE);
            tracing::info!("ready: every start-up step is done");
        })
    };

    server.await??;
    tracing::info!("shutting down");
    table.abort();
    let _ = stop.send(true);
    let _ = worker.await;
    let _ = routing.await;
    let _ = heartbeat.await;
    // After the worker: a push still running keeps its lease until it ends.
    if let Err(e) = crate::jobs::instance::stop(&db, &me).await {
        tracing::warn!(error = %e, "could not mark this instance stopped");
    }
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
