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

use console_model::{
    edit::{self, TextProblem},
    refusal, yaml,
};
use leptos::{prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    actions::daemonset_path,
    canary::{CanaryChoice, CanaryOffer, CanaryPick},
};
use crate::{
    api::{self, ApiError},
    components::{ErrorPanel, Modal, YamlDiff, YamlEditor},
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
    /// Only what is the user's to edit ([`edit::editable`]).
    fn new(object: Value) -> Self {
        let object = edit::editable(object);
        let yaml = to_yaml(&object);
        Base { object, yaml }
    }
}

fn to_yaml(object: &Value) -> String {
    yaml::write_json(object)
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
pub fn EditYamlDialog(
    namespace: String,
    name: String,
    /// Offered on the DaemonSet's own page, which knows its nodes.
    canary: Option<CanaryOffer>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let canary_pick = RwSignal::new(None::<CanaryPick>);
    let by = StoredValue::new(crate::session::use_session().username());
    let path = StoredValue::new(daemonset_path(&namespace, &name));
    let key = StoredValue::new(draft_key(&namespace, &name));
    let stage = RwSignal::new(Stage::Loading);
    let base = RwSignal::new(None::<Base>);
    let text = RwSignal::new(String::new());
    let schema = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<TextProblem>);
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

    // The object read from the text at review: what the dry run checked is what is applied.
    let reviewed = StoredValue::new(None::<Value>);
    let review = move || {
        let Some(from) = base.get_untracked() else {
            return;
        };
        let mine = match edit::read_object(&text.get_untracked()) {
            Ok(mine) => {
                reviewed.set_value(Some(mine.clone()));
                mine
            }
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
        let Some(mine) = reviewed
            .get_value()
            .filter(|_| stage.get_untracked() == Stage::Review)
        else {
            return review();
        };
        // A canary goes out paused; the page then updates the canary nodes.
        let (mine, canary) = match (canary, canary_pick.get_untracked()) {
            (Some(offer), Some(pick)) => (offer.object(mine, &pick, by.get_value()), Some(offer)),
            _ => (mine, None),
        };
        applying.set(true);
        apply_error.set(None);
        spawn_local(async move {
            let result = api::replace(&path.get_value(), &mine, false).await;
            applying.try_set(false);
            match result {
                Ok(_) => {
                    drafts::forget(&key.get_value());
                    if let Some(offer) = canary {
                        offer.start_pending.set(true);
                    }
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
        match edit::read_object(&text.get_untracked()) {
            Ok(mine) => {
                let rebased = edit::rebase(&from.object, &mine, &latest.object);
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
        <Modal label=Signal::derive(i18n.t(Msg::EditYaml)) class="yaml-dialog" on_close=Callback::new(move |()| cancel())>
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
                        modified=text.get_untracked()
                        labels=(Msg::DiffEditedFrom, Msg::DiffYourEdit) />
                    {canary.zip(base.get_untracked()).zip(reviewed.get_value()).map(|((offer, from), edited)| view! {
                        <CanaryChoice offer=offer current=from.object edited=edited pick=canary_pick />
                    })}
                }.into_any(),
                Stage::Conflict { latest } => view! {
                    <div class="conflict" role="alert">
                        <p><strong>{i18n.t(Msg::ConflictTitle)}</strong></p>
                        <p>{i18n.t(Msg::ConflictExplained)}</p>
                    </div>
                    <YamlDiff
                        original=base.get_untracked().map(|base| base.yaml).unwrap_or_default()
                        modified=latest.yaml
                        labels=(Msg::DiffEditedFrom, Msg::DiffLatest) />
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
                        TextProblem::Syntax(error) => view! {
                            <p>{i18n.t(Msg::YamlInvalid)}</p>
                            <p class="detail">{move || yaml_error_text(&error, i18n.lang.get())}</p>
                        }.into_any(),
                        TextProblem::NotAnObject => view! { <p>{i18n.t(Msg::YamlNotAnObject)}</p> }.into_any(),
                        TextProblem::SeveralDocuments => view! { <p>{i18n.t(Msg::YamlSeveralDocuments)}</p> }.into_any(),
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
                                    {move || if applying.get() {
                                        i18n.t(Msg::Working)()
                                    } else if canary_pick.with(Option::is_some) {
                                        i18n.t(Msg::ApplyCanary)()
                                    } else {
                                        i18n.t(Msg::Apply)()
                                    }}
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
        </Modal>
    }
}

/// A refused field: its path, why, and where it is in the text (line and column).
type RefusedField = (String, refusal::Reason, Option<(u32, u32)>);

/// The fields a decoding refusal names, found in the text that was checked.
fn refused_fields(error: &ApiError, text: &str) -> Vec<RefusedField> {
    let (ApiError::Server { message, .. }, Ok(sent)) = (error, edit::read_object(text)) else {
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
    fn drafts_are_kept_per_daemonset() {
        assert_ne!(
            draft_key("logging", "agent"),
            draft_key("monitoring", "agent")
        );
    }
}
