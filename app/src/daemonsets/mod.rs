//! DaemonSet pages: the list, and one DaemonSet with its tabs and actions.

mod actions;
mod detail;
mod list;
mod tabs;

pub use detail::DaemonSetDetail;
pub use list::DaemonSetList;
