use console_model::k8s::{Event, Object};
use leptos::prelude::*;

use super::{Column, ErrorPanel, ResourceTable, columns};
use crate::{
    i18n::Msg,
    watch::{LiveState, live_list},
};

/// The live events about one object, newest first.
#[component]
pub fn EventsTable(namespace: String, involved_name: String) -> impl IntoView {
    let field = format!("fieldSelector=involvedObject.name%3D{involved_name}");
    let live = live_list(
        format!("/api/v1/namespaces/{namespace}/events"),
        field,
        |event: Event| event,
    );
    let rows = Signal::derive(move || {
        let mut events: Vec<Event> = live.items.with(|events| events.values().cloned().collect());
        events.sort_by(|a, b| b.last_seen().cmp(&a.last_seen()));
        events
    });
    let hidden = RwSignal::new(Vec::new());
    let columns = vec![
        Column::new(Msg::EventType, "col-type", |event: &Event| {
            let class = if event.kind == "Warning" {
                "pod-status bad"
            } else {
                "pod-status ok"
            };
            view! { <span class=class>{event.kind.clone()}</span> }.into_any()
        }),
        Column::new(Msg::Reason, "col-reason", |event: &Event| {
            event.reason.clone().into_any()
        })
        .sort_by(|e: &Event| e.reason.clone()),
        Column::new(Msg::Message, "col-message", |event: &Event| {
            event.message.clone().into_any()
        }),
        columns::count(Msg::Count, |event: &Event| event.count.unwrap_or(1)),
        columns::age(Msg::LastSeen, |event: &Event| {
            event.last_seen().map(str::to_owned)
        }),
    ];
    view! {
        {move || match live.state.get() {
            LiveState::Failed(error) => view! { <ErrorPanel error=error on_retry=Callback::new(|()| ()) /> }.into_any(),
            _ => ().into_any(),
        }}
        <ResourceTable rows=rows key=Event::key columns=columns empty=Msg::NoEvents hidden=hidden />
    }
}
