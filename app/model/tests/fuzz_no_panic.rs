//! No input takes the console down: YAML-ish text of every kind goes through the reader, the
//! writer and the document model (read → form → validate → apply → write → read again), and
//! nothing panics, and whatever is read is written back readable and the same.
//!
//! Inputs are the manifests of `tests/manifests/` and `tests/fuzz_corpus/` mutated with YAML's
//! own tokens, token soup, and arbitrary text. The run is bounded in time:
//! `CONSOLE_FUZZ_SECONDS` (3 by default; CI uses the default). An input that fails is saved
//! to `tests/fuzz_corpus/`, where every later run replays it first.

use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use console_model::{
    document::{Draft, validate},
    yaml,
};
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, TestRunner},
};

/// Pieces of YAML syntax and of YAML 1.1 meaning, to splice into manifests.
const TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    " ",
    "  ",
    "\t",
    "- ",
    ": ",
    ":",
    "? ",
    ",",
    "[",
    "]",
    "{",
    "}",
    "[]",
    "{}",
    "#",
    "# c\n",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: *a\n",
    "<<: ",
    "!!str ",
    "!!int ",
    "!!binary ",
    "!!float ",
    "!x ",
    "! ",
    "|",
    "|-\n",
    ">",
    ">+\n",
    "'",
    "''",
    "\"",
    "\\",
    "\\u00e9",
    "---\n",
    "--- ",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! x\n",
    "yes",
    "on",
    "~",
    "null",
    "0644",
    "0x1e",
    "1e3",
    ".inf",
    ".nan",
    "2026-01-01",
    "1:20",
    "\u{feff}",
    "\u{fffc}",
    "中",
    "\u{85}",
    "\u{2028}",
    "\0",
    "apiVersion: apps/v1\n",
    "kind: DaemonSet\n",
    "kind: PersistentVolumeClaim\n",
    "apiVersion: v1\n",
    "metadata:\n  name: x\n",
    "containers:\n- name: a\n  image: b\n",
    "spec:\n",
    "volumes:\n- name: v\n  emptyDir: {}\n",
];

fn seeds() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut texts = Vec::new();
    for folder in ["manifests", "fuzz_corpus"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
            .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
            .unwrap_or_default();
        paths.sort();
        texts.extend(
            paths
                .iter()
                .filter_map(|path| std::fs::read_to_string(path).ok()),
        );
    }
    texts
}

/// A change to a text: where (a fraction of its length), what, and how.
#[derive(Clone, Debug)]
enum Edit {
    Insert(f64, &'static str),
    Delete(f64, usize),
    Duplicate(f64, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (0.0..1.0, prop::sample::select(TOKENS)).prop_map(|(at, token)| Edit::Insert(at, token)),
        1 => (0.0..1.0, 1..40usize).prop_map(|(at, length)| Edit::Delete(at, length)),
        1 => (0.0..1.0, 1..80usize).prop_map(|(at, length)| Edit::Duplicate(at, length)),
    ]
}

/// The byte offset nearest `fraction` of the text that is a character boundary.
fn boundary(text: &str, fraction: f64) -> usize {
    let mut at = ((text.len() as f64) * fraction) as usize;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(mut text: String, edits: &[Edit]) -> String {
    for edit in edits {
        match *edit {
            Edit::Insert(at, token) => text.insert_str(boundary(&text, at), token),
            Edit::Delete(at, length) | Edit::Duplicate(at, length) => {
                let start = boundary(&text, at);
                let mut end = (start + length).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                if let Edit::Duplicate(..) = edit {
                    let piece = text[start..end].to_owned();
                    text.insert_str(end, &piece);
                } else {
                    text.replace_range(start..end, "");
                }
            }
        }
    }
    text
}

fn input(seeds: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (prop::sample::select(seeds), prop::collection::vec(edit(), 1..4))
            .prop_map(|(seed, edits)| apply(seed, &edits)),
        2 => prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|t| t.concat()),
        1 => any::<String>(),
    ]
}

/// How far an input got: read as YAML, and taken as a draft.
#[derive(Default)]
struct Reach {
    read: u64,
    drafted: u64,
}

/// Everything the console does with a text it is given.
fn check(text: &str, reach: &mut Reach) {
    if let Ok(documents) = yaml::read(text) {
        reach.read += 1;
        for document in &documents {
            let written = yaml::write(document);
            let reread = yaml::read(&written).unwrap_or_else(|error| {
                panic!("the console cannot read what it wrote: {error}\n{written}")
            });
            assert_eq!(
                reread,
                std::slice::from_ref(document),
                "written as:\n{written}"
            );
            let _ = yaml::to_json(document);
        }
    }
    let _ = Draft::from_json(text);
    let _ = yaml::position(text, 0, "spec.template.spec.containers[0].image");
    if let Ok(mut draft) = Draft::from_yaml(text) {
        reach.drafted += 1;
        let form = draft.form();
        let _ = validate(&form);
        draft.apply(&form);
        let _ = draft.to_json_documents();
        let written = draft.to_yaml();
        let again = Draft::from_yaml(&written).unwrap_or_else(|error| {
            panic!("the console cannot read its draft: {error}\n{written}")
        });
        assert_eq!(
            again, draft,
            "the draft changed through its own YAML:\n{written}"
        );
        assert_eq!(again.form(), form);
    }
}

/// Saves a failing input where every later run replays it.
fn keep(text: &str) -> PathBuf {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus")
        .join(format!("found-{:016x}.yaml", hasher.finish()));
    let _ = std::fs::write(&path, text);
    path
}

#[test]
fn no_input_panics_and_what_is_read_is_written_back_the_same() {
    let seconds = std::env::var("CONSOLE_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let seeds = seeds();
    let mut reach = Reach::default();
    for seed in &seeds {
        check(seed, &mut reach);
    }
    let strategy = input(seeds);
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut executions = 0u64;
    while Instant::now() < deadline {
        let text = strategy
            .new_tree(&mut runner)
            .expect("inputs are always generated")
            .current();
        if catch_unwind(AssertUnwindSafe(|| check(&text, &mut reach))).is_err() {
            let path = keep(&text);
            panic!("input kept in {}: {text:?}", path.display());
        }
        executions += 1;
    }
    eprintln!(
        "fuzz: {executions} inputs in {seconds} s, none failed; {} read as YAML, {} taken as a draft",
        reach.read, reach.drafted
    );
}
