//! Create a DaemonSet: a wizard in the seed guide's order, YAML import and a code mode, all on
//! one [`Draft`] (the lossless document model), so switching between them never loses a field.
//!
//! - `mod.rs`: the page, the [`Wizard`] state, switching modes, keeping the draft.
//! - `fields.rs`: form fields bound to the draft through lenses.
//! - `basic.rs`, `pod.rs`, `storage.rs`, `labels.rs`, `nodes.rs`: one step each.
//! - `summary.rs`: the review before create, and the create itself (`submit.rs`).
//! - `import.rs`: YAML or JSON pasted or uploaded.
//! - `problems.rs`: what is wrong where, in the user's language.

mod basic;
mod fields;
mod import;
mod labels;
mod nodes;
mod pod;
mod problems;
mod storage;
mod submit;
mod summary;

use std::collections::BTreeSet;

use console_model::document::{
    Draft, DraftForm, FieldPath, Issue, Problem, ReadError, Step, Validation, validate,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::{
    api,
    components::YamlEditor,
    drafts,
    i18n::{Msg, use_i18n},
    schema,
};
use fields::field;
use problems::{FieldProblem, Refusal, read_error_text};

/// Where the user is: a step of the wizard, or the summary before create.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
enum Page {
    #[default]
    Basic,
    Pod,
    Storage,
    Labels,
    Nodes,
    Summary,
}

impl Page {
    const ALL: [Page; 6] = [
        Page::Basic,
        Page::Pod,
        Page::Storage,
        Page::Labels,
        Page::Nodes,
        Page::Summary,
    ];

    fn step(self) -> Option<Step> {
        match self {
            Page::Basic => Some(Step::Basic),
            Page::Pod => Some(Step::Pod),
            Page::Storage => Some(Step::Storage),
            Page::Labels => Some(Step::Labels),
            Page::Nodes => Some(Step::Nodes),
            Page::Summary => None,
        }
    }

    fn of(step: Step) -> Page {
        match step {
            Step::Basic => Page::Basic,
            Step::Pod => Page::Pod,
            Step::Storage => Page::Storage,
            Step::Labels => Page::Labels,
            Step::Nodes => Page::Nodes,
        }
    }

    fn title(self) -> Msg {
        match self {
            Page::Basic => Msg::StepBasic,
            Page::Pod => Msg::StepPod,
            Page::Storage => Msg::StepStorage,
            Page::Labels => Msg::StepLabels,
            Page::Nodes => Msg::StepNodes,
            Page::Summary => Msg::StepSummary,
        }
    }

    fn next(self) -> Option<Page> {
        let index = Page::ALL.iter().position(|page| *page == self)?;
        Page::ALL.get(index + 1).copied()
    }

    fn previous(self) -> Option<Page> {
        let index = Page::ALL.iter().position(|page| *page == self)?;
        index.checked_sub(1).map(|index| Page::ALL[index])
    }
}

/// Form or code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
enum Mode {
    #[default]
    Form,
    Code,
}

/// The state of one creation, shared by every step.
#[derive(Clone, Copy)]
pub struct Wizard {
    /// What the form shows; every edit goes here first.
    form: RwSignal<DraftForm>,
    /// The documents; the form is written into them after every edit, so code mode, the
    /// summary and create see exactly what the user sees plus every field the form does not show.
    draft: StoredValue<Draft>,
    validation: Memo<Validation>,
    /// Steps whose problems are shown: those the user has moved on from, or all once Create was
    /// pressed. A step the user has not reached yet is not covered in red.
    checked: RwSignal<BTreeSet<Step>>,
    /// What the apiserver refused at the last create.
    refused: RwSignal<Vec<Refusal>>,
    /// A DaemonSet of the typed name that already exists in the chosen project.
    clash: RwSignal<Option<(String, String)>>,
    page: RwSignal<Page>,
    mode: RwSignal<Mode>,
    /// The text in code mode.
    code: RwSignal<String>,
    /// The documents as YAML, with every edit written in: made once per edit, for keeping the
    /// draft, the summary and code mode.
    yaml: Memo<String>,
}

impl Wizard {
    fn new(draft: Draft, page: Page, mode: Mode, code: String) -> Self {
        let form = RwSignal::new(draft.form());
        let draft = StoredValue::new(draft);
        Self {
            form,
            draft,
            yaml: Memo::new(move |_| {
                form.track();
                with_draft(form, draft, Draft::to_yaml)
            }),
            validation: Memo::new(move |_| form.with(validate)),
            checked: RwSignal::new(BTreeSet::new()),
            refused: RwSignal::new(Vec::new()),
            clash: RwSignal::new(None),
            page: RwSignal::new(page),
            mode: RwSignal::new(mode),
            code: RwSignal::new(code),
        }
    }

    /// The draft with the form's latest edits written in, to keep (create needs its own).
    fn current_draft(self) -> Draft {
        with_draft(self.form, self.draft, Draft::clone)
    }

    /// Starts over from other documents (an import, or code mode's text).
    fn replace(self, draft: Draft) {
        self.form.set(draft.form());
        self.draft.set_value(draft);
        self.refused.set(Vec::new());
    }

    /// The problem to show at a field: what the apiserver refused there, else what validation
    /// found (once its step is checked; the name is checked while typing), else a name clash.
    fn problem_at(self, path: &FieldPath) -> Option<FieldProblem> {
        if let Some(refusal) = self
            .refused
            .with(|refused| refused.iter().find(|r| r.path == *path).cloned())
        {
            return Some(FieldProblem::Refused(refusal.said));
        }
        let checked = self
            .checked
            .with(|checked| checked.contains(&Step::of(path)));
        let at_field = |issue: &&Issue| issue.path == *path;
        let (error, warning) = self.validation.with(|validation| {
            (
                validation
                    .errors
                    .iter()
                    .find(at_field)
                    .map(|issue| issue.problem),
                validation
                    .warnings
                    .iter()
                    .find(at_field)
                    .map(|issue| issue.problem),
            )
        });
        // The name is checked while typing, but an empty one only once the user moves on.
        // Warnings inform at once.
        let is_name = *path == name_path();
        let typing_name = is_name && error != Some(Problem::Required);
        if let Some(problem) = error.filter(|_| checked || typing_name).or(warning) {
            return Some(FieldProblem::Invalid(problem));
        }
        if is_name {
            return self
                .clash
                .get()
                .map(|(project, name)| FieldProblem::Clash { project, name });
        }
        None
    }

    /// Whether a step has something to fix, as far as it is shown.
    fn step_has_errors(self, step: Step) -> bool {
        let checked = self.checked.with(|checked| checked.contains(&step));
        let invalid = checked
            && self.validation.with(|validation| {
                validation
                    .errors
                    .iter()
                    .any(|issue| Step::of(&issue.path) == step)
            });
        let refused = self
            .refused
            .with(|refused| refused.iter().any(|r| Step::of(&r.path) == step));
        let clash = step == Step::Basic && self.clash.with(Option::is_some);
        invalid || refused || clash
    }

    /// Moves to a page. The step left is checked from now on; the summary checks them all, since
    /// it is where the user reviews everything before create.
    fn go(self, page: Page) {
        self.checked.update(|checked| {
            if page == Page::Summary {
                checked.extend(Step::ALL);
            } else if let Some(step) = self.page.get_untracked().step() {
                checked.insert(step);
            }
        });
        self.page.set(page);
    }
}

/// Reads the draft with the form's latest edits written in (only what changed is written).
fn with_draft<R>(
    form: RwSignal<DraftForm>,
    draft: StoredValue<Draft>,
    read: impl FnOnce(&Draft) -> R,
) -> R {
    form.with_untracked(|form| draft.update_value(|draft| draft.apply(form)));
    draft.with_value(read)
}

/// The DaemonSet's name, checked while typing and where a clash is shown.
fn name_path() -> FieldPath {
    field!(fields::daemon_set(), name).path().clone()
}

/// What is kept in session storage, so a reload (or a sign-in after the session ended) loses
/// nothing typed.
#[derive(Serialize, Deserialize)]
struct Saved {
    page: Page,
    mode: Mode,
    /// The documents in form mode, the text as typed in code mode.
    text: String,
}

const STORAGE_KEY: &str = "console.create-daemonset";

fn saved() -> Option<Saved> {
    drafts::load(STORAGE_KEY)
}

fn save(saved: &Saved) {
    drafts::save(STORAGE_KEY, saved);
}

/// Lets the draft go (created, or discarded).
fn forget() {
    drafts::forget(STORAGE_KEY);
}

/// The wizard from where the user left it, else a new DaemonSet in the project of the address.
fn restore(project: &str) -> (Wizard, bool) {
    if let Some(saved) = saved() {
        match (saved.mode, Draft::from_yaml(&saved.text)) {
            (Mode::Form, Ok(draft)) => {
                return (
                    Wizard::new(draft, saved.page, Mode::Form, String::new()),
                    true,
                );
            }
            (Mode::Code, parsed) => {
                let draft = parsed.unwrap_or_else(|_| Draft::new_daemonset(project));
                return (Wizard::new(draft, saved.page, Mode::Code, saved.text), true);
            }
            (Mode::Form, Err(_)) => {}
        }
    }
    (
        Wizard::new(
            Draft::new_daemonset(project),
            Page::Basic,
            Mode::Form,
            String::new(),
        ),
        false,
    )
}

/// `/daemonsets/new?project=…`: the whole creation page.
#[component]
pub fn CreateDaemonSet() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let project = query.read_untracked().get("project").unwrap_or_default();
    let (wizard, restored) = restore(&project);
    let restored = RwSignal::new(restored);
    let code_problem = RwSignal::new(None::<ReadError>);
    // A field the cluster refused, shown in the editor on request.
    let code_field = RwSignal::new(None::<(u32, u32)>);
    let importing = RwSignal::new(false);

    // Every change is written into the documents and kept.
    Effect::new(move |_| {
        let page = wizard.page.get();
        let mode = wizard.mode.get();
        let text = match mode {
            Mode::Code => wizard.code.get(),
            Mode::Form => wizard.yaml.get(),
        };
        save(&Saved { page, mode, text });
    });
    basic::watch_name_clash(wizard);

    let to_code = move |_| {
        wizard.code.set(wizard.yaml.get_untracked());
        code_problem.set(None);
        wizard.mode.set(Mode::Code);
    };
    let to_form = move |_| match Draft::from_yaml(&wizard.code.get_untracked()) {
        Ok(draft) => {
            wizard.replace(draft);
            code_problem.set(None);
            wizard.mode.set(Mode::Form);
        }
        Err(problem) => code_problem.set(Some(problem)),
    };
    let project = StoredValue::new(project);
    let start_over = move |_| {
        forget();
        wizard.replace(Draft::new_daemonset(&project.read_value()));
        wizard.checked.set(BTreeSet::new());
        wizard.page.set(Page::Basic);
        wizard.mode.set(Mode::Form);
        restored.set(false);
    };
    let reveal = Signal::derive(move || {
        code_problem.with(|problem| match problem {
            Some(ReadError::Syntax(at)) => {
                let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                Some((number(at.line), number(at.column)))
            }
            _ => code_field.get(),
        })
    });

    view! {
        <section class="create-page">
            <header class="page-header">
                <h1>{i18n.t(Msg::CreateDaemonSetTitle)}</h1>
                <div class="toolbar">
                    <button type="button" on:click=move |_| importing.set(true)>{i18n.t(Msg::ImportYaml)}</button>
                    <div class="mode-switch" role="group" aria-label=i18n.t(Msg::EditMode)>
                        <button type="button" aria-pressed=move || (wizard.mode.get() == Mode::Form).to_string()
                            on:click=move |ev| if wizard.mode.get_untracked() == Mode::Code { to_form(ev) }>{i18n.t(Msg::FormMode)}</button>
                        <button type="button" aria-pressed=move || (wizard.mode.get() == Mode::Code).to_string()
                            on:click=move |ev| if wizard.mode.get_untracked() == Mode::Form { to_code(ev) }>{i18n.t(Msg::CodeMode)}</button>
                    </div>
                </div>
            </header>
            <Show when=move || restored.get()>
                <div class="notice" role="status">
                    <span>{i18n.t(Msg::CreateDraftRestored)}</span>
                    <button type="button" on:click=start_over>{i18n.t(Msg::StartOver)}</button>
                </div>
            </Show>
            {move || match wizard.mode.get() {
                Mode::Form => form_view(wizard).into_any(),
                Mode::Code => {
                    // The cluster's OpenAPI document is large (about 700 KiB): it is read when code
                    // mode is first opened, not for every visit to the form (then kept).
                    let schema = LocalResource::new(|| {
                        schema::editor_schema(&[schema::DAEMON_SET, schema::PERSISTENT_VOLUME_CLAIM])
                    });
                    view! {
                        <div class="code-mode">
                            {move || code_problem.get().map(|problem| view! {
                                <div class="form-problem" role="alert">
                                    <p>{i18n.t(Msg::CodeCannotBeForm)}</p>
                                    <p class="detail">{move || read_error_text(&problem, i18n.lang.get())}</p>
                                </div>
                            })}
                            <Suspense fallback=move || view! { <p class="editor-loading">{i18n.t(Msg::EditorLoading)}</p> }>
                                {move || schema.get().map(|schema| view! {
                                    <YamlEditor text=wizard.code schema_json=schema reveal=reveal />
                                })}
                            </Suspense>
                            {summary::create_bar(wizard, summary::Source::Code { problem: code_problem, reveal: code_field })}
                        </div>
                    }.into_any()
                }
            }}
            <Show when=move || importing.get()>
                <import::ImportDialog wizard=wizard on_close=Callback::new(move |()| importing.set(false)) />
            </Show>
        </section>
    }
}

