//! Step 2, pod settings: containers and init containers (image, pull policy, resources,
//! command, arguments, ports, environment, probes, security context), the update strategy and
//! minReadySeconds.

use console_model::document::{
    ContainerForm, EnvFromForm, EnvFromKind, EnvSource, EnvVarForm, FieldPath, PortForm,
    ProbeAction, ProbeForm, Protocol, PullPolicy, Step, UpdateStrategy,
};
use leptos::prelude::*;

use super::{
    Wizard,
    fields::{
        Label, Lens, Variant, choice_field, daemon_set, field, item_list, keywords, lines_field,
        number_field, optional_keywords, text_input, variant, variant_field, yes_no,
    },
};
use crate::i18n::{Msg, use_i18n};

/// Which list a container is in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Containers,
    InitContainers,
}

impl Group {
    pub fn lens(self) -> Lens<Vec<ContainerForm>> {
        match self {
            Group::Containers => field!(daemon_set(), containers),
            Group::InitContainers => field!(daemon_set(), init_containers),
        }
    }
}

pub fn step(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = daemon_set();
    view! {
        <section class="group">
            <h3>{i18n.t(Msg::Containers)}</h3>
            {container_list(wizard, Group::Containers)}
        </section>
        <section class="group">
            <h3>{i18n.t(Msg::InitContainers)}</h3>
            <p class="hint">{i18n.t(Msg::InitContainersHint)}</p>
            {container_list(wizard, Group::InitContainers)}
        </section>
        <section class="group">
            <h3>{i18n.t(Msg::UpdateStrategy)}</h3>
            {update_strategy(wizard, field!(form, update_strategy))}
            {number_field(wizard, Msg::MinReadySeconds, field!(form, min_ready_seconds))}
        </section>
    }
}

fn container_list(wizard: Wizard, group: Group) -> impl IntoView {
    let i18n = use_i18n();
    let list = group.lens();
    let count = wizard.count(list.clone());
    let cards = {
        let list = list.clone();
        move || {
            (0..count.get())
                .map(|index| container_card(wizard, list.clone(), index))
                .collect_view()
        }
    };
    let add = match group {
        Group::Containers => Msg::AddContainer,
        Group::InitContainers => Msg::AddInitContainer,
    };
    view! {
        {move || (group == Group::Containers).then(|| super::fields::problem_at(wizard, group.lens().path().clone()))}
        {cards}
        <button type="button" class="add" on:click=move |_| wizard.push(&list, ContainerForm::default())>{i18n.t(add)}</button>
    }
}

