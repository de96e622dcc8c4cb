//! Form fields bound to one place in the wizard's [`DraftForm`] through a [`Lens`], with the
//! problem found there: the lens says both what the field edits and where its problems are.

pub use console_model::document::Lens;
use console_model::document::{DaemonSetForm, DraftForm, FieldPath, KeyValue};
pub(crate) use console_model::{field, variant};
use leptos::prelude::*;

use super::Wizard;
use crate::i18n::{Msg, use_i18n};

/// The DaemonSet part of the form, where most fields live.
pub fn daemon_set() -> Lens<DaemonSetForm> {
    field!(Lens::<DraftForm>::root(), daemon_set)
}

impl Wizard {
    /// The value a lens reaches now, tracked (the default if it is not there).
    pub fn value<T: Clone + Default + 'static>(self, lens: &Lens<T>) -> T {
        self.form.with(|form| lens.read(form)).unwrap_or_default()
    }

    /// Sets the value a lens reaches.
    pub fn set<T: 'static>(self, lens: &Lens<T>, value: T) {
        self.form
            .update(|form| lens.edit(form, |slot| *slot = value));
    }

    /// How many items the list has: a memo, so a list is re-rendered only when it grows or
    /// shrinks, not on every keystroke inside it.
    pub fn count<T: 'static>(self, lens: Lens<Vec<T>>) -> Memo<usize> {
        Memo::new(move |_| self.form.with(|form| lens.get(form).map_or(0, Vec::len)))
    }

    /// Appends an item to a list.
    pub fn push<T: 'static>(self, lens: &Lens<Vec<T>>, item: T) {
        self.form
            .update(|form| lens.edit(form, |items| items.push(item)));
    }

    /// Removes the item at `index` of a list.
    pub fn remove<T: 'static>(self, lens: &Lens<Vec<T>>, index: usize) {
        self.form.update(|form| {
            lens.edit(form, |items| {
                if index < items.len() {
                    items.remove(index);
                }
            })
        });
    }
}

/// The problem shown under a field: the first one validation or the apiserver found at `path`.
pub fn problem_at(wizard: Wizard, path: FieldPath) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        wizard.problem_at(&path).map(|problem| {
            let text = problem.text(i18n.lang.get());
            view! { <span class="field-problem" role="alert">{text}</span> }
        })
    }
}

/// A control with its label above and its problem below.
fn framed(wizard: Wizard, label: Msg, path: FieldPath, control: impl IntoView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label>
                <span>{i18n.t(label)}</span>
                {control}
            </label>
            {problem_at(wizard, path)}
        </div>
    }
}

/// A labelled text box with an example of what to type.
pub fn text_input(
    wizard: Wizard,
    label: Msg,
    lens: Lens<String>,
    placeholder: &'static str,
) -> impl IntoView {
    text_box(wizard, label, lens, placeholder, None)
}

/// A labelled text box that suggests values (names found in the cluster) from a `<datalist>`.
pub fn suggesting_input(
    wizard: Wizard,
    label: Msg,
    lens: Lens<String>,
    list: &'static str,
) -> impl IntoView {
    text_box(wizard, label, lens, "", Some(list))
}

fn text_box(
    wizard: Wizard,
    label: Msg,
    lens: Lens<String>,
    placeholder: &'static str,
    list: Option<&'static str>,
) -> impl IntoView {
    let path = lens.path().clone();
    let shown = lens.clone();
    let invalid = {
        let path = path.clone();
        move || wizard.problem_at(&path).is_some()
    };
    let control = view! {
            <input
                type="text"
                spellcheck="false"
                placeholder=placeholder
                list=list
                data-path=path.to_string()
                aria-invalid=move || invalid().to_string()
                prop:value=move || wizard.value(&shown)
                on:input=move |ev| wizard.set(&lens, event_target_value(&ev))
            />
    };
    framed(wizard, label, path, control)
}

