//! The DaemonSet list, for one project or for all of them, kept live by a watch.

use std::{collections::BTreeSet, sync::Arc};

use console_model::{DaemonSetRow, ListedDaemonSet, RolloutStatus, usage::UsageByDaemonSet};
use leptos::prelude::*;
use leptos_router::{
    components::{A, Redirect},
    hooks::use_params_map,
};

use super::{
    actions::{BatchDeleteDialog, DeleteDialog, EditInfoDialog, RestartDialog},
    edit_yaml::EditYamlDialog,
};
use crate::{
    components::{
        Column, ColumnChooser, ErrorPanel, LiveIndicator, ResourceTable, StatusBadge, columns,
        remembered_hidden_columns,
    },
    i18n::{Msg, use_i18n},
    keys,
    permissions::{DaemonSetPermissions, daemonset_permissions},
    session::use_session,
    usage::{Amount, Samples, UsageNotice, UsageState, live_usage},
    watch::{LiveState, live_list},
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

/// Which statuses the filter lets through.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StatusFilter {
    Any,
    Only(RolloutStatus),
}

/// The DaemonSets of one project, or of all of them, with search and filters.
#[component]
fn DaemonSetTable(project: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let selector_input = RwSignal::new(String::new());
    let selector = RwSignal::new(String::new());
    let status = RwSignal::new(StatusFilter::Any);
    let controls = RowControls {
        selected: RwSignal::new(BTreeSet::new()),
        action: RwSignal::new(None),
        permissions: daemonset_permissions(project.clone().unwrap_or_default()),
    };
    // One sample of the project's pods every 15 s gives every row its usage.
    let metrics = match &project {
        Some(project) => format!("/apis/metrics.k8s.io/v1beta1/namespaces/{project}/pods"),
        None => "/apis/metrics.k8s.io/v1beta1/pods".to_owned(),
    };
    let usage = live_usage(Samples::Pods(metrics));
    let usage_by_daemonset =
        Memo::new(move |_| usage.pods.with(|pods| UsageByDaemonSet::of(pods.values())));
    // A project with no pods measured yet needs no sentence; a missing metrics-server does.
    let usage_notice = Signal::derive(move || match usage.state.get() {
        UsageState::Waiting => UsageState::Live,
        state => state,
    });
    let columns = columns(controls, usage_by_daemonset);
    let headers: Vec<Msg> = columns.iter().map(|c| c.header).collect();
    let hidden = remembered_hidden_columns("console.columns.daemonsets", &headers);
    let scope = project.clone();
    let create_href = match &project {
        Some(project) => format!("/daemonsets/new?project={project}"),
        None => "/daemonsets/new".to_owned(),
    };
    let heading_scope = move || match &scope {
        Some(name) => {
            view! { {i18n.t(Msg::ProjectLabel)}": " <strong>{name.clone()}</strong> }.into_any()
        }
        None => view! { <strong>{i18n.t(Msg::AllProjects)}</strong> }.into_any(),
    };
    let apply_selector = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        selector.set(selector_input.get().trim().to_owned());
    };
    // `/` goes to the search, as in most consoles; not while typing, and not behind a dialog.
    let search_box = NodeRef::<leptos::html::Input>::new();
    let slash = window_event_listener(leptos::ev::keydown, move |event| {
        let plain = !(event.ctrl_key() || event.meta_key() || event.alt_key());
        if event.key() != "/"
            || !plain
            || event.default_prevented()
            || keys::typing(&event)
            || keys::dialog_open()
        {
            return;
        }
        if let Some(search) = search_box.get_untracked() {
            event.prevent_default();
            let _ = search.focus();
        }
    });
    on_cleanup(move || slash.remove());
    let status_choice = move |event| {
        status.set(match event_target_value(&event).as_str() {
            "running" => StatusFilter::Only(RolloutStatus::Running),
            "updating" => StatusFilter::Only(RolloutStatus::Updating),
            "degraded" => StatusFilter::Only(RolloutStatus::Degraded),
            "stopped" => StatusFilter::Only(RolloutStatus::Stopped),
            _ => StatusFilter::Any,
        })
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
                    <Show when=move || controls.permissions.get().create>
                        <A href=create_href.clone() attr:class="button primary">{i18n.t(Msg::Create)}</A>
                    </Show>
                </div>
            </header>
            <div class="filters">
                <input
                    type="search"
                    class="search"
                    placeholder=i18n.t(Msg::SearchByName)
                    aria-label=i18n.t(Msg::SearchByName)
                    aria-keyshortcuts="/"
                    node_ref=search_box
                    prop:value=search
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
                <form class="selector-form" on:submit=apply_selector>
                    <input
                        class="selector"
                        placeholder=i18n.t(Msg::LabelSelectorPlaceholder)
                        aria-label=i18n.t(Msg::LabelSelector)
                        prop:value=selector_input
                        on:input=move |ev| selector_input.set(event_target_value(&ev))
                    />
                </form>
                <select aria-label=i18n.t(Msg::ColumnStatus) on:change=status_choice>
                    <option value="">{i18n.t(Msg::AnyStatus)}</option>
                    <option value="running">{i18n.t(Msg::StatusRunning)}</option>
                    <option value="updating">{i18n.t(Msg::StatusUpdating)}</option>
                    <option value="degraded">{i18n.t(Msg::StatusDegraded)}</option>
                    <option value="stopped">{i18n.t(Msg::StatusStopped)}</option>
                </select>
                <ColumnChooser all=headers hidden=hidden />
                <Show when=move || controls.permissions.get().delete && !controls.selected.with(BTreeSet::is_empty)>
                    <button type="button" class="danger" on:click=move |_| {
                        let targets = controls.selected.get().iter()
                            .filter_map(|key| key.split_once('/').map(|(ns, name)| (ns.to_owned(), name.to_owned())))
                            .collect();
                        controls.action.set(Some(RowAction::DeleteSelected(targets)));
                    }>
                        {i18n.t(Msg::DeleteSelected)} {move || format!(" ({})", controls.selected.with(BTreeSet::len))}
                    </button>
                </Show>
            </div>
            <UsageNotice state=usage_notice />
            {move || action_dialog(controls)}
            // A new selector means a new watch: the apiserver filters, not the browser.
            {move || {
                let selector = selector.get();
                let project = project.clone();
                let columns = columns.clone();
                view! { <LiveRows project=project selector=selector search=search status=status columns=columns hidden=hidden /> }
            }}
        </section>
    }
}

