//! A pod's usage, per container, against each container's requests and limits, with the last
//! minutes while the page is open: on the pod page every container, on a container's page its own.

use console_model::{k8s::Pod, usage::pod_bounds};
use leptos::prelude::*;

use crate::{
    components::{Column, ResourceTable},
    i18n::{Msg, use_i18n},
    usage::{
        Amount, LiveUsage, Measured, MeasuredRow, Samples, UsageNotice, UsageState, container_key,
        figure_column, history_column, live_usage, marks_column,
    },
};

/// Samples the pod every 15 s while the page lives.
pub fn live_pod_usage(namespace: &str, name: &str) -> LiveUsage {
    live_usage(Samples::Pod {
        namespace: namespace.to_owned(),
        name: name.to_owned(),
    })
}

/// One container and what it uses.
#[derive(Clone, Debug, PartialEq)]
struct ContainerUsage {
    name: String,
    measured: Measured,
}

impl MeasuredRow for ContainerUsage {
    fn measured(&self) -> &Measured {
        &self.measured
    }
}

/// The usage section; `only` keeps one container's row.
#[component]
pub fn PodUsage(
    pod: Memo<Option<Pod>>,
    usage: LiveUsage,
    #[prop(optional)] only: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = Memo::new(move |_| {
        let Some(pod) = pod.get() else {
            return Vec::new();
        };
        let key = format!("{}/{}", pod.metadata.namespace, pod.metadata.name);
        let sample = usage.pods.with(|pods| pods.get(&key).cloned());
        pod_bounds(&pod.spec)
            .0
            .into_iter()
            .filter(|bounds| only.as_ref().is_none_or(|name| *name == bounds.name))
            .map(|bounds| {
                let used = sample
                    .as_ref()
                    .and_then(|sample| sample.container(&bounds.name));
                let history = usage
                    .history
                    .with(|history| history.series(&container_key(&key, &bounds.name)));
                ContainerUsage {
                    name: bounds.name.clone(),
                    measured: Measured::new(used, bounds, history),
                }
            })
            .collect()
    });
    let columns = vec![
        Column::new(Msg::Container, "col-name", |row: &ContainerUsage| {
            view! { <span class="name">{row.name.clone()}</span> }.into_any()
        }),
        figure_column(Amount::Cpu),
        figure_column(Amount::Memory),
        history_column(),
        marks_column(),
    ];
    // Without metrics-server (or the right to read it) the notice says so, without a table.
    let shown = move || !matches!(usage.state.get(), UsageState::Unavailable(_));
    view! {
        <h2 class="section">{i18n.t(Msg::TabUsage)}</h2>
        <UsageNotice state=usage.state />
        <Show when=shown>
            <ResourceTable
                rows=rows
                key=|row: &ContainerUsage| row.name.clone()
                columns=columns.clone()
                empty=Msg::NoContainers
                hidden=RwSignal::new(Vec::new())
                class="usage-table"
            />
        </Show>
        <p class="hint">{i18n.t(Msg::UsageExplained)}</p>
    }
}
