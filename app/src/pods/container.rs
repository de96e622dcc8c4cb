use console_model::k8s::{Container, Pod};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

use super::{
    as_yaml, live_pod,
    usage::{PodUsage, live_pod_usage},
};
use crate::{
    components::{ErrorPanel, LogSource, LogViewer, ShellTarget, TerminalPane},
    i18n::{Msg, use_i18n},
    permissions::may_exec,
    watch::LiveState,
};

/// A container: what it runs and how, its state, and its log.
#[component]
pub fn ContainerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let project = params.read_untracked().get("project").unwrap_or_default();
    let pod_name = params.read_untracked().get("pod").unwrap_or_default();
    let container_name = params.read_untracked().get("container").unwrap_or_default();
    let (live, pod) = live_pod(&project, &pod_name);
    let usage = live_pod_usage(&project, &pod_name);
    let source = LogSource::Container {
        namespace: project.clone(),
        pod: pod_name.clone(),
        container: container_name.clone(),
    };
    let name = container_name.clone();
    let terminal = (project.clone(), pod_name.clone(), container_name.clone());
    let project_href = format!("/projects/{project}/daemonsets");
    let pod_href = format!("/projects/{project}/pods/{pod_name}");
    view! {
        <nav class="breadcrumb">
            <A href=project_href>{project.clone()}</A> " / "
            <A href=pod_href>{pod_name.clone()}</A> " / "
            <span>{container_name.clone()}</span>
        </nav>
        {move || match (pod.get(), live.state.get()) {
            (_, LiveState::Failed(error)) => view! { <ErrorPanel error=error on_retry=Callback::new(|()| ()) /> }.into_any(),
            (None, LiveState::Live) => view! { <p class="empty">{i18n.t(Msg::ErrorNotFound)}</p> }.into_any(),
            (None, _) => view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any(),
            (Some(pod), _) => match find(&pod, &name) {
                Some(container) => view! { <ContainerBody pod=pod container=container /> }.into_any(),
                None => view! { <p class="empty">{i18n.t(Msg::ErrorNotFound)}</p> }.into_any(),
            },
        }}
        <PodUsage pod=pod usage=usage only=container_name.clone() />
        <TerminalSection namespace=terminal.0 pod=terminal.1 container=terminal.2 />
        <h2 class="section">{i18n.t(Msg::Logs)}</h2>
        <LogViewer source=source />
    }
}

/// The terminal, for users allowed to exec: closed until asked for, then a shell in the page.
#[component]
fn TerminalSection(namespace: String, pod: String, container: String) -> impl IntoView {
    let i18n = use_i18n();
    let allowed = may_exec(namespace.clone());
    let shell = RwSignal::new(String::new());
    let open = RwSignal::new(None::<ShellTarget>);
    let target = StoredValue::new((namespace.clone(), pod, container));
    let start = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (namespace, pod, container) = target.get_value();
        open.set(Some(ShellTarget {
            namespace,
            pod,
            container,
            shell: shell.get().trim().to_owned(),
        }));
    };
    view! {
        <Show when=move || allowed.get()>
            <h2 class="section">{i18n.t(Msg::Terminal)}</h2>
            {move || match open.get() {
                Some(target) => view! {
                    <TerminalPane target=target />
                    <button type="button" on:click=move |_| open.set(None)>{i18n.t(Msg::TerminalClose)}</button>
                }.into_any(),
                None => view! {
                    <form class="terminal-start" on:submit=start>
                        <input name="shell" placeholder=i18n.t(Msg::TerminalShellPlaceholder) aria-label=i18n.t(Msg::TerminalShell)
                            prop:value=shell on:input=move |ev| shell.set(event_target_value(&ev)) />
                        <button type="submit" class="primary">{i18n.t(Msg::TerminalOpen)}</button>
                    </form>
                }.into_any(),
            }}
        </Show>
    }
}

fn find(pod: &Pod, name: &str) -> Option<Container> {
    pod.spec
        .containers
        .iter()
        .chain(&pod.spec.init_containers)
        .find(|c| c.name == name)
        .cloned()
}

