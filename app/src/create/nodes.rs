//! Step 5, node selection: node selector pairs with the nodes they match (live), tolerations,
//! host network and PID, priority class.

use std::collections::BTreeMap;

use console_model::{
    document::{TaintEffect, TolerationForm, TolerationOperator},
    host_ports::{Taken, host_ports, taken_host_ports},
    k8s::{DaemonSet, List, Node, Pod},
    placement::{Verdict, placements},
};
use leptos::prelude::*;

use super::{
    Wizard, cluster_names,
    fields::{
        check_field, choice_field, daemon_set, field, item_list, keywords, number_field,
        optional_keywords, pairs_field, suggesting_input, suggestions, text_input,
    },
    with_draft,
};
use crate::{
    api,
    i18n::{Msg, use_i18n},
    watch::{LiveState, live_list},
};

const PRIORITY_CLASSES: &str = "priority-class-names";

pub fn step(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = daemon_set();
    let classes = cluster_names(|| Some("/apis/scheduling.k8s.io/v1/priorityclasses".to_owned()));
    view! {
        <section class="group">
            <h3>{i18n.t(Msg::NodeSelector)}</h3>
            <p class="hint">{i18n.t(Msg::NodeSelectorHint)}</p>
            {pairs_field(wizard, Msg::AddSelectorPair, field!(form, node_selector))}
            {matching_nodes(wizard)}
        </section>
        <section class="group">
            <h3>{i18n.t(Msg::Tolerations)}</h3>
            {tolerations(wizard)}
        </section>
        <section class="group">
            <h3>{i18n.t(Msg::HostAndPriority)}</h3>
            {check_field(wizard, Msg::HostNetwork, field!(form, host_network))}
            {check_field(wizard, Msg::HostPid, field!(form, host_pid))}
            {suggestions(PRIORITY_CLASSES, move || classes.get())}
            {suggesting_input(wizard, Msg::PriorityClass, field!(form, priority_class_name), PRIORITY_CLASSES)}
        </section>
    }
}

/// The nodes the DaemonSet would run on as it stands, kept live: the scheduler's rules
/// (selector, affinity, taints against tolerations, host ports other pods hold) applied to
/// every node.
fn matching_nodes(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let nodes = live_list("/api/v1/nodes".to_owned(), String::new(), |node: Node| node);
    let daemon_set = Memo::new(move |_| {
        wizard.form.track();
        let mut daemon_set = with_draft(wizard.form, wizard.draft, |draft| {
            serde_yaml::from_value::<DaemonSet>(draft.daemon_set().clone())
        })
        .ok()?;
        // A pair still being typed selects nothing yet.
        daemon_set
            .spec
            .template
            .spec
            .node_selector
            .retain(|key, _| !key.is_empty());
        Some(daemon_set)
    });
    let taken = taken_host_ports_by_node(daemon_set);
    // Each node's verdict, and the host port that keeps the pod off it despite a match.
    let verdicts = Memo::new(move |_| {
        let nodes: Vec<Node> = nodes.items.with(|nodes| nodes.values().cloned().collect());
        let placements = daemon_set
            .get()
            .map(|daemon_set| placements(&daemon_set, &nodes, &[]))
            .unwrap_or_default();
        taken.with(|taken| {
            placements
                .into_iter()
                .map(|placement| {
                    let blocked = placement
                        .verdict
                        .should_run()
                        .then(|| taken.get(&placement.node).cloned())
                        .flatten();
                    (placement, blocked)
                })
                .collect::<Vec<_>>()
        })
    });
    let summary = move || match nodes.state.get() {
        LiveState::Failed(_) => i18n.t(Msg::NodesUnavailable)().to_owned(),
        _ => {
            let (matching, total) = verdicts.with(|all| {
                (
                    all.iter()
                        .filter(|(p, blocked)| p.verdict.should_run() && blocked.is_none())
                        .count(),
                    all.len(),
                )
            });
            i18n.t(Msg::NodesMatching)()
                .replace("{matching}", &matching.to_string())
                .replace("{total}", &total.to_string())
        }
    };
    let rows = move || {
        verdicts
            .get()
            .into_iter()
            .map(|(placement, blocked)| {
                let (class, reason) = match (&placement.verdict, blocked) {
                    (_, Some(Taken { port, by })) => {
                        ("blocked", i18n.t(Msg::HostPortTaken)().replace("{port}", &port.to_string()).replace("{pod}", &by))
                    }
                    (Verdict::SelectorMismatch { unmet }, None) => ("excluded", format!("{} {}", i18n.t(Msg::ReasonSelector)(), unmet.join(", "))),
                    (Verdict::UntoleratedTaint { taint }, None) => ("excluded", format!("{} {taint}", i18n.t(Msg::ReasonTaint)())),
                    _ => ("matching", i18n.t(Msg::WillRunHere)().to_owned()),
                };
                view! { <li class=class><span class="name">{placement.node}</span> <span class="reason">{reason}</span></li> }
            })
            .collect_view()
    };
    view! {
        <div class="matching-nodes" aria-live="polite">
            <p class="count">{summary}</p>
            <ul>{rows}</ul>
        </div>
    }
}

/// For each node, a host port the DaemonSet needs that a pod there already holds. The cluster's
/// pods are read once when the DaemonSet first asks for a host port (not kept live: that would
/// watch every pod of the cluster); nothing is known if they may not be listed.
fn taken_host_ports_by_node(daemon_set: Memo<Option<DaemonSet>>) -> Memo<BTreeMap<String, Taken>> {
    let wants_host_ports = Memo::new(move |_| {
        daemon_set.with(|daemon_set| {
            daemon_set
                .as_ref()
                .is_some_and(|d| !host_ports(&d.spec.template.spec).is_empty())
        })
    });
    let pods = LocalResource::new(move || {
        let wanted = wants_host_ports.get();
        async move {
            if !wanted {
                return Vec::new();
            }
            api::get_raw(RUNNING_PODS)
                .await
                .ok()
                .and_then(|list| serde_json::from_value::<List<Pod>>(list).ok())
                .map(|list| list.items)
                .unwrap_or_default()
        }
    });
    Memo::new(move |_| {
        let pods = pods.get().unwrap_or_default();
        daemon_set.with(|daemon_set| {
            daemon_set
                .as_ref()
                .map(|d| taken_host_ports(&d.spec.template.spec, &pods))
                .unwrap_or_default()
        })
    })
}

/// Every pod of the cluster that still holds its ports.
const RUNNING_PODS: &str =
    "/api/v1/pods?fieldSelector=status.phase%21%3DSucceeded%2Cstatus.phase%21%3DFailed";

fn tolerations(wizard: Wizard) -> impl IntoView {
    item_list(
        wizard,
        field!(daemon_set(), tolerations),
        Msg::AddToleration,
        TolerationForm::default,
        move |toleration, _| {
            view! {
            <div class="fields columns">
                {text_input(wizard, Msg::Key, field!(toleration, key), "node-role.kubernetes.io/control-plane")}
                {choice_field(wizard, Msg::Operator, field!(toleration, operator), keywords(TolerationOperator::ALL, TolerationOperator::as_str))}
                {text_input(wizard, Msg::Value, field!(toleration, value), "")}
                {choice_field(wizard, Msg::Effect, field!(toleration, effect), optional_keywords(TaintEffect::ALL, TaintEffect::as_str))}
                {number_field(wizard, Msg::TolerationSeconds, field!(toleration, toleration_seconds))}
            </div>
        }
        .into_any()
        },
    )
}
