//! Building blocks shared by every page.

mod error_panel;
mod language_switch;
mod not_found;
mod project_picker;
mod resource_table;
mod status_badge;
mod user_menu;

pub use error_panel::ErrorPanel;
pub use language_switch::LanguageSwitch;
pub use not_found::NotFound;
pub use project_picker::ProjectPicker;
pub use resource_table::{Column, ResourceTable};
pub use status_badge::StatusBadge;
pub use user_menu::UserMenu;
