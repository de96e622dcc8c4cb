//! The tabs of the DaemonSet page. Pods and nodes are live lists; metadata and environment
//! read the DaemonSet itself. (Events and logs use the shared components.)

use console_model::{
    k8s::{DaemonSet, Node, Object, Pod},
    placement::{Verdict, placements},
};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    components::{Column, ErrorPanel, ResourceTable},
    i18n::{Msg, use_i18n},
    time::age_of,
    watch::{LiveState, live_list},
};

/// The `labelSelector` query of the DaemonSet's whole selector (labels and expressions), for
/// watching its pods and revisions.
pub fn selector_query(daemonset: &DaemonSet) -> String {
    let selector = daemonset.spec.selector.to_query();
    format!(
        "labelSelector={}",
        String::from(js_sys::encode_uri_component(&selector))
    )
}

/// The DaemonSet's own pods (the selector may also match pods someone else owns).
fn owned_pods(daemonset: &DaemonSet) -> impl Fn() -> Vec<Pod> + Send + Sync + Clone + 'static {
    let uid = daemonset.metadata.uid.clone();
    let live = live_list(
        format!("/api/v1/namespaces/{}/pods", daemonset.metadata.namespace),
        selector_query(daemonset),
        |pod: Pod| pod,
    );
    move || {
        live.items.with(|pods| {
            pods.values()
                .filter(|pod| pod.is_owned_by(&uid))
                .cloned()
                .collect()
        })
    }
}

fn failure_or_nothing(state: LiveState) -> AnyView {
    match state {
        LiveState::Failed(error) => {
            view! { <ErrorPanel error=error on_retry=Callback::new(|()| ()) /> }.into_any()
        }
        _ => ().into_any(),
    }
}

#[component]
pub fn PodsTab(daemonset: DaemonSet) -> impl IntoView {
    let pods = owned_pods(&daemonset);
    let hidden = RwSignal::new(Vec::new());
    let columns = vec![
        Column::new(Msg::ColumnName, "col-name", |pod: &Pod| {
            let href = format!(
                "/projects/{}/pods/{}",
                pod.metadata.namespace, pod.metadata.name
            );
            let name = pod.metadata.name.clone();
            view! { <A href=href attr:class="name">{name}</A> }.into_any()
        })
        .sort_by(|pod| pod.metadata.name.clone()),
        Column::new(Msg::Node, "col-node", |pod: &Pod| {
            pod.spec.node_name.clone().into_any()
        })
        .sort_by(|pod| pod.spec.node_name.clone()),
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
        Column::new(Msg::Restarts, "col-number", |pod: &Pod| {
            pod.restarts().to_string().into_any()
        })
        .sort_by(Pod::restarts),
        Column::new(Msg::ColumnAge, "col-age", |pod: &Pod| {
            pod.metadata
                .creation_timestamp
                .as_deref()
                .map(age_of)
                .unwrap_or_default()
                .into_any()
        })
        .sort_by(|pod| pod.metadata.creation_timestamp.clone()),
    ];
    view! { <ResourceTable rows=Signal::derive(pods) key=Pod::key columns=columns empty=Msg::NoPods hidden=hidden /> }
}

/// Every node: should it run a pod, does it, and if not, why.
#[component]
pub fn NodesTab(daemonset: DaemonSet) -> impl IntoView {
    let i18n = use_i18n();
    let nodes = live_list("/api/v1/nodes".to_owned(), String::new(), |node: Node| node);
    let pods = owned_pods(&daemonset);
    let rows = Signal::derive(move || {
        let nodes: Vec<Node> = nodes.items.with(|nodes| nodes.values().cloned().collect());
        placements(&daemonset, &nodes, &pods())
    });
    let hidden = RwSignal::new(Vec::new());
    type Row = console_model::placement::NodePlacement;
    let columns = vec![
        Column::new(Msg::Node, "col-name", |row: &Row| {
            let cordoned = row.cordoned.then(|| view! { <span class="tag">{use_i18n().t(Msg::Cordoned)}</span> });
            let not_ready = (!row.ready).then(|| view! { <span class="tag bad">{use_i18n().t(Msg::NotReady)}</span> });
            view! { <span class="name">{row.node.clone()}</span> {cordoned} {not_ready} }.into_any()
        })
        .sort_by(|row: &Row| row.node.clone()),
        Column::new(Msg::ShouldRun, "col-flag", |row: &Row| yes_no(row.verdict.should_run()).into_any())
            .sort_by(|row: &Row| row.verdict.should_run()),
        Column::new(Msg::RunsPod, "col-flag", |row: &Row| {
            let runs = matches!(row.verdict, Verdict::Running | Verdict::Misscheduled);
            view! { {yes_no(runs)} {row.pod.clone().map(|pod| view! { <code class="pod-name">{pod}</code> })} }.into_any()
        })
        .sort_by(|row: &Row| row.pod.clone()),
        Column::new(Msg::Reason, "col-reason", |row: &Row| reason(&row.verdict).into_any()),
    ];
    view! {
        {move || failure_or_nothing(nodes.state.get())}
        <p class="hint">{i18n.t(Msg::NodesExplained)}</p>
        <ResourceTable rows=rows key=|row: &Row| row.node.clone() columns=columns empty=Msg::NoNodes hidden=hidden />
    }
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
