//! DaemonSet rows read through the proxy from the real testbed apiserver, as the app reads them.

mod support;

use std::time::Duration;

use console_model::{DaemonSetRow, RolloutStatus, k8s::List};
use k8s_openapi::api::apps::v1::DaemonSet;
use kube::{Api, api::PostParams};
use support::{Browser, Testbed, create_project, delete_project, spawn_console, unique_name};

fn agent(name: &str, node_selector: serde_json::Value) -> DaemonSet {
    serde_json::from_value(serde_json::json!({
        "metadata": {
            "name": name,
            "annotations": {"kubesphere.io/alias-name": "Test agent"}
        },
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "nodeSelector": node_selector,
                    "containers": [{"name": "agent", "image": "registry.local/agent:1.0"}]
                }
            }
        }
    }))
    .unwrap()
}

/// Lists through the proxy and reads rows as the app does.
async fn list(browser: &Browser, path: &str) -> Vec<DaemonSetRow> {
    let response = browser.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    let list: List<console_model::k8s::DaemonSet> = response.json().await.unwrap();
    list.items.iter().map(DaemonSetRow::from_object).collect()
}

#[tokio::test]
async fn a_daemonset_created_with_kubectl_is_listed_with_its_project_alias_and_images() {
    let testbed = Testbed::from_env();
    let client = testbed.admin_client().await;
    let project = unique_name("api-list");
    create_project(&client, &project).await;
    let daemonsets: Api<DaemonSet> = Api::namespaced(client.clone(), &project);
    daemonsets
        .create(
            &PostParams::default(),
            &agent("probe-agent", serde_json::json!({})),
        )
        .await
        .unwrap();
    let base = spawn_console(&testbed).await;
    let admin = Browser::with_token(&base, testbed.var("ADMIN_TOKEN")).await;

    let in_project = list(
        &admin,
        &format!("/api/k8s/apis/apps/v1/namespaces/{project}/daemonsets"),
    )
    .await;
    let everywhere = list(&admin, "/api/k8s/apis/apps/v1/daemonsets").await;
    delete_project(&client, &project).await;

    assert_eq!(in_project.len(), 1);
    let row = &in_project[0];
    assert_eq!(
        (row.name.as_str(), row.namespace.as_str()),
        ("probe-agent", project.as_str())
    );
    assert_eq!(row.alias.as_deref(), Some("Test agent"));
    assert_eq!(row.images, ["registry.local/agent:1.0"]);
    assert!(row.created.is_some());
    assert!(
        everywhere
            .iter()
            .any(|r| r.namespace == project && r.name == "probe-agent")
    );
}

#[tokio::test]
async fn a_daemonset_whose_selector_matches_no_node_is_reported_stopped() {
    let testbed = Testbed::from_env();
    let client = testbed.admin_client().await;
    let project = unique_name("api-stopped");
    create_project(&client, &project).await;
    let daemonsets: Api<DaemonSet> = Api::namespaced(client.clone(), &project);
    let selector = serde_json::json!({"disktype": "no-such-disk"});
    daemonsets
        .create(&PostParams::default(), &agent("idle-agent", selector))
        .await
        .unwrap();
    let base = spawn_console(&testbed).await;
    let admin = Browser::with_token(&base, testbed.var("ADMIN_TOKEN")).await;

    // The controller needs a moment to observe the new DaemonSet.
    let mut row = None;
    for _ in 0..50 {
        let rows = list(
            &admin,
            &format!("/api/k8s/apis/apps/v1/namespaces/{project}/daemonsets"),
        )
        .await;
        if rows[0].counts.observed_generation >= 1 {
            row = Some(rows[0].clone());
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    delete_project(&client, &project).await;

    let row = row.expect("the DaemonSet controller observed the DaemonSet within 10 s");
    assert_eq!(row.counts.desired, 0);
    assert_eq!(row.status(), RolloutStatus::Stopped);
    assert_eq!(
        row.node_selector.get("disktype").map(String::as_str),
        Some("no-such-disk")
    );
}

#[tokio::test]
async fn listing_a_project_that_does_not_exist_gives_an_empty_list_not_an_error() {
    let testbed = Testbed::from_env();
    let base = spawn_console(&testbed).await;
    let admin = Browser::with_token(&base, testbed.var("ADMIN_TOKEN")).await;
    assert!(
        list(
            &admin,
            "/api/k8s/apis/apps/v1/namespaces/no-such-project/daemonsets"
        )
        .await
        .is_empty()
    );
}

#[tokio::test]
async fn the_console_is_ready_while_the_apiserver_answers() {
    let base = spawn_console(&Testbed::from_env()).await;
    let response = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(response.status(), 200);
}
