use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Msg, use_i18n};

/// Shown for any path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="not-found">
            <p>{i18n.t(Msg::PageNotFound)}</p>
            <A href="/daemonsets">{i18n.t(Msg::BackToList)}</A>
        </section>
    }
}
