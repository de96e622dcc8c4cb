//! Building blocks shared by every page.

pub mod columns;
mod dialog;
mod error_panel;
mod events_table;
mod language_switch;
mod live_indicator;
mod log_viewer;
mod not_found;
mod project_picker;
mod resource_table;
mod status_badge;
mod terminal;
mod theme_switch;
mod user_menu;
mod yaml_editor;

pub use dialog::{Dialog, Modal};
pub use error_panel::ErrorPanel;
pub use events_table::EventsTable;
pub use language_switch::LanguageSwitch;
pub use live_indicator::LiveIndicator;
pub use log_viewer::{LogSource, LogViewer};
pub use not_found::NotFound;
pub use project_picker::ProjectPicker;
pub use resource_table::{Column, ColumnChooser, ResourceTable, remembered_hidden_columns};
pub use status_badge::StatusBadge;
pub use terminal::{ShellTarget, TerminalPane};
pub use theme_switch::ThemeSwitch;
pub use user_menu::UserMenu;
pub use yaml_editor::{YamlDiff, YamlEditor};
