//! The rules a draft must pass before it is sent to the cluster, as pure functions of the form.
//!
//! Each problem names the field's [`FieldPath`], made from the keys the form types declare
//! (`spec.template.spec.containers[0].resources.limits.memory`), and a [`Problem`] the UI
//! translates. Rows of string maps (labels, node selector) are addressed by their index in the
//! form: `metadata.labels[2].key`.

use std::collections::HashSet;
use std::net::IpAddr;

use super::DraftForm;
use super::claim::ClaimForm;
use super::container::{
    ContainerForm, EnvFromForm, EnvSource, EnvVarForm, PortForm, ResourceAmounts, ResourcesForm,
    SecurityContextForm, VolumeMountForm,
};
use super::form::{DaemonSetForm, TaintEffect, TolerationForm, TolerationOperator, UpdateStrategy};
use super::names::{is_dns_label, is_dns_subdomain, is_label_key, is_label_value, is_port_name};
use super::path::{FieldPath, Keyed, Keys};
use super::probe::{ProbeAction, ProbeForm};
use super::quantity::Quantity;
use super::tree::KeyValue;
use super::volume::{VolumeForm, VolumeSource};

/// Everything wrong with a draft: errors block creation, warnings only inform.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validation {
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

impl Validation {
    /// Whether the draft may be sent (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// The field, e.g. `spec.template.spec.volumes[1].name` of the DaemonSet.
    pub path: FieldPath,
    pub problem: Problem,
}

/// Which document of the draft a field is in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Subject {
    #[default]
    DaemonSet,
    /// The new claim at this index of [`DraftForm::claims`].
    Claim(usize),
}

/// What is wrong, as a key the UI translates (see [`Problem::key`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The field must be filled in.
    Required,
    /// Not a DNS-1123 label: lowercase letters, digits and `-`, at most 63.
    NotDnsLabel,
    /// Not a DNS-1123 subdomain: lowercase letters, digits, `-` and `.`, at most 253.
    NotDnsSubdomain,
    NotLabelKey,
    NotLabelValue,
    /// Not a port name: lowercase letters, digits and `-`, at most 15, with a letter.
    NotPortName,
    NotIpAddress,
    /// Not a quantity such as `100m`, `0.5`, `128Mi` or `1Gi`.
    NotQuantity,
    NegativeQuantity,
    /// Not an integer or a percentage such as `1` or `10%`.
    NotIntOrPercent,
    PercentAboveHundred,
    /// The same name or key appears earlier in the list.
    Duplicate,
    /// A request is larger than the limit for the same resource.
    RequestAboveLimit,
    /// A port outside 1–65535.
    PortOutOfRange,
    /// A number below the smallest value the field accepts.
    TooSmall {
        minimum: i64,
    },
    /// A volume mount names no volume of the DaemonSet.
    UnknownVolume,
    /// A toleration without a key must use the `Exists` operator.
    EmptyKeyNeedsExists,
    /// A toleration with the `Exists` operator takes no value.
    ValueWithExists,
    /// `tolerationSeconds` only applies to the `NoExecute` effect.
    SecondsNeedNoExecute,
    /// `maxUnavailable` and `maxSurge` are both zero, so a rollout could never start.
    NoRoomToUpdate,
    /// Warning: a new claim that only one node can mount is used by a DaemonSet, whose pods run
    /// on many nodes; all but one would stay pending.
    SingleNodeVolumeShared,
}

impl Problem {
    /// A stable snake_case key for the string catalog, e.g. `request_above_limit`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::NotDnsLabel => "not_dns_label",
            Self::NotDnsSubdomain => "not_dns_subdomain",
            Self::NotLabelKey => "not_label_key",
            Self::NotLabelValue => "not_label_value",
            Self::NotPortName => "not_port_name",
            Self::NotIpAddress => "not_ip_address",
            Self::NotQuantity => "not_quantity",
            Self::NegativeQuantity => "negative_quantity",
            Self::NotIntOrPercent => "not_int_or_percent",
            Self::PercentAboveHundred => "percent_above_hundred",
            Self::Duplicate => "duplicate",
            Self::RequestAboveLimit => "request_above_limit",
            Self::PortOutOfRange => "port_out_of_range",
            Self::TooSmall { .. } => "too_small",
            Self::UnknownVolume => "unknown_volume",
            Self::EmptyKeyNeedsExists => "empty_key_needs_exists",
            Self::ValueWithExists => "value_with_exists",
            Self::SecondsNeedNoExecute => "seconds_need_no_execute",
            Self::NoRoomToUpdate => "no_room_to_update",
            Self::SingleNodeVolumeShared => "single_node_volume_shared",
        }
    }
}

