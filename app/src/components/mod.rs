//! Building blocks shared by every page.

mod dialog;
mod error_panel;
mod language_switch;
mod live_indicator;
mod not_found;
mod project_picker;
mod resource_table;
mod status_badge;
mod user_menu;

pub use dialog::Dialog;
pub use error_panel::ErrorPanel;
pub use language_switch::LanguageSwitch;
pub use live_indicator::LiveIndicator;
pub use not_found::NotFound;
pub use project_picker::ProjectPicker;
pub use resource_table::{Column, ColumnChooser, ResourceTable, remembered_hidden_columns};
pub use status_badge::StatusBadge;
pub use user_menu::UserMenu;
