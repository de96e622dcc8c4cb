//! Holding a DaemonSet without deleting it: pause and resume its rollout, stop and start it.
//! Each is one merge patch built by the model (the record is kept on the DaemonSet, so every
//! user and tab sees it); the dialog says plainly which nodes it affects before it is sent.

use console_model::{
    k8s::DaemonSet,
    rollout::{
        NodeState, PauseRecord, StopRecord, nodes_after_start, pause_patch, resume_patch,
        start_patch, stop_patch,
    },
};
use leptos::prelude::*;

use super::{
    actions::{daemonset_path, now_rfc3339, run},
    overview::describe_strategy,
    owned::LiveRollout,
};
use crate::{
    api::{self, ApiError},
    components::Dialog,
    i18n::{Msg, use_i18n},
    session::use_session,
    time::age_of,
};

/// The four holds, each offered only where it applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    Pause,
    Resume,
    Stop,
    Start,
}

impl Hold {
    /// The holds `daemonset` offers now.
    pub fn offered(daemonset: &DaemonSet) -> Vec<Hold> {
        let stopped = StopRecord::of(daemonset).is_some();
        let mut holds = Vec::new();
        if console_model::rollout::can_pause(daemonset) {
            holds.push(Hold::Pause);
        }
        if PauseRecord::of(daemonset).is_some() {
            holds.push(Hold::Resume);
        }
        holds.push(if stopped { Hold::Start } else { Hold::Stop });
        holds
    }

    pub fn label(self) -> Msg {
        match self {
            Hold::Pause => Msg::PauseRollout,
            Hold::Resume => Msg::ResumeRollout,
            Hold::Stop => Msg::StopDaemonSet,
            Hold::Start => Msg::StartDaemonSet,
        }
    }

    /// The patch, as the model builds it from the DaemonSet as read.
    fn patch(self, daemonset: &DaemonSet, by: &str) -> Option<serde_json::Value> {
        match self {
            Hold::Pause => Some(pause_patch(daemonset, by, &now_rfc3339())),
            Hold::Resume => resume_patch(daemonset),
            Hold::Stop => Some(stop_patch(daemonset, by, &now_rfc3339())),
            Hold::Start => start_patch(daemonset),
        }
    }
}

/// Confirms a hold, naming the nodes it affects, and sends it.
#[component]
pub fn HoldDialog(
    hold: Hold,
    daemonset: DaemonSet,
    rollout: LiveRollout,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (pending, error) = (RwSignal::new(false), RwSignal::new(None::<ApiError>));
    let by = use_session()
        .user()
        .map(|user| user.username)
        .unwrap_or_default();
    let path = daemonset_path(&daemonset.metadata.namespace, &daemonset.metadata.name);
    let patch = hold.patch(&daemonset, &by);
    let confirm = Callback::new(move |()| {
        let (path, patch) = (path.clone(), patch.clone());
        run(
            pending,
            error,
            async move {
                match patch {
                    Some(patch) => api::merge_patch(&path, &patch).await,
                    None => Ok(()),
                }
            },
            on_close,
        );
    });
    let rows = rollout.rows.get_untracked();
    let names = |keep: fn(&NodeState) -> bool| -> Vec<String> {
        rows.iter()
            .filter(|row| keep(&row.state))
            .map(|row| row.node.clone())
            .collect()
    };
    let (explained, detail, nodes_heading, nodes) = match hold {
        Hold::Pause => {
            let waiting = names(|state| matches!(state, NodeState::Waiting(_)));
            let heading = if waiting.is_empty() {
                Msg::PauseNoNodes
            } else {
                Msg::PauseNodes
            };
            (Msg::PauseExplained, None, heading, waiting)
        }
        Hold::Resume => {
            let strategy =
                PauseRecord::of(&daemonset).map(|record| describe_strategy(&record.strategy));
            let waiting = names(|state| matches!(state, NodeState::Waiting(_)));
            (Msg::ResumeExplained, strategy, Msg::ResumeNodes, waiting)
        }
        Hold::Stop => {
            let running = rows
                .iter()
                .filter(|row| row.pod.is_some())
                .map(|row| row.node.clone())
                .collect();
            (Msg::StopExplained, None, Msg::StopNodes, running)
        }
        Hold::Start => {
            let selector = StopRecord::of(&daemonset).map(|record| {
                let pairs: Vec<String> = record
                    .node_selector
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                if pairs.is_empty() {
                    i18n.t(Msg::AnyNode)().to_owned()
                } else {
                    pairs.join(", ")
                }
            });
            let admitted = rollout
                .nodes
                .with_untracked(|nodes| nodes_after_start(&daemonset, nodes));
            (Msg::StartExplained, selector, Msg::StartNodes, admitted)
        }
    };
    let node_list = (!nodes.is_empty()).then(|| {
        view! { <ul class="affected-nodes">{nodes.into_iter().map(|node| view! { <li><code>{node}</code></li> }).collect_view()}</ul> }
    });
    let danger = hold == Hold::Stop;
    view! {
        <Dialog title=hold.label() confirm=hold.label() ready=Signal::derive(|| true) danger=danger
            pending=pending.into() error=error.into() on_confirm=confirm on_cancel=on_close>
            <p>{i18n.t(explained)} {detail.map(|detail| view! { " " <code class="chip">{detail}</code> })}</p>
            <p><strong>{i18n.t(nodes_heading)}</strong></p>
            {node_list}
        </Dialog>
    }
}

/// What everyone who opens the DaemonSet sees while it is paused or stopped: by whom, since when.
#[component]
pub fn HoldBanner(daemonset: DaemonSet) -> impl IntoView {
    let i18n = use_i18n();
    let banner = |message: Msg, by: String, at: String| {
        let text = move || {
            i18n.t(message)()
                .replace("{by}", &by)
                .replace("{at}", &at)
                .replace("{age}", &age_of(&at))
        };
        view! { <p class="hold-banner" role="status">{text}</p> }
    };
    let paused =
        PauseRecord::of(&daemonset).map(|record| banner(Msg::PausedBanner, record.by, record.at));
    let stopped =
        StopRecord::of(&daemonset).map(|record| banner(Msg::StoppedBanner, record.by, record.at));
    view! { {paused} {stopped} }
}
