//! The revisions tab: the pod templates the DaemonSet has run (its ControllerRevisions), a diff
//! between any two, and rolling back to one, as `kubectl rollout undo` does.

use console_model::{
    diff::{DiffLine, diff_lines},
    k8s::ControllerRevision,
};
use leptos::prelude::*;

use super::actions::{daemonset_path, run};
use crate::{
    api::{self, ApiError},
    components::Dialog,
    i18n::{Msg, use_i18n},
    time::age_of,
};

/// The saved template as YAML, for reading and comparing.
fn template_yaml(revision: &ControllerRevision) -> String {
    console_model::yaml::write_json(&revision.data["spec"]["template"])
}

#[component]
pub fn RevisionsTab(
    namespace: String,
    name: String,
    /// The DaemonSet's revisions, newest first.
    revisions: Memo<Vec<ControllerRevision>>,
    can_update: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Compare the previous template with the current one unless the link (the rollout
    // panel's) or the user picks others.
    let query = leptos_router::hooks::use_query_map();
    let picked = |key: &str| query.with_untracked(|query| query.get(key)?.parse::<i64>().ok());
    let left = RwSignal::new(picked("from"));
    let right = RwSignal::new(picked("to"));
    let chosen = move |pick: RwSignal<Option<i64>>, fallback: usize| {
        let all = revisions.get();
        pick.get()
            .and_then(|n| all.iter().find(|r| r.revision == n).cloned())
            .or_else(|| all.get(fallback).or(all.first()).cloned())
    };
    let rollback_to = RwSignal::new(None::<ControllerRevision>);
    let path = daemonset_path(&namespace, &name);

    let picker = move |pick: RwSignal<Option<i64>>, fallback: usize, label: Msg| {
        view! {
            <label class="inline">
                <span>{i18n.t(label)}</span>
                <select on:change=move |ev| pick.set(event_target_value(&ev).parse().ok())>
                    {move || {
                        let selected = chosen(pick, fallback).map(|r| r.revision);
                        revisions.get().into_iter().map(|r| {
                            let n = r.revision;
                            view! { <option value=n.to_string() selected=selected == Some(n)>{format!("#{n}")}</option> }
                        }).collect_view()
                    }}
                </select>
            </label>
        }
    };
    let rows = move || {
        let all = revisions.get();
        let current = all.first().map(|r| r.revision);
        all.into_iter().map(|revision| {
            let is_current = Some(revision.revision) == current;
            let created = revision.metadata.creation_timestamp.clone().unwrap_or_default();
            let images = revision.images().into_iter().map(|image| view! { <code class="image">{image}</code> }).collect_view();
            let for_dialog = revision.clone();
            view! {
                <tr class="row">
                    <td class="name">{format!("#{}", revision.revision)}
                        {is_current.then(|| view! { <span class="tag">{i18n.t(Msg::CurrentRevision)}</span> })}</td>
                    <td>{images}</td>
                    <td class="col-age">{age_of(&created)}</td>
                    <td>
                        <Show when=move || can_update.get() && !is_current>
                            <button type="button" on:click={
                                let revision = for_dialog.clone();
                                move |_| rollback_to.set(Some(revision.clone()))
                            }>{i18n.t(Msg::RollBack)}</button>
                        </Show>
                    </td>
                </tr>
            }
        }).collect_view()
    };
    let diff = move || {
        let (Some(a), Some(b)) = (chosen(left, 1), chosen(right, 0)) else {
            return ().into_any();
        };
        diff_lines(&template_yaml(&a), &template_yaml(&b))
            .into_iter()
            .map(|line| match line {
                DiffLine::Same(text) => view! { <div class="diff-line same">"  "{text}</div> },
                DiffLine::Removed(text) => {
                    view! { <div class="diff-line removed">"- "{text}</div> }
                }
                DiffLine::Added(text) => view! { <div class="diff-line added">"+ "{text}</div> },
            })
            .collect_view()
            .into_any()
    };

    view! {
        <table class="resource-table plain revisions">
            <thead><tr>
                <th>{i18n.t(Msg::Revision)}</th><th>{i18n.t(Msg::ColumnImages)}</th>
                <th>{i18n.t(Msg::ColumnAge)}</th><th></th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <h3>{i18n.t(Msg::CompareRevisions)}</h3>
        <div class="filters">{picker(left, 1, Msg::From)} {picker(right, 0, Msg::To)}</div>
        <div class="diff">{diff}</div>
        {move || rollback_to.get().map(|revision| {
            let path = path.clone();
            view! { <RollbackDialog path=path revision=revision on_close=Callback::new(move |()| rollback_to.set(None)) /> }
        })}
    }
}

/// Confirms and applies a rollback: the revision's saved template patched onto the DaemonSet.
#[component]
fn RollbackDialog(
    path: String,
    revision: ControllerRevision,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let number = revision.revision;
    let confirm = Callback::new(move |()| {
        let (path, data) = (path.clone(), revision.data.clone());
        run(
            pending,
            error,
            async move { api::strategic_patch(&path, &data).await },
            on_close,
        );
    });
    view! {
        <Dialog title=Msg::RollBack confirm=Msg::RollBack ready=Signal::derive(|| true) pending=pending.into()
            error=error.into() on_confirm=confirm on_cancel=on_close>
            <p>{i18n.t(Msg::RollBackExplained)} " " <strong>{format!("#{number}")}</strong></p>
        </Dialog>
    }
}
