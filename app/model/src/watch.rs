//! Keeping a list of Kubernetes objects current, as a state machine with no I/O: list in
//! pages, then watch from the list's version; a `410 Gone` lists again into a buffer that is
//! swapped in whole when its last page arrives (kube-runtime's `watcher` and its reflector's
//! `InitDone` swap, in our terms). The caller does the requests the machine asks for and feeds
//! back what they answered.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use crate::k8s::{List, Object, WatchEvent, WatchEventKind, WatchedObject};

/// What is shown: entries by `namespace/name`.
pub type Items<T> = BTreeMap<String, T>;

/// The request the machine needs answered next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// A page of the list: the first when there is no token.
    ListPage { continue_token: Option<String> },
    /// A watch from this resourceVersion.
    Watch { version: String },
}

/// What a request answered, decoded.
#[derive(Clone, Debug, PartialEq)]
pub enum Input<T> {
    /// One page of a list; `continue_token` is `None` on the last page.
    Page {
        items: Vec<(String, T)>,
        continue_token: Option<String>,
        version: String,
    },
    /// An object was added or modified.
    Applied {
        key: String,
        value: T,
        version: String,
    },
    Deleted {
        key: String,
        version: String,
    },
    /// The apiserver's note that the list is current up to `version`; nothing changed.
    Bookmark {
        version: String,
    },
    /// `410 Gone`: the version (or the continue token) is too old to start from.
    Gone,
}

impl<T> Input<T> {
    /// A list answer, each object mapped to what the page keeps of it.
    pub fn page<K: Object>(list: List<K>, map: impl Fn(K) -> T) -> Self {
        Input::Page {
            items: list
                .items
                .into_iter()
                .map(|object| (object.key(), map(object)))
                .collect(),
            continue_token: list
                .metadata
                .continue_token
                .filter(|token| !token.is_empty()),
            version: list.metadata.resource_version,
        }
    }

