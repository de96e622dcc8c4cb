//! Every user-visible string, in English and Simplified Chinese, and the chosen language.
//!
//! The catalog is one macro invocation, so a message without both translations does not
//! compile. The choice is remembered in local storage.

use leptos::prelude::*;

/// Languages the console speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's own name, shown in the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

macro_rules! catalog {
    ($($key:ident => $en:literal, $zh:literal;)*) => {
        /// A user-visible message; `text` gives it in a language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($key),* }

        impl Msg {
            /// Every message, so tests can check the whole catalog.
            #[cfg(test)]
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::En) => $en, (Msg::$key, Lang::ZhCn) => $zh,)*
                }
            }
        }
    };
}

catalog! {
    ProductName => "DaemonSet Console", "守护进程集控制台";
    NavDaemonSets => "DaemonSets", "守护进程集";
    Language => "Language", "语言";
    AllProjects => "All projects", "全部项目";
    ProjectLabel => "Project", "项目";
    DaemonSetsTitle => "DaemonSets", "守护进程集";
    DaemonSetsIntro => "Node agents that run one pod on every matching node: log collectors, monitoring agents, network and storage daemons.", "在每个匹配节点上各运行一个容器组的节点代理：日志收集、监控代理、网络与存储守护进程。";
    ColumnName => "Name", "名称";
    ColumnProject => "Project", "项目";
    ColumnStatus => "Status", "状态";
    ColumnDesired => "Desired", "期望";
    ColumnReady => "Ready", "就绪";
    ColumnImages => "Images", "镜像";
    ColumnNodeSelector => "Node selector", "节点选择器";
    ColumnAge => "Age", "创建时长";
    StatusRunning => "Running", "运行中";
    StatusUpdating => "Updating", "更新中";
    StatusStopped => "Stopped", "已停止";
    StatusDegraded => "Degraded", "异常";
    AnyNode => "any node", "任意节点";
    Loading => "Loading…", "加载中…";
    Retry => "Try again", "重试";
    Refresh => "Refresh", "刷新";
    EmptyDaemonSets => "No DaemonSets here yet.", "这里还没有守护进程集。";
    ErrorForbidden => "You are not allowed to see this. Ask a cluster administrator to grant you access to the project.", "您没有查看此内容的权限。请联系集群管理员为您授予该项目的访问权限。";
    ErrorNotFound => "It does not exist (any more). It may have been deleted, or the project name is wrong.", "该资源不存在（或已被删除），也可能是项目名称有误。";
    ErrorUnreachable => "The console cannot reach the Kubernetes API right now. Check that the cluster is up, then try again.", "控制台暂时无法连接 Kubernetes API。请确认集群正常运行后重试。";
    ErrorNetwork => "The console server did not answer. Check your connection, then try again.", "控制台服务器没有响应。请检查网络连接后重试。";
    ErrorUnexpected => "Something went wrong on the server. Try again; if it persists, the detail below helps an administrator.", "服务器出现错误。请重试；如果问题持续，请将下方详情提供给管理员。";
    ErrorDetail => "Detail", "详情";
    SignInTitle => "Sign in", "登录";
    SignInIntro => "Use a console account or a Kubernetes token. Everything you then do happens as that Kubernetes user, within their permissions.", "使用控制台账户或 Kubernetes 令牌登录。之后的所有操作都以该 Kubernetes 用户的身份、在其权限范围内进行。";
    SignInWithAccount => "Console account", "控制台账户";
    SignInWithToken => "Kubernetes token", "Kubernetes 令牌";
    Username => "User name", "用户名";
    Password => "Password", "密码";
    Token => "Bearer token", "Bearer 令牌";
    TokenHint => "A service-account or OIDC token, for example from kubectl create token NAME -n NAMESPACE. It is kept in an encrypted cookie that page scripts cannot read.", "服务账户或 OIDC 令牌，例如 kubectl create token 名称 -n 命名空间 的输出。令牌保存在加密的 Cookie 中，页面脚本无法读取。";
    SignInButton => "Sign in", "登录";
    SigningIn => "Signing in…", "正在登录…";
    FieldRequired => "Fill this in.", "请填写此项。";
    SignInWrongPassword => "The user name or password is wrong. Check both and try again.", "用户名或密码错误，请检查后重试。";
    SignInBadToken => "The cluster did not accept this token. It may be mistyped, expired or revoked; create a new one and try again.", "集群不接受此令牌。令牌可能输入有误、已过期或已被吊销；请重新创建后再试。";
    SignInTooMany => "Too many sign-in attempts from this address. Wait a minute, then try again.", "来自此地址的登录尝试过多，请稍候一分钟再试。";
    SessionEnded => "Your session has ended. Sign in again to continue.", "您的会话已结束，请重新登录以继续。";
    SignInAgain => "Sign in again", "重新登录";
    SignOut => "Sign out", "退出登录";
    SignedInAs => "Signed in as", "当前用户";
    ErrorReload => "The console refused a request that did not come from its own page. Reload the page and try again.", "控制台拒绝了一个并非来自本页面的请求。请刷新页面后重试。";
    NoProjects => "You have no projects yet. Ask a cluster administrator to grant you access to one.", "您还没有任何项目。请联系集群管理员为您授予项目权限。";
    PageNotFound => "This page does not exist.", "此页面不存在。";
    BackToList => "Back to DaemonSets", "返回守护进程集列表";
}

/// The reactive language choice, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// A reactive closure for a view: it re-renders when the language changes.
    pub fn t(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || msg.text(self.lang.get())
    }
}

const STORAGE_KEY: &str = "console.lang";

/// Installs the language context: the remembered choice, else the browser's, else English.
pub fn provide() {
    let initial = stored_lang().or_else(browser_lang).unwrap_or(Lang::En);
    let lang = RwSignal::new(initial);
    Effect::new(move |_| {
        let lang = lang.get();
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", lang.tag());
            }
            document.set_title(Msg::ProductName.text(lang));
        }
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, lang.tag());
        }
    });
    provide_context(I18n { lang });
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored_lang() -> Option<Lang> {
    Lang::from_tag(&local_storage()?.get_item(STORAGE_KEY).ok()??)
}

fn browser_lang() -> Option<Lang> {
    Lang::from_tag(&web_sys::window()?.navigator().language()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_a_distinct_non_empty_chinese_text() {
        for msg in Msg::ALL {
            let (en, zh) = (msg.text(Lang::En), msg.text(Lang::ZhCn));
            assert!(
                !en.trim().is_empty() && !zh.trim().is_empty(),
                "{msg:?} is empty"
            );
            assert_ne!(en, zh, "{msg:?} is not translated");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{msg:?}: {zh}"
            );
        }
    }

    #[test]
    fn browser_language_tags_map_to_the_closest_catalog() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("zh-Hans-SG"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de-DE"), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
    }
}
