//! Command-line flags, each with an environment-variable twin for container deployments.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "daemonset-console",
    version,
    about = "A web console for Kubernetes DaemonSets"
)]
pub struct Config {
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
