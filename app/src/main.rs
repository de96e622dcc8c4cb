//! The DaemonSet console in the browser: a Leptos single-page app rendered on the client.

mod api;
mod components;
mod daemonsets;
mod i18n;
mod shell;

use leptos::prelude::*;
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    path,
};

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    i18n::provide();
    view! {
        <Router>
            <shell::Shell>
                <Routes fallback=components::NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/daemonsets" /> } />
                    <Route path=path!("/daemonsets") view=daemonsets::DaemonSetList />
                    <Route path=path!("/projects/:project/daemonsets") view=daemonsets::DaemonSetList />
                </Routes>
            </shell::Shell>
        </Router>
    }
}
