//! What is wrong where, said in the user's language: validation problems, the apiserver's
//! refusals, a name that is taken, and text that cannot be read.

use console_model::document::{Problem, ReadError, Subject};

use crate::{
    api::ApiError,
    i18n::{Lang, Msg, at_line_column},
};

/// A field's key in the page: the DaemonSet's own field paths as they are, a new claim's
/// prefixed with its place, e.g. `claims[0]:spec.resources.requests.storage`.
pub fn key(subject: Subject, path: &str) -> String {
    match subject {
        Subject::DaemonSet => path.to_owned(),
        Subject::Claim(index) => format!("claims[{index}]:{path}"),
    }
}

/// The document and field path of a key made by [`key`].
pub fn split_key(key: &str) -> (Subject, &str) {
    key.strip_prefix("claims[")
        .and_then(|rest| rest.split_once("]:"))
        .and_then(|(index, path)| Some((Subject::Claim(index.parse().ok()?), path)))
        .unwrap_or((Subject::DaemonSet, key))
}

/// A field the apiserver refused at create, in its words.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub subject: Subject,
    pub path: String,
    pub message: String,
}

/// The refusals an API error names: one per cause with a field; a name already taken is the
/// name's.
pub fn refusals(subject: Subject, error: &ApiError) -> Vec<Refusal> {
    let ApiError::Server {
        reason,
        message,
        causes,
        ..
    } = error
    else {
        return Vec::new();
    };
    if reason == "AlreadyExists" {
        return vec![Refusal {
            subject,
            path: "metadata.name".to_owned(),
            message: message.clone(),
        }];
    }
    causes
        .iter()
        .filter(|cause| !cause.field.is_empty())
        .map(|cause| Refusal {
            subject,
            path: cause.field.clone(),
            message: cause.message.clone(),
        })
        .collect()
}

/// What is shown under a field.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldProblem {
    Invalid(Problem),
    Refused(String),
    Clash { project: String, name: String },
}

impl FieldProblem {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            FieldProblem::Invalid(problem) => problem_text(*problem, lang),
            FieldProblem::Refused(message) => {
                format!("{} {message}", Msg::RefusedByCluster.text(lang))
            }
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
        ReadError::Syntax { position, message } => {
            let at = position
                .map(|at| at_line_column(lang, at.line, at.column))
                .unwrap_or_default();
            format!("{} {at} {message}", Msg::ReadSyntax.text(lang))
        }
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
    fn claim_fields_have_keys_apart_from_the_daemonsets() {
        let claim = key(Subject::Claim(2), "metadata.name");
        assert_eq!(claim, "claims[2]:metadata.name");
        assert_eq!(split_key(&claim), (Subject::Claim(2), "metadata.name"));
        assert_eq!(
            split_key("metadata.name"),
            (Subject::DaemonSet, "metadata.name")
        );
    }

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
            refusals(Subject::DaemonSet, &invalid),
            [Refusal {
                subject: Subject::DaemonSet,
                path: "spec.template.spec.containers[0].image".into(),
                message: "Required value".into(),
            }]
        );
        let taken = ApiError::Server {
            status: 409,
            reason: "AlreadyExists".into(),
            message: "already exists".into(),
            causes: Vec::new(),
        };
        assert_eq!(refusals(Subject::Claim(0), &taken)[0].path, "metadata.name");
        assert!(refusals(Subject::DaemonSet, &ApiError::Network("reset".into())).is_empty());
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
