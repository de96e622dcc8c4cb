//! The create itself: a server-side dry run of every document first, then the new claims, then
//! the DaemonSet. If the DaemonSet is refused after its claims were made, the claims are
//! deleted again, so a second try starts from the same place.

use console_model::document::{Draft, NewObject, Subject, WriteError};
use serde_json::Value;

use super::problems::{Refusal, refusals};
use crate::api::{self, ApiError, Propagation};

/// Why nothing was created.
#[derive(Clone, Debug)]
pub enum Failure {
    /// YAML that JSON cannot carry (e.g. a list as a mapping key).
    NotJson(WriteError),
    /// The apiserver refused a document (`object`, as sent), at the dry run or for real.
    Refused {
        subject: Subject,
        object: Box<Value>,
        error: ApiError,
    },
}

impl Failure {
    /// The fields the apiserver named.
    pub fn refusals(&self) -> Vec<Refusal> {
        match self {
            Failure::NotJson(_) => Vec::new(),
            Failure::Refused {
                subject,
                object,
                error,
            } => refusals(*subject, error, object),
        }
    }
}

/// Creates everything; returns the DaemonSet's project and name.
pub async fn create_all(draft: &Draft) -> Result<(String, String), Failure> {
    let objects = draft.objects_to_create().map_err(Failure::NotJson)?;
    let (daemon_set, claims) = objects
        .split_last()
        .expect("a draft always holds a DaemonSet, sent last");
    for object in &objects {
        send(object, true).await?;
    }
    // Claims before the DaemonSet, so its pods find them.
    let mut made = Vec::new();
    for claim in claims {
        if let Err(failure) = send(claim, false).await {
            undo(made).await;
            return Err(failure);
        }
        made.push(format!("{}/{}", claim.collection, claim.name));
    }
    if let Err(failure) = send(daemon_set, false).await {
        undo(made).await;
        return Err(failure);
    }
    Ok((daemon_set.namespace.clone(), daemon_set.name.clone()))
}

/// Deletes the claims made for a DaemonSet that was then refused. Best effort: a claim that
/// cannot be deleted shows up in the project anyway.
async fn undo(made: Vec<String>) {
    for claim in made {
        let _ = api::delete(&claim, Propagation::PodsFirst).await;
    }
}

async fn send(target: &NewObject, dry_run: bool) -> Result<(), Failure> {
    api::create(&target.collection, &target.object, dry_run)
        .await
        .map(drop)
        .map_err(|error| Failure::Refused {
            subject: target.subject,
            object: Box::new(target.object.clone()),
            error,
        })
}
