//! Building the Kubernetes configuration and client the server uses.

use anyhow::Context;
use kube::config::{KubeConfigOptions, Kubeconfig};

use crate::config::KubeOptions;

/// The configured kubeconfig, or kubectl's lookup order when none is given.
pub async fn load_config(options: &KubeOptions) -> anyhow::Result<kube::Config> {
    let selection = KubeConfigOptions {
        context: options.context.clone(),
        ..KubeConfigOptions::default()
    };
    match &options.kubeconfig {
        Some(path) => {
            let kubeconfig = Kubeconfig::read_from(path)
                .with_context(|| format!("cannot read kubeconfig {}", path.display()))?;
            kube::Config::from_custom_kubeconfig(kubeconfig, &selection)
                .await
                .with_context(|| format!("kubeconfig {} is not usable", path.display()))
        }
        None if options.context.is_some() => kube::Config::from_kubeconfig(&selection)
            .await
            .context("the default kubeconfig has no such context"),
        None => kube::Config::infer()
            .await
            .context("no kubeconfig found (KUBECONFIG, ~/.kube/config) and not inside a cluster"),
    }
}

/// A client with the server's own credentials.
pub async fn connect(options: &KubeOptions) -> anyhow::Result<kube::Client> {
    let config = load_config(options).await?;
    kube::Client::try_from(config).context("cannot build a Kubernetes client from the kubeconfig")
}
