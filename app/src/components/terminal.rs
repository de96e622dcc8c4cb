//! A shell in a container, in the page: xterm.js (loaded on demand) over the console's
//! terminal WebSocket. Binary frames carry the bytes; text frames carry resize, ping and the
//! shell's exit. When the connection drops the page says so and offers to reconnect; when the
//! page goes away the socket closes and the server ends the shell.

use std::{cell::RefCell, rc::Rc};

use console_model::wire::{TerminalEvent, TerminalRequest};
use leptos::{html, prelude::*, task::spawn_local};
use wasm_bindgen::{JsCast, closure::Closure, prelude::JsValue};
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use crate::{
    api,
    i18n::{Msg, use_i18n},
    lazy,
    theme::use_theme,
};

/// Which container to open a shell in, and which shell (empty: bash, else sh).
#[derive(Clone, Debug, PartialEq)]
pub struct ShellTarget {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub shell: String,
}

#[derive(Clone, Debug, PartialEq)]
enum Connection {
    Loading,
    Connected,
    /// The shell ended by itself (exit code when known).
    Exited(Option<i32>),
    /// The connection closed or never opened; the reason, if the server gave one.
    Closed(String),
    Failed(String),
    /// The user's session ended (signed out, expired): reconnecting needs a new sign-in.
    SessionEnded,
}

/// The browser keeps its side alive too: some proxies drop quiet connections.
const PING_MS: u32 = 20_000;

#[component]
pub fn TerminalPane(target: ShellTarget) -> impl IntoView {
    let i18n = use_i18n();
    let host = NodeRef::<html::Div>::new();
    let state = RwSignal::new(Connection::Loading);
    let attempt = RwSignal::new(0u32);
    // Everything the open session holds, dropped on reconnect and when the page goes away.
    let session: Rc<RefCell<Option<Session>>> = Rc::default();

    let current = Rc::clone(&session);
    Effect::new(move |_| {
        attempt.track();
        let Some(element) = host.get() else { return };
        if let Some(old) = current.borrow_mut().take() {
            old.close();
        }
        element.set_inner_html("");
        state.set(Connection::Loading);
        let target = target.clone();
        let slot = Rc::clone(&current);
        spawn_local(async move {
            match Session::open(&element, &target, state).await {
                Ok(opened) => *slot.borrow_mut() = Some(opened),
                Err(message) => state.set(Connection::Failed(message)),
            }
        });
    });
    let theme = use_theme();
    let themed = Rc::clone(&session);
    Effect::new(move |_| {
        theme.is_dark();
        if let Some(open) = themed.borrow().as_ref() {
            let _ = lazy::call(&open.terminal, "followTheme", &[]);
        }
    });
    let on_leave = send_wrapper::SendWrapper::new(session);
    on_cleanup(move || {
        if let Some(open) = on_leave.take().borrow_mut().take() {
            open.close();
        }
    });

    let reconnect = move |_| attempt.update(|n| *n += 1);
    view! {
        <div class="terminal-pane">
            <div class="terminal-status" role="status">
                {move || match state.get() {
                    Connection::Loading => i18n.t(Msg::TerminalConnecting)().into_any(),
                    Connection::Connected => view! { <span class="live-on">{i18n.t(Msg::TerminalConnected)}</span> }.into_any(),
                    Connection::Exited(code) => view! {
                        <span>{i18n.t(Msg::TerminalExited)} {code.map(|code| format!(" ({code})"))}</span> " "
                        <button type="button" on:click=reconnect>{i18n.t(Msg::Reconnect)}</button>
                    }.into_any(),
                    Connection::Closed(reason) => view! {
                        <span class="bad">{i18n.t(Msg::TerminalDropped)}</span> " " <code>{reason}</code> " "
                        <button type="button" class="primary" on:click=reconnect>{i18n.t(Msg::Reconnect)}</button>
                    }.into_any(),
                    Connection::Failed(reason) => view! {
                        <span class="bad">{i18n.t(Msg::TerminalFailed)}</span> " " <code>{reason}</code> " "
                        <button type="button" on:click=reconnect>{i18n.t(Msg::Reconnect)}</button>
                    }.into_any(),
                    Connection::SessionEnded => view! {
                        <span class="bad">{i18n.t(Msg::SessionEnded)}</span> " "
                        <a href="/sign-in">{i18n.t(Msg::SignInAgain)}</a>
                    }.into_any(),
                }}
            </div>
            <div class="terminal-host" node_ref=host></div>
        </div>
    }
}

/// An open terminal: the xterm handle, the socket, and the callbacks that must live as long.
struct Session {
    terminal: JsValue,
    socket: WebSocket,
    ping: i32,
    _callbacks: Vec<Box<dyn std::any::Any>>,
}

