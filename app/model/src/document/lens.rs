//! A [`Lens`] reaches one value inside a [`DraftForm`] (a field, an item of a list, the data
//! of an enum variant) for reading and writing, and knows that value's [`FieldPath`]: the
//! wizard binds a form field and shows its problems through the same lens, so the place a
//! value is written and the place its problems are looked up cannot drift apart.
//!
//! Reading never panics: a lens into an item that was just removed reads nothing, so a field
//! that is about to go away shows empty for a moment instead of taking the page down.

use std::sync::Arc;

use super::path::{FieldPath, Keyed, Keys};
use super::{DraftForm, Subject};

type Reader<T> = Arc<dyn Fn(&DraftForm) -> Option<&T> + Send + Sync>;
type Writer<T> = Arc<dyn Fn(&mut DraftForm) -> Option<&mut T> + Send + Sync>;

/// A way to one value of type `T` inside the form, and where it is in the documents.
pub struct Lens<T> {
    get: Reader<T>,
    get_mut: Writer<T>,
    path: FieldPath,
    /// Whether each item of the list reached is a document of its own (the new claims).
    documents: bool,
}

impl<T> Clone for Lens<T> {
    fn clone(&self) -> Self {
        Self {
            get: self.get.clone(),
            get_mut: self.get_mut.clone(),
            path: self.path.clone(),
            documents: self.documents,
        }
    }
}

impl Lens<DraftForm> {
    /// The whole form.
    pub fn root() -> Self {
        Self {
            get: Arc::new(|form: &DraftForm| Some(form)),
            get_mut: Arc::new(|form: &mut DraftForm| Some(form)),
            path: FieldPath::of(Subject::DaemonSet),
            documents: false,
        }
    }

    /// The new claims, each a document of its own.
    pub fn claims() -> Lens<Vec<super::ClaimForm>> {
        Lens {
            documents: true,
            ..crate::field!(Self::root(), claims)
        }
    }
}

impl<T: 'static> Lens<T> {
    fn then_at<U: 'static>(
        &self,
        get: impl Fn(&T) -> Option<&U> + Send + Sync + 'static,
        get_mut: impl Fn(&mut T) -> Option<&mut U> + Send + Sync + 'static,
        path: FieldPath,
    ) -> Lens<U> {
        let (outer, outer_mut) = (self.get.clone(), self.get_mut.clone());
        Lens {
            get: Arc::new(move |form| outer(form).and_then(&get)),
            get_mut: Arc::new(move |form| outer_mut(form).and_then(&get_mut)),
            path,
            documents: false,
        }
    }

    /// The value of an `Option` field, where the field itself is (a probe's settings).
    pub fn then<U: 'static>(
        &self,
        get: fn(&T) -> Option<&U>,
        get_mut: fn(&mut T) -> Option<&mut U>,
    ) -> Lens<U> {
        self.then_at(get, get_mut, self.path.clone())
    }

    /// A field of the value, at its keys (see [`field!`](crate::field)).
    pub fn field<U: 'static>(
        &self,
        get: fn(&T) -> &U,
        get_mut: fn(&mut T) -> &mut U,
        keys: fn(&T::Keys) -> Keys,
    ) -> Lens<U>
    where
        T: Keyed,
    {
        let path = self.path.join(keys(&T::KEYS));
        self.then_at(
            move |value| Some(get(value)),
            move |value| Some(get_mut(value)),
            path,
        )
    }

    /// A field of one variant of the enum here, at the variant's keys and then the field's (see
    /// [`variant!`](crate::variant)); it reads nothing while the enum is another variant.
    pub fn variant<U: 'static>(
        &self,
        get: fn(&T) -> Option<&U>,
        get_mut: fn(&mut T) -> Option<&mut U>,
        keys: &[&str],
    ) -> Lens<U> {
        self.then_at(get, get_mut, self.path.join(keys))
    }

    /// The same value with its fields one key deeper, for a form that folds that key into a
    /// value: an `envFrom` entry's name sits under the key its kind names.
    pub fn within(&self, key: &str) -> Lens<T> {
        Lens {
            path: self.path.join(&[key]),
            ..self.clone()
        }
    }

    /// Where the value is in the documents.
    pub fn path(&self) -> &FieldPath {
        &self.path
    }

    /// The value, if it is there.
    pub fn get<'a>(&self, form: &'a DraftForm) -> Option<&'a T> {
        (self.get)(form)
    }

    /// Reads the value (a clone) if it is there.
    pub fn read(&self, form: &DraftForm) -> Option<T>
    where
        T: Clone,
    {
        self.get(form).cloned()
    }

    /// Whether the value is there and satisfies `test`.
    pub fn test(&self, form: &DraftForm, test: impl FnOnce(&T) -> bool) -> bool {
        self.get(form).is_some_and(test)
    }

    /// Changes the value in place, if it is there.
    pub fn edit(&self, form: &mut DraftForm, change: impl FnOnce(&mut T)) {
        if let Some(value) = (self.get_mut)(form) {
            change(value);
        }
    }
}

impl<T: 'static> Lens<Vec<T>> {
    /// The item at `index`.
    pub fn at(&self, index: usize) -> Lens<T> {
        let path = if self.documents {
            FieldPath::of(Subject::Claim(index))
        } else {
            self.path.at(index)
        };
        self.then_at(
            move |items: &Vec<T>| items.get(index),
            move |items: &mut Vec<T>| items.get_mut(index),
            path,
        )
    }
}

/// `field!(lens, name)`: the lens to field `name` of what `lens` reaches, at the Kubernetes
/// keys its type declares for `name`.
#[macro_export]
macro_rules! field {
    ($lens:expr, $name:ident) => {
        $lens.field(
            |value| &value.$name,
            |value| &mut value.$name,
            |keys| keys.$name,
        )
    };
}

/// `variant!(lens, Enum::Variant { name })`, or `variant!(lens, Enum::Variant(value))` for a
/// variant that holds one value: the lens to that field of one variant of the enum `lens`
/// reaches, at the keys the enum declares for the variant and then for the field.
#[macro_export]
macro_rules! variant {
    ($lens:expr, $enum:ident :: $variant:ident { $binding:ident }) => {
        $lens.variant(
            |value| match value {
                $enum::$variant { $binding, .. } => Some($binding),
                #[allow(unreachable_patterns)]
                _ => None,
            },
            |value| match value {
                $enum::$variant { $binding, .. } => Some($binding),
                #[allow(unreachable_patterns)]
                _ => None,
            },
            &[
                <$enum as $crate::document::Keyed>::KEYS.$variant,
                <$enum as $crate::document::Keyed>::KEYS.$binding,
            ]
            .concat(),
        )
    };
    ($lens:expr, $enum:ident :: $variant:ident ($binding:ident)) => {
        $lens.variant(
            |value| match value {
                $enum::$variant($binding) => Some($binding),
                #[allow(unreachable_patterns)]
                _ => None,
            },
            |value| match value {
                $enum::$variant($binding) => Some($binding),
                #[allow(unreachable_patterns)]
                _ => None,
            },
            <$enum as $crate::document::Keyed>::KEYS.$variant,
        )
    };
}

#[cfg(test)]
mod tests;