fn container_card(wizard: Wizard, list: Lens<Vec<ContainerForm>>, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let container = list.at(index);
    let heading = {
        let name = field!(container, name);
        move || {
            let name = wizard.value(&name);
            if name.is_empty() {
                format!("#{}", index + 1)
            } else {
                name
            }
        }
    };
    let resources = field!(container, resources);
    let ports = ports(wizard, field!(container, ports));
    let env_from = env_from(wizard, field!(container, env_from));
    let env = env(wizard, field!(container, env));
    let security_context = security_context(wizard, &container);
    // Advanced settings open by themselves when something in them needs fixing, found by
    // validation or refused by the cluster.
    let advanced_needs_fixing = {
        let base = container.path().clone();
        let shown =
            [field!(container, name), field!(container, image)].map(|lens| lens.path().clone());
        let advanced = move |path: &FieldPath| {
            path.is_inside(&base) && !shown.contains(path) && Step::of(path) == Step::Pod
        };
        Memo::new(move |_| {
            let invalid = wizard.checked.with(|checked| checked.contains(&Step::Pod))
                && wizard
                    .validation
                    .with(|validation| validation.errors.iter().any(|issue| advanced(&issue.path)));
            invalid
                || wizard
                    .refused
                    .with(|refused| refused.iter().any(|r| advanced(&r.path)))
        })
    };
    view! {
        <article class="card container-card">
            <header>
                <h4>{heading}</h4>
                <button type="button" class="remove" on:click=move |_| wizard.remove(&list, index)>{i18n.t(Msg::Remove)}</button>
            </header>
            <div class="fields columns">
                {text_input(wizard, Msg::ContainerName, field!(container, name), "agent")}
                {text_input(wizard, Msg::Image, field!(container, image), "registry.example.com/agent:1.0")}
                {choice_field(wizard, Msg::PullPolicy, field!(container, image_pull_policy), optional_keywords(PullPolicy::ALL, PullPolicy::as_str))}
            </div>
            <details class="advanced" prop:open=move || advanced_needs_fixing.get()>
                <summary>{i18n.t(Msg::Advanced)}</summary>
                <h5>{i18n.t(Msg::Resources)}</h5>
                <p class="hint">{i18n.t(Msg::ResourcesHint)}</p>
                <div class="fields columns">
                    {text_input(wizard, Msg::CpuRequest, field!(field!(resources, requests), cpu), "100m")}
                    {text_input(wizard, Msg::CpuLimit, field!(field!(resources, limits), cpu), "500m")}
                    {text_input(wizard, Msg::MemoryRequest, field!(field!(resources, requests), memory), "128Mi")}
                    {text_input(wizard, Msg::MemoryLimit, field!(field!(resources, limits), memory), "256Mi")}
                </div>
                <div class="fields columns">
                    {lines_field(wizard, Msg::Command, Msg::OnePerLine, field!(container, command))}
                    {lines_field(wizard, Msg::Arguments, Msg::OnePerLine, field!(container, args))}
                </div>
                <h5>{i18n.t(Msg::Ports)}</h5>
                {ports}
                <h5>{i18n.t(Msg::Environment)}</h5>
                {env}
                {env_from}
                <h5>{i18n.t(Msg::Probes)}</h5>
                {probe(wizard, Msg::LivenessProbe, field!(container, liveness_probe))}
                {probe(wizard, Msg::ReadinessProbe, field!(container, readiness_probe))}
                {probe(wizard, Msg::StartupProbe, field!(container, startup_probe))}
                <h5>{i18n.t(Msg::SecurityContext)}</h5>
                {security_context}
            </details>
        </article>
    }
}

fn ports(wizard: Wizard, list: Lens<Vec<PortForm>>) -> impl IntoView + use<> {
    item_list(
        wizard,
        list,
        Msg::AddPort,
        PortForm::default,
        move |port, _| {
            view! {
            <div class="fields columns">
                {text_input(wizard, Msg::PortName, field!(port, name), "metrics")}
                {number_field(wizard, Msg::ContainerPort, field!(port, container_port))}
                {choice_field(wizard, Msg::Protocol, field!(port, protocol), keywords(Protocol::ALL, Protocol::as_str))}
                {number_field(wizard, Msg::HostPort, field!(port, host_port))}
                {text_input(wizard, Msg::HostIp, field!(port, host_ip), "0.0.0.0")}
            </div>
        }
        .into_any()
        },
    )
}

