use console_model::k8s::Pod;
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

use super::{
    as_yaml, live_pod,
    usage::{PodUsage, live_pod_usage},
};
use crate::{
    components::{Column, ErrorPanel, EventsTable, ResourceTable, columns},
    i18n::{Msg, use_i18n},
    time::age_of,
    watch::LiveState,
};

/// A pod: phase, conditions, node, addresses, QoS, containers, volumes and events, with a way
/// back to the DaemonSet that owns it.
#[component]
pub fn PodPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let project = params.read_untracked().get("project").unwrap_or_default();
    let name = params.read_untracked().get("pod").unwrap_or_default();
    let (live, pod) = live_pod(&project, &name);
    // Outside the body, which is drawn again at every change of the pod: the history stays.
    let usage = live_pod_usage(&project, &name);
    let (events_project, events_name) = (project.clone(), name.clone());
    view! {
        <nav class="breadcrumb">
            <A href=format!("/projects/{project}/daemonsets")>{project.clone()}</A> " / " <span>{name.clone()}</span>
        </nav>
        {move || match (pod.get(), live.state.get()) {
            (_, LiveState::Failed(error)) => view! { <ErrorPanel error=error on_retry=Callback::new(|()| ()) /> }.into_any(),
            (None, LiveState::Live) => view! { <p class="empty">{i18n.t(Msg::ErrorNotFound)}</p> }.into_any(),
            (None, _) => view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any(),
            (Some(pod), _) => view! { <PodBody pod=pod /> }.into_any(),
        }}
        <PodUsage pod=pod usage=usage />
        <h2 class="section">{i18n.t(Msg::TabEvents)}</h2>
        <EventsTable namespace=events_project involved_name=events_name />
    }
}

#[component]
fn PodBody(pod: Pod) -> impl IntoView {
    let i18n = use_i18n();
    let namespace = pod.metadata.namespace.clone();
    let owner = pod.controller().cloned().map(|owner| {
        let href = format!("/projects/{namespace}/daemonsets/{}", owner.name);
        view! { <A href=href>{format!("{} {}", owner.kind, owner.name)}</A> }
    });
    let created = pod.metadata.creation_timestamp.clone().unwrap_or_default();
    let conditions = pod.status.conditions.clone().into_iter().map(|condition| {
        let class = if condition.status == "True" { "yes" } else { "no" };
        view! {
            <tr><th scope="row">{condition.kind.clone()}</th><td class=class>{condition.status.clone()}</td>
            <td>{condition.reason.clone()}</td><td>{condition.message.clone()}</td></tr>
        }
    }).collect_view();
    let containers = ContainerRow::all_of(&pod);
    let volumes = pod.spec.volumes.clone().into_iter().map(|volume| {
        let name = volume.get("name").and_then(|n| n.as_str()).unwrap_or_default().to_owned();
        let mut source = volume.clone();
        if let Some(object) = source.as_object_mut() {
            object.remove("name");
        }
        view! { <tr><th scope="row"><code>{name}</code></th><td><pre class="yaml">{as_yaml(&source)}</pre></td></tr> }
    }).collect_view();
    view! {
        <header class="page-header"><div><h1>{pod.metadata.name.clone()}</h1></div></header>
        <dl class="overview">
            <div><dt>{i18n.t(Msg::ColumnStatus)}</dt><dd>{pod.display_status()} " · " {pod.status.phase.clone()}</dd></div>
            <div><dt>{i18n.t(Msg::Node)}</dt><dd>{pod.spec.node_name.clone()}</dd></div>
            <div><dt>{i18n.t(Msg::PodIp)}</dt><dd><code>{pod.status.pod_ip.clone()}</code></dd></div>
            <div><dt>{i18n.t(Msg::HostIp)}</dt><dd><code>{pod.status.host_ip.clone()}</code></dd></div>
            <div><dt>{i18n.t(Msg::QosClass)}</dt><dd>{pod.status.qos_class.clone()}</dd></div>
            <div><dt>{i18n.t(Msg::Restarts)}</dt><dd>{pod.restarts()}</dd></div>
            <div><dt>{i18n.t(Msg::Created)}</dt><dd>{created.clone()} " (" {age_of(&created)} ")"</dd></div>
            <div><dt>{i18n.t(Msg::OwnedBy)}</dt><dd>{owner}</dd></div>
        </dl>
        <h2 class="section">{i18n.t(Msg::Containers)}</h2>
        <ResourceTable
            rows=Signal::stored(containers)
            key=|row: &ContainerRow| row.name.clone()
            columns=container_columns()
            empty=Msg::NoContainers
            hidden=RwSignal::new(Vec::new())
            class="containers"
        />
        <h2 class="section">{i18n.t(Msg::Conditions)}</h2>
        <table class="pairs"><tbody>{conditions}</tbody></table>
        <h2 class="section">{i18n.t(Msg::Volumes)}</h2>
        <table class="pairs"><tbody>{volumes}</tbody></table>
    }
}

/// One container of the pod (init containers first, as they run), as its table shows it.
#[derive(Clone, Debug, PartialEq)]
struct ContainerRow {
    page: String,
    name: String,
    init: bool,
    image: String,
    state: String,
    ready: bool,
    restarts: i32,
}

impl ContainerRow {
    fn all_of(pod: &Pod) -> Vec<ContainerRow> {
        let init = pod.spec.init_containers.iter().map(|c| (c, true));
        init.chain(pod.spec.containers.iter().map(|c| (c, false)))
            .map(|(container, init)| {
                let status = pod
                    .container_status(&container.name)
                    .cloned()
                    .unwrap_or_default();
                ContainerRow {
                    page: format!(
                        "/projects/{}/pods/{}/containers/{}",
                        pod.metadata.namespace, pod.metadata.name, container.name
                    ),
                    name: container.name.clone(),
                    init,
                    image: container.image.clone(),
                    state: status.describe_state(),
                    ready: status.ready,
                    restarts: status.restart_count,
                }
            })
            .collect()
    }
}

fn container_columns() -> Vec<Column<ContainerRow>> {
    vec![
        columns::name(
            Msg::ColumnName,
            |row: &ContainerRow| (row.page.clone(), row.name.clone()),
            |row: &ContainerRow| {
                row.init
                    .then(|| view! { <span class="tag">"init"</span> }.into_any())
            },
        ),
        columns::images(Msg::Image, |row: &ContainerRow| vec![row.image.clone()]),
        Column::new(Msg::State, "col-status", |row: &ContainerRow| {
            row.state.clone().into_any()
        }),
        Column::new(Msg::ColumnReady, "col-flag", |row: &ContainerRow| {
            let i18n = use_i18n();
            let (class, word) = if row.ready {
                ("yes", Msg::Yes)
            } else {
                ("no", Msg::No)
            };
            view! { <span class=class>{i18n.t(word)}</span> }.into_any()
        }),
        columns::count(Msg::Restarts, |row: &ContainerRow| row.restarts),
    ]
}
