//! What is wrong where, said in the user's language: validation problems, the apiserver's
//! refusals, a name that is taken, and text that cannot be read.

use console_model::{
    document::{ClaimForm, DaemonSetForm, FieldPath, Keyed, Problem, ReadError, Subject},
    refusal::{self, Reason},
};

use crate::{
    api::ApiError,
    i18n::{Lang, Msg},
    yaml_problems::{refusal_text, yaml_error_text},
};

/// A field the apiserver refused at create.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub path: FieldPath,
    pub said: Said,
}

/// What is said about a refused field.
#[derive(Clone, Debug, PartialEq)]
pub enum Said {
    /// The apiserver's own words (a cause of 422 Invalid, a name taken).
    Cluster(String),
    /// A value it could not decode, said in the user's language.
    Decoding(Reason),
}

impl Said {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Said::Cluster(message) => format!("{} {message}", Msg::RefusedByCluster.text(lang)),
            Said::Decoding(reason) => refusal_text(reason, lang),
        }
    }
}

/// The refusals an API error names: one per cause with a field, read back to the form's field
/// of that path; a name already taken is the name's; a value that could not be decoded (400 Bad
/// Request) is found in `object`, what was sent. A field that is not a path stands for the
/// whole document.
pub fn refusals(subject: Subject, error: &ApiError, object: &serde_json::Value) -> Vec<Refusal> {
    let ApiError::Server {
        reason,
        message,
        causes,
        ..
    } = error
    else {
        return Vec::new();
    };
    let document = FieldPath::of(subject);
    if reason == "AlreadyExists" {
        let name = match subject {
            Subject::DaemonSet => DaemonSetForm::KEYS.name,
            Subject::Claim(_) => ClaimForm::KEYS.name,
        };
        return vec![Refusal {
            path: document.join(name),
            said: Said::Cluster(message.clone()),
        }];
    }
    let at = |field: &str| FieldPath::parse(subject, field).unwrap_or_else(|| document.clone());
    let decoded = refusal::fields(message, object)
        .into_iter()
        .map(|field| Refusal {
            path: at(&field.path),
            said: Said::Decoding(field.reason),
        });
    causes
        .iter()
        .filter(|cause| !cause.field.is_empty())
        .map(|cause| Refusal {
            path: at(&cause.field),
            said: Said::Cluster(cause.message.clone()),
        })
        .chain(decoded)
        .collect()
}

/// What is shown under a field.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldProblem {
    Invalid(Problem),
    Refused(Said),
    Clash { project: String, name: String },
}

impl FieldProblem {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            FieldProblem::Invalid(problem) => problem_text(*problem, lang),
            FieldProblem::Refused(said) => said.text(lang),
            FieldProblem::Clash { project, name } => Msg::NameTaken
                .text(lang)
                .replace("{name}", name)
                .replace("{project}", project),
        }
    }
}

/// A validation problem in words.
pub fn problem_text(problem: Problem, lang: Lang) -> String {
    let msg = match problem {
        Problem::Required => Msg::ProblemRequired,
        Problem::NotDnsLabel => Msg::ProblemNotDnsLabel,
        Problem::NotDnsSubdomain => Msg::ProblemNotDnsSubdomain,
        Problem::NotLabelKey => Msg::ProblemNotLabelKey,
        Problem::NotLabelValue => Msg::ProblemNotLabelValue,
        Problem::NotPortName => Msg::ProblemNotPortName,
        Problem::NotIpAddress => Msg::ProblemNotIpAddress,
        Problem::NotQuantity => Msg::ProblemNotQuantity,
        Problem::NegativeQuantity => Msg::ProblemNegativeQuantity,
        Problem::NotIntOrPercent => Msg::ProblemNotIntOrPercent,
        Problem::PercentAboveHundred => Msg::ProblemPercentAboveHundred,
        Problem::Duplicate => Msg::ProblemDuplicate,
        Problem::RequestAboveLimit => Msg::ProblemRequestAboveLimit,
        Problem::PortOutOfRange => Msg::ProblemPortOutOfRange,
        Problem::TooSmall { minimum } => {
            return Msg::ProblemTooSmall
                .text(lang)
                .replace("{minimum}", &minimum.to_string());
        }
        Problem::UnknownVolume => Msg::ProblemUnknownVolume,
        Problem::EmptyKeyNeedsExists => Msg::ProblemEmptyKeyNeedsExists,
        Problem::ValueWithExists => Msg::ProblemValueWithExists,
        Problem::SecondsNeedNoExecute => Msg::ProblemSecondsNeedNoExecute,
        Problem::NoRoomToUpdate => Msg::ProblemNoRoomToUpdate,
        Problem::SingleNodeVolumeShared => Msg::ProblemSingleNodeVolumeShared,
    };
    msg.text(lang).to_owned()
}

