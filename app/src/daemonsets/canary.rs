//! The canary by node label: in edit YAML, the choice of the nodes a change goes to first; on the
//! DaemonSet page, the panel that shows the plan to everyone (it lives in an annotation) and
//! carries it on: update the canary nodes, continue to the rest, or roll back. Each step is
//! confirmed with the nodes it touches; the model builds every object and patch.

use console_model::{
    k8s::{ControllerRevision, DaemonSet},
    rollout::{
        CanaryPhase, CanaryRecord, NoCanary, NodeUpdate, can_canary, canary_object, continue_patch,
        groups, label_keys, nodes_with_label, rollback_patch,
    },
};
use leptos::prelude::*;
use serde_json::Value;

use super::{
    actions::{PatchKind, daemonset_path, now_rfc3339, run, send_patch},
    owned::LiveRollout,
    update_nodes::UpdateRun,
};
use crate::{
    api::ApiError,
    components::Dialog,
    i18n::{Msg, use_i18n},
    time::age_of,
};

/// What edit YAML needs to offer a canary: the page's rollout, and where to ask for the canary
/// nodes to be updated once the controller has made the new revision.
#[derive(Clone, Copy)]
pub struct CanaryOffer {
    pub rollout: LiveRollout,
    /// Set when a canary is applied: the panel starts the update once the controller has made
    /// the new revision.
    pub start_pending: RwSignal<bool>,
    /// Whether the user may patch the DaemonSet and delete its pods.
    pub allowed: Signal<bool>,
}

/// The nodes chosen to go first.
#[derive(Clone, Debug, PartialEq)]
pub struct CanaryPick {
    pub label: String,
    pub value: String,
    pub at_a_time: usize,
}

impl CanaryOffer {
    /// `edited` made into a canary of `pick`, with the record naming `by` and now.
    pub fn object(&self, edited: Value, pick: &CanaryPick, by: String) -> Value {
        let from_revision = self.rollout.newest_revision();
        let record = CanaryRecord {
            by,
            at: now_rfc3339(),
            label: pick.label.clone(),
            value: pick.value.clone(),
            at_a_time: pick.at_a_time,
            from_revision,
            phase: CanaryPhase::Canary,
            rolled_back_from: None,
        };
        canary_object(edited, &record)
    }
}

