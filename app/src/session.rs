//! Who is signed in, shared by every page, and the gate that sends everyone else to sign in.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::Redirect, hooks::use_location};

use crate::{
    api::{self, ApiError, Projects, SessionInfo},
    components::ErrorPanel,
    i18n::{Msg, use_i18n},
    shell::Shell,
};

#[derive(Clone, Debug, PartialEq)]
pub enum SessionState {
    /// Asking the server whether the cookie still holds a session.
    Checking,
    SignedIn(SessionInfo),
    SignedOut,
    /// The server could not say (unreachable); the user can retry.
    Unknown(ApiError),
}

/// The session and the projects its user may work in.
#[derive(Clone, Copy)]
pub struct Session {
    pub state: RwSignal<SessionState>,
    pub projects: LocalResource<Result<Projects, ApiError>>,
}

impl Session {
    /// Asks the server who is signed in.
    pub fn check(self) {
        self.state.set(SessionState::Checking);
        spawn_local(async move {
            self.state.set(match api::current_session().await {
                Ok(info) => SessionState::SignedIn(info),
                Err(error) if error.is_unauthorized() => SessionState::SignedOut,
                Err(error) => SessionState::Unknown(error),
            });
        });
    }

    pub fn user(self) -> Option<SessionInfo> {
        match self.state.get() {
            SessionState::SignedIn(info) => Some(info),
            _ => None,
        }
    }

    /// Who is signed in, for the records the console writes on objects (who paused, who
    /// started a canary); empty before the session is known.
    pub fn username(self) -> String {
        self.user().map(|user| user.username).unwrap_or_default()
    }
}

/// Installs the session context and starts the first check.
pub fn provide() {
    let state = RwSignal::new(SessionState::Checking);
    let projects = LocalResource::new(move || {
        let signed_in = matches!(state.get(), SessionState::SignedIn(_));
        async move {
            if signed_in {
                api::projects().await
            } else {
                Ok(Projects::default())
            }
        }
    });
    let session = Session { state, projects };
    provide_context(session);
    session.check();
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Where to send someone to sign in so that they come back here afterwards.
pub fn sign_in_href(next: &str, expired: bool) -> String {
    let next = String::from(js_sys::encode_uri_component(next));
    if expired {
        format!("/sign-in?expired=1&next={next}")
    } else {
        format!("/sign-in?next={next}")
    }
}

/// Renders `children` inside the console's frame for a signed-in user; sends anyone else to
/// the sign-in page, remembering where they were going.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let location = use_location();
    move || match session.state.get() {
        SessionState::Checking => {
            view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any()
        }
        SessionState::SignedIn(_) => {
            let page = children.clone();
            view! { <Shell>{page()}</Shell> }.into_any()
        }
        SessionState::SignedOut => {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            view! { <Redirect path=sign_in_href(&here, false) /> }.into_any()
        }
        SessionState::Unknown(error) => view! {
            <main class="page">
                <ErrorPanel error=error on_retry=Callback::new(move |()| session.check()) />
            </main>
        }
        .into_any(),
    }
}
