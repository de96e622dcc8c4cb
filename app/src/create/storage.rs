//! Step 3, storage: the pod's volumes (an existing or new claim, emptyDir, hostPath, ConfigMap,
//! Secret), the new claims created with the DaemonSet, and where each container mounts what.

use console_model::document::{
    AccessMode, ClaimForm, DraftForm, HostPathType, VolumeForm, VolumeMountForm, VolumeSource,
};
use leptos::prelude::*;

use super::{
    Wizard, cluster_names,
    fields::{
        Label, Lens, Variant, check_field, choice_field, daemon_set, field, item_list, name_select,
        optional_keywords, suggesting_input, suggestions, text_input, variant, variant_field,
    },
    pod::Group,
};
use crate::i18n::{Msg, use_i18n};

const CLAIM_NAMES: &str = "claim-names";
const CONFIG_MAPS: &str = "config-map-names";
const SECRETS: &str = "secret-names";
const STORAGE_CLASSES: &str = "storage-class-names";

pub fn step(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let project = move || wizard.form.with(|form| form.daemon_set.namespace.clone());
    let in_project = move |resource: &'static str| {
        move || {
            let project = project();
            (!project.is_empty()).then(|| format!("/api/v1/namespaces/{project}/{resource}"))
        }
    };
    let existing_claims = cluster_names(in_project("persistentvolumeclaims"));
    let config_maps = cluster_names(in_project("configmaps"));
    let secrets = cluster_names(in_project("secrets"));
    let claim_names = move || {
        let mut names = existing_claims.get();
        wizard
            .form
            .with(|form| names.extend(form.claims.iter().map(|claim| claim.name.clone())));
        names
    };
    view! {
        {suggestions(CLAIM_NAMES, claim_names)}
        {suggestions(CONFIG_MAPS, move || config_maps.get())}
        {suggestions(SECRETS, move || secrets.get())}
        <section class="group">
            <h3>{i18n.t(Msg::Volumes)}</h3>
            {volumes(wizard)}
        </section>
        <section class="group">
            <h3>{i18n.t(Msg::NewClaims)}</h3>
            <p class="hint">{i18n.t(Msg::NewClaimsHint)}</p>
            {claims(wizard)}
        </section>
        <section class="group">
            <h3>{i18n.t(Msg::Mounts)}</h3>
            {mounts(wizard, Group::Containers)}
            {mounts(wizard, Group::InitContainers)}
        </section>
    }
}

fn volumes(wizard: Wizard) -> impl IntoView {
    item_list(
        wizard,
        field!(daemon_set(), volumes),
        Msg::AddVolume,
        VolumeForm::default,
        move |volume, _| {
            let source = field!(volume, source);
            let (picker, current) = variant_field(
                wizard,
                Msg::VolumeType,
                source.clone(),
                vec![
                    Variant {
                        label: Label::Text(Msg::VolumeClaim),
                        make: || VolumeSource::PersistentVolumeClaim {
                            claim_name: String::new(),
                        },
                        is: |source| matches!(source, VolumeSource::PersistentVolumeClaim { .. }),
                    },
                    Variant {
                        label: Label::Text(Msg::VolumeEmptyDir),
                        make: VolumeSource::default,
                        is: |source| matches!(source, VolumeSource::EmptyDir { .. }),
                    },
                    Variant {
                        label: Label::Text(Msg::VolumeHostPath),
                        make: || VolumeSource::HostPath {
                            path: String::new(),
                            path_type: None,
                        },
                        is: |source| matches!(source, VolumeSource::HostPath { .. }),
                    },
                    Variant {
                        label: Label::Text(Msg::VolumeConfigMap),
                        make: || VolumeSource::ConfigMap {
                            name: String::new(),
                        },
                        is: |source| matches!(source, VolumeSource::ConfigMap { .. }),
                    },
                    Variant {
                        label: Label::Text(Msg::VolumeSecret),
                        make: || VolumeSource::Secret {
                            secret_name: String::new(),
                        },
                        is: |source| matches!(source, VolumeSource::Secret { .. }),
                    },
                ],
            );
            let details = move || {
                match current.get() {
            Some(0) => suggesting_input(
                wizard,
                Msg::ClaimName,
                variant!(source, VolumeSource::PersistentVolumeClaim { claim_name }),
                CLAIM_NAMES,
            )
            .into_any(),
            Some(1) => view! {
                {choice_field(wizard, Msg::Medium, variant!(source, VolumeSource::EmptyDir { medium }), vec![
                    (String::new(), Label::Text(Msg::MediumDisk)),
                    ("Memory".to_owned(), Label::Text(Msg::MediumMemory)),
                ])}
                {text_input(wizard, Msg::SizeLimit, variant!(source, VolumeSource::EmptyDir { size_limit }), "1Gi")}
            }
            .into_any(),
            Some(2) => view! {
                {text_input(wizard, Msg::HostPath, variant!(source, VolumeSource::HostPath { path }), "/var/log")}
                {choice_field(wizard, Msg::HostPathType, variant!(source, VolumeSource::HostPath { path_type }),
                    optional_keywords(HostPathType::ALL, HostPathType::as_str))}
            }
            .into_any(),
            Some(3) => suggesting_input(
                wizard,
                Msg::ConfigMapName,
                variant!(source, VolumeSource::ConfigMap { name }),
                CONFIG_MAPS,
            )
            .into_any(),
            Some(4) => suggesting_input(
                wizard,
                Msg::SecretName,
                variant!(source, VolumeSource::Secret { secret_name }),
                SECRETS,
            )
            .into_any(),
            _ => ().into_any(),
        }
            };
            view! {
                <div class="fields columns">
                    {text_input(wizard, Msg::VolumeName, field!(volume, name), "varlog")}
                    {picker}
                    {details}
                </div>
            }
            .into_any()
        },
    )
}

