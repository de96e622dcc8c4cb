//! Listing DaemonSets as rows the app can show without knowing the Kubernetes schema.

use axum::{Extension, Json, extract::Path};
use console_model::{DaemonSetCounts, DaemonSetRow};
use k8s_openapi::api::apps::v1::DaemonSet;
use kube::{Api, api::ListParams};

use crate::{auth::SignedIn, error::ApiError};

/// Annotation KubeSphere uses for a display name; reading it keeps both consoles in agreement.
pub const ALIAS_ANNOTATION: &str = "kubesphere.io/alias-name";

pub async fn list_all(
    Extension(user): Extension<SignedIn>,
) -> Result<Json<Vec<DaemonSetRow>>, ApiError> {
    list(Api::all(user.client), "list DaemonSets in all projects").await
}

pub async fn list_in_namespace(
    Extension(user): Extension<SignedIn>,
    Path(namespace): Path<String>,
) -> Result<Json<Vec<DaemonSetRow>>, ApiError> {
    let operation = format!("list DaemonSets in project {namespace}");
    list(Api::namespaced(user.client, &namespace), &operation).await
}

async fn list(api: Api<DaemonSet>, operation: &str) -> Result<Json<Vec<DaemonSetRow>>, ApiError> {
    let list = api
        .list(&ListParams::default())
        .await
        .map_err(|error| ApiError::kube(operation, error))?;
    let mut rows: Vec<DaemonSetRow> = list.items.iter().map(row_of).collect();
    rows.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    Ok(Json(rows))
}

/// Reads what the list shows from a DaemonSet; absent fields read as zero or empty, as the
/// controller leaves them before its first sync.
pub fn row_of(daemonset: &DaemonSet) -> DaemonSetRow {
    let metadata = &daemonset.metadata;
    let status = daemonset.status.clone().unwrap_or_default();
    let pod_spec = daemonset
        .spec
        .as_ref()
        .and_then(|spec| spec.template.spec.as_ref());
    DaemonSetRow {
        name: metadata.name.clone().unwrap_or_default(),
        namespace: metadata.namespace.clone().unwrap_or_default(),
        alias: metadata
            .annotations
            .as_ref()
            .and_then(|annotations| annotations.get(ALIAS_ANNOTATION))
            .filter(|alias| !alias.is_empty())
            .cloned(),
        counts: DaemonSetCounts {
            generation: metadata.generation.unwrap_or_default(),
            observed_generation: status.observed_generation.unwrap_or_default(),
            desired: status.desired_number_scheduled,
            current: status.current_number_scheduled,
            ready: status.number_ready,
            up_to_date: status.updated_number_scheduled.unwrap_or_default(),
            available: status.number_available.unwrap_or_default(),
            misscheduled: status.number_misscheduled,
        },
        node_selector: pod_spec
            .and_then(|spec| spec.node_selector.clone())
            .unwrap_or_default(),
        images: pod_spec
            .map(|spec| {
                spec.containers
                    .iter()
                    .filter_map(|c| c.image.clone())
                    .collect()
            })
            .unwrap_or_default(),
        created: metadata
            .creation_timestamp
            .as_ref()
            .map(|time| time.0.to_string()),
    }
}
