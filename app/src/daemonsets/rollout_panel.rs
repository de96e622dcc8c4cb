//! The rollout panel at the top of the DaemonSet page while a rollout is under way: how far it
//! has come, what holds it, the revisions it moves between, and the template diff one click
//! away.

use std::collections::BTreeSet;

use console_model::rollout::{NodeState, Progress, Revisions, Wait};
use leptos::prelude::*;
use leptos_router::components::A;

use super::{owned::LiveRollout, rollout_words::describe_state};
use crate::i18n::{Msg, use_i18n};

#[component]
pub fn RolloutPanel(rollout: LiveRollout) -> impl IntoView {
    let i18n = use_i18n();
    let LiveRollout {
        rows, revisions, ..
    } = rollout;
    move || {
        let rows = rows.get();
        let progress = Progress::of(&rows);
        if progress.desired == 0 || progress.done() {
            return None;
        }
        let current = revisions.with(|revisions| Revisions::new(revisions).current_number())?;
        let from: BTreeSet<i64> = rows
            .iter()
            .filter(|row| row.state != NodeState::Excluded && !row.on_current())
            .filter_map(|row| row.pod.as_ref()?.revision.number)
            .collect();
        let lang = i18n.lang.get();
        let counts = Msg::RolloutProgress
            .text(lang)
            .replace("{current}", &progress.current.to_string())
            .replace("{desired}", &progress.desired.to_string())
            .replace("{revision}", &format!("#{current}"))
            .replace("{available}", &progress.available.to_string());
        let from_to = from.iter().next_back().map(|newest_old| {
            let from_text = from
                .iter()
                .map(|n| format!("#{n}"))
                .collect::<Vec<_>>()
                .join(", ");
            let text = Msg::RolloutFromTo
                .text(lang)
                .replace("{from}", &from_text)
                .replace("{to}", &format!("#{current}"));
            let href = format!("?tab=revisions&from={newest_old}&to={current}");
            view! { <p>{text} " · " <A href=href>{i18n.t(Msg::CompareTemplates)}</A></p> }
        });
        // The nodes that block: a new pod that does not become available, or the pause.
        let blocking = rows.iter().filter(|row| {
            matches!(
                row.state,
                NodeState::Starting(_)
                    | NodeState::Waiting(
                        Wait::NewPodPending(_) | Wait::Paused { .. } | Wait::OnDelete
                    )
            )
        });
        let waiting = rows
            .iter()
            .filter(|row| {
                matches!(
                    row.state,
                    NodeState::Waiting(Wait::Held { .. } | Wait::Turn { .. })
                )
            })
            .count();
        let blockers = blocking
            .filter_map(|row| {
                let (class, text) = describe_state(&row.state, lang)?;
                Some(view! { <li><code>{row.node.clone()}</code> " " <span class=class>{text}</span></li> })
            })
            .take(10)
            .collect_view();
        let waiting = (waiting > 0).then(|| {
            view! { <p class="muted">{Msg::RolloutWaiting.text(lang).replace("{count}", &waiting.to_string())}</p> }
        });
        Some(view! {
            <section class="rollout-panel" aria-label=i18n.t(Msg::RolloutUnderWay)>
                <h2>{i18n.t(Msg::RolloutUnderWay)}</h2>
                <p class="rollout-counts">{counts}</p>
                <progress max=progress.desired.to_string() value=progress.current.to_string()></progress>
                {from_to}
                <h3>{i18n.t(Msg::RolloutBlockers)}</h3>
                <ul class="blockers">{blockers}</ul>
                {waiting}
            </section>
        })
    }
}
