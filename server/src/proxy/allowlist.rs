//! The one list of Kubernetes API paths the console forwards: exactly the resources and
//! subresources the app calls, each with the methods it uses. Everything else is refused before
//! the apiserver sees it, above all the `proxy`, `exec`, `attach` and `portforward` subresources
//! (the terminal has its own route, which checks the user's `pods/exec` right itself).

use axum::http::Method;
use console_model::document::{is_dns_label, is_dns_subdomain};

/// Where a resource lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// Cluster-wide objects (`nodes`): `/{prefix}/{resource}[/{name}]`.
    Cluster,
    /// Objects in a project: `/{prefix}/namespaces/{ns}/{resource}[/{name}]`, and lists across
    /// projects at `/{prefix}/{resource}`.
    Namespaced,
}

/// The methods a path may be called with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Methods {
    Read,
    /// Create, replace, patch and delete as well (the apiserver's RBAC still decides).
    ReadWrite,
    /// Only created (access reviews are questions, not objects).
    CreateOnly,
    /// Read, and one object deleted: pods, so a rollout can replace a node's pod (the
    /// controller creates the new one; the console never writes a pod).
    ReadDelete,
}

impl Methods {
    fn allow(self, method: &Method, is_collection: bool) -> bool {
        match self {
            Methods::Read => *method == Method::GET,
            Methods::ReadWrite => {
                *method == Method::GET
                    || (*method == Method::POST && is_collection)
                    || (!is_collection
                        && [Method::PUT, Method::PATCH, Method::DELETE].contains(method))
            }
            Methods::CreateOnly => *method == Method::POST && is_collection,
            Methods::ReadDelete => {
                *method == Method::GET || (*method == Method::DELETE && !is_collection)
            }
        }
    }
}

struct Allowed {
    /// `""` for the core group.
    group: &'static str,
    version: &'static str,
    resource: &'static str,
    scope: Scope,
    methods: Methods,
    /// Subresources of one object, read-only.
    subresources: &'static [&'static str],
}

const fn allow(
    group: &'static str,
    version: &'static str,
    resource: &'static str,
    scope: Scope,
    methods: Methods,
) -> Allowed {
    Allowed {
        group,
        version,
        resource,
        scope,
        methods,
        subresources: &[],
    }
}

/// What the app calls, page by page: the DaemonSet pages (daemonsets, their pods and the pods'
/// logs, events, nodes, controllerrevisions; a pod deleted to update its node now), the project picker (namespaces), the wizard
/// (claims, storage classes, config maps, secrets, priority classes, cluster pods for host
/// ports), the controls (access reviews), the YAML editor (OpenAPI, version) and usage
/// (metrics-server's pods and nodes).
const ALLOWED: &[Allowed] = &[
    allow(
        "apps",
        "v1",
        "daemonsets",
        Scope::Namespaced,
        Methods::ReadWrite,
    ),
    allow(
        "apps",
        "v1",
        "controllerrevisions",
        Scope::Namespaced,
        Methods::Read,
    ),
    Allowed {
        subresources: &["log"],
        ..allow("", "v1", "pods", Scope::Namespaced, Methods::ReadDelete)
    },
    allow("", "v1", "events", Scope::Namespaced, Methods::Read),
    allow("", "v1", "nodes", Scope::Cluster, Methods::Read),
    allow("", "v1", "namespaces", Scope::Cluster, Methods::Read),
    allow(
        "",
        "v1",
        "persistentvolumeclaims",
        Scope::Namespaced,
        Methods::ReadWrite,
    ),
    allow("", "v1", "configmaps", Scope::Namespaced, Methods::Read),
    allow("", "v1", "secrets", Scope::Namespaced, Methods::Read),
    allow(
        "storage.k8s.io",
        "v1",
        "storageclasses",
        Scope::Cluster,
        Methods::Read,
    ),
    allow(
        "scheduling.k8s.io",
        "v1",
        "priorityclasses",
        Scope::Cluster,
        Methods::Read,
    ),
    allow(
        "metrics.k8s.io",
        "v1beta1",
        "pods",
        Scope::Namespaced,
        Methods::Read,
    ),
    allow(
        "metrics.k8s.io",
        "v1beta1",
        "nodes",
        Scope::Cluster,
        Methods::Read,
    ),
    allow(
        "authorization.k8s.io",
        "v1",
        "selfsubjectaccessreviews",
        Scope::Cluster,
        Methods::CreateOnly,
    ),
];

/// What a forwarded Kubernetes API path names; empty strings where a part is absent.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ApiTarget {
    pub group: String,
    pub version: String,
    pub namespace: String,
    pub resource: String,
    pub name: String,
    pub subresource: String,
}

