//! DaemonSet pages.

mod list;

pub use list::DaemonSetList;
