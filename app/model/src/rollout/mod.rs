//! Rollouts node by node on plain DaemonSets: which revision each pod runs, why a node has not
//! moved yet, what the strategy's budget allows next, and the records the console keeps on the
//! DaemonSet itself (pause, stop, canary) so that every user and tab sees the same state.

mod budget;
mod canary;
mod groups;
#[cfg(test)]
mod merge;
mod nodes;
mod pause;
mod revision;
mod stop;
#[cfg(test)]
mod tests;
mod update;

pub use budget::Limits;
pub use canary::{
    CANARY_ANNOTATION, CanaryPhase, CanaryRecord, NoCanary, can_canary, canary_object,
    continue_patch, nodes_with_label, rollback_patch,
};
pub use groups::{Group, Progress, groups, in_group, label_keys};
pub use nodes::{
    NodeRollout, NodeState, NotAvailable, PodFacts, Termination, Wait, node_rollouts, nodes_of_pods,
};
pub use pause::{PAUSE_ANNOTATION, PauseRecord, can_pause, pause_patch, resume_patch};
pub use revision::{PodRevision, REVISION_HASH_LABEL, Revisions};
pub use stop::{
    STOP_ANNOTATION, STOP_NODE_LABEL, StopRecord, nodes_after_start, start_patch, stop_patch,
};
pub use update::{NodeUpdate, NodeUpdateState, updatable};
