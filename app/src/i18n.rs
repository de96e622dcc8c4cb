//! Every user-visible string, in English and Simplified Chinese, and the chosen language.
//!
//! The catalogs are one macro invocation, so a message without both translations does not
//! compile; a page's own messages sit in its catalog, which comes with its piece of the split
//! module. The choice is remembered in local storage.

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

/// A user-visible message; `text` gives it in a language. Each catalog's texts are reached only
/// through its messages, so a page's catalog comes in that page's piece of the split module,
/// not in the first download.
#[derive(Clone, Copy)]
pub struct Msg {
    index: u16,
    catalog: &'static Catalog,
}

/// One catalog's texts, in the order of its messages.
pub struct Catalog {
    en: &'static [&'static str],
    zh_cn: &'static [&'static str],
}

impl Msg {
    pub fn text(self, lang: Lang) -> &'static str {
        let texts = match lang {
            Lang::En => self.catalog.en,
            Lang::ZhCn => self.catalog.zh_cn,
        };
        texts[usize::from(self.index)]
    }
}

impl PartialEq for Msg {
    fn eq(&self, other: &Msg) -> bool {
        self.index == other.index && std::ptr::eq(self.catalog, other.catalog)
    }
}

impl Eq for Msg {}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Msg({:?})", self.text(Lang::En))
    }
}

