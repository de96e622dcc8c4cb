//! The rollout rules against small clusters written as the apiserver would show them.

use serde_json::{Value, json};

use super::*;
use crate::k8s::{ControllerRevision, DaemonSet, Node, Pod};

const NOW: i64 = 1_796_159_445; // 2026-12-01T21:10:45Z
const LONG_AGO: &str = "2026-12-01T20:00:00Z";

fn node(name: &str, zone: Option<&str>) -> Node {
    let labels = zone.map_or(
        json!({}),
        |zone| json!({"topology.kubernetes.io/zone": zone}),
    );
    serde_json::from_value(json!({
        "metadata": {"name": name, "labels": labels},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]}
    }))
    .unwrap()
}

fn cluster() -> Vec<Node> {
    vec![
        node("n1", Some("zone-a")),
        node("n2", Some("zone-a")),
        node("n3", Some("zone-b")),
        node("n4", Some("zone-b")),
        node("n5", None),
    ]
}

fn daemonset(strategy: Value, min_ready: i32) -> DaemonSet {
    serde_json::from_value(json!({
        "metadata": {"name": "agent", "uid": "u"},
        "spec": {"updateStrategy": strategy, "minReadySeconds": min_ready}
    }))
    .unwrap()
}

fn rolling(max_unavailable: Value, max_surge: Value) -> DaemonSet {
    daemonset(
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": max_unavailable, "maxSurge": max_surge}}),
        0,
    )
}

fn revisions() -> Revisions {
    let revision = |hash: &str, number: i64| -> ControllerRevision {
        serde_json::from_value(json!({
            "metadata": {"name": format!("agent-{hash}"), "labels": {REVISION_HASH_LABEL: hash}},
            "revision": number
        }))
        .unwrap()
    };
    Revisions::new(&[revision("old", 1), revision("new", 2)])
}

/// A pod of revision `hash` on `node`, ready since `ready_since` or pending with `waiting`.
fn pod(name: &str, node: &str, hash: &str, state: PodState) -> Pod {
    let (phase, conditions, statuses) = match state {
        PodState::ReadySince(since) => (
            "Running",
            json!([{"type": "Ready", "status": "True", "lastTransitionTime": since}]),
            json!([{"name": "agent", "ready": true, "state": {"running": {}}}]),
        ),
        PodState::Waiting(reason) => (
            "Pending",
            json!([{"type": "Ready", "status": "False"}]),
            json!([{"name": "agent", "state": {"waiting": {"reason": reason}}}]),
        ),
    };
    serde_json::from_value(json!({
        "metadata": {"name": name, "labels": {REVISION_HASH_LABEL: hash}},
        "spec": {"nodeName": node},
        "status": {"phase": phase, "conditions": conditions, "containerStatuses": statuses}
    }))
    .unwrap()
}

