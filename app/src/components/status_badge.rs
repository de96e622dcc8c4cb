//! A DaemonSet's status as a coloured word with its ready/desired numbers.

use console_model::{DaemonSetCounts, RolloutStatus};
use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};

#[component]
pub fn StatusBadge(counts: DaemonSetCounts) -> impl IntoView {
    let i18n = use_i18n();
    let (class, word) = match counts.status() {
        RolloutStatus::Running => ("status status-running", Msg::StatusRunning),
        RolloutStatus::Updating => ("status status-updating", Msg::StatusUpdating),
        RolloutStatus::Stopped => ("status status-stopped", Msg::StatusStopped),
        RolloutStatus::Degraded => ("status status-degraded", Msg::StatusDegraded),
    };
    view! {
        <span class=class>
            <span class="status-dot" aria-hidden="true"></span>
            <span class="status-word">{i18n.t(word)}</span>
            <span class="status-counts">{format!("{}/{}", counts.ready, counts.desired)}</span>
        </span>
    }
}
