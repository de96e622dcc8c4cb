//! The DaemonSet's overview: status, selectors, tolerations, strategy, images.

use console_model::{
    DaemonSetRow,
    k8s::{DaemonSet, Toleration, UpdateStrategy},
};
use leptos::prelude::*;

use crate::{
    components::StatusBadge,
    i18n::{Msg, use_i18n},
    time::age_of,
};

#[component]
pub fn Overview(daemonset: DaemonSet, row: DaemonSetRow) -> impl IntoView {
    let i18n = use_i18n();
    let spec = &daemonset.spec;
    let pod = &spec.template.spec;
    let strategy = describe_strategy(&spec.update_strategy);
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
            <div><dt>{i18n.t(Msg::ColumnStatus)}</dt><dd><StatusBadge row=row.clone() /></dd></div>
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

/// `RollingUpdate · maxUnavailable 1 · maxSurge 0`, or `OnDelete`, with the apiserver's defaults
/// where a value is absent.
pub fn describe_strategy(strategy: &UpdateStrategy) -> String {
    match strategy.kind.as_str() {
        "OnDelete" => "OnDelete".to_owned(),
        _ => {
            let rolling = strategy.rolling_update.clone().unwrap_or_default();
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
    }
}
