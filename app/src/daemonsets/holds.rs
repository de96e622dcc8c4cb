//! Holding a DaemonSet without deleting it: pause and resume its rollout, stop and start it.
//! Each is one merge patch built by the model (the record is kept on the DaemonSet, so every
//! user and tab sees it); the dialog says plainly which nodes it affects before it is sent.

use console_model::{
    k8s::DaemonSet,
    rollout::{
        CanaryRecord, NodeRollout, NodeState, PauseRecord, StopRecord, nodes_after_start,
        pause_patch, resume_patch, start_patch, stop_patch,
    },
};
use leptos::prelude::*;

use super::{
    actions::{PatchKind, daemonset_path, now_rfc3339, run, send_patch},
    overview::describe_strategy,
    owned::LiveRollout,
};
use crate::{
    api::ApiError,
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
        // A canary's pause is carried on (or ended) from its own panel.
        let in_canary = CanaryRecord::of(daemonset).is_some();
        if console_model::rollout::can_pause(daemonset) && !in_canary {
            holds.push(Hold::Pause);
        }
        if PauseRecord::of(daemonset).is_some() && !in_canary {
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
    let by = use_session().username();
    let path = daemonset_path(&daemonset.metadata.namespace, &daemonset.metadata.name);
    let patch = hold.patch(&daemonset, &by);
    let confirm = Callback::new(move |()| {
        let (path, patch) = (path.clone(), patch.clone());
        run(
            pending,
            error,
            send_patch(path, patch, PatchKind::Merge),
            on_close,
        );
    });
    let (explained, detail) = match hold {
        Hold::Pause => (Msg::PauseExplained, None),
        Hold::Resume => (
            Msg::ResumeExplained,
            PauseRecord::of(&daemonset).map(|record| describe_strategy(&record.strategy)),
        ),
        Hold::Stop => (Msg::StopExplained, None),
        Hold::Start => (
            Msg::StartExplained,
            StopRecord::of(&daemonset).map(|record| {
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
            }),
        ),
    };
    // The nodes follow the live rollout, so a dialog opened before it has loaded fills in.
    let affected = move || -> Vec<String> {
        let rows = rollout.rows.get();
        let names = |keep: fn(&NodeRollout) -> bool| {
            rows.iter()
                .filter(|row| keep(row))
                .map(|row| row.node.clone())
                .collect()
        };
        match hold {
            Hold::Pause | Hold::Resume => names(|row| matches!(row.state, NodeState::Waiting(_))),
            Hold::Stop => names(|row| row.pod.is_some()),
            Hold::Start => rollout
                .nodes
                .with(|nodes| nodes_after_start(&daemonset, nodes)),
        }
    };
    let heading = move |nodes: &[String]| match hold {
        Hold::Pause if nodes.is_empty() => Msg::PauseNoNodes,
        Hold::Pause => Msg::PauseNodes,
        Hold::Resume => Msg::ResumeNodes,
        Hold::Stop => Msg::StopNodes,
        Hold::Start => Msg::StartNodes,
    };
    let node_list = move || {
        let nodes = affected();
        let items = nodes
            .iter()
            .map(|node| view! { <li><code>{node.clone()}</code></li> })
            .collect_view();
        view! {
            <p><strong>{i18n.t(heading(&nodes))}</strong></p>
            <ul class="affected-nodes">{items}</ul>
        }
    };
    let danger = hold == Hold::Stop;
    view! {
        <Dialog title=hold.label() confirm=hold.label() ready=Signal::derive(|| true) danger=danger
            pending=pending.into() error=error.into() on_confirm=confirm on_cancel=on_close>
            <p>{i18n.t(explained)} {detail.map(|detail| view! { " " <code class="chip">{detail}</code> })}</p>
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
