//! The smaller tabs of the DaemonSet page: its live pods, its metadata and environment.
//! (Nodes and revisions have files of their own; events and logs use the shared components.)

use console_model::k8s::{DaemonSet, Object, Pod};
use leptos::prelude::*;

use crate::{
    components::{Column, ResourceTable, columns},
    i18n::{Msg, use_i18n},
};

#[component]
pub fn PodsTab(pods: Memo<Vec<Pod>>) -> impl IntoView {
    let hidden = RwSignal::new(Vec::new());
    let columns = vec![
        columns::pod(
            |pod: &Pod| (pod.metadata.namespace.clone(), pod.metadata.name.clone()),
            |_| None,
        ),
        columns::node(|pod: &Pod| pod.spec.node_name.clone()),
        Column::new(Msg::PodIp, "col-ip", |pod: &Pod| {
            view! { <code>{pod.status.pod_ip.clone()}</code> }.into_any()
        }),
        Column::new(Msg::ColumnStatus, "col-status", |pod: &Pod| {
            let status = pod.display_status();
            let class = if status == "Running" {
                "pod-status ok"
            } else {
                "pod-status bad"
            };
            view! { <span class=class>{status}</span> }.into_any()
        })
        .sort_by(Pod::display_status),
        columns::count(Msg::Restarts, Pod::restarts),
        columns::age(Msg::ColumnAge, |pod: &Pod| {
            pod.metadata.creation_timestamp.clone()
        }),
    ];
    view! { <ResourceTable rows=pods key=Pod::key columns=columns empty=Msg::NoPods hidden=hidden /> }
}

#[component]
pub fn MetadataTab(daemonset: DaemonSet) -> impl IntoView {
    let i18n = use_i18n();
    let pairs = |map: &std::collections::BTreeMap<String, String>| {
        map.iter()
            .map(|(key, value)| view! { <tr><th scope="row"><code>{key.clone()}</code></th><td><code class="wrap">{value.clone()}</code></td></tr> })
            .collect_view()
    };
    view! {
        <h3>{i18n.t(Msg::Labels)}</h3>
        <table class="pairs"><tbody>{pairs(&daemonset.metadata.labels)}</tbody></table>
        <h3>{i18n.t(Msg::Annotations)}</h3>
        <table class="pairs"><tbody>{pairs(&daemonset.metadata.annotations)}</tbody></table>
    }
}

#[component]
pub fn EnvironmentTab(daemonset: DaemonSet) -> impl IntoView {
    let i18n = use_i18n();
    let pod = &daemonset.spec.template.spec;
    let containers = pod.init_containers.iter().chain(&pod.containers).map(|container| {
        let rows = container
            .env
            .iter()
            .map(|env| {
                let value = match (&env.value, &env.value_from) {
                    (Some(value), _) => value.clone(),
                    (None, Some(from)) => from.to_string(),
                    (None, None) => String::new(),
                };
                view! { <tr><th scope="row"><code>{env.name.clone()}</code></th><td><code class="wrap">{value}</code></td></tr> }
            })
            .collect_view();
        let empty = container.env.is_empty().then(|| view! { <p class="muted">{i18n.t(Msg::NoEnvironment)}</p> });
        view! {
            <h3>{container.name.clone()}</h3>
            {empty}
            <table class="pairs"><tbody>{rows}</tbody></table>
        }
    });
    containers.collect_view()
}
