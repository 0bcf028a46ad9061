//! `didtron bench`: the speed figures of routing and rate import, measured on this machine and
//! printed. Run it on a release build (`cargo run --release -p didtron -- bench`).

use std::time::{Duration, Instant};

use anyhow::Context;
use didtron_db::{Backend, Db};
use didtron_telecom::prefix::Prefix;
use didtron_telecom::rating::Increments;
use didtron_telecom::routing::{RateRow, RoutingTable};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::state::AppState;
use crate::changes::audit::AuditActor;
use crate::config::Settings;
use crate::routing::{deck, import};

pub struct Options {
    pub carriers: usize,
    pub prefixes: usize,
    pub import_rows: usize,
    pub postgres: Option<String>,
}

/// `n` distinct prefixes of 3–7 digits.
fn prefix_pool(rng: &mut StdRng, n: usize) -> Vec<String> {
    let mut set = std::collections::HashSet::with_capacity(n);
    while set.len() < n {
        let len = rng.random_range(3..=7);
        let mut p = String::with_capacity(len);
        p.push(char::from(b'1' + rng.random_range(0..9u8)));
        for _ in 1..len {
            p.push(char::from(b'0' + rng.random_range(0..10u8)));
        }
        set.insert(p);
    }
    let mut v: Vec<String> = set.into_iter().collect();
    v.sort();
    v
}

fn deck_csv(pool: &[String], rows: usize, rng: &mut StdRng) -> Vec<u8> {
    let mut out = String::with_capacity(rows * 48);
    out.push_str("prefix,destination,rate,connection_fee,initial_increment,subsequent_increment,effective_from\n");
    for i in 0..rows {
        let prefix = &pool[i % pool.len()];
        // Rows past the pool are the same prefixes on later dates (future-dated changes), so every
        // (prefix, date) stays unique.
        let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date") + chrono::Duration::days((i / pool.len()) as i64);
        let rate = rng.random_range(1_000..200_000) as f64 / 1_000_000.0;
        out.push_str(&format!("{prefix},Destination {},{rate:.6},0,60,60,{date}\n", &prefix[..3]));
    }
    out.into_bytes()
}

async fn scratch_state(backend: Backend, postgres: Option<&str>, dir: &std::path::Path) -> anyhow::Result<(AppState, Option<(Db, String)>)> {
    let (url, admin) = match backend {
        Backend::Sqlite => (format!("sqlite://{}", dir.join(format!("bench-{}.db", didtron_core::id::new_id())).display()), None),
        Backend::Postgres => {
            let server = postgres.context("no PostgreSQL URL")?;
            let admin = Db::connect(server).await.context("PostgreSQL is not reachable")?;
            let name = format!("didtron_bench_{}", uuid::Uuid::now_v7().simple());
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(admin.pool()).await?;
            let mut u = url::Url::parse(server)?;
            u.set_path(&name);
            (u.to_string(), Some((admin, name)))
        }
    };
    let db = Db::connect(&url).await?;
    didtron_db::migrate(&db).await?;
    let settings = Settings { data_dir: dir.to_path_buf(), database_url: Some(url.into()), ..Settings::default() };
    Ok((AppState::new(db, settings)?, admin))
}

async fn drop_scratch(state: AppState, admin: Option<(Db, String)>) -> anyhow::Result<()> {
    state.db.close().await;
    if let Some((admin, name)) = admin {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(admin.pool()).await?;
        admin.close().await;
    }
    Ok(())
}

async fn new_carrier(state: &AppState, name: &str) -> anyhow::Result<String> {
    let id = didtron_core::id::new_id();
    let now = didtron_core::time::to_db(didtron_core::time::now());
    sqlx::query("INSERT INTO carriers (id, code, name, created_at, updated_at) VALUES ($1, $2, $2, $3, $3)").bind(&id).bind(name).bind(&now).execute(state.db.pool()).await?;
    Ok(id)
}

/// Parses and stores a deck of `rows` rows; returns (parse, store) durations.
async fn import_once(state: &AppState, csv: Vec<u8>, carrier: &str) -> anyhow::Result<(Duration, Duration)> {
    let t = Instant::now();
    let parsed = tokio::task::spawn_blocking(move || deck::read("bench.csv", &csv, None)).await??;
    let parse = t.elapsed();
    anyhow::ensure!(parsed.error_count == 0, "the synthetic deck has errors: {:?}", parsed.errors.first());
    let t = Instant::now();
    let report = import::store(state, &AuditActor::system(), carrier, "bench.csv", parsed, None).await?;
    anyhow::ensure!(report.status == "active", "import rejected");
    Ok((parse, t.elapsed()))
}

