//! DaemonSet pages: the list, and one DaemonSet with its tabs and actions.

mod actions;
mod canary;
mod detail;
mod edit_yaml;
mod holds;
mod list;
mod nodes;
mod overview;
mod owned;
mod revisions;
mod rollout_panel;
mod rollout_words;
mod tabs;
mod update_nodes;
mod usage;

pub use actions::daemonset_path;
pub use detail::DaemonSetDetail;
pub use list::DaemonSetList;
