//! Step 1, basic information: name, project, alias, description.

use console_model::document::is_dns_subdomain;
use gloo_timers::future::TimeoutFuture;
use leptos::{prelude::*, task::spawn_local};

use super::{
    Wizard,
    fields::{daemon_set, field, name_select, text_input},
};
use crate::{
    api,
    daemonsets::daemonset_path,
    i18n::{Msg, use_i18n},
    session::use_session,
};

pub fn step(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let form = daemon_set();
    let description = field!(form, description);
    let shown_description = description.clone();
    let projects = Signal::derive(move || {
        session
            .projects
            .get()
            .and_then(Result::ok)
            .map(|projects| projects.names)
            .unwrap_or_default()
    });
    view! {
        <div class="fields">
            {text_input(wizard, Msg::ColumnName, field!(form, name), "node-agent")}
            <p class="hint">{i18n.t(Msg::NameHint)}</p>
            {name_select(wizard, Msg::ProjectLabel, field!(form, namespace), projects, Msg::ChooseProject)}
            {text_input(wizard, Msg::Alias, field!(form, alias), "")}
            <label class="field">
                <span>{i18n.t(Msg::Description)}</span>
                <textarea rows="3"
                    prop:value=move || wizard.value(&shown_description)
                    on:input=move |ev| wizard.set(&description, event_target_value(&ev))></textarea>
            </label>
        </div>
    }
}

/// Looks the typed name up in the chosen project while the user types (a moment after the last
/// keystroke), so a clash is found before create.
pub fn watch_name_clash(wizard: Wizard) {
    let wanted = Memo::new(move |_| {
        wizard.form.with(|form| {
            (
                form.daemon_set.namespace.clone(),
                form.daemon_set.name.clone(),
            )
        })
    });
    Effect::new(move |_| {
        let (project, name) = wanted.get();
        wizard.clash.set(None);
        if project.is_empty() || !is_dns_subdomain(&name) {
            return;
        }
        spawn_local(async move {
            TimeoutFuture::new(300).await;
            if wanted.try_get_untracked() != Some((project.clone(), name.clone())) {
                return;
            }
            // Only an answer that the object exists is a clash; a 404 or a failure is not.
            if api::get_raw(&daemonset_path(&project, &name)).await.is_ok()
                && wanted.try_get_untracked() == Some((project.clone(), name.clone()))
            {
                wizard.clash.try_set(Some((project, name)));
            }
        });
    });
}
