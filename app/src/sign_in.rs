//! The sign-in page: a console account or a Kubernetes bearer token.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{
    api::{self, Credentials},
    components::{LanguageSwitch, ThemeSwitch},
    i18n::{Msg, use_i18n},
    keys,
    session::{SessionState, use_session},
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Method {
    Account,
    Token,
}

#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    // Only paths inside the console, so a crafted link cannot send the user elsewhere.
    let next = move || {
        query
            .read()
            .get("next")
            .filter(|next| next.starts_with('/') && !next.starts_with("//"))
            .unwrap_or_else(|| "/daemonsets".to_owned())
    };
    let expired = move || query.read().get("expired").is_some();

    let method = RwSignal::new(Method::Account);
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let missing = RwSignal::new(false);

    let submit = Action::new_local(|credentials: &Credentials| api::sign_in(credentials.clone()));
    Effect::new(move |_| {
        if let Some(Ok(info)) = submit.value().get() {
            session.state.set(SessionState::SignedIn(info));
        }
    });
    // Signed in (now, or already when the page opened): go where the user was going.
    Effect::new(move |_| {
        if matches!(session.state.get(), SessionState::SignedIn(_)) {
            navigate(&next(), Default::default());
        }
    });

    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let credentials = match method.get() {
            Method::Account => Credentials::Account {
                username: username.get().trim().to_owned(),
                password: password.get(),
            },
            Method::Token => Credentials::Token {
                token: token.get().trim().to_owned(),
            },
        };
        let empty = match &credentials {
            Credentials::Account { username, password } => {
                username.is_empty() || password.is_empty()
            }
            Credentials::Token { token } => token.is_empty(),
        };
        missing.set(empty);
        if !empty {
            submit.dispatch(credentials);
        }
    };
    let problem = move || {
        if missing.get() {
            return Some((Msg::FieldRequired, String::new()));
        }
        if submit.pending().get() {
            return None;
        }
        match submit.value().get() {
            Some(Err(error)) => Some((error.summary(), error.detail())),
            _ if expired() => Some((Msg::SessionEnded, String::new())),
            _ => None,
        }
    };
    let tab = move |which: Method, label: Msg| {
        view! {
            <button
                type="button"
                role="tab"
                aria-controls="sign-in-method"
                aria-selected=move || (method.get() == which).to_string()
                tabindex=move || if method.get() == which { "0" } else { "-1" }
                on:click=move |_| method.set(which)
            >
                {i18n.t(label)}
            </button>
        }
    };

    view! {
        <div class="sign-in-page">
            <div class="sign-in-corner"><LanguageSwitch /><ThemeSwitch /></div>
            <form class="sign-in-card" on:submit=on_submit novalidate>
                <p class="sign-in-product">{i18n.t(Msg::ProductName)}</p>
                <h1>{i18n.t(Msg::SignInTitle)}</h1>
                <p class="intro">{i18n.t(Msg::SignInIntro)}</p>
                <div class="tabs" role="tablist" on:keydown=keys::on_tablist_keydown>
                    {tab(Method::Account, Msg::SignInWithAccount)}
                    {tab(Method::Token, Msg::SignInWithToken)}
                </div>
                <div class="tab-fields" id="sign-in-method" role="tabpanel"
                    aria-label=move || i18n.t(if method.get() == Method::Account { Msg::SignInWithAccount } else { Msg::SignInWithToken })()>
                    <Show
                        when=move || method.get() == Method::Account
                        fallback=move || view! {
                            <label>
                                <span>{i18n.t(Msg::Token)}</span>
                                <textarea
                                    name="token"
                                    rows="5"
                                    spellcheck="false"
                                    autocomplete="off"
                                    prop:value=token
                                    on:input=move |ev| token.set(event_target_value(&ev))
                                ></textarea>
                            </label>
                            <p class="hint">{i18n.t(Msg::TokenHint)}</p>
                        }
                    >
                        <label>
                            <span>{i18n.t(Msg::Username)}</span>
                            <input
                                name="username"
                                autocomplete="username"
                                prop:value=username
                                on:input=move |ev| username.set(event_target_value(&ev))
                            />
                        </label>
                        <label>
                            <span>{i18n.t(Msg::Password)}</span>
                            <input
                                name="password"
                                type="password"
                                autocomplete="current-password"
                                prop:value=password
                                on:input=move |ev| password.set(event_target_value(&ev))
                            />
                        </label>
                    </Show>
                </div>
                <div class="form-problem" role="alert" aria-live="polite">
                    {move || problem().map(|(summary, detail)| view! {
                        <p>{i18n.t(summary)}</p>
                        {(!detail.is_empty()).then(|| view! { <p class="detail">{detail}</p> })}
                    })}
                </div>
                <button class="primary" type="submit" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { i18n.t(Msg::SigningIn)() } else { i18n.t(Msg::SignInButton)() }}
                </button>
            </form>
        </div>
    }
}
