// The terminal for the wasm app: xterm.js with the fit add-on, behind a handful of functions. Bundled by
// esbuild into terminal/ and imported only on the container page, when a terminal is opened.
import { Terminal } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";

// esbuild writes xterm's CSS next to this module; link it once.
function ensureStylesheet() {
  const href = new URL("./terminal-style.css", import.meta.url).href;
  if (!document.querySelector(`link[href="${href}"]`)) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.append(link);
  }
}

// The terminal takes the log viewer's colours from the stylesheet, so it follows the page's theme.
function themeOf(element) {
  const style = getComputedStyle(element);
  const color = (name) => style.getPropertyValue(name).trim();
  return {
    background: color("--log-bg"),
    foreground: color("--log-text"),
    cursor: color("--log-text"),
    selectionBackground: color("--log-selection"),
  };
}

/**
 * Opens a terminal in `container`. `onInput(bytes)` gets what the user types as UTF-8 bytes;
 * `onResize(cols, rows)` gets every size change (after the container's size changes too).
 */
export function create(container, onInput, onResize) {
  ensureStylesheet();
  const terminal = new Terminal({
    cursorBlink: true,
    fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace',
    fontSize: 13,
    scrollback: 5000,
    theme: themeOf(container),
  });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  terminal.open(container);
  const encoder = new TextEncoder();
  terminal.onData((text) => onInput(encoder.encode(text)));
  terminal.onBinary((text) => onInput(Uint8Array.from(text, (c) => c.charCodeAt(0))));
  terminal.onResize(({ cols, rows }) => onResize(cols, rows));
  const observer = new ResizeObserver(() => fit.fit());
  observer.observe(container);
  fit.fit();
  return {
    /** Writes bytes from the shell; xterm reassembles UTF-8 split across writes. */
    write: (bytes) => terminal.write(bytes),
    writeln: (text) => terminal.writeln(text),
    size: () => [terminal.cols, terminal.rows],
    focus: () => terminal.focus(),
    /** Takes the colours again, after the page's theme changed. */
    followTheme: () => {
      terminal.options.theme = themeOf(container);
    },
    dispose: () => {
      observer.disconnect();
      terminal.dispose();
    },
  };
}
