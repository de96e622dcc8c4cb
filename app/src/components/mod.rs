//! Building blocks shared by every page.

mod error_panel;
mod not_found;
mod resource_table;
mod status_badge;

pub use error_panel::ErrorPanel;
pub use not_found::NotFound;
pub use resource_table::{Column, ResourceTable};
pub use status_badge::StatusBadge;
