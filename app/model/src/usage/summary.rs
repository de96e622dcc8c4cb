//! What each DaemonSet's pods use, for the list: from one list of pod samples, which carry the
//! pod's name and labels but not its owner.

use std::collections::BTreeMap;

use super::{PodMetrics, Usage};

/// A DaemonSet's pods together, and the most any one of them uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DaemonSetUsage {
    /// How many of its pods were measured.
    pub pods: usize,
    pub total: Usage,
    /// The highest CPU and the highest memory of one pod (maybe two different pods).
    pub highest: Usage,
}

/// The apiserver names a DaemonSet's pods `generateName` + 5 characters, its generateName being
/// `<daemonset>-` cut to 58 characters (so names stay within 63).
const GENERATED_SUFFIX: usize = 5;
const MAX_GENERATE_NAME: usize = 63 - GENERATED_SUFFIX;

fn generate_name(daemonset: &str) -> String {
    let mut prefix = format!("{daemonset}-");
    prefix.truncate(MAX_GENERATE_NAME);
    prefix
}

/// Each DaemonSet's pods' usage, from one list of samples (a project's, or all projects').
/// A sample counts for the DaemonSet whose generated name prefix its pod name has, when it
/// carries the label only the DaemonSet controller sets (`pod-template-generation`): a pod of
/// another controller has neither, and a DaemonSet whose name merely starts the same has a
/// longer prefix.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UsageByDaemonSet(BTreeMap<(String, String), DaemonSetUsage>);

impl UsageByDaemonSet {
    pub fn of<'a>(samples: impl IntoIterator<Item = &'a PodMetrics>) -> Self {
        let mut usage: BTreeMap<(String, String), DaemonSetUsage> = BTreeMap::new();
        for sample in samples {
            let meta = &sample.metadata;
            if !meta.labels.contains_key("pod-template-generation") {
                continue;
            }
            let Some(prefix) = meta
                .name
                .len()
                .checked_sub(GENERATED_SUFFIX)
                .and_then(|end| meta.name.get(..end))
            else {
                continue;
            };
            let pod = sample.usage();
            let entry = usage
                .entry((meta.namespace.clone(), prefix.to_owned()))
                .or_default();
            entry.pods += 1;
            entry.total = entry.total + pod;
            entry.highest = entry.highest.max(pod);
        }
        UsageByDaemonSet(usage)
    }

    /// The usage of the DaemonSet `name` in `namespace`, if any pod of it was measured.
    pub fn get(&self, namespace: &str, name: &str) -> Option<DaemonSetUsage> {
        self.0
            .get(&(namespace.to_owned(), generate_name(name)))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::{k8s::ObjectMeta, usage::ContainerMetrics};

    fn sample(namespace: &str, name: &str, daemon: bool, cpu: &str, memory: &str) -> PodMetrics {
        let mut labels = BTreeMap::new();
        if daemon {
            labels.insert("pod-template-generation".to_owned(), "1".to_owned());
        }
        PodMetrics {
            metadata: ObjectMeta {
                name: name.to_owned(),
                namespace: namespace.to_owned(),
                labels,
                ..ObjectMeta::default()
            },
            containers: vec![ContainerMetrics {
                name: "c".to_owned(),
                usage: BTreeMap::from([
                    ("cpu".to_owned(), cpu.to_owned()),
                    ("memory".to_owned(), memory.to_owned()),
                ]),
            }],
            ..PodMetrics::default()
        }
    }

    #[test]
    fn counts_each_pod_for_the_daemonset_that_made_it() {
        let samples = [
            sample("logging", "fluent-bit-abcde", true, "35m", "70Mi"),
            sample("logging", "fluent-bit-fghij", true, "62m", "96Mi"),
            // Another DaemonSet whose name starts the same.
            sample("logging", "fluent-bit-extra-klmno", true, "1", "1Gi"),
            // A Deployment's pod; a DaemonSet of the same name in another project.
            sample("logging", "fluent-bit-pqrst", false, "1", "1Gi"),
            sample("other", "fluent-bit-uvwxy", true, "1", "1Gi"),
        ];
        let usage = UsageByDaemonSet::of(&samples);
        let fluent = usage.get("logging", "fluent-bit").unwrap();
        assert_eq!(fluent.pods, 2);
        assert_eq!(fluent.total.memory_bytes, 166 * 1024 * 1024);
        assert_eq!(fluent.highest.cpu_nanocores, 62_000_000);
        assert_eq!(usage.get("logging", "fluent-bit-extra").unwrap().pods, 1);
        assert_eq!(usage.get("other", "fluent-bit").unwrap().pods, 1);
        assert_eq!(usage.get("logging", "fluent"), None);
    }

    #[test]
    fn long_names_are_cut_as_the_apiserver_cuts_them() {
        let long = "a".repeat(62);
        let pod = format!("{}xyzab", &format!("{long}-")[..58]);
        let usage = UsageByDaemonSet::of(&[sample("ns", &pod, true, "1m", "1Mi")]);
        assert_eq!(usage.get("ns", &long).unwrap().pods, 1);
    }
}
