//! The frame around every page: product name, navigation and the language switch.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Lang, Msg, use_i18n};

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <a class="brand" href="/daemonsets">{i18n.t(Msg::ProductName)}</a>
            <nav class="nav">
                <A href="/daemonsets">{i18n.t(Msg::NavDaemonSets)}</A>
            </nav>
            <LanguageSwitch />
        </header>
        <main class="page">{children()}</main>
    }
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="language-switch" role="group" aria-label=i18n.t(Msg::Language)>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    view! {
                        <button
                            type="button"
                            lang=lang.tag()
                            aria-pressed=move || (i18n.lang.get() == lang).to_string()
                            on:click=move |_| i18n.lang.set(lang)
                        >
                            {lang.own_name()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