/// A labelled picker among names found in the cluster, `empty` naming the "none" choice. A name
/// the draft has but the cluster does not list (imported, or not visible to the user) stays
/// shown and chosen.
pub fn name_select(
    wizard: Wizard,
    label: Msg,
    lens: Lens<String>,
    names: Signal<Vec<String>>,
    empty: Msg,
) -> impl IntoView {
    let i18n = use_i18n();
    let path = lens.path().clone();
    let shown = lens.clone();
    let options = move || {
        let current = wizard.value(&shown);
        let mut names = names.get();
        if !current.is_empty() && !names.contains(&current) {
            names.insert(0, current.clone());
        }
        let none = view! { <option value="" selected=current.is_empty()>{i18n.t(empty)}</option> };
        let names = names
            .into_iter()
            .map(|name| {
                let selected = name == current;
                view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
            })
            .collect_view();
        view! { {none} {names} }
    };
    let control = view! {
            <select data-path=path.to_string() on:change=move |ev| wizard.set(&lens, event_target_value(&ev))>{options}</select>
    };
    framed(wizard, label, path, control)
}

/// A `<datalist>` of names, for [`suggesting_input`].
pub fn suggestions(
    id: &'static str,
    names: impl Fn() -> Vec<String> + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <datalist id=id>
            {move || names().into_iter().map(|name| view! { <option value=name></option> }).collect_view()}
        </datalist>
    }
}

/// A labelled box for a whole number, empty for "not set".
pub fn number_field(wizard: Wizard, label: Msg, lens: Lens<Option<i64>>) -> impl IntoView {
    let path = lens.path().clone();
    let shown = lens.clone();
    let control = view! {
            <input
                type="number"
                data-path=path.to_string()
                prop:value=move || wizard.value(&shown).map(|n| n.to_string()).unwrap_or_default()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    // A half-typed number ("-") reads as empty in a number box; nothing is lost
                    // because the box keeps showing what was typed.
                    wizard.set(&lens, text.trim().parse().ok());
                }
            />
    };
    framed(wizard, label, path, control)
}

/// A check box for a flag.
pub fn check_field(wizard: Wizard, label: Msg, lens: Lens<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let shown = lens.clone();
    view! {
        <label class="check">
            <input
                type="checkbox"
                prop:checked=move || wizard.value(&shown)
                on:change=move |ev| wizard.set(&lens, event_target_checked(&ev))
            />
            <span>{i18n.t(label)}</span>
        </label>
    }
}

/// How a choice is named in a picker.
#[derive(Clone, Copy)]
pub enum Label {
    /// A Kubernetes keyword, shown as spelled, since that is what operators look up.
    Keyword(&'static str),
    Text(Msg),
}

/// The choices of a keyword enum of the model (`ALL` and `as_str`).
pub fn keywords<T: Copy>(all: &[T], spell: fn(T) -> &'static str) -> Vec<(T, Label)> {
    all.iter()
        .map(|value| (*value, Label::Keyword(spell(*value))))
        .collect()
}

/// The same with "not set" first, for fields whose absence means "Kubernetes decides".
pub fn optional_keywords<T: Copy>(
    all: &[T],
    spell: fn(T) -> &'static str,
) -> Vec<(Option<T>, Label)> {
    std::iter::once((None, Label::Text(Msg::NotSet)))
        .chain(
            all.iter()
                .map(|value| (Some(*value), Label::Keyword(spell(*value)))),
        )
        .collect()
}

/// Yes, no, or not set.
pub fn yes_no() -> Vec<(Option<bool>, Label)> {
    vec![
        (None, Label::Text(Msg::NotSet)),
        (Some(true), Label::Text(Msg::Yes)),
        (Some(false), Label::Text(Msg::No)),
    ]
}

/// A labelled picker among fixed choices.
pub fn choice_field<V>(
    wizard: Wizard,
    label: Msg,
    lens: Lens<V>,
    choices: Vec<(V, Label)>,
) -> impl IntoView
where
    V: Clone + Default + PartialEq + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let values: Vec<V> = choices.iter().map(|(value, _)| value.clone()).collect();
    let options = choices
        .into_iter()
        .enumerate()
        .map(|(index, (value, name))| {
            let shown = lens.clone();
            let name = move || match name {
                Label::Keyword(keyword) => keyword,
                Label::Text(msg) => msg.text(i18n.lang.get()),
            };
            view! { <option value=index.to_string() selected=move || wizard.value(&shown) == value>{name}</option> }
        })
        .collect_view();
    view! {
        <label class="field">
            <span>{i18n.t(label)}</span>
            <select on:change=move |ev| {
                let chosen = event_target_value(&ev).parse::<usize>().ok();
                if let Some(value) = chosen.and_then(|index| values.get(index)) {
                    wizard.set(&lens, value.clone());
                }
            }>{options}</select>
        </label>
    }
}