/// In edit YAML's review: "roll out to some nodes first", a node label and value, how many at a
/// time, and the nodes that makes the canary. Explains plainly when a canary is not possible.
#[component]
pub fn CanaryChoice(
    offer: CanaryOffer,
    /// The DaemonSet as the edit started from, and as edited.
    current: Value,
    edited: Value,
    pick: RwSignal<Option<CanaryPick>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = offer.rollout.rows;
    let possible = match (
        serde_json::from_value::<DaemonSet>(current),
        serde_json::from_value::<DaemonSet>(edited),
    ) {
        (Ok(current), Ok(edited)) => can_canary(&current, &edited),
        _ => Err(NoCanary::Held),
    };
    if let Err(why) = possible {
        let reason = match why {
            NoCanary::OnDelete => Msg::CanaryNotOnDelete,
            NoCanary::Held => Msg::CanaryHeld,
            NoCanary::TemplateUnchanged => Msg::CanaryTemplateUnchanged,
        };
        return view! { <p class="muted canary-choice">{i18n.t(reason)}</p> }.into_any();
    }
    let keys = Memo::new(move |_| rows.with(|rows| label_keys(rows)));
    let enabled = RwSignal::new(false);
    let label = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let at_a_time = RwSignal::new(1usize);
    // The zone first when nodes have one, else the first label; its first value.
    Effect::new(move |_| {
        if label.with(String::is_empty) {
            let keys = keys.get();
            let zone = keys
                .iter()
                .find(|key| key.as_str() == "topology.kubernetes.io/zone");
            if let Some(key) = zone.or(keys.first()) {
                label.set(key.clone());
            }
        }
    });
    let values = Memo::new(move |_| {
        let key = label.get();
        rows.with(|rows| groups(rows, &key))
            .into_iter()
            .filter_map(|group| group.value)
            .collect::<Vec<_>>()
    });
    Effect::new(move |_| {
        let values = values.get();
        if !values.contains(&value.get_untracked()) {
            value.set(values.first().cloned().unwrap_or_default());
        }
    });
    Effect::new(move |_| {
        let chosen = enabled.get() && !value.with(String::is_empty);
        pick.set(chosen.then(|| CanaryPick {
            label: label.get(),
            value: value.get(),
            at_a_time: at_a_time.get(),
        }));
    });
    let nodes = move || {
        let pick = pick.get()?;
        let nodes = rows.with(|rows| nodes_with_label(rows, &pick.label, &pick.value));
        let heading = i18n.t(Msg::CanaryNodes)().replace("{count}", &nodes.len().to_string());
        Some(view! {
            <p>{heading}</p>
            <ul class="affected-nodes">{nodes.into_iter().map(|node| view! { <li><code>{node}</code></li> }).collect_view()}</ul>
        })
    };
    view! {
        <fieldset class="canary-choice" disabled=move || !offer.allowed.get()>
            <label class="inline">
                <input type="checkbox" name="canary" prop:checked=move || enabled.get()
                    on:change=move |ev| enabled.set(event_target_checked(&ev)) />
                <span>{i18n.t(Msg::CanaryFirst)}</span>
            </label>
            <Show when=move || enabled.get()>
                <div class="filters">
                    <label class="inline">
                        <span>{i18n.t(Msg::CanaryLabel)}</span>
                        <select name="canary-label" on:change=move |ev| label.set(event_target_value(&ev))>
                            {move || keys.get().into_iter().map(|key| {
                                let selected = label.with(|label| *label == key);
                                view! { <option value=key.clone() selected=selected>{key.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="inline">
                        <span>"="</span>
                        <select name="canary-value" aria-label=i18n.t(Msg::CanaryValue) on:change=move |ev| value.set(event_target_value(&ev))>
                            {move || values.get().into_iter().map(|one| {
                                let selected = value.with(|value| *value == one);
                                view! { <option value=one.clone() selected=selected>{one.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="inline">
                        <span>{i18n.t(Msg::AtATime)}</span>
                        <input name="canary-at-a-time" type="number" min="1" prop:value=move || at_a_time.get().to_string()
                            on:input=move |ev| at_a_time.set(event_target_value(&ev).parse().unwrap_or(1).max(1)) />
                    </label>
                </div>
                {nodes}
            </Show>
        </fieldset>
    }
    .into_any()
}

/// The revision the canary moves from, while the controller still keeps it.
fn previous_revision(rollout: LiveRollout, record: &CanaryRecord) -> Option<ControllerRevision> {
    rollout.revisions.with_untracked(|revisions| {
        revisions
            .iter()
            .find(|r| r.revision == record.from_revision)
            .cloned()
    })
}

/// The step a user confirms in the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Continue,
    RollBack,
    Finish,
}

/// The canary on the DaemonSet page, for everyone who opens it: the plan, how far the canary
/// nodes are, and the steps that carry it on. Also starts the update of the canary nodes that
/// this page asked for, once the controller has made the revision to update them to.
#[component]
pub fn CanaryPanel(
    daemonset: Memo<Option<DaemonSet>>,
    rollout: LiveRollout,
    updates: UpdateRun,
    start_pending: RwSignal<bool>,
    allowed: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let record = Memo::new(move |_| daemonset.with(|ds| ds.as_ref().and_then(CanaryRecord::of)));
    // The rows are about the revision this phase moves to only once the controller has made it.
    let fresh = Memo::new(move |_| {
        let basis = rollout.basis.get();
        basis.generation_observed
            && record.with(|record| {
                record
                    .as_ref()
                    .is_some_and(|r| r.revision_made(basis.newest_revision))
            })
    });
    let update_canary_nodes = move || {
        let Some(record) = record.get_untracked() else {
            return;
        };
        let nodes = rollout.rows.with_untracked(|rows| record.nodes(rows));
        updates.error.set(None);
        updates
            .update
            .set(Some(NodeUpdate::new(nodes, record.at_a_time)));
    };
    Effect::new(move |_| {
        if start_pending.get() && fresh.get() {
            start_pending.set(false);
            update_canary_nodes();
        }
    });
    let step = RwSignal::new(None::<Step>);
    let panel = move || {
        let record = record.get()?;
        let progress = rollout.rows.with(|rows| record.progress(rows));
        let fresh = fresh.get();
        let running = updates.update.with(|update| {
            update
                .as_ref()
                .is_some_and(|u| !u.stopped && !rollout.rows.with(|rows| u.finished(rows)))
        });
        let lang = i18n.lang.get();
        let (title, explained) = match record.phase {
            CanaryPhase::Canary => (Msg::CanaryTitle, Msg::CanaryExplained),
            CanaryPhase::RollingBack => {
                (Msg::CanaryRollingBackTitle, Msg::CanaryRollingBackExplained)
            }
        };
        let fill = |text: &str| {
            text.replace("{selector}", &format!("{}={}", record.label, record.value))
                .replace("{by}", &record.by)
                .replace("{age}", &age_of(&record.at))
                .replace("{from}", &format!("#{}", record.from_revision))
                .replace("{current}", &progress.current.to_string())
                .replace("{available}", &progress.available.to_string())
                .replace("{total}", &progress.desired.to_string())
        };
        let idle = (fresh && !running && !progress.done()).then(|| {
            view! {
                <p class="muted">{Msg::CanaryIdle.text(lang)}</p>
            }
        });
        let counts = if fresh {
            view! {
                <p class="rollout-counts">{fill(Msg::CanaryProgress.text(lang))}</p>
                <progress max=progress.desired.to_string() value=progress.current.to_string()></progress>
            }.into_any()
        } else {
            view! { <p class="rollout-counts">{Msg::CanaryWaitingForRevision.text(lang)}</p> }
                .into_any()
        };
        let progress_done = fresh && progress.done();
        let buttons = allowed.get().then(|| {
            let update = (fresh && !running && !progress.done()).then(|| view! {
                <button type="button" class="primary" on:click=move |_| update_canary_nodes()>{i18n.t(Msg::UpdateCanaryNodes)}</button>
            });
            let steps = match record.phase {
                CanaryPhase::Canary => {
                    let roll_back = previous_revision(rollout, &record).map_or_else(
                        || view! { <span class="muted">{i18n.t(Msg::CanaryRevisionGone)}</span> }.into_any(),
                        |_| view! {
                            <button type="button" class="danger" on:click=move |_| step.set(Some(Step::RollBack))>{i18n.t(Msg::RollBackCanary)}</button>
                        }.into_any(),
                    );
                    view! {
                        <button type="button" on:click=move |_| step.set(Some(Step::Continue))>{i18n.t(Msg::ContinueCanary)}</button>
                        {roll_back}
                    }.into_any()
                }
                CanaryPhase::RollingBack => progress_done.then(|| view! {
                    <button type="button" class="primary" on:click=move |_| step.set(Some(Step::Finish))>{i18n.t(Msg::FinishRollBack)}</button>
                }).into_any(),
            };
            view! { <div class="toolbar">{update} {steps}</div> }
        });
        Some(view! {
            <section class="rollout-panel canary-panel" aria-label=fill(title.text(lang))>
                <h2>{fill(title.text(lang))}</h2>
                <p>{fill(explained.text(lang))}</p>
                {counts}
                {idle}
                {buttons}
            </section>
        })
    };
    // Outside the panel, which is drawn again at every change of the rollout.
    let dialog = move || {
        step.get().map(|which| view! {
        <CanaryStepDialog step=which daemonset=daemonset rollout=rollout updates=updates start_pending=start_pending
            on_close=Callback::new(move |()| step.set(None)) />
    })
    };
    view! { {panel} {dialog} }
}

/// Confirms continue, roll back or finish, naming the nodes each touches, and sends its patch.
#[component]
fn CanaryStepDialog(
    step: Step,
    daemonset: Memo<Option<DaemonSet>>,
    rollout: LiveRollout,
    updates: UpdateRun,
    start_pending: RwSignal<bool>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (pending, error) = (RwSignal::new(false), RwSignal::new(None::<ApiError>));
    let confirm = Callback::new(move |()| {
        let Some(ds) = daemonset.get_untracked() else {
            return;
        };
        let path = daemonset_path(&ds.metadata.namespace, &ds.metadata.name);
        match step {
            Step::Continue | Step::Finish => {
                let patch = continue_patch(&ds);
                run(
                    pending,
                    error,
                    send_patch(path, patch, PatchKind::Merge),
                    on_close,
                );
            }
            Step::RollBack => {
                let newest = rollout.newest_revision();
                let patch = CanaryRecord::of(&ds)
                    .and_then(|record| previous_revision(rollout, &record))
                    .and_then(|from| rollback_patch(&ds, &from, newest));
                // The canary nodes go back once the controller has the restored template.
                let done = Callback::new(move |()| {
                    updates.update.set(None);
                    start_pending.set(true);
                    on_close.run(());
                });
                run(
                    pending,
                    error,
                    send_patch(path, patch, PatchKind::Strategic),
                    done,
                );
            }
        }
    });
    let (title, explained) = match step {
        Step::Continue => (Msg::ContinueCanary, Msg::ContinueCanaryExplained),
        Step::RollBack => (Msg::RollBackCanary, Msg::RollBackCanaryExplained),
        Step::Finish => (Msg::FinishRollBack, Msg::FinishRollBackExplained),
    };
    let nodes = move || {
        let record = daemonset.with(|ds| ds.as_ref().and_then(CanaryRecord::of))?;
        let nodes = rollout.rows.with(|rows| match step {
            Step::Continue => record.remaining_nodes(rows),
            Step::RollBack | Step::Finish => record.nodes(rows),
        });
        let from = format!("#{}", record.from_revision);
        Some(view! {
            <p>{move || i18n.t(explained)().replace("{from}", &from)}</p>
            <ul class="affected-nodes">{nodes.into_iter().map(|node| view! { <li><code>{node}</code></li> }).collect_view()}</ul>
        })
    };
    view! {
        <Dialog title=title confirm=title ready=Signal::derive(|| true) danger=step == Step::RollBack
            pending=pending.into() error=error.into() on_confirm=confirm on_cancel=on_close>
            {nodes}
        </Dialog>
    }
}
