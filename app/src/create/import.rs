//! Import YAML: pasted or uploaded, one or several documents (a DaemonSet and the claims it
//! mounts); JSON works too. The import replaces the draft; what the form does not show is kept.

use console_model::document::{Draft, ReadError};
use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen_futures::JsFuture;

use super::{Page, Wizard, problems::read_error_text};
use crate::{
    components::Dialog,
    i18n::{Msg, use_i18n},
};

/// Reads YAML, or JSON when the text starts like JSON (its errors then point at the JSON).
fn read(text: &str) -> Result<Draft, ReadError> {
    if text.trim_start().starts_with(['{', '[']) {
        Draft::from_json(text)
    } else {
        Draft::from_yaml(text)
    }
}

#[component]
pub fn ImportDialog(wizard: Wizard, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<ReadError>);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = event_target::<web_sys::HtmlInputElement>(&ev)
            .files()
            .and_then(|files| files.get(0))
        else {
            return;
        };
        spawn_local(async move {
            if let Ok(content) = JsFuture::from(file.text()).await
                && let Some(content) = content.as_string()
            {
                text.try_set(content);
            }
        });
    };
    let on_import = move |()| {
        let project = wizard
            .form
            .with_untracked(|form| form.daemon_set.namespace.clone());
        match read(&text.get_untracked()) {
            Ok(draft) => {
                wizard.replace(draft);
                // A manifest without a namespace goes to the project already chosen.
                wizard.form.update(|form| {
                    if form.daemon_set.namespace.is_empty() {
                        form.daemon_set.namespace = project;
                    }
                });
                wizard.code.set(wizard.yaml.get_untracked());
                wizard.page.set(Page::Basic);
                on_close.run(());
            }
            Err(error) => problem.set(Some(error)),
        }
    };
    view! {
        <Dialog
            title=Msg::ImportYaml
            confirm=Msg::Import
            ready=Signal::derive(move || !text.with(|t| t.trim().is_empty()))
            pending=Signal::derive(|| false)
            error=Signal::derive(|| None)
            on_confirm=Callback::new(on_import)
            on_cancel=on_close
        >
            <p class="hint">{i18n.t(Msg::ImportHint)}</p>
            <label class="field">
                <span>{i18n.t(Msg::ImportFile)}</span>
                <input type="file" accept=".yaml,.yml,.json,application/json,text/yaml" on:change=on_file />
            </label>
            <label class="field">
                <span>{i18n.t(Msg::ImportPaste)}</span>
                <textarea class="import-text" rows="14" spellcheck="false"
                    prop:value=move || text.get()
                    on:input=move |ev| { text.set(event_target_value(&ev)); problem.set(None); }></textarea>
            </label>
            {move || problem.get().map(|problem| view! {
                <div class="form-problem" role="alert">
                    <p>{i18n.t(Msg::ImportFailed)}</p>
                    <p class="detail">{move || read_error_text(&problem, i18n.lang.get())}</p>
                </div>
            })}
        </Dialog>
    }
}
