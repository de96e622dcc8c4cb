//! Everything that crosses between the console's server and its app, defined once and used by
//! both: sign-in and the session, projects and access answers, the terminal's control messages,
//! the merged log's lines ([`LogLine`]) and the error body with its [`Reason`].

use serde::{Deserialize, Serialize};

pub use crate::logs::LogLine;

/// What the sign-in form sends to `POST /api/session`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Credentials {
    Account { username: String, password: String },
    Token { token: String },
}

/// How a user signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SignInMethod {
    Token,
    Account,
}

/// What the app learns about the signed-in user (`GET /api/session`). Never the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// The Kubernetes user.
    pub username: String,
    pub groups: Vec<String>,
    pub method: SignInMethod,
    /// Sent back in `X-CSRF-Token` on every request that changes something.
    pub csrf_token: String,
    /// Unix seconds at which the session ends however active.
    pub expires_at: i64,
}

/// The projects a user may work in (`GET /api/projects`); `all` adds the all-projects view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Projects {
    pub all: bool,
    pub names: Vec<String>,
}

/// One question for `POST /api/access`: may the user do `verb` on `resource`?
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AccessCheck {
    pub verb: String,
    pub group: String,
    pub resource: String,
    pub subresource: String,
    pub namespace: String,
    pub name: String,
}

impl AccessCheck {
    /// A question about a cluster-wide resource (`group` is `""` for the core group).
    pub fn cluster(verb: &str, group: &str, resource: &str) -> Self {
        AccessCheck::namespaced(verb, group, resource, "")
    }

    /// A question about a resource in `namespace`.
    pub fn namespaced(verb: &str, group: &str, resource: &str, namespace: &str) -> Self {
        AccessCheck {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            namespace: namespace.into(),
            ..AccessCheck::default()
        }
    }

    /// Narrows the question to a subresource of one object (`pods/exec` of a pod).
    pub fn of(mut self, name: &str, subresource: &str) -> Self {
        self.name = name.into();
        self.subresource = subresource.into();
        self
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequest {
    pub checks: Vec<AccessCheck>,
}

/// The answers, in the order of the checks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessAnswer {
    pub allowed: Vec<bool>,
}

/// Terminal control messages from the browser (text frames; bytes go in binary frames).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum TerminalRequest {
    Resize { cols: u16, rows: u16 },
    Ping,
}

/// Terminal control messages from the server; `Exit` and `Error` are followed by a close.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum TerminalEvent {
    Pong,
    /// The shell ended: its exit code when known, and the apiserver's words for a failure.
    Exit {
        code: Option<i32>,
        message: Option<String>,
    },
    Error {
        message: String,
        /// Set when the app can say why in the user's language (`SignedOut`...).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Reason>,
    },
}

/// Why the console refused or failed a request: its own reasons by name, anything else (the
/// apiserver's `Forbidden`, `Invalid`, `AlreadyExists`...) as the apiserver said it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Reason {
    // Signing in and sessions.
    Unauthorized,
    InvalidCredentials,
    InvalidToken,
    TooManyAttempts,
    Busy,
    SessionExpired,
    SignedOut,
    AccountChanged,
    SeveralSessions,
    Starting,
    CrossOrigin,
    CsrfToken,
    WrongHost,
    // What the proxy forwards.
    BadPath,
    NotForwarded,
    ProxyRefused,
    MethodNotAllowed,
    UpgradeNotForwarded,
    RequestTooLarge,
    RequestTimeout,
    // The console's own routes.
    /// The user may not (the console asked the apiserver first; the apiserver says it too).
    Forbidden,
    BadRequest,
    BadQuery,
    BadName,
    NotFound,
    TooManyOpen,
    WebSocketRequired,
    InvalidShell,
    InvalidSelector,
    ContainerNotFound,
    ContainerNotRunning,
    Unreachable,
    /// Any other reason, as written (usually the apiserver's); empty when none was given.
    Other(String),
}

/// Every named reason with its spelling on the wire.
const NAMED: [(&str, Reason); 32] = [
    ("Unauthorized", Reason::Unauthorized),
    ("InvalidCredentials", Reason::InvalidCredentials),
    ("InvalidToken", Reason::InvalidToken),
    ("TooManyAttempts", Reason::TooManyAttempts),
    ("Busy", Reason::Busy),
    ("SessionExpired", Reason::SessionExpired),
    ("SignedOut", Reason::SignedOut),
    ("AccountChanged", Reason::AccountChanged),
    ("SeveralSessions", Reason::SeveralSessions),
    ("Starting", Reason::Starting),
    ("CrossOrigin", Reason::CrossOrigin),
    ("CsrfToken", Reason::CsrfToken),
    ("WrongHost", Reason::WrongHost),
    ("BadPath", Reason::BadPath),
    ("NotForwarded", Reason::NotForwarded),
    ("ProxyRefused", Reason::ProxyRefused),
    ("MethodNotAllowed", Reason::MethodNotAllowed),
    ("UpgradeNotForwarded", Reason::UpgradeNotForwarded),
    ("RequestTooLarge", Reason::RequestTooLarge),
    ("RequestTimeout", Reason::RequestTimeout),
    ("Forbidden", Reason::Forbidden),
    ("BadRequest", Reason::BadRequest),
    ("BadQuery", Reason::BadQuery),
    ("BadName", Reason::BadName),
    ("NotFound", Reason::NotFound),
    ("TooManyOpen", Reason::TooManyOpen),
    ("WebSocketRequired", Reason::WebSocketRequired),
    ("InvalidShell", Reason::InvalidShell),
    ("InvalidSelector", Reason::InvalidSelector),
    ("ContainerNotFound", Reason::ContainerNotFound),
    ("ContainerNotRunning", Reason::ContainerNotRunning),
    ("Unreachable", Reason::Unreachable),
];

