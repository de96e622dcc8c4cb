//! How usage is drawn: an amount against its request and limit, a sparkline of the last
//! minutes, the marks, and the one notice when usage cannot be shown.

use console_model::usage::{Bounds, Mark, format_cpu, format_memory, percent_of, sparkline_points};
use leptos::prelude::*;

use super::UsageState;
use crate::i18n::{Msg, use_i18n};

/// Which amount a figure shows, and how it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    Cpu,
    Memory,
}

impl Amount {
    pub fn format(self, amount: u64) -> String {
        match self {
            Amount::Cpu => format_cpu(amount),
            Amount::Memory => format_memory(amount),
        }
    }
}

/// `35m` with a bar against the limit (or, without one, against the request), a tick at the
/// request, and the bounds in words: `request 50m · limit 128Mi (54 %)`.
#[component]
pub fn UsageFigure(used: u64, bounds: Bounds, amount: Amount) -> impl IntoView {
    let i18n = use_i18n();
    let scale = bounds
        .limit
        .or(bounds.request.map(|request| request.max(used)));
    let share = |part: u64| {
        scale
            .and_then(|scale| percent_of(part, scale))
            .map(|p| p.min(100))
    };
    let fill = share(used).map(|width| format!("width: {width}%"));
    let tick = bounds
        .request
        .filter(|_| bounds.limit.is_some())
        .and_then(share);
    let bar = fill.map(|fill| {
        let tick = tick.map(|left| view! { <span class="usage-request" style=format!("left: {left}%")></span> });
        view! { <span class="usage-bar" aria-hidden="true"><span class="usage-fill" style=fill></span>{tick}</span> }
    });
    let request = bounds.request.map(|request| {
        view! { <span>{i18n.t(Msg::UsageRequest)} " " {amount.format(request)}</span> }
    });
    let limit = match bounds.limit {
        Some(limit) => {
            let percent = percent_of(used, limit)
                .map(|p| format!(" ({p} %)"))
                .unwrap_or_default();
            view! { <span>{i18n.t(Msg::UsageLimit)} " " {amount.format(limit)} {percent}</span> }
                .into_any()
        }
        None => view! { <span>{i18n.t(Msg::UsageNoLimit)}</span> }.into_any(),
    };
    view! {
        <span class="usage-figure">
            <span class="usage-amount">{amount.format(used)}</span>
            {bar}
            <span class="usage-bounds">{request} " · " {limit}</span>
        </span>
    }
}

/// The last minutes of one amount, zero at the bottom and `scale` (a limit, say) at the top.
#[component]
pub fn Sparkline(values: Vec<u64>, scale: u64, amount: Amount) -> impl IntoView {
    let i18n = use_i18n();
    let (width, height) = (60.0, 16.0);
    let points = sparkline_points(&values, scale, width, height);
    let words = values
        .iter()
        .map(|value| amount.format(*value))
        .collect::<Vec<_>>()
        .join(", ");
    let label = move || format!("{}: {words}", i18n.t(Msg::UsageHistory)());
    view! {
        <svg class="sparkline" viewBox=format!("0 0 {width} {height}") width=width height=height role="img" aria-label=label>
            <polyline points=points />
        </svg>
    }
}

/// The marks, most urgent first.
#[component]
pub fn MarkBadges(marks: Vec<Mark>) -> impl IntoView {
    let i18n = use_i18n();
    marks
        .into_iter()
        .map(|mark| {
            let (class, msg) = match mark {
                Mark::NearMemoryLimit => ("usage-mark bad", Msg::MarkNearMemoryLimit),
                Mark::AboveMemoryRequest => ("usage-mark warn", Msg::MarkAboveMemoryRequest),
                Mark::AboveCpuRequest => ("usage-mark warn", Msg::MarkAboveCpuRequest),
            };
            view! { <span class=class>{i18n.t(msg)}</span> }
        })
        .collect_view()
}

/// Says once, plainly, why usage is not shown; nothing while it is.
#[component]
pub fn UsageNotice(#[prop(into)] state: Signal<UsageState>) -> impl IntoView {
    let i18n = use_i18n();
    move || match state.get() {
        UsageState::Live => None,
        UsageState::Waiting => Some(
            view! { <p class="notice usage-notice" role="status">{i18n.t(Msg::UsageWaiting)}</p> },
        ),
        UsageState::Unavailable(why) => {
            Some(view! { <p class="notice usage-notice" role="status">{i18n.t(why)}</p> })
        }
    }
}
