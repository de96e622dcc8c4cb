use std::io::BufRead;

use anyhow::Context;
use clap::Parser;
use console_server::{
    AppState,
    auth::accounts::hash_password,
    config::{Command, Config},
    kubernetes, router, serve,
};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    if let Some(Command::HashPassword) = config.command {
        return print_password_hash();
    }
    config.init_logging();

    let kube_config = kubernetes::load_config(&config.kube).await?;
    let state = AppState::new(kube_config, config.auth.settings()?)
        .context("cannot build a Kubernetes client from the kubeconfig")?;
    if state.auth.accounts.is_empty() {
        tracing::info!("no accounts file: users sign in with a Kubernetes token");
    }
    let terminals = state.terminals.clone();
    let app = router(state, &config.site_dir);

    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("could not listen on {}", config.listen))?;
    tracing::info!(address = %listener.local_addr()?, site = %config.site_dir.display(), "console listening");
    serve(listener, app, terminals, shutdown_signal())
        .await
        .context("server stopped with an error")?;
    tracing::info!("console stopped");
    Ok(())
}

fn print_password_hash() -> anyhow::Result<()> {
    eprintln!("Password (read from standard input, one line):");
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("cannot read the password")?;
    let password = password.trim_end_matches(['\r', '\n']);
    anyhow::ensure!(!password.is_empty(), "the password is empty");
    println!("{}", hash_password(password));
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; only Ctrl-C stops the server");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}
