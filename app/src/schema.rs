//! JSON schemas for the YAML editor, cut from the cluster's own OpenAPI document, so validation,
//! completion and hover match the apiserver's version.

use std::{cell::RefCell, collections::HashMap};

use serde_json::{Map, Value, json};

use crate::api;

/// The apps/v1 OpenAPI document. It also holds the core types a pod template uses, and
/// PersistentVolumeClaim (through StatefulSet's claim templates).
const OPENAPI_PATH: &str = "/openapi/v3/apis/apps/v1";
pub const DAEMON_SET: &str = "io.k8s.api.apps.v1.DaemonSet";
pub const PERSISTENT_VOLUME_CLAIM: &str = "io.k8s.api.core.v1.PersistentVolumeClaim";

thread_local! {
    /// Built schemas by root names: the OpenAPI document is large, fetch and cut it once.
    static BUILT: RefCell<HashMap<Vec<&'static str>, String>> = RefCell::default();
}

/// The schema for documents of the `roots` kinds, as JSON text; `None` if the cluster's
/// document could not be read (the editor then works without one).
pub async fn editor_schema(roots: &[&'static str]) -> Option<String> {
    if let Some(built) = BUILT.with_borrow(|built| built.get(roots).cloned()) {
        return Some(built);
    }
    let openapi = api::get_raw(OPENAPI_PATH).await.ok()?;
    let built = cut(&openapi, roots)?.to_string();
    BUILT.with_borrow_mut(|cache| cache.insert(roots.to_vec(), built.clone()));
    Some(built)
}

/// The `roots` schemas of an OpenAPI document with the schemas they refer to (and nothing else,
/// so the editor's worker has less to read); a document may be any of the roots. They move from
/// OpenAPI's `components/schemas` to JSON Schema's `definitions`: next to a `$ref` at the root,
/// that is the one place monaco-yaml still finds them.
fn cut(openapi: &Value, roots: &[&str]) -> Option<Value> {
    let schemas = openapi.pointer("/components/schemas")?.as_object()?;
    let mut kept = Map::new();
    let mut pending: Vec<String> = roots.iter().map(|root| (*root).to_owned()).collect();
    while let Some(name) = pending.pop() {
        if kept.contains_key(&name) {
            continue;
        }
        let Some(schema) = schemas.get(&name) else {
            continue;
        };
        let mut schema = schema.clone();
        move_refs(&mut schema, &mut pending);
        kept.insert(name, schema);
    }
    if !roots.iter().all(|root| kept.contains_key(*root)) {
        return None;
    }
    let refs: Vec<Value> = roots
        .iter()
        .map(|root| json!({"$ref": format!("{DEFINITIONS}{root}")}))
        .collect();
    let mut schema = match <[Value; 1]>::try_from(refs) {
        Ok([single]) => single,
        Err(several) => json!({"anyOf": several}),
    };
    schema["definitions"] = Value::Object(kept);
    Some(schema)
}

const OPENAPI_SCHEMAS: &str = "#/components/schemas/";
const DEFINITIONS: &str = "#/definitions/";

/// Points every `$ref` in `schema` at `definitions` and notes the names it refers to.
fn move_refs(schema: &mut Value, names: &mut Vec<String>) {
    match schema {
        Value::Object(fields) => {
            for (key, value) in fields.iter_mut() {
                match (key.as_str(), value.as_str()) {
                    ("$ref", Some(target)) => {
                        if let Some(name) = target.strip_prefix(OPENAPI_SCHEMAS) {
                            names.push(name.to_owned());
                            *value = Value::String(format!("{DEFINITIONS}{name}"));
                        }
                    }
                    _ => move_refs(value, names),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| move_refs(item, names)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openapi() -> Value {
        json!({"components": {"schemas": {
            "io.k8s.api.apps.v1.DaemonSet": {"properties": {"spec": {"allOf": [{"$ref": "#/components/schemas/Spec"}]}}},
            "Spec": {"properties": {"minReadySeconds": {"type": "integer"}}},
            "io.k8s.api.core.v1.PersistentVolumeClaim": {"type": "object"},
            "io.k8s.api.apps.v1.Deployment": {"type": "object"},
        }}})
    }

    #[test]
    fn the_schema_keeps_the_daemonset_and_what_it_refers_to() {
        let schema = cut(&openapi(), &[DAEMON_SET]).unwrap();
        assert_eq!(schema["$ref"], "#/definitions/io.k8s.api.apps.v1.DaemonSet");
        let kept = schema["definitions"].as_object().unwrap();
        assert_eq!(
            kept.keys().collect::<Vec<_>>(),
            ["Spec", "io.k8s.api.apps.v1.DaemonSet"]
        );
        assert_eq!(
            kept["io.k8s.api.apps.v1.DaemonSet"].pointer("/properties/spec/allOf/0/$ref"),
            Some(&json!("#/definitions/Spec"))
        );
        assert_eq!(cut(&json!({}), &[DAEMON_SET]), None);
    }

    #[test]
    fn several_roots_let_each_document_be_any_of_them() {
        let schema = cut(&openapi(), &[DAEMON_SET, PERSISTENT_VOLUME_CLAIM]).unwrap();
        assert_eq!(
            schema["anyOf"],
            json!([
                {"$ref": "#/definitions/io.k8s.api.apps.v1.DaemonSet"},
                {"$ref": "#/definitions/io.k8s.api.core.v1.PersistentVolumeClaim"},
            ])
        );
        assert!(
            schema["definitions"]
                .get("io.k8s.api.apps.v1.Deployment")
                .is_none()
        );
    }
}
