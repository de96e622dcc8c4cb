//! The cluster's side, through the testbed's kubectl as the admin: the truth lists are compared
//! with, the writer that keeps changing DaemonSets, and where the followed pods' logs live.

use std::{collections::BTreeMap, time::Duration};

use anyhow::{Context, bail};
use console_model::k8s::{DaemonSet, List, Pod};

use crate::stats::{Outcome, Stats};

#[derive(Clone)]
pub struct Kubectl {
    pub program: String,
}

impl Kubectl {
    async fn run(&self, args: &[&str]) -> anyhow::Result<Vec<u8>> {
        let output = tokio::process::Command::new(&self.program)
            .args(args)
            .kill_on_drop(true)
            .output()
            .await
            .with_context(|| format!("run {}", self.program))?;
        if !output.status.success() {
            bail!(
                "kubectl {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(output.stdout)
    }

    /// name → resourceVersion of `namespace`'s DaemonSets: what every list must show.
    pub async fn truth(&self, namespace: &str) -> anyhow::Result<BTreeMap<String, String>> {
        let json = self
            .run(&["-n", namespace, "get", "daemonsets", "-o", "json"])
            .await?;
        let list: List<DaemonSet> =
            serde_json::from_slice(&json).context("kubectl get daemonsets")?;
        Ok(list
            .items
            .into_iter()
            .map(|ds| {
                (
                    format!("{namespace}/{}", ds.metadata.name),
                    ds.metadata.resource_version,
                )
            })
            .collect())
    }

    /// The running pods of the DaemonSet labelled `app=<name>`.
    pub async fn pods(&self, namespace: &str, app: &str) -> anyhow::Result<Vec<Pod>> {
        let json = self
            .run(&[
                "-n",
                namespace,
                "get",
                "pods",
                "-l",
                &format!("app={app}"),
                "-o",
                "json",
            ])
            .await?;
        let list: List<Pod> = serde_json::from_slice(&json).context("kubectl get pods")?;
        Ok(list
            .items
            .into_iter()
            .filter(|pod| pod.status.phase == "Running")
            .collect())
    }

    /// Changes one of `daemonsets` every `every`, round robin, until `stop`: an annotation, so
    /// each change is one MODIFIED event and a new resourceVersion.
    pub async fn write(
        &self,
        namespace: String,
        daemonsets: Vec<String>,
        every: Duration,
        stats: Stats,
        mut stop: tokio::sync::watch::Receiver<bool>,
        paused: tokio::sync::watch::Receiver<bool>,
    ) {
        let mut ticker = tokio::time::interval(every);
        for n in 0u64.. {
            tokio::select! {
                _ = ticker.tick() => {}
                _ = stop.changed() => return,
            }
            if *paused.borrow() {
                continue;
            }
            let target = &daemonsets[n as usize % daemonsets.len()];
            let annotation = format!("soak.testbed.local/write={n}");
            let args = [
                "-n",
                &namespace,
                "annotate",
                "--overwrite",
                &format!("daemonset/{target}"),
                &annotation,
            ];
            // A write during the apiserver's restart fails; the writer just goes on.
            let outcome = match self.run(&args).await {
                Ok(_) => Outcome::Ok,
                Err(_) => Outcome::Network,
            };
            stats.count("kubectl-write", outcome);
        }
    }
}
