//! The one table every resource list uses: a page declares its columns, the table does the
//! rest: sorting by any sortable column, a remembered choice of columns, and virtual scrolling
//! (only the rows in view are in the page), so thousands of rows stay smooth. Drawn rows are
//! reused: a row that scrolls out hands its `<tr>` to one that scrolls in, whose cells are
//! updated in place, and a change to one row updates only that row's cells.

use std::{
    cmp::Ordering,
    collections::{HashMap, HashSet},
    sync::Arc,
};

use leptos::prelude::*;

use crate::i18n::{Lang, Msg, use_i18n};

type Cell<Row> = Arc<dyn Fn(Shown<Row>) -> AnyView + Send + Sync>;
type Compare<Row> = Arc<dyn Fn(&Row, &Row) -> Ordering + Send + Sync>;

/// One column: its header, how to draw a row's cell, and how to order rows by it.
pub struct Column<Row: Send + Sync + 'static> {
    pub header: Msg,
    /// CSS class for the header and cells, for widths and alignment.
    pub class: &'static str,
    /// Draws the cell of one drawn row, given what that row shows as it changes.
    cell: Cell<Row>,
    pub compare: Option<Compare<Row>>,
}

impl<Row: Clone + PartialEq + Send + Sync + 'static> Column<Row> {
    /// A column whose cell is drawn from the row's value, and updated in place when that row
    /// changes or its `<tr>` goes to another row.
    pub fn new(
        header: Msg,
        class: &'static str,
        cell: impl Fn(&Row) -> AnyView + Send + Sync + 'static,
    ) -> Self {
        let cell = Arc::new(cell);
        Self::with_cell(header, class, move |shown: Shown<Row>| {
            let cell = Arc::clone(&cell);
            (move || shown.value.with(|row| cell(row))).into_any()
        })
    }

    /// A column whose cell is drawn once for each row it shows and reads the row's current
    /// value itself: for cells with state of their own (an open menu) that a change to the row
    /// must not reset. Drawn again when its `<tr>` goes to another row.
    pub fn live(
        header: Msg,
        class: &'static str,
        cell: impl Fn(Memo<Row>) -> AnyView + Send + Sync + 'static,
    ) -> Self {
        let cell = Arc::new(cell);
        Self::with_cell(header, class, move |shown: Shown<Row>| {
            let cell = Arc::clone(&cell);
            (move || {
                // Read, not just tracked: a memo follows its own sources only once computed.
                shown.key.with(|_| ());
                untrack(|| cell(shown.value))
            })
            .into_any()
        })
    }

    fn with_cell(
        header: Msg,
        class: &'static str,
        cell: impl Fn(Shown<Row>) -> AnyView + Send + Sync + 'static,
    ) -> Self {
        Column {
            header,
            class,
            cell: Arc::new(cell),
            compare: None,
        }
    }
}

impl<Row: Send + Sync + 'static> Column<Row> {
    /// Makes the column sortable by `key`.
    pub fn sort_by<K: Ord>(mut self, key: impl Fn(&Row) -> K + Send + Sync + 'static) -> Self {
        self.compare = Some(Arc::new(move |a, b| key(a).cmp(&key(b))));
        self
    }
}

impl<Row: Send + Sync + 'static> Clone for Column<Row> {
    fn clone(&self) -> Self {
        Column {
            header: self.header,
            class: self.class,
            cell: Arc::clone(&self.cell),
            compare: self.compare.clone(),
        }
    }
}

/// Every row is this tall, so the table knows which rows are in view from the scroll offset.
pub const ROW_HEIGHT: f64 = 52.0;
/// Rows drawn beyond the visible ones, so fast scrolling does not show blanks.
const OVERSCAN: usize = 4;