/// SQL's best: the number's prefixes in an indexed IN list, longest per carrier, cheapest first.
async fn sql_lookups(db: &Db, numbers: &[String], budget: Duration) -> anyhow::Result<(usize, Duration)> {
    let t = Instant::now();
    let mut done = 0;
    for number in numbers {
        let prefixes: Vec<String> = (1..=number.len()).map(|l| number[..l].to_string()).collect();
        let list: Vec<String> = (1..=prefixes.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT carrier_id, prefix, rate FROM (SELECT r.carrier_id, r.prefix, r.rate,
                 ROW_NUMBER() OVER (PARTITION BY r.carrier_id ORDER BY LENGTH(r.prefix) DESC, r.effective_from DESC) AS rn
               FROM rates r WHERE r.prefix IN ({}) AND r.effective_from <= ${}) t WHERE rn = 1 ORDER BY rate, carrier_id",
            list.join(", "),
            prefixes.len() + 1
        );
        let mut q = sqlx::query_as::<_, (String, String, i64)>(sqlx::AssertSqlSafe(sql));
        for p in &prefixes {
            q = q.bind(p);
        }
        let rows = q.bind("2026-06-01T00:00:00.000000Z").fetch_all(db.pool()).await?;
        std::hint::black_box(rows);
        done += 1;
        if t.elapsed() > budget {
            break;
        }
    }
    Ok((done, t.elapsed()))
}

fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub async fn run(o: Options) -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        println!("note: this is a debug build; run `cargo run --release -p didtron -- bench` for real figures");
    }
    let dir = tempfile_dir()?;
    let mut rng = StdRng::seed_from_u64(2026);
    println!("== routing: {} carriers x {} prefixes ({} rows)", o.carriers, o.prefixes, o.carriers * o.prefixes);
    let pool = prefix_pool(&mut rng, o.prefixes);
    let rss_before = rss_mb();
    let t = Instant::now();
    let names: Vec<String> = (0..o.carriers).map(|i| format!("carrier-{i:02}")).collect();
    let mut rows = Vec::with_capacity(o.carriers * o.prefixes);
    for c in 0..o.carriers {
        for p in &pool {
            rows.push(RateRow {
                carrier: c as u32,
                prefix: Prefix::parse(p).expect("digits"),
                destination: format!("Destination {}", &p[..3]),
                rate: rng.random_range(1_000..200_000),
                connection_fee: 0,
                increments: Increments::new(60, 60).expect("valid"),
                effective_from: 1_767_225_600,
            });
        }
    }
    let sql_rows: Vec<(u32, String, i64)> = rows.iter().map(|r| (r.carrier, r.prefix.to_string(), r.rate)).collect();
    let table = RoutingTable::build(names.clone(), rows);
    println!("build: {:.2} s; table heap ≈ {:.0} MB; process RSS {:.0} MB → {:.0} MB", t.elapsed().as_secs_f64(), table.heap_bytes() as f64 / 1e6, rss_before.unwrap_or(0.0), rss_mb().unwrap_or(0.0));
    let numbers: Vec<String> = (0..200_000)
        .map(|_| {
            let p = &pool[rng.random_range(0..pool.len())];
            let mut n = p.clone();
            while n.len() < 11 {
                n.push(char::from(b'0' + rng.random_range(0..10u8)));
            }
            n
        })
        .collect();
    let at = 1_780_000_000;
    let t = Instant::now();
    let mut total = 0usize;
    let mut rounds = 0;
    while t.elapsed() < Duration::from_secs(3) {
        for n in &numbers {
            total += table.lookup(n, at).map(|c| c.len()).unwrap_or(0);
        }
        rounds += 1;
    }
    let secs = t.elapsed().as_secs_f64();
    let engine_rate = (rounds * numbers.len()) as f64 / secs;
    println!("engine: {:.0} lookups/s on one core ({} lookups, avg {:.1} candidates)", engine_rate, rounds * numbers.len(), total as f64 / (rounds * numbers.len()) as f64);

    // The same lookups followed by least-cost ordering with a customer's derived rate card (20 %,
    // one override), the margin guard and a quality-weighted profile: the per-call work of a lookup
    // for a customer once its configuration is known.
    {
        use didtron_telecom::lcr::{self, CarrierFacts, Margin, Profile, SellCard, Strategy};
        use didtron_telecom::prefix::Prefix;
        let facts: Vec<CarrierFacts> = (0..table.carriers().len() as u32)
            .map(|c| CarrierFacts { rank: table.rank(c), priority: i64::from(c % 3), quality: (c % 2 == 0).then_some(0.5 + f64::from(c % 5) / 10.0) })
            .collect();
        let card = SellCard::Derived { default: Margin::Percent(20_000_000), overrides: Prefix::parse("1").map(|p| (p, Margin::Fixed(1_000))).into_iter().collect() };
        let profile = Profile { strategy: Strategy::Quality { weight: 100 }, min_margin: 500, allow_below_margin: false };
        let parsed: Vec<Prefix> = numbers.iter().filter_map(|n| Prefix::parse(n)).collect();
        let t = Instant::now();
        let (mut planned, mut rounds) = (0usize, 0usize);
        while t.elapsed() < Duration::from_secs(3) {
            for (n, p) in numbers.iter().zip(&parsed) {
                let c = table.lookup(n, at).unwrap_or_default();
                planned += lcr::plan(*p, &c, &facts, &card, &profile, None).candidates.len();
            }
            rounds += 1;
        }
        let rate = (rounds * numbers.len()) as f64 / t.elapsed().as_secs_f64();
        println!("engine + LCR ordering with a rate card: {rate:.0} lookups/s on one core (avg {:.1} candidates kept)", planned as f64 / (rounds * numbers.len()) as f64);
    }

    let mut backends = vec![Backend::Sqlite];
    if o.postgres.is_some() {
        backends.push(Backend::Postgres);
    }
    for backend in &backends {
        let (state, admin) = scratch_state(*backend, o.postgres.as_deref(), &dir).await?;
        let ids: Vec<String> = {
            let mut v = Vec::new();
            for n in &names {
                v.push(new_carrier(&state, n).await?);
            }
            v
        };
        let t = Instant::now();
        for (c, id) in ids.iter().enumerate() {
            let parsed = deck::ParsedDeck {
                rows: sql_rows
                    .iter()
                    .filter(|r| r.0 == c as u32)
                    .map(|r| deck::DeckRow {
                        prefix: r.1.clone(),
                        destination: format!("Destination {}", &r.1[..3]),
                        rate: r.2,
                        connection_fee: 0,
                        initial_increment: 60,
                        subsequent_increment: 60,
                        effective_from: "2026-01-01T00:00:00.000000Z".into(),
                    })
                    .collect(),
                ..Default::default()
            };
            import::store(&state, &AuditActor::system(), id, "bench", parsed, None).await?;
        }
        sqlx::query("ANALYZE").execute(state.db.pool()).await.ok();
        println!("{backend:?}: loaded {} rows for the SQL comparison in {:.1} s", sql_rows.len(), t.elapsed().as_secs_f64());
        let (n, took) = sql_lookups(&state.db, &numbers, Duration::from_secs(5)).await?;
        let sql_rate = n as f64 / took.as_secs_f64();
        println!("{backend:?} SQL (indexed IN list, longest per carrier): {sql_rate:.0} lookups/s ({n} lookups)");
        println!("ratio engine / {backend:?} SQL: {:.0}x", engine_rate / sql_rate);
        drop_scratch(state, admin).await?;
    }

    println!("== import: {} rows", o.import_rows);
    let csv = deck_csv(&pool, o.import_rows, &mut rng);
    println!("deck file: {:.1} MB CSV", csv.len() as f64 / 1e6);
    for backend in &backends {
        let (state, admin) = scratch_state(*backend, o.postgres.as_deref(), &dir).await?;
        let carrier = new_carrier(&state, "import-bench").await?;
        let (parse, store) = import_once(&state, csv.clone(), &carrier).await?;
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM rates").fetch_one(state.db.pool()).await?;
        println!(
            "{backend:?}: {n} rows imported in {:.2} s (parse and check {:.2} s, store {:.2} s)",
            (parse + store).as_secs_f64(),
            parse.as_secs_f64(),
            store.as_secs_f64()
        );
        drop_scratch(state, admin).await?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("didtron-bench-{}", didtron_core::id::new_id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
