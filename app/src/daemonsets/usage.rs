//! The usage tab: what the agent uses on every node, per pod and per container, against its
//! requests and limits, with the last minutes as sparklines and the node's own total beside it.

use std::collections::BTreeMap;

use console_model::{
    k8s::{DaemonSet, Object, Pod},
    usage::{ContainerBounds, History, Mark, NodeMetrics, PodMetrics, Usage, marks, pod_bounds},
};
use leptos::prelude::*;
use leptos_router::components::A;

use super::owned::selector_query;
use crate::{
    components::{Column, ResourceTable},
    i18n::{Msg, use_i18n},
    usage::{
        Amount, LiveUsage, MarkBadges, Samples, Sparkline, UsageFigure, UsageNotice, UsageState,
        container_key, live_usage, node_key,
    },
};

/// Samples the DaemonSet's pods (by its whole selector; rows keep only its own pods) and the
/// nodes, for as long as the page shows it.
pub fn live_daemonset_usage(daemonset: &DaemonSet) -> LiveUsage {
    let path = format!(
        "/apis/metrics.k8s.io/v1beta1/namespaces/{}/pods?{}",
        daemonset.metadata.namespace,
        selector_query(daemonset)
    );
    live_usage(Samples::Pods(path), true)
}

/// One pod of the DaemonSet and what it uses, or one container of a pod that has several (the
/// table's rows are one line high); `usage` is `None` until it is measured.
#[derive(Clone, Debug, PartialEq)]
struct UsageRow {
    key: String,
    namespace: String,
    pod: String,
    container: Option<String>,
    node: String,
    usage: Option<Usage>,
    bounds: ContainerBounds,
    marks: Vec<Mark>,
    history: Vec<Usage>,
    node_usage: Option<Usage>,
    node_history: Vec<Usage>,
}

fn rows_of(
    pods: &[Pod],
    samples: &BTreeMap<String, PodMetrics>,
    nodes: &BTreeMap<String, NodeMetrics>,
    history: &History,
) -> Vec<UsageRow> {
    let mut rows = Vec::new();
    for pod in pods {
        let pod_key = pod.key();
        let sample = samples.get(&pod_key);
        let (containers, pod_total) = pod_bounds(&pod.spec);
        let row = |key: String,
                   container: Option<String>,
                   usage: Option<Usage>,
                   bounds: ContainerBounds| UsageRow {
            history: history.series(&key),
            marks: usage.map(|usage| marks(usage, &bounds)).unwrap_or_default(),
            key,
            namespace: pod.metadata.namespace.clone(),
            pod: pod.metadata.name.clone(),
            container,
            node: pod.spec.node_name.clone(),
            usage,
            bounds,
            node_usage: nodes.get(&pod.spec.node_name).map(NodeMetrics::usage),
            node_history: history.series(&node_key(&pod.spec.node_name)),
        };
        if containers.len() > 1 {
            for bounds in containers {
                let usage = sample.and_then(|sample| sample.container(&bounds.name));
                let key = container_key(&pod_key, &bounds.name);
                rows.push(row(key, Some(bounds.name.clone()), usage, bounds));
            }
        } else {
            let usage = sample.map(PodMetrics::usage);
            rows.push(row(pod_key.clone(), None, usage, pod_total));
        }
    }
    rows.sort_by(|a, b| (&a.node, &a.container).cmp(&(&b.node, &b.container)));
    rows
}

