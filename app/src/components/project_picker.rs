use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::{
    i18n::{Msg, use_i18n},
    session::use_session,
};

/// Chooses the project the pages show: every project the user may work in, and "all projects"
/// for those who may list namespaces.
#[component]
pub fn ProjectPicker() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let navigate = use_navigate();
    let current = move || params.read().get("project").unwrap_or_default();
    let on_change = move |event| {
        let chosen = event_target_value(&event);
        let path = if chosen.is_empty() {
            "/daemonsets".to_owned()
        } else {
            format!("/projects/{chosen}/daemonsets")
        };
        navigate(&path, Default::default());
    };
    view! {
        <label class="project-picker">
            <span>{i18n.t(Msg::ProjectLabel)}</span>
            <select on:change=on_change prop:value=current>
                {move || {
                    let mut projects = session.projects.get().and_then(Result::ok).unwrap_or_default();
                    // A project opened by its address but not (yet) in the list, e.g. created a
                    // moment ago, is still the one shown; the page says if it is forbidden.
                    let shown = current();
                    if !shown.is_empty() && !projects.names.contains(&shown) {
                        projects.names.push(shown);
                    }
                    let all = projects.all.then(|| view! { <option value="">{i18n.t(Msg::AllProjects)}</option> });
                    let names = projects
                        .names
                        .into_iter()
                        .map(|name| view! { <option value=name.clone() selected=move || current() == name>{name.clone()}</option> })
                        .collect_view();
                    view! { {all} {names} }
                }}
            </select>
        </label>
    }
}
