//! Keyboard use shared by every page: arrow keys within a group (tabs, menus), the elements
//! a dialog keeps focus among, and whether a key press belongs to a text field.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

/// What can take focus with Tab, in document order.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex=\"-1\"])";

/// Where an arrow key (or Home, End) moves within a group of `count` items from `current`,
/// wrapping around; `None` for any other key.
fn step(key: &str, current: Option<usize>, count: usize) -> Option<usize> {
    if count == 0 {
        return None;
    }
    let last = count - 1;
    Some(match (key, current) {
        ("Home", _) => 0,
        ("End", _) => last,
        ("ArrowRight" | "ArrowDown", Some(at)) if at < last => at + 1,
        ("ArrowRight" | "ArrowDown", _) => 0,
        ("ArrowLeft" | "ArrowUp", Some(at)) if at > 0 => at - 1,
        ("ArrowLeft" | "ArrowUp", _) => last,
        _ => return None,
    })
}

fn elements(within: &Element, selector: &str) -> Vec<HtmlElement> {
    let Ok(list) = within.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Moves focus among the `selector` items inside the element that handles `event`, by arrow
/// keys, Home and End; returns the item it focused. (Tabs and menus: one Tab stop, arrows within.)
pub fn arrow_focus(event: &KeyboardEvent, selector: &str) -> Option<HtmlElement> {
    let group = event.current_target()?.dyn_into::<Element>().ok()?;
    let items = elements(&group, selector);
    let focused = web_sys::window()?.document()?.active_element();
    let current = items
        .iter()
        .position(|item| focused.as_ref() == Some(item.unchecked_ref::<Element>()));
    let next = items.get(step(&event.key(), current, items.len())?)?;
    event.prevent_default();
    let _ = next.focus();
    Some(next.clone())
}

/// Arrow keys on a tab list: the next tab takes focus and is shown (tabs follow focus).
pub fn on_tablist_keydown(event: leptos::ev::KeyboardEvent) {
    if let Some(tab) = arrow_focus(&event, "[role=tab]") {
        tab.click();
    }
}

/// The elements inside `within` that Tab can reach now (shown, enabled).
pub fn focusable(within: &Element) -> Vec<HtmlElement> {
    elements(within, FOCUSABLE)
        .into_iter()
        .filter(|element| element.get_client_rects().length() > 0)
        .collect()
}

/// Keeps Tab and Shift+Tab inside `dialog`: from its last element Tab goes to the first, and
/// back. Keys an editor inside already used (Tab indents there) are left alone.
pub fn trap_tab(event: &KeyboardEvent, dialog: &Element) {
    if event.key() != "Tab" || event.default_prevented() {
        return;
    }
    let items = focusable(dialog);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        event.prevent_default();
        return;
    };
    let focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let inside = focused.as_ref().is_some_and(|f| dialog.contains(Some(f)));
    let at = |item: &HtmlElement| focused.as_ref() == Some(item.unchecked_ref::<Element>());
    if event.shift_key() && (at(first) || !inside) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && (at(last) || !inside) {
        event.prevent_default();
        let _ = first.focus();
    }
}

/// Whether a key press goes to something the user types in (a field, an editor, the
/// terminal), which keeps its keys: page shortcuts must not act on it.
pub fn typing(event: &KeyboardEvent) -> bool {
    let Some(target) = event
        .target()
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
    else {
        return false;
    };
    matches!(target.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || target.is_content_editable()
}

/// Whether a modal dialog is open: the page behind it takes no shortcuts.
pub fn dialog_open() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[aria-modal=\"true\"]").ok().flatten())
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::step;

    #[test]
    fn arrows_move_to_the_neighbour_and_wrap_around_at_the_ends() {
        assert_eq!(step("ArrowRight", Some(0), 3), Some(1));
        assert_eq!(step("ArrowRight", Some(2), 3), Some(0));
        assert_eq!(step("ArrowLeft", Some(0), 3), Some(2));
        assert_eq!(step("ArrowUp", Some(2), 3), Some(1));
        assert_eq!(step("ArrowDown", Some(1), 3), Some(2));
    }

    #[test]
    fn home_and_end_go_to_the_first_and_last_item() {
        assert_eq!(step("Home", Some(2), 3), Some(0));
        assert_eq!(step("End", None, 3), Some(2));
    }

    #[test]
    fn other_keys_and_empty_groups_move_nothing() {
        assert_eq!(step("Enter", Some(0), 3), None);
        assert_eq!(step("ArrowRight", None, 0), None);
    }
}
