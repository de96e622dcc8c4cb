//! How a failed API call is shown: what happened and what to do, the detail, and a way on:
//! retry, or sign in again (coming back to this page) when the session has ended.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

use crate::{
    api::ApiError,
    i18n::{Msg, use_i18n},
    session::sign_in_href,
};

#[component]
pub fn ErrorPanel(error: ApiError, on_retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let summary = error.summary();
    let action = if error.is_unauthorized() {
        let here = format!(
            "{}{}",
            location.pathname.get_untracked(),
            location.search.get_untracked()
        );
        view! { <A href=sign_in_href(&here, true)>{i18n.t(Msg::SignInAgain)}</A> }.into_any()
    } else {
        view! {
            <button type="button" on:click=move |_| on_retry.run(())>
                {i18n.t(Msg::Retry)}
            </button>
        }
        .into_any()
    };
    view! {
        <div class="error-panel" role="alert">
            <p class="error-summary">{i18n.t(summary)}</p>
            <details>
                <summary>{i18n.t(Msg::ErrorDetail)}</summary>
                <code>{error.detail()}</code>
            </details>
            {action}
        </div>
    }
}
