//! Signing in, sessions and the user's view of projects, against the real testbed apiserver.
//! The testbed's `admin` token is in system:masters; `alice` may use the `logging` project only.

mod support;

use std::path::Path;

use support::{
    Browser, SHARED_KEY, Testbed, account, accounts_file, auth_settings, post_sign_in,
    session_cookie, spawn_console, spawn_console_with,
};

async fn projects(browser: &Browser) -> serde_json::Value {
    let response = browser.get("/api/projects").await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_token_signs_in_as_its_kubernetes_user_and_the_page_never_sees_the_token() {
    let testbed = Testbed::from_env();
    let base = spawn_console(&testbed).await;
    let response = post_sign_in(
        &base,
        &serde_json::json!({"kind": "token", "token": testbed.var("ADMIN_TOKEN")}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    let body = response.text().await.unwrap();
    assert!(
        !body.contains(testbed.var("ADMIN_TOKEN")),
        "the token must not reach page JavaScript"
    );
    assert!(
        !set_cookie.contains(testbed.var("ADMIN_TOKEN")),
        "the cookie is sealed"
    );

    let alice = Browser::with_token(&base, testbed.var("USER_TOKEN")).await;
    assert_eq!(alice.username, "alice");
    let me: serde_json::Value = alice.get("/api/session").await.json().await.unwrap();
    assert_eq!(
        (me["username"].as_str(), me["method"].as_str()),
        (Some("alice"), Some("token"))
    );
}

#[tokio::test]
async fn an_admin_sees_every_project_and_an_ordinary_user_only_theirs() {
    let testbed = Testbed::from_env();
    let base = spawn_console(&testbed).await;
    let admin = projects(&Browser::with_token(&base, testbed.var("ADMIN_TOKEN")).await).await;
    assert_eq!(admin["all"], true);
    for project in [
        "monitoring",
        "logging",
        "networking",
        "storage",
        "kube-system",
    ] {
        assert!(
            admin["names"]
                .as_array()
                .unwrap()
                .iter()
                .any(|name| name == project),
            "{project}"
        );
    }
    let alice = projects(&Browser::with_token(&base, testbed.var("USER_TOKEN")).await).await;
    assert_eq!(
        alice,
        serde_json::json!({"all": false, "names": ["logging"]})
    );
}

#[tokio::test]
async fn a_console_account_acts_as_its_mapped_kubernetes_user() {
    let testbed = Testbed::from_env();
    let file = accounts_file(&[("ops", "correct horse battery", "alice", &[])]);
    let base = spawn_console_with(
        testbed.admin_config().await,
        Path::new("/nonexistent"),
        auth_settings(Some(&file)),
    )
    .await;
    let ops = Browser::sign_in(&base, account("ops", "correct horse battery")).await;
    assert_eq!(ops.username, "alice");
    assert_eq!(
        projects(&ops).await["names"],
        serde_json::json!(["logging"])
    );
    let elsewhere = ops
        .get("/api/k8s/apis/apps/v1/namespaces/monitoring/daemonsets")
        .await;
    assert_eq!(
        elsewhere.status(),
        403,
        "impersonation carries alice's limits, not the server's powers"
    );
    std::fs::remove_file(file).unwrap();
}

#[tokio::test]
async fn wrong_passwords_and_bad_tokens_get_a_clear_answer() {
    let testbed = Testbed::from_env();
    let file = accounts_file(&[("ops", "right", "alice", &[])]);
    let base = spawn_console_with(
        testbed.admin_config().await,
        Path::new("/nonexistent"),
        auth_settings(Some(&file)),
    )
    .await;
    let cases = [
        (account("ops", "wrong"), 401, "InvalidCredentials"),
        (account("nobody", "right"), 401, "InvalidCredentials"),
        (
            serde_json::json!({"kind": "token", "token": "not-a-token"}),
            401,
            "InvalidToken",
        ),
        (
            serde_json::json!({"kind": "token", "token": ""}),
            401,
            "InvalidToken",
        ),
        (serde_json::json!({"kind": "password"}), 400, "BadRequest"),
    ];
    for (credentials, status, reason) in cases {
        let response = post_sign_in(&base, &credentials).await;
        assert_eq!(response.status(), status, "{credentials}");
        assert!(session_cookie(&response).is_none());
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["reason"], reason, "{credentials}");
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    std::fs::remove_file(file).unwrap();
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_client() {
    let testbed = Testbed::from_env();
    let mut settings = auth_settings(None);
    settings.limiter =
        console_server::auth::rate_limit::Limiter::new(3, std::time::Duration::from_secs(60));
    let base = spawn_console_with(
        testbed.admin_config().await,
        Path::new("/nonexistent"),
        settings,
    )
    .await;
    let guess = serde_json::json!({"kind": "token", "token": "guess"});
    for _ in 0..3 {
        assert_eq!(post_sign_in(&base, &guess).await.status(), 401);
    }
    let held_back = post_sign_in(&base, &guess).await;
    assert_eq!(held_back.status(), 429);
    assert!(
        held_back.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 0
    );
    let body: serde_json::Value = held_back.json().await.unwrap();
    assert_eq!(body["reason"], "TooManyAttempts");
}

#[tokio::test]
async fn a_second_server_with_the_same_keys_accepts_the_first_ones_session() {
    let testbed = Testbed::from_env();
    let first = spawn_console(&testbed).await;
    let second = spawn_console(&testbed).await;
    let alice = Browser::with_token(&first, testbed.var("USER_TOKEN")).await;
    let on_second = alice.at(&second);
    assert_eq!(
        on_second
            .get("/api/k8s/apis/apps/v1/namespaces/logging/daemonsets")
            .await
            .status(),
        200
    );

    let mut other_keys = auth_settings(None);
    other_keys.keys = console_server::auth::session::SessionKeys::parse(
        "HxwdHh8QERITFBUWFxgZGhscHR4fAAECAwQFBgcICQo=",
    )
    .unwrap();
    assert_ne!(SHARED_KEY, "HxwdHh8QERITFBUWFxgZGhscHR4fAAECAwQFBgcICQo=");
    let stranger = spawn_console_with(
        testbed.admin_config().await,
        Path::new("/nonexistent"),
        other_keys,
    )
    .await;
    assert_eq!(alice.at(&stranger).get("/api/session").await.status(), 401);
}

#[tokio::test]
async fn a_tampered_missing_or_expired_cookie_is_refused() {
    let testbed = Testbed::from_env();
    let mut short = auth_settings(None);
    short.lifetimes.idle_seconds = 1;
    let base = spawn_console_with(
        testbed.admin_config().await,
        Path::new("/nonexistent"),
        short,
    )
    .await;
    let alice = Browser::with_token(&base, testbed.var("USER_TOKEN")).await;

    let mut tampered = alice.at(&base);
    let flipped = if tampered.cookie.ends_with('A') {
        'B'
    } else {
        'A'
    };
    tampered.cookie.pop();
    tampered.cookie.push(flipped);
    let response = tampered.get("/api/session").await;
    assert_eq!(response.status(), 401);
    let anonymous = reqwest::get(format!(
        "{base}/api/k8s/apis/apps/v1/namespaces/logging/daemonsets"
    ))
    .await
    .unwrap();
    assert_eq!(anonymous.status(), 401);

    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let expired = alice.get("/api/session").await;
    assert_eq!(expired.status(), 401);
    let body: serde_json::Value = expired.json().await.unwrap();
    assert_eq!(body["reason"], "SessionExpired");
}

#[tokio::test]
async fn signing_out_removes_the_cookie() {
    let testbed = Testbed::from_env();
    let base = spawn_console(&testbed).await;
    let alice = Browser::with_token(&base, testbed.var("USER_TOKEN")).await;
    let response = alice
        .request(reqwest::Method::DELETE, "/api/session")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let cleared = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cleared.starts_with("console_session=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
}
