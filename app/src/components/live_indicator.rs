use leptos::prelude::*;

use crate::{
    i18n::{Msg, use_i18n},
    watch::LiveState,
};

/// Says whether a list is live, and when it is not, that it is reconnecting and why.
#[component]
pub fn LiveIndicator(state: RwSignal<LiveState>, count: Signal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    move || match state.get() {
        LiveState::Live => view! {
            <p class="live live-on" role="status">
                <span class="live-dot" aria-hidden="true"></span>
                {i18n.t(Msg::LiveUpdates)} " · " {move || count.get()}
            </p>
        }
        .into_any(),
        LiveState::Reconnecting { attempt, error } => view! {
            <p class="live live-off" role="status" title=error.detail()>
                <span class="live-dot" aria-hidden="true"></span>
                {i18n.t(Msg::Reconnecting)} {format!(" ({attempt})")}
            </p>
        }
        .into_any(),
        LiveState::Loading | LiveState::Failed(_) => ().into_any(),
    }
}