/// Checks a whole draft: the DaemonSet, its new claims, and how they fit together.
pub fn validate(form: &DraftForm) -> Validation {
    let mut report = Report::default();
    daemon_set(&mut report, &form.daemon_set);
    let mut claim_names = HashSet::new();
    for (index, claim) in form.claims.iter().enumerate() {
        let at = FieldPath::of(Subject::Claim(index));
        new_claim(&mut report, &at, claim, &mut claim_names);
        if claim.access_modes.iter().any(|mode| mode.is_single_node())
            && is_used(&form.daemon_set, &claim.name)
        {
            report.warn(
                at.join(ClaimForm::KEYS.access_modes),
                Problem::SingleNodeVolumeShared,
            );
        }
    }
    report.validation
}

#[derive(Default)]
struct Report {
    validation: Validation,
}

impl Report {
    fn error(&mut self, path: FieldPath, problem: Problem) {
        self.validation.errors.push(Issue { path, problem });
    }

    fn warn(&mut self, path: FieldPath, problem: Problem) {
        self.validation.warnings.push(Issue { path, problem });
    }

    /// Reports an empty field as required, a filled one that fails `valid` as `problem`.
    fn required(
        &mut self,
        path: FieldPath,
        value: &str,
        valid: fn(&str) -> bool,
        problem: Problem,
    ) {
        if value.is_empty() {
            self.error(path, Problem::Required);
        } else if !valid(value) {
            self.error(path, problem);
        }
    }

    fn filled(&mut self, path: FieldPath, value: &str) {
        if value.trim().is_empty() {
            self.error(path, Problem::Required);
        }
    }

    fn at_least(&mut self, path: FieldPath, value: Option<i64>, minimum: i64) {
        if value.is_some_and(|v| v < minimum) {
            self.error(path, Problem::TooSmall { minimum });
        }
    }

    /// A quantity that may be empty; returns it when it parses.
    fn quantity(&mut self, path: FieldPath, text: &str) -> Option<Quantity> {
        if text.is_empty() {
            return None;
        }
        match Quantity::parse(text) {
            Err(_) => self.error(path, Problem::NotQuantity),
            Ok(q) if q.is_negative() => self.error(path, Problem::NegativeQuantity),
            Ok(q) => return Some(q),
        }
        None
    }

    fn port(&mut self, path: FieldPath, port: Option<i64>) {
        if port.is_some_and(|p| !(1..=65_535).contains(&p)) {
            self.error(path, Problem::PortOutOfRange);
        }
    }

    fn pairs(&mut self, base: &FieldPath, pairs: &[KeyValue]) {
        let keys = KeyValue::KEYS;
        let mut seen = HashSet::new();
        for (index, pair) in pairs.iter().enumerate() {
            let at = base.at(index);
            let key_path = at.join(keys.key);
            self.required(
                key_path.clone(),
                &pair.key,
                is_label_key,
                Problem::NotLabelKey,
            );
            if !pair.key.is_empty() && !seen.insert(pair.key.as_str()) {
                self.error(key_path, Problem::Duplicate);
            }
            if !is_label_value(&pair.value) {
                self.error(at.join(keys.value), Problem::NotLabelValue);
            }
        }
    }
}