    /// One line of a watch stream. `None` for lines that change nothing we follow (an error
    /// other than 410, an object that does not parse).
    pub fn event<K: DeserializeOwned + Object>(line: &[u8], map: impl Fn(K) -> T) -> Option<Self> {
        let event = serde_json::from_slice::<WatchEvent>(line).ok()?;
        if event.error_code() == Some(410) {
            return Some(Input::Gone);
        }
        let version = event.resource_version()?.to_owned();
        let object = || {
            serde_json::from_slice::<WatchedObject<K>>(line)
                .ok()
                .map(|event| event.object)
        };
        match event.kind {
            WatchEventKind::Added | WatchEventKind::Modified => {
                let object = object()?;
                Some(Input::Applied {
                    key: object.key(),
                    value: map(object),
                    version,
                })
            }
            WatchEventKind::Deleted => {
                let object = object()?;
                Some(Input::Deleted {
                    key: object.key(),
                    version,
                })
            }
            WatchEventKind::Bookmark => Some(Input::Bookmark { version }),
            WatchEventKind::Error => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Phase<T> {
    /// Listing page by page. `relist` is `None` on the first list, whose pages are shown as
    /// they arrive so the first rows come early; on a later list it gathers the pages, and what
    /// is shown stays as it was until the last one.
    Listing {
        continue_token: Option<String>,
        relist: Option<Items<T>>,
    },
    Watching {
        version: String,
    },
}

/// Where a list-then-watch stands. Errors are not inputs: after one, the caller retries the
/// same [`Next`] request (a watch resumes from the last version seen, a list from its last page).
#[derive(Clone, Debug, PartialEq)]
pub struct Watcher<T> {
    phase: Phase<T>,
}

impl<T> Default for Watcher<T> {
    fn default() -> Self {
        Watcher {
            phase: Phase::Listing {
                continue_token: None,
                relist: None,
            },
        }
    }
}

impl<T> Watcher<T> {
    pub fn next(&self) -> Next {
        match &self.phase {
            Phase::Listing { continue_token, .. } => Next::ListPage {
                continue_token: continue_token.clone(),
            },
            Phase::Watching { version } => Next::Watch {
                version: version.clone(),
            },
        }
    }

    /// Whether a whole list has arrived and is being watched.
    pub fn is_watching(&self) -> bool {
        matches!(self.phase, Phase::Watching { .. })
    }

    /// Takes in one answer, changing `shown` where it should; returns whether it did, so the
    /// caller tells the page only then.
    pub fn step(&mut self, shown: &mut Items<T>, input: Input<T>) -> bool {
        match (&mut self.phase, input) {
            (_, Input::Gone) => {
                // What is shown stays until the new list is complete.
                self.phase = Phase::Listing {
                    continue_token: None,
                    relist: Some(Items::new()),
                };
                false
            }
            (
                Phase::Listing {
                    continue_token,
                    relist,
                },
                Input::Page {
                    items,
                    continue_token: next,
                    version,
                },
            ) => {
                let changed = match relist {
                    Some(buffer) => {
                        buffer.extend(items);
                        false
                    }
                    None => {
                        shown.extend(items);
                        true
                    }
                };
                match next {
                    Some(token) => {
                        *continue_token = Some(token);
                        changed
                    }
                    None => {
                        let swapped = relist.take().map(|buffer| *shown = buffer).is_some();
                        self.phase = Phase::Watching { version };
                        changed || swapped
                    }
                }
            }
            (
                Phase::Watching { version },
                Input::Applied {
                    key,
                    value,
                    version: next,
                },
            ) => {
                *version = next;
                shown.insert(key, value);
                true
            }
            (Phase::Watching { version }, Input::Deleted { key, version: next }) => {
                *version = next;
                shown.remove(&key).is_some()
            }
            (Phase::Watching { version }, Input::Bookmark { version: next }) => {
                *version = next;
                false
            }
            // An answer to a request the machine did not make (a page while watching, an event
            // while listing) cannot come from the caller's loop; ignore it rather than guess.
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(names: &[&str], continue_token: Option<&str>, version: &str) -> Input<u32> {
        Input::Page {
            items: names.iter().map(|name| (name.to_string(), 0)).collect(),
            continue_token: continue_token.map(str::to_owned),
            version: version.to_owned(),
        }
    }

    fn applied(name: &str, value: u32, version: &str) -> Input<u32> {
        Input::Applied {
            key: name.to_owned(),
            value,
            version: version.to_owned(),
        }
    }

    fn names(shown: &Items<u32>) -> Vec<&str> {
        shown.keys().map(String::as_str).collect()
    }

    /// A watcher that has listed `a` and `b` at version 10 and is watching.
    fn watching() -> (Watcher<u32>, Items<u32>) {
        let mut watcher = Watcher::default();
        let mut shown = Items::new();
        watcher.step(&mut shown, page(&["a", "b"], None, "10"));
        (watcher, shown)
    }

    #[test]
    fn the_first_list_shows_each_page_as_it_arrives_then_watches_from_its_version() {
        let mut watcher = Watcher::default();
        let mut shown = Items::new();
        assert_eq!(
            watcher.next(),
            Next::ListPage {
                continue_token: None
            }
        );
        assert!(watcher.step(&mut shown, page(&["a", "b"], Some("t1"), "7")));
        assert_eq!(names(&shown), ["a", "b"]);
        assert_eq!(
            watcher.next(),
            Next::ListPage {
                continue_token: Some("t1".into())
            }
        );
        assert!(!watcher.is_watching());

        assert!(watcher.step(&mut shown, page(&["c"], None, "7")));
        assert_eq!(names(&shown), ["a", "b", "c"]);
        assert!(watcher.is_watching());
        assert_eq!(
            watcher.next(),
            Next::Watch {
                version: "7".into()
            }
        );
    }

    #[test]
    fn events_change_one_entry_and_move_the_version() {
        let (mut watcher, mut shown) = watching();
        assert!(watcher.step(&mut shown, applied("c", 1, "11")));
        assert!(watcher.step(&mut shown, applied("a", 5, "12")));
        assert!(watcher.step(
            &mut shown,
            Input::Deleted {
                key: "b".into(),
                version: "13".into()
            }
        ));
        assert_eq!(shown, Items::from([("a".into(), 5), ("c".into(), 1)]));
        assert_eq!(
            watcher.next(),
            Next::Watch {
                version: "13".into()
            }
        );
    }

    #[test]
    fn deleting_what_is_not_shown_changes_nothing() {
        let (mut watcher, mut shown) = watching();
        let input = Input::Deleted {
            key: "z".into(),
            version: "11".into(),
        };
        assert!(!watcher.step(&mut shown, input));
        assert_eq!(names(&shown), ["a", "b"]);
    }

    #[test]
    fn a_bookmark_moves_the_version_without_changing_what_is_shown() {
        let (mut watcher, mut shown) = watching();
        let input = Input::Bookmark {
            version: "42".into(),
        };
        assert!(!watcher.step(&mut shown, input));
        assert_eq!(names(&shown), ["a", "b"]);
        assert_eq!(
            watcher.next(),
            Next::Watch {
                version: "42".into()
            }
        );
    }

    #[test]
    fn after_gone_the_relist_is_buffered_and_swapped_in_whole_at_its_last_page() {
        let (mut watcher, mut shown) = watching();
        assert!(!watcher.step(&mut shown, Input::Gone));
        assert_eq!(
            watcher.next(),
            Next::ListPage {
                continue_token: None
            }
        );

        // While the new list arrives, the old rows stay exactly as they were.
        assert!(!watcher.step(&mut shown, page(&["b"], Some("t1"), "20")));
        assert_eq!(names(&shown), ["a", "b"]);
        assert!(!watcher.is_watching());

        // At the last page the new list replaces the old: `a` was deleted meanwhile.
        assert!(watcher.step(&mut shown, page(&["c"], None, "20")));
        assert_eq!(names(&shown), ["b", "c"]);
        assert_eq!(
            watcher.next(),
            Next::Watch {
                version: "20".into()
            }
        );
    }

    #[test]
    fn gone_in_the_middle_of_a_relist_starts_the_buffer_again() {
        let (mut watcher, mut shown) = watching();
        watcher.step(&mut shown, Input::Gone);
        watcher.step(&mut shown, page(&["x"], Some("t1"), "20"));
        // The continue token expired.
        watcher.step(&mut shown, Input::Gone);
        watcher.step(&mut shown, page(&["c"], None, "30"));
        assert_eq!(names(&shown), ["c"]);
    }

    #[test]
    fn gone_during_the_first_list_keeps_its_pages_until_the_new_list_is_complete() {
        let mut watcher = Watcher::default();
        let mut shown = Items::new();
        watcher.step(&mut shown, page(&["a"], Some("t1"), "7"));
        watcher.step(&mut shown, Input::Gone);
        assert!(!watcher.step(&mut shown, page(&["b"], Some("t2"), "9")));
        assert_eq!(names(&shown), ["a"]);
        assert!(watcher.step(&mut shown, page(&["c"], None, "9")));
        assert_eq!(names(&shown), ["b", "c"]);
    }

    #[test]
    fn a_page_while_watching_or_an_event_while_listing_is_ignored() {
        let (mut watcher, mut shown) = watching();
        assert!(!watcher.step(&mut shown, page(&["z"], None, "99")));
        assert_eq!(
            watcher.next(),
            Next::Watch {
                version: "10".into()
            }
        );
        let mut listing = Watcher::default();
        assert!(!listing.step(&mut shown, applied("z", 1, "99")));
        assert_eq!(names(&shown), ["a", "b"]);
    }

    mod decoding {
        use super::*;
        use crate::k8s::DaemonSet;

        fn name(daemonset: DaemonSet) -> String {
            daemonset.metadata.name
        }

        fn decode(line: &str) -> Option<Input<String>> {
            Input::event(line.as_bytes(), name)
        }

        #[test]
        fn added_and_modified_read_as_applied_with_the_objects_key_and_version() {
            for kind in ["ADDED", "MODIFIED"] {
                let line = format!(
                    r#"{{"type":"{kind}","object":{{"metadata":{{"name":"agent","namespace":"logging","resourceVersion":"5"}}}}}}"#
                );
                assert_eq!(
                    decode(&line),
                    Some(Input::Applied {
                        key: "logging/agent".into(),
                        value: "agent".into(),
                        version: "5".into()
                    })
                );
            }
        }

        #[test]
        fn deleted_reads_as_deleted() {
            let line = r#"{"type":"DELETED","object":{"metadata":{"name":"agent","namespace":"logging","resourceVersion":"6"}}}"#;
            assert_eq!(
                decode(line),
                Some(Input::Deleted {
                    key: "logging/agent".into(),
                    version: "6".into()
                })
            );
        }

        #[test]
        fn a_bookmark_reads_as_its_version() {
            let line = r#"{"type":"BOOKMARK","object":{"kind":"DaemonSet","metadata":{"resourceVersion":"77"}}}"#;
            assert_eq!(
                decode(line),
                Some(Input::Bookmark {
                    version: "77".into()
                })
            );
        }

        #[test]
        fn an_error_event_with_410_reads_as_gone_and_other_errors_as_nothing() {
            let gone =
                r#"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}}"#;
            assert_eq!(decode(gone), Some(Input::Gone));
            let other = r#"{"type":"ERROR","object":{"kind":"Status","code":500}}"#;
            assert_eq!(decode(other), None);
            assert_eq!(decode("not json"), None);
        }

        #[test]
        fn a_list_page_keeps_its_token_but_not_an_empty_one() {
            let list: List<DaemonSet> = serde_json::from_str(
                r#"{"metadata":{"resourceVersion":"9","continue":""},"items":[{"metadata":{"name":"a","namespace":"n"}}]}"#,
            )
            .unwrap();
            assert_eq!(
                Input::page(list, name),
                Input::Page {
                    items: vec![("n/a".into(), "a".into())],
                    continue_token: None,
                    version: "9".into()
                }
            );
        }
    }
}
