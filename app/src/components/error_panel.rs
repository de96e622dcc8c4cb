//! How a failed API call is shown: what happened and what to do, the detail, and a retry.

use leptos::prelude::*;

use crate::{
    api::ApiError,
    i18n::{Msg, use_i18n},
};

#[component]
pub fn ErrorPanel(error: ApiError, on_retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let summary = error.summary();
    view! {
        <div class="error-panel" role="alert">
            <p class="error-summary">{i18n.t(summary)}</p>
            <details>
                <summary>{i18n.t(Msg::ErrorDetail)}</summary>
                <code>{error.detail()}</code>
            </details>
            <button type="button" on:click=move |_| on_retry.run(())>
                {i18n.t(Msg::Retry)}
            </button>
        </div>
    }
}
