//! The usage tab: what the agent uses on every node, per pod and per container, against its
//! requests and limits, with the last minutes as sparklines and the node's own total beside it.

use std::collections::BTreeMap;

use console_model::{
    k8s::{DaemonSet, Object, Pod},
    usage::{ContainerBounds, History, NodeMetrics, PodMetrics, Usage, pod_bounds},
};
use leptos::prelude::*;

use super::owned::selector_query;
use crate::{
    components::{Column, ResourceTable, columns},
    i18n::{Msg, use_i18n},
    usage::{
        Amount, LiveUsage, Measured, MeasuredRow, Samples, Sparkline, UsageNotice, UsageState,
        container_key, figure_column, history_column, live_usage, marks_column, sample_nodes,
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
    let usage = live_usage(Samples::Pods(path));
    sample_nodes(usage);
    usage
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
    measured: Measured,
    node_usage: Option<Usage>,
    node_history: Vec<Usage>,
}

fn rows_of(
    pods: &[Pod],
    samples: &BTreeMap<String, PodMetrics>,
    nodes: &BTreeMap<String, NodeMetrics>,
    history: &History,
    node_history: &History,
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
            measured: Measured::new(usage, bounds, history.series(&key)),
            key,
            namespace: pod.metadata.namespace.clone(),
            pod: pod.metadata.name.clone(),
            container,
            node: pod.spec.node_name.clone(),
            node_usage: nodes.get(&pod.spec.node_name).map(NodeMetrics::usage),
            node_history: node_history.series(&pod.spec.node_name),
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

impl MeasuredRow for UsageRow {
    fn measured(&self) -> &Measured {
        &self.measured
    }
}

#[component]
pub fn UsageTab(pods: Memo<Vec<Pod>>, usage: LiveUsage) -> impl IntoView {
    let i18n = use_i18n();
    let rows = Memo::new(move |_| {
        pods.with(|pods| {
            usage.pods.with(|samples| {
                usage.nodes.with(|nodes| {
                    usage.history.with(|history| {
                        usage.node_history.with(|node_history| {
                            rows_of(pods, samples, nodes, history, node_history)
                        })
                    })
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
        columns::node(|row: &UsageRow| row.node.clone()),
        columns::pod(
            |row: &UsageRow| (row.namespace.clone(), row.pod.clone()),
            |row: &UsageRow| {
                let container = row.container.clone()?;
                Some(view! { <span class="container-name">{container}</span> }.into_any())
            },
        ),
        figure_column(Amount::Cpu),
        figure_column(Amount::Memory),
        history_column(),
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
        marks_column(),
    ]
}
