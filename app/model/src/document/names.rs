//! Kubernetes' name and label syntax, as `k8s.io/apimachinery/pkg/util/validation` defines it.

/// A DNS-1123 label (container, volume and namespace names): at most 63 lowercase letters,
/// digits and `-`, starting and ending with a letter or digit.
pub fn is_dns_label(name: &str) -> bool {
    name.len() <= 63 && is_dns_part(name)
}

/// A DNS-1123 subdomain (most object names): at most 253 characters, DNS labels joined by `.`.
pub fn is_dns_subdomain(name: &str) -> bool {
    name.len() <= 253 && name.split('.').all(is_dns_part)
}

/// Whether a project, an object in it and optionally one of its containers are named as
/// Kubernetes allows: so a name taken from a URL can go into an API path unchanged.
pub fn are_object_names(namespace: &str, name: &str, container: Option<&str>) -> bool {
    is_dns_label(namespace) && is_dns_subdomain(name) && container.is_none_or(is_dns_label)
}

/// A label or annotation key: an optional DNS subdomain prefix and `/`, then a name of at most
/// 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.
pub fn is_label_key(key: &str) -> bool {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    prefix.is_none_or(|p| !p.is_empty() && is_dns_subdomain(p))
        && !name.is_empty()
        && is_label_value(name)
}

/// A label value: empty, or at most 63 letters, digits, `-`, `_` and `.`, starting and ending
/// with a letter or digit.
pub fn is_label_value(value: &str) -> bool {
    let bytes = value.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    bytes.is_empty()
        || (bytes.len() <= 63
            && edge(bytes.first())
            && edge(bytes.last())
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
}

/// A port name (IANA service name): at most 15 lowercase letters, digits and `-`, with at
/// least one letter, no `--`, and no `-` at either end.
pub fn is_port_name(name: &str) -> bool {
    (1..=15).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && name.bytes().any(|b| b.is_ascii_lowercase())
        && !name.contains("--")
        && !name.starts_with('-')
        && !name.ends_with('-')
}

fn is_dns_part(part: &str) -> bool {
    let bytes = part.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    edge(bytes.first())
        && edge(bytes.last())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_labels() {
        assert!(is_dns_label("fluent-bit"));
        assert!(is_dns_label("a"));
        assert!(is_dns_label(&"a".repeat(63)));
        for bad in ["", "Fluent", "-a", "a-", "a.b", "a_b", &"a".repeat(64)] {
            assert!(!is_dns_label(bad), "{bad}");
        }
    }

    #[test]
    fn dns_subdomains() {
        assert!(is_dns_subdomain("node-exporter"));
        assert!(is_dns_subdomain("calico.node.v3"));
        for bad in ["", "a..b", ".a", "a.", "A", "a_b", &"a".repeat(254)] {
            assert!(!is_dns_subdomain(bad), "{bad}");
        }
    }

    #[test]
    fn label_keys() {
        for good in [
            "app",
            "app.kubernetes.io/name",
            "k8s-app",
            "A_b.c",
            "example.com/Some_Key",
        ] {
            assert!(is_label_key(good), "{good}");
        }
        for bad in [
            "",
            "/app",
            "app/",
            "-app",
            "a/b/c",
            "Example.com/x",
            "app name",
        ] {
            assert!(!is_label_key(bad), "{bad}");
        }
    }

    #[test]
    fn label_values() {
        for good in ["", "v1.2.3", "fluent_bit", "A-1"] {
            assert!(is_label_value(good), "{good}");
        }
        for bad in ["-v", "v-", "a b", "a/b", &"a".repeat(64)] {
            assert!(!is_label_value(bad), "{bad}");
        }
    }

    #[test]
    fn port_names() {
        for good in ["http", "metrics", "http-2", "p8080"] {
            assert!(is_port_name(good), "{good}");
        }
        for bad in [
            "",
            "8080",
            "HTTP",
            "a--b",
            "-a",
            "a-",
            "a-very-long-port-name",
        ] {
            assert!(!is_port_name(bad), "{bad}");
        }
    }
}
