//! The console reads manifests as kubectl does, checked against kubectl itself.
//!
//! For every text of the corpus (`tests/yaml_corpus/`, plus CRLF, byte-order-mark and
//! very-long-string variants made here), the testbed's kubectl runs
//! `create --dry-run=server -o json -f -`, and the console's own path runs separately: import
//! (`Draft::from_yaml`), the wizard's form read and written back, its validation, and the
//! documents create would send, each dry-run through the console's API proxy as the app sends
//! them. The objects the apiserver would store must be equal, ignoring fields the server sets,
//! and kubectl must read the YAML the console writes for the draft as the same objects again.
//! Where kubectl refuses a text the console must refuse it too: before sending, at the same
//! line kubectl names, or with the apiserver's same refusal.

mod support;

use std::process::{Command, Stdio};

use console_model::{
    document::{Draft, ReadError, validate},
    refusal,
};
use serde_json::Value;
use support::{Browser, Testbed, create_project, delete_project, spawn_console, unique_name};

/// How a corpus text is changed before both read it.
#[derive(Clone, Copy)]
enum Variant {
    AsWritten,
    /// Windows line ends.
    Crlf,
    /// A UTF-8 byte-order mark in front, as some editors save.
    ByteOrderMark,
    /// An annotation of 100 000 characters and an env value of a thousand words.
    LongStrings,
}

impl Variant {
    fn apply(self, text: &str) -> String {
        match self {
            Variant::AsWritten => text.to_owned(),
            Variant::Crlf => text.replace('\n', "\r\n"),
            Variant::ByteOrderMark => format!("\u{feff}{text}"),
            Variant::LongStrings => {
                let long = "x".repeat(100_000);
                let words = vec!["word"; 1000].join(" ");
                text.replacen(
                    "metadata:\n  name: scalars\n",
                    &format!(
                        "metadata:\n  name: scalars\n  annotations:\n    long: {long}\n    words: {words}\n"
                    ),
                    1,
                )
            }
        }
    }
}

/// What kubectl makes of a corpus text, written down so that a case cannot pass by both
/// sides refusing what was meant to be stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Stored,
    RefusedToRead,
    RefusedByServer,
}

/// What kubectl, or the console, made of a text.
#[derive(Debug)]
enum Outcome {
    /// The objects the apiserver would store, in document order.
    Objects(Vec<Value>),
    /// Refused before anything was sent (kubectl: its client-side error; the console: its
    /// reader's, with the line).
    RefusedToRead {
        message: String,
        line: Option<usize>,
    },
    /// The apiserver refused a document; its message.
    RefusedByServer(String),
}

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/yaml_corpus");

