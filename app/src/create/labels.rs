//! Step 4, labels: the DaemonSet's labels, which its pods carry and its selector matches.

use leptos::prelude::*;

use super::{
    Wizard,
    fields::{daemon_set, field, pairs_field},
};
use crate::i18n::{Msg, use_i18n};

pub fn step(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let follows = move || {
        wizard
            .form
            .with(|form| form.daemon_set.selector_follows_labels)
    };
    view! {
        <p class="hint">
            {move || if follows() { i18n.t(Msg::SelectorFollowsLabels)() } else { i18n.t(Msg::SelectorKept)() }}
        </p>
        {pairs_field(wizard, Msg::AddLabel, field!(daemon_set(), labels))}
        {super::fields::problem_at(wizard, field!(daemon_set(), selector_follows_labels).path().clone())}
    }
}
