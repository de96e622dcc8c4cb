//! The frame around every signed-in page: product name, navigation, project, language, theme,
//! user.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    components::{LanguageSwitch, ProjectPicker, ThemeSwitch, UserMenu},
    i18n::{Msg, use_i18n},
};

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <a class="brand" href="/daemonsets">{i18n.t(Msg::ProductName)}</a>
            <nav class="nav">
                <A href="/daemonsets">{i18n.t(Msg::NavDaemonSets)}</A>
            </nav>
            <ProjectPicker />
            <LanguageSwitch />
            <ThemeSwitch />
            <UserMenu />
        </header>
        <main class="page">{children()}</main>
    }
}
