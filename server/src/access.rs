//! Asking the apiserver what the signed-in user may do (SelfSubjectAccessReview), for the
//! project list, the app's controls and the terminal's check before upgrading.

use k8s_openapi::api::authorization::v1::SelfSubjectAccessReview;
use kube::{Api, api::PostParams};

use console_model::wire::AccessCheck;

use crate::error::ApiError;

/// Whether the apiserver says the client's user may do what `check` asks.
pub async fn allowed(client: &kube::Client, check: &AccessCheck) -> Result<bool, ApiError> {
    let review: SelfSubjectAccessReview = serde_json::from_value(serde_json::json!({
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectAccessReview",
        "spec": {"resourceAttributes": {
            "verb": check.verb, "group": check.group, "resource": check.resource,
            "subresource": check.subresource, "namespace": check.namespace, "name": check.name,
        }}
    }))
    .expect("a review built from strings parses");
    let answer = Api::<SelfSubjectAccessReview>::all(client.clone())
        .create(&PostParams::default(), &review)
        .await
        .map_err(|error| ApiError::kube("check the user's permissions", error))?;
    Ok(answer.status.is_some_and(|status| status.allowed))
}