#[component]
pub fn ResourceTable<Row>(
    #[prop(into)] rows: Signal<Vec<Row>>,
    /// What tells rows apart (`namespace/name`): a row keeps its `<tr>` by it while in view.
    key: fn(&Row) -> String,
    columns: Vec<Column<Row>>,
    /// What to say when there are no rows.
    empty: Msg,
    /// Which columns are hidden (by header), chosen by the user.
    hidden: RwSignal<Vec<Msg>>,
    /// A class of the table's own, beside `resource-table`.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView
where
    Row: Clone + PartialEq + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let columns = Arc::new(columns);
    let sort = RwSignal::new(None::<(usize, bool)>);
    let scroll_top = RwSignal::new(0.0);
    // The scroller's own height once a scroll has told it; the window's until then (and after
    // a resize), which is never less.
    let viewport = RwSignal::new(window_height());
    window_event_listener(leptos::ev::resize, move |_| viewport.set(window_height()));
    let on_scroll = move |event: leptos::ev::Event| {
        let scroller = event_target::<web_sys::Element>(&event);
        scroll_top.set(scroller.scroll_top() as f64);
        viewport.set(scroller.client_height() as f64);
    };

    let sorted = {
        let columns = Arc::clone(&columns);
        Memo::new(move |_| {
            let mut rows = rows.get();
            if let Some((index, ascending)) = sort.get()
                && let Some(compare) = &columns[index].compare
            {
                rows.sort_by(|a, b| {
                    if ascending {
                        compare(a, b)
                    } else {
                        compare(b, a)
                    }
                });
            }
            rows
        })
    };
    // The rows in view, by index: scrolling within one row changes nothing.
    let window = Memo::new(move |_| {
        let len = sorted.with(Vec::len);
        let first = ((scroll_top.get() / ROW_HEIGHT) as usize)
            .saturating_sub(OVERSCAN)
            .min(len);
        let count = (viewport.get() / ROW_HEIGHT) as usize + 2 * OVERSCAN;
        Window {
            first,
            last: (first + count).min(len),
            len,
        }
    });
    let slots = Memo::new(move |previous: Option<&Vec<Slot<Row>>>| {
        let Window { first, last, .. } = window.get();
        sorted.with(|rows| {
            let visible = rows[first..last].iter().map(|row| (key(row), row.clone()));
            assign_slots(previous.map_or(&[], Vec::as_slice), visible)
        })
    });
    let visible_columns = {
        let columns = Arc::clone(&columns);
        move || {
            let hidden = hidden.get();
            columns
                .iter()
                .enumerate()
                .filter(|(_, c)| !hidden.contains(&c.header))
                .map(|(i, c)| (i, c.clone()))
                .collect::<Vec<_>>()
        }
    };
    let headers = {
        let visible_columns = visible_columns.clone();
        move || {
            visible_columns()
                .into_iter()
                .map(|(index, column)| {
                    let sortable = column.compare.is_some();
                    let state = move || match sort.get() {
                        Some((i, true)) if i == index => "ascending",
                        Some((i, false)) if i == index => "descending",
                        _ => "none",
                    };
                    let toggle = move |_| {
                        sort.update(|sort| {
                            *sort = match *sort {
                                Some((i, true)) if i == index => Some((index, false)),
                                Some((i, false)) if i == index => None,
                                _ => Some((index, true)),
                            }
                        })
                    };
                    view! {
                        <th scope="col" class=column.class aria-sort=state>
                            {if sortable {
                                view! { <button type="button" class="sort" on:click=toggle>{i18n.t(column.header)}</button> }.into_any()
                            } else {
                                i18n.t(column.header).into_any()
                            }}
                        </th>
                    }
                })
                .collect_view()
        }
    };
    // Showing or hiding a column draws the rows again; nothing else does.
    let body = move || {
        let columns = visible_columns();
        let span = columns.len();
        let row_view = move |(id, first): (usize, Slot<Row>)| {
            // What this <tr> shows now. A <tr> on its way out keeps its last row.
            let slot = Memo::new(move |previous: Option<&Slot<Row>>| {
                slots
                    .with(|slots| slots.iter().find(|slot| slot.id == id).cloned())
                    .or_else(|| previous.cloned())
                    .unwrap_or_else(|| first.clone())
            });
            let shown = Shown {
                key: Memo::new(move |_| slot.with(|slot| slot.key.clone())),
                value: Memo::new(move |_| slot.with(|slot| slot.row.clone())),
            };
            let cells = columns
                .iter()
                .map(|(_, column)| view! { <td class=column.class><div class="cell">{(column.cell)(shown)}</div></td> })
                .collect_view();
            view! { <tr class="row">{cells}</tr> }
        };
        view! {
            <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", window.get().above())><td colspan=span></td></tr>
            <For each=move || slots.get().into_iter().map(|slot| (slot.id, slot)) key=|(id, _)| *id children=row_view />
            <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", window.get().below())><td colspan=span></td></tr>
        }
    };
    view! {
        <Show
            when=move || !rows.with(Vec::is_empty)
            fallback=move || view! { <p class="empty">{i18n.t(empty)}</p> }
        >
            <div class="table-viewport" on:scroll=on_scroll>
                <table class=format!("resource-table {class}")>
                    <thead>
                        <tr>{headers.clone()}</tr>
                    </thead>
                    <tbody>{body.clone()}</tbody>
                </table>
            </div>
        </Show>
    }
}