/// One variant of an enum the user picks, e.g. where a volume's data comes from.
pub struct Variant<T> {
    pub label: Label,
    /// The variant with its fields empty, used when the user switches to it.
    pub make: fn() -> T,
    pub is: fn(&T) -> bool,
}

/// A picker among the variants of an enum. Picking another variant starts it empty; a value
/// that is none of them (kept from imported YAML) shows as "kept as written" until changed.
/// Returns the picker and a memo of which variant is current, for showing its fields.
pub fn variant_field<T>(
    wizard: Wizard,
    label: Msg,
    lens: Lens<T>,
    variants: Vec<Variant<T>>,
) -> (impl IntoView, Memo<Option<usize>>)
where
    T: Clone + Default + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let variants = std::sync::Arc::new(variants);
    let current = {
        let (lens, variants) = (lens.clone(), variants.clone());
        Memo::new(move |_| {
            wizard.form.with(|form| {
                lens.read(form)
                    .and_then(|value| variants.iter().position(|variant| (variant.is)(&value)))
            })
        })
    };
    let options = variants
        .iter()
        .enumerate()
        .map(|(index, variant)| {
            let name = match variant.label {
                Label::Keyword(keyword) => Signal::derive(move || keyword.to_owned()),
                Label::Text(msg) => Signal::derive(move || msg.text(i18n.lang.get()).to_owned()),
            };
            view! { <option value=index.to_string() selected=move || current.get() == Some(index)>{name}</option> }
        })
        .collect_view();
    let picker = view! {
        <label class="field">
            <span>{i18n.t(label)}</span>
            <select on:change=move |ev| {
                let chosen = event_target_value(&ev).parse::<usize>().ok();
                if let Some(variant) = chosen.and_then(|index| variants.get(index))
                    && current.get_untracked() != chosen
                {
                    wizard.set(&lens, (variant.make)());
                }
            }>
                <option value="" disabled=true selected=move || current.get().is_none()>{i18n.t(Msg::KeptAsWritten)}</option>
                {options}
            </select>
        </label>
    };
    (picker, current)
}

/// A list of words edited one per line (command, arguments, capabilities).
pub fn lines_field(
    wizard: Wizard,
    label: Msg,
    hint: Msg,
    lens: Lens<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let path = lens.path().clone();
    let shown = lens.clone();
    let control = view! {
            <textarea
                rows="3"
                spellcheck="false"
                data-path=path.to_string()
                placeholder=i18n.t(hint)
                prop:value=move || wizard.value(&shown).join("\n")
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    wizard.set(&lens, text.split('\n').map(str::to_owned).collect::<Vec<_>>());
                }
            ></textarea>
    };
    framed(wizard, label, path, control)
}

/// A list of items, each shown by `item`, with an add button that appends `new()`.
pub fn item_list<T>(
    wizard: Wizard,
    list: Lens<Vec<T>>,
    add: Msg,
    new: fn() -> T,
    item: impl Fn(Lens<T>, usize) -> AnyView + Send + Sync + 'static,
) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    let i18n = use_i18n();
    let count = wizard.count(list.clone());
    let rows = {
        let list = list.clone();
        move || {
            (0..count.get())
                .map(|index| {
                    let remove_from = list.clone();
                    view! {
                        <div class="item">
                            {item(list.at(index), index)}
                            <button type="button" class="remove" aria-label=i18n.t(Msg::Remove)
                                on:click=move |_| wizard.remove(&remove_from, index)>"×"</button>
                        </div>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <div class="items">
            {rows}
            <button type="button" class="add" on:click=move |_| wizard.push(&list, new())>{i18n.t(add)}</button>
        </div>
    }
}

/// Key/value pairs (labels, node selector), each with its problem, plus an add button.
pub fn pairs_field(wizard: Wizard, add: Msg, lens: Lens<Vec<KeyValue>>) -> impl IntoView {
    item_list(wizard, lens, add, KeyValue::default, move |pair, _| {
        view! {
            <div class="pair">
                {text_input(wizard, Msg::Key, field!(pair, key), "app.kubernetes.io/name")}
                {text_input(wizard, Msg::Value, field!(pair, value), "")}
            </div>
        }
        .into_any()
    })
}
