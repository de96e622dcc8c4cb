//! Sessions ended before their time (signed out), kept where every replica sees them: one
//! ConfigMap in the console's own namespace whose `data` maps a session's id to the Unix second
//! it would have expired anyway, after which the entry is forgotten. Each replica watches it, so
//! a sign-out on one replica holds on all of them within moments, and a restarted replica knows
//! every revocation before it serves a signed-in request.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use futures::StreamExt;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::{
    Api,
    api::{Patch, PatchParams, PostParams},
    runtime::{WatchStreamExt, watcher},
};

use crate::error::ApiError;

/// The ConfigMap's name; `deploy/` grants the console exactly this object.
pub const CONFIG_MAP: &str = "daemonset-console-sessions";

/// What this replica knows of the revocations. Cheap to clone.
#[derive(Clone)]
pub struct Revocations {
    known: Arc<RwLock<Known>>,
    api: Api<ConfigMap>,
}

#[derive(Default)]
struct Known {
    /// False until the first full read: until then no signed-in request is served.
    synced: bool,
    revoked: HashMap<String, i64>,
}

/// The revocations have not been read yet (the replica is starting, or the cluster is away).
#[derive(Debug)]
pub struct NotSynced;

impl Revocations {
    /// Starts following the ConfigMap in `namespace` with the console's own client.
    pub fn follow(client: kube::Client, namespace: &str) -> Self {
        let api: Api<ConfigMap> = Api::namespaced(client, namespace);
        let revocations = Revocations {
            known: Arc::default(),
            api: api.clone(),
        };
        let known = revocations.known.clone();
        let config = watcher::Config::default().fields(&format!("metadata.name={CONFIG_MAP}"));
        tokio::spawn(async move {
            let mut events = std::pin::pin!(watcher(api, config).default_backoff());
            let mut relisted = HashMap::new();
            while let Some(event) = events.next().await {
                let mut known = known.write().unwrap_or_else(|p| p.into_inner());
                match event {
                    Ok(watcher::Event::Init) => relisted.clear(),
                    Ok(watcher::Event::InitApply(map)) => relisted = entries(&map),
                    Ok(watcher::Event::InitDone) => {
                        known.revoked = std::mem::take(&mut relisted);
                        known.synced = true;
                    }
                    Ok(watcher::Event::Apply(map)) => known.revoked = entries(&map),
                    Ok(watcher::Event::Delete(_)) => known.revoked.clear(),
                    Err(error) => {
                        tracing::warn!(%error, "watching session revocations; retrying");
                    }
                }
            }
        });
        revocations
    }

    /// Whether the list has been read since start.
    pub fn is_synced(&self) -> bool {
        self.known.read().unwrap_or_else(|p| p.into_inner()).synced
    }

    /// Whether the session with `id` was ended.
    pub fn is_revoked(&self, id: &str) -> Result<bool, NotSynced> {
        let known = self.known.read().unwrap_or_else(|p| p.into_inner());
        if !known.synced {
            return Err(NotSynced);
        }
        Ok(known.revoked.contains_key(id))
    }

    /// Ends the session with `id` on every replica; `expires_at` is when it would have ended
    /// anyway. Entries past their time are dropped in the same write.
    pub async fn revoke(&self, id: &str, expires_at: i64, now: i64) -> Result<(), ApiError> {
        let mut data = serde_json::Map::new();
        {
            let known = self.known.read().unwrap_or_else(|p| p.into_inner());
            for (old, until) in &known.revoked {
                if *until < now {
                    data.insert(old.clone(), serde_json::Value::Null);
                }
            }
        }
        data.insert(id.to_owned(), expires_at.to_string().into());
        let patch = serde_json::json!({ "data": data });
        let operation = || format!("record the sign-out in ConfigMap {CONFIG_MAP}");
        let patched = self
            .api
            .patch(CONFIG_MAP, &PatchParams::default(), &Patch::Merge(&patch))
            .await;
        match patched {
            Ok(_) => {}
            Err(kube::Error::Api(status)) if status.code == 404 => {
                let map: ConfigMap = serde_json::from_value(serde_json::json!({
                    "metadata": {"name": CONFIG_MAP},
                    "data": {id: expires_at.to_string()},
                }))
                .expect("a static ConfigMap parses");
                match self.api.create(&PostParams::default(), &map).await {
                    Ok(_) => {}
                    // Another replica made it first: add to theirs.
                    Err(kube::Error::Api(status)) if status.code == 409 => {
                        self.api
                            .patch(CONFIG_MAP, &PatchParams::default(), &Patch::Merge(&patch))
                            .await
                            .map_err(|error| ApiError::kube(operation(), error))?;
                    }
                    Err(error) => return Err(ApiError::kube(operation(), error)),
                }
            }
            Err(error) => return Err(ApiError::kube(operation(), error)),
        }
        // This replica refuses the session at once, before its own watch hears of it.
        self.known
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .revoked
            .insert(id.to_owned(), expires_at);
        Ok(())
    }
}

fn entries(map: &ConfigMap) -> HashMap<String, i64> {
    map.data
        .iter()
        .flatten()
        .map(|(id, until)| (id.clone(), until.parse().unwrap_or(i64::MAX)))
        .collect()
}