impl Session {
    async fn open(
        element: &web_sys::HtmlDivElement,
        target: &ShellTarget,
        state: RwSignal<Connection>,
    ) -> Result<Session, String> {
        let module = lazy::import_asset("terminal/terminal.js").await?;
        let socket = WebSocket::new(&socket_url(target)?).map_err(|error| format!("{error:?}"))?;
        socket.set_binary_type(BinaryType::Arraybuffer);

        let to_server = socket.clone();
        let on_input =
            Closure::<dyn Fn(js_sys::Uint8Array)>::new(move |bytes: js_sys::Uint8Array| {
                if to_server.ready_state() == WebSocket::OPEN {
                    let _ = to_server.send_with_array_buffer_view(&bytes);
                }
            });
        let resize_socket = socket.clone();
        let on_resize = Closure::<dyn Fn(u32, u32)>::new(move |cols: u32, rows: u32| {
            send_resize(&resize_socket, cols, rows);
        });
        let terminal = lazy::call(
            &module,
            "create",
            &[
                element.into(),
                on_input.as_ref().clone(),
                on_resize.as_ref().clone(),
            ],
        )?;

        let opened_socket = socket.clone();
        let opened_terminal = terminal.clone();
        let on_open = Closure::<dyn Fn()>::new(move || {
            state.set(Connection::Connected);
            if let Ok(size) = lazy::call(&opened_terminal, "size", &[]) {
                let size: js_sys::Array = size.unchecked_into();
                send_resize(
                    &opened_socket,
                    size.get(0).as_f64().unwrap_or(80.0) as u32,
                    size.get(1).as_f64().unwrap_or(24.0) as u32,
                );
            }
            let _ = lazy::call(&opened_terminal, "focus", &[]);
        });
        let output = terminal.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if let Some(buffer) = data.dyn_ref::<js_sys::ArrayBuffer>() {
                let _ = lazy::call(&output, "write", &[js_sys::Uint8Array::new(buffer).into()]);
            } else if let Some(text) = data.as_string() {
                match console_model::json::from_text::<TerminalEvent>(&text) {
                    Ok(TerminalEvent::Exit { code, .. }) => state.set(Connection::Exited(code)),
                    Ok(TerminalEvent::Error {
                        reason: Some(_), ..
                    }) => state.set(Connection::SessionEnded),
                    Ok(TerminalEvent::Error { message, .. }) => {
                        state.set(Connection::Failed(message))
                    }
                    Ok(TerminalEvent::Pong) | Err(_) => {}
                }
            }
        });
        let on_close = Closure::<dyn Fn(CloseEvent)>::new(move |event: CloseEvent| {
            state.update(|state| {
                // An exit or an error already said why; a close before opening means the
                // server refused the upgrade (browsers hide its status).
                if matches!(state, Connection::Connected | Connection::Loading) {
                    *state = Connection::Closed(if event.reason().is_empty() {
                        format!("code {}", event.code())
                    } else {
                        event.reason()
                    });
                }
            });
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));

        let ping_socket = socket.clone();
        let on_ping = Closure::<dyn Fn()>::new(move || {
            if ping_socket.ready_state() == WebSocket::OPEN {
                let _ = ping_socket.send_with_str(&control(&TerminalRequest::Ping));
            }
        });
        let ping = web_sys::window()
            .and_then(|w| {
                w.set_interval_with_callback_and_timeout_and_arguments_0(
                    on_ping.as_ref().unchecked_ref(),
                    PING_MS as i32,
                )
                .ok()
            })
            .unwrap_or_default();
        Ok(Session {
            terminal,
            socket,
            ping,
            _callbacks: vec![
                Box::new(on_input),
                Box::new(on_resize),
                Box::new(on_open),
                Box::new(on_message),
                Box::new(on_close),
                Box::new(on_ping),
            ],
        })
    }

    /// Closes the socket (the server then ends the shell) and removes the terminal.
    fn close(self) {
        self.socket.set_onclose(None);
        let _ = self
            .socket
            .close_with_code_and_reason(1000, "the page closed the terminal");
        if let Some(window) = web_sys::window() {
            window.clear_interval_with_handle(self.ping);
        }
        let _ = lazy::call(&self.terminal, "dispose", &[]);
    }
}

fn send_resize(socket: &WebSocket, cols: u32, rows: u32) {
    let (Ok(cols), Ok(rows)) = (u16::try_from(cols), u16::try_from(rows)) else {
        return;
    };
    if socket.ready_state() == WebSocket::OPEN {
        let _ = socket.send_with_str(&control(&TerminalRequest::Resize { cols, rows }));
    }
}

/// A control message as the text frame the server reads.
fn control(request: &TerminalRequest) -> String {
    serde_json::to_string(request).expect("control messages serialise")
}

/// `ws(s)://<this host>/api/terminal/...` with the session's CSRF token, which the server
/// requires on upgrades (a browser cannot add headers to a WebSocket).
fn socket_url(target: &ShellTarget) -> Result<String, String> {
    let location = web_sys::window().ok_or("no window")?.location();
    let scheme = if location.protocol().map_err(|e| format!("{e:?}"))? == "https:" {
        "wss"
    } else {
        "ws"
    };
    let host = location.host().map_err(|e| format!("{e:?}"))?;
    let encode = |text: &str| String::from(js_sys::encode_uri_component(text));
    let csrf = api::csrf_token().ok_or("sign in again: this page has no session token")?;
    let mut url = format!(
        "{scheme}://{host}/api/terminal/namespaces/{}/pods/{}?container={}&csrf={}",
        encode(&target.namespace),
        encode(&target.pod),
        encode(&target.container),
        encode(&csrf)
    );
    if !target.shell.is_empty() {
        url += &format!("&shell={}", encode(&target.shell));
    }
    Ok(url)
}