#[derive(Clone, Copy)]
enum PodState {
    ReadySince(&'static str),
    Waiting(&'static str),
}

use PodState::{ReadySince, Waiting};

/// One old, ready pod per node, except those given.
fn pods_with(overrides: Vec<Pod>) -> Vec<Pod> {
    let mut pods = overrides;
    for n in 1..=5 {
        let name = format!("n{n}");
        if !pods.iter().any(|pod| pod.spec.node_name == name) {
            pods.push(pod(
                &format!("agent-{name}"),
                &name,
                "old",
                ReadySince(LONG_AGO),
            ));
        }
    }
    pods
}

fn states(daemonset: &DaemonSet, pods: &[Pod]) -> Vec<NodeState> {
    node_rollouts(daemonset, &cluster(), pods, &revisions(), NOW)
        .into_iter()
        .map(|row| row.state)
        .collect()
}

#[test]
fn a_new_pod_that_never_pulls_is_the_stuck_node_and_holds_every_other_by_max_unavailable() {
    let ds = rolling(json!(1), json!(0));
    let pods = pods_with(vec![pod(
        "agent-x",
        "n1",
        "new",
        Waiting("ImagePullBackOff"),
    )]);
    let held = NodeState::Waiting(Wait::Held {
        limit: "maxUnavailable",
        value: 1,
        in_flight: vec!["agent-x".into()],
    });
    assert_eq!(
        states(&ds, &pods),
        [
            NodeState::Starting(NotAvailable::Pending("ImagePullBackOff".into())),
            held.clone(),
            held.clone(),
            held.clone(),
            held
        ]
    );
}

#[test]
fn with_room_in_the_budget_the_next_nodes_go_and_the_rest_wait_their_turn() {
    let ds = rolling(json!(2), json!(0));
    let pods = pods_with(vec![pod(
        "agent-x",
        "n1",
        "new",
        Waiting("ContainerCreating"),
    )]);
    let states = states(&ds, &pods);
    assert_eq!(states[1], NodeState::Waiting(Wait::Next));
    assert_eq!(states[2], NodeState::Waiting(Wait::Turn { at_a_time: 2 }));
}

#[test]
fn a_paused_rollout_names_who_paused_it_and_since_when_on_every_old_node() {
    let ds = rolling(json!(1), json!(0));
    let paused: DaemonSet =
        crate::rollout::merge::apply(&ds, &pause_patch(&ds, "alice", "2026-12-01T21:00:00Z"));
    let pods = pods_with(vec![pod("agent-x", "n1", "new", ReadySince(LONG_AGO))]);
    let states = states(&paused, &pods);
    assert_eq!(states[0], NodeState::Current);
    assert_eq!(
        states[4],
        NodeState::Waiting(Wait::Paused {
            by: "alice".into(),
            since: "2026-12-01T21:00:00Z".into()
        })
    );
}

#[test]
fn on_delete_old_nodes_wait_for_their_pod_to_be_deleted() {
    let ds = daemonset(json!({"type": "OnDelete"}), 0);
    assert!(
        states(&ds, &pods_with(vec![]))
            .iter()
            .all(|state| *state == NodeState::Waiting(Wait::OnDelete))
    );
}

#[test]
fn an_unavailable_old_pod_is_replaced_first_and_takes_nothing_from_the_budget() {
    let ds = rolling(json!(1), json!(0));
    let pods = pods_with(vec![pod(
        "agent-sick",
        "n2",
        "old",
        Waiting("CrashLoopBackOff"),
    )]);
    let states = states(&ds, &pods);
    assert_eq!(states[1], NodeState::Waiting(Wait::ReplacedFirst));
    assert_eq!(states[0], NodeState::Waiting(Wait::Next));
    assert_eq!(states[2], NodeState::Waiting(Wait::Turn { at_a_time: 1 }));
}

#[test]
fn with_a_surge_the_new_pod_beside_the_old_one_is_named_and_the_surge_holds_the_rest() {
    let ds = rolling(json!(0), json!(1));
    let mut pods = pods_with(vec![]);
    pods.push(pod("agent-new", "n3", "new", Waiting("ImagePullBackOff")));
    let states = states(&ds, &pods);
    assert_eq!(
        states[2],
        NodeState::Waiting(Wait::NewPodPending(NotAvailable::Pending(
            "ImagePullBackOff".into()
        )))
    );
    assert_eq!(
        states[0],
        NodeState::Waiting(Wait::Held {
            limit: "maxSurge",
            value: 1,
            in_flight: vec!["agent-new".into()]
        })
    );
}

#[test]
fn a_new_pod_ready_for_less_than_min_ready_seconds_is_not_available_yet() {
    let mut ds = rolling(json!(1), json!(0));
    ds.spec.min_ready_seconds = 30;
    let pods = pods_with(vec![pod(
        "agent-x",
        "n1",
        "new",
        ReadySince("2026-12-01T21:10:35Z"),
    )]);
    let rows = node_rollouts(&ds, &cluster(), &pods, &revisions(), NOW);
    assert_eq!(
        rows[0].state,
        NodeState::Starting(NotAvailable::MinReady { seconds_left: 20 })
    );
    assert!(!rows[0].available());
    assert!(rows[0].on_current());
    assert!(matches!(
        rows[1].state,
        NodeState::Waiting(Wait::Held { .. })
    ));
}

#[test]
fn a_node_whose_old_pod_is_terminating_is_being_replaced() {
    let ds = rolling(json!(1), json!(0));
    let mut going = pod("agent-n4", "n4", "old", ReadySince(LONG_AGO));
    going.metadata.deletion_timestamp = Some(LONG_AGO.into());
    let states = states(&ds, &pods_with(vec![going]));
    assert_eq!(states[3], NodeState::Replacing);
}

#[test]
fn a_node_that_should_run_a_pod_and_has_none_is_missing() {
    let ds = rolling(json!(1), json!(0));
    let pods: Vec<Pod> = pods_with(vec![])
        .into_iter()
        .filter(|pod| pod.spec.node_name != "n5")
        .collect();
    assert_eq!(states(&ds, &pods)[4], NodeState::Missing);
}

#[test]
fn each_row_carries_the_revision_number_ready_since_restarts_and_an_oom_kill() {
    let ds = rolling(json!(1), json!(0));
    let mut killed = pod("agent-n2", "n2", "new", ReadySince(LONG_AGO));
    killed.status.container_statuses[0].restart_count = 3;
    killed.status.container_statuses[0].last_state =
        Some(json!({"terminated": {"reason": "OOMKilled", "exitCode": 137}}));
    let rows = node_rollouts(&ds, &cluster(), &pods_with(vec![killed]), &revisions(), NOW);
    let pod = rows[1].pod.clone().unwrap();
    assert_eq!((pod.revision.number, pod.revision.current), (Some(2), true));
    assert_eq!(pod.ready_since.as_deref(), Some(LONG_AGO));
    assert_eq!(pod.restarts, 3);
    let termination = pod.last_termination.unwrap();
    assert!(termination.is_oom());
    assert_eq!(termination.exit_code, Some(137));
    let old = rows[0].pod.clone().unwrap();
    assert_eq!(
        (old.revision.number, old.revision.current),
        (Some(1), false)
    );
}

#[test]
fn groups_by_a_node_label_count_each_value_and_put_nodes_without_it_last() {
    let ds = rolling(json!(1), json!(0));
    let pods = pods_with(vec![
        pod("a1", "n1", "new", ReadySince(LONG_AGO)),
        pod("a2", "n2", "new", ReadySince(LONG_AGO)),
        pod("b3", "n3", "new", Waiting("ImagePullBackOff")),
    ]);
    let rows = node_rollouts(&ds, &cluster(), &pods, &revisions(), NOW);
    assert!(label_keys(&rows).contains(&"topology.kubernetes.io/zone".to_owned()));
    let groups = groups(&rows, "topology.kubernetes.io/zone");
    let summary: Vec<(Option<&str>, usize, usize, usize)> = groups
        .iter()
        .map(|g| {
            (
                g.value.as_deref(),
                g.progress.desired,
                g.progress.current,
                g.progress.available,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (Some("zone-a"), 2, 2, 2),
            (Some("zone-b"), 2, 1, 1),
            (None, 1, 0, 1)
        ]
    );
    assert!(groups[0].progress.done());
    assert!(in_group(&rows[4], "topology.kubernetes.io/zone", None));
    assert!(in_group(
        &rows[0],
        "topology.kubernetes.io/zone",
        Some("zone-a")
    ));
}

#[test]
fn excluded_nodes_count_as_nodes_but_not_towards_the_rollout() {
    let mut ds = rolling(json!(1), json!(0));
    ds.spec.template.spec.node_selector = [(
        "topology.kubernetes.io/zone".to_owned(),
        "zone-a".to_owned(),
    )]
    .into();
    let pods = vec![
        pod("a1", "n1", "new", ReadySince(LONG_AGO)),
        pod("a2", "n2", "new", ReadySince(LONG_AGO)),
    ];
    let rows = node_rollouts(&ds, &cluster(), &pods, &revisions(), NOW);
    assert_eq!(rows[2].state, NodeState::Excluded);
    let progress = Progress::of(&rows);
    assert_eq!(
        (progress.nodes, progress.desired, progress.current),
        (5, 2, 2)
    );
    assert!(progress.done());
}

#[test]
fn without_the_right_to_list_nodes_the_rollout_covers_the_nodes_the_pods_are_on() {
    let mut ds = rolling(json!(1), json!(0));
    ds.spec.template.spec.node_selector = [("disktype".to_owned(), "ssd".to_owned())].into();
    let pods = pods_with(vec![pod(
        "agent-x",
        "n1",
        "new",
        Waiting("ImagePullBackOff"),
    )]);
    let nodes = nodes_of_pods(&ds, &pods);
    let names: Vec<&str> = nodes
        .iter()
        .map(|node| node.metadata.name.as_str())
        .collect();
    assert_eq!(names, ["n1", "n2", "n3", "n4", "n5"]);
    let rows = node_rollouts(&ds, &nodes, &pods, &revisions(), NOW);
    assert_eq!(
        rows[0].state,
        NodeState::Starting(NotAvailable::Pending("ImagePullBackOff".into()))
    );
    assert!(matches!(
        rows[1].state,
        NodeState::Waiting(Wait::Held { .. })
    ));
    assert_eq!(rows[0].ready, None, "readiness is unknown, not false");
}

fn on_delete_rows(pods: &[Pod]) -> Vec<NodeRollout> {
    let ds = daemonset(json!({"type": "OnDelete"}), 0);
    node_rollouts(&ds, &cluster(), pods, &revisions(), NOW)
}

#[test]
fn updating_two_chosen_nodes_one_at_a_time_deletes_the_next_only_once_the_first_is_available() {
    let mut update = NodeUpdate::new(vec!["n2".into(), "n4".into()], 1);
    let old = pods_with(vec![]);
    assert_eq!(
        updatable(&on_delete_rows(&old)),
        ["n1", "n2", "n3", "n4", "n5"]
    );
    assert_eq!(update.step(&on_delete_rows(&old)), ["agent-n2"]);
    assert_eq!(
        update.step(&on_delete_rows(&old)),
        Vec::<String>::new(),
        "n2 is in flight"
    );

    let starting = pods_with(vec![pod(
        "new-n2",
        "n2",
        "new",
        Waiting("ContainerCreating"),
    )]);
    assert_eq!(
        update.step(&on_delete_rows(&starting)),
        Vec::<String>::new()
    );
    assert_eq!(
        update.states(&on_delete_rows(&starting)),
        [
            ("n2".into(), NodeUpdateState::InFlight),
            ("n4".into(), NodeUpdateState::Queued)
        ]
    );

    let n2_ready = pods_with(vec![pod("new-n2", "n2", "new", ReadySince(LONG_AGO))]);
    assert_eq!(update.step(&on_delete_rows(&n2_ready)), ["agent-n4"]);
    let both = pods_with(vec![
        pod("new-n2", "n2", "new", ReadySince(LONG_AGO)),
        pod("new-n4", "n4", "new", ReadySince(LONG_AGO)),
    ]);
    assert!(update.finished(&on_delete_rows(&both)));
    assert_eq!(
        on_delete_rows(&both)[0].state,
        NodeState::Waiting(Wait::OnDelete)
    );
}

#[test]
fn several_at_a_time_go_together_and_a_stopped_update_deletes_nothing_more() {
    let old = on_delete_rows(&pods_with(vec![]));
    let mut update = NodeUpdate::new(vec!["n1".into(), "n3".into(), "n5".into()], 2);
    assert_eq!(update.step(&old), ["agent-n1", "agent-n3"]);
    let mut stopped = NodeUpdate::new(vec!["n1".into()], 1);
    stopped.stopped = true;
    assert!(stopped.step(&old).is_empty());
}

#[test]
fn a_chosen_node_already_on_the_current_revision_is_done_without_a_deletion() {
    let rows = on_delete_rows(&pods_with(vec![pod(
        "new-n1",
        "n1",
        "new",
        ReadySince(LONG_AGO),
    )]));
    let mut update = NodeUpdate::new(vec!["n1".into()], 1);
    assert!(update.step(&rows).is_empty());
    assert!(update.finished(&rows));
}
