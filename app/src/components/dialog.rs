use leptos::prelude::*;

use crate::{
    api::ApiError,
    i18n::{Msg, use_i18n},
};

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
        <div class="dialog-backdrop" on:click=move |_| on_cancel.run(())>
            <div class="dialog" role="dialog" aria-modal="true" aria-label=i18n.t(title) on:click=|event| event.stop_propagation()>
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
            </div>
        </div>
    }
}
