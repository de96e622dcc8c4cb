//! What the signed-in user may do in a project, asked once per page so controls appear only
//! where the apiserver would allow them. The apiserver still decides: a 403 is shown if it
//! happens anyway.

use leptos::prelude::*;

use crate::api::{self, AccessCheck};

/// Actions on DaemonSets a page can offer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DaemonSetPermissions {
    pub create: bool,
    pub update: bool,
    pub delete: bool,
}

/// The user's DaemonSet permissions in `namespace`; all false until the answer arrives or if
/// the question fails (no control is better than a control that errors).
pub fn daemonset_permissions(namespace: String) -> Signal<DaemonSetPermissions> {
    let answer = LocalResource::new(move || {
        let namespace = namespace.clone();
        async move {
            let check = |verb| AccessCheck::namespaced(verb, "apps", "daemonsets", &namespace);
            api::access(vec![check("create"), check("patch"), check("delete")]).await
        }
    });
    Signal::derive(move || match answer.get() {
        Some(Ok(allowed)) if allowed.len() == 3 => DaemonSetPermissions {
            create: allowed[0],
            update: allowed[1],
            delete: allowed[2],
        },
        _ => DaemonSetPermissions::default(),
    })
}

/// Whether the user may open a shell in pods of `namespace` (`create pods/exec`).
pub fn may_exec(namespace: String) -> Signal<bool> {
    may(AccessCheck::namespaced("create", "", "pods", &namespace).of("", "exec"))
}

/// Whether the user may delete pods of `namespace`: what updating a node now does.
pub fn may_delete_pods(namespace: String) -> Signal<bool> {
    may(AccessCheck::namespaced("delete", "", "pods", &namespace))
}

/// The answer to one question; false until it arrives or if asking fails.
fn may(check: AccessCheck) -> Signal<bool> {
    let answer = LocalResource::new(move || {
        let check = check.clone();
        async move { api::access(vec![check]).await }
    });
    Signal::derive(move || matches!(answer.get(), Some(Ok(allowed)) if allowed == [true]))
}