fn env(wizard: Wizard, list: Lens<Vec<EnvVarForm>>) -> impl IntoView + use<> {
    item_list(
        wizard,
        list,
        Msg::AddVariable,
        EnvVarForm::default,
        move |variable, _| {
            let source = field!(variable, source);
            let (picker, current) = variant_field(
                wizard,
                Msg::ValueFrom,
                source.clone(),
                vec![
                    Variant {
                        label: Label::Text(Msg::FromValue),
                        make: || EnvSource::Value(String::new()),
                        is: |source| matches!(source, EnvSource::Value(_)),
                    },
                    Variant {
                        label: Label::Text(Msg::FromConfigMapKey),
                        make: || EnvSource::ConfigMapKey {
                            name: String::new(),
                            key: String::new(),
                        },
                        is: |source| matches!(source, EnvSource::ConfigMapKey { .. }),
                    },
                    Variant {
                        label: Label::Text(Msg::FromSecretKey),
                        make: || EnvSource::SecretKey {
                            name: String::new(),
                            key: String::new(),
                        },
                        is: |source| matches!(source, EnvSource::SecretKey { .. }),
                    },
                    Variant {
                        label: Label::Text(Msg::FromField),
                        make: || EnvSource::Field {
                            field_path: "spec.nodeName".to_owned(),
                        },
                        is: |source| matches!(source, EnvSource::Field { .. }),
                    },
                ],
            );
            let details = move || {
                match current.get() {
                Some(0) => text_input(
                    wizard,
                    Msg::Value,
                    variant!(source, EnvSource::Value(value)),
                    "",
                )
                .into_any(),
                Some(1) => view! {
                    {text_input(wizard, Msg::ConfigMapName, variant!(source, EnvSource::ConfigMapKey { name }), "")}
                    {text_input(wizard, Msg::Key, variant!(source, EnvSource::ConfigMapKey { key }), "")}
                }
                .into_any(),
                Some(2) => view! {
                    {text_input(wizard, Msg::SecretName, variant!(source, EnvSource::SecretKey { name }), "")}
                    {text_input(wizard, Msg::Key, variant!(source, EnvSource::SecretKey { key }), "")}
                }
                .into_any(),
                Some(3) => text_input(
                    wizard,
                    Msg::FieldPath,
                    variant!(source, EnvSource::Field { field_path }),
                    "status.hostIP",
                )
                .into_any(),
                _ => ().into_any(),
            }
            };
            view! {
                <div class="fields columns">
                    {text_input(wizard, Msg::VariableName, field!(variable, name), "NODE_NAME")}
                    {picker}
                    {details}
                </div>
            }
            .into_any()
        },
    )
}

fn env_from(wizard: Wizard, list: Lens<Vec<EnvFromForm>>) -> impl IntoView + use<> {
    item_list(
        wizard,
        list,
        Msg::AddEnvFrom,
        EnvFromForm::default,
        move |source, _| {
            let kind = Memo::new({
                let kind = field!(source, kind);
                move |_| wizard.value(&kind)
            });
            // The name sits under the key its kind names, so its field follows the kind.
            let name = {
                let source = source.clone();
                move || {
                    let name = field!(source.within(kind.get().as_str()), name);
                    text_input(wizard, Msg::ColumnName, name, "")
                }
            };
            view! {
                <div class="fields columns">
                    {choice_field(wizard, Msg::EnvFromKind, field!(source, kind), vec![
                        (EnvFromKind::ConfigMap, Label::Text(Msg::AllOfConfigMap)),
                        (EnvFromKind::Secret, Label::Text(Msg::AllOfSecret)),
                    ])}
                    {name}
                    {text_input(wizard, Msg::Prefix, field!(source, prefix), "")}
                </div>
            }
            .into_any()
        },
    )
}

