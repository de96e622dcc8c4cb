//! The columns every usage table shares (the DaemonSet's usage tab, the pod and container
//! pages): what a pod or container uses against its requests and limits, its last minutes, and
//! its marks; "—" until it is measured.

use console_model::usage::{Bounds, ContainerBounds, Mark, Usage, marks};
use leptos::prelude::*;

use super::{Amount, MarkBadges, Sparkline, UsageFigure};
use crate::{components::Column, i18n::Msg};

/// What one pod or container uses, against what it asks for; `usage` is `None` until measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured {
    pub usage: Option<Usage>,
    pub bounds: ContainerBounds,
    pub marks: Vec<Mark>,
    /// Its samples while the page is open, oldest first.
    pub history: Vec<Usage>,
}

impl Measured {
    pub fn new(usage: Option<Usage>, bounds: ContainerBounds, history: Vec<Usage>) -> Self {
        Measured {
            marks: usage.map(|usage| marks(usage, &bounds)).unwrap_or_default(),
            usage,
            bounds,
            history,
        }
    }
}

/// A row of a usage table.
pub trait MeasuredRow: Clone + PartialEq + Send + Sync + 'static {
    fn measured(&self) -> &Measured;
}

/// One amount against its request and limit (a bar, and the words).
pub fn figure_column<Row: MeasuredRow>(amount: Amount) -> Column<Row> {
    let header = match amount {
        Amount::Cpu => Msg::UsageCpu,
        Amount::Memory => Msg::UsageMemory,
    };
    Column::new(header, "col-usage", move |row: &Row| {
        let measured = row.measured();
        let Some(usage) = measured.usage else {
            return "—".into_any();
        };
        let (used, bounds) = (used(amount, usage), bounds_of(amount, &measured.bounds));
        view! { <UsageFigure used=used bounds=bounds amount=amount /> }.into_any()
    })
    .sort_by(move |row| row.measured().usage.map(|usage| used(amount, usage)))
}

/// Sparklines of both amounts over the last minutes, to the limit (else the request) as top.
pub fn history_column<Row: MeasuredRow>() -> Column<Row> {
    Column::new(Msg::UsageHistory, "col-history", |row: &Row| {
        let measured = row.measured();
        let [cpu, memory] = [Amount::Cpu, Amount::Memory].map(|amount| {
            let values: Vec<u64> = measured
                .history
                .iter()
                .map(|usage| used(amount, *usage))
                .collect();
            let scale = scale(bounds_of(amount, &measured.bounds));
            view! { <Sparkline values=values scale=scale amount=amount /> }
        });
        view! { <span class="sparklines">{cpu}{memory}</span> }.into_any()
    })
}

/// Near the memory limit, above the request.
pub fn marks_column<Row: MeasuredRow>() -> Column<Row> {
    Column::new(Msg::UsageMarks, "col-marks", |row: &Row| {
        view! { <MarkBadges marks=row.measured().marks.clone() /> }.into_any()
    })
    // Rows with the most urgent mark first; the sort's other direction puts them last.
    .sort_by(|row| {
        row.measured()
            .marks
            .first()
            .map_or(u8::MAX, |mark| *mark as u8)
    })
}

fn used(amount: Amount, usage: Usage) -> u64 {
    match amount {
        Amount::Cpu => usage.cpu_nanocores,
        Amount::Memory => usage.memory_bytes,
    }
}

fn bounds_of(amount: Amount, bounds: &ContainerBounds) -> Bounds {
    match amount {
        Amount::Cpu => bounds.cpu,
        Amount::Memory => bounds.memory,
    }
}

/// A sparkline's top: the limit, else the request, else its own largest value.
fn scale(bounds: Bounds) -> u64 {
    bounds.limit.or(bounds.request).unwrap_or(0)
}
