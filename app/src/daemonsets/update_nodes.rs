//! Updating chosen nodes now: the confirmation, the runner that deletes each old pod when the
//! model's [`NodeUpdate`] says so (the controller creates the new one), and its live progress
//! with a stop button. The runner lives with the page, so switching tabs does not end it.

use console_model::rollout::{NodeUpdate, NodeUpdateState};
use leptos::prelude::*;

use super::owned::LiveRollout;
use crate::{
    api::{self, ApiError, Propagation},
    components::Dialog,
    i18n::{Msg, use_i18n},
};

/// One update of chosen nodes under way (or just finished), and how its last deletion went.
#[derive(Clone, Copy)]
pub struct UpdateRun {
    pub update: RwSignal<Option<NodeUpdate>>,
    pub error: RwSignal<Option<ApiError>>,
}

impl UpdateRun {
    /// Starts nothing; [`UpdateRun::drive`] acts once an update is set.
    pub fn new() -> Self {
        UpdateRun {
            update: RwSignal::new(None),
            error: RwSignal::new(None),
        }
    }

    /// Deletes what the update names whenever the rollout changes, in `namespace`.
    pub fn drive(self, rollout: LiveRollout, namespace: String) {
        Effect::new(move |_| {
            // Runs when an update starts or is stopped, and at every change of the rollout.
            self.update.track();
            let rows = rollout.rows.get();
            let mut pods = Vec::new();
            self.update.maybe_update(|update| {
                let Some(update) = update.as_mut() else {
                    return false;
                };
                pods = update.step(&rows);
                !pods.is_empty()
            });
            for pod in pods {
                let path = format!("/api/v1/namespaces/{namespace}/pods/{pod}");
                leptos::task::spawn_local(async move {
                    if let Err(error) = api::delete(&path, Propagation::Background).await {
                        self.error.set(Some(error));
                        self.update.update(|update| {
                            if let Some(update) = update {
                                update.stopped = true;
                            }
                        });
                    }
                });
            }
        });
    }
}

/// Confirms which nodes are updated and how many at a time, then starts the run.
#[component]
pub fn UpdateNodesDialog(
    nodes: Vec<String>,
    min_ready_seconds: i32,
    run: UpdateRun,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let at_a_time = RwSignal::new(1usize);
    let chosen = nodes.clone();
    let confirm = Callback::new(move |()| {
        run.error.set(None);
        run.update
            .set(Some(NodeUpdate::new(chosen.clone(), at_a_time.get())));
        on_close.run(());
    });
    let explained = move || {
        i18n.t(Msg::UpdateNodesExplained)()
            .replace("{count}", &at_a_time.get().to_string())
            .replace("{seconds}", &min_ready_seconds.to_string())
    };
    view! {
        <Dialog title=Msg::UpdateNodesNow confirm=Msg::UpdateNodesNow ready=Signal::derive(|| true)
            pending=Signal::derive(|| false) error=Signal::derive(|| None) on_confirm=confirm on_cancel=on_close>
            <p>{explained}</p>
            <label class="inline">
                <span>{i18n.t(Msg::AtATime)}</span>
                <input name="at-a-time" type="number" min="1" max=nodes.len().to_string() prop:value=move || at_a_time.get().to_string()
                    on:input=move |ev| at_a_time.set(event_target_value(&ev).parse().unwrap_or(1).max(1)) />
            </label>
            <ul class="affected-nodes">{nodes.into_iter().map(|node| view! { <li><code>{node}</code></li> }).collect_view()}</ul>
        </Dialog>
    }
}

/// The run's progress, node by node, with a stop button while it goes.
#[component]
pub fn UpdateProgress(run: UpdateRun, rollout: LiveRollout) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let update = run.update.get()?;
        let states = rollout.rows.with(|rows| update.states(rows));
        let done = states
            .iter()
            .filter(|(_, state)| *state == NodeUpdateState::Done)
            .count();
        let finished = done == states.len();
        let heading = i18n.t(if finished {
            Msg::UpdateFinished
        } else if update.stopped {
            Msg::UpdateStopped
        } else {
            Msg::UpdatingNodes
        })()
        .replace("{done}", &done.to_string())
        .replace("{total}", &states.len().to_string());
        let items = states
            .into_iter()
            .map(|(node, state)| {
                let (class, word) = match state {
                    NodeUpdateState::Done => ("rollout ok", Msg::UpdateNodeDone),
                    NodeUpdateState::InFlight => ("rollout moving", Msg::UpdateNodeInFlight),
                    NodeUpdateState::Queued => ("rollout waiting", Msg::UpdateNodeQueued),
                };
                view! { <li><code>{node}</code> " " <span class=class>{i18n.t(word)}</span></li> }
            })
            .collect_view();
        let error = run.error.get().map(|error| view! { <p class="form-problem" title=error.detail()>{i18n.t(error.summary())}</p> });
        let button = if finished || update.stopped {
            view! { <button type="button" on:click=move |_| run.update.set(None)>{i18n.t(Msg::Dismiss)}</button> }.into_any()
        } else {
            let stop = move |_| {
                run.update.update(|update| {
                    if let Some(update) = update {
                        update.stopped = true
                    }
                })
            };
            view! { <button type="button" class="danger" on:click=stop>{i18n.t(Msg::StopUpdating)}</button> }.into_any()
        };
        Some(view! {
            <section class="update-progress" role="status">
                <p><strong>{heading}</strong> " " {button}</p>
                <ul class="affected-nodes">{items}</ul>
                {error}
            </section>
        })
    }
}
