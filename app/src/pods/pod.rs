use console_model::k8s::Pod;
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

use super::{
    as_yaml, live_pod,
    usage::{PodUsage, live_pod_usage},
};
use crate::{
    components::{ErrorPanel, EventsTable},
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
    let all_containers: Vec<(console_model::k8s::Container, bool)> = pod
        .spec
        .init_containers
        .iter()
        .map(|c| (c.clone(), true))
        .chain(pod.spec.containers.iter().map(|c| (c.clone(), false)))
        .collect();
    let containers = all_containers.into_iter().map(|(container, init)| {
        let status = pod.container_status(&container.name).cloned().unwrap_or_default();
        let href = format!("/projects/{}/pods/{}/containers/{}", pod.metadata.namespace, pod.metadata.name, container.name);
        let init = init.then(|| view! { <span class="tag">"init"</span> });
        view! {
            <tr class="row">
                <td><A href=href attr:class="name">{container.name.clone()}</A> {init}</td>
                <td><code>{container.image.clone()}</code></td>
                <td>{status.describe_state()}</td>
                <td class=if status.ready { "yes" } else { "no" }>{if status.ready { i18n.t(Msg::Yes)() } else { i18n.t(Msg::No)() }}</td>
                <td class="col-number">{status.restart_count}</td>
            </tr>
        }
    }).collect_view();
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
        <table class="resource-table plain">
            <thead><tr>
                <th>{i18n.t(Msg::ColumnName)}</th><th>{i18n.t(Msg::Image)}</th><th>{i18n.t(Msg::State)}</th>
                <th>{i18n.t(Msg::ColumnReady)}</th><th class="col-number">{i18n.t(Msg::Restarts)}</th>
            </tr></thead>
            <tbody>{containers}</tbody>
        </table>
        <h2 class="section">{i18n.t(Msg::Conditions)}</h2>
        <table class="pairs"><tbody>{conditions}</tbody></table>
        <h2 class="section">{i18n.t(Msg::Volumes)}</h2>
        <table class="pairs"><tbody>{volumes}</tbody></table>
    }
}
