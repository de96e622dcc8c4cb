//! Edit YAML: the DaemonSet as the apiserver stores it, edited in the YAML editor, reviewed as a
//! diff with a server-side dry run, then replaced with a PUT that carries the `resourceVersion`
//! the edit started from.
//!
//! If someone changed the DaemonSet meanwhile, the apiserver answers 409 Conflict and nothing is
//! overwritten: the dialog fetches the latest version, shows what changed on the server (the
//! version the edit started from against the latest), and keeps the user's text. The user then
//! applies their changes on top of the latest version (a three-way merge, reviewed again) or
//! discards them and starts from the latest. Until it is applied or deliberately discarded, the
//! text is kept in session storage, so a reload or an expired session loses nothing.

use console_model::{refusal, yaml};
use leptos::{prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::actions::daemonset_path;
use crate::{
    api::{self, ApiError},
    components::{ErrorPanel, YamlDiff, YamlEditor},
    drafts,
    i18n::{Msg, use_i18n},
    schema,
    yaml_problems::{refusal_text, yaml_error_text},
};

/// A version of the DaemonSet an edit can start from, as it is shown in the editor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Base {
    object: Value,
    yaml: String,
}

impl Base {
    /// Drops what is not the user's to edit: `managedFields` (bookkeeping of server-side
    /// apply) and `status` (the controller's; a PUT ignores it).
    fn new(mut object: Value) -> Self {
        if let Some(fields) = object.as_object_mut() {
            fields.remove("status");
            if let Some(metadata) = fields.get_mut("metadata").and_then(Value::as_object_mut) {
                metadata.remove("managedFields");
            }
        }
        let yaml = to_yaml(&object);
        Base { object, yaml }
    }
}

fn to_yaml(object: &Value) -> String {
    yaml::write_json(object)
}

/// Why the text cannot be sent.
#[derive(Clone, Debug, PartialEq)]
enum YamlProblem {
    /// Not a manifest kubectl would read, and where.
    Syntax(yaml::Error),
    /// Valid YAML, but a list or a scalar instead of the DaemonSet's fields.
    NotAnObject,
    /// More than one document.
    SeveralDocuments,
}

impl YamlProblem {
    fn position(&self) -> Option<(u32, u32)> {
        match self {
            YamlProblem::Syntax(error) => {
                let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                Some((number(error.line), number(error.column)))
            }
            YamlProblem::NotAnObject | YamlProblem::SeveralDocuments => None,
        }
    }
}

/// The text as the JSON object a PUT sends, read as kubectl reads it (`0644` is 420).
fn parse(text: &str) -> Result<Value, YamlProblem> {
    let mut documents = yaml::read(text)
        .map_err(YamlProblem::Syntax)?
        .into_iter()
        .filter(|document| !document.is_null());
    let document = match (documents.next(), documents.next()) {
        (Some(document), None) => document,
        (None, _) => return Err(YamlProblem::NotAnObject),
        (Some(_), Some(_)) => return Err(YamlProblem::SeveralDocuments),
    };
    // The reader only makes trees JSON can carry; anything else is not an object anyway.
    match yaml::to_json(&document) {
        Ok(value) if value.is_object() => Ok(value),
        _ => Err(YamlProblem::NotAnObject),
    }
}

/// The user's changes (from `base` to `mine`) made to `latest`, with `latest`'s
/// `resourceVersion`. Where the user and the server changed the same field, the user's value
/// wins; the review that follows shows the result against `latest`.
fn rebase(base: &Value, mine: &Value, latest: &Value) -> Value {
    let mut merged = merge3(Some(base), Some(mine), Some(latest)).unwrap_or(Value::Null);
    if let (Some(metadata), Some(version)) = (
        merged.get_mut("metadata").and_then(Value::as_object_mut),
        latest.pointer("/metadata/resourceVersion"),
    ) {
        metadata.insert("resourceVersion".into(), version.clone());
    }
    merged
}