fn daemon_set(report: &mut Report, form: &DaemonSetForm) {
    let keys = DaemonSetForm::KEYS;
    let at = |keys: Keys| FieldPath::of(Subject::DaemonSet).join(keys);
    report.required(
        at(keys.name),
        &form.name,
        is_dns_subdomain,
        Problem::NotDnsSubdomain,
    );
    report.required(
        at(keys.namespace),
        &form.namespace,
        is_dns_label,
        Problem::NotDnsLabel,
    );
    report.pairs(&at(keys.labels), &form.labels);
    if form.selector_follows_labels && form.labels.is_empty() {
        // The selector is made of these labels, and the API rejects an empty one.
        report.error(at(keys.labels), Problem::Required);
    }

    if form.containers.is_empty() {
        report.error(at(keys.containers), Problem::Required);
    }
    let volume_names: HashSet<&str> = form.volumes.iter().map(|v| v.name.as_str()).collect();
    let mut container_names = HashSet::new();
    let all_containers = [
        (keys.containers, &form.containers),
        (keys.init_containers, &form.init_containers),
    ];
    for (list, containers) in all_containers {
        for (index, container_form) in containers.iter().enumerate() {
            let base = at(list).at(index);
            if !container_names.insert(container_form.name.as_str())
                && !container_form.name.is_empty()
            {
                report.error(base.join(ContainerForm::KEYS.name), Problem::Duplicate);
            }
            container(report, &base, container_form, &volume_names);
        }
    }

    let mut seen_volumes = HashSet::new();
    for (index, volume_form) in form.volumes.iter().enumerate() {
        let base = at(keys.volumes).at(index);
        if !seen_volumes.insert(volume_form.name.as_str()) && !volume_form.name.is_empty() {
            report.error(base.join(VolumeForm::KEYS.name), Problem::Duplicate);
        }
        volume(report, &base, volume_form);
    }

    report.pairs(&at(keys.node_selector), &form.node_selector);
    for (index, toleration_form) in form.tolerations.iter().enumerate() {
        toleration(report, &at(keys.tolerations).at(index), toleration_form);
    }
    if !form.priority_class_name.is_empty() && !is_dns_subdomain(&form.priority_class_name) {
        report.error(at(keys.priority_class_name), Problem::NotDnsSubdomain);
    }

    update_strategy(report, &at(keys.update_strategy), &form.update_strategy);
    report.at_least(at(keys.min_ready_seconds), form.min_ready_seconds, 0);
}

fn toleration(report: &mut Report, base: &FieldPath, form: &TolerationForm) {
    let keys = TolerationForm::KEYS;
    if !form.key.is_empty() && !is_label_key(&form.key) {
        report.error(base.join(keys.key), Problem::NotLabelKey);
    }
    let exists = form.operator == TolerationOperator::Exists;
    if form.key.is_empty() && !exists {
        report.error(base.join(keys.operator), Problem::EmptyKeyNeedsExists);
    }
    if exists && !form.value.is_empty() {
        report.error(base.join(keys.value), Problem::ValueWithExists);
    } else if !is_label_value(&form.value) {
        report.error(base.join(keys.value), Problem::NotLabelValue);
    }
    let no_execute = form.effect == Some(TaintEffect::NoExecute);
    if form.toleration_seconds.is_some() && !no_execute {
        report.error(
            base.join(keys.toleration_seconds),
            Problem::SecondsNeedNoExecute,
        );
    }
}

fn container(report: &mut Report, base: &FieldPath, form: &ContainerForm, volumes: &HashSet<&str>) {
    let keys = ContainerForm::KEYS;
    report.required(
        base.join(keys.name),
        &form.name,
        is_dns_label,
        Problem::NotDnsLabel,
    );
    report.filled(base.join(keys.image), &form.image);
    resources(report, &base.join(keys.resources), &form.resources);

    let mut port_names = HashSet::new();
    for (index, port) in form.ports.iter().enumerate() {
        let at = base.join(keys.ports).at(index);
        let port_keys = PortForm::KEYS;
        if port.container_port.is_none() {
            report.error(at.join(port_keys.container_port), Problem::Required);
        }
        report.port(at.join(port_keys.container_port), port.container_port);
        report.port(at.join(port_keys.host_port), port.host_port);
        if !port.name.is_empty() {
            if !is_port_name(&port.name) {
                report.error(at.join(port_keys.name), Problem::NotPortName);
            } else if !port_names.insert(port.name.as_str()) {
                report.error(at.join(port_keys.name), Problem::Duplicate);
            }
        }
        if !port.host_ip.is_empty() && port.host_ip.parse::<IpAddr>().is_err() {
            report.error(at.join(port_keys.host_ip), Problem::NotIpAddress);
        }
    }

    for (index, variable) in form.env.iter().enumerate() {
        let at = base.join(keys.env).at(index);
        report.filled(at.join(EnvVarForm::KEYS.name), &variable.name);
        let source = at.join(EnvVarForm::KEYS.source);
        let sources = EnvSource::KEYS;
        match &variable.source {
            EnvSource::ConfigMapKey { name, key } => {
                let at = source.join(sources.ConfigMapKey);
                report.filled(at.join(sources.name), name);
                report.filled(at.join(sources.key), key);
            }
            EnvSource::SecretKey { name, key } => {
                let at = source.join(sources.SecretKey);
                report.filled(at.join(sources.name), name);
                report.filled(at.join(sources.key), key);
            }
            EnvSource::Field { field_path } => {
                let at = source.join(sources.Field);
                report.filled(at.join(sources.field_path), field_path);
            }
            EnvSource::Value(_) | EnvSource::Other { .. } => {}
        }
    }
    for (index, source) in form.env_from.iter().enumerate() {
        let at = base.join(keys.env_from).at(index);
        // The name is kept under the key its kind names.
        let name = at
            .join(&[source.kind.as_str()])
            .join(EnvFromForm::KEYS.name);
        report.filled(name, &source.name);
    }

    for (index, mount) in form.volume_mounts.iter().enumerate() {
        let at = base.join(keys.volume_mounts).at(index);
        let name = at.join(VolumeMountForm::KEYS.name);
        if mount.name.is_empty() {
            report.error(name, Problem::Required);
        } else if !volumes.contains(mount.name.as_str()) {
            report.error(name, Problem::UnknownVolume);
        }
        report.filled(at.join(VolumeMountForm::KEYS.mount_path), &mount.mount_path);
    }

    for (key, probe_form) in [
        (keys.liveness_probe, &form.liveness_probe),
        (keys.readiness_probe, &form.readiness_probe),
        (keys.startup_probe, &form.startup_probe),
    ] {
        if let Some(probe_form) = probe_form {
            probe(report, &base.join(key), probe_form);
        }
    }

    report.at_least(
        base.join(keys.security_context)
            .join(SecurityContextForm::KEYS.run_as_user),
        form.security_context.run_as_user,
        0,
    );
}

