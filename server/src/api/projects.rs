//! Which projects (namespaces) a user may work in, and which actions they may take.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{Extension, Json, extract::State};
use console_model::wire::{AccessAnswer, AccessCheck, AccessRequest, Projects};
use futures::{StreamExt, stream};
use k8s_openapi::api::core::v1::Namespace;
use kube::{Api, api::ListParams};

use crate::{AppState, access::allowed, auth::SignedIn, error::ApiError};

/// Per-user, per-project access-review answers, kept briefly: a user without the right to list
/// namespaces needs one review per namespace. The namespace list itself is always read fresh,
/// so a project created a moment ago shows up at once.
#[derive(Clone, Default)]
pub struct ProjectsCache {
    answers: Arc<Mutex<HashMap<UserProject, (bool, Instant)>>>,
}

/// A user's identity (serialised) and a project name.
type UserProject = (String, String);

const PROJECTS_TTL: Duration = Duration::from_secs(30);

impl ProjectsCache {
    fn get(&self, key: &UserProject) -> Option<bool> {
        let answers = self.answers.lock().unwrap_or_else(|p| p.into_inner());
        answers
            .get(key)
            .filter(|(_, at)| at.elapsed() < PROJECTS_TTL)
            .map(|(allowed, _)| *allowed)
    }

    fn remember(&self, fresh: Vec<(UserProject, bool)>) {
        let mut answers = self.answers.lock().unwrap_or_else(|p| p.into_inner());
        answers.retain(|_, (_, at)| at.elapsed() < PROJECTS_TTL);
        let now = Instant::now();
        answers.extend(
            fresh
                .into_iter()
                .map(|(key, allowed)| (key, (allowed, now))),
        );
    }
}

pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<SignedIn>,
) -> Result<Json<Projects>, ApiError> {
    let may_list_namespaces = allowed(
        &user.client,
        &AccessCheck::cluster("list", "", "namespaces"),
    )
    .await?;
    if may_list_namespaces {
        let names = names(Api::all(user.client.clone())).await?;
        return Ok(Json(Projects { all: true, names }));
    }
    // Only the server may enumerate namespaces here; the user sees just the ones they may use.
    let identity =
        serde_json::to_string(&user.session.identity).expect("an identity always serialises");
    let every = names(Api::all(state.kube.clone())).await?;
    let checks = every.into_iter().map(|namespace| {
        let key = (identity.clone(), namespace);
        let cached = state.projects.get(&key);
        let client = user.client.clone();
        async move {
            let fresh = match cached {
                Some(_) => None,
                None => {
                    let check = AccessCheck::namespaced("list", "apps", "daemonsets", &key.1);
                    Some(allowed(&client, &check).await?)
                }
            };
            Ok::<_, ApiError>((key, cached, fresh))
        }
    });
    let answers: Vec<_> = stream::iter(checks)
        .buffered(8)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    let mut names = Vec::new();
    let mut fresh_answers = Vec::new();
    for (key, cached, fresh) in answers {
        if cached.or(fresh) == Some(true) {
            names.push(key.1.clone());
        }
        if let Some(allowed) = fresh {
            fresh_answers.push((key, allowed));
        }
    }
    state.projects.remember(fresh_answers);
    Ok(Json(Projects { all: false, names }))
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
