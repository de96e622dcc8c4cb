//! The log viewer: follows a container's log (or a whole DaemonSet's, merged by time and
//! labelled by node) with tail, since, timestamps and previous-container choices; search with
//! highlight; pause and resume of auto-scroll; download. Lines go into a ring buffer and only
//! the lines in view are in the page, so memory and rendering stay bounded however long it runs.

use console_model::logs::{LogBuffer, LogLine, highlight};
use gloo_net::http::Request;
use leptos::{html, prelude::*, task::spawn_local};

use crate::{
    api::{ApiError, read_error},
    i18n::{Msg, use_i18n},
    stream::{MAX_LOG_LINE_BYTES, for_each_line},
};

/// Whose log to show.
#[derive(Clone, Debug, PartialEq)]
pub enum LogSource {
    Container {
        namespace: String,
        pod: String,
        container: String,
    },
    /// Every pod of the DaemonSet, merged by time (the server merges).
    DaemonSet { namespace: String, name: String },
}

#[derive(Clone, Debug, PartialEq)]
enum StreamState {
    Connecting,
    Streaming,
    /// The log ended (not following, or the container stopped).
    Ended,
    Failed(ApiError),
}

/// How many lines are kept; older ones are dropped (and counted).
const CAPACITY: usize = 50_000;
const LINE_HEIGHT: f64 = 18.0;
/// Redraw at most this often while lines pour in.
const FLUSH_MS: u64 = 100;

#[derive(Clone, Copy, PartialEq)]
struct Options {
    follow: bool,
    tail: u32,
    since_seconds: u32,
    previous: bool,
}

impl LogSource {
    fn url(&self, options: Options) -> String {
        let since = if options.since_seconds > 0 {
            format!("&sinceSeconds={}", options.since_seconds)
        } else {
            String::new()
        };
        let tail = if options.tail > 0 {
            format!("&tailLines={}", options.tail)
        } else {
            String::new()
        };
        match self {
            LogSource::Container {
                namespace,
                pod,
                container,
            } => format!(
                "/api/k8s/api/v1/namespaces/{namespace}/pods/{pod}/log?container={container}&timestamps=true&follow={}&previous={}{tail}{since}",
                options.follow && !options.previous,
                options.previous
            ),
            LogSource::DaemonSet { namespace, name } => {
                format!("/api/logs/namespaces/{namespace}/daemonsets/{name}?x=1{tail}{since}")
            }
        }
    }

    fn parse(&self, bytes: &[u8]) -> Option<LogLine> {
        match self {
            LogSource::Container { .. } => {
                Some(LogLine::from_timestamped(&String::from_utf8_lossy(bytes)))
            }
            LogSource::DaemonSet { .. } => serde_json::from_slice(bytes).ok(),
        }
    }

    fn file_name(&self) -> String {
        match self {
            LogSource::Container { pod, container, .. } => format!("{pod}-{container}.log"),
            LogSource::DaemonSet { name, .. } => format!("{name}-all-nodes.log"),
        }
    }
}