#[component]
pub fn UsageTab(pods: Memo<Vec<Pod>>, usage: LiveUsage) -> impl IntoView {
    let i18n = use_i18n();
    let rows = Memo::new(move |_| {
        pods.with(|pods| {
            usage.pods.with(|samples| {
                usage.nodes.with(|nodes| {
                    usage
                        .history
                        .with(|history| rows_of(pods, samples, nodes, history))
                })
            })
        })
    });
    let hidden = RwSignal::new(Vec::new());
    let node_notice = move || {
        (usage.state.get() == UsageState::Live
            && usage.nodes_state.get() == UsageState::Unavailable(Msg::UsageNotAllowed))
        .then(|| view! { <p class="notice usage-notice">{i18n.t(Msg::NodeUsageNotAllowed)}</p> })
    };
    view! {
        <UsageNotice state=usage.state />
        {node_notice}
        <p class="hint">{i18n.t(Msg::UsageExplained)}</p>
        <ResourceTable rows=rows key=|row: &UsageRow| row.key.clone() columns=columns() empty=Msg::NoPods hidden=hidden />
    }
}

fn columns() -> Vec<Column<UsageRow>> {
    vec![
        Column::new(Msg::Node, "col-node", |row: &UsageRow| row.node.clone().into_any())
            .sort_by(|row| row.node.clone()),
        Column::new(Msg::ColumnName, "col-name", |row: &UsageRow| {
            let href = format!("/projects/{}/pods/{}", row.namespace, row.pod);
            let pod = row.pod.clone();
            let container = row.container.clone().map(|name| view! { <span class="container-name">{name}</span> });
            view! { <A href=href attr:class="name">{pod}</A> {container} }.into_any()
        })
        .sort_by(|row| row.pod.clone()),
        Column::new(Msg::UsageCpu, "col-usage", |row: &UsageRow| figures(row, Amount::Cpu))
            .sort_by(|row| row.usage.map(|usage| usage.cpu_nanocores)),
        Column::new(Msg::UsageMemory, "col-usage", |row: &UsageRow| figures(row, Amount::Memory))
            .sort_by(|row| row.usage.map(|usage| usage.memory_bytes)),
        Column::new(Msg::UsageHistory, "col-history", |row: &UsageRow| {
            let series = |pick: fn(&Usage) -> u64| row.history.iter().map(pick).collect::<Vec<_>>();
            let scale = |bounds: console_model::usage::Bounds| bounds.limit.or(bounds.request).unwrap_or(0);
            view! {
                <span class="sparklines">
                    <Sparkline values=series(|u| u.cpu_nanocores) scale=scale(row.bounds.cpu) amount=Amount::Cpu />
                    <Sparkline values=series(|u| u.memory_bytes) scale=scale(row.bounds.memory) amount=Amount::Memory />
                </span>
            }
            .into_any()
        }),
        Column::new(Msg::UsageOfNode, "col-usage", |row: &UsageRow| {
            let Some(usage) = row.node_usage else {
                return "—".into_any();
            };
            let memory = row.node_history.iter().map(|usage| usage.memory_bytes).collect::<Vec<_>>();
            view! {
                <span class="node-usage">
                    {format!("{} · {}", Amount::Cpu.format(usage.cpu_nanocores), Amount::Memory.format(usage.memory_bytes))}
                    <Sparkline values=memory scale=0 amount=Amount::Memory />
                </span>
            }
            .into_any()
        })
        .sort_by(|row| row.node_usage.map(|usage| usage.memory_bytes)),
        Column::new(Msg::UsageMarks, "col-marks", |row: &UsageRow| {
            view! { <MarkBadges marks=row.marks.clone() /> }.into_any()
        })
        // Rows with the most urgent mark first; the sort's other direction puts them last.
        .sort_by(|row| row.marks.first().map_or(u8::MAX, |mark| *mark as u8)),
    ]
}

/// The row's figure for one amount.
fn figures(row: &UsageRow, amount: Amount) -> AnyView {
    let Some(usage) = row.usage else {
        return "—".into_any();
    };
    let (used, bounds) = match amount {
        Amount::Cpu => (usage.cpu_nanocores, row.bounds.cpu),
        Amount::Memory => (usage.memory_bytes, row.bounds.memory),
    };
    view! { <UsageFigure used=used bounds=bounds amount=amount /> }.into_any()
}