/// Checks both sides of the resources, and that no request is above its limit.
fn resources(report: &mut Report, base: &FieldPath, form: &ResourcesForm) {
    let keys = ResourcesForm::KEYS;
    let requests = amounts(report, &base.join(keys.requests), &form.requests);
    let limits = amounts(report, &base.join(keys.limits), &form.limits);
    for ((path, request), (_, limit)) in requests.into_iter().zip(limits) {
        if let (Some(request), Some(limit)) = (request, limit)
            && request > limit
        {
            report.error(path, Problem::RequestAboveLimit);
        }
    }
}

/// Checks one side of the resources; returns each resource's path and parsed amount, cpu first.
fn amounts(
    report: &mut Report,
    base: &FieldPath,
    amounts: &ResourceAmounts,
) -> [(FieldPath, Option<Quantity>); 2] {
    let keys = ResourceAmounts::KEYS;
    [(keys.cpu, &amounts.cpu), (keys.memory, &amounts.memory)].map(|(key, text)| {
        let path = base.join(key);
        (path.clone(), report.quantity(path, text))
    })
}

fn probe(report: &mut Report, base: &FieldPath, form: &ProbeForm) {
    let action = base.join(ProbeForm::KEYS.action);
    let keys = ProbeAction::KEYS;
    match &form.action {
        ProbeAction::HttpGet { port, .. } => {
            probe_port(report, action.join(keys.HttpGet).join(keys.port), port)
        }
        ProbeAction::TcpSocket { port } => {
            probe_port(report, action.join(keys.TcpSocket).join(keys.port), port)
        }
        ProbeAction::Exec { command } => {
            if command.iter().all(|part| part.trim().is_empty()) {
                report.error(action.join(keys.Exec).join(keys.command), Problem::Required);
            }
        }
        ProbeAction::Other { .. } => {}
    }
    let keys = ProbeForm::KEYS;
    for (key, value, minimum) in [
        (keys.initial_delay_seconds, form.initial_delay_seconds, 0),
        (keys.period_seconds, form.period_seconds, 1),
        (keys.timeout_seconds, form.timeout_seconds, 1),
        (keys.failure_threshold, form.failure_threshold, 1),
    ] {
        report.at_least(base.join(key), value, minimum);
    }
}

/// A probe port is a number or the name of one of the container's ports.
fn probe_port(report: &mut Report, path: FieldPath, port: &str) {
    if port.is_empty() {
        report.error(path, Problem::Required);
    } else if let Ok(number) = port.parse::<i64>() {
        report.port(path, Some(number));
    } else if !is_port_name(port) {
        report.error(path, Problem::NotPortName);
    }
}

