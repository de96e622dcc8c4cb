//! A line diff (longest common subsequence), for comparing two revisions of a pod template as
//! an operator reads YAML: what was removed, what was added, the rest as context.

/// One line of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

/// The lines of `old` and `new` in order, each marked kept, removed or added.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lengths[i][j]: longest common subsequence of a[i..] and b[j..].
    let mut lengths = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lengths[i][j] = if a[i] == b[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::with_capacity(a.len().max(b.len())));
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(DiffLine::Same(a[i].to_owned()));
            i += 1;
            j += 1;
        } else if lengths[i + 1][j] >= lengths[i][j + 1] {
            out.push(DiffLine::Removed(a[i].to_owned()));
            i += 1;
        } else {
            out.push(DiffLine::Added(b[j].to_owned()));
            j += 1;
        }
    }
    out.extend(
        a[i..]
            .iter()
            .map(|line| DiffLine::Removed((*line).to_owned())),
    );
    out.extend(
        b[j..]
            .iter()
            .map(|line| DiffLine::Added((*line).to_owned())),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_changed_image_shows_as_one_line_removed_and_one_added() {
        let old = "containers:\n- name: agent\n  image: agent:1.0\n";
        let new = "containers:\n- name: agent\n  image: agent:2.0\n";
        assert_eq!(
            diff_lines(old, new),
            vec![
                DiffLine::Same("containers:".into()),
                DiffLine::Same("- name: agent".into()),
                DiffLine::Removed("  image: agent:1.0".into()),
                DiffLine::Added("  image: agent:2.0".into()),
            ]
        );
    }

    proptest! {
        #[test]
        fn either_side_can_be_rebuilt_from_the_diff(old in prop::collection::vec("[abc]{0,2}", 0..12), new in prop::collection::vec("[abc]{0,2}", 0..12)) {
            let (old, new) = (old.join("\n"), new.join("\n"));
            let diff = diff_lines(&old, &new);
            let left: Vec<&str> = diff.iter().filter_map(|l| match l { DiffLine::Same(s) | DiffLine::Removed(s) => Some(s.as_str()), _ => None }).collect();
            let right: Vec<&str> = diff.iter().filter_map(|l| match l { DiffLine::Same(s) | DiffLine::Added(s) => Some(s.as_str()), _ => None }).collect();
            prop_assert_eq!(left, old.lines().collect::<Vec<_>>());
            prop_assert_eq!(right, new.lines().collect::<Vec<_>>());
        }
    }
}