// Each catalog is one block of the macro, so a message without both translations does not
// compile, and a name used twice (even in two catalogs) does not either.
macro_rules! catalog {
    ($($(#[$doc:meta])* $catalog:ident { $($key:ident => $en:literal, $zh:literal;)* })*) => {
        $(
            $(#[$doc])*
            mod $catalog {
                pub static CATALOG: super::Catalog = super::Catalog {
                    en: &[$($en),*],
                    zh_cn: &[$($zh),*],
                };

                /// Each message's place in the catalog.
                pub enum Index { $($key),* }
            }
        )*

        // Named like the enum variants they used to be, so call sites read `Msg::Name`.
        #[allow(non_upper_case_globals)]
        impl Msg {
            $($(
                pub const $key: Msg = Msg {
                    index: $catalog::Index::$key as u16,
                    catalog: &$catalog::CATALOG,
                };
            )*)*

            /// Every message, so tests can check the whole catalog.
            #[cfg(test)]
            pub const ALL: &'static [Msg] = &[$($(Msg::$key),*),*];
        }
    };
}

catalog! {
    /// The shell, sign-in, the list and what several pages share: in the first download.
    shared {
        ProductName => "DaemonSet Console", "守护进程集控制台";
        NavDaemonSets => "DaemonSets", "守护进程集";
        Language => "Language", "语言";
        Theme => "Colour theme", "颜色主题";
        ThemeSystem => "Auto", "跟随系统";
        ThemeLight => "Light", "浅色";
        ThemeDark => "Dark", "深色";
        AllProjects => "All projects", "全部项目";
        ProjectLabel => "Project", "项目";
        DaemonSetsTitle => "DaemonSets", "守护进程集";
        DaemonSetsIntro => "Node agents that run one pod on every matching node: log collectors, monitoring agents, network and storage daemons.", "在每个匹配节点上各运行一个容器组的节点代理：日志收集、监控代理、网络与存储守护进程。";
        ColumnName => "Name", "名称";
        ColumnProject => "Project", "项目";
        ColumnStatus => "Status", "状态";
        ColumnDesired => "Desired", "期望";
        ColumnReady => "Ready", "就绪";
        ColumnCurrent => "Current", "当前";
        ColumnUpToDate => "Up-to-date", "已更新";
        ColumnAvailable => "Available", "可用";
        Columns => "Columns", "列";
        SearchByName => "Search by name", "按名称搜索";
        LabelSelector => "Label selector", "标签选择器";
        LabelSelectorPlaceholder => "Label selector, e.g. app=fluent-bit (Enter)", "标签选择器，例如 app=fluent-bit（回车）";
        AnyStatus => "Any status", "全部状态";
        LiveUpdates => "Live", "实时更新";
        Reconnecting => "Connection lost; reconnecting…", "连接已断开，正在重新连接…";
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
        EmptyDaemonSets => "No DaemonSets here yet.", "这里还没有守护进程集。";
        ErrorForbidden => "You are not allowed to see this. Ask a cluster administrator to grant you access to the project.", "您没有查看此内容的权限。请联系集群管理员为您授予该项目的访问权限。";
        ErrorNotFound => "It does not exist (any more). It may have been deleted, or the project name is wrong.", "该资源不存在（或已被删除），也可能是项目名称有误。";
        ErrorUnreachable => "The console cannot reach the Kubernetes API right now. Check that the cluster is up, then try again.", "控制台暂时无法连接 Kubernetes API。请确认集群正常运行后重试。";
        ErrorNetwork => "The console server did not answer. Check your connection, then try again.", "控制台服务器没有响应。请检查网络连接后重试。";
        ErrorQuota => "The project's resource quota leaves no room for this; free some up, or ask an administrator to raise the quota. The cluster's words are below.", "项目的资源配额已不足以容纳此内容；请释放部分资源，或请管理员提高配额。集群的原话见下方。";
        ErrorDeniedByPolicy => "A policy of the cluster (an admission webhook) refused this; change what its reason below names and try again.", "集群的策略（准入 Webhook）拒绝了此操作；请按下方原因修改后重试。";
        ErrorInvalid => "The cluster refused this as invalid; fix what it names and try again.", "集群认为内容无效而拒绝；请修正其指出的问题后重试。";
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
        SignInBusy => "The console is busy checking other sign-ins. Try again in a few seconds.", "控制台正忙于验证其他登录，请几秒后重试。";
        TooManyOpen => "This session already has the most terminals or log views it may open at once. Close one, then try again.", "此会话同时打开的终端或日志视图已达上限。请先关闭一个，然后重试。";
        SignInAgain => "Sign in again", "重新登录";
        SignOut => "Sign out", "退出登录";
        SignedInAs => "Signed in as", "当前用户";
        ErrorReload => "The console refused a request that did not come from its own page. Reload the page and try again.", "控制台拒绝了一个并非来自本页面的请求。请刷新页面后重试。";
        NoProjects => "You have no projects yet. Ask a cluster administrator to grant you access to one.", "您还没有任何项目。请联系集群管理员为您授予项目权限。";
        Cancel => "Cancel", "取消";
        Save => "Save", "保存";
        Working => "Working…", "处理中…";
        EditInfo => "Edit information", "编辑信息";
        Alias => "Alias", "别名";
        Description => "Description", "描述";
        Restart => "Restart", "重新启动";
        RestartExplained => "Every pod of this DaemonSet is replaced, one node at a time as the update strategy allows (as kubectl rollout restart does).", "此守护进程集的所有容器组将按更新策略逐个节点替换（与 kubectl rollout restart 相同）。";
        Delete => "Delete", "删除";
        DeleteExplained => "The DaemonSet is deleted. Choose what happens to its pods.", "将删除此守护进程集。请选择如何处理其容器组。";
        TypeNameToConfirm => "To confirm, type the name", "请输入名称以确认";
        DeletePodsFirst => "Delete its pods first, then the DaemonSet", "先删除其容器组，再删除守护进程集";
        OrphanPods => "Keep the pods running (orphaned)", "保留容器组继续运行（成为孤儿）";
        Created => "Created", "创建时间";
        Tolerations => "Tolerations", "容忍";
        UpdateStrategy => "Update strategy", "更新策略";
        None => "none", "无";
        TabUsage => "Usage", "资源用量";
        UsageHighestPod => "highest pod", "单个容器组最高";
        UsageCpu => "CPU used", "CPU 用量";
        UsageMemory => "Memory used", "内存用量";
        UsageHistory => "Last minutes", "最近几分钟";
        UsageRequest => "request", "请求";
        UsageLimit => "limit", "限制";
        UsageNoLimit => "no limit", "无限制";
        UsageMarks => "Attention", "需关注";
        MarkNearMemoryLimit => "Near its memory limit", "接近内存限制";
        MarkAboveMemoryRequest => "More memory than requested", "内存用量超过请求值";
        MarkAboveCpuRequest => "More CPU than requested", "CPU 用量超过请求值";
        UsageNotInstalled => "Usage is not shown: this cluster has no metrics-server (the metrics.k8s.io API is not served).", "未显示资源用量：此集群没有 metrics-server（未提供 metrics.k8s.io API）。";
        UsageNotAnswering => "Usage is not shown: metrics-server does not answer right now.", "未显示资源用量：metrics-server 当前没有响应。";
        UsageNotAllowed => "Usage is not shown: you may not read metrics here.", "未显示资源用量：您无权读取此处的指标。";
        UsageFailed => "Usage could not be read.", "无法读取资源用量。";
        UsageWaiting => "No usage measured yet: metrics-server samples every 15 s.", "尚无用量数据：metrics-server 每 15 秒采样一次。";
        UsageExplained => "Sampled every 15 s by metrics-server; the history covers the time this page has been open.", "由 metrics-server 每 15 秒采样；历史曲线仅涵盖本页面打开以来的时间。";
        TabEvents => "Events", "事件";
        TabEnvironment => "Environment variables", "环境变量";
        Node => "Node", "节点";
        PodIp => "Pod IP", "容器组 IP";
        Restarts => "Restarts", "重启次数";
        NoEvents => "No events.", "没有事件。";
        Reason => "Reason", "原因";
        Yes => "yes", "是";
        No => "no", "否";
        ReasonSelector => "Excluded by the node selector; the node lacks", "被节点选择器排除，节点缺少";
        ReasonTaint => "Excluded by a taint the pods do not tolerate:", "被容器组不容忍的污点排除：";
        StoppedBy => "by {by}, {age} ago", "由 {by} 停止，{age} 前";
        EventType => "Type", "类型";
        Message => "Message", "消息";
        Count => "Count", "次数";
        LastSeen => "Last seen", "最近发生";
        HostIp => "Host IP", "主机 IP";
        Containers => "Containers", "容器";
        Image => "Image", "镜像";
        Volumes => "Volumes", "存储卷";
        Command => "Command", "命令";
        Arguments => "Arguments", "参数";
        Ports => "Ports", "端口";
        Resources => "Resources", "资源";
        Mounts => "Mounts", "挂载";
        Probes => "Probes", "探针";
        LivenessProbe => "Liveness", "存活探针";
        ReadinessProbe => "Readiness", "就绪探针";
        StartupProbe => "Startup", "启动探针";
        Select => "Select", "选择";
        Actions => "Actions", "操作";
        More => "More actions", "更多操作";
        DeleteSelected => "Delete selected", "删除所选";
        BatchDeleteExplained => "These DaemonSets are deleted, their pods first:", "将删除以下守护进程集（先删除其容器组）：";
        Deleted => "deleted", "已删除";
        PageNotFound => "This page does not exist.", "此页面不存在。";
        BackToList => "Back to DaemonSets", "返回守护进程集列表";
        EditYaml => "Edit YAML", "编辑 YAML";
        AtLineColumn => "Line {line}, column {column}.", "位于第 {line} 行第 {column} 列。";
        Create => "Create", "创建";
        Container => "Container", "容器";
    }
    /// The YAML editor's and reader's, and the cluster's refusals of a document: they come with
    /// the pieces that edit YAML (the list's and the page's edit YAML, the wizard).
    yaml {
        EditorLoading => "Loading the editor…", "正在加载编辑器…";
        EditorUnavailable => "The YAML editor could not be loaded, so this is a plain text box; your text is kept either way.", "无法加载 YAML 编辑器，现以纯文本框代替；您的文本不会丢失。";
        DiffUnavailable => "The comparison could not be shown.", "无法显示对比。";
        YamlEditorLabel => "YAML of the DaemonSet", "守护进程集的 YAML";
        ProblemNotQuantity => "Not a quantity; write for example 100m, 0.5, 128Mi or 1Gi.", "不是有效的数量，例如可写为 100m、0.5、128Mi 或 1Gi。";
        // What the YAML reader refuses (kubectl refuses the same), and where.
        YamlProblemSyntax => "This is not valid YAML:", "这不是有效的 YAML：";
        YamlProblemJson => "This is not valid JSON:", "这不是有效的 JSON：";
        YamlProblemSeparator => "Only a comment may follow --- on its line (kubectl refuses “{text}” there); start the document on the next line.", "--- 所在行之后只能跟注释（kubectl 会拒绝此处的“{text}”）；请从下一行开始写文档。";
        YamlProblemUnknownAnchor => "The alias *{name} refers to no anchor &{name} defined before it.", "别名 *{name} 没有对应的、在其之前定义的锚点 &{name}。";
        YamlProblemExcessiveAliasing => "The aliases expand to more than {count} values; write the values out instead.", "别名展开后超过 {count} 个值；请直接写出这些值。";
        YamlProblemTooDeep => "The text is nested deeper than {count} levels.", "文本嵌套超过 {count} 层。";
        YamlProblemUnsupportedKey => "A key must be text, a number or true/false, not {found}.", "键必须是文本、数字或 true/false，而不能是{found}。";
        YamlKeyNull => "null (empty)", "空值（null）";
        YamlKeyList => "a list", "列表";
        YamlKeyMapping => "a mapping", "映射";
        YamlKeyHugeNumber => "a number this large", "这么大的数字";
        YamlProblemTag => "“{value}” cannot be read as {tag}.", "“{value}”无法按 {tag} 读取。";
        YamlProblemMerge => "<< merges mappings only, or a list of mappings.", "<< 只能合并映射或映射列表。";
        YamlProblemNotJson => "{value} is not a number the cluster can take; quote it if it is meant as text.", "{value} 不是集群能接受的数字；如果它是文本，请加上引号。";
        // What the apiserver could not decode, said at the field.
        RefusedWrongType => "The cluster expects {expected} here, not {found}. Quote a value meant as text; write a number or true/false without quotes.", "集群要求此处为{expected}，而不是{found}。文本请加引号；数字或 true/false 请不要加引号。";
        ShowInEditor => "Show in the editor", "在编辑器中查看";
        RefusedUnknownField => "The cluster has no such field; check its spelling and indentation.", "集群没有此字段；请检查拼写和缩进。";
        RefusedDuplicateField => "This field is given twice; keep one.", "此字段出现了两次；请只保留一个。";
        KindText => "text", "文本";
        KindNumber => "a number", "数字";
        KindWholeNumber => "a whole number", "整数";
        KindBool => "true or false", "布尔值（true 或 false）";
        KindList => "a list", "列表";
        KindMapping => "a mapping", "映射";
        KindIntOrString => "a whole number or text such as 25%", "整数或文本（例如 25%）";
    }
    /// The wizard's: they come with its piece.
    wizard {
        // Create wizard.
        CreateDaemonSetTitle => "Create a DaemonSet", "创建守护进程集";
        CreateDraftRestored => "Your unfinished DaemonSet has been restored.", "已恢复您未完成的守护进程集。";
        StartOver => "Start over", "重新开始";
        ImportYaml => "Import YAML", "导入 YAML";
        Import => "Import", "导入";
        ImportHint => "Paste or upload a DaemonSet, optionally with the PersistentVolumeClaims it mounts, separated by ---. JSON works too. It replaces what is in the wizard; fields the wizard does not show are kept.", "粘贴或上传一个守护进程集，可附带其挂载的持久卷声明，以 --- 分隔，也支持 JSON。导入会替换向导中的内容；向导未显示的字段会原样保留。";
        ImportFile => "File", "文件";
        ImportPaste => "Or paste it here", "或粘贴到此处";
        ImportFailed => "This cannot be imported:", "无法导入：";
        EditMode => "Edit as", "编辑方式";
        FormMode => "Form", "表单";
        CodeMode => "YAML", "YAML 代码";
        CodeCannotBeForm => "The YAML must be fixed before the form can show it; your text is kept.", "需先修正 YAML 才能在表单中显示；您的文本已保留。";
        StepBasic => "Basic information", "基本信息";
        StepPod => "Pod settings", "容器组设置";
        StepStorage => "Storage", "存储设置";
        StepLabels => "Labels", "标签";
        StepNodes => "Node selection", "节点选择";
        StepSummary => "Summary", "概要";
        StepNeedsFixing => "needs fixing", "需要修正";
        Back => "Back", "上一步";
        Next => "Next", "下一步";
        Creating => "Creating…", "正在创建…";
        CreateInvalid => "Some fields need fixing before the DaemonSet can be created:", "创建守护进程集之前，需要修正以下字段：";
        CreateRefused => "The cluster refused the DaemonSet; nothing was created.", "集群拒绝了该守护进程集，未创建任何内容。";
        CreateNotJson => "The YAML holds something the API cannot take:", "YAML 中包含 API 无法接受的内容：";
        RefusedByCluster => "The cluster says:", "集群提示：";
        NameTaken => "A DaemonSet named {name} already exists in project {project}.", "项目 {project} 中已存在名为 {name} 的守护进程集。";
        NameHint => "Lowercase letters, digits, - and . only; it cannot be changed later.", "只能包含小写字母、数字、- 和 .，创建后不可修改。";
        ChooseProject => "Choose a project", "请选择项目";
        ShowYaml => "Show the YAML that will be created", "查看将要创建的 YAML";
        KeptAsWritten => "Kept as written", "保持原样";
        NotSet => "Not set", "未设置";
        OnePerLine => "One per line", "每行一项";
        Key => "Key", "键";
        Value => "Value", "值";
        Remove => "Remove", "移除";
        Advanced => "Advanced settings", "高级设置";
        InitContainer => "Init container", "初始化容器";
        InitContainers => "Init containers", "初始化容器";
        InitContainersHint => "Run to completion, one after another, before the containers start.", "在容器启动之前依次运行直至完成。";
        AddContainer => "Add container", "添加容器";
        AddInitContainer => "Add init container", "添加初始化容器";
        ContainerName => "Container name", "容器名称";
        PullPolicy => "Image pull policy", "镜像拉取策略";
        ResourcesHint => "CPU in cores or millicores (0.5, 500m); memory in bytes with a unit (128Mi, 1Gi).", "CPU 以核或毫核为单位（0.5、500m）；内存以字节加单位表示（128Mi、1Gi）。";
        CpuRequest => "CPU request", "CPU 预留";
        CpuLimit => "CPU limit", "CPU 限制";
        MemoryRequest => "Memory request", "内存预留";
        MemoryLimit => "Memory limit", "内存限制";
        AddPort => "Add port", "添加端口";
        PortName => "Port name", "端口名称";
        ContainerPort => "Container port", "容器端口";
        Protocol => "Protocol", "协议";
        HostPort => "Host port", "主机端口";
        Environment => "Environment variables", "环境变量";
        AddVariable => "Add variable", "添加变量";
        VariableName => "Variable name", "变量名";
        ValueFrom => "Value from", "值来源";
        FromValue => "A value", "直接赋值";
        FromConfigMapKey => "A ConfigMap key", "配置字典的键";
        FromSecretKey => "A Secret key", "保密字典的键";
        FromField => "A pod field", "容器组字段";
        ConfigMapName => "ConfigMap", "配置字典";
        SecretName => "Secret", "保密字典";
        FieldPath => "Field path", "字段路径";
        AddEnvFrom => "Import all keys of a ConfigMap or Secret", "导入配置字典或保密字典的全部键";
        EnvFromKind => "Import from", "导入来源";
        AllOfConfigMap => "Every key of a ConfigMap", "配置字典的全部键";
        AllOfSecret => "Every key of a Secret", "保密字典的全部键";
        Prefix => "Prefix", "前缀";
        ProbeAction => "Check by", "检查方式";
        HttpPath => "HTTP path", "HTTP 路径";
        ProbePort => "Port (number or name)", "端口（编号或名称）";
        InitialDelaySeconds => "Initial delay (s)", "初始延迟（秒）";
        PeriodSeconds => "Period (s)", "检查间隔（秒）";
        TimeoutSeconds => "Timeout (s)", "超时时间（秒）";
        FailureThreshold => "Failure threshold", "失败阈值";
        SecurityContext => "Security context", "安全上下文";
        Privileged => "Privileged", "特权模式";
        RunAsUser => "Run as user (UID)", "运行用户（UID）";
        RunAsNonRoot => "Must run as non-root", "必须以非 root 用户运行";
        ReadOnlyRootFilesystem => "Read-only root filesystem", "只读根文件系统";
        AllowPrivilegeEscalation => "Allow privilege escalation", "允许特权提升";
        CapabilitiesAdd => "Add capabilities", "添加权能";
        CapabilitiesDrop => "Drop capabilities", "移除权能";
        MaxUnavailable => "Max unavailable (number or %)", "最大不可用（数量或百分比）";
        MaxSurge => "Max surge (number or %)", "最大超量（数量或百分比）";
        MinReadySeconds => "Min ready seconds", "最短就绪时间（秒）";
        AddVolume => "Add volume", "添加存储卷";
        VolumeName => "Volume name", "存储卷名称";
        VolumeType => "Type", "类型";
        VolumeClaim => "PersistentVolumeClaim", "持久卷声明";
        VolumeEmptyDir => "Temporary (emptyDir)", "临时存储卷（emptyDir）";
        VolumeHostPath => "Host path", "主机路径";
        VolumeConfigMap => "ConfigMap", "配置字典卷";
        VolumeSecret => "Secret", "保密字典卷";
        ClaimName => "Claim name", "持久卷声明名称";
        Medium => "Medium", "介质";
        MediumDisk => "Node disk", "节点磁盘";
        MediumMemory => "Memory (tmpfs)", "内存（tmpfs）";
        SizeLimit => "Size limit", "容量上限";
        HostPath => "Path on the node", "节点上的路径";
        HostPathType => "Path type", "路径类型";
        NewClaims => "New PersistentVolumeClaims", "新建持久卷声明";
        NewClaimsHint => "Created with the DaemonSet. A volume only one node can mount (ReadWriteOnce) leaves the pods on every other node pending.", "与守护进程集一起创建。仅能被一个节点挂载（ReadWriteOnce）的存储卷会使其他节点上的容器组一直处于等待状态。";
        AddClaim => "Add claim", "添加持久卷声明";
        StorageClass => "Storage class (empty: the cluster's default)", "存储类（留空则使用集群默认存储类）";
        Size => "Size", "容量";
        AccessModes => "Access modes", "访问模式";
        AddMount => "Add mount", "添加挂载";
        Volume => "Volume", "存储卷";
        ChooseVolume => "Choose a volume", "请选择存储卷";
        MountPath => "Mount path", "挂载路径";
        SubPath => "Sub-path", "子路径";
        ReadOnly => "Read-only", "只读";
        AddLabel => "Add label", "添加标签";
        SelectorFollowsLabels => "The pods carry these labels, and the DaemonSet's selector matches them.", "容器组将带有这些标签，守护进程集的选择器也与之匹配。";
        SelectorKept => "The selector was written in the YAML and is kept as it is; labels edited here go on the DaemonSet only.", "选择器来自 YAML 并保持不变；此处编辑的标签仅作用于守护进程集本身。";
        NodeSelector => "Node selector", "节点选择器";
        NodeSelectorHint => "Run only on nodes that have every one of these labels.", "仅在具有以下全部标签的节点上运行。";
        AddSelectorPair => "Add selector", "添加选择条件";
        NodesMatching => "{matching} of {total} nodes will run a pod.", "{total} 个节点中有 {matching} 个将运行容器组。";
        NodesUnavailable => "The nodes cannot be listed with your permissions, so the match cannot be shown.", "您的权限无法列出节点，因此无法显示匹配结果。";
        WillRunHere => "Will run a pod", "将运行容器组";
        HostPortTaken => "Host port {port} is already held by {pod}; the pod would stay pending here.", "主机端口 {port} 已被 {pod} 占用，容器组在此节点上将一直处于等待状态。";
        AddToleration => "Add toleration", "添加容忍";
        Operator => "Operator", "运算符";
        Effect => "Effect", "效果";
        TolerationSeconds => "Toleration seconds", "容忍时长（秒）";
        HostAndPriority => "Host and priority", "主机与优先级";
        HostNetwork => "Use the host's network", "使用主机网络";
        HostPid => "Use the host's process IDs", "使用主机 PID 命名空间";
        PriorityClass => "Priority class", "优先级类";
        ProblemRequired => "Required.", "必填。";
        ProblemNotDnsLabel => "Use lowercase letters, digits and -, starting and ending with a letter or digit, at most 63.", "只能使用小写字母、数字和 -，以字母或数字开头和结尾，最多 63 个字符。";
        ProblemNotDnsSubdomain => "Use lowercase letters, digits, - and ., starting and ending with a letter or digit, at most 253.", "只能使用小写字母、数字、- 和 .，以字母或数字开头和结尾，最多 253 个字符。";
        ProblemNotLabelKey => "Not a label key: an optional DNS prefix and /, then at most 63 letters, digits, -, _ or .", "不是有效的标签键：可选的 DNS 前缀加 /，后接最多 63 个字母、数字、-、_ 或 .";
        ProblemNotLabelValue => "Not a label value: at most 63 letters, digits, -, _ or ., starting and ending with a letter or digit.", "不是有效的标签值：最多 63 个字母、数字、-、_ 或 .，以字母或数字开头和结尾。";
        ProblemNotPortName => "Not a port name: at most 15 lowercase letters, digits and -, with at least one letter.", "不是有效的端口名称：最多 15 个小写字母、数字和 -，至少包含一个字母。";
        ProblemNotIpAddress => "Not an IP address.", "不是有效的 IP 地址。";
        ProblemNegativeQuantity => "Must not be negative.", "不能为负数。";
        ProblemNotIntOrPercent => "Write a whole number or a percentage, such as 1 or 10%.", "请填写整数或百分比，例如 1 或 10%。";
        ProblemPercentAboveHundred => "At most 100%.", "不能超过 100%。";
        ProblemDuplicate => "Already used above.", "与上方重复。";
        ProblemRequestAboveLimit => "The request is larger than the limit.", "预留值大于限制值。";
        ProblemPortOutOfRange => "Ports go from 1 to 65535.", "端口范围为 1 到 65535。";
        ProblemTooSmall => "At least {minimum}.", "不能小于 {minimum}。";
        ProblemUnknownVolume => "No volume has this name; add it in the volumes above.", "没有该名称的存储卷，请在上方存储卷中添加。";
        ProblemEmptyKeyNeedsExists => "Without a key, the operator must be Exists.", "未填写键时，运算符必须为 Exists。";
        ProblemValueWithExists => "The Exists operator takes no value.", "Exists 运算符不接受值。";
        ProblemSecondsNeedNoExecute => "Toleration seconds apply to the NoExecute effect only.", "容忍时长仅适用于 NoExecute 效果。";
        ProblemNoRoomToUpdate => "Max unavailable and max surge cannot both be 0, or an update could never start.", "最大不可用和最大超量不能同时为 0，否则更新将无法开始。";
        ProblemSingleNodeVolumeShared => "Only one node can mount this claim, so the pods on every other node will stay pending.", "只有一个节点能挂载此持久卷声明，其他节点上的容器组将一直处于等待状态。";
        ReadNotAnObject => "Document {document} is not a Kubernetes object (a mapping of fields).", "第 {document} 个文档不是 Kubernetes 对象（字段映射）。";
        ReadMissingKind => "Document {document} has no kind; set kind: DaemonSet (or PersistentVolumeClaim).", "第 {document} 个文档缺少 kind；请设置 kind: DaemonSet（或 PersistentVolumeClaim）。";
        ReadUnsupportedKind => "Document {document} is a {kind}; the console creates DaemonSets, with any new PersistentVolumeClaims they mount.", "第 {document} 个文档是 {kind}；控制台只创建守护进程集及其挂载的新持久卷声明。";
        ReadUnsupportedApiVersion => "Document {document} is a {kind} in {found}; use apiVersion: {expected}.", "第 {document} 个文档是 {found} 中的 {kind}；请使用 apiVersion: {expected}。";
        ReadMissingDaemonSet => "There is no DaemonSet; add a document with apiVersion: apps/v1 and kind: DaemonSet.", "没有守护进程集；请添加 apiVersion: apps/v1、kind: DaemonSet 的文档。";
        ReadSeveralDaemonSets => "Documents {first} and {second} are both DaemonSets; import one at a time.", "第 {first} 和第 {second} 个文档都是守护进程集；请一次导入一个。";
    }
    /// A DaemonSet's page and its tabs: they come with its piece.
    detail {
        Counts => "Pods", "容器组数量";
        Selector => "Selector", "选择器";
        TabPods => "Pods", "容器组";
        TabNodes => "Nodes", "节点";
        UsageOfNode => "The node uses", "节点总用量";
        NodeUsageNotAllowed => "Node totals are not shown: you may not read nodes' metrics.", "未显示节点总用量：您无权读取节点指标。";
        TabMetadata => "Metadata", "元数据";
        NoPods => "No pods.", "没有容器组。";
        NoNodes => "No nodes.", "没有节点。";
        NoRevisions => "No revisions yet.", "暂无版本。";
        NoEnvironment => "No environment variables.", "没有环境变量。";
        Cordoned => "cordoned", "已禁止调度";
        NotReady => "not ready", "未就绪";
        ShouldRun => "Should run", "应运行";
        RunsPod => "Runs a pod", "正在运行";
        ReasonRunning => "Running", "运行中";
        ReasonPending => "Pod not running:", "容器组未运行：";
        ReasonMissing => "No pod yet; the controller will create one", "尚无容器组，控制器将创建";
        ReasonMisscheduled => "Runs a pod although it no longer qualifies", "不再符合条件但仍在运行容器组";
        NodesExplained => "Every node of the cluster: whether it should run this DaemonSet's pod, whether it does, which revision it runs, and for a node not yet updated, why. Cordoned nodes still run DaemonSet pods.", "集群中的每个节点：是否应运行此守护进程集的容器组、是否正在运行、运行哪个版本，以及尚未更新的节点为何仍在等待。已禁止调度的节点仍会运行守护进程集的容器组。";
        ReadySince => "Ready since", "就绪于";
        NodesNotListed => "You may not list the cluster's nodes, so only the nodes this DaemonSet's pods run on are shown, without their labels.", "您无权列出集群节点，因此仅显示此守护进程集的容器组所在的节点，且不含节点标签。";
        LastTermination => "Last termination", "上次终止";
        ColumnRollout => "Rollout", "更新进度";
        OldRevision => "old", "旧版本";
        PrunedRevision => "revision no longer kept", "版本记录已清理";
        RolloutCurrent => "Up to date", "已是最新";
        RolloutStarting => "New pod not available yet:", "新容器组尚不可用：";
        RolloutMissing => "No pod yet; the controller creates it", "尚无容器组，控制器将创建";
        RolloutReplacing => "Old pod going; the new one follows", "旧容器组正在删除，随后创建新容器组";
        NotAvailablePending => "pending, {reason}", "等待中，{reason}";
        NotAvailableNotReady => "running, not ready", "运行中但未就绪";
        NotAvailableMinReady => "ready, available in {seconds} s (minReadySeconds)", "已就绪，{seconds} 秒后可用（minReadySeconds）";
        WaitPaused => "Paused by {by}, {age} ago", "已被 {by} 暂停（{age} 前）";
        WaitOnDelete => "OnDelete: replaced only when its pod is deleted", "OnDelete：仅在其容器组被删除时替换";
        WaitNewPodPending => "New pod beside the old one not available:", "与旧容器组并存的新容器组尚不可用：";
        WaitReplacedFirst => "Its old pod is unavailable, so the controller replaces it first", "其旧容器组不可用，控制器将优先替换";
        WaitNext => "Next: the controller replaces it now", "下一个：控制器正在替换";
        WaitTurn => "Waiting its turn ({count} at a time)", "排队等待（每次 {count} 个）";
        WaitHeld => "Held by {limit} {value} while {pods} unavailable", "受 {limit} {value} 限制，{pods} 不可用期间暂停";
        PauseRollout => "Pause rollout", "暂停更新";
        ResumeRollout => "Resume rollout", "继续更新";
        StopDaemonSet => "Stop", "停止";
        StartDaemonSet => "Start", "启动";
        PauseExplained => "The update strategy becomes OnDelete, so the controller replaces no further pod. Who paused it, when and the strategy it had are recorded on the DaemonSet; resume restores that strategy.", "更新策略将改为 OnDelete，控制器不再替换任何容器组。暂停人、时间和原有策略会记录在守护进程集上；继续更新时恢复该策略。";
        PauseNodes => "These nodes keep their old revision until the rollout is resumed:", "以下节点在继续更新之前保持旧版本：";
        PauseNoNodes => "Every node already runs the current revision; a later change will wait until the rollout is resumed.", "所有节点均已运行当前版本；之后的变更将等到继续更新时才会生效。";
        ResumeExplained => "The recorded strategy is restored and the controller goes on replacing old pods:", "将恢复记录的更新策略，控制器继续替换旧容器组：";
        ResumeNodes => "Nodes the controller will update:", "控制器将更新的节点：";
        StopExplained => "The node selector gains a label no node has, so the DaemonSet runs on no node and its pods are deleted. The selector it had is recorded on the DaemonSet; start restores it exactly.", "节点选择器将加入一个没有任何节点具有的标签，守护进程集将不在任何节点上运行，其容器组会被删除。原有的节点选择器记录在守护进程集上；启动时原样恢复。";
        StopNodes => "Pods deleted on:", "将删除以下节点上的容器组：";
        StartExplained => "The recorded node selector is restored:", "将恢复记录的节点选择器：";
        StartNodes => "Pods will be created on:", "将在以下节点上创建容器组：";
        PausedBanner => "Rollout paused by {by} since {at} ({age} ago): no pod is replaced until someone resumes it.", "更新已由 {by} 于 {at} 暂停（{age} 前）：在有人继续更新之前不会替换任何容器组。";
        StoppedBanner => "Stopped by {by} since {at} ({age} ago): it runs on no node until someone starts it.", "已由 {by} 于 {at} 停止（{age} 前）：在有人启动之前不在任何节点上运行。";
        RolloutUnderWay => "Rollout under way", "正在更新";
        RolloutProgress => "{current} of {desired} nodes on revision {revision}, {available} available", "{desired} 个节点中有 {current} 个运行版本 {revision}，{available} 个可用";
        RolloutFromTo => "Moving from {from} to {to}", "从 {from} 更新到 {to}";
        RolloutBlockers => "What holds it", "阻碍更新的原因";
        RolloutWaiting => "{count} more nodes wait on an old revision; the nodes tab says why for each.", "另有 {count} 个节点仍在旧版本等待；节点标签页列出了每个节点的原因。";
        CompareTemplates => "Compare the templates", "比较模板";
        UpdateNodesNow => "Update nodes now", "立即更新节点";
        UpdateNodesExplained => "The old pod on each of these nodes is deleted, {count} at a time, and the controller creates the new one; the next node goes only once each new pod is available (ready for minReadySeconds, {seconds} s).", "将逐个删除以下节点上的旧容器组（每次 {count} 个），由控制器创建新容器组；只有当每个新容器组可用（就绪满 minReadySeconds，{seconds} 秒）后才会处理下一个节点。";
        AtATime => "Nodes at a time", "每次节点数";
        CanaryFirst => "Roll out to some nodes first (canary)", "先发布到部分节点（金丝雀发布）";
        CanaryLabel => "Nodes with the label", "具有标签的节点";
        CanaryValue => "Label value", "标签值";
        CanaryNodes => "The change is applied paused and goes to these {count} nodes first, one group at a time; the other nodes keep their revision until you continue:", "变更将以暂停状态应用，并先分批发布到以下 {count} 个节点；其他节点保持原版本，直到您选择继续：";
        CanaryNotOnDelete => "This DaemonSet updates with OnDelete, so nothing moves by itself: choose the nodes to update on the nodes tab instead of a canary.", "此守护进程集使用 OnDelete 更新策略，不会自动更新：请在节点页签中选择要更新的节点，而不是使用金丝雀发布。";
        CanaryHeld => "A canary needs a DaemonSet that is not paused, stopped or in a canary already: resume or finish that first.", "金丝雀发布要求守护进程集未暂停、未停止且没有进行中的金丝雀发布：请先继续或完成它。";
        ApplyCanary => "Apply to the canary nodes", "应用到金丝雀节点";
        CanaryTitle => "Canary on {selector}", "金丝雀发布：{selector}";
        CanaryExplained => "Started by {by} {age} ago. The rollout is paused: only the canary nodes are updated; the others stay on {from} until someone continues or rolls back.", "由 {by} 于 {age} 前开始。更新已暂停：只有金丝雀节点会更新，其他节点保持 {from}，直到有人选择继续或回滚。";
        CanaryRollingBackTitle => "Rolling back the canary on {selector}", "正在回滚金丝雀发布：{selector}";
        CanaryRollingBackExplained => "The template of {from} is back. The canary nodes are updated back to it; then finish to restore the update strategy.", "已恢复 {from} 的模板。金丝雀节点将更新回该版本；完成后请点击完成以恢复更新策略。";
        CanaryProgress => "{current} of {total} canary nodes on the current revision, {available} available", "{total} 个金丝雀节点中 {current} 个为当前版本，{available} 个可用";
        CanaryWaitingForRevision => "Waiting for the controller to make the new revision…", "正在等待控制器生成新版本…";
        CanaryTemplateUnchanged => "The pod template is unchanged, so there is nothing to roll out to canary nodes.", "容器组模板未改变，没有可发布到金丝雀节点的内容。";
        CanaryIdle => "No update of the canary nodes is running in this page; nodes still on the old revision stay there (the DaemonSet is paused) until someone updates them.", "此页面没有正在进行的金丝雀节点更新；仍为旧版本的节点将保持不变（守护进程集已暂停），直到有人更新它们。";
        CanaryRevisionGone => "The revision the canary started from is no longer kept, so it cannot be rolled back here.", "金丝雀发布开始前的版本已不再保留，因此无法在此回滚。";
        UpdateCanaryNodes => "Update the canary nodes", "更新金丝雀节点";
        ContinueCanary => "Continue to the remaining nodes", "继续发布到其余节点";
        RollBackCanary => "Roll back the canary", "回滚金丝雀发布";
        FinishRollBack => "Finish the roll back", "完成回滚";
        ContinueCanaryExplained => "The update strategy recorded when the canary started is restored and the canary record removed; the controller then updates these nodes as that strategy allows:", "将恢复金丝雀发布开始时记录的更新策略并删除金丝雀记录；随后控制器按该策略更新以下节点：";
        RollBackCanaryExplained => "The template of {from} is restored (the DaemonSet stays paused), then these canary nodes are updated back to it, one group at a time:", "将恢复 {from} 的模板（守护进程集保持暂停），随后将以下金丝雀节点分批更新回该版本：";
        FinishRollBackExplained => "These canary nodes run {from}'s template again. The update strategy recorded when the canary started is restored and the canary record removed.", "以下金丝雀节点已重新运行 {from} 的模板。将恢复金丝雀发布开始时记录的更新策略并删除金丝雀记录。";
        ChooseNode => "Choose", "选择";
        ChooseOldShown => "Choose the old nodes shown", "选择所列的旧版本节点";
        UpdateChosen => "Update {count} chosen nodes now", "立即更新所选的 {count} 个节点";
        UpdatingNodes => "Updating chosen nodes: {done} of {total} done", "正在更新所选节点：已完成 {done}/{total}";
        UpdateFinished => "Chosen nodes updated: {done} of {total}", "所选节点已更新：{done}/{total}";
        UpdateStopped => "Update stopped: {done} of {total} done", "更新已停止：已完成 {done}/{total}";
        UpdateNodeDone => "updated, available", "已更新并可用";
        UpdateNodeInFlight => "old pod deleted, waiting for the new one to be available", "旧容器组已删除，等待新容器组可用";
        UpdateNodeQueued => "queued", "排队中";
        StopUpdating => "Stop updating", "停止更新";
        Dismiss => "Dismiss", "关闭";
        GroupBy => "Group by node label", "按节点标签分组";
        NoGrouping => "no grouping", "不分组";
        AllNodes => "All nodes", "全部节点";
        NoLabel => "(no label)", "（无此标签）";
        GroupCounts => "{nodes} nodes · {current}/{desired} updated · {available} available", "{nodes} 个节点 · {current}/{desired} 已更新 · {available} 可用";
        Labels => "Labels", "标签";
        Annotations => "Annotations", "注解";
        TabLogsAllNodes => "Logs (all nodes)", "日志（全部节点）";
        TabRevisions => "Revisions", "版本记录";
        Revision => "Revision", "版本";
        CurrentRevision => "current", "当前";
        CompareRevisions => "Compare two revisions", "比较两个版本";
        From => "From", "从";
        To => "to", "到";
        RollBack => "Roll back", "回滚";
        RollBackExplained => "The DaemonSet's pod template is set back to the one of revision", "守护进程集的容器组模板将恢复为版本";
        DiffEditedFrom => "The YAML the edit started from", "编辑开始时的 YAML";
        DiffYourEdit => "The YAML as you edited it", "您编辑后的 YAML";
        DiffLatest => "The YAML in the cluster now", "集群中当前的 YAML";
        DraftRestored => "Your changes that were not applied yet have been restored.", "已恢复您尚未应用的更改。";
        ReviewChanges => "Review changes", "检查更改";
        ReviewExplained => "Left: the version you started from. Right: your edit. Apply changes exactly this.", "左侧为您开始编辑时的版本，右侧为您的修改。“应用”将完全按此更改。";
        BackToEditing => "Back to editing", "返回编辑";
        Apply => "Apply", "应用";
        DryRunRunning => "Checking the change with the server (dry run)…", "正在由服务器试运行检查此更改…";
        DryRunPassed => "The server accepts this change (dry run). Nothing has been applied yet.", "服务器接受此更改（试运行）。尚未应用任何更改。";
        DryRunRefused => "The server refuses this change, so nothing was applied. Fix the YAML and review again:", "服务器拒绝了此更改，因此未应用任何内容。请修改 YAML 后重新检查：";
        NoChanges => "You have not changed anything yet.", "您尚未做任何更改。";
        YamlInvalid => "The YAML is not valid; fix it and review again.", "YAML 格式无效，请修正后重新检查。";
        YamlNotAnObject => "The text must be one YAML mapping holding the DaemonSet's fields (apiVersion, kind, metadata, spec).", "文本必须是一个包含守护进程集字段（apiVersion、kind、metadata、spec）的 YAML 映射。";
        ConflictTitle => "Someone else changed this DaemonSet after you started editing it.", "在您开始编辑之后，有人修改了此守护进程集。";
        ConflictExplained => "Nothing was overwritten and your text is kept. Below is what changed on the server: left, the version you started from; right, the latest version.", "没有覆盖任何内容，您的文本已保留。下方为服务器上的变化：左侧为您开始编辑时的版本，右侧为最新版本。";
        ApplyOnLatest => "Apply my changes on top of the latest", "在最新版本上应用我的更改";
        LoadLatest => "Discard my changes and load the latest", "放弃我的更改并加载最新版本";
        DiscardQuestion => "Discard your changes? They have not been applied.", "放弃您的更改吗？这些更改尚未应用。";
        KeepEditing => "Keep editing", "继续编辑";
        DiscardChanges => "Discard changes", "放弃更改";
        YamlSeveralDocuments => "The text holds several documents; here it must be just the one DaemonSet.", "文本包含多个文档；此处只能是这一个守护进程集。";
    }
    /// Pod and container pages, logs and terminals: they come with their pieces.
    pods {
        NoContainers => "No containers.", "没有容器。";
        Logs => "Logs", "日志";
        LogFollow => "Follow", "实时跟踪";
        LogTail => "Last", "最近";
        LogAll => "all", "全部";
        LogSince => "Since", "起始";
        LogSinceStart => "the start", "最早";
        LogSince5m => "5 minutes ago", "5 分钟前";
        LogSince1h => "1 hour ago", "1 小时前";
        LogSince1d => "1 day ago", "1 天前";
        LogTimestamps => "Timestamps", "时间戳";
        LogPrevious => "Previous container", "上一个容器";
        LogSearch => "Search the log", "搜索日志";
        LogMatches => "matches", "处匹配";
        LogPreviousMatch => "Previous match", "上一处匹配";
        LogNextMatch => "Next match", "下一处匹配";
        LogPause => "Pause scrolling", "暂停滚动";
        LogResume => "Resume scrolling", "恢复滚动";
        LogDownload => "Download", "下载";
        LogStreaming => "Streaming", "正在接收";
        LogEnded => "The log ended.", "日志已结束。";
        LogLines => "lines", "行";
        LogDropped => "older lines let go to save memory", "条较早的日志已释放以节省内存";
        Reconnect => "Reconnect", "重新连接";
        QosClass => "QoS class", "QoS 类别";
        OwnedBy => "Owned by", "所属";
        State => "State", "状态";
        Conditions => "Conditions", "状况";
        Terminal => "Terminal", "终端";
        TerminalOpen => "Open a terminal", "打开终端";
        TerminalClose => "Close the terminal", "关闭终端";
        TerminalShell => "Shell", "Shell 程序";
        TerminalShellPlaceholder => "Shell (default: bash, else sh)", "Shell（默认 bash，没有则用 sh）";
        TerminalConnecting => "Connecting…", "正在连接…";
        TerminalConnected => "Connected", "已连接";
        TerminalExited => "The shell ended", "Shell 已退出";
        TerminalDropped => "The connection dropped.", "连接已断开。";
        TerminalFailed => "The terminal could not be opened:", "无法打开终端：";
    }
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

/// "Line 3, column 5." in `lang`.
pub fn at_line_column(
    lang: Lang,
    line: impl std::fmt::Display,
    column: impl std::fmt::Display,
) -> String {
    Msg::AtLineColumn
        .text(lang)
        .replace("{line}", &line.to_string())
        .replace("{column}", &column.to_string())
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
    fn messages_are_told_apart_across_catalogs() {
        // The first message of each catalog has the same index; only its catalog differs.
        for (at, msg) in Msg::ALL.iter().enumerate() {
            for (other_at, other) in Msg::ALL.iter().enumerate() {
                assert_eq!(msg == other, at == other_at, "{msg:?} and {other:?}");
            }
        }
    }

    #[test]
    fn positions_read_in_both_languages() {
        assert_eq!(at_line_column(Lang::En, 3, 5), "Line 3, column 5.");
        assert_eq!(at_line_column(Lang::ZhCn, 3, 5), "位于第 3 行第 5 列。");
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