fn volume(report: &mut Report, base: &FieldPath, form: &VolumeForm) {
    report.required(
        base.join(VolumeForm::KEYS.name),
        &form.name,
        is_dns_label,
        Problem::NotDnsLabel,
    );
    let source = base.join(VolumeForm::KEYS.source);
    let keys = VolumeSource::KEYS;
    let at = |variant, field| source.join(variant).join(field);
    match &form.source {
        VolumeSource::PersistentVolumeClaim { claim_name } => {
            report.filled(at(keys.PersistentVolumeClaim, keys.claim_name), claim_name);
        }
        VolumeSource::EmptyDir { size_limit, .. } => {
            report.quantity(at(keys.EmptyDir, keys.size_limit), size_limit);
        }
        VolumeSource::HostPath { path, .. } => report.filled(at(keys.HostPath, keys.path), path),
        VolumeSource::ConfigMap { name } => report.filled(at(keys.ConfigMap, keys.name), name),
        VolumeSource::Secret { secret_name } => {
            report.filled(at(keys.Secret, keys.secret_name), secret_name);
        }
        VolumeSource::Other { .. } => {}
    }
}

fn update_strategy(report: &mut Report, base: &FieldPath, strategy: &UpdateStrategy) {
    let UpdateStrategy::RollingUpdate {
        max_unavailable,
        max_surge,
    } = strategy
    else {
        return;
    };
    let keys = UpdateStrategy::KEYS;
    let rolling = base.join(keys.RollingUpdate);
    let unavailable_path = rolling.join(keys.max_unavailable);
    // Kubernetes' defaults: one pod unavailable at a time, no surge.
    let unavailable = bound(report, &unavailable_path, max_unavailable).unwrap_or(1);
    let surge = bound(report, &rolling.join(keys.max_surge), max_surge).unwrap_or(0);
    if unavailable == 0 && surge == 0 {
        report.error(unavailable_path, Problem::NoRoomToUpdate);
    }
}

/// Checks an int-or-percent bound; returns its number when it is valid and set.
fn bound(report: &mut Report, path: &FieldPath, text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    let (digits, percent) = match text.strip_suffix('%') {
        Some(digits) => (digits, true),
        None => (text, false),
    };
    let number = if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        None
    } else {
        digits.parse::<u64>().ok()
    };
    match number {
        None => report.error(path.clone(), Problem::NotIntOrPercent),
        Some(n) if percent && n > 100 => report.error(path.clone(), Problem::PercentAboveHundred),
        Some(n) => return Some(n),
    }
    None
}

fn new_claim(report: &mut Report, at: &FieldPath, claim: &ClaimForm, names: &mut HashSet<String>) {
    let keys = ClaimForm::KEYS;
    let name = at.join(keys.name);
    report.required(
        name.clone(),
        &claim.name,
        is_dns_subdomain,
        Problem::NotDnsSubdomain,
    );
    if !claim.name.is_empty() && !names.insert(claim.name.clone()) {
        report.error(name, Problem::Duplicate);
    }
    let size = at.join(keys.size);
    if claim.size.is_empty() {
        report.error(size, Problem::Required);
    } else {
        report.quantity(size, &claim.size);
    }
    if claim.access_modes.is_empty() {
        report.error(at.join(keys.access_modes), Problem::Required);
    }
    if !claim.storage_class_name.is_empty() && !is_dns_subdomain(&claim.storage_class_name) {
        report.error(at.join(keys.storage_class_name), Problem::NotDnsSubdomain);
    }
}