impl Reason {
    /// The reason as written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Reason::Other(text) => text,
            named => NAMED
                .iter()
                .find(|(_, reason)| reason == named)
                .map(|(text, _)| *text)
                .expect("every named reason is in NAMED"),
        }
    }
}

/// So a reason reads against its spelling: `reason == "AlreadyExists"`.
impl PartialEq<str> for Reason {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl From<String> for Reason {
    fn from(text: String) -> Self {
        NAMED
            .iter()
            .find(|(name, _)| *name == text)
            .map_or(Reason::Other(text), |(_, reason)| reason.clone())
    }
}

impl From<&str> for Reason {
    fn from(text: &str) -> Self {
        Reason::from(text.to_owned())
    }
}

impl From<Reason> for String {
    fn from(reason: Reason) -> Self {
        reason.as_str().to_owned()
    }
}

impl Default for Reason {
    fn default() -> Self {
        Reason::Other(String::new())
    }
}

/// One field a Kubernetes `Status` names as wrong, e.g. `spec.template.spec.containers[0].image`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Cause {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ErrorDetails {
    pub causes: Vec<Cause>,
}

/// The body of every error answer: the console's own, and the apiserver's `Status` (which has
/// the same fields, and `details.causes` for a refused object) passed through by the proxy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    pub reason: Reason,
    pub message: String,
    #[serde(skip_serializing_if = "ErrorDetails::is_empty")]
    pub details: ErrorDetails,
}

impl ErrorDetails {
    fn is_empty(&self) -> bool {
        self.causes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_reasons_and_the_apiservers_own_read_back_as_written() {
        for (text, reason) in NAMED {
            assert_eq!(Reason::from(text), reason);
            assert_eq!(reason.as_str(), text);
        }
        assert_eq!(Reason::from("Invalid"), Reason::Other("Invalid".into()));
        let body: ErrorBody = serde_json::from_str(
            r#"{"kind":"Status","reason":"Invalid","message":"bad","details":{"causes":[{"field":"spec.x","message":"m"}]}}"#,
        )
        .unwrap();
        assert_eq!(body.reason.as_str(), "Invalid");
        assert_eq!(body.details.causes[0].field, "spec.x");
        let ours = ErrorBody {
            reason: Reason::SignedOut,
            message: "m".into(),
            details: ErrorDetails::default(),
        };
        assert_eq!(
            serde_json::to_value(&ours).unwrap(),
            serde_json::json!({"reason": "SignedOut", "message": "m"})
        );
    }

    #[test]
    fn terminal_messages_read_as_documented() {
        assert_eq!(
            serde_json::from_str::<TerminalRequest>(r#"{"type":"resize","cols":80,"rows":24}"#)
                .unwrap(),
            TerminalRequest::Resize { cols: 80, rows: 24 }
        );
        let ended = TerminalEvent::Error {
            message: "signed out".into(),
            reason: Some(Reason::SignedOut),
        };
        assert_eq!(
            serde_json::to_value(&ended).unwrap(),
            serde_json::json!({"type": "error", "message": "signed out", "reason": "SignedOut"})
        );
        assert_eq!(
            serde_json::to_string(&TerminalEvent::Pong).unwrap(),
            r#"{"type":"pong"}"#
        );
        let exit = TerminalEvent::Exit {
            code: Some(3),
            message: None,
        };
        assert_eq!(
            serde_json::to_value(&exit).unwrap(),
            serde_json::json!({"type": "exit", "code": 3, "message": null})
        );
    }

    #[test]
    fn credentials_and_the_session_read_back_as_sent() {
        let credentials = Credentials::Account {
            username: "ops".into(),
            password: "p".into(),
        };
        let text = serde_json::to_string(&credentials).unwrap();
        assert_eq!(
            text,
            r#"{"kind":"account","username":"ops","password":"p"}"#
        );
        assert_eq!(
            serde_json::from_str::<Credentials>(&text).unwrap(),
            credentials
        );
        let info = SessionInfo {
            username: "alice".into(),
            groups: vec![],
            method: SignInMethod::Token,
            csrf_token: "t".into(),
            expires_at: 1,
        };
        let value = serde_json::to_value(&info).unwrap();
        assert_eq!(value["method"], "token");
        assert_eq!(value["csrfToken"], "t");
        assert_eq!(serde_json::from_value::<SessionInfo>(value).unwrap(), info);
    }
}