#[component]
pub fn LogViewer(source: LogSource) -> impl IntoView {
    let i18n = use_i18n();
    let merged = matches!(source, LogSource::DaemonSet { .. });
    let options = RwSignal::new(Options {
        follow: true,
        tail: 500,
        since_seconds: 0,
        previous: false,
    });
    let timestamps = RwSignal::new(merged);
    let search = RwSignal::new(String::new());
    let paused = RwSignal::new(false);
    let buffer = StoredValue::new(LogBuffer::new(CAPACITY));
    let version = RwSignal::new(0u64);
    let state = RwSignal::new(StreamState::Connecting);
    let reconnects = RwSignal::new(0u32);
    let viewport = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let height = RwSignal::new(480.0);

    // (Re)connect whenever the options change or the user asks to reconnect.
    let stream_source = source.clone();
    Effect::new(move |previous: Option<Option<web_sys::AbortController>>| {
        if let Some(Some(controller)) = previous {
            controller.abort();
        }
        let chosen = options.get();
        reconnects.track();
        buffer.update_value(LogBuffer::clear);
        version.update(|v| *v += 1);
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(web_sys::AbortController::signal);
        let source = stream_source.clone();
        state.set(StreamState::Connecting);
        spawn_local(async move {
            let response = match Request::get(&source.url(chosen))
                .abort_signal(signal.as_ref())
                .send()
                .await
            {
                Ok(response) if response.ok() => response,
                Ok(response) => {
                    state.set(StreamState::Failed(read_error(response).await));
                    return;
                }
                Err(error) => {
                    state.set(StreamState::Failed(ApiError::Network(error.to_string())));
                    return;
                }
            };
            state.set(StreamState::Streaming);
            let flush_scheduled = StoredValue::new(false);
            let result = for_each_line(response, MAX_LOG_LINE_BYTES, |bytes| {
                if let Some(line) = source.parse(bytes) {
                    buffer.update_value(|buffer| buffer.push(line));
                    if !flush_scheduled.get_value() {
                        flush_scheduled.set_value(true);
                        set_timeout(
                            move || {
                                flush_scheduled.set_value(false);
                                version.update(|v| *v += 1);
                            },
                            std::time::Duration::from_millis(FLUSH_MS),
                        );
                    }
                }
                true
            })
            .await;
            version.update(|v| *v += 1);
            // An aborted stream belongs to options that were replaced; say nothing.
            if signal.as_ref().is_some_and(web_sys::AbortSignal::aborted) {
                return;
            }
            state.set(match result {
                Ok(()) => StreamState::Ended,
                Err(error) => StreamState::Failed(error),
            });
        });
        controller
    });

    // Keep the newest line in view unless the user paused (or scrolled up, which pauses).
    Effect::new(move |_| {
        version.track();
        if paused.get_untracked() {
            return;
        }
        if let Some(element) = viewport.get_untracked() {
            request_animation_frame(move || element.set_scroll_top(element.scroll_height()));
        }
    });
    let on_scroll = move |_| {
        if let Some(element) = viewport.get_untracked() {
            let top = element.scroll_top() as f64;
            scroll_top.set(top);
            height.set(element.client_height() as f64);
            let at_bottom = top + element.client_height() as f64
                >= element.scroll_height() as f64 - 2.0 * LINE_HEIGHT;
            if !at_bottom && !paused.get_untracked() {
                paused.set(true);
            }
        }
    };
    let resume = move |_| {
        paused.set(false);
        version.update(|v| *v += 1);
    };

    let matches = Memo::new(move |_| {
        version.track();
        let needle = search.get();
        buffer.with_value(|buffer| buffer.matching(&needle))
    });
    let current_match = RwSignal::new(0usize);
    let jump = move |step: isize| {
        let found = matches.get_untracked();
        if found.is_empty() {
            return;
        }
        let next = (current_match.get_untracked() as isize + step).rem_euclid(found.len() as isize)
            as usize;
        current_match.set(next);
        paused.set(true);
        if let Some(element) = viewport.get_untracked() {
            let top = found[next] as f64 * LINE_HEIGHT - element.client_height() as f64 / 2.0;
            element.set_scroll_top(top.max(0.0) as i32);
        }
    };

    let file_name = source.file_name();
    let download = move |_| {
        let text = buffer.with_value(|buffer| {
            buffer
                .iter()
                .filter_map(LogLine::download_text)
                .collect::<String>()
        });
        save_text(&file_name, &text);
    };

    let rows = move || {
        version.track();
        let needle = search.get();
        let show_time = timestamps.get();
        let total = buffer.with_value(LogBuffer::len);
        let first = ((scroll_top.get() / LINE_HEIGHT) as usize)
            .saturating_sub(20)
            .min(total);
        let last = (first + (height.get() / LINE_HEIGHT) as usize + 40).min(total);
        let lines = buffer.with_value(|buffer| {
            (first..last)
                .filter_map(|i| buffer.get(i).cloned())
                .collect::<Vec<_>>()
        });
        let drawn = lines
            .into_iter()
            .map(|line| {
                let time = (show_time && line.time.is_some())
                    .then(|| view! { <span class="log-time">{line.time.clone()}</span> });
                let node = (!line.node.is_empty())
                    .then(|| view! { <span class="log-node">{line.node.clone()}</span> });
                let text = highlight(&line.line, &needle)
                    .into_iter()
                    .map(|(piece, hit)| {
                        if hit {
                            view! { <mark>{piece}</mark> }.into_any()
                        } else {
                            piece.into_any()
                        }
                    })
                    .collect_view();
                let class = if line.notice {
                    "log-line log-notice"
                } else {
                    "log-line"
                };
                view! { <div class=class>{time}{node}<span class="log-text">{text}</span></div> }
            })
            .collect_view();
        view! {
            <div class="log-spacer" style:height=format!("{}px", total as f64 * LINE_HEIGHT)>
                <div class="log-window" style:top=format!("{}px", first as f64 * LINE_HEIGHT)>{drawn}</div>
            </div>
        }
    };

    let tail_choice = move |event| {
        let tail = event_target_value(&event).parse().unwrap_or(0);
        options.update(|o| o.tail = tail);
    };
    let since_choice = move |event| {
        let since_seconds = event_target_value(&event).parse().unwrap_or(0);
        options.update(|o| o.since_seconds = since_seconds);
    };

    view! {
        <div class="log-viewer">
            <div class="log-toolbar">
                <label class="check">
                    <input type="checkbox" prop:checked=move || options.get().follow
                        on:change=move |ev| options.update(|o| o.follow = event_target_checked(&ev)) disabled=merged />
                    <span>{i18n.t(Msg::LogFollow)}</span>
                </label>
                <label class="inline">
                    <span>{i18n.t(Msg::LogTail)}</span>
                    <select on:change=tail_choice>
                        <option value="100">"100"</option>
                        <option value="500" selected>"500"</option>
                        <option value="5000">"5000"</option>
                        <option value="0">{i18n.t(Msg::LogAll)}</option>
                    </select>
                </label>
                <label class="inline">
                    <span>{i18n.t(Msg::LogSince)}</span>
                    <select on:change=since_choice>
                        <option value="0">{i18n.t(Msg::LogSinceStart)}</option>
                        <option value="300">{i18n.t(Msg::LogSince5m)}</option>
                        <option value="3600">{i18n.t(Msg::LogSince1h)}</option>
                        <option value="86400">{i18n.t(Msg::LogSince1d)}</option>
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=timestamps on:change=move |ev| timestamps.set(event_target_checked(&ev)) />
                    <span>{i18n.t(Msg::LogTimestamps)}</span>
                </label>
                {(!merged).then(|| view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || options.get().previous
                            on:change=move |ev| options.update(|o| o.previous = event_target_checked(&ev)) />
                        <span>{i18n.t(Msg::LogPrevious)}</span>
                    </label>
                })}
                <input type="search" class="log-search" placeholder=i18n.t(Msg::LogSearch) aria-label=i18n.t(Msg::LogSearch)
                    prop:value=search on:input=move |ev| { search.set(event_target_value(&ev)); current_match.set(0); } />
                <span class="log-matches">{move || (!search.get().is_empty()).then(|| format!("{} {}", matches.get().len(), i18n.t(Msg::LogMatches)()))}</span>
                <button type="button" on:click=move |_| jump(-1) aria-label=i18n.t(Msg::LogPreviousMatch)>"↑"</button>
                <button type="button" on:click=move |_| jump(1) aria-label=i18n.t(Msg::LogNextMatch)>"↓"</button>
                {move || if paused.get() {
                    view! { <button type="button" class="primary" on:click=resume>{i18n.t(Msg::LogResume)}</button> }.into_any()
                } else {
                    view! { <button type="button" on:click=move |_| paused.set(true)>{i18n.t(Msg::LogPause)}</button> }.into_any()
                }}
                <button type="button" on:click=download>{i18n.t(Msg::LogDownload)}</button>
            </div>
            <div class="log-status" role="status">
                {move || match state.get() {
                    StreamState::Connecting => i18n.t(Msg::Loading)().into_any(),
                    StreamState::Streaming => view! { <span class="live-on">{i18n.t(Msg::LogStreaming)}</span> }.into_any(),
                    StreamState::Ended => view! {
                        <span>{i18n.t(Msg::LogEnded)}</span> " "
                        <button type="button" on:click=move |_| reconnects.update(|n| *n += 1)>{i18n.t(Msg::Reconnect)}</button>
                    }.into_any(),
                    StreamState::Failed(error) => view! {
                        <span class="bad">{i18n.t(error.summary())}</span> " "
                        <code>{error.detail()}</code> " "
                        <button type="button" on:click=move |_| reconnects.update(|n| *n += 1)>{i18n.t(Msg::Reconnect)}</button>
                    }.into_any(),
                }}
                {move || {
                    version.track();
                    let (lines, dropped) = buffer.with_value(|b| (b.len(), b.dropped()));
                    format!(" · {lines} {}", i18n.t(Msg::LogLines)())
                        + &if dropped > 0 { format!(" ({dropped} {})", i18n.t(Msg::LogDropped)()) } else { String::new() }
                }}
            </div>
            <div class="log-viewport" node_ref=viewport on:scroll=on_scroll>{rows}</div>
        </div>
    }
}

/// Offers `text` as a file download.
fn save_text(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(document) = web_sys::window().and_then(|w| w.document())
        && let Ok(link) = document.create_element("a")
    {
        let _ = link.set_attribute("href", &url);
        let _ = link.set_attribute("download", name);
        if let Some(link) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&link) {
            link.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