fn claims(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let classes = cluster_names(|| Some("/apis/storage.k8s.io/v1/storageclasses".to_owned()));
    let class_list = suggestions(STORAGE_CLASSES, move || classes.get());
    let items = item_list(
        wizard,
        Lens::<DraftForm>::claims(),
        Msg::AddClaim,
        ClaimForm::default,
        move |claim, _| {
            let modes = field!(claim, access_modes);
            let modes_path = modes.path().clone();
            let mode_boxes = AccessMode::ALL
                .iter()
                .map(|mode| {
                    let mode = *mode;
                    let (shown, modes) = (modes.clone(), modes.clone());
                    view! {
                        <label class="check">
                            <input type="checkbox"
                                prop:checked=move || wizard.value(&shown).contains(&mode)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    wizard.form.update(|form| modes.edit(form, |modes| {
                                        modes.retain(|m| *m != mode);
                                        if on {
                                            modes.push(mode);
                                        }
                                    }));
                                } />
                            <span>{mode.as_str()}</span>
                        </label>
                    }
                })
                .collect_view();
            view! {
            <div class="fields columns">
                {text_input(wizard, Msg::ClaimName, field!(claim, name), "agent-data")}
                // Typed or picked: not everyone may list the cluster's storage classes.
                {suggesting_input(wizard, Msg::StorageClass, field!(claim, storage_class_name), STORAGE_CLASSES)}
                {text_input(wizard, Msg::Size, field!(claim, size), "10Gi")}
                <fieldset class="field" data-path=modes_path.to_string()>
                    <legend>{i18n.t(Msg::AccessModes)}</legend>
                    {mode_boxes}
                    {super::fields::problem_at(wizard, modes_path.clone())}
                </fieldset>
            </div>
        }
        .into_any()
        },
    );
    view! { {class_list} {items} }
}

fn mounts(wizard: Wizard, group: Group) -> impl IntoView {
    let i18n = use_i18n();
    let containers = group.lens();
    let count = wizard.count(containers.clone());
    let volume_names = Signal::derive(move || {
        wizard.form.with(|form| {
            form.daemon_set
                .volumes
                .iter()
                .map(|v| v.name.clone())
                .collect::<Vec<_>>()
        })
    });
    move || {
        (0..count.get())
            .map(|index| {
                let container = containers.at(index);
                let name = field!(container, name);
                let title = move || {
                    let name = wizard.value(&name);
                    let kind = match group {
                        Group::Containers => i18n.t(Msg::Container)(),
                        Group::InitContainers => i18n.t(Msg::InitContainer)(),
                    };
                    format!("{kind} {}", if name.is_empty() { format!("#{}", index + 1) } else { name })
                };
                let list = field!(container, volume_mounts);
                view! {
                    <div class="mounts">
                        <h4>{title}</h4>
                        {item_list(wizard, list, Msg::AddMount, VolumeMountForm::default, move |mount, _| {
                            view! {
                                <div class="fields columns">
                                    {name_select(wizard, Msg::Volume, field!(mount, name),
                                        volume_names, Msg::ChooseVolume)}
                                    {text_input(wizard, Msg::MountPath, field!(mount, mount_path), "/var/log")}
                                    {text_input(wizard, Msg::SubPath, field!(mount, sub_path), "")}
                                    {check_field(wizard, Msg::ReadOnly, field!(mount, read_only))}
                                </div>
                            }
                            .into_any()
                        })}
                    </div>
                }
            })
            .collect_view()
    }
}
