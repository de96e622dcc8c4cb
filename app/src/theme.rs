//! The colour theme: light or dark, following the system's setting until the user picks one;
//! the pick is remembered in local storage. The page's `data-theme` attribute selects the
//! palette in console.css; the YAML editor and the terminal read [`Theme::is_dark`] to switch
//! with it.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, closure::Closure};

use crate::i18n::Msg;

/// What the user chose in the theme switch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeChoice {
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    pub fn label(self) -> Msg {
        match self {
            ThemeChoice::System => Msg::ThemeSystem,
            ThemeChoice::Light => Msg::ThemeLight,
            ThemeChoice::Dark => Msg::ThemeDark,
        }
    }

    fn tag(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }

    fn from_tag(tag: &str) -> Option<ThemeChoice> {
        ThemeChoice::ALL
            .into_iter()
            .find(|choice| choice.tag() == tag)
    }

    /// Whether the page is dark under this choice, given whether the system prefers dark.
    fn is_dark(self, system_dark: bool) -> bool {
        match self {
            ThemeChoice::System => system_dark,
            ThemeChoice::Light => false,
            ThemeChoice::Dark => true,
        }
    }
}

/// The theme, shared through context.
#[derive(Clone, Copy)]
pub struct Theme {
    choice: RwSignal<ThemeChoice>,
    system_dark: RwSignal<bool>,
}

impl Theme {
    pub fn choice(self) -> ThemeChoice {
        self.choice.get()
    }

    /// Whether the page is dark now (reactive).
    pub fn is_dark(self) -> bool {
        self.choice.get().is_dark(self.system_dark.get())
    }

    /// Switches and remembers. The page's palette changes before any effect runs, so an editor
    /// or terminal that follows [`Theme::is_dark`] sees the new colours.
    pub fn choose(self, choice: ThemeChoice) {
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, choice.tag());
        }
        self.choice.set(choice);
        self.show();
    }

    fn show(self) {
        let dark = untrack(|| self.is_dark());
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
        }
    }
}

const STORAGE_KEY: &str = "console.theme";
const PREFERS_DARK: &str = "(prefers-color-scheme: dark)";

/// Installs the theme context: the remembered choice, else the system's setting, followed live.
pub fn provide() {
    let choice = local_storage()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|tag| ThemeChoice::from_tag(&tag))
        .unwrap_or(ThemeChoice::System);
    let query = web_sys::window().and_then(|w| w.match_media(PREFERS_DARK).ok().flatten());
    let theme = Theme {
        choice: RwSignal::new(choice),
        system_dark: RwSignal::new(query.as_ref().is_some_and(|q| q.matches())),
    };
    if let Some(query) = query {
        // Lives as long as the page: the app installs it once.
        let on_change = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(
            move |event: web_sys::MediaQueryListEvent| {
                theme.system_dark.set(event.matches());
                theme.show();
            },
        );
        let _ =
            query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    }
    theme.show();
    provide_context(theme);
}

pub fn use_theme() -> Theme {
    expect_context::<Theme>()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::ThemeChoice;

    #[test]
    fn the_system_setting_decides_only_until_the_user_picks_a_theme() {
        assert!(ThemeChoice::System.is_dark(true));
        assert!(!ThemeChoice::System.is_dark(false));
        assert!(ThemeChoice::Dark.is_dark(false));
        assert!(!ThemeChoice::Light.is_dark(true));
    }

    #[test]
    fn a_remembered_choice_reads_back_as_itself() {
        for choice in ThemeChoice::ALL {
            assert_eq!(ThemeChoice::from_tag(choice.tag()), Some(choice));
        }
        assert_eq!(ThemeChoice::from_tag("sepia"), None);
    }
}
