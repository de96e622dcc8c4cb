use leptos::{prelude::*, task::spawn_local};

use crate::{
    api,
    i18n::{Msg, use_i18n},
    session::{SessionState, use_session},
};

/// The signed-in user's name and the way out.
#[component]
pub fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sign_out = move |_| {
        spawn_local(async move {
            // The cookie is gone either way once the server answers; if it did not, the
            // session still ends for this page, and the next request will say so.
            let _ = api::sign_out().await;
            session.state.set(SessionState::SignedOut);
        });
    };
    view! {
        <div class="user-menu">
            <span class="user" title=i18n.t(Msg::SignedInAs)>
                {move || session.user().map(|user| user.username).unwrap_or_default()}
            </span>
            <button type="button" on:click=sign_out>{i18n.t(Msg::SignOut)}</button>
        </div>
    }
}
