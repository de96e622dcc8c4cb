//! Step 5, node selection: node selector pairs with the nodes they match (live), tolerations,
//! host network and PID, priority class.

use console_model::{
    document::{TaintEffect, TolerationForm, TolerationOperator},
    k8s::{DaemonSet, Node},
    placement::{Verdict, placements},
};
use leptos::prelude::*;

use super::{
    Wizard, cluster_names,
    fields::{
        check_field, choice_field, field, item_list, keywords, number_field, optional_keywords,
        pairs_field, suggesting_input, suggestions, text_input,
    },
    pod::daemon_set,
};
use crate::{
    i18n::{Msg, use_i18n},
    watch::{LiveState, live_list},
};

const POD: &str = "spec.template.spec";
const PRIORITY_CLASSES: &str = "priority-class-names";

pub fn step(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = daemon_set();
    let classes = cluster_names(|| Some("/apis/scheduling.k8s.io/v1/priorityclasses".to_owned()));
    view! {
        <section class="group">
            <h3>{i18n.t(Msg::NodeSelector)}</h3>
            <p class="hint">{i18n.t(Msg::NodeSelectorHint)}</p>
            {pairs_field(wizard, Msg::AddSelectorPair, field!(form, node_selector), format!("{POD}.nodeSelector"))}
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
            {suggesting_input(wizard, Msg::PriorityClass, field!(form, priority_class_name), format!("{POD}.priorityClassName"), PRIORITY_CLASSES)}
        </section>
    }
}

/// The nodes the DaemonSet would run on as it stands, kept live: the scheduler's rules
/// (selector, affinity, taints against tolerations) applied to every node.
fn matching_nodes(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let nodes = live_list("/api/v1/nodes".to_owned(), String::new(), |node: Node| node);
    let daemon_set = Memo::new(move |_| {
        wizard.form.track();
        let mut daemon_set =
            serde_yaml::from_value::<DaemonSet>(wizard.current_draft().daemon_set().clone())
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
    let verdicts = Memo::new(move |_| {
        let nodes: Vec<Node> = nodes.items.with(|nodes| nodes.values().cloned().collect());
        daemon_set
            .get()
            .map(|daemon_set| placements(&daemon_set, &nodes, &[]))
            .unwrap_or_default()
    });
    let summary = move || match nodes.state.get() {
        LiveState::Failed(_) => i18n.t(Msg::NodesUnavailable)().to_owned(),
        _ => {
            let (matching, total) = verdicts.with(|all| {
                (
                    all.iter().filter(|p| p.verdict.should_run()).count(),
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
            .map(|placement| {
                let (class, reason) = match &placement.verdict {
                    Verdict::SelectorMismatch { unmet } => ("excluded", format!("{} {}", i18n.t(Msg::ReasonSelector)(), unmet.join(", "))),
                    Verdict::UntoleratedTaint { taint } => ("excluded", format!("{} {taint}", i18n.t(Msg::ReasonTaint)())),
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

fn tolerations(wizard: Wizard) -> impl IntoView {
    item_list(
        wizard,
        field!(daemon_set(), tolerations),
        Msg::AddToleration,
        TolerationForm::default,
        move |toleration, index| {
            let at = format!("{POD}.tolerations[{index}]");
            view! {
            <div class="fields columns">
                {text_input(wizard, Msg::Key, field!(toleration, key), format!("{at}.key"), "node-role.kubernetes.io/control-plane")}
                {choice_field(wizard, Msg::Operator, field!(toleration, operator), keywords(TolerationOperator::ALL, TolerationOperator::as_str))}
                {text_input(wizard, Msg::Value, field!(toleration, value), format!("{at}.value"), "")}
                {choice_field(wizard, Msg::Effect, field!(toleration, effect), optional_keywords(TaintEffect::ALL, TaintEffect::as_str))}
                {number_field(wizard, Msg::TolerationSeconds, field!(toleration, toleration_seconds), format!("{at}.tolerationSeconds"))}
            </div>
        }
        .into_any()
        },
    )
}
