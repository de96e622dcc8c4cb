//! One DaemonSet: overview, actions, and tabs for its pods, the nodes (and why each does or
//! does not run a pod), events, metadata and environment. Everything on it is live.

use console_model::{
    DaemonSetRow,
    daemonset::{ALIAS_ANNOTATION, DESCRIPTION_ANNOTATION},
    k8s::DaemonSet,
};
use leptos::prelude::*;
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map, use_query_map},
};

use super::{
    actions::{DeleteDialog, EditInfoDialog, RestartDialog},
    canary::{CanaryOffer, CanaryPanel},
    edit_yaml::{EditYamlDialog, has_draft},
    holds::{Hold, HoldBanner, HoldDialog},
    nodes::NodesTab,
    overview::Overview,
    owned::{LiveRollout, live_rollout},
    revisions::RevisionsTab,
    rollout_panel::RolloutPanel,
    tabs::{EnvironmentTab, MetadataTab, PodsTab},
    update_nodes::UpdateRun,
    usage::{UsageTab, live_daemonset_usage},
};
use crate::{
    components::{ErrorPanel, EventsTable, LogSource, LogViewer},
    i18n::{Msg, use_i18n},
    keys,
    permissions::{daemonset_permissions, may_delete_pods},
    usage::LiveUsage,
    watch::{LiveState, live_object},
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Pods,
    Nodes,
    Usage,
    Events,
    Logs,
    Revisions,
    Metadata,
    Environment,
}

