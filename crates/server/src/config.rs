//! Settings: built-in defaults, then a TOML file, then `DIDTRON_*` environment variables, then
//! command-line flags — each layer overriding the one before.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Everything `didtron` can be told. `Debug` never shows a secret (they are `SecretString`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; when absent, SQLite in `data_dir`.
    pub database_url: Option<SecretString>,
    /// The address people reach the site at, for links in e-mails.
    pub public_url: Option<String>,
    pub log: String,
    pub log_format: LogFormat,
    /// The first super admin, used only while the database has no users.
    pub admin_email: Option<String>,
    pub admin_password: Option<SecretString>,
    /// Base64 of 32 bytes: encrypts stored secrets (2FA seeds, provider credentials). When absent,
    /// `secret.key` in the data directory is used, created on first start. Instances that share a
    /// database must share this key.
    pub secret_key: Option<SecretString>,
    /// SMTP server for outgoing mail, e.g. `smtps://user:pass@smtp-relay.brevo.com:465`. When absent,
    /// mail stays in the outbox that super admins read in the admin portal.
    pub smtp_url: Option<SecretString>,
    /// The sender of outgoing mail.
    pub mail_from: String,
    /// The softswitch driver: `local` (switch state kept in DIDtron's database; the default) or
    /// `connexcs` (the ConnexCS API, with the credentials below).
    pub switch_driver: String,
    /// The ConnexCS control-panel API.
    pub connexcs_url: String,
    pub connexcs_username: Option<String>,
    pub connexcs_password: Option<SecretString>,
    /// The shared secret the switch sends in `X-Webhook-Secret` with each webhook; webhooks are
    /// refused while it is not set.
    pub switch_webhook_secret: Option<SecretString>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            public_url: None,
            log: "info".into(),
            log_format: LogFormat::Text,
            admin_email: None,
            admin_password: None,
            secret_key: None,
            smtp_url: None,
            mail_from: "DIDtron <no-reply@localhost>".into(),
            switch_driver: "local".into(),
            connexcs_url: didtron_adapters::switch::connexcs::DEFAULT_URL.into(),
            connexcs_username: None,
            connexcs_password: None,
            switch_webhook_secret: None,
        }
    }
}

/// Flags given on the command line; each one present overrides every other source.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
}

impl Settings {
    /// Loads the layers. The file is `--config`, else `$DIDTRON_CONFIG`, else `./didtron.toml` if it
    /// exists; a file named explicitly must exist.
    pub fn load(overrides: Overrides) -> anyhow::Result<Settings> {
        let mut figment = Figment::new();
        let file = overrides.config_file.clone().or_else(|| std::env::var_os("DIDTRON_CONFIG").map(PathBuf::from));
        match &file {
            Some(path) if !path.exists() => anyhow::bail!("configuration file {} does not exist", path.display()),
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new("didtron.toml").exists() => figment = figment.merge(Toml::file_exact("didtron.toml")),
            None => {}
        }
        figment = figment
            .merge(Env::prefixed("DIDTRON_").ignore(&["CONFIG"]))
            .merge(Env::raw().only(&["DATABASE_URL"]));
        let mut settings: Settings = figment.extract()?;
        if let Some(listen) = overrides.listen {
            settings.listen = listen;
        }
        if let Some(dir) = overrides.data_dir {
            settings.data_dir = dir;
        }
        if let Some(url) = overrides.database_url {
            settings.database_url = Some(url.into());
        }
        Ok(settings)
    }

    /// The database URL in force: the configured one, or SQLite inside the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose_secret().to_string(),
            None => format!("sqlite://{}", self.data_dir.join("didtron.db").display()),
        }
    }

    /// Where local files (uploads, recordings, exports) live with the embedded default.
    pub fn objects_dir(&self) -> PathBuf {
        self.data_dir.join("objects")
    }

    pub fn public_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.listen)).trim_end_matches('/').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn defaults_need_no_configuration() {
        Jail::expect_with(|_jail| {
            let s = Settings::load(Overrides::default()).unwrap();
            assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
            assert_eq!(s.database_url(), "sqlite://./data/didtron.db");
            assert_eq!(s.objects_dir(), PathBuf::from("./data/objects"));
            Ok(())
        });
    }

    #[test]
    fn flags_beat_environment_which_beats_the_file() {
        Jail::expect_with(|jail| {
            jail.create_file("didtron.toml", "listen = \"127.0.0.1:9000\"\ndata_dir = \"/srv/file\"\nlog = \"debug\"")?;
            jail.set_env("DIDTRON_DATA_DIR", "/srv/env");
            jail.set_env("DATABASE_URL", "postgres://u:pw@h/db");
            let s = Settings::load(Overrides { listen: Some("0.0.0.0:1234".parse().unwrap()), ..Default::default() }).unwrap();
            assert_eq!(s.listen.to_string(), "0.0.0.0:1234");
            assert_eq!(s.data_dir, PathBuf::from("/srv/env"));
            assert_eq!(s.log, "debug");
            assert_eq!(s.database_url(), "postgres://u:pw@h/db");
            Ok(())
        });
    }

    #[test]
    fn secrets_do_not_appear_in_debug_output() {
        Jail::expect_with(|jail| {
            jail.set_env("DIDTRON_ADMIN_PASSWORD", "hunter2-secret");
            jail.set_env("DATABASE_URL", "postgres://u:pgsecret@h/db");
            jail.set_env("DIDTRON_CONNEXCS_PASSWORD", "cx-secret");
            jail.set_env("DIDTRON_SWITCH_WEBHOOK_SECRET", "hook-secret");
            let s = Settings::load(Overrides::default()).unwrap();
            let shown = format!("{s:?}");
            assert!(!shown.contains("hunter2-secret") && !shown.contains("pgsecret"), "{shown}");
            assert!(!shown.contains("cx-secret") && !shown.contains("hook-secret"), "{shown}");
            Ok(())
        });
    }

    #[test]
    fn a_named_configuration_file_must_exist() {
        Jail::expect_with(|_jail| {
            let err = Settings::load(Overrides { config_file: Some("missing.toml".into()), ..Default::default() }).unwrap_err();
            assert!(err.to_string().contains("missing.toml"));
            Ok(())
        });
    }
}
