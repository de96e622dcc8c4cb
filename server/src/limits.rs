//! Bounds on what one session may hold open on a replica at once: terminals and merged-log
//! views, each a long-lived connection to the apiserver (a log view one per followed
//! container). A session past its bound is told so plainly instead of being served.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::http::StatusCode;

use crate::error::ApiError;
use console_model::wire::Reason;

/// Terminals one session may have open at once.
pub const MAX_TERMINALS_PER_SESSION: usize = 8;
/// Merged-log views one session may have open at once.
pub const MAX_LOG_VIEWS_PER_SESSION: usize = 4;

/// The kinds of stream counted.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum Stream {
    Terminal,
    LogView,
}

impl Stream {
    fn limit(self) -> usize {
        match self {
            Stream::Terminal => MAX_TERMINALS_PER_SESSION,
            Stream::LogView => MAX_LOG_VIEWS_PER_SESSION,
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Stream::Terminal => "terminals",
            Stream::LogView => "merged log views",
        }
    }
}

/// Open streams per session id. Cheap to clone.
#[derive(Clone, Default)]
pub struct OpenStreams {
    open: Arc<Mutex<HashMap<(String, Stream), usize>>>,
}

/// One counted stream; the count drops with it.
pub struct Held {
    streams: OpenStreams,
    key: (String, Stream),
}

impl OpenStreams {
    /// Counts one more `stream` for `session_id`, or refuses past the bound.
    pub fn hold(&self, session_id: &str, stream: Stream) -> Result<Held, ApiError> {
        let key = (session_id.to_owned(), stream);
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(key.clone()).or_default();
        if *count >= stream.limit() {
            return Err(ApiError::refused(
                StatusCode::TOO_MANY_REQUESTS,
                Reason::TooManyOpen,
                format!(
                    "this session already has {} {} open; close one first",
                    stream.limit(),
                    stream.plural()
                ),
            ));
        }
        *count += 1;
        Ok(Held {
            streams: self.clone(),
            key,
        })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut open = self.streams.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_refused_past_its_bound_and_may_open_again_once_one_closes() {
        let streams = OpenStreams::default();
        let held: Vec<Held> = (0..MAX_TERMINALS_PER_SESSION)
            .map(|_| streams.hold("s1", Stream::Terminal).unwrap())
            .collect();
        let refused = streams.hold("s1", Stream::Terminal).err().unwrap();
        assert!(refused.to_string().contains("close one first"), "{refused}");
        assert!(
            streams.hold("s2", Stream::Terminal).is_ok(),
            "other sessions are not affected"
        );
        assert!(streams.hold("s1", Stream::LogView).is_ok());
        drop(held);
        assert!(streams.hold("s1", Stream::Terminal).is_ok());
        assert!(streams.open.lock().unwrap().len() <= 1);
    }
}
