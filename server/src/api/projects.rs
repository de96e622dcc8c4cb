//! Which projects (namespaces) a user may work in, and which actions they may take.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{Extension, Json, extract::State};
use futures::{StreamExt, stream};
use k8s_openapi::api::core::v1::Namespace;
use kube::{Api, api::ListParams};
use serde::{Deserialize, Serialize};

use crate::{
    AppState,
    access::{Check, allowed},
    auth::SignedIn,
    error::ApiError,
};

/// The projects a user sees.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Projects {
    /// The user may list namespaces, so they also get the "all projects" view.
    pub all: bool,
    pub names: Vec<String>,
}

/// Per-user answers, kept briefly: computing them takes one access review per namespace.
#[derive(Clone, Default)]
pub struct ProjectsCache {
    entries: Arc<Mutex<HashMap<String, (Projects, Instant)>>>,
}

const PROJECTS_TTL: Duration = Duration::from_secs(30);

pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<SignedIn>,
) -> Result<Json<Projects>, ApiError> {
    let key = serde_json::to_string(&user.session.identity).expect("an identity always serialises");
    if let Some((projects, at)) = state
        .projects
        .entries
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key)
        && at.elapsed() < PROJECTS_TTL
    {
        return Ok(Json(projects.clone()));
    }
    let projects = compute(&state, &user).await?;
    let mut entries = state
        .projects
        .entries
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    entries.retain(|_, (_, at)| at.elapsed() < PROJECTS_TTL);
    entries.insert(key, (projects.clone(), Instant::now()));
    Ok(Json(projects))
}

async fn compute(state: &AppState, user: &SignedIn) -> Result<Projects, ApiError> {
    let may_list_namespaces =
        allowed(&user.client, &Check::cluster("list", "", "namespaces")).await?;
    let namespaces = if may_list_namespaces {
        names(Api::all(user.client.clone())).await?
    } else {
        // Only the server may enumerate namespaces here; the user sees just the ones they may use.
        let every = names(Api::all(state.kube.clone())).await?;
        let checks = every.into_iter().map(|namespace| async move {
            let check = Check::namespaced("list", "apps", "daemonsets", &namespace);
            allowed(&user.client, &check)
                .await
                .map(|yes| yes.then_some(namespace))
        });
        let answers: Vec<_> = stream::iter(checks).buffered(8).collect().await;
        answers
            .into_iter()
            .filter_map(Result::transpose)
            .collect::<Result<Vec<_>, _>>()?
    };
    Ok(Projects {
        all: may_list_namespaces,
        names: namespaces,
    })
}

async fn names(api: Api<Namespace>) -> Result<Vec<String>, ApiError> {
    let list = api
        .list(&ListParams::default())
        .await
        .map_err(|error| ApiError::kube("list projects", error))?;
    let mut names: Vec<String> = list
        .items
        .into_iter()
        .filter_map(|namespace| namespace.metadata.name)
        .collect();
    names.sort();
    Ok(names)
}

#[derive(Deserialize)]
pub struct AccessRequest {
    checks: Vec<Check>,
}

#[derive(Serialize)]
pub struct AccessAnswer {
    allowed: Vec<bool>,
}

/// `POST /api/access`: the app asks before it shows a create, edit, delete or terminal control.
pub async fn access(
    Extension(user): Extension<SignedIn>,
    Json(request): Json<AccessRequest>,
) -> Result<Json<AccessAnswer>, ApiError> {
    let reviews = request.checks.into_iter().take(64).map(|check| {
        let client = user.client.clone();
        async move { allowed(&client, &check).await }
    });
    let allowed = stream::iter(reviews)
        .buffered(8)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    Ok(Json(AccessAnswer { allowed }))
}
