//! DaemonSet pages: the list, and one DaemonSet with its tabs and actions.

mod actions;
mod detail;
mod edit_yaml;
mod list;
mod revisions;
mod tabs;

pub use actions::daemonset_path;
pub use detail::DaemonSetDetail;
pub use list::DaemonSetList;
