//! What can be done to one DaemonSet: edit its alias and description, restart its pods, delete
//! it. Each is a small dialog over one API call; the page's watch shows the result.

use console_model::daemonset::{ALIAS_ANNOTATION, DESCRIPTION_ANNOTATION, RESTARTED_AT_ANNOTATION};
use leptos::prelude::*;
use serde_json::json;

use crate::{
    api::{self, ApiError, Propagation},
    components::Dialog,
    i18n::{Msg, use_i18n},
};

/// The API path of a DaemonSet.
pub fn daemonset_path(namespace: &str, name: &str) -> String {
    format!("/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}")
}

/// The alias and description, stored as KubeSphere's annotations; empty removes them.
pub fn info_patch(alias: &str, description: &str) -> serde_json::Value {
    let value = |text: &str| {
        if text.trim().is_empty() {
            serde_json::Value::Null
        } else {
            json!(text.trim())
        }
    };
    json!({"metadata": {"annotations": {ALIAS_ANNOTATION: value(alias), DESCRIPTION_ANNOTATION: value(description)}}})
}

/// What `kubectl rollout restart` sends: a new template annotation, so every pod is replaced.
pub fn restart_patch(now_rfc3339: &str) -> serde_json::Value {
    json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT_ANNOTATION: now_rfc3339}}}}})
}

pub(super) fn now_rfc3339() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// Merge-patches the DaemonSet at `path`, reporting through a dialog's signals.
fn patch_daemonset(
    pending: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    path: String,
    patch: serde_json::Value,
    done: Callback<()>,
) {
    run(
        pending,
        error,
        async move { api::merge_patch(&path, &patch).await },
        done,
    );
}

/// Runs `call` and reports through the signals a dialog shows; `done` on success.
pub(super) fn run<F>(
    pending: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    call: F,
    done: Callback<()>,
) where
    F: Future<Output = Result<(), ApiError>> + 'static,
{
    pending.set(true);
    error.set(None);
    leptos::task::spawn_local(async move {
        let result = call.await;
        pending.set(false);
        match result {
            Ok(()) => done.run(()),
            Err(failure) => error.set(Some(failure)),
        }
    });
}

/// How a patch is applied.
pub enum PatchKind {
    /// RFC 7386: objects merge, lists are replaced.
    Merge,
    /// Kubernetes' own: lists of containers and the like merge by name.
    Strategic,
}

/// Sends `patch` if there is one: a record that is already gone needs no request.
pub(super) async fn send_patch(
    path: String,
    patch: Option<serde_json::Value>,
    kind: PatchKind,
) -> Result<(), ApiError> {
    match (patch, kind) {
        (None, _) => Ok(()),
        (Some(patch), PatchKind::Merge) => api::merge_patch(&path, &patch).await,
        (Some(patch), PatchKind::Strategic) => api::strategic_patch(&path, &patch).await,
    }
}

#[component]
pub fn EditInfoDialog(
    namespace: String,
    name: String,
    alias: Option<String>,
    description: Option<String>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let alias = RwSignal::new(alias.unwrap_or_default());
    let description = RwSignal::new(description.unwrap_or_default());
    let (pending, error) = (RwSignal::new(false), RwSignal::new(None));
    let path = daemonset_path(&namespace, &name);
    let save = Callback::new(move |()| {
        patch_daemonset(
            pending,
            error,
            path.clone(),
            info_patch(&alias.get(), &description.get()),
            on_close,
        );
    });
    view! {
        <Dialog title=Msg::EditInfo confirm=Msg::Save ready=Signal::derive(|| true) pending=pending.into()
            error=error.into() on_confirm=save on_cancel=on_close>
            <label>
                <span>{i18n.t(Msg::Alias)}</span>
                <input name="alias" prop:value=alias on:input=move |ev| alias.set(event_target_value(&ev)) />
            </label>
            <label>
                <span>{i18n.t(Msg::Description)}</span>
                <textarea name="description" rows="3" prop:value=description
                    on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </label>
        </Dialog>
    }
}