#[component]
fn LiveRows(
    project: Option<String>,
    selector: String,
    search: RwSignal<String>,
    status: RwSignal<StatusFilter>,
    columns: Vec<Column<Row>>,
    hidden: RwSignal<Vec<Msg>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let path = match &project {
        Some(project) => format!("/apis/apps/v1/namespaces/{project}/daemonsets"),
        None => "/apis/apps/v1/daemonsets".to_owned(),
    };
    let query = if selector.is_empty() {
        String::new()
    } else {
        format!(
            "labelSelector={}",
            String::from(js_sys::encode_uri_component(&selector))
        )
    };
    let live = live_list(path, query, |daemonset: ListedDaemonSet| {
        Arc::new(DaemonSetRow::from_listed(&daemonset))
    });
    // Filtered once per change of the list or the filters, not once per reader.
    let rows = Memo::new(move |_| {
        let needle = search.get().trim().to_lowercase();
        let status = status.get();
        live.items.with(|items| {
            items
                .values()
                .filter(|row| {
                    needle.is_empty()
                        || row.name.to_lowercase().contains(&needle)
                        || row
                            .alias
                            .as_deref()
                            .is_some_and(|alias| alias.to_lowercase().contains(&needle))
                })
                .filter(|row| {
                    status == StatusFilter::Any || status == StatusFilter::Only(row.status())
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <LiveIndicator state=live.state count=Signal::derive(move || live.items.with(|items| items.len())) />
        {move || match live.state.get() {
            LiveState::Loading if live.items.with(|items| items.is_empty()) => {
                view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any()
            }
            LiveState::Failed(error) => {
                view! { <ErrorPanel error=error on_retry=Callback::new(|()| reload()) /> }.into_any()
            }
            _ => ().into_any(),
        }}
        <Show when=move || !matches!(live.state.get(), LiveState::Failed(_) | LiveState::Loading) || !live.items.with(|items| items.is_empty())>
            <ResourceTable rows=rows key=|row: &Row| row_key(row) columns=columns.clone() empty=Msg::EmptyDaemonSets hidden=hidden />
        </Show>
    }
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// What a row's menu or the batch button opened.
#[derive(Clone, Debug, PartialEq)]
enum RowAction {
    EditInfo(DaemonSetRow),
    EditYaml(DaemonSetRow),
    Restart(DaemonSetRow),
    Delete(DaemonSetRow),
    DeleteSelected(Vec<(String, String)>),
}

/// The controls a row needs: the selection, the dialog to open, and what the user may do.
#[derive(Clone, Copy)]
struct RowControls {
    selected: RwSignal<BTreeSet<String>>,
    action: RwSignal<Option<RowAction>>,
    permissions: Signal<DaemonSetPermissions>,
}

/// A row of the table. Shared: a watch event replaces one row, and the filtered, sorted and
/// visible lists copy pointers and tell unchanged rows by pointer, not field by field.
type Row = Arc<DaemonSetRow>;

fn row_key(row: &DaemonSetRow) -> String {
    format!("{}/{}", row.namespace, row.name)
}

fn columns(controls: RowControls, usage: Memo<UsageByDaemonSet>) -> Vec<Column<Row>> {
    let RowControls {
        selected,
        action,
        permissions,
    } = controls;
    vec![
        Column::new(Msg::Select, "col-select", move |row: &Row| {
            let key = row_key(row);
            let label = key.clone();
            let checked = {
                let key = key.clone();
                move || selected.with(|selected| selected.contains(&key))
            };
            let toggle = move |ev| {
                let on = event_target_checked(&ev);
                selected.update(|selected| {
                    if on {
                        selected.insert(key.clone());
                    } else {
                        selected.remove(&key);
                    }
                })
            };
            view! { <input type="checkbox" aria-label=label prop:checked=checked on:change=toggle /> }.into_any()
        }),
        columns::name(
            Msg::ColumnName,
            |row: &Row| {
                let href = format!("/projects/{}/daemonsets/{}", row.namespace, row.name);
                (href, row.name.clone())
            },
            |row: &Row| {
                let alias = row.alias.clone()?;
                Some(view! { <span class="alias">{alias}</span> }.into_any())
            },
        ),
        Column::new(Msg::ColumnProject, "col-project", |row: &Row| {
            let project = row.namespace.clone();
            let href = format!("/projects/{project}/daemonsets");
            view! { <a href=href>{project}</a> }.into_any()
        })
        .sort_by(|row| row.namespace.clone()),
        Column::new(Msg::ColumnStatus, "col-status", |row: &Row| {
            view! { <StatusBadge row=DaemonSetRow::clone(row) /> }.into_any()
        })
        .sort_by(|row| (row.status() as u8, row.counts.ready)),
        columns::count(Msg::ColumnDesired, |row: &Row| row.counts.desired),
        columns::count(Msg::ColumnCurrent, |row: &Row| row.counts.current),
        columns::count(Msg::ColumnReady, |row: &Row| row.counts.ready),
        columns::count(Msg::ColumnUpToDate, |row: &Row| row.counts.up_to_date),
        columns::count(Msg::ColumnAvailable, |row: &Row| row.counts.available),
        Column::new(Msg::TabUsage, "col-usage", move |row: &Row| {
            usage_cell(usage.with(|usage| usage.get(&row.namespace, &row.name)))
        })
        .sort_by(move |row| {
            usage.with(|usage| {
                usage
                    .get(&row.namespace, &row.name)
                    .map(|u| u.total.memory_bytes)
            })
        }),
        Column::new(Msg::ColumnNodeSelector, "col-selector", |row: &Row| {
            node_selector(row).into_any()
        })
        .sort_by(|row| {
            row.node_selector
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
        }),
        columns::images(Msg::ColumnImages, |row: &Row| row.images.clone()),
        columns::age(Msg::ColumnAge, |row: &Row| row.created.clone()),
        // Drawn once per row, so an open menu stays open while its DaemonSet changes; an
        // action takes the row as it is when chosen. Its buttons exist only while it is open.
        Column::live(Msg::Actions, "col-actions", move |row: Memo<Row>| {
            let i18n = use_i18n();
            let open = RwSignal::new(false);
            let toggle = NodeRef::<leptos::html::Button>::new();
            // Focus goes back to the toggle, so a dialog the action opens returns it there.
            let close = move || {
                if let Some(toggle) = toggle.get_untracked() {
                    let _ = toggle.focus();
                }
                open.set(false);
            };
            let button = move |label: Msg, make: fn(DaemonSetRow) -> RowAction| {
                let choose = move |_| {
                    close();
                    action.set(Some(make(DaemonSetRow::clone(&row.get_untracked()))));
                };
                view! { <button type="button" role="menuitem" tabindex="-1" on:click=choose>{i18n.t(label)}</button> }
            };
            let on_menu_keydown = move |event: leptos::ev::KeyboardEvent| match event.key().as_str()
            {
                "Escape" => {
                    event.prevent_default();
                    close();
                }
                "Tab" => open.set(false),
                _ => {
                    keys::arrow_focus(&event, "[role=menuitem]");
                }
            };
            // Each time the menu opens, its first item takes focus.
            let menu = NodeRef::<leptos::html::Div>::new();
            Effect::new(move || {
                if let Some(first) = menu
                    .get()
                    .and_then(|menu| keys::focusable(&menu).into_iter().next())
                {
                    let _ = first.focus();
                }
            });
            let items = move || {
                let allowed = permissions.get();
                let updates = allowed.update.then(|| {
                    view! {
                        {button(Msg::EditInfo, RowAction::EditInfo)}
                        {button(Msg::EditYaml, RowAction::EditYaml)}
                        {button(Msg::Restart, RowAction::Restart)}
                    }
                });
                let delete = allowed
                    .delete
                    .then(|| button(Msg::Delete, RowAction::Delete));
                view! {
                    <div class="menu" role="menu" aria-orientation="horizontal" aria-label=i18n.t(Msg::More)
                        node_ref=menu on:keydown=on_menu_keydown>{updates}{delete}</div>
                }
            };
            view! {
                    <Show when=move || permissions.with(|allowed| allowed.update || allowed.delete)>
                        <div class="row-menu">
                            <button type="button" class="row-menu-toggle" aria-label=i18n.t(Msg::More) node_ref=toggle
                                aria-haspopup="menu" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|open| *open = !*open)>"⋯"</button>
                            <Show when=move || open.get()>{items}</Show>
                        </div>
                    </Show>
                }
                .into_any()
        }),
    ]
}

/// All pods' CPU and memory, and beneath it the most one pod uses.
fn usage_cell(usage: Option<console_model::usage::DaemonSetUsage>) -> AnyView {
    let i18n = use_i18n();
    let Some(usage) = usage else {
        return ().into_any();
    };
    let both = |usage: console_model::usage::Usage| {
        format!(
            "{} · {}",
            Amount::Cpu.format(usage.cpu_nanocores),
            Amount::Memory.format(usage.memory_bytes)
        )
    };
    view! {
        <span class="usage-summary">
            {both(usage.total)}
            <span class="usage-peak">{i18n.t(Msg::UsageHighestPod)} " " {both(usage.highest)}</span>
        </span>
    }
    .into_any()
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

/// The dialog a row action opened, if any. Their code comes when one is first opened, so the
/// list's first download does not hold it.
fn action_dialog(controls: RowControls) -> AnyView {
    let Some(action) = controls.action.get() else {
        return ().into_any();
    };
    once_loaded(row_dialog(action, controls))
}

/// A lazily loaded view, drawn once its piece of the module has arrived.
fn once_loaded(view: impl Future<Output = AnyView> + Send + 'static) -> AnyView {
    let view = Suspend::new(view);
    view! { <Suspense>{view}</Suspense> }.into_any()
}

/// The dialog of one row action; edit YAML's larger code comes in a piece of its own.
#[lazy]
fn row_dialog(action: RowAction, controls: RowControls) -> AnyView {
    let action_signal = controls.action;
    let close = Callback::new(move |()| action_signal.set(None));
    match action {
        RowAction::EditInfo(row) => view! {
            <EditInfoDialog namespace=row.namespace name=row.name alias=row.alias description=row.description on_close=close />
        }
        .into_any(),
        RowAction::EditYaml(row) => once_loaded(edit_yaml_dialog(row.namespace, row.name, close)),
        RowAction::Restart(row) => view! { <RestartDialog namespace=row.namespace name=row.name on_close=close /> }.into_any(),
        RowAction::Delete(row) => {
            let key = row_key(&row);
            let deleted = Callback::new(move |()| {
                controls.selected.update(|selected| {
                    selected.remove(&key);
                });
                action_signal.set(None);
            });
            view! { <DeleteDialog namespace=row.namespace name=row.name on_deleted=deleted on_close=close /> }.into_any()
        }
        RowAction::DeleteSelected(targets) => {
            let done = Callback::new(move |()| {
                controls.selected.set(BTreeSet::new());
                action_signal.set(None);
            });
            view! { <BatchDeleteDialog targets=targets on_close=done /> }.into_any()
        }
    }
}

/// Edit YAML: the YAML reader and writer, the schema and the diff are much larger than the
/// other dialogs.
#[lazy]
fn edit_yaml_dialog(namespace: String, name: String, on_close: Callback<()>) -> AnyView {
    view! { <EditYamlDialog namespace=namespace name=name canary=None on_close=on_close /> }
        .into_any()
}
