//! One DaemonSet: overview, actions, and tabs for its pods, the nodes (and why each does or
//! does not run a pod), events, metadata and environment. Everything on it is live.

use console_model::{
    DaemonSetRow,
    daemonset::{ALIAS_ANNOTATION, DESCRIPTION_ANNOTATION},
    k8s::{DaemonSet, Toleration},
};
use leptos::prelude::*;
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map, use_query_map},
};

use super::{
    actions::{DeleteDialog, EditInfoDialog, RestartDialog},
    edit_yaml::{EditYamlDialog, has_draft},
    revisions::RevisionsTab,
    tabs::{EnvironmentTab, MetadataTab, NodesTab, PodsTab},
};
use crate::{
    components::{ErrorPanel, EventsTable, LogSource, LogViewer, StatusBadge},
    i18n::{Msg, use_i18n},
    keys,
    permissions::daemonset_permissions,
    time::age_of,
    watch::{LiveState, live_object},
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Pods,
    Nodes,
    Events,
    Logs,
    Revisions,
    Metadata,
    Environment,
}

impl Tab {
    const ALL: [(Tab, &'static str, Msg); 7] = [
        (Tab::Pods, "pods", Msg::TabPods),
        (Tab::Nodes, "nodes", Msg::TabNodes),
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
    let permissions = daemonset_permissions(project.clone());
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
                            </Show>
                            <Show when=move || permissions.get().delete>
                                <button type="button" class="danger" on:click=move |_| open.set(Open::Delete)>{i18n.t(Msg::Delete)}</button>
                            </Show>
                        </div>
                    </header>
                    <Overview daemonset=ds.clone() row=row />
                }
                .into_any()
            }
        }}
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
                let Some(ds) = daemonset.get() else { return ().into_any() };
                match tab() {
                    Tab::Pods => view! { <PodsTab daemonset=ds /> }.into_any(),
                    Tab::Nodes => view! { <NodesTab daemonset=ds /> }.into_any(),
                    Tab::Events => view! {
                        <EventsTable namespace=ds.metadata.namespace.clone() involved_name=ds.metadata.name.clone() />
                    }
                    .into_any(),
                    Tab::Logs => {
                        let source = LogSource::DaemonSet { namespace: ds.metadata.namespace.clone(), name: ds.metadata.name.clone() };
                        view! { <LogViewer source=source /> }.into_any()
                    }
                    Tab::Revisions => {
                        let can_update = Signal::derive(move || permissions.get().update);
                        view! { <RevisionsTab daemonset=ds can_update=can_update /> }.into_any()
                    }
                    Tab::Metadata => view! { <MetadataTab daemonset=ds /> }.into_any(),
                    Tab::Environment => view! { <EnvironmentTab daemonset=ds /> }.into_any(),
                }
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
                (Open::EditYaml, _) => view! { <EditYamlDialog namespace=project name=name on_close=close /> }.into_any(),
                (Open::Restart, _) => view! { <RestartDialog namespace=project name=name on_close=close /> }.into_any(),
                (Open::Delete, _) => view! { <DeleteDialog namespace=project name=name on_deleted=deleted on_close=close /> }.into_any(),
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

#[component]
fn Overview(daemonset: DaemonSet, row: DaemonSetRow) -> impl IntoView {
    let i18n = use_i18n();
    let spec = &daemonset.spec;
    let pod = &spec.template.spec;
    let strategy = match spec.update_strategy.kind.as_str() {
        "OnDelete" => "OnDelete".to_owned(),
        _ => {
            let rolling = spec
                .update_strategy
                .rolling_update
                .clone()
                .unwrap_or_default();
            let show = |value: Option<serde_json::Value>, default: &str| {
                value.map_or(default.to_owned(), |v| {
                    v.as_str().map_or(v.to_string(), str::to_owned)
                })
            };
            format!(
                "RollingUpdate · maxUnavailable {} · maxSurge {}",
                show(rolling.max_unavailable, "1"),
                show(rolling.max_surge, "0")
            )
        }
    };
    let selector = spec
        .selector
        .match_labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>();
    let node_selector = pod
        .node_selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>();
    let tolerations = pod
        .tolerations
        .iter()
        .map(describe_toleration)
        .collect::<Vec<_>>();
    let created = row.created.clone().unwrap_or_default();
    let chips = |items: Vec<String>, none: Msg| {
        if items.is_empty() {
            view! { <span class="muted">{i18n.t(none)}</span> }.into_any()
        } else {
            items
                .into_iter()
                .map(|item| view! { <code class="chip">{item}</code> })
                .collect_view()
                .into_any()
        }
    };
    view! {
        <dl class="overview">
            <div><dt>{i18n.t(Msg::ColumnStatus)}</dt><dd><StatusBadge counts=row.counts /></dd></div>
            <div><dt>{i18n.t(Msg::Counts)}</dt><dd class="counts">
                {format!("{} {} · {} {} · {} {} · {} {} · {} {}",
                    i18n.t(Msg::ColumnDesired)(), row.counts.desired, i18n.t(Msg::ColumnCurrent)(), row.counts.current,
                    i18n.t(Msg::ColumnReady)(), row.counts.ready, i18n.t(Msg::ColumnUpToDate)(), row.counts.up_to_date,
                    i18n.t(Msg::ColumnAvailable)(), row.counts.available)}
            </dd></div>
            <div><dt>{i18n.t(Msg::ColumnProject)}</dt><dd>{row.namespace.clone()}</dd></div>
            <div><dt>{i18n.t(Msg::Created)}</dt><dd title=created.clone()>{created.clone()} " (" {age_of(&created)} ")"</dd></div>
            <div><dt>{i18n.t(Msg::Selector)}</dt><dd>{chips(selector, Msg::None)}</dd></div>
            <div><dt>{i18n.t(Msg::ColumnNodeSelector)}</dt><dd>{chips(node_selector, Msg::AnyNode)}</dd></div>
            <div><dt>{i18n.t(Msg::Tolerations)}</dt><dd>{chips(tolerations, Msg::None)}</dd></div>
            <div><dt>{i18n.t(Msg::UpdateStrategy)}</dt><dd>{strategy} {format!(" · minReadySeconds {}", spec.min_ready_seconds)}</dd></div>
            <div class="wide"><dt>{i18n.t(Msg::ColumnImages)}</dt><dd>{chips(row.images.clone(), Msg::None)}</dd></div>
        </dl>
    }
}

pub fn describe_toleration(toleration: &Toleration) -> String {
    let key = if toleration.key.is_empty() {
        "*".to_owned()
    } else {
        toleration.key.clone()
    };
    let value = if toleration.operator == "Exists" {
        String::new()
    } else {
        format!("={}", toleration.value)
    };
    let effect = if toleration.effect.is_empty() {
        String::new()
    } else {
        format!(":{}", toleration.effect)
    };
    format!("{key}{value}{effect}")
}