/// The names of the objects listed at an API path (`None`: nothing to list yet), read once:
/// suggestions for fields that name an existing object. A failure (e.g. not allowed to list
/// them) leaves the list empty; the field can still be typed.
fn cluster_names(path: impl Fn() -> Option<String> + Send + Sync + 'static) -> Signal<Vec<String>> {
    let names = LocalResource::new(move || {
        let path = path();
        async move {
            let Some(path) = path else { return Vec::new() };
            let list = api::get_raw(&path).await.unwrap_or_default();
            list["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|item| item.pointer("/metadata/name")?.as_str().map(str::to_owned))
                .collect()
        }
    });
    Signal::derive(move || names.get().unwrap_or_default())
}

fn back_button(wizard: Wizard, page: Page) -> impl IntoView {
    let i18n = use_i18n();
    view! { <button type="button" on:click=move |_| wizard.go(page)>{i18n.t(Msg::Back)}</button> }
}

/// The stepper and the current step.
fn form_view(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let stepper = Page::ALL
        .into_iter()
        .enumerate()
        .map(|(index, page)| {
            let invalid = move || page.step().is_some_and(|step| wizard.step_has_errors(step));
            view! {
                <li>
                    <button type="button"
                        class:current=move || wizard.page.get() == page
                        class:invalid=invalid
                        aria-current=move || (wizard.page.get() == page).then_some("step")
                        on:click=move |_| wizard.go(page)>
                        <span class="number">{index + 1}</span>
                        <span>{i18n.t(page.title())}</span>
                        <Show when=invalid><span class="mark" role="img" aria-label=i18n.t(Msg::StepNeedsFixing)>"!"</span></Show>
                    </button>
                </li>
            }
        })
        .collect_view();
    // A new step takes focus at its heading, so the keyboard goes on from the top of it.
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |shown: Option<Page>| {
        let page = wizard.page.get();
        if shown.is_some_and(|shown| shown != page)
            && let Some(heading) = heading.get_untracked()
        {
            let _ = heading.focus();
        }
        page
    });
    let body = move || match wizard.page.get() {
        Page::Basic => basic::step(wizard).into_any(),
        Page::Pod => pod::step(wizard).into_any(),
        Page::Storage => storage::step(wizard).into_any(),
        Page::Labels => labels::step(wizard).into_any(),
        Page::Nodes => nodes::step(wizard).into_any(),
        Page::Summary => summary::step(wizard).into_any(),
    };
    view! {
        <div class="wizard">
            <ol class="stepper">{stepper}</ol>
            <div class="step">
                <h2 tabindex="-1" node_ref=heading>{move || i18n.t(wizard.page.get().title())()}</h2>
                {body}
                // The summary has its own row: Back and Create.
                {move || wizard.page.get().next().map(|next| view! {
                    <div class="step-actions">
                        {wizard.page.get().previous().map(|page| back_button(wizard, page))}
                        <button type="button" class="primary" on:click=move |_| wizard.go(next)>{i18n.t(Msg::Next)}</button>
                    </div>
                })}
            </div>
        </div>
    }
}