/// What a drawn row's cells see: which row it shows (its key) and that row's current value.
struct Shown<Row: Send + Sync + 'static> {
    key: Memo<String>,
    value: Memo<Row>,
}

impl<Row: Send + Sync + 'static> Clone for Shown<Row> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Row: Send + Sync + 'static> Copy for Shown<Row> {}

/// One drawn `<tr>` (by `id`) and the row it shows.
#[derive(Clone, PartialEq)]
struct Slot<Row> {
    id: usize,
    key: String,
    row: Row,
}

/// Gives each visible row a `<tr>`: the one it had if it was visible before, else one that a
/// row no longer visible gave up, else a new one.
fn assign_slots<Row>(
    previous: &[Slot<Row>],
    visible: impl Iterator<Item = (String, Row)>,
) -> Vec<Slot<Row>> {
    let visible: Vec<(String, Row)> = visible.collect();
    let staying: HashSet<&str> = visible.iter().map(|(key, _)| key.as_str()).collect();
    let kept: HashMap<&str, usize> = previous
        .iter()
        .map(|slot| (slot.key.as_str(), slot.id))
        .collect();
    let given_up: Vec<usize> = previous
        .iter()
        .filter(|slot| !staying.contains(slot.key.as_str()))
        .map(|slot| slot.id)
        .collect();
    let mut given_up = given_up.into_iter();
    let mut next_id = previous.iter().map(|slot| slot.id + 1).max().unwrap_or(0);
    let mut new_id = || {
        next_id += 1;
        next_id - 1
    };
    visible
        .into_iter()
        .map(|(key, row)| Slot {
            id: kept
                .get(key.as_str())
                .copied()
                .or_else(|| given_up.next())
                .unwrap_or_else(&mut new_id),
            key,
            row,
        })
        .collect()
}

/// Which of the sorted rows are drawn: `first..last` of `len`.
#[derive(Clone, Copy, PartialEq)]
struct Window {
    first: usize,
    last: usize,
    len: usize,
}

impl Window {
    /// The height of the rows above the drawn ones, which the top spacer stands in for.
    fn above(self) -> f64 {
        self.first as f64 * ROW_HEIGHT
    }

    fn below(self) -> f64 {
        (self.len - self.last) as f64 * ROW_HEIGHT
    }
}

fn window_height() -> f64 {
    web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0)
}