/// Why a decoded path is not forwarded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the console does not forward this path")]
    NotAllowed,
    #[error("the console does not forward the {0} subresource")]
    Subresource(String),
    #[error("{0:?} is not a valid Kubernetes name")]
    BadName(String),
    #[error("this path cannot be called with {0}")]
    Method(Method),
}

/// Checks decoded `segments` against the list; the object they name when allowed.
pub fn check(method: &Method, segments: &[String]) -> Result<ApiTarget, Refusal> {
    let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    match parts.as_slice() {
        ["version"] | ["openapi", "v3"] => read_only(method, ApiTarget::default()),
        ["openapi", "v3", "api", "v1"] => read_only(method, ApiTarget::default()),
        ["openapi", "v3", "apis", group, version] => {
            let served = ALLOWED
                .iter()
                .any(|entry| entry.group == *group && entry.version == *version);
            if !served {
                return Err(Refusal::NotAllowed);
            }
            read_only(method, ApiTarget::default())
        }
        ["api", version, rest @ ..] => resource_path(method, "", version, rest),
        ["apis", group, version, rest @ ..] => resource_path(method, group, version, rest),
        _ => Err(Refusal::NotAllowed),
    }
}

fn read_only(method: &Method, target: ApiTarget) -> Result<ApiTarget, Refusal> {
    if *method == Method::GET {
        Ok(target)
    } else {
        Err(Refusal::Method(method.clone()))
    }
}

