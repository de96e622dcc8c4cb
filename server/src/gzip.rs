//! Gzip for the answers that stream: watches, followed logs, and whatever else the apiserver
//! sends uncompressed. Every chunk is flushed as it comes, so an event or a log line reaches the
//! browser at once, yet it is compressed against everything before it in the stream: a watch's
//! events, alike but for a few fields, shrink to a small part of their size. The price is a
//! compressor per open stream, 352 KB (its window, hash chains and buffers, counted), so only
//! so many streams are compressed at once; the others go plain, as to a browser without gzip.

use std::{
    io::Write,
    sync::atomic::{AtomicUsize, Ordering},
};

use axum::{
    BoxError,
    body::{Body, Bytes},
    http::{HeaderMap, header},
};
use flate2::{Compression, write::GzEncoder};
use futures::{Stream, StreamExt};

/// Whether the browser takes gzip (`Accept-Encoding: gzip, deflate, br`), unless it says `q=0`.
pub fn accepted(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            parts
                .next()
                .is_some_and(|name| name.eq_ignore_ascii_case("gzip"))
                && !parts.any(|parameter| parameter.replace(' ', "") == "q=0")
        })
}

/// Streams compressed at once, at most: 128 compressors are about 45 MB.
const MAX_COMPRESSED_STREAMS: usize = 128;
static COMPRESSED_STREAMS: AtomicUsize = AtomicUsize::new(0);

/// One of the compressed streams' places, given back when the stream ends.
#[derive(Debug)]
pub struct Gzip(());

impl Gzip {
    /// A place for one more compressed stream, if one is free.
    pub fn if_free() -> Option<Gzip> {
        COMPRESSED_STREAMS
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |open| {
                (open < MAX_COMPRESSED_STREAMS).then_some(open + 1)
            })
            .ok()
            .map(|_| Gzip(()))
    }
}

impl Drop for Gzip {
    fn drop(&mut self) {
        COMPRESSED_STREAMS.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The response body of `chunks`: gzipped (flushed per chunk) while holding `gzip`, or plain.
pub fn body<S, E>(chunks: S, gzip: Option<Gzip>) -> Body
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: Into<BoxError> + 'static,
{
    match gzip {
        Some(place) => Body::from_stream(flushed_per_chunk(chunks).map(move |chunk| {
            let _held = &place;
            chunk
        })),
        None => Body::from_stream(chunks),
    }
}

/// `chunks` as one gzip stream, each chunk's bytes out as soon as it is in. An error from
/// `chunks` ends the stream without gzip's trailer, so the browser sees it cut off, not ended.
fn flushed_per_chunk<S, E>(chunks: S) -> impl Stream<Item = Result<Bytes, BoxError>> + Send
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: Into<BoxError> + 'static,
{
    let encoder = GzEncoder::new(Vec::new(), Compression::default());
    futures::stream::unfold(
        (Box::pin(chunks), Some(encoder)),
        |(mut chunks, encoder)| async move {
            let mut encoder = encoder?;
            let (out, encoder) = match chunks.next().await {
                Some(Ok(chunk)) => match compress(&mut encoder, &chunk) {
                    Ok(compressed) => (Ok(compressed), Some(encoder)),
                    Err(error) => (Err(error.into()), None),
                },
                Some(Err(error)) => (Err(error.into()), None),
                None => (encoder.finish().map(Bytes::from).map_err(Into::into), None),
            };
            Some((out, (chunks, encoder)))
        },
    )
}

/// One chunk in, and a sync flush: what it compressed to, ready to send.
fn compress(encoder: &mut GzEncoder<Vec<u8>>, chunk: &[u8]) -> std::io::Result<Bytes> {
    encoder.write_all(chunk)?;
    encoder.flush()?;
    Ok(Bytes::from(std::mem::take(encoder.get_mut())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;
    use proptest::prelude::*;
    use std::io::Read;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, value.parse().unwrap());
        headers
    }

    #[test]
    fn gzip_is_used_only_when_the_browser_takes_it() {
        assert!(accepted(&accepting("gzip, deflate, br, zstd")));
        assert!(accepted(&accepting("br;q=1.0, GZIP;q=0.5")));
        assert!(!accepted(&accepting("br")));
        assert!(!accepted(&accepting("gzip;q=0")));
        assert!(!accepted(&HeaderMap::new()));
    }

    fn gzipped(chunks: Vec<Vec<u8>>) -> Vec<Bytes> {
        let stream = futures::stream::iter(
            chunks
                .into_iter()
                .map(|chunk| Ok::<_, BoxError>(Bytes::from(chunk))),
        );
        futures::executor::block_on(flushed_per_chunk(stream).map(Result::unwrap).collect())
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut plain = Vec::new();
        GzDecoder::new(bytes).read_to_end(&mut plain).unwrap();
        plain
    }

    #[test]
    fn each_event_can_be_read_as_soon_as_its_chunk_is_out() {
        let event = br#"{"type":"MODIFIED","object":{"kind":"DaemonSet"}}"#.to_vec();
        let out = gzipped(vec![event.clone(), event.clone()]);
        // Without the trailer a decoder reads what is there, then reports the stream cut off.
        let mut first = Vec::new();
        let _ = GzDecoder::new(&out[0][..]).read_to_end(&mut first);
        assert_eq!(first, event);
        assert!(
            out[1].len() * 2 < event.len(),
            "the second, like event is {} bytes against {}",
            out[1].len(),
            event.len()
        );
    }

    #[test]
    fn beyond_the_limit_streams_go_plain_until_one_ends() {
        let places: Vec<Gzip> = std::iter::from_fn(Gzip::if_free).collect();
        assert_eq!(places.len(), MAX_COMPRESSED_STREAMS);
        assert!(Gzip::if_free().is_none());
        drop(places);
        assert!(Gzip::if_free().is_some());
    }

    proptest! {
        #[test]
        fn the_stream_unzips_to_the_chunks_in_order(
            chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..12)
        ) {
            let out: Vec<u8> = gzipped(chunks.clone()).concat();
            prop_assert_eq!(gunzip(&out), chunks.concat());
        }
    }
}
