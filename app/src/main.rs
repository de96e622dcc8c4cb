//! The DaemonSet console in the browser: a Leptos single-page app rendered on the client.

mod api;
mod components;
mod create;
mod daemonsets;
mod drafts;
mod i18n;
mod keys;
mod lazy;
mod permissions;
mod pods;
mod schema;
mod session;
mod shell;
mod sign_in;
mod stream;
mod theme;
mod time;
mod usage;
mod watch;
mod yaml_problems;

use leptos::prelude::*;
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    path,
};
use session::RequireSignIn;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    i18n::provide();
    theme::provide();
    session::provide();
    view! {
        <Router>
            <Routes fallback=components::NotFound>
                <Route path=path!("/sign-in") view=sign_in::SignIn />
                <Route path=path!("/") view=|| view! { <Redirect path="/daemonsets" /> } />
                <Route
                    path=path!("/daemonsets")
                    view=|| view! { <RequireSignIn><daemonsets::DaemonSetList /></RequireSignIn> }
                />
                <Route
                    path=path!("/daemonsets/new")
                    view=|| view! { <RequireSignIn><create::CreateDaemonSet /></RequireSignIn> }
                />
                <Route
                    path=path!("/projects/:project/daemonsets")
                    view=|| view! { <RequireSignIn><daemonsets::DaemonSetList /></RequireSignIn> }
                />
                <Route
                    path=path!("/projects/:project/daemonsets/:name")
                    view=|| view! { <RequireSignIn><daemonsets::DaemonSetDetail /></RequireSignIn> }
                />
                <Route
                    path=path!("/projects/:project/pods/:pod")
                    view=|| view! { <RequireSignIn><pods::PodPage /></RequireSignIn> }
                />
                <Route
                    path=path!("/projects/:project/pods/:pod/containers/:container")
                    view=|| view! { <RequireSignIn><pods::ContainerPage /></RequireSignIn> }
                />
            </Routes>
        </Router>
    }
}