#[component]
pub fn RestartDialog(namespace: String, name: String, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (pending, error) = (RwSignal::new(false), RwSignal::new(None));
    let path = daemonset_path(&namespace, &name);
    let restart = Callback::new(move |()| {
        patch_daemonset(
            pending,
            error,
            path.clone(),
            restart_patch(&now_rfc3339()),
            on_close,
        );
    });
    view! {
        <Dialog title=Msg::Restart confirm=Msg::Restart ready=Signal::derive(|| true) pending=pending.into()
            error=error.into() on_confirm=restart on_cancel=on_close>
            <p>{i18n.t(Msg::RestartExplained)}</p>
            <p><strong>{format!("{namespace}/{name}")}</strong></p>
        </Dialog>
    }
}

/// Delete after typing the name, choosing whether the pods go first or stay as orphans.
#[component]
pub fn DeleteDialog(
    namespace: String,
    name: String,
    on_deleted: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let propagation = RwSignal::new(Propagation::PodsFirst);
    let (pending, error) = (RwSignal::new(false), RwSignal::new(None));
    let path = daemonset_path(&namespace, &name);
    let expected = name.clone();
    let ready = Signal::derive(move || typed.get().trim() == expected);
    let delete = Callback::new(move |()| {
        let path = path.clone();
        let how = propagation.get();
        run(
            pending,
            error,
            async move { api::delete(&path, how).await },
            on_deleted,
        );
    });
    let choice = move |value: Propagation, label: Msg| {
        view! {
            <label class="check">
                <input type="radio" name="propagation" prop:checked=move || propagation.get() == value
                    on:change=move |_| propagation.set(value) />
                <span>{i18n.t(label)}</span>
            </label>
        }
    };
    view! {
        <Dialog title=Msg::Delete confirm=Msg::Delete ready=ready danger=true pending=pending.into()
            error=error.into() on_confirm=delete on_cancel=on_close>
            <p>{i18n.t(Msg::DeleteExplained)}</p>
            <label>
                <span>{i18n.t(Msg::TypeNameToConfirm)} " " <code>{name.clone()}</code></span>
                <input name="confirm-name" autocomplete="off" prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev)) />
            </label>
            <fieldset class="choices">
                {choice(Propagation::PodsFirst, Msg::DeletePodsFirst)}
                {choice(Propagation::Orphan, Msg::OrphanPods)}
            </fieldset>
        </Dialog>
    }
}

/// Deletes several DaemonSets after one confirmation, pods first, and shows how each went.
#[component]
pub fn BatchDeleteDialog(targets: Vec<(String, String)>, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let results = RwSignal::new(vec![None::<Result<(), ApiError>>; targets.len()]);
    let started = RwSignal::new(false);
    let pending =
        Signal::derive(move || started.get() && results.with(|r| r.iter().any(Option::is_none)));
    let to_delete = targets.clone();
    let confirm = Callback::new(move |()| {
        started.set(true);
        for (index, (namespace, name)) in to_delete.iter().cloned().enumerate() {
            leptos::task::spawn_local(async move {
                let result =
                    api::delete(&daemonset_path(&namespace, &name), Propagation::PodsFirst).await;
                results.update(|results| results[index] = Some(result));
            });
        }
    });
    let items = targets
        .into_iter()
        .enumerate()
        .map(|(index, (namespace, name))| {
            let outcome = move || match results.with(|r| r[index].clone()) {
                None if started.get() => view! { <span class="muted">{i18n.t(Msg::Working)}</span> }.into_any(),
                None => ().into_any(),
                Some(Ok(())) => view! { <span class="yes">{i18n.t(Msg::Deleted)}</span> }.into_any(),
                Some(Err(error)) => view! { <span class="bad" title=error.detail()>{i18n.t(error.summary())}</span> }.into_any(),
            };
            view! { <li><code>{format!("{namespace}/{name}")}</code> " " {outcome}</li> }
        })
        .collect_view();
    view! {
        <Dialog title=Msg::DeleteSelected confirm=Msg::Delete ready=Signal::derive(move || !started.get()) danger=true
            pending=pending error=Signal::derive(|| None) on_confirm=confirm on_cancel=on_close>
            <p>{i18n.t(Msg::BatchDeleteExplained)}</p>
            <ul class="batch">{items}</ul>
        </Dialog>
    }
}
