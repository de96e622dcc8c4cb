//! Columns that several tables share, declared once (as Headlamp declares its name and age
//! columns): each has the same header, cell and order wherever it appears.

use std::fmt::Display;

use leptos::prelude::*;

use super::Column;
use crate::{i18n::Msg, time::age_of};

/// How long ago `created` (RFC 3339) was, with the time itself on hover. RFC 3339 times sort as
/// text, so newest first is "descending".
pub fn age<Row>(
    header: Msg,
    created: impl Fn(&Row) -> Option<String> + Copy + Send + Sync + 'static,
) -> Column<Row>
where
    Row: Clone + PartialEq + Send + Sync + 'static,
{
    Column::new(header, "col-age", move |row: &Row| {
        let created = created(row).unwrap_or_default();
        let age = age_of(&created);
        view! { <span title=created>{age}</span> }.into_any()
    })
    .sort_by(created)
}

/// A count, right-aligned and sorted by value.
pub fn count<Row, N>(
    header: Msg,
    value: impl Fn(&Row) -> N + Copy + Send + Sync + 'static,
) -> Column<Row>
where
    Row: Clone + PartialEq + Send + Sync + 'static,
    N: Display + Ord,
{
    Column::new(header, "col-number", move |row: &Row| {
        value(row).to_string().into_any()
    })
    .sort_by(value)
}

/// The images the row runs, one per line.
pub fn images<Row>(
    header: Msg,
    images: impl Fn(&Row) -> Vec<String> + Copy + Send + Sync + 'static,
) -> Column<Row>
where
    Row: Clone + PartialEq + Send + Sync + 'static,
{
    Column::new(header, "col-images", move |row: &Row| {
        images(row)
            .into_iter()
            .map(|image| view! { <code class="image">{image}</code> })
            .collect_view()
            .into_any()
    })
    .sort_by(images)
}

/// The node the row's pod is on.
pub fn node<Row>(node: impl Fn(&Row) -> String + Copy + Send + Sync + 'static) -> Column<Row>
where
    Row: Clone + PartialEq + Send + Sync + 'static,
{
    Column::new(Msg::Node, "col-node", move |row: &Row| node(row).into_any()).sort_by(node)
}

/// The row's name as a link to its own page, with what else names it (an alias, a container)
/// beside it; sorted by name.
pub fn name<Row>(
    header: Msg,
    link: impl Fn(&Row) -> (String, String) + Copy + Send + Sync + 'static,
    beside: impl Fn(&Row) -> Option<AnyView> + Send + Sync + 'static,
) -> Column<Row>
where
    Row: Clone + PartialEq + Send + Sync + 'static,
{
    Column::new(header, "col-name", move |row: &Row| {
        let (href, name) = link(row);
        view! { <a href=href class="name">{name}</a> {beside(row)} }.into_any()
    })
    .sort_by(move |row| link(row).1)
}

/// A pod's name as a link to its page (from its project and name), with what else `beside` it.
pub fn pod<Row>(
    pod: impl Fn(&Row) -> (String, String) + Copy + Send + Sync + 'static,
    beside: impl Fn(&Row) -> Option<AnyView> + Send + Sync + 'static,
) -> Column<Row>
where
    Row: Clone + PartialEq + Send + Sync + 'static,
{
    name(
        Msg::ColumnName,
        move |row: &Row| {
            let (project, name) = pod(row);
            (format!("/projects/{project}/pods/{name}"), name)
        },
        beside,
    )
}