/// The hidden columns of a table, remembered in local storage under `storage_key` by their
/// English headers (a stable name that needs no table of every message's identifier).
pub fn remembered_hidden_columns(storage_key: &'static str, all: &[Msg]) -> RwSignal<Vec<Msg>> {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    let saved = storage
        .as_ref()
        .and_then(|s| s.get_item(storage_key).ok().flatten())
        .unwrap_or_default();
    let hidden: Vec<Msg> = all
        .iter()
        .copied()
        .filter(|msg| saved.split(',').any(|name| name == msg.text(Lang::En)))
        .collect();
    let hidden = RwSignal::new(hidden);
    Effect::new(move |_| {
        let names: Vec<&str> = hidden.get().iter().map(|msg| msg.text(Lang::En)).collect();
        if let Some(storage) = &storage {
            let _ = storage.set_item(storage_key, &names.join(","));
        }
    });
    hidden
}

/// A menu of checkboxes that hides and shows columns.
#[component]
pub fn ColumnChooser(all: Vec<Msg>, hidden: RwSignal<Vec<Msg>>) -> impl IntoView {
    let i18n = use_i18n();
    let boxes = all
        .into_iter()
        .map(|header| {
            let toggle = move |_| {
                hidden.update(|hidden| {
                    if let Some(at) = hidden.iter().position(|h| *h == header) {
                        hidden.remove(at);
                    } else {
                        hidden.push(header);
                    }
                })
            };
            view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || !hidden.get().contains(&header) on:change=toggle />
                    <span>{i18n.t(header)}</span>
                </label>
            }
        })
        .collect_view();
    let chooser = NodeRef::<leptos::html::Details>::new();
    let summary = NodeRef::<leptos::html::Summary>::new();
    // Escape closes it, as it closes every other pop-up, and leaves focus on its button.
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if let (Some(chooser), Some(summary)) = (chooser.get_untracked(), summary.get_untracked())
            && event.key() == "Escape"
            && chooser.open()
        {
            event.prevent_default();
            chooser.set_open(false);
            let _ = summary.focus();
        }
    };
    view! {
        <details class="column-chooser" node_ref=chooser on:keydown=on_keydown>
            <summary node_ref=summary>{i18n.t(Msg::Columns)}</summary>
            <div class="menu" role="group" aria-label=i18n.t(Msg::Columns)>{boxes}</div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::{Slot, assign_slots};

    fn visible(keys: &[&'static str]) -> impl Iterator<Item = (String, &'static str)> {
        keys.iter().map(|key| (key.to_string(), *key))
    }

    fn ids(slots: &[Slot<&'static str>]) -> Vec<(usize, &'static str)> {
        slots.iter().map(|slot| (slot.id, slot.row)).collect()
    }

    #[test]
    fn the_first_rows_get_new_trs_in_order() {
        let slots = assign_slots(&[], visible(&["a", "b", "c"]));
        assert_eq!(ids(&slots), [(0, "a"), (1, "b"), (2, "c")]);
    }

    #[test]
    fn scrolling_keeps_the_trs_of_rows_still_in_view_and_gives_the_others_to_rows_coming_in() {
        let before = assign_slots(&[], visible(&["a", "b", "c", "d"]));
        let after = assign_slots(&before, visible(&["c", "d", "e", "f"]));
        assert_eq!(ids(&after), [(2, "c"), (3, "d"), (0, "e"), (1, "f")]);
    }

    #[test]
    fn a_row_inserted_above_keeps_every_other_row_in_its_tr() {
        let before = assign_slots(&[], visible(&["b", "c", "d"]));
        let after = assign_slots(&before, visible(&["a", "b", "c"]));
        assert_eq!(ids(&after), [(2, "a"), (0, "b"), (1, "c")]);
    }

    #[test]
    fn more_rows_in_view_than_before_get_new_trs() {
        let before = assign_slots(&[], visible(&["a"]));
        let after = assign_slots(&before, visible(&["a", "b"]));
        assert_eq!(ids(&after), [(0, "a"), (1, "b")]);
    }
}