/// A three-way merge of JSON values; `None` is an absent field. Mappings merge key by key, and
/// lists of the same length item by item (so a container's image and its environment can be
/// changed by different people); anything else changed on both sides takes `mine`.
fn merge3(base: Option<&Value>, mine: Option<&Value>, latest: Option<&Value>) -> Option<Value> {
    if mine == base || mine == latest {
        return latest.cloned();
    }
    if latest == base {
        return mine.cloned();
    }
    match (base, mine, latest) {
        (Some(Value::Object(b)), Some(Value::Object(m)), Some(Value::Object(l))) => {
            let mut keys: Vec<&String> = l.keys().chain(m.keys()).chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            let merged: Map<String, Value> = keys
                .into_iter()
                .filter_map(|key| {
                    merge3(b.get(key), m.get(key), l.get(key)).map(|value| (key.clone(), value))
                })
                .collect();
            Some(Value::Object(merged))
        }
        (Some(Value::Array(b)), Some(Value::Array(m)), Some(Value::Array(l)))
            if b.len() == m.len() && m.len() == l.len() =>
        {
            let merged = (0..b.len())
                .map(|i| merge3(Some(&b[i]), Some(&m[i]), Some(&l[i])).unwrap_or(Value::Null))
                .collect();
            Some(Value::Array(merged))
        }
        _ => mine.cloned(),
    }
}

/// An edit not applied yet, as kept in session storage.
#[derive(Serialize, Deserialize)]
struct SavedDraft {
    base: Base,
    text: String,
}

fn draft_key(namespace: &str, name: &str) -> String {
    format!("console.edit-yaml/{namespace}/{name}")
}

fn saved_draft(key: &str) -> Option<SavedDraft> {
    drafts::load(key)
}

/// Whether an edit of this DaemonSet is waiting in session storage (the page reopens it).
pub fn has_draft(namespace: &str, name: &str) -> bool {
    saved_draft(&draft_key(namespace, name)).is_some()
}

/// What the dialog shows.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Loading,
    LoadFailed(ApiError),
    Editing,
    /// The diff of the base and the text, with the dry run's verdict.
    Review,
    /// The server's version moved on; `latest` is it.
    Conflict {
        latest: Base,
    },
}

/// The dry run's verdict on the reviewed text.
#[derive(Clone, Debug, PartialEq)]
enum Check {
    Running,
    Passed,
    Unchanged,
    Refused(ApiError),
}

