//! The summary before create, and the create button shared with code mode.

use std::collections::BTreeSet;

use console_model::{
    document::{Draft, FieldPath, Issue, OneOf, ReadError, Step, Subject, validate},
    yaml,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;

use super::{
    Page, Wizard, forget,
    problems::problem_text,
    submit::{Failure, create_all},
};
use crate::i18n::{Msg, use_i18n};

pub fn step(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let facts = move || {
        wizard.form.with(|form| {
            let daemon_set = &form.daemon_set;
            let pairs = |pairs: &[console_model::document::KeyValue]| {
                pairs
                    .iter()
                    .map(|p| format!("{}={}", p.key, p.value))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let images = daemon_set
                .init_containers
                .iter()
                .chain(&daemon_set.containers)
                .map(|c| format!("{} ({})", c.name, c.image))
                .collect::<Vec<_>>()
                .join(", ");
            let volumes = daemon_set
                .volumes
                .iter()
                .map(|v| format!("{} ({})", v.name, v.source.key()))
                .collect::<Vec<_>>()
                .join(", ");
            let claims = form
                .claims
                .iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
                .join(", ");
            vec![
                (Msg::ColumnName, daemon_set.name.clone()),
                (Msg::ProjectLabel, daemon_set.namespace.clone()),
                (Msg::Alias, daemon_set.alias.clone()),
                (Msg::Containers, images),
                (Msg::Volumes, volumes),
                (Msg::NewClaims, claims),
                (Msg::StepLabels, pairs(&daemon_set.labels)),
                (Msg::NodeSelector, pairs(&daemon_set.node_selector)),
            ]
        })
    };
    let warnings = move || {
        wizard.validation.with(|validation| {
            validation
                .warnings
                .iter()
                .map(|issue| {
                    let text = problem_text(issue.problem, i18n.lang.get());
                    view! { <li class="warning">{text}" "<code>{issue.path.to_string()}</code></li> }
                })
                .collect_view()
        })
    };
    view! {
        <dl class="facts">
            {move || facts().into_iter().map(|(label, value)| view! {
                <dt>{i18n.t(label)}</dt>
                <dd>{if value.is_empty() { "—".to_owned() } else { value }}</dd>
            }).collect_view()}
        </dl>
        <ul class="warnings">{warnings}</ul>
        <details class="yaml-preview">
            <summary>{i18n.t(Msg::ShowYaml)}</summary>
            <pre>{move || wizard.yaml.get()}</pre>
        </details>
        {create_bar(wizard, Source::Form)}
    }
}

/// Where create takes the documents from.
#[derive(Clone, Copy)]
pub enum Source {
    Form,
    /// Code mode's text; a text that cannot be read is reported in `problem`, and `reveal`
    /// takes the editor to a refused field.
    Code {
        problem: RwSignal<Option<ReadError>>,
        reveal: RwSignal<Option<(u32, u32)>>,
    },
}

/// Where a refused field is in code mode's text (line and column), found in the document of
/// its subject.
fn position_in_code(code: &str, path: &FieldPath) -> Option<(u32, u32)> {
    let draft = Draft::from_yaml(code).ok()?;
    let mut claims = 0;
    let document = draft.documents().position(|document| {
        let daemon_set = document.get("kind").and_then(|kind| kind.as_str()) == Some("DaemonSet");
        match path.subject() {
            Subject::DaemonSet => daemon_set,
            Subject::Claim(index) if !daemon_set => {
                claims += 1;
                claims - 1 == index
            }
            Subject::Claim(_) => false,
        }
    })?;
    let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    yaml::position(code, document, &path.in_document())
        .map(|(line, column)| (number(line), number(column)))
}

/// What stopped the last create.
#[derive(Clone, Debug)]
enum Stopped {
    /// Validation found errors; nothing was sent.
    Invalid(Vec<Issue>),
    Failed(Failure),
}

/// The Create button, its progress, and what went wrong, with a way to the step to fix.
pub fn create_bar(wizard: Wizard, source: Source) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let creating = RwSignal::new(false);
    let stopped = RwSignal::new(None::<Stopped>);
    let on_create = move |_| {
        let draft = match source {
            Source::Form => wizard.current_draft(),
            Source::Code { problem, .. } => match Draft::from_yaml(&wizard.code.get_untracked()) {
                Ok(draft) => draft,
                Err(error) => {
                    problem.set(Some(error));
                    return;
                }
            },
        };
        let validation = validate(&draft.form());
        if !validation.is_valid() {
            wizard
                .checked
                .set(Step::ALL.into_iter().collect::<BTreeSet<_>>());
            stopped.set(Some(Stopped::Invalid(validation.errors)));
            return;
        }
        stopped.set(None);
        creating.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match create_all(&draft).await {
                Ok((project, name)) => {
                    forget();
                    navigate(
                        &format!("/projects/{project}/daemonsets/{name}"),
                        Default::default(),
                    );
                }
                Err(failure) => {
                    wizard.refused.try_set(failure.refusals());
                    wizard.checked.try_set(Step::ALL.into_iter().collect());
                    stopped.try_set(Some(Stopped::Failed(failure)));
                    creating.try_set(false);
                }
            }
        });
    };
    let in_form = matches!(source, Source::Form);
    // In the form, the way to a problem is its step; in code mode, its place in the text.
    let go_to = move |path: &FieldPath| {
        match source {
        Source::Form => {
            let step = Step::of(path);
            Some(view! {
                <button type="button" class="link" on:click=move |_| wizard.go(Page::of(step))>{i18n.t(Page::of(step).title())}</button>
            }.into_any())
        }
        Source::Code { reveal, .. } => {
            position_in_code(&wizard.code.get_untracked(), path).map(|at| view! {
                <button type="button" class="link" on:click=move |_| reveal.set(Some(at))>{i18n.t(Msg::ShowInEditor)}</button>
            }.into_any())
        }
    }
    };
    let report = move || {
        stopped.get().map(|stopped| {
            let (headline, detail, issues) = match stopped {
                Stopped::Invalid(issues) => (
                    Msg::CreateInvalid,
                    String::new(),
                    issues
                        .into_iter()
                        .map(|i| (i.path, problem_text(i.problem, i18n.lang.get())))
                        .collect(),
                ),
                Stopped::Failed(failure) => match &failure {
                    Failure::NotJson(error) => (Msg::CreateNotJson, error.to_string(), Vec::new()),
                    Failure::Refused { error, .. } => {
                        let detail = format!("{} {}", i18n.t(error.summary())(), error.detail());
                        let issues = failure
                            .refusals()
                            .into_iter()
                            .map(|r| (r.path, r.said.text(i18n.lang.get())))
                            .collect();
                        (Msg::CreateRefused, detail, issues)
                    }
                },
            };
            view! {
                <div class="form-problem create-problem" role="alert">
                    <p>{i18n.t(headline)}</p>
                    {(!detail.is_empty()).then(|| view! { <p class="detail">{detail}</p> })}
                    <ul>
                        {issues.into_iter().map(|(path, text)| view! {
                            <li>{go_to(&path)}" "<code>{path.to_string()}</code>" "{text}</li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    };
    view! {
        {report}
        <div class="create-bar">
            {in_form.then(|| super::back_button(wizard, Page::Nodes))}
            <button type="button" class="primary" disabled=move || creating.get() on:click=on_create>
                {move || if creating.get() { i18n.t(Msg::Creating)() } else { i18n.t(Msg::Create)() }}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "\
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: cache}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
";

    #[test]
    fn a_refused_field_in_code_mode_is_found_in_its_own_document() {
        let name = |subject| FieldPath::parse(subject, "metadata.name").unwrap();
        assert_eq!(
            position_in_code(CODE, &name(Subject::DaemonSet)),
            Some((8, 9))
        );
        assert_eq!(
            position_in_code(CODE, &name(Subject::Claim(0))),
            Some((3, 18))
        );
        assert_eq!(position_in_code(CODE, &name(Subject::Claim(1))), None);
    }
}
