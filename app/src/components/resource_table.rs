//! The one table every resource list uses: a page declares its columns, the table does the rest.

use std::sync::Arc;

use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};

/// One column: its header and how to draw a row's cell.
pub struct Column<Row> {
    pub header: Msg,
    /// CSS class for the header and cells, for widths and alignment.
    pub class: &'static str,
    pub cell: Arc<dyn Fn(&Row) -> AnyView + Send + Sync>,
}

impl<Row> Column<Row> {
    pub fn new(
        header: Msg,
        class: &'static str,
        cell: impl Fn(&Row) -> AnyView + Send + Sync + 'static,
    ) -> Self {
        Column {
            header,
            class,
            cell: Arc::new(cell),
        }
    }
}

impl<Row> Clone for Column<Row> {
    fn clone(&self) -> Self {
        Column {
            header: self.header,
            class: self.class,
            cell: Arc::clone(&self.cell),
        }
    }
}

#[component]
pub fn ResourceTable<Row>(
    rows: Vec<Row>,
    columns: Vec<Column<Row>>,
    /// What to say when there are no rows.
    empty: Msg,
) -> impl IntoView
where
    Row: Send + Sync + 'static,
{
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p class="empty">{i18n.t(empty)}</p> }.into_any();
    }
    let headers = columns
        .iter()
        .map(|column| view! { <th scope="col" class=column.class>{i18n.t(column.header)}</th> })
        .collect_view();
    let body = rows
        .iter()
        .map(|row| {
            let cells = columns
                .iter()
                .map(|column| view! { <td class=column.class>{(column.cell)(row)}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="resource-table">
            <thead>
                <tr>{headers}</tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
    .into_any()
}