/// Why text could not be read as a DaemonSet, with where.
pub fn read_error_text(error: &ReadError, lang: Lang) -> String {
    let fill = |msg: Msg, document: usize| {
        Msg::text(msg, lang).replace("{document}", &document.to_string())
    };
    match error {
        ReadError::Syntax(error) => yaml_error_text(error, lang),
        ReadError::NotAnObject { document, .. } => fill(Msg::ReadNotAnObject, *document),
        ReadError::MissingKind { document } => fill(Msg::ReadMissingKind, *document),
        ReadError::UnsupportedKind { document, kind, .. } => {
            fill(Msg::ReadUnsupportedKind, *document).replace("{kind}", kind)
        }
        ReadError::UnsupportedApiVersion {
            document,
            kind,
            api_version,
            expected,
        } => fill(Msg::ReadUnsupportedApiVersion, *document)
            .replace("{kind}", kind)
            .replace("{found}", api_version)
            .replace("{expected}", expected),
        ReadError::MissingDaemonSet => Msg::ReadMissingDaemonSet.text(lang).to_owned(),
        ReadError::SeveralDaemonSets { first, second } => Msg::ReadSeveralDaemonSets
            .text(lang)
            .replace("{first}", &first.to_string())
            .replace("{second}", &second.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Cause;

    #[test]
    fn the_apiservers_causes_point_at_fields_and_a_taken_name_at_the_name() {
        let invalid = ApiError::Server {
            status: 422,
            reason: "Invalid".into(),
            message: "DaemonSet.apps \"a\" is invalid".into(),
            causes: vec![Cause {
                field: "spec.template.spec.containers[0].image".into(),
                message: "Required value".into(),
            }],
        };
        assert_eq!(
            refusals(Subject::DaemonSet, &invalid, &serde_json::Value::Null),
            [Refusal {
                path: FieldPath::parse(
                    Subject::DaemonSet,
                    "spec.template.spec.containers[0].image"
                )
                .unwrap(),
                said: Said::Cluster("Required value".into()),
            }]
        );
        let taken = ApiError::Server {
            status: 409,
            reason: "AlreadyExists".into(),
            message: "already exists".into(),
            causes: Vec::new(),
        };
        let nothing = serde_json::Value::Null;
        assert_eq!(
            refusals(Subject::Claim(0), &taken, &nothing)[0]
                .path
                .to_string(),
            "claims[0]:metadata.name"
        );
        assert!(
            refusals(
                Subject::DaemonSet,
                &ApiError::Network("reset".into()),
                &nothing
            )
            .is_empty()
        );
    }

    #[test]
    fn a_value_the_cluster_could_not_decode_is_refused_at_its_field_in_the_users_words() {
        let sent = serde_json::json!({"spec": {"template": {"spec": {"volumes": [
            {"name": "config", "configMap": {"name": "agent", "defaultMode": "0420"}}
        ]}}}});
        let bad_request = ApiError::Server {
            status: 400,
            reason: "BadRequest".into(),
            message: "DaemonSet in version \"v1\" cannot be handled as a DaemonSet: json: \
                      cannot unmarshal string into Go struct field ConfigMapVolumeSource.spec.\
                      template.spec.volumes.VolumeSource.configMap.defaultMode of type int32"
                .into(),
            causes: Vec::new(),
        };
        let found = refusals(Subject::DaemonSet, &bad_request, &sent);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].path.to_string(),
            "spec.template.spec.volumes[0].configMap.defaultMode"
        );
        assert!(found[0].said.text(Lang::En).contains("a whole number"));
        assert!(found[0].said.text(Lang::ZhCn).contains("整数"));
    }

    #[test]
    fn every_read_error_says_where_in_both_languages() {
        let deployment = ReadError::UnsupportedKind {
            document: 1,
            kind: "Deployment".into(),
            name: None,
        };
        for lang in Lang::ALL {
            let text = read_error_text(&deployment, lang);
            assert!(text.contains("Deployment") && text.contains('1'), "{text}");
        }
    }
}