/// The full-screen Edit YAML dialog for one DaemonSet.
#[component]
pub fn EditYamlDialog(namespace: String, name: String, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let path = StoredValue::new(daemonset_path(&namespace, &name));
    let key = StoredValue::new(draft_key(&namespace, &name));
    let stage = RwSignal::new(Stage::Loading);
    let base = RwSignal::new(None::<Base>);
    let text = RwSignal::new(String::new());
    let schema = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<YamlProblem>);
    // A refused field the user asked to see in the editor.
    let shown_field = RwSignal::new(None::<(u32, u32)>);
    let check = RwSignal::new(Check::Running);
    let restored = RwSignal::new(false);
    let asking_to_discard = RwSignal::new(false);
    let applying = RwSignal::new(false);
    let apply_error = RwSignal::new(None::<ApiError>);
    // Only a change of stage re-creates the diffs, not every update of the verdict.
    let shown = Memo::new(move |_| stage.get());

    // The schema first (the editor is created with it), then the draft or the live object.
    let load = move || {
        stage.set(Stage::Loading);
        spawn_local(async move {
            if schema.get_untracked().is_none() {
                schema.try_set(schema::editor_schema(&[schema::DAEMON_SET]).await);
            }
            if let Some(draft) = saved_draft(&key.get_value()) {
                text.try_set(draft.text);
                base.try_set(Some(draft.base));
                restored.try_set(true);
                stage.try_set(Stage::Editing);
                return;
            }
            match api::get_raw(&path.get_value()).await {
                Ok(object) => {
                    let loaded = Base::new(object);
                    text.try_set(loaded.yaml.clone());
                    base.try_set(Some(loaded));
                    stage.try_set(Stage::Editing);
                }
                Err(error) => {
                    stage.try_set(Stage::LoadFailed(error));
                }
            }
        });
    };
    load();

    // An edit makes the complaint about the text it replaced obsolete.
    Effect::new(move |_| {
        text.track();
        problem.set(None);
    });

    // Every edit goes to session storage until it is applied or discarded.
    Effect::new(move |_| {
        text.with(|text| {
            base.with(|base| match base {
                Some(base) if *text != base.yaml => {
                    let draft = SavedDraft {
                        base: base.clone(),
                        text: text.clone(),
                    };
                    drafts::save(&key.get_value(), &draft);
                }
                Some(_) => {
                    drafts::forget(&key.get_value());
                }
                None => {}
            })
        });
    });

    let dirty = move || {
        base.with(|base| {
            base.as_ref()
                .is_some_and(|base| text.with(|text| *text != base.yaml))
        })
    };

    let show_conflict = move || {
        spawn_local(async move {
            match api::get_raw(&path.get_value()).await {
                Ok(latest) => {
                    stage.try_set(Stage::Conflict {
                        latest: Base::new(latest),
                    });
                }
                Err(error) => {
                    apply_error.try_set(Some(error));
                }
            }
        });
    };

    let review = move || {
        let Some(from) = base.get_untracked() else {
            return;
        };
        let mine = match parse(&text.get_untracked()) {
            Ok(mine) => mine,
            Err(failure) => {
                problem.set(Some(failure));
                stage.set(Stage::Editing);
                return;
            }
        };
        problem.set(None);
        apply_error.set(None);
        stage.set(Stage::Review);
        if mine == from.object {
            check.set(Check::Unchanged);
            return;
        }
        check.set(Check::Running);
        spawn_local(async move {
            let verdict = api::replace(&path.get_value(), &mine, true).await;
            // The user may have gone back to editing while the server answered.
            if stage.try_get_untracked() != Some(Stage::Review) {
                return;
            }
            match verdict {
                Ok(_) => {
                    check.set(Check::Passed);
                }
                Err(error) if error.is_conflict() => show_conflict(),
                Err(error) => {
                    check.set(Check::Refused(error));
                }
            }
        });
    };

    let apply = move || {
        let Ok(mine) = parse(&text.get_untracked()) else {
            return review();
        };
        applying.set(true);
        apply_error.set(None);
        spawn_local(async move {
            let result = api::replace(&path.get_value(), &mine, false).await;
            applying.try_set(false);
            match result {
                Ok(_) => {
                    drafts::forget(&key.get_value());
                    on_close.run(());
                }
                Err(error) if error.is_conflict() => show_conflict(),
                Err(error) => {
                    apply_error.try_set(Some(error));
                }
            }
        });
    };

    let apply_on_latest = move |latest: Base| {
        let Some(from) = base.get_untracked() else {
            return;
        };
        match parse(&text.get_untracked()) {
            Ok(mine) => {
                let rebased = rebase(&from.object, &mine, &latest.object);
                base.set(Some(latest));
                text.set(to_yaml(&rebased));
                review();
            }
            Err(failure) => {
                problem.set(Some(failure));
                stage.set(Stage::Editing);
            }
        }
    };

    let load_latest = move |latest: Base| {
        text.set(latest.yaml.clone());
        base.set(Some(latest));
        restored.set(false);
        problem.set(None);
        stage.set(Stage::Editing);
    };

    let cancel = move || {
        if dirty() {
            asking_to_discard.set(true);
        } else {
            drafts::forget(&key.get_value());
            on_close.run(());
        }
    };
    let discard = move || {
        drafts::forget(&key.get_value());
        on_close.run(());
    };

    let title = format!("{namespace}/{name}");
    let editing = move || shown.get() == Stage::Editing;

    view! {
        <div class="dialog-backdrop">
            <div class="dialog yaml-dialog" role="dialog" aria-modal="true" aria-label=i18n.t(Msg::EditYaml)>
                <header class="yaml-dialog-header">
                    <h2>{i18n.t(Msg::EditYaml)}</h2>
                    <code>{title}</code>
                </header>
                <Show when=move || restored.get() && editing()>
                    <p class="notice">{i18n.t(Msg::DraftRestored)}</p>
                </Show>
                {move || match shown.get() {
                    Stage::Loading => view! { <p class="editor-loading">{i18n.t(Msg::Loading)}</p> }.into_any(),
                    Stage::LoadFailed(error) => view! { <ErrorPanel error=error on_retry=Callback::new(move |()| load()) /> }.into_any(),
                    Stage::Editing => ().into_any(),
                    Stage::Review => view! {
                        <p class="yaml-dialog-intro">{i18n.t(Msg::ReviewExplained)}</p>
                        <YamlDiff
                            original=base.get_untracked().map(|base| base.yaml).unwrap_or_default()
                            modified=text.get_untracked() />
                    }.into_any(),
                    Stage::Conflict { latest } => view! {
                        <div class="conflict" role="alert">
                            <p><strong>{i18n.t(Msg::ConflictTitle)}</strong></p>
                            <p>{i18n.t(Msg::ConflictExplained)}</p>
                        </div>
                        <YamlDiff
                            original=base.get_untracked().map(|base| base.yaml).unwrap_or_default()
                            modified=latest.yaml />
                    }.into_any(),
                }}
                // Created once and only hidden while a diff is shown, so the cursor and the
                // undo history survive a review.
                <Show when=move || base.with(Option::is_some)>
                    <div class="yaml-editor-frame" class:hidden=move || !editing()>
                        <YamlEditor text=text schema_json=schema.get_untracked()
                            reveal=Signal::derive(move || {
                                problem.get().and_then(|problem| problem.position()).or(shown_field.get())
                            }) />
                    </div>
                </Show>
                {move || problem.get().map(|problem| view! {
                    <div class="form-problem" role="alert">
                        {match problem {
                            YamlProblem::Syntax(error) => view! {
                                <p>{i18n.t(Msg::YamlInvalid)}</p>
                                <p class="detail">{move || yaml_error_text(&error, i18n.lang.get())}</p>
                            }.into_any(),
                            YamlProblem::NotAnObject => view! { <p>{i18n.t(Msg::YamlNotAnObject)}</p> }.into_any(),
                            YamlProblem::SeveralDocuments => view! { <p>{i18n.t(Msg::YamlSeveralDocuments)}</p> }.into_any(),
                        }}
                    </div>
                })}
                <Show when=move || shown.get() == Stage::Review>
                    {move || match check.get() {
                        Check::Running => view! { <p class="check">{i18n.t(Msg::DryRunRunning)}</p> }.into_any(),
                        Check::Passed => view! { <p class="check check-passed">{i18n.t(Msg::DryRunPassed)}</p> }.into_any(),
                        Check::Unchanged => view! { <p class="check">{i18n.t(Msg::NoChanges)}</p> }.into_any(),
                        Check::Refused(error) if is_invalid(&error) => {
                            let fields = refused_fields(&error, &text.get_untracked());
                            view! {
                                <div class="form-problem" role="alert">
                                    <p>{i18n.t(Msg::DryRunRefused)}</p>
                                    <ul>
                                        {fields.into_iter().map(|(path, reason, at)| view! {
                                            <li>
                                                <code>{path}</code>" "{move || refusal_text(&reason, i18n.lang.get())}
                                                {at.map(|at| view! {
                                                    " "
                                                    <button type="button" class="link" on:click=move |_| {
                                                        shown_field.set(Some(at));
                                                        stage.set(Stage::Editing);
                                                    }>{i18n.t(Msg::ShowInEditor)}</button>
                                                })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                    <p class="detail">{error.detail()}</p>
                                </div>
                            }.into_any()
                        }
                        Check::Refused(error) => view! { <ErrorPanel error=error on_retry=Callback::new(move |()| review()) /> }.into_any(),
                    }}
                </Show>
                {move || apply_error.get().map(|error| view! { <ErrorPanel error=error on_retry=Callback::new(move |()| apply()) /> })}
                <div class="dialog-actions">
                    {move || if asking_to_discard.get() {
                        view! {
                            <p class="discard-question">{i18n.t(Msg::DiscardQuestion)}</p>
                            <button type="button" on:click=move |_| asking_to_discard.set(false)>{i18n.t(Msg::KeepEditing)}</button>
                            <button type="button" class="primary danger" on:click=move |_| discard()>{i18n.t(Msg::DiscardChanges)}</button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" on:click=move |_| cancel()>{i18n.t(Msg::Cancel)}</button>
                            {move || match shown.get() {
                                Stage::Editing => view! {
                                    <button type="button" class="primary" on:click=move |_| review()>{i18n.t(Msg::ReviewChanges)}</button>
                                }.into_any(),
                                Stage::Review => view! {
                                    <button type="button" on:click=move |_| stage.set(Stage::Editing)>{i18n.t(Msg::BackToEditing)}</button>
                                    <button type="button" class="primary"
                                        disabled=move || check.get() != Check::Passed || applying.get()
                                        on:click=move |_| apply()>
                                        {move || if applying.get() { i18n.t(Msg::Working)() } else { i18n.t(Msg::Apply)() }}
                                    </button>
                                }.into_any(),
                                Stage::Conflict { latest } => {
                                    let for_load = latest.clone();
                                    view! {
                                        <button type="button" on:click=move |_| stage.set(Stage::Editing)>{i18n.t(Msg::BackToEditing)}</button>
                                        <button type="button" class="danger" on:click=move |_| load_latest(for_load.clone())>{i18n.t(Msg::LoadLatest)}</button>
                                        <button type="button" class="primary" on:click=move |_| apply_on_latest(latest.clone())>{i18n.t(Msg::ApplyOnLatest)}</button>
                                    }.into_any()
                                }
                                Stage::Loading | Stage::LoadFailed(_) => ().into_any(),
                            }}
                        }.into_any()
                    }}
                </div>
            </div>
        </div>
    }
}

/// A refused field: its path, why, and where it is in the text (line and column).
type RefusedField = (String, refusal::Reason, Option<(u32, u32)>);

/// The fields a decoding refusal names, found in the text that was checked.
fn refused_fields(error: &ApiError, text: &str) -> Vec<RefusedField> {
    let (ApiError::Server { message, .. }, Ok(sent)) = (error, parse(text)) else {
        return Vec::new();
    };
    let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    refusal::fields(message, &sent)
        .into_iter()
        .map(|field| {
            let at = yaml::position(text, 0, &field.path).map(|(l, c)| (number(l), number(c)));
            (field.path, field.reason, at)
        })
        .collect()
}

/// The apiserver found the object invalid (rather than the user not allowed, or the network
/// down): the text needs fixing.
fn is_invalid(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Server {
            status: 400 | 422,
            ..
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn daemonset(image: &str, annotations: Value, version: &str) -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": {"name": "agent", "resourceVersion": version, "annotations": annotations},
            "spec": {"template": {"spec": {"containers": [
                {"name": "agent", "image": image, "env": [{"name": "LEVEL", "value": "info"}]}
            ]}}},
        })
    }

    #[test]
    fn the_editor_shows_neither_managed_fields_nor_status() {
        let base = Base::new(json!({
            "kind": "DaemonSet",
            "metadata": {"name": "agent", "resourceVersion": "7", "managedFields": [{"manager": "kubectl"}]},
            "status": {"numberReady": 3},
        }));
        assert_eq!(
            base.object,
            json!({"kind": "DaemonSet", "metadata": {"name": "agent", "resourceVersion": "7"}})
        );
        assert!(base.yaml.contains("resourceVersion: '7'"), "{}", base.yaml);
        assert_eq!(parse(&base.yaml), Ok(base.object));
    }

    #[test]
    fn broken_yaml_is_reported_with_its_line_and_column() {
        let problem = parse("metadata:\n  name: agent\n spec: {}\n").unwrap_err();
        assert_eq!(problem.position().map(|(line, _)| line), Some(3));
        assert!(matches!(problem, YamlProblem::Syntax(_)));
    }

    #[test]
    fn yaml_1_1_values_mean_what_kubectl_reads() {
        let object =
            parse("spec:\n  defaultMode: 0420\n  readOnly: yes\n  value: \"on\"\n").unwrap();
        assert_eq!(
            object,
            json!({"spec": {"defaultMode": 272, "readOnly": true, "value": "on"}})
        );
    }

    #[test]
    fn strings_that_look_like_other_values_stay_strings_through_the_editor() {
        let object = json!({"metadata": {"annotations": {"a": "yes", "b": "0644", "c": "~"}}});
        assert_eq!(parse(&to_yaml(&object)), Ok(object));
    }

    #[test]
    fn a_value_the_cluster_could_not_decode_is_found_at_its_line() {
        let text = "kind: DaemonSet\nspec:\n  minReadySeconds: \"5\"\n";
        let refused = ApiError::Server {
            status: 400,
            reason: "BadRequest".into(),
            message: "json: cannot unmarshal string into Go struct field DaemonSetSpec.spec.\
                      minReadySeconds of type int32"
                .into(),
            causes: Vec::new(),
        };
        let fields = refused_fields(&refused, text);
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].0, "spec.minReadySeconds");
        assert_eq!(fields[0].2, Some((3, 20)));
    }

    #[test]
    fn several_documents_cannot_replace_one_daemonset() {
        assert_eq!(
            parse("kind: DaemonSet\n---\nkind: DaemonSet\n"),
            Err(YamlProblem::SeveralDocuments)
        );
    }

    #[test]
    fn a_list_or_a_scalar_is_not_an_object() {
        assert_eq!(parse("- a\n- b\n"), Err(YamlProblem::NotAnObject));
        assert_eq!(parse("just text"), Err(YamlProblem::NotAnObject));
    }

    #[test]
    fn rebasing_keeps_the_servers_change_and_the_users_change_with_the_latest_version() {
        let base = daemonset("agent:1", json!({}), "10");
        let mine = daemonset("agent:2", json!({}), "10");
        let latest = daemonset("agent:1", json!({"team": "logs"}), "11");
        assert_eq!(
            rebase(&base, &mine, &latest),
            daemonset("agent:2", json!({"team": "logs"}), "11")
        );
    }

    #[test]
    fn rebasing_merges_changes_to_different_fields_of_the_same_container() {
        let base = daemonset("agent:1", json!({}), "10");
        let mine = daemonset("agent:2", json!({}), "10");
        let mut latest = daemonset("agent:1", json!({}), "11");
        latest["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"] = json!("debug");
        let mut expected = daemonset("agent:2", json!({}), "11");
        expected["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"] = json!("debug");
        assert_eq!(rebase(&base, &mine, &latest), expected);
    }

    #[test]
    fn when_both_change_the_same_field_the_users_value_wins() {
        let base = daemonset("agent:1", json!({}), "10");
        let mine = daemonset("agent:2", json!({}), "10");
        let latest = daemonset("agent:3", json!({}), "11");
        assert_eq!(
            rebase(&base, &mine, &latest),
            daemonset("agent:2", json!({}), "11")
        );
    }

    #[test]
    fn fields_the_user_removed_stay_removed_and_fields_the_server_removed_too() {
        let base = json!({"metadata": {"labels": {"a": "1", "b": "2"}, "resourceVersion": "1"}});
        let mine = json!({"metadata": {"labels": {"a": "1"}, "resourceVersion": "1"}});
        let latest = json!({"metadata": {"labels": {"b": "2"}, "resourceVersion": "2"}});
        assert_eq!(
            rebase(&base, &mine, &latest),
            json!({"metadata": {"labels": {}, "resourceVersion": "2"}})
        );
    }

    #[test]
    fn drafts_are_kept_per_daemonset() {
        assert_ne!(
            draft_key("logging", "agent"),
            draft_key("monitoring", "agent")
        );
    }
}
