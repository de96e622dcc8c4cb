//! The DaemonSet list, for one project or for all of them.

use console_model::{DaemonSetRow, format_age};
use leptos::prelude::*;
use leptos_router::{
    components::{A, Redirect},
    hooks::use_params_map,
};

use crate::{
    api,
    components::{Column, ErrorPanel, ResourceTable, StatusBadge},
    i18n::{Msg, use_i18n},
    session::use_session,
};

#[component]
pub fn DaemonSetList() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let project = Memo::new(move |_| params.read().get("project"));
    // "All projects" is only for users who may list namespaces; everyone else starts in the
    // first project they may use.
    move || {
        match project.get() {
        Some(name) => view! { <DaemonSetTable project=Some(name) /> }.into_any(),
        None => match session.projects.get() {
            None => view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any(),
            Some(Ok(projects)) if projects.all => view! { <DaemonSetTable project=None /> }.into_any(),
            Some(Ok(projects)) => match projects.names.first() {
                Some(first) => view! { <Redirect path=format!("/projects/{first}/daemonsets") /> }.into_any(),
                None => view! { <p class="empty">{i18n.t(Msg::NoProjects)}</p> }.into_any(),
            },
            Some(Err(error)) => view! {
                <ErrorPanel error=error on_retry=Callback::new(move |()| session.projects.refetch()) />
            }
            .into_any(),
        },
    }
    }
}

/// The DaemonSets of one project, or of all of them.
#[component]
fn DaemonSetTable(project: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let scope = project.clone();
    let rows = LocalResource::new(move || api::list_daemonsets(project.clone()));
    let retry = Callback::new(move |()| rows.refetch());
    let heading_scope = move || match &scope {
        Some(name) => {
            view! { {i18n.t(Msg::ProjectLabel)}": " <strong>{name.clone()}</strong> }.into_any()
        }
        None => view! { <strong>{i18n.t(Msg::AllProjects)}</strong> }.into_any(),
    };

    view! {
        <section class="daemonset-list">
            <header class="page-header">
                <div>
                    <h1>{i18n.t(Msg::DaemonSetsTitle)}</h1>
                    <p class="intro">{i18n.t(Msg::DaemonSetsIntro)}</p>
                </div>
                <div class="toolbar">
                    <span class="scope">{heading_scope}</span>
                    <button type="button" on:click=move |_| rows.refetch()>
                        {i18n.t(Msg::Refresh)}
                    </button>
                </div>
            </header>
            <Transition fallback=move || view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }>
                {move || {
                    rows.get()
                        .map(|result| match result {
                            Ok(rows) => view! {
                                <ResourceTable rows=rows columns=columns() empty=Msg::EmptyDaemonSets />
                            }
                            .into_any(),
                            Err(error) => view! { <ErrorPanel error=error on_retry=retry /> }.into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

fn columns() -> Vec<Column<DaemonSetRow>> {
    vec![
        Column::new(Msg::ColumnName, "col-name", |row: &DaemonSetRow| {
            let alias = row
                .alias
                .clone()
                .map(|alias| view! { <span class="alias">{alias}</span> });
            view! { <span class="name">{row.name.clone()}</span> {alias} }.into_any()
        }),
        Column::new(Msg::ColumnProject, "col-project", |row: &DaemonSetRow| {
            let project = row.namespace.clone();
            let href = format!("/projects/{project}/daemonsets");
            view! { <A href=href>{project}</A> }.into_any()
        }),
        Column::new(Msg::ColumnStatus, "col-status", |row: &DaemonSetRow| {
            view! { <StatusBadge counts=row.counts /> }.into_any()
        }),
        Column::new(Msg::ColumnDesired, "col-number", |row: &DaemonSetRow| {
            row.counts.desired.to_string().into_any()
        }),
        Column::new(Msg::ColumnReady, "col-number", |row: &DaemonSetRow| {
            row.counts.ready.to_string().into_any()
        }),
        Column::new(
            Msg::ColumnNodeSelector,
            "col-selector",
            |row: &DaemonSetRow| node_selector(row).into_any(),
        ),
        Column::new(Msg::ColumnImages, "col-images", |row: &DaemonSetRow| {
            row.images
                .iter()
                .map(|image| view! { <code class="image">{image.clone()}</code> })
                .collect_view()
                .into_any()
        }),
        Column::new(Msg::ColumnAge, "col-age", |row: &DaemonSetRow| {
            let age = row.created.as_deref().map(age_of).unwrap_or_default();
            let title = row.created.clone().unwrap_or_default();
            view! { <span title=title>{age}</span> }.into_any()
        }),
    ]
}

fn node_selector(row: &DaemonSetRow) -> impl IntoView + use<> {
    let i18n = use_i18n();
    if row.node_selector.is_empty() {
        return view! { <span class="muted">{i18n.t(Msg::AnyNode)}</span> }.into_any();
    }
    row.node_selector
        .iter()
        .map(|(key, value)| view! { <code class="chip">{format!("{key}={value}")}</code> })
        .collect_view()
        .into_any()
}

/// Age of an RFC 3339 timestamp, measured on the browser's clock.
fn age_of(created: &str) -> String {
    let created_ms = js_sys::Date::parse(created);
    if created_ms.is_nan() {
        return String::new();
    }
    let seconds = ((js_sys::Date::now() - created_ms) / 1000.0) as i64;
    format_age(seconds)
}
