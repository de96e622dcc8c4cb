//! A pod's usage, per container, against each container's requests and limits, with the last
//! minutes while the page is open: on the pod page every container, on a container's page its own.

use console_model::{
    k8s::Pod,
    usage::{Bounds, ContainerBounds, Mark, Usage, marks, pod_bounds},
};
use leptos::prelude::*;

use crate::{
    i18n::{Msg, use_i18n},
    usage::{
        Amount, LiveUsage, MarkBadges, Samples, Sparkline, UsageFigure, UsageNotice, container_key,
        live_usage,
    },
};

/// Samples the pod every 15 s while the page lives.
pub fn live_pod_usage(namespace: &str, name: &str) -> LiveUsage {
    live_usage(
        Samples::Pod {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        },
        false,
    )
}

/// The usage section; `only` keeps one container's row.
#[component]
pub fn PodUsage(
    pod: Memo<Option<Pod>>,
    usage: LiveUsage,
    #[prop(optional)] only: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let only = StoredValue::new(only);
    let rows = move || {
        let pod = pod.get()?;
        let key = format!("{}/{}", pod.metadata.namespace, pod.metadata.name);
        let (containers, _) = pod_bounds(&pod.spec);
        let sample = usage.pods.with(|pods| pods.get(&key).cloned())?;
        Some(
            containers
                .into_iter()
                .filter(|bounds| {
                    only.with_value(|only| only.as_ref().is_none_or(|name| *name == bounds.name))
                })
                .filter_map(|bounds| {
                    let used = sample.container(&bounds.name)?;
                    let history = usage
                        .history
                        .with(|history| history.series(&container_key(&key, &bounds.name)));
                    let marks = marks(used, &bounds);
                    Some(container_row(bounds, used, marks, history))
                })
                .collect_view(),
        )
    };
    view! {
        <h2 class="section">{i18n.t(Msg::TabUsage)}</h2>
        <UsageNotice state=usage.state />
        <table class="resource-table plain usage-table">
            <thead><tr>
                <th>{i18n.t(Msg::Container)}</th><th>{i18n.t(Msg::UsageCpu)}</th><th>{i18n.t(Msg::UsageMemory)}</th>
                <th>{i18n.t(Msg::UsageHistory)}</th><th>{i18n.t(Msg::UsageMarks)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="hint">{i18n.t(Msg::UsageExplained)}</p>
    }
}

fn container_row(
    bounds: ContainerBounds,
    used: Usage,
    marks: Vec<Mark>,
    history: Vec<Usage>,
) -> impl IntoView {
    let scale = |bounds: Bounds| bounds.limit.or(bounds.request).unwrap_or(0);
    let cpu: Vec<u64> = history.iter().map(|usage| usage.cpu_nanocores).collect();
    let memory: Vec<u64> = history.iter().map(|usage| usage.memory_bytes).collect();
    view! {
        <tr class="row">
            <td class="name">{bounds.name.clone()}</td>
            <td><UsageFigure used=used.cpu_nanocores bounds=bounds.cpu amount=Amount::Cpu /></td>
            <td><UsageFigure used=used.memory_bytes bounds=bounds.memory amount=Amount::Memory /></td>
            <td class="sparklines">
                <Sparkline values=cpu scale=scale(bounds.cpu) amount=Amount::Cpu />
                <Sparkline values=memory scale=scale(bounds.memory) amount=Amount::Memory />
            </td>
            <td><MarkBadges marks=marks /></td>
        </tr>
    }
}
