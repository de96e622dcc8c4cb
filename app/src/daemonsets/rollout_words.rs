//! A node's place in the rollout, said in the user's language: the nodes tab and the rollout
//! panel say it the same way.

use console_model::rollout::{NodeState, NotAvailable, Wait};

use crate::{
    i18n::{Lang, Msg},
    time::age_of,
};

/// The CSS class and the sentence for a node's state; `None` for a node that runs no pod.
pub fn describe_state(state: &NodeState, lang: Lang) -> Option<(&'static str, String)> {
    let text = |msg: Msg| msg.text(lang).to_owned();
    let with_detail =
        |msg: Msg, why: &NotAvailable| format!("{} {}", text(msg), not_available(why, lang));
    Some(match state {
        NodeState::Excluded => return None,
        NodeState::Current => ("rollout ok", text(Msg::RolloutCurrent)),
        NodeState::Starting(why) => ("rollout bad", with_detail(Msg::RolloutStarting, why)),
        NodeState::Missing => ("rollout moving", text(Msg::RolloutMissing)),
        NodeState::Replacing => ("rollout moving", text(Msg::RolloutReplacing)),
        NodeState::Waiting(wait) => match wait {
            Wait::Paused { by, since } => (
                "rollout paused",
                text(Msg::WaitPaused)
                    .replace("{by}", by)
                    .replace("{age}", &age_of(since)),
            ),
            Wait::OnDelete => ("rollout paused", text(Msg::WaitOnDelete)),
            Wait::NewPodPending(why) => ("rollout bad", with_detail(Msg::WaitNewPodPending, why)),
            Wait::ReplacedFirst => ("rollout moving", text(Msg::WaitReplacedFirst)),
            Wait::Next => ("rollout moving", text(Msg::WaitNext)),
            Wait::Turn { at_a_time } => (
                "rollout waiting",
                text(Msg::WaitTurn).replace("{count}", &at_a_time.to_string()),
            ),
            Wait::Held {
                limit,
                value,
                in_flight,
            } => (
                "rollout waiting",
                text(Msg::WaitHeld)
                    .replace("{limit}", limit)
                    .replace("{value}", &value.to_string())
                    .replace("{pods}", &in_flight.join(", ")),
            ),
        },
    })
}

fn not_available(why: &NotAvailable, lang: Lang) -> String {
    match why {
        NotAvailable::Pending(reason) => Msg::NotAvailablePending
            .text(lang)
            .replace("{reason}", reason),
        NotAvailable::NotReady => Msg::NotAvailableNotReady.text(lang).to_owned(),
        NotAvailable::MinReady { seconds_left } => Msg::NotAvailableMinReady
            .text(lang)
            .replace("{seconds}", &seconds_left.to_string()),
    }
}
