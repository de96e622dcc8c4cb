//! The YAML editor and the YAML diff: Monaco with monaco-yaml, driven through our own small JS
//! module (`app/js/yaml-editor.js`) that esbuild bundles with its workers into
//! `assets/<hash>/editor/`. The module is imported at run time (`crate::lazy`) when the first
//! editor or diff is shown, so only pages that edit YAML download it (about 1 MB compressed).

use leptos::{html, prelude::*, task::spawn_local};
use wasm_bindgen::{JsCast, prelude::*};

use crate::{
    i18n::{Msg, use_i18n},
    lazy,
    theme::use_theme,
};

#[wasm_bindgen]
extern "C" {
    /// The namespace object of `yaml-editor.js`; its functions are documented there.
    type EditorModule;

    #[wasm_bindgen(method, js_name = createEditor)]
    fn create_editor(
        this: &EditorModule,
        container: &web_sys::HtmlElement,
        value: &str,
        schema_json: Option<String>,
        on_change: &JsValue,
        label: &str,
    ) -> JsValue;

    #[wasm_bindgen(method, js_name = setValue)]
    fn set_value(this: &EditorModule, handle: &JsValue, value: &str);

    #[wasm_bindgen(method, js_name = revealPosition)]
    fn reveal_position(this: &EditorModule, handle: &JsValue, line: u32, column: u32);

    #[wasm_bindgen(method, js_name = createDiff)]
    fn create_diff(
        this: &EditorModule,
        container: &web_sys::HtmlElement,
        original: &str,
        modified: &str,
        original_label: &str,
        modified_label: &str,
    ) -> JsValue;

    #[wasm_bindgen(method, js_name = setTheme)]
    fn set_theme(this: &EditorModule, dark: bool);

    #[wasm_bindgen(method)]
    fn dispose(this: &EditorModule, handle: &JsValue);
}

async fn load_module() -> Result<EditorModule, String> {
    lazy::import_asset("editor/yaml-editor.js")
        .await
        .map(JsCast::unchecked_into)
}

/// An editor or diff created in the module, freed when its component goes away.
struct Mounted {
    module: EditorModule,
    handle: JsValue,
}

/// Where an editor or diff stands.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Loading,
    Ready,
    /// The module could not be loaded; the detail is the browser's.
    Failed(String),
}

/// Loads the module once `container` is in the page, then runs `create` in it. Returns the
/// status and the created editor, which is disposed with the calling component and follows the
/// page's theme while it lives.
fn mount<F>(
    container: NodeRef<html::Div>,
    create: F,
) -> (RwSignal<Status>, StoredValue<Option<Mounted>>)
where
    F: FnOnce(&EditorModule, &web_sys::HtmlElement) -> JsValue + 'static,
{
    let status = RwSignal::new(Status::Loading);
    let mounted = StoredValue::new(None::<Mounted>);
    let theme = use_theme();
    container.on_load(move |div| {
        spawn_local(async move {
            let module = match load_module().await {
                Ok(module) => module,
                Err(error) => {
                    status.try_set(Status::Failed(error));
                    return;
                }
            };
            // The page may have moved on while the module loaded.
            if mounted.is_disposed() {
                return;
            }
            module.set_theme(theme.is_dark());
            let handle = create(&module, &div);
            mounted.set_value(Some(Mounted { module, handle }));
            status.set(Status::Ready);
        });
    });
    Effect::new(move |_| {
        let dark = theme.is_dark();
        status.track();
        mounted.with_value(|mounted| {
            if let Some(Mounted { module, .. }) = mounted {
                module.set_theme(dark);
            }
        });
    });
    on_cleanup(move || {
        if let Some(Mounted { module, handle }) = mounted.try_update_value(Option::take).flatten() {
            module.dispose(&handle);
        }
    });
    (status, mounted)
}

/// A YAML editor over `text`: every edit is written to `text`, and when the owner sets `text`
/// the editor follows (as one edit, so Undo brings the previous text back). `schema_json` (a
/// JSON schema) gives validation, completion and hover. If the editor cannot be loaded, a plain
/// text box takes its place, so the text can still be edited.
#[component]
pub fn YamlEditor(
    text: RwSignal<String>,
    /// A JSON schema, as JSON text, for the document.
    schema_json: Option<String>,
    /// Moves the cursor to this 1-based line and column whenever it is set.
    #[prop(into)]
    reveal: Signal<Option<(u32, u32)>>,
) -> impl IntoView {
    let container = NodeRef::<html::Div>::new();
    let i18n = use_i18n();
    let (status, mounted) = mount(container, move |module, div| {
        let on_change = Closure::<dyn Fn(String)>::new(move |value: String| {
            text.try_set(value);
        })
        .into_js_value();
        let label = Msg::YamlEditorLabel.text(i18n.lang.get_untracked());
        module.create_editor(div, &text.get_untracked(), schema_json, &on_change, label)
    });
    Effect::new(move |_| {
        let value = text.get();
        status.track();
        mounted.with_value(|mounted| {
            if let Some(Mounted { module, handle }) = mounted {
                module.set_value(handle, &value);
            }
        });
    });
    Effect::new(move |_| {
        let target = reveal.get();
        status.track();
        mounted.with_value(|mounted| {
            if let (Some(Mounted { module, handle }), Some((line, column))) = (mounted, target) {
                module.reveal_position(handle, line, column);
            }
        });
    });
    let failed = move || matches!(status.get(), Status::Failed(_));
    view! {
        {status_notice(status, Msg::EditorUnavailable)}
        <Show when=failed>
            <textarea class="yaml-fallback" spellcheck="false" prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
        </Show>
        <div class="yaml-editor" class:hidden=failed node_ref=container></div>
    }
}

/// What stands in the editor's place while it loads, or says why it could not be loaded.
fn status_notice(status: RwSignal<Status>, unavailable: Msg) -> impl IntoView {
    let i18n = use_i18n();
    move || match status.get() {
        Status::Loading => {
            view! { <p class="editor-loading">{i18n.t(Msg::EditorLoading)}</p> }.into_any()
        }
        Status::Ready => ().into_any(),
        Status::Failed(detail) => view! {
            <div class="form-problem" role="alert">
                <p>{i18n.t(unavailable)}</p>
                <p class="detail">{detail}</p>
            </div>
        }
        .into_any(),
    }
}

/// A read-only side-by-side diff of two YAML texts, unchanged stretches folded away; each side
/// is named (`labels`: original, modified) for screen readers.
#[component]
pub fn YamlDiff(original: String, modified: String, labels: (Msg, Msg)) -> impl IntoView {
    let container = NodeRef::<html::Div>::new();
    let i18n = use_i18n();
    let (status, _) = mount(container, move |module, div| {
        let lang = i18n.lang.get_untracked();
        module.create_diff(
            div,
            &original,
            &modified,
            labels.0.text(lang),
            labels.1.text(lang),
        )
    });
    view! {
        {status_notice(status, Msg::DiffUnavailable)}
        <div class="yaml-editor yaml-diff" class:hidden=move || matches!(status.get(), Status::Failed(_)) node_ref=container></div>
    }
}
