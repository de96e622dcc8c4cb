//! The nodes tab: the rollout node by node. Every node with whether it should run a pod and
//! does, the pod's revision and health, and for a node not yet updated, why; grouped by any
//! node label with counts per group. Live through the pods, nodes and revisions watches.

use std::collections::BTreeSet;

use console_model::{
    placement::Verdict,
    rollout::{NodeRollout, groups, in_group, label_keys, updatable},
};
use leptos::prelude::*;

use super::{
    owned::{LiveRollout, failure_or_nothing},
    rollout_words::describe_state,
    update_nodes::{UpdateNodesDialog, UpdateProgress, UpdateRun},
};
use crate::{
    components::{Column, ResourceTable},
    i18n::{Msg, use_i18n},
    time::age_of,
    watch::LiveState,
};

/// The label most clusters spread nodes by, offered first when the nodes have it.
const ZONE_LABEL: &str = "topology.kubernetes.io/zone";

#[component]
pub fn NodesTab(
    rollout: LiveRollout,
    run: UpdateRun,
    /// Whether the user may delete the pods (what updating a node now does).
    can_update: Signal<bool>,
    min_ready_seconds: Signal<i32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let LiveRollout {
        rows, nodes_state, ..
    } = rollout;
    let keys = Memo::new(move |_| rows.with(|rows| label_keys(rows)));
    // `None`: no grouping. Zone by default, once the nodes show they have one.
    let group_key = RwSignal::new(None::<String>);
    let grouping_chosen = RwSignal::new(false);
    Effect::new(move |_| {
        if !grouping_chosen.get() && keys.with(|keys| keys.iter().any(|key| key == ZONE_LABEL)) {
            group_key.set(Some(ZONE_LABEL.to_owned()));
        }
    });
    // `None`: every node; `Some(None)`: nodes without the label.
    let chosen_group = RwSignal::new(None::<Option<String>>);
    let shown = Memo::new(move |_| {
        let (key, value) = (group_key.get(), chosen_group.get());
        rows.with(|rows| match (key, value) {
            (Some(key), Some(value)) => rows
                .iter()
                .filter(|row| in_group(row, &key, value.as_deref()))
                .cloned()
                .collect(),
            _ => rows.clone(),
        })
    });
    let pick_key = move |ev| {
        let key = event_target_value(&ev);
        grouping_chosen.set(true);
        chosen_group.set(None);
        group_key.set((!key.is_empty()).then_some(key));
    };
    let group_bar = move || {
        let key = group_key.get()?;
        let all_pressed = chosen_group.with(Option::is_none);
        let chips = rows
            .with(|rows| groups(rows, &key))
            .into_iter()
            .map(|group| {
                let value = group.value.clone();
                let pressed = chosen_group.with(|chosen| chosen.as_ref() == Some(&value));
                let label = value
                    .clone()
                    .unwrap_or_else(|| i18n.t(Msg::NoLabel)().to_owned());
                let progress = group.progress;
                let counts = move || {
                    i18n.t(Msg::GroupCounts)()
                        .replace("{nodes}", &progress.nodes.to_string())
                        .replace("{current}", &progress.current.to_string())
                        .replace("{desired}", &progress.desired.to_string())
                        .replace("{available}", &progress.available.to_string())
                };
                let class = if progress.done() {
                    "group-chip done"
                } else {
                    "group-chip"
                };
                view! {
                    <button type="button" class=class aria-pressed=pressed.to_string()
                        on:click=move |_| chosen_group.set(Some(value.clone()))>
                        <strong>{label}</strong> <span class="counts">{counts}</span>
                    </button>
                }
            })
            .collect_view();
        Some(view! {
            <div class="group-bar" role="group">
                <button type="button" class="group-chip" aria-pressed=all_pressed.to_string()
                    on:click=move |_| chosen_group.set(None)>{i18n.t(Msg::AllNodes)}</button>
                {chips}
            </div>
        })
    };
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let confirming = RwSignal::new(false);
    let choose_shown =
        move |_| chosen.set(shown.with(|rows| updatable(rows)).into_iter().collect());
    let update_bar = move || {
        let count = chosen.with(BTreeSet::len);
        let running = run
            .update
            .with(|update| update.as_ref().is_some_and(|update| !update.stopped));
        view! {
            <button type="button" on:click=choose_shown>{i18n.t(Msg::ChooseOldShown)}</button>
            <button type="button" class="primary" disabled=count == 0 || running on:click=move |_| confirming.set(true)>
                {move || i18n.t(Msg::UpdateChosen)().replace("{count}", &count.to_string())}
            </button>
        }
    };
    let dialog = move || {
        confirming.get().then(|| {
            // In the order the table lists them.
            let nodes: Vec<String> = rows.with_untracked(|rows| {
                chosen.with_untracked(|chosen| rows.iter().filter(|row| chosen.contains(&row.node)).map(|row| row.node.clone()).collect())
            });
            let close = Callback::new(move |()| {
                confirming.set(false);
                chosen.set(BTreeSet::new());
            });
            view! { <UpdateNodesDialog nodes=nodes min_ready_seconds=min_ready_seconds.get_untracked() run=run on_close=close /> }
        })
    };
    let mut columns = columns();
    columns.insert(0, choose_column(chosen, can_update));
    let hidden = RwSignal::new(Vec::new());
    view! {
        {move || match nodes_state.get() {
            // Forbidden is not a failure here: the rollout falls back to the pods' nodes.
            LiveState::Failed(error) if error.summary() == Msg::ErrorForbidden => {
                view! { <p class="hold-banner">{i18n.t(Msg::NodesNotListed)}</p> }.into_any()
            }
            state => failure_or_nothing(state),
        }}
        <p class="hint">{i18n.t(Msg::NodesExplained)}</p>
        <UpdateProgress run=run rollout=rollout />
        <Show when=move || can_update.get()>
            <div class="toolbar update-bar">{update_bar}</div>
        </Show>
        {dialog}
        <div class="filters">
            <label class="inline">
                <span>{i18n.t(Msg::GroupBy)}</span>
                <select name="group-by" on:change=pick_key>
                    <option value="" selected=move || group_key.with(Option::is_none)>{i18n.t(Msg::NoGrouping)}</option>
                    {move || keys.get().into_iter().map(|key| {
                        let selected = group_key.with(|chosen| chosen.as_deref() == Some(key.as_str()));
                        view! { <option value=key.clone() selected=selected>{key.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
        </div>
        {group_bar}
        <ResourceTable rows=shown key=|row: &NodeRollout| row.node.clone() columns=columns empty=Msg::NoNodes hidden=hidden />
    }
}

/// A checkbox for each node with an old pod, when the user may update nodes.
fn choose_column(
    chosen: RwSignal<BTreeSet<String>>,
    can_update: Signal<bool>,
) -> Column<NodeRollout> {
    Column::live(
        Msg::ChooseNode,
        "col-flag",
        move |row: Memo<NodeRollout>| {
            let node = move || row.with(|row| row.node.clone());
            let old = move || row.with(NodeRollout::updatable);
            let toggle = move |_| {
                chosen.update(|chosen| {
                    if !chosen.remove(&node()) {
                        chosen.insert(node());
                    }
                })
            };
            view! {
            <Show when=move || can_update.get() && old()>
                <input type="checkbox" aria-label=node prop:checked=move || chosen.with(|chosen| chosen.contains(&node()))
                    on:change=toggle />
            </Show>
        }
        .into_any()
        },
    )
}

fn columns() -> Vec<Column<NodeRollout>> {
    type Row = NodeRollout;
    vec![
        Column::new(Msg::Node, "col-name", |row: &Row| {
            let cordoned = row
                .cordoned
                .then(|| view! { <span class="tag">{use_i18n().t(Msg::Cordoned)}</span> });
            let not_ready = (row.ready == Some(false))
                .then(|| view! { <span class="tag bad">{use_i18n().t(Msg::NotReady)}</span> });
            view! { <span class="name">{row.node.clone()}</span> {cordoned} {not_ready} }.into_any()
        })
        .sort_by(|row: &Row| row.node.clone()),
        Column::new(Msg::ShouldRun, "col-flag", |row: &Row| {
            yes_no(row.placement.should_run()).into_any()
        })
        .sort_by(|row: &Row| row.placement.should_run()),
        Column::new(Msg::RunsPod, "col-pod", |row: &Row| {
            let runs = matches!(row.placement, Verdict::Running | Verdict::Misscheduled);
            let name = row
                .pod
                .as_ref()
                .map(|pod| view! { <code class="pod-name">{pod.name.clone()}</code> });
            view! { {yes_no(runs)} {name} }.into_any()
        })
        .sort_by(|row: &Row| row.pod.as_ref().map(|pod| pod.name.clone())),
        Column::new(Msg::Reason, "col-reason", |row: &Row| {
            reason(&row.placement).into_any()
        }),
        Column::new(Msg::Revision, "col-revision", |row: &Row| {
            revision(row).into_any()
        })
        .sort_by(|row: &Row| row.pod.as_ref().map(|pod| pod.revision.number)),
        Column::new(Msg::ReadySince, "col-age", |row: &Row| {
            let since = row
                .pod
                .as_ref()
                .and_then(|pod| pod.ready_since.clone())
                .unwrap_or_default();
            view! { <span title=since.clone()>{age_of(&since)}</span> }.into_any()
        })
        .sort_by(|row: &Row| row.pod.as_ref().and_then(|pod| pod.ready_since.clone())),
        Column::new(Msg::Restarts, "col-number", |row: &Row| {
            row.pod
                .as_ref()
                .map(|pod| pod.restarts.to_string())
                .unwrap_or_default()
                .into_any()
        })
        .sort_by(|row: &Row| row.pod.as_ref().map(|pod| pod.restarts)),
        Column::new(Msg::LastTermination, "col-termination", |row: &Row| {
            let Some(termination) = row
                .pod
                .as_ref()
                .and_then(|pod| pod.last_termination.clone())
            else {
                return ().into_any();
            };
            let class = if termination.is_oom() {
                "termination oom"
            } else {
                "termination"
            };
            let exit = termination
                .exit_code
                .map(|code| format!(" ({code})"))
                .unwrap_or_default();
            view! { <span class=class title=termination.container.clone()>{termination.reason.clone()}{exit}</span> }.into_any()
        }),
        Column::new(Msg::ColumnRollout, "col-rollout", |row: &Row| {
            let state = row.state.clone();
            (move || {
                describe_state(&state, use_i18n().lang.get())
                    .map(|(class, text)| view! { <span class=class>{text}</span> })
            })
            .into_any()
        }),
    ]
}

fn revision(row: &NodeRollout) -> Option<AnyView> {
    let i18n = use_i18n();
    let pod = row.pod.as_ref()?;
    let revision = pod.revision.clone();
    Some(match revision.number {
        Some(number) => {
            let (class, tag) = if revision.current {
                ("revision current", Msg::CurrentRevision)
            } else {
                ("revision old", Msg::OldRevision)
            };
            view! { <span class=class>{format!("#{number}")} " " <span class="tag">{i18n.t(tag)}</span></span> }.into_any()
        }
        None => view! { <span class="revision old" title=revision.hash>{i18n.t(Msg::PrunedRevision)}</span> }.into_any(),
    })
}

fn yes_no(value: bool) -> impl IntoView {
    let i18n = use_i18n();
    if value {
        view! { <span class="yes">{i18n.t(Msg::Yes)}</span> }.into_any()
    } else {
        view! { <span class="no">{i18n.t(Msg::No)}</span> }.into_any()
    }
}

fn reason(verdict: &Verdict) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let (message, detail) = match verdict {
        Verdict::Running => (Msg::ReasonRunning, String::new()),
        Verdict::Pending { reason } => (Msg::ReasonPending, reason.clone()),
        Verdict::Missing => (Msg::ReasonMissing, String::new()),
        Verdict::SelectorMismatch { unmet } => (Msg::ReasonSelector, unmet.join(", ")),
        Verdict::UntoleratedTaint { taint } => (Msg::ReasonTaint, taint.clone()),
        Verdict::Misscheduled => (Msg::ReasonMisscheduled, String::new()),
    };
    let class = match verdict {
        Verdict::Running => "reason ok",
        Verdict::SelectorMismatch { .. } | Verdict::UntoleratedTaint { .. } => "reason excluded",
        _ => "reason bad",
    };
    view! {
        <span class=class>{i18n.t(message)}</span>
        {(!detail.is_empty()).then(|| view! { " " <code class="chip">{detail}</code> })}
    }
}
