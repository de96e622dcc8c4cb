//! A DaemonSet's status as a coloured word with its ready/desired numbers, and who stopped it
//! when the console did.

use console_model::{DaemonSetRow, RolloutStatus};
use leptos::prelude::*;

use crate::{
    i18n::{Msg, use_i18n},
    time::age_of,
};

#[component]
pub fn StatusBadge(row: DaemonSetRow) -> impl IntoView {
    let i18n = use_i18n();
    let counts = row.counts;
    let (class, word) = match row.status() {
        RolloutStatus::Running => ("status status-running", Msg::StatusRunning),
        RolloutStatus::Updating => ("status status-updating", Msg::StatusUpdating),
        RolloutStatus::Stopped => ("status status-stopped", Msg::StatusStopped),
        RolloutStatus::Degraded => ("status status-degraded", Msg::StatusDegraded),
    };
    let reason = row.stopped.map(|record| {
        let text = move || {
            i18n.t(Msg::StoppedBy)()
                .replace("{by}", &record.by)
                .replace("{age}", &age_of(&record.at))
        };
        view! { <span class="status-reason">{text}</span> }
    });
    view! {
        <span class=class>
            <span class="status-dot" aria-hidden="true"></span>
            <span class="status-word">{i18n.t(word)}</span>
            <span class="status-counts">{format!("{}/{}", counts.ready, counts.desired)}</span>
            {reason}
        </span>
    }
}
