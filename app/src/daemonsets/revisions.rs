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
    components::{Column, Dialog, ResourceTable, columns},
    i18n::{Msg, use_i18n},
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
    let rows = Signal::derive(move || {
        let all = revisions.get();
        let current = all.first().map(|r| r.revision);
        all.into_iter()
            .map(|revision| RevisionRow {
                current: Some(revision.revision) == current,
                revision,
            })
            .collect::<Vec<_>>()
    });
    let hidden = RwSignal::new(Vec::new());
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
        <ResourceTable
            rows=rows
            key=|row: &RevisionRow| row.revision.metadata.name.clone()
            columns=columns(can_update, rollback_to)
            empty=Msg::NoRevisions
            hidden=hidden
            class="revisions"
        />
        <h3>{i18n.t(Msg::CompareRevisions)}</h3>
        <div class="filters">{picker(left, 1, Msg::From)} {picker(right, 0, Msg::To)}</div>
        <div class="diff">{diff}</div>
        {move || rollback_to.get().map(|revision| {
            let path = path.clone();
            view! { <RollbackDialog path=path revision=revision on_close=Callback::new(move |()| rollback_to.set(None)) /> }
        })}
    }
}

/// One saved template, and whether it is the one the DaemonSet runs now.
#[derive(Clone, Debug, PartialEq)]
struct RevisionRow {
    revision: ControllerRevision,
    current: bool,
}

fn columns(
    can_update: Signal<bool>,
    rollback_to: RwSignal<Option<ControllerRevision>>,
) -> Vec<Column<RevisionRow>> {
    vec![
        Column::new(Msg::Revision, "col-revision", |row: &RevisionRow| {
            let current = row
                .current
                .then(|| view! { <span class="tag">{use_i18n().t(Msg::CurrentRevision)}</span> });
            view! { <span class="name">{format!("#{}", row.revision.revision)}</span> {current} }
                .into_any()
        })
        .sort_by(|row| row.revision.revision),
        columns::images(Msg::ColumnImages, |row: &RevisionRow| row.revision.images()),
        columns::age(Msg::ColumnAge, |row: &RevisionRow| {
            row.revision.metadata.creation_timestamp.clone()
        }),
        Column::new(Msg::Actions, "col-rollback", move |row: &RevisionRow| {
            let revision = row.revision.clone();
            let current = row.current;
            view! {
                <Show when=move || can_update.get() && !current>
                    <button type="button" on:click={
                        let revision = revision.clone();
                        move |_| rollback_to.set(Some(revision.clone()))
                    }>{use_i18n().t(Msg::RollBack)}</button>
                </Show>
            }
            .into_any()
        }),
    ]
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