impl Tab {
    const ALL: [(Tab, &'static str, Msg); 8] = [
        (Tab::Pods, "pods", Msg::TabPods),
        (Tab::Nodes, "nodes", Msg::TabNodes),
        (Tab::Usage, "usage", Msg::TabUsage),
        (Tab::Events, "events", Msg::TabEvents),
        (Tab::Logs, "logs", Msg::TabLogsAllNodes),
        (Tab::Revisions, "revisions", Msg::TabRevisions),
        (Tab::Metadata, "metadata", Msg::TabMetadata),
        (Tab::Environment, "environment", Msg::TabEnvironment),
    ];
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    EditInfo,
    EditYaml,
    Restart,
    Delete,
    Hold(Hold),
}

#[component]
pub fn DaemonSetDetail() -> impl IntoView {
    let params = use_params_map();
    let project = params.read_untracked().get("project").unwrap_or_default();
    let name = params.read_untracked().get("name").unwrap_or_default();
    view! { <Detail project=project name=name /> }
}

#[component]
fn Detail(project: String, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let (live, daemonset) = live_object::<DaemonSet>(
        format!("/apis/apps/v1/namespaces/{project}/daemonsets"),
        &name,
    );
    let identity =
        Memo::new(move |_| daemonset.with(|ds| ds.as_ref().map(|ds| ds.metadata.uid.clone())));
    // The rollout's watches (nodes, pods, revisions) live as long as the page shows this
    // DaemonSet; the panel, the nodes tab and the hold dialogs share them.
    let rollout = RwSignal::new(None::<LiveRollout>);
    // Usage is sampled for the whole visit, so its history is there when the tab is opened.
    let usage = RwSignal::new(None::<LiveUsage>);
    let update_run = UpdateRun::new();
    // Set by edit YAML when it applies a canary; the panel then updates the canary nodes.
    let canary_start = RwSignal::new(false);
    let namespace = project.clone();
    Effect::new(move |_| {
        let initial = identity.get().and_then(|_| daemonset.get_untracked());
        usage.set(initial.as_ref().map(live_daemonset_usage));
        let started = initial.map(|initial| live_rollout(&initial, daemonset));
        if let Some(started) = started {
            update_run.drive(started, namespace.clone());
        }
        rollout.set(started);
    });
    let may_update_nodes = may_delete_pods(project.clone());
    let min_ready_seconds = Signal::derive(move || {
        daemonset.with(|ds| ds.as_ref().map_or(0, |ds| ds.spec.min_ready_seconds))
    });
    let permissions = daemonset_permissions(project.clone());
    // A canary patches the DaemonSet and deletes its pods on the canary nodes.
    let may_canary = Signal::derive(move || permissions.get().update && may_update_nodes.get());
    // An edit that was not applied reopens where it was left (after a reload or a new sign-in).
    let open = RwSignal::new(if has_draft(&project, &name) {
        Open::EditYaml
    } else {
        Open::Nothing
    });
    let close = Callback::new(move |()| open.set(Open::Nothing));
    let list_path = format!("/projects/{project}/daemonsets");
    let deleted = Callback::new(move |()| navigate(&list_path, Default::default()));
    let tab = move || {
        let chosen = query.read().get("tab").unwrap_or_default();
        Tab::ALL
            .iter()
            .find(|(_, key, _)| *key == chosen)
            .map_or(Tab::Pods, |(tab, _, _)| *tab)
    };
    let (project_for_view, name_for_view) = (project.clone(), name.clone());

    view! {
        <nav class="breadcrumb">
            <A href="/daemonsets">{i18n.t(Msg::NavDaemonSets)}</A> " / "
            <A href=format!("/projects/{project}/daemonsets")>{project.clone()}</A> " / "
            <span>{name.clone()}</span>
        </nav>
        {move || match (daemonset.get(), live.state.get()) {
            (_, LiveState::Failed(error)) => view! { <ErrorPanel error=error on_retry=Callback::new(|()| reload()) /> }.into_any(),
            (None, LiveState::Live) => view! { <p class="empty">{i18n.t(Msg::ErrorNotFound)}</p> }.into_any(),
            (None, _) => view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any(),
            (Some(ds), _) => {
                let row = DaemonSetRow::from_object(&ds);
                let description = ds.metadata.annotations.get(DESCRIPTION_ANNOTATION).cloned();
                let alias = ds.metadata.annotations.get(ALIAS_ANNOTATION).cloned();
                let holds = Hold::offered(&ds);
                view! {
                    <header class="page-header detail-header">
                        <div>
                            <h1>{row.name.clone()} {alias.map(|alias| view! { <span class="alias-heading">{alias}</span> })}</h1>
                            {description.map(|text| view! { <p class="intro">{text}</p> })}
                        </div>
                        <div class="toolbar actions">
                            <Show when=move || permissions.get().update>
                                <button type="button" on:click=move |_| open.set(Open::EditInfo)>{i18n.t(Msg::EditInfo)}</button>
                                <button type="button" on:click=move |_| open.set(Open::EditYaml)>{i18n.t(Msg::EditYaml)}</button>
                                <button type="button" on:click=move |_| open.set(Open::Restart)>{i18n.t(Msg::Restart)}</button>
                                {holds.iter().map(|&hold| view! {
                                    <button type="button" on:click=move |_| open.set(Open::Hold(hold))>{i18n.t(hold.label())}</button>
                                }).collect_view()}
                            </Show>
                            <Show when=move || permissions.get().delete>
                                <button type="button" class="danger" on:click=move |_| open.set(Open::Delete)>{i18n.t(Msg::Delete)}</button>
                            </Show>
                        </div>
                    </header>
                    <HoldBanner daemonset=ds.clone() />
                    <Overview daemonset=ds.clone() row=row />
                }
                .into_any()
            }
        }}
        {move || rollout.get().map(|rollout| view! {
            <CanaryPanel daemonset=daemonset rollout=rollout updates=update_run start_pending=canary_start allowed=may_canary />
            <RolloutPanel rollout=rollout />
        })}
        <div class="tabs detail-tabs" role="tablist" on:keydown=keys::on_tablist_keydown>
            {Tab::ALL.iter().map(|(which, key, label)| {
                let (which, key, label) = (*which, *key, *label);
                view! {
                    <A href=format!("?tab={key}") attr:role="tab" attr:aria-controls="daemonset-tab"
                        attr:aria-selected=move || (tab() == which).to_string()
                        attr:tabindex=move || if tab() == which { "0" } else { "-1" }>
                        {i18n.t(label)}
                    </A>
                }
            }).collect_view()}
        </div>
        <section class="tab-panel" id="daemonset-tab" role="tabpanel" aria-label=move || {
            let shown = tab();
            Tab::ALL.iter().find(|(which, _, _)| *which == shown).map_or("", |(_, _, label)| i18n.t(*label)())
        }>
            {move || {
                // Tracking follows what each tab reads: the small tabs are drawn again with every
                // change of the DaemonSet, those that watch something only with its identity, so
                // a status change does not restart their streams.
                let rollout = rollout.get()?;
                let name_only = move || {
                    identity.track();
                    daemonset.with_untracked(|ds| ds.as_ref().map(|ds| (ds.metadata.namespace.clone(), ds.metadata.name.clone())))
                };
                Some(match tab() {
                    Tab::Nodes => view! {
                        <NodesTab rollout=rollout run=update_run can_update=may_update_nodes min_ready_seconds=min_ready_seconds />
                    }.into_any(),
                    Tab::Pods => view! { <PodsTab pods=rollout.pods /> }.into_any(),
                    Tab::Usage => view! { <UsageTab pods=rollout.pods usage=usage.get()? /> }.into_any(),
                    Tab::Events => {
                        let (namespace, name) = name_only()?;
                        view! { <EventsTable namespace=namespace involved_name=name /> }.into_any()
                    }
                    Tab::Logs => {
                        let (namespace, name) = name_only()?;
                        view! { <LogViewer source=LogSource::DaemonSet { namespace, name } /> }.into_any()
                    }
                    Tab::Revisions => {
                        let (namespace, name) = name_only()?;
                        let can_update = Signal::derive(move || permissions.get().update);
                        view! { <RevisionsTab namespace=namespace name=name revisions=rollout.revisions can_update=can_update /> }.into_any()
                    }
                    Tab::Metadata => view! { <MetadataTab daemonset=daemonset.get()? /> }.into_any(),
                    Tab::Environment => view! { <EnvironmentTab daemonset=daemonset.get()? /> }.into_any(),
                })
            }}
        </section>
        {move || {
            let (project, name) = (project_for_view.clone(), name_for_view.clone());
            match (open.get(), daemonset.get_untracked()) {
                (Open::EditInfo, Some(ds)) => {
                    let annotations = &ds.metadata.annotations;
                    let (alias, description) = (annotations.get(ALIAS_ANNOTATION).cloned(), annotations.get(DESCRIPTION_ANNOTATION).cloned());
                    view! { <EditInfoDialog namespace=project name=name alias=alias description=description on_close=close /> }.into_any()
                }
                (Open::EditYaml, _) => {
                    let canary = rollout.get_untracked().map(|rollout| CanaryOffer { rollout, start_pending: canary_start, allowed: may_canary });
                    view! { <EditYamlDialog namespace=project name=name canary=canary on_close=close /> }.into_any()
                }
                (Open::Restart, _) => view! { <RestartDialog namespace=project name=name on_close=close /> }.into_any(),
                (Open::Delete, _) => view! { <DeleteDialog namespace=project name=name on_deleted=deleted on_close=close /> }.into_any(),
                (Open::Hold(hold), Some(ds)) => match rollout.get_untracked() {
                    Some(rollout) => view! { <HoldDialog hold=hold daemonset=ds rollout=rollout on_close=close /> }.into_any(),
                    None => ().into_any(),
                },
                _ => ().into_any(),
            }
        }}
    }
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
