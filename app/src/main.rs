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
    Lazy, LazyRoute,
    components::{Redirect, Route, Router, Routes},
    lazy_route, path,
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
                <Route path=path!("/daemonsets/new") view={Lazy::<CreatePage>::new()} />
                <Route
                    path=path!("/projects/:project/daemonsets")
                    view=|| view! { <RequireSignIn><daemonsets::DaemonSetList /></RequireSignIn> }
                />
                <Route path=path!("/projects/:project/daemonsets/:name") view={Lazy::<DetailPage>::new()} />
                <Route path=path!("/projects/:project/pods/:pod") view={Lazy::<PodPage>::new()} />
                <Route
                    path=path!("/projects/:project/pods/:pod/containers/:container")
                    view={Lazy::<ContainerPage>::new()}
                />
            </Routes>
        </Router>
    }
}

// The pages below load their code when first opened (build.sh splits the module at each): the
// list and sign-in, which most visits start with, are all the first download holds.
// `#[lazy_route]` needs one type per split point; this declares each in one line.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $($page:ident)::+) => {
        $(#[$doc])*
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_page: Self) -> AnyView {
                view! { <RequireSignIn><$($page)::+ /></RequireSignIn> }.into_any()
            }
        }
    };
}

lazy_page!(
    /// The wizard and the document model behind it.
    CreatePage => create::CreateDaemonSet
);
lazy_page!(
    /// A DaemonSet's page with its tabs, rollouts and edit YAML.
    DetailPage => daemonsets::DaemonSetDetail
);
lazy_page!(
    /// A pod's page with its containers and usage.
    PodPage => pods::PodPage
);
lazy_page!(
    /// A container's page with its log and terminal.
    ContainerPage => pods::ContainerPage
);