/// Whether a pod volume uses the claim: every pod then needs it on its own node, whether or
/// not a container mounts it (the kubelet attaches every volume of the pod).
fn is_used(form: &DaemonSetForm, claim_name: &str) -> bool {
    form.volumes.iter().any(|volume| {
        matches!(&volume.source, VolumeSource::PersistentVolumeClaim { claim_name: used } if used == claim_name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{
        AccessMode, ClaimForm, Draft, EnvVarForm, PortForm, TaintEffect, TolerationForm,
        VolumeMountForm,
    };

    /// A DaemonSet that passes every rule, to break one rule at a time.
    fn valid() -> DraftForm {
        let mut form = Draft::new_daemonset("logging").form();
        let ds = &mut form.daemon_set;
        ds.name = "fluent-bit".into();
        ds.labels = vec![KeyValue::new("app", "fluent-bit")];
        ds.containers[0].name = "fluent-bit".into();
        ds.containers[0].image = "fluent/fluent-bit:3.1".into();
        form
    }

    fn errors(form: &DraftForm) -> Vec<(String, Problem)> {
        validate(form)
            .errors
            .into_iter()
            .map(|issue| (issue.path.to_string(), issue.problem))
            .collect()
    }

    fn has_error(form: &DraftForm, path: &str, problem: Problem) -> bool {
        errors(form).contains(&(path.to_owned(), problem))
    }

    const C0: &str = "spec.template.spec.containers[0]";

    #[test]
    fn the_baseline_is_valid() {
        assert_eq!(errors(&valid()), []);
    }

    #[test]
    fn the_name_must_be_a_dns_subdomain() {
        let mut form = valid();
        form.daemon_set.name = "Fluent_Bit".into();
        assert!(has_error(&form, "metadata.name", Problem::NotDnsSubdomain));
        form.daemon_set.name.clear();
        assert!(has_error(&form, "metadata.name", Problem::Required));
    }

    #[test]
    fn container_names_must_be_dns_labels_and_unique() {
        let mut form = valid();
        form.daemon_set.containers[0].name = "a.b".into();
        assert!(has_error(
            &form,
            &format!("{C0}.name"),
            Problem::NotDnsLabel
        ));
        let mut form = valid();
        let mut init = form.daemon_set.containers[0].clone();
        init.image = "busybox".into();
        form.daemon_set.init_containers.push(init);
        assert!(has_error(
            &form,
            "spec.template.spec.initContainers[0].name",
            Problem::Duplicate
        ));
    }

    #[test]
    fn a_container_needs_a_name_and_an_image() {
        let mut form = valid();
        form.daemon_set.containers[0].name.clear();
        form.daemon_set.containers[0].image = "  ".into();
        assert!(has_error(&form, &format!("{C0}.name"), Problem::Required));
        assert!(has_error(&form, &format!("{C0}.image"), Problem::Required));
    }

    #[test]
    fn a_daemon_set_needs_a_container() {
        let mut form = valid();
        form.daemon_set.containers.clear();
        assert!(has_error(
            &form,
            "spec.template.spec.containers",
            Problem::Required
        ));
    }

    #[test]
    fn label_keys_and_values_follow_kubernetes_syntax() {
        let mut form = valid();
        form.daemon_set.labels = vec![
            KeyValue::new("app", "ok"),
            KeyValue::new("bad key", "x"),
            KeyValue::new("tier", "-bad"),
            KeyValue::new("app", "again"),
        ];
        assert!(has_error(
            &form,
            "metadata.labels[1].key",
            Problem::NotLabelKey
        ));
        assert!(has_error(
            &form,
            "metadata.labels[2].value",
            Problem::NotLabelValue
        ));
        assert!(has_error(
            &form,
            "metadata.labels[3].key",
            Problem::Duplicate
        ));
    }

    #[test]
    fn a_following_selector_needs_a_label() {
        let mut form = valid();
        form.daemon_set.labels.clear();
        assert!(has_error(&form, "metadata.labels", Problem::Required));
        form.daemon_set.selector_follows_labels = false;
        assert!(!has_error(&form, "metadata.labels", Problem::Required));
    }

    #[test]
    fn node_selector_pairs_are_label_syntax() {
        let mut form = valid();
        form.daemon_set.node_selector = vec![KeyValue::new("kubernetes.io/os", "linux os")];
        assert!(has_error(
            &form,
            "spec.template.spec.nodeSelector[0].value",
            Problem::NotLabelValue
        ));
    }

    #[test]
    fn quantities_must_parse_and_not_be_negative() {
        let mut form = valid();
        let resources = &mut form.daemon_set.containers[0].resources;
        resources.limits.memory = "12mb".into();
        resources.requests.cpu = "-1".into();
        assert!(has_error(
            &form,
            &format!("{C0}.resources.limits.memory"),
            Problem::NotQuantity
        ));
        assert!(has_error(
            &form,
            &format!("{C0}.resources.requests.cpu"),
            Problem::NegativeQuantity
        ));
    }

    #[test]
    fn a_request_may_not_exceed_its_limit() {
        let mut form = valid();
        let resources = &mut form.daemon_set.containers[0].resources;
        resources.requests.memory = "2Gi".into();
        resources.limits.memory = "1Gi".into();
        resources.requests.cpu = "100m".into();
        resources.limits.cpu = "0.1".into();
        assert_eq!(
            errors(&form),
            [(
                format!("{C0}.resources.requests.memory"),
                Problem::RequestAboveLimit
            )]
        );
    }

    #[test]
    fn ports_are_between_1_and_65535() {
        let mut form = valid();
        form.daemon_set.containers[0].ports = vec![
            PortForm {
                container_port: Some(0),
                host_port: Some(70_000),
                ..PortForm::default()
            },
            PortForm::default(),
        ];
        assert!(has_error(
            &form,
            &format!("{C0}.ports[0].containerPort"),
            Problem::PortOutOfRange
        ));
        assert!(has_error(
            &form,
            &format!("{C0}.ports[0].hostPort"),
            Problem::PortOutOfRange
        ));
        assert!(has_error(
            &form,
            &format!("{C0}.ports[1].containerPort"),
            Problem::Required
        ));
    }

    #[test]
    fn port_names_and_host_ips_are_checked() {
        let mut form = valid();
        form.daemon_set.containers[0].ports = vec![
            PortForm {
                name: "metrics".into(),
                container_port: Some(9100),
                host_ip: "0.0.0.0".into(),
                ..PortForm::default()
            },
            PortForm {
                name: "metrics".into(),
                container_port: Some(9101),
                host_ip: "localhost".into(),
                ..PortForm::default()
            },
        ];
        assert_eq!(
            errors(&form),
            [
                (format!("{C0}.ports[1].name"), Problem::Duplicate),
                (format!("{C0}.ports[1].hostIP"), Problem::NotIpAddress),
            ]
        );
    }

    #[test]
    fn rolling_update_bounds_are_int_or_percent() {
        let mut form = valid();
        let path = "spec.updateStrategy.rollingUpdate";
        for (text, problem) in [
            ("1.5", Some(Problem::NotIntOrPercent)),
            ("%", Some(Problem::NotIntOrPercent)),
            ("-1", Some(Problem::NotIntOrPercent)),
            ("150%", Some(Problem::PercentAboveHundred)),
            ("10%", None),
            ("3", None),
        ] {
            form.daemon_set.update_strategy = UpdateStrategy::RollingUpdate {
                max_unavailable: "1".into(),
                max_surge: text.into(),
            };
            let found = errors(&form);
            match problem {
                Some(problem) => {
                    assert_eq!(found, [(format!("{path}.maxSurge"), problem)], "{text}")
                }
                None => assert_eq!(found, [], "{text}"),
            }
        }
    }

    #[test]
    fn a_rollout_needs_room_to_move() {
        let mut form = valid();
        form.daemon_set.update_strategy = UpdateStrategy::RollingUpdate {
            max_unavailable: "0%".into(),
            max_surge: String::new(),
        };
        assert!(has_error(
            &form,
            "spec.updateStrategy.rollingUpdate.maxUnavailable",
            Problem::NoRoomToUpdate
        ));
    }

    #[test]
    fn mounts_must_name_an_existing_volume() {
        let mut form = valid();
        form.daemon_set.containers[0].volume_mounts = vec![VolumeMountForm {
            name: "varlog".into(),
            mount_path: "/var/log".into(),
            ..VolumeMountForm::default()
        }];
        assert!(has_error(
            &form,
            &format!("{C0}.volumeMounts[0].name"),
            Problem::UnknownVolume
        ));
        form.daemon_set.volumes.push(VolumeForm {
            name: "varlog".into(),
            source: VolumeSource::HostPath {
                path: "/var/log".into(),
                path_type: None,
            },
        });
        assert_eq!(errors(&form), []);
    }

    #[test]
    fn volume_sources_need_their_reference() {
        let mut form = valid();
        form.daemon_set.volumes = vec![
            VolumeForm {
                name: "data".into(),
                source: VolumeSource::PersistentVolumeClaim {
                    claim_name: String::new(),
                },
            },
            VolumeForm {
                name: "data".into(),
                source: VolumeSource::EmptyDir {
                    medium: "Memory".into(),
                    size_limit: "1 Gi".into(),
                },
            },
        ];
        let base = "spec.template.spec.volumes";
        assert_eq!(
            errors(&form),
            [
                (
                    format!("{base}[0].persistentVolumeClaim.claimName"),
                    Problem::Required
                ),
                (format!("{base}[1].name"), Problem::Duplicate),
                (
                    format!("{base}[1].emptyDir.sizeLimit"),
                    Problem::NotQuantity
                ),
            ]
        );
    }

    #[test]
    fn env_references_need_a_name_and_key() {
        let mut form = valid();
        form.daemon_set.containers[0].env = vec![EnvVarForm {
            name: "TOKEN".into(),
            source: EnvSource::SecretKey {
                name: "agent".into(),
                key: String::new(),
            },
        }];
        assert_eq!(
            errors(&form),
            [(
                format!("{C0}.env[0].valueFrom.secretKeyRef.key"),
                Problem::Required
            )]
        );
    }

    #[test]
    fn probes_need_a_port_or_command_and_sane_timings() {
        let mut form = valid();
        form.daemon_set.containers[0].liveness_probe = Some(ProbeForm {
            action: ProbeAction::HttpGet {
                path: "/".into(),
                port: "99999".into(),
            },
            period_seconds: Some(0),
            ..ProbeForm::default()
        });
        form.daemon_set.containers[0].readiness_probe = Some(ProbeForm {
            action: ProbeAction::Exec { command: vec![] },
            ..ProbeForm::default()
        });
        assert_eq!(
            errors(&form),
            [
                (
                    format!("{C0}.livenessProbe.httpGet.port"),
                    Problem::PortOutOfRange
                ),
                (
                    format!("{C0}.livenessProbe.periodSeconds"),
                    Problem::TooSmall { minimum: 1 }
                ),
                (
                    format!("{C0}.readinessProbe.exec.command"),
                    Problem::Required
                ),
            ]
        );
    }

    #[test]
    fn tolerations_follow_the_api_rules() {
        let mut form = valid();
        form.daemon_set.tolerations = vec![
            TolerationForm {
                operator: TolerationOperator::Exists,
                ..TolerationForm::default()
            },
            TolerationForm::default(),
            TolerationForm {
                key: "dedicated".into(),
                operator: TolerationOperator::Exists,
                value: "logs".into(),
                ..TolerationForm::default()
            },
            TolerationForm {
                key: "node.kubernetes.io/unreachable".into(),
                effect: Some(TaintEffect::NoSchedule),
                toleration_seconds: Some(300),
                ..TolerationForm::default()
            },
        ];
        let base = "spec.template.spec.tolerations";
        assert_eq!(
            errors(&form),
            [
                (format!("{base}[1].operator"), Problem::EmptyKeyNeedsExists),
                (format!("{base}[2].value"), Problem::ValueWithExists),
                (
                    format!("{base}[3].tolerationSeconds"),
                    Problem::SecondsNeedNoExecute
                ),
            ]
        );
    }

    #[test]
    fn new_claims_need_a_name_size_and_access_mode() {
        let mut form = valid();
        form.claims.push(ClaimForm {
            size: "10GB".into(),
            ..ClaimForm::default()
        });
        assert_eq!(
            errors(&form),
            [
                ("claims[0]:metadata.name".into(), Problem::Required),
                (
                    "claims[0]:spec.resources.requests.storage".into(),
                    Problem::NotQuantity
                ),
                ("claims[0]:spec.accessModes".into(), Problem::Required),
            ]
        );
    }

    #[test]
    fn a_read_write_once_claim_in_a_pod_volume_is_a_warning_not_an_error() {
        let mut form = valid();
        form.claims.push(ClaimForm {
            name: "state".into(),
            size: "1Gi".into(),
            access_modes: vec![AccessMode::ReadWriteOnce],
            ..ClaimForm::default()
        });
        let unused = validate(&form);
        assert!(unused.is_valid());
        assert_eq!(unused.warnings, []);

        // Not even mounted yet: the kubelet still needs the claim on every node.
        form.daemon_set.volumes.push(VolumeForm {
            name: "state".into(),
            source: VolumeSource::PersistentVolumeClaim {
                claim_name: "state".into(),
            },
        });
        let used = validate(&form);
        assert!(used.is_valid());
        assert_eq!(
            used.warnings,
            [Issue {
                path: FieldPath::parse(Subject::Claim(0), "spec.accessModes").unwrap(),
                problem: Problem::SingleNodeVolumeShared
            }]
        );

        form.claims[0].access_modes = vec![AccessMode::ReadWriteMany];
        assert_eq!(validate(&form).warnings, []);
    }

    #[test]
    fn problem_keys_are_snake_case() {
        assert_eq!(Problem::RequestAboveLimit.key(), "request_above_limit");
        assert_eq!(Problem::TooSmall { minimum: 1 }.key(), "too_small");
    }
}
