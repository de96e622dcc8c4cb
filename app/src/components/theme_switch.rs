use leptos::prelude::*;

use crate::{
    i18n::{Msg, use_i18n},
    theme::{ThemeChoice, use_theme},
};

/// Buttons that choose the colour theme: the system's, light or dark.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let theme = use_theme();
    view! {
        <div class="switch theme-switch" role="group" aria-label=i18n.t(Msg::Theme)>
            {ThemeChoice::ALL
                .into_iter()
                .map(|choice| {
                    view! {
                        <button
                            type="button"
                            aria-pressed=move || (theme.choice() == choice).to_string()
                            on:click=move |_| theme.choose(choice)
                        >
                            {i18n.t(choice.label())}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