#[component]
fn ContainerBody(pod: Pod, container: Container) -> impl IntoView {
    let i18n = use_i18n();
    let status = pod
        .container_status(&container.name)
        .cloned()
        .unwrap_or_default();
    let list = |items: &[String]| {
        if items.is_empty() {
            "—".to_owned()
        } else {
            items.join(" ")
        }
    };
    let ports = container.ports.iter().map(|port| {
        let host = port.host_port.map(|p| format!(" → host {}{p}", if port.host_ip.is_empty() { String::new() } else { format!("{}:", port.host_ip) }));
        view! { <code class="chip">{format!("{} {}/{}{}", port.name, port.container_port, port.protocol, host.unwrap_or_default())}</code> }
    }).collect_view();
    let env = container.env.iter().map(|env| {
        let value = env.value.clone().unwrap_or_else(|| env.value_from.as_ref().map(|v| v.to_string()).unwrap_or_default());
        view! { <tr><th scope="row"><code>{env.name.clone()}</code></th><td><code class="wrap">{value}</code></td></tr> }
    }).collect_view();
    let mounts = container.volume_mounts.iter().map(|mount| {
        let read_only = mount.read_only.then(|| view! { <span class="tag">"ro"</span> });
        let sub_path = (!mount.sub_path.is_empty()).then(|| format!(" (subPath {})", mount.sub_path));
        view! { <tr><th scope="row"><code>{mount.name.clone()}</code></th><td><code>{mount.mount_path.clone()}</code>{sub_path}{read_only}</td></tr> }
    }).collect_view();
    let probes = [(Msg::LivenessProbe, &container.liveness_probe), (Msg::ReadinessProbe, &container.readiness_probe), (Msg::StartupProbe, &container.startup_probe)]
        .into_iter()
        .filter_map(|(label, probe)| probe.as_ref().map(|probe| view! { <tr><th scope="row">{i18n.t(label)}</th><td><pre class="yaml">{as_yaml(probe)}</pre></td></tr> }))
        .collect_view();
    view! {
        <header class="page-header"><div><h1>{container.name.clone()}</h1></div></header>
        <dl class="overview">
            <div class="wide"><dt>{i18n.t(Msg::Image)}</dt><dd><code>{container.image.clone()}</code> " · " {container.image_pull_policy.clone()}</dd></div>
            <div><dt>{i18n.t(Msg::State)}</dt><dd>{status.describe_state()}</dd></div>
            <div><dt>{i18n.t(Msg::Restarts)}</dt><dd>{status.restart_count}</dd></div>
            <div><dt>{i18n.t(Msg::Command)}</dt><dd><code>{list(&container.command)}</code></dd></div>
            <div><dt>{i18n.t(Msg::Arguments)}</dt><dd><code>{list(&container.args)}</code></dd></div>
            <div><dt>{i18n.t(Msg::Ports)}</dt><dd>{ports}</dd></div>
            <div class="wide"><dt>{i18n.t(Msg::Resources)}</dt><dd><pre class="yaml">{as_yaml(&container.resources)}</pre></dd></div>
        </dl>
        <h2 class="section">{i18n.t(Msg::TabEnvironment)}</h2>
        {none_if(container.env.is_empty())}
        <table class="pairs"><tbody>{env}</tbody></table>
        <h2 class="section">{i18n.t(Msg::Mounts)}</h2>
        {none_if(container.volume_mounts.is_empty())}
        <table class="pairs"><tbody>{mounts}</tbody></table>
        <h2 class="section">{i18n.t(Msg::Probes)}</h2>
        {none_if(container.liveness_probe.is_none() && container.readiness_probe.is_none() && container.startup_probe.is_none())}
        <table class="pairs"><tbody>{probes}</tbody></table>
    }
}

/// "none", for a section with nothing in it.
fn none_if(empty: bool) -> impl IntoView {
    let i18n = use_i18n();
    empty.then(|| view! { <p class="muted">{i18n.t(Msg::None)}</p> })
}
