//! Reading a request path the way the apiserver will route it: percent-decoded once, split on
//! `/`. Anything whose decoded form could be read another way (an encoded `/`, a `.` or `..`
//! segment, an empty segment, bytes that are not UTF-8, control characters) is refused rather
//! than guessed at, and what is forwarded is re-encoded from the checked segments.

use std::fmt::Write;

/// Why a path is not forwarded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("the path has a malformed percent-escape")]
    BadEscape,
    #[error("the path encodes a '/' inside a segment")]
    EncodedSlash,
    #[error("the path has a '.' or '..' segment")]
    DotSegment,
    #[error("the path has an empty segment")]
    EmptySegment,
    #[error("the path is not UTF-8 once decoded")]
    NotUtf8,
    #[error("the path holds control characters or a backslash")]
    ControlCharacter,
}

/// The decoded segments of `raw` (a path as sent, starting with `/`).
pub fn decode(raw: &str) -> Result<Vec<String>, PathError> {
    let Some(rest) = raw.strip_prefix('/') else {
        return Err(PathError::EmptySegment);
    };
    rest.split('/').map(decode_segment).collect()
}

fn decode_segment(raw: &str) -> Result<String, PathError> {
    if raw.is_empty() {
        return Err(PathError::EmptySegment);
    }
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'%' {
            let hex = bytes
                .get(index + 1..index + 3)
                .ok_or(PathError::BadEscape)?;
            let hex = std::str::from_utf8(hex).map_err(|_| PathError::BadEscape)?;
            let value = u8::from_str_radix(hex, 16).map_err(|_| PathError::BadEscape)?;
            decoded.push(value);
            index += 3;
        } else {
            decoded.push(byte);
            index += 1;
        }
    }
    let segment = String::from_utf8(decoded).map_err(|_| PathError::NotUtf8)?;
    if segment.contains('/') {
        return Err(PathError::EncodedSlash);
    }
    if segment == "." || segment == ".." {
        return Err(PathError::DotSegment);
    }
    if segment.chars().any(|c| c.is_control() || c == '\\') {
        return Err(PathError::ControlCharacter);
    }
    Ok(segment)
}

/// `/`-joined segments with everything but RFC 3986's unreserved characters percent-encoded,
/// so the apiserver decodes exactly the segments that were checked.
pub fn encode(segments: &[String]) -> String {
    let mut path = String::new();
    for segment in segments {
        path.push('/');
        for byte in segment.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                path.push(byte as char);
            } else {
                let _ = write!(path, "%{byte:02X}");
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_segments_decode_as_they_are() {
        assert_eq!(
            decode("/api/v1/namespaces/logging/pods").unwrap(),
            ["api", "v1", "namespaces", "logging", "pods"]
        );
    }

    #[test]
    fn escapes_are_decoded_once() {
        assert_eq!(decode("/api/v1/nodes/n1/%70roxy").unwrap()[4], "proxy");
        assert_eq!(decode("/a/%2570roxy").unwrap()[1], "%70roxy");
    }

    #[test]
    fn an_encoded_slash_is_refused() {
        assert_eq!(
            decode("/api/v1/nodes/n1%2Fproxy"),
            Err(PathError::EncodedSlash)
        );
        assert_eq!(
            decode("/api/v1/nodes/n1%2fproxy"),
            Err(PathError::EncodedSlash)
        );
    }

    #[test]
    fn dot_and_empty_segments_are_refused_however_written() {
        for path in [
            "/api/v1/../v1/nodes",
            "/api/v1/./nodes",
            "/api/v1/%2e%2e/nodes",
            "/api/v1/%2E/nodes",
            "/api//v1",
            "/api/v1/",
        ] {
            assert!(decode(path).is_err(), "{path}");
        }
    }

    #[test]
    fn malformed_escapes_bad_utf8_and_control_characters_are_refused() {
        assert_eq!(decode("/api/%"), Err(PathError::BadEscape));
        assert_eq!(decode("/api/%zz"), Err(PathError::BadEscape));
        assert_eq!(decode("/api/%ff"), Err(PathError::NotUtf8));
        assert_eq!(decode("/api/a%00b"), Err(PathError::ControlCharacter));
        assert_eq!(decode("/api/a%5Cb"), Err(PathError::ControlCharacter));
    }

    #[test]
    fn encoding_escapes_all_but_unreserved_characters() {
        let segments = ["api".to_owned(), "a b/c%".to_owned(), "日".to_owned()];
        let encoded = encode(&segments);
        assert_eq!(encoded, "/api/a%20b%2Fc%25/%E6%97%A5");
        assert_eq!(decode(&encoded), Err(PathError::EncodedSlash));
        assert_eq!(
            decode(&encode(&segments[..1])).unwrap(),
            segments[..1].to_vec()
        );
    }
}