fn probe(wizard: Wizard, label: Msg, lens: Lens<Option<ProbeForm>>) -> impl IntoView {
    let i18n = use_i18n();
    let enabled = {
        let lens = lens.clone();
        Memo::new(move |_| wizard.form.with(|form| lens.test(form, Option::is_some)))
    };
    let toggle = lens.clone();
    let settings = lens.then(Option::as_ref, Option::as_mut);
    let details = move || {
        enabled.get().then(|| {
            let action = field!(settings, action);
            let (picker, current) = variant_field(
                wizard,
                Msg::ProbeAction,
                action.clone(),
                vec![
                    Variant {
                        label: Label::Keyword("httpGet"),
                        make: ProbeAction::default,
                        is: |action| matches!(action, ProbeAction::HttpGet { .. }),
                    },
                    Variant {
                        label: Label::Keyword("tcpSocket"),
                        make: || ProbeAction::TcpSocket { port: String::new() },
                        is: |action| matches!(action, ProbeAction::TcpSocket { .. }),
                    },
                    Variant {
                        label: Label::Keyword("exec"),
                        make: || ProbeAction::Exec { command: Vec::new() },
                        is: |action| matches!(action, ProbeAction::Exec { .. }),
                    },
                ],
            );
            let handler = {
                move || match current.get() {
                    Some(0) => view! {
                        {text_input(wizard, Msg::HttpPath, variant!(action, ProbeAction::HttpGet { path }), "/healthz")}
                        {text_input(wizard, Msg::ProbePort, variant!(action, ProbeAction::HttpGet { port }), "8080")}
                    }
                    .into_any(),
                    Some(1) => text_input(wizard, Msg::ProbePort, variant!(action, ProbeAction::TcpSocket { port }), "8080")
                    .into_any(),
                    Some(2) => lines_field(wizard, Msg::Command, Msg::OnePerLine, variant!(action, ProbeAction::Exec { command }))
                    .into_any(),
                    _ => ().into_any(),
                }
            };
            view! {
                <div class="fields columns">
                    {picker}
                    {handler}
                    {number_field(wizard, Msg::InitialDelaySeconds, field!(settings, initial_delay_seconds))}
                    {number_field(wizard, Msg::PeriodSeconds, field!(settings, period_seconds))}
                    {number_field(wizard, Msg::TimeoutSeconds, field!(settings, timeout_seconds))}
                    {number_field(wizard, Msg::FailureThreshold, field!(settings, failure_threshold))}
                </div>
            }
        })
    };
    view! {
        <div class="probe">
            <label class="check">
                <input type="checkbox" prop:checked=move || enabled.get() on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    wizard.set(&toggle, on.then(ProbeForm::default));
                } />
                <span>{i18n.t(label)}</span>
            </label>
            {details}
        </div>
    }
}

fn security_context(wizard: Wizard, container: &Lens<ContainerForm>) -> impl IntoView + use<> {
    let context = field!(container, security_context);
    view! {
        <div class="fields columns">
            {choice_field(wizard, Msg::Privileged, field!(context, privileged), yes_no())}
            {number_field(wizard, Msg::RunAsUser, field!(context, run_as_user))}
            {choice_field(wizard, Msg::RunAsNonRoot, field!(context, run_as_non_root), yes_no())}
            {choice_field(wizard, Msg::ReadOnlyRootFilesystem, field!(context, read_only_root_filesystem), yes_no())}
            {choice_field(wizard, Msg::AllowPrivilegeEscalation, field!(context, allow_privilege_escalation), yes_no())}
            {lines_field(wizard, Msg::CapabilitiesAdd, Msg::OnePerLine, field!(context, capabilities_add))}
            {lines_field(wizard, Msg::CapabilitiesDrop, Msg::OnePerLine, field!(context, capabilities_drop))}
        </div>
    }
}

fn update_strategy(wizard: Wizard, lens: Lens<UpdateStrategy>) -> impl IntoView {
    let (picker, current) = variant_field(
        wizard,
        Msg::UpdateStrategy,
        lens.clone(),
        vec![
            Variant {
                label: Label::Keyword("RollingUpdate"),
                make: UpdateStrategy::default,
                is: |strategy| matches!(strategy, UpdateStrategy::RollingUpdate { .. }),
            },
            Variant {
                label: Label::Keyword("OnDelete"),
                make: || UpdateStrategy::OnDelete,
                is: |strategy| matches!(strategy, UpdateStrategy::OnDelete),
            },
        ],
    );
    let bounds = move || {
        (current.get() == Some(0)).then(|| view! {
            {text_input(wizard, Msg::MaxUnavailable, variant!(lens, UpdateStrategy::RollingUpdate { max_unavailable }), "1")}
            {text_input(wizard, Msg::MaxSurge, variant!(lens, UpdateStrategy::RollingUpdate { max_surge }), "0")}
        })
    };
    view! {
        <div class="fields columns">
            {picker}
            {bounds}
        </div>
    }
}
