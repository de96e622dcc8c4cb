use leptos::{html, prelude::*};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use crate::{
    api::ApiError,
    i18n::{Msg, use_i18n},
    keys,
};

/// The frame of every modal dialog: a backdrop, and a dialog that takes focus when it opens
/// (its first field, else its first control), keeps Tab inside, closes on Escape, and gives
/// focus back to what had it when it closes.
#[component]
pub fn Modal(
    /// The dialog's accessible name.
    #[prop(into)]
    label: Signal<&'static str>,
    /// Extra classes for the dialog box.
    #[prop(optional)]
    class: &'static str,
    /// Escape, or a click on the backdrop when `close_on_backdrop`.
    on_close: Callback<()>,
    #[prop(optional)] close_on_backdrop: bool,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Div>::new();
    let opener = SendWrapper::new(
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
    );
    on_cleanup(move || {
        if let Some(opener) = opener.take().filter(|opener| opener.is_connected()) {
            let _ = opener.focus();
        }
    });
    let focus_first = |dialog: web_sys::HtmlDivElement| {
        let fields = dialog
            .query_selector("input, select, textarea")
            .ok()
            .flatten();
        let first = fields
            .and_then(|field| field.dyn_into::<web_sys::HtmlElement>().ok())
            .or_else(|| keys::focusable(&dialog).into_iter().next());
        if let Some(first) = first {
            let _ = first.focus();
        }
    };
    dialog.on_load(move |dialog| {
        if dialog.is_connected() {
            focus_first(dialog);
        } else {
            // A dialog whose code loaded lazily is drawn before it is in the document, where
            // it cannot take focus yet.
            request_animation_frame(move || focus_first(dialog));
        }
    });
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" && !event.default_prevented() {
            event.prevent_default();
            on_close.run(());
        } else if let Some(dialog) = dialog.get_untracked() {
            keys::trap_tab(&event, &dialog);
        }
    };
    let class = format!("dialog {class}");
    view! {
        <div class="dialog-backdrop" on:click=move |_| if close_on_backdrop { on_close.run(()) }>
            <div class=class role="dialog" aria-modal="true" aria-label=label node_ref=dialog
                on:keydown=on_keydown on:click=|event| event.stop_propagation()>
                {children()}
            </div>
        </div>
    }
}

/// A modal dialog for one decision: its body, a confirm button that can be disabled until the
/// input is right, progress while the action runs, and the API's error if it fails (the dialog
/// stays open, so nothing typed is lost).
#[component]
pub fn Dialog(
    title: Msg,
    confirm: Msg,
    /// Confirm is enabled only while this holds.
    #[prop(into)]
    ready: Signal<bool>,
    /// Marks the confirm button as destructive (red).
    #[prop(optional)]
    danger: bool,
    pending: Signal<bool>,
    error: Signal<Option<ApiError>>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let class = if danger { "primary danger" } else { "primary" };
    view! {
        <Modal label=Signal::derive(i18n.t(title)) on_close=on_cancel close_on_backdrop=true>
            <h2>{i18n.t(title)}</h2>
            <div class="dialog-body">{children()}</div>
            {move || error.get().map(|error| view! {
                <div class="form-problem" role="alert">
                    <p>{i18n.t(error.summary())}</p>
                    <p class="detail">{error.detail()}</p>
                </div>
            })}
            <div class="dialog-actions">
                <button type="button" on:click=move |_| on_cancel.run(())>{i18n.t(Msg::Cancel)}</button>
                <button
                    type="button"
                    class=class
                    disabled=move || !ready.get() || pending.get()
                    on:click=move |_| on_confirm.run(())
                >
                    {move || if pending.get() { i18n.t(Msg::Working)() } else { i18n.t(confirm)() }}
                </button>
            </div>
        </Modal>
    }
}