fn corpus(name: &str) -> String {
    let path = format!("{CORPUS}/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// `kubectl create --dry-run=server -o json -f -` with the text on standard input.
fn kubectl(testbed: &Testbed, namespace: &str, text: &str) -> Outcome {
    let mut child = Command::new(testbed.var("KUBECTL"))
        .args([
            "create",
            "--dry-run=server",
            "-o",
            "json",
            "-n",
            namespace,
            "-f",
            "-",
        ])
        .env("KUBECONFIG", testbed.var("KUBECONFIG"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the testbed's kubectl runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = text.to_owned();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(input.as_bytes());
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    if !output.status.success() {
        return if stderr.contains("Error from server") {
            Outcome::RefusedByServer(stderr)
        } else {
            let line = stderr
                .split("line ")
                .nth(1)
                .and_then(|rest| rest.split(':').next())
                .and_then(|number| number.trim().parse().ok());
            Outcome::RefusedToRead {
                message: stderr,
                line,
            }
        };
    }
    // One JSON object after another, one per document.
    let printed = serde_json::Deserializer::from_slice(&output.stdout)
        .into_iter::<Value>()
        .collect::<Result<Vec<_>, _>>()
        .expect("kubectl prints JSON");
    Outcome::Objects(printed)
}

/// The console's path: import, the wizard's form written back, validation, then each
/// document dry-run through the console's proxy, as the app's create sends it. With the
/// outcome comes the YAML the console writes for the draft (code mode, the summary).
async fn console(browser: &Browser, namespace: &str, text: &str) -> (Outcome, Option<String>) {
    let mut draft = match Draft::from_yaml(text) {
        Ok(draft) => draft,
        Err(error) => {
            let line = match &error {
                ReadError::Syntax(at) => Some(at.line),
                _ => None,
            };
            let refusal = Outcome::RefusedToRead {
                message: error.to_string(),
                line,
            };
            return (refusal, None);
        }
    };
    let mut form = draft.form();
    // The import puts a manifest without a namespace in the project already chosen.
    if form.daemon_set.namespace.is_empty() {
        form.daemon_set.namespace = namespace.to_owned();
    }
    let validation = validate(&form);
    assert!(
        validation.is_valid(),
        "the wizard would not let this be created: {:?}",
        validation.errors
    );
    draft.apply(&form);
    let written = Some(draft.to_yaml());
    let documents = draft
        .to_json_documents()
        .expect("a draft read from a manifest is JSON");
    let mut objects = Vec::new();
    for document in documents {
        let collection = if document["kind"] == "DaemonSet" {
            format!("/apis/apps/v1/namespaces/{namespace}/daemonsets")
        } else {
            format!("/api/v1/namespaces/{namespace}/persistentvolumeclaims")
        };
        // The query the app's create sends (app/src/api.rs).
        let response = browser
            .request(
                reqwest::Method::POST,
                &format!("/api/k8s{collection}?dryRun=All&fieldValidation=Strict"),
            )
            .json(&document)
            .send()
            .await
            .unwrap();
        let success = response.status().is_success();
        let body: Value = response.json().await.unwrap();
        if !success {
            let message = body["message"].as_str().unwrap_or_default().to_owned();
            // Every decoding refusal is one the app can point at a field of.
            if message.contains("cannot unmarshal") || message.contains("unknown field") {
                assert!(
                    !refusal::fields(&message, &document).is_empty(),
                    "no field found for {message}"
                );
            }
            return (Outcome::RefusedByServer(message), written);
        }
        objects.push(body);
    }
    (Outcome::Objects(objects), written)
}

/// What the apiserver sets by itself, different on every dry run.
fn without_server_fields(mut object: Value) -> Value {
    if let Some(fields) = object.as_object_mut() {
        fields.remove("status");
        if let Some(metadata) = fields.get_mut("metadata").and_then(Value::as_object_mut) {
            for field in [
                "uid",
                "creationTimestamp",
                "resourceVersion",
                "managedFields",
                "generation",
            ] {
                metadata.remove(field);
            }
        }
    }
    object
}

impl Outcome {
    fn kind(&self) -> Expect {
        match self {
            Outcome::Objects(_) => Expect::Stored,
            Outcome::RefusedToRead { .. } => Expect::RefusedToRead,
            Outcome::RefusedByServer(_) => Expect::RefusedByServer,
        }
    }
}

/// Runs one text both ways and compares.
async fn compare(file: &str, variant: Variant, expect: Expect) {
    let testbed = Testbed::from_env();
    let client = testbed.admin_client().await;
    let namespace = unique_name("yaml");
    create_project(&client, &namespace).await;
    let base = spawn_console(&testbed).await;
    let browser = Browser::with_token(&base, testbed.var("ADMIN_TOKEN")).await;
    let text = variant.apply(&corpus(file));

    let by_kubectl = kubectl(&testbed, &namespace, &text);
    let (by_console, written) = console(&browser, &namespace, &text).await;
    let rewritten = written.map(|written| kubectl(&testbed, &namespace, &written));
    delete_project(&client, &namespace).await;

    assert_eq!(by_kubectl.kind(), expect, "{file}: kubectl: {by_kubectl:?}");
    let comparable = |objects: Vec<Value>| -> Vec<Value> {
        objects.into_iter().map(without_server_fields).collect()
    };
    match (by_kubectl, by_console) {
        (Outcome::Objects(expected), Outcome::Objects(found)) => {
            let expected = comparable(expected);
            assert_eq!(
                comparable(found),
                expected,
                "{file}: the console stores something else"
            );
            let Some(Outcome::Objects(reread)) = rewritten else {
                panic!("{file}: kubectl cannot read the console's YAML: {rewritten:?}");
            };
            assert_eq!(
                comparable(reread),
                expected,
                "{file}: kubectl reads the console's YAML as something else"
            );
        }
        (
            Outcome::RefusedToRead {
                message: expected,
                line: expected_line,
            },
            Outcome::RefusedToRead { message, line },
        ) => {
            assert!(
                line.is_some(),
                "{file}: the console's refusal names no line: {message}"
            );
            if expected_line.is_some() {
                assert_eq!(
                    line, expected_line,
                    "{file}: kubectl says {expected}; the console says {message}"
                );
            }
        }
        (Outcome::RefusedByServer(expected), Outcome::RefusedByServer(message)) => {
            assert!(
                expected.contains(&message),
                "{file}: kubectl was refused with {expected}; the console with {message}"
            );
        }
        (expected, found) => {
            panic!("{file}: kubectl: {expected:?}\nthe console: {found:?}")
        }
    }
}

macro_rules! cases {
    ($($name:ident: $file:literal $(, $variant:ident)? => $expect:ident;)*) => {$(
        #[tokio::test]
        async fn $name() {
            compare($file, cases!(@variant $($variant)?), Expect::$expect).await;
        }
    )*};
    (@variant) => { Variant::AsWritten };
    (@variant $variant:ident) => { Variant::$variant };
}

cases! {
    yaml_1_1_scalars_mean_what_kubectl_means: "yaml11-scalars.yaml" => Stored;
    windows_line_ends_change_nothing: "yaml11-scalars.yaml", Crlf => Stored;
    a_byte_order_mark_changes_nothing: "yaml11-scalars.yaml", ByteOrderMark => Stored;
    very_long_strings_arrive_whole: "yaml11-scalars.yaml", LongStrings => Stored;
    flow_and_block_styles_and_every_scalar_style_mean_the_same: "flow-and-block.yaml" => Stored;
    anchors_aliases_and_merge_keys_are_expanded_as_kubectl_expands_them: "anchors.yaml" => Stored;
    several_documents_with_comments_and_empty_ones_are_read_in_order: "multi-document.yaml" => Stored;
    tabs_where_yaml_allows_them_are_read: "tab-separation.yaml" => Stored;
    duplicate_keys_take_the_last_value: "duplicate-keys.yaml" => Stored;
    a_json_stream_is_read_as_kubectl_reads_it: "json-stream.json" => Stored;
    strings_that_look_like_other_values_are_written_so_kubectl_reads_them_back: "quoted-look-alikes.yaml" => Stored;
    a_tab_in_the_indentation_is_refused_at_its_line: "tab-indentation.yaml" => RefusedToRead;
    content_after_a_separator_is_refused: "separator-with-content.yaml" => RefusedToRead;
    a_null_key_is_refused: "null-key.yaml" => RefusedToRead;
    infinity_is_refused: "infinity.yaml" => RefusedToRead;
    an_alias_without_an_anchor_is_refused: "unknown-anchor.yaml" => RefusedToRead;
    an_unquoted_true_as_an_env_value_is_refused_by_the_cluster_as_with_kubectl: "env-value-true.yaml" => RefusedByServer;
    a_quoted_mode_is_refused_by_the_cluster_as_with_kubectl: "quoted-mode.yaml" => RefusedByServer;
    a_misspelt_field_is_refused_as_kubectl_refuses_it: "unknown-field.yaml" => RefusedByServer;
}
