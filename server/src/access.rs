//! Asking the apiserver what the signed-in user may do (SelfSubjectAccessReview), for the
//! project list, the app's controls and the terminal's check before upgrading.

use k8s_openapi::api::authorization::v1::SelfSubjectAccessReview;
use kube::{Api, api::PostParams};
use serde::Deserialize;

use crate::error::ApiError;

/// One question to the apiserver: may the user do `verb` on `resource`?
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub verb: String,
    #[serde(default)]
    pub group: String,
    pub resource: String,
    #[serde(default)]
    pub subresource: String,
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub name: String,
}

impl Check {
    pub fn cluster(verb: &str, group: &str, resource: &str) -> Self {
        Check::namespaced(verb, group, resource, "")
    }

    pub fn namespaced(verb: &str, group: &str, resource: &str, namespace: &str) -> Self {
        Check {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            subresource: String::new(),
            namespace: namespace.into(),
            name: String::new(),
        }
    }

    /// Narrows the question to a subresource of one object (`pods/exec` of a pod).
    pub fn of(mut self, name: &str, subresource: &str) -> Self {
        self.name = name.into();
        self.subresource = subresource.into();
        self
    }
}

pub async fn allowed(client: &kube::Client, check: &Check) -> Result<bool, ApiError> {
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
