//! The console's own ServiceAccount, with exactly the rights the chart gives it (rendered in
//! `deploy/manifests/identity.yaml`), is enough for everything the console does as itself, and
//! gets nothing more: users' rights come from their own identity.

mod support;

use std::{path::Path, process::Command};

use support::{Browser, Testbed, account, accounts_file, auth_settings, spawn_console_with};

const NAMESPACE: &str = "daemonset-console";
const ACCOUNT: &str = "system:serviceaccount:daemonset-console:daemonset-console";

/// The testbed's kubectl as its admin; the output, whether the command succeeded or not
/// (`auth can-i` answers "no" with a failing exit code).
fn kubectl(testbed: &Testbed, args: &[&str]) -> String {
    let output = Command::new(testbed.var("KUBECTL"))
        .args(args)
        .env("KUBECONFIG", testbed.var("KUBECONFIG"))
        .output()
        .expect("the testbed's kubectl runs");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[tokio::test]
async fn the_console_works_with_the_rights_the_chart_gives_it_and_has_no_more() {
    let testbed = Testbed::from_env();
    let rbac = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/manifests/identity.yaml");
    let applied = kubectl(&testbed, &["apply", "-f", rbac.to_str().unwrap()]);
    assert!(
        applied.contains("clusterrole.rbac.authorization.k8s.io/daemonset-console"),
        "{applied}"
    );
    let token = kubectl(
        &testbed,
        &[
            "-n",
            NAMESPACE,
            "create",
            "token",
            "daemonset-console",
            "--duration=10m",
        ],
    );
    assert!(!token.is_empty(), "no token for the ServiceAccount");

    // The console as the ServiceAccount: the testbed's address and CA, the account's token.
    let mut config = testbed.admin_config().await;
    config.auth_info = kube::config::AuthInfo {
        token: Some(token.into()),
        ..Default::default()
    };
    let file = accounts_file(&[
        ("ops", "correct horse battery", "alice", &[]),
        ("root", "another battery", "admin", &["system:masters"]),
    ]);
    let base = spawn_console_with(
        config,
        Path::new("/nonexistent"),
        auth_settings(Some(&file)),
    )
    .await;
    let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200, "{}", ready.text().await.unwrap());

    // A console account impersonates its user, whose projects the console works out itself.
    let ops = Browser::sign_in(&base, account("ops", "correct horse battery")).await;
    let projects: serde_json::Value = ops.get("/api/projects").await.json().await.unwrap();
    assert_eq!(projects["names"], serde_json::json!(["logging"]));
    let listed = ops
        .get("/api/k8s/apis/apps/v1/namespaces/logging/daemonsets")
        .await;
    assert_eq!(listed.status(), 200);
    let root = Browser::sign_in(&base, account("root", "another battery")).await;
    let projects: serde_json::Value = root.get("/api/projects").await.json().await.unwrap();
    assert_eq!(projects["all"], true);

    // Nothing more: the ServiceAccount itself may not read or change workloads or secrets.
    for (verb, resource, expected) in [
        ("list", "namespaces", "yes"),
        ("impersonate", "users", "yes"),
        ("list", "secrets", "no"),
        ("list", "daemonsets.apps", "no"),
        ("create", "daemonsets.apps", "no"),
        ("create", "pods/exec", "no"),
    ] {
        let answer = kubectl(
            &testbed,
            &[
                "auth",
                "can-i",
                verb,
                resource,
                "--all-namespaces",
                "--as",
                ACCOUNT,
            ],
        );
        assert_eq!(
            answer, expected,
            "may the console's account {verb} {resource}?"
        );
    }
    std::fs::remove_file(file).unwrap();
}
