//! Command-line flags, each with an environment-variable twin for container deployments, and
//! turning them into the server's settings.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::auth::{
    AuthSettings, MAX_PASSWORD_CHECKS,
    accounts::Accounts,
    origin::Origin,
    rate_limit::Limiter,
    session::{Lifetimes, SessionKeys},
};

/// Where a pod finds its own namespace.
const POD_NAMESPACE_FILE: &str = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

#[derive(Debug, Parser)]
#[command(
    name = "daemonset-console",
    version,
    about = "A web console for Kubernetes DaemonSets"
)]
pub struct Config {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Address to listen on.
    #[arg(long, env = "CONSOLE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Folder holding the built app (index.html and assets/).
    #[arg(long, env = "CONSOLE_SITE_DIR", default_value = "target/site")]
    pub site_dir: PathBuf,

    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "CONSOLE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    #[command(flatten)]
    pub kube: KubeOptions,

    #[command(flatten)]
    pub auth: AuthOptions,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Reads a password from standard input and prints its argon2id hash for the accounts file.
    HashPassword,
}

/// Where the server finds the cluster. Without a flag it follows kubectl's rules:
/// `KUBECONFIG`, then `~/.kube/config`, then the in-cluster service account.
#[derive(Debug, Clone, Default, Args)]
pub struct KubeOptions {
    /// Path of a kubeconfig file to use instead of kubectl's default lookup.
    #[arg(long, env = "CONSOLE_KUBECONFIG")]
    pub kubeconfig: Option<PathBuf>,

    /// Context of the kubeconfig to use instead of its current context.
    #[arg(long, env = "CONSOLE_KUBE_CONTEXT")]
    pub context: Option<String>,
}

/// Sign-in and sessions.
#[derive(Debug, Clone, Args)]
pub struct AuthOptions {
    /// YAML file of console accounts (see README). Without it, only token sign-in is offered.
    #[arg(long, env = "CONSOLE_ACCOUNTS_FILE")]
    pub accounts_file: Option<PathBuf>,

    /// File of base64 32-byte session keys, one per line; the first seals new sessions, all
    /// open existing ones (rotation). Without it, a random key: sessions end at restart.
    #[arg(long, env = "CONSOLE_SESSION_KEYS_FILE")]
    pub session_keys_file: Option<PathBuf>,

    /// Session keys given inline, comma-separated (instead of a file).
    #[arg(long, env = "CONSOLE_SESSION_KEYS", hide_env_values = true)]
    pub session_keys: Option<String>,

    /// Minutes without a request after which a session ends.
    #[arg(long, env = "CONSOLE_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: i64,

    /// Hours after sign-in after which a session ends however active.
    #[arg(long, env = "CONSOLE_SESSION_MAX_HOURS", default_value_t = 12)]
    pub session_max_hours: i64,

    /// Send the session cookie without `Secure`, for plain HTTP away from loopback. Browsers
    /// accept `Secure` cookies from http://localhost and http://127.0.0.1 anyway.
    #[arg(long, env = "CONSOLE_INSECURE_COOKIES")]
    pub insecure_cookies: bool,

    /// Sign-in attempts allowed per client address per minute.
    #[arg(
        long,
        env = "CONSOLE_SIGN_IN_ATTEMPTS_PER_MINUTE",
        default_value_t = 10
    )]
    pub sign_in_attempts_per_minute: u32,

    /// Failed sign-ins allowed per user name per minute, from any number of addresses.
    #[arg(
        long,
        env = "CONSOLE_SIGN_IN_FAILURES_PER_USER_PER_MINUTE",
        default_value_t = 10
    )]
    pub sign_in_failures_per_user_per_minute: u32,

    /// The URL users reach the console at (`https://console.example.com`). Requests that change
    /// something must come from it, and requests for any other host are refused.
    #[arg(long, env = "CONSOLE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Namespace of the console's own objects (the list of signed-out sessions). Default: the
    /// pod's own namespace in a cluster, else `daemonset-console`.
    #[arg(long, env = "CONSOLE_STATE_NAMESPACE")]
    pub state_namespace: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// Structured logs to stderr; `RUST_LOG` overrides the default level.
    pub fn init_logging(&self) {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| "info,tower_http=info".into());
        let builder = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr);
        match self.log_format {
            LogFormat::Text => builder.init(),
            LogFormat::Json => builder.json().init(),
        }
    }
}

impl AuthOptions {
    /// Reads the accounts and keys the flags name.
    pub fn settings(&self) -> anyhow::Result<AuthSettings> {
        let accounts = match &self.accounts_file {
            Some(path) => Accounts::load(path)?,
            None => Accounts::default(),
        };
        let keys = match (&self.session_keys_file, &self.session_keys) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read session keys file {}", path.display()))?;
                SessionKeys::parse(&text)
                    .with_context(|| format!("session keys file {}", path.display()))?
            }
            (None, Some(inline)) => SessionKeys::parse(inline).context("CONSOLE_SESSION_KEYS")?,
            (None, None) => {
                tracing::warn!(
                    "no session keys configured: sessions end when this process stops and are not shared with other replicas"
                );
                SessionKeys::ephemeral()
            }
        };
        let public_origin = match &self.public_url {
            Some(url) => Some(Origin::parse(url).with_context(|| {
                format!("--public-url {url:?} is not an origin: give http(s)://host[:port], without a path")
            })?),
            None => None,
        };
        let state_namespace = match &self.state_namespace {
            Some(namespace) => namespace.clone(),
            None => std::fs::read_to_string(POD_NAMESPACE_FILE)
                .map(|text| text.trim().to_owned())
                .unwrap_or_else(|_| "daemonset-console".to_owned()),
        };
        let minute = Duration::from_secs(60);
        Ok(AuthSettings {
            keys,
            accounts,
            lifetimes: Lifetimes {
                idle_seconds: self.session_idle_minutes * 60,
                absolute_seconds: self.session_max_hours * 3600,
            },
            secure_cookies: !self.insecure_cookies,
            limiter: Limiter::new(self.sign_in_attempts_per_minute, minute),
            failures: Limiter::new(self.sign_in_failures_per_user_per_minute, minute),
            password_checks: std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_PASSWORD_CHECKS)),
            public_origin,
            state_namespace,
        })
    }
}
