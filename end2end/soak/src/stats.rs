//! What the run counts: requests and their outcomes by kind, and what each fault cost.

use console_model::wire::{ErrorBody, Reason};
use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

/// How a request ended, as the report groups it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Ok,
    /// 4xx: expected for the bad requests, a finding anywhere else.
    Refused(u16),
    /// 5xx from the console.
    Failed(u16),
    /// 5xx saying the apiserver cannot be reached (it is restarting): true, and counted apart.
    Unreachable(u16),
    /// No answer: the connection was refused or dropped.
    Network,
}

impl Outcome {
    /// An error answer's outcome: a 5xx whose body says the apiserver cannot be reached is told
    /// apart from the console's own failures.
    pub fn of_error(status: u16, body: &[u8]) -> Outcome {
        let reason = serde_json::from_slice::<ErrorBody>(body).map(|body| body.reason);
        match Outcome::of_status(status) {
            Outcome::Failed(status) if reason.is_ok_and(|reason| reason == Reason::Unreachable) => {
                Outcome::Unreachable(status)
            }
            outcome => outcome,
        }
    }

    pub fn of_status(status: u16) -> Outcome {
        match status {
            200..=399 => Outcome::Ok,
            400..=499 => Outcome::Refused(status),
            _ => Outcome::Failed(status),
        }
    }
}

/// The outcome of an answer that is not a success, read from its error body.
pub async fn failure(response: reqwest::Response) -> Outcome {
    let status = response.status().as_u16();
    let body = response.bytes().await.unwrap_or_default();
    Outcome::of_error(status, &body)
}

/// Counters shared by every task.
#[derive(Clone, Default)]
pub struct Stats(Arc<Mutex<BTreeMap<(&'static str, Outcome), u64>>>);

impl Stats {
    pub fn count(&self, kind: &'static str, outcome: Outcome) {
        let mut counts = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *counts.entry((kind, outcome)).or_default() += 1;
    }

    pub fn snapshot(&self) -> BTreeMap<(&'static str, Outcome), u64> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// 5xx answers of the console, of any kind.
    pub fn server_errors(&self) -> u64 {
        self.snapshot()
            .iter()
            .filter(|((_, outcome), _)| matches!(outcome, Outcome::Failed(_)))
            .map(|(_, count)| count)
            .sum()
    }
}