fn resource_path(
    method: &Method,
    group: &str,
    version: &str,
    rest: &[&str],
) -> Result<ApiTarget, Refusal> {
    let (namespace, rest) = match rest {
        ["namespaces", namespace, rest @ ..] if !rest.is_empty() => (Some(*namespace), rest),
        other => (None, other),
    };
    let (resource, name, subresource) = match rest {
        [resource] => (*resource, None, None),
        [resource, name] => (*resource, Some(*name), None),
        [resource, name, subresource] => (*resource, Some(*name), Some(*subresource)),
        _ => return Err(Refusal::NotAllowed),
    };
    let entry = ALLOWED
        .iter()
        .find(|entry| {
            entry.group == group && entry.version == version && entry.resource == resource
        })
        .ok_or(Refusal::NotAllowed)?;
    match (entry.scope, namespace) {
        (Scope::Cluster, Some(_)) => return Err(Refusal::NotAllowed),
        // A project's objects are reached inside it; across projects only as a list.
        (Scope::Namespaced, None) if name.is_some() => return Err(Refusal::NotAllowed),
        _ => {}
    }
    if let Some(namespace) = namespace
        && !is_dns_label(namespace)
    {
        return Err(Refusal::BadName(namespace.to_owned()));
    }
    if let Some(name) = name
        && !is_dns_subdomain(name)
    {
        return Err(Refusal::BadName(name.to_owned()));
    }
    let allowed = match subresource {
        None => entry.methods.allow(method, name.is_none()),
        Some(sub) if entry.subresources.contains(&sub) => *method == Method::GET,
        Some(sub) => return Err(Refusal::Subresource(sub.to_owned())),
    };
    if !allowed {
        return Err(Refusal::Method(method.clone()));
    }
    Ok(ApiTarget {
        group: group.to_owned(),
        version: version.to_owned(),
        namespace: namespace.unwrap_or_default().to_owned(),
        resource: resource.to_owned(),
        name: name.unwrap_or_default().to_owned(),
        subresource: subresource.unwrap_or_default().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxy::path::decode;
    use proptest::prelude::*;

    fn checked(method: Method, path: &str) -> Result<ApiTarget, Refusal> {
        check(&method, &decode(path).expect("decodes"))
    }

    #[test]
    fn every_path_the_app_calls_is_forwarded() {
        for path in [
            "/apis/apps/v1/daemonsets",
            "/apis/apps/v1/namespaces/logging/daemonsets",
            "/apis/apps/v1/namespaces/logging/daemonsets/fluent-bit",
            "/apis/apps/v1/namespaces/logging/controllerrevisions",
            "/api/v1/namespaces/logging/pods",
            "/api/v1/namespaces/logging/pods/fluent-bit-x1",
            "/api/v1/namespaces/logging/pods/fluent-bit-x1/log",
            "/api/v1/pods",
            "/api/v1/namespaces/logging/events",
            "/api/v1/nodes",
            "/api/v1/namespaces",
            "/api/v1/namespaces/logging",
            "/api/v1/namespaces/logging/persistentvolumeclaims",
            "/api/v1/namespaces/logging/configmaps",
            "/api/v1/namespaces/logging/secrets",
            "/apis/storage.k8s.io/v1/storageclasses",
            "/apis/scheduling.k8s.io/v1/priorityclasses",
            "/apis/metrics.k8s.io/v1beta1/namespaces/logging/pods",
            "/apis/metrics.k8s.io/v1beta1/namespaces/logging/pods/fluent-bit-x1",
            "/apis/metrics.k8s.io/v1beta1/nodes",
            "/apis/metrics.k8s.io/v1beta1/nodes/kwok-worker-1",
            "/openapi/v3",
            "/openapi/v3/apis/apps/v1",
            "/openapi/v3/api/v1",
            "/version",
        ] {
            assert!(checked(Method::GET, path).is_ok(), "{path}");
        }
        for (method, path) in [
            (Method::POST, "/apis/apps/v1/namespaces/logging/daemonsets"),
            (Method::PUT, "/apis/apps/v1/namespaces/logging/daemonsets/a"),
            (
                Method::PATCH,
                "/apis/apps/v1/namespaces/logging/daemonsets/a",
            ),
            (
                Method::DELETE,
                "/apis/apps/v1/namespaces/logging/daemonsets/a",
            ),
            (
                Method::POST,
                "/api/v1/namespaces/logging/persistentvolumeclaims",
            ),
            (
                Method::DELETE,
                "/api/v1/namespaces/logging/persistentvolumeclaims/c",
            ),
            (
                Method::POST,
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
            ),
            (
                Method::DELETE,
                "/api/v1/namespaces/logging/pods/fluent-bit-x1",
            ),
        ] {
            assert!(checked(method.clone(), path).is_ok(), "{method} {path}");
        }
    }

    #[test]
    fn pods_may_be_deleted_one_by_one_but_never_written_or_deleted_as_a_collection() {
        for (method, path) in [
            (Method::POST, "/api/v1/namespaces/logging/pods"),
            (Method::PUT, "/api/v1/namespaces/logging/pods/p"),
            (Method::PATCH, "/api/v1/namespaces/logging/pods/p"),
            (Method::DELETE, "/api/v1/namespaces/logging/pods"),
            (Method::DELETE, "/api/v1/namespaces/logging/pods/p/log"),
        ] {
            assert!(
                matches!(checked(method.clone(), path), Err(Refusal::Method(_))),
                "{method} {path}"
            );
        }
    }

    #[test]
    fn streaming_and_proxy_subresources_are_refused() {
        for path in [
            "/api/v1/namespaces/logging/pods/p/proxy",
            "/api/v1/namespaces/logging/pods/p/exec",
            "/api/v1/namespaces/logging/pods/p/attach",
            "/api/v1/namespaces/logging/pods/p/portforward",
            "/api/v1/nodes/n1/proxy",
            "/api/v1/nodes/n1/%70roxy",
            "/api/v1/namespaces/logging/services/s/proxy",
            "/api/v1/namespaces/logging/pods/p:8080/proxy",
        ] {
            assert!(checked(Method::GET, path).is_err(), "{path}");
        }
    }

    #[test]
    fn resources_and_methods_the_app_does_not_use_are_refused() {
        assert_eq!(
            checked(Method::GET, "/api/v1/namespaces/logging/services"),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            checked(
                Method::GET,
                "/apis/rbac.authorization.k8s.io/v1/clusterroles"
            ),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            checked(Method::DELETE, "/api/v1/nodes/n1"),
            Err(Refusal::Method(Method::DELETE))
        );
        assert_eq!(
            checked(Method::POST, "/api/v1/namespaces/logging/secrets"),
            Err(Refusal::Method(Method::POST))
        );
        assert_eq!(
            checked(
                Method::DELETE,
                "/apis/metrics.k8s.io/v1beta1/namespaces/logging/pods/p"
            ),
            Err(Refusal::Method(Method::DELETE))
        );
        assert_eq!(
            checked(
                Method::DELETE,
                "/apis/apps/v1/namespaces/logging/daemonsets"
            ),
            Err(Refusal::Method(Method::DELETE)),
            "no delete-collection"
        );
        assert_eq!(checked(Method::GET, "/healthz"), Err(Refusal::NotAllowed));
        assert_eq!(
            checked(Method::GET, "/openapi/v3/apis/rbac.authorization.k8s.io/v1"),
            Err(Refusal::NotAllowed)
        );
    }

    #[test]
    fn names_must_be_kubernetes_names() {
        assert_eq!(
            checked(Method::GET, "/api/v1/namespaces/Logging/pods"),
            Err(Refusal::BadName("Logging".into()))
        );
        assert_eq!(
            checked(Method::GET, "/api/v1/namespaces/logging/pods/a%3Bb"),
            Err(Refusal::BadName("a;b".into()))
        );
    }

    #[test]
    fn the_target_names_the_object_for_the_audit_line() {
        assert_eq!(
            checked(Method::GET, "/api/v1/namespaces/logging/pods/p-1/log").unwrap(),
            ApiTarget {
                group: String::new(),
                version: "v1".into(),
                namespace: "logging".into(),
                resource: "pods".into(),
                name: "p-1".into(),
                subresource: "log".into(),
            }
        );
        let namespace = checked(Method::GET, "/api/v1/namespaces/logging").unwrap();
        assert_eq!(
            (namespace.namespace.as_str(), namespace.resource.as_str()),
            ("", "namespaces")
        );
    }

    /// Pieces an attacker would put together: the words the apiserver routes on, written
    /// plainly, percent-encoded (in part or whole, upper or lower case) or doubled.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("api".to_owned()),
            Just("apis".to_owned()),
            Just("v1".to_owned()),
            Just("apps".to_owned()),
            Just("namespaces".to_owned()),
            Just("logging".to_owned()),
            Just("pods".to_owned()),
            Just("nodes".to_owned()),
            Just("services".to_owned()),
            Just("daemonsets".to_owned()),
            Just("p".to_owned()),
            Just("log".to_owned()),
            Just("proxy".to_owned()),
            Just("%70roxy".to_owned()),
            Just("pro%78y".to_owned()),
            Just("%2570roxy".to_owned()),
            Just("exec".to_owned()),
            Just("%65xec".to_owned()),
            Just("attach".to_owned()),
            Just("portforward".to_owned()),
            Just("p:80".to_owned()),
            Just("%2F".to_owned()),
            Just("%2f".to_owned()),
            Just("%2e%2e".to_owned()),
            Just(".".to_owned()),
            Just("%3B".to_owned()),
            Just("".to_owned()),
            "[a-z0-9%.:-]{1,8}",
        ]
    }

    fn path() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 1..9).prop_map(|pieces| {
            let mut path = String::new();
            for piece in pieces {
                path.push('/');
                path.push_str(&piece);
            }
            path
        })
    }

    const FORBIDDEN: [&str; 4] = ["proxy", "exec", "attach", "portforward"];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Whatever is forwarded is read by the apiserver (which decodes once and splits on
        /// `/`) as a path with no proxy, exec, attach or port-forward subresource in it.
        #[test]
        fn no_accepted_path_reaches_a_forbidden_subresource(raw in path(), write in any::<bool>()) {
            let method = if write { Method::POST } else { Method::GET };
            let Ok(segments) = decode(&raw) else { return Ok(()); };
            let Ok(target) = check(&method, &segments) else { return Ok(()); };
            let forwarded = crate::proxy::path::encode(&segments);
            let apiserver_view: Vec<String> = forwarded
                .split('/')
                .skip(1)
                .map(percent_decode)
                .collect();
            prop_assert_eq!(&apiserver_view, &segments);
            prop_assert!(!FORBIDDEN.contains(&target.subresource.as_str()));
            for segment in &apiserver_view {
                prop_assert!(!segment.ends_with(":proxy"));
                prop_assert!(!segment.contains('/'));
            }
            for subresource in subresources_in(&apiserver_view) {
                prop_assert!(!FORBIDDEN.contains(&subresource), "{} reaches {}", raw, subresource);
            }
        }
    }

    /// Every segment the apiserver reads as a subresource (anything after a resource and a
    /// name), found without the code under test.
    fn subresources_in(view: &[String]) -> Vec<&str> {
        let rest = match view.first().map(String::as_str) {
            Some("api") if view.len() > 2 => &view[2..],
            Some("apis") if view.len() > 3 => &view[3..],
            _ => return vec![],
        };
        let rest = if rest.len() > 2 && rest[0] == "namespaces" {
            &rest[2..]
        } else {
            rest
        };
        rest.iter().skip(2).map(String::as_str).collect()
    }

    /// The apiserver's view of one segment, decoded independently of the code under test.
    fn percent_decode(segment: &str) -> String {
        let bytes = segment.as_bytes();
        let mut out = Vec::new();
        let mut index = 0;
        while index < bytes.len() {
            if bytes[index] == b'%' {
                let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                index += 3;
            } else {
                out.push(bytes[index]);
                index += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
}
