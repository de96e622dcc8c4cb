// The console's YAML editor: Monaco 0.52.2 with monaco-yaml 5.5.1 (validation, completion and
// hover from a JSON schema the page passes in). esbuild bundles this file, Monaco's CSS and
// codicon font, and the two workers into assets/<hash>/editor/ (see bundle.mjs). The app
// imports it at run time, only on the page that edits YAML, and drives it through the functions
// exported here; components/yaml_editor.rs holds the Rust side.
import * as monaco from "monaco-editor/esm/vs/editor/edcore.main.js";
import "monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js";
import { configureMonacoYaml } from "monaco-yaml";

// Monaco asks for a worker per service. Ours are module workers next to this file, so they come
// from our own origin (the CSP allows `worker-src 'self'` and no blob: or data: workers).
globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const file = label === "yaml" ? "./yaml.worker.js" : "./editor.worker.js";
    return new Worker(new URL(file, import.meta.url), { type: "module", name: label });
  },
};

// esbuild gathers the CSS Monaco imports into one file; Monaco measures its fonts when an editor
// is created, so the stylesheet must be in place before the first one.
await new Promise((resolve, reject) => {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("./yaml-editor.css", import.meta.url).href;
  link.onload = resolve;
  link.onerror = () => reject(new Error(`could not load ${link.href}`));
  document.head.append(link);
});

// monaco-yaml has one configuration for the whole page, so each editor's schema is registered
// under a file pattern that matches only that editor's model.
const schemas = new Map();
let editorCount = 0;
const yaml = configureMonacoYaml(monaco, { enableSchemaRequest: false, schemas: [] });
const updateSchemas = () => yaml.update({ enableSchemaRequest: false, schemas: [...schemas.values()] });

const options = {
  automaticLayout: true,
  fontSize: 13,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  tabSize: 2,
};

// Monaco's own themes with the colours that fell below 4.5:1 (axe, WCAG AA) made darker in the
// light one and lighter in the dark one: dimmed line numbers, YAML keys and numbers, comments,
// also over the diff's green and red lines.
monaco.editor.defineTheme("console-light", {
  base: "vs",
  inherit: true,
  rules: [
    { token: "type", foreground: "005f5f" },
    { token: "number", foreground: "07603d" },
    { token: "comment", foreground: "2d6a1f" },
  ],
  colors: { "editorLineNumber.foreground": "#56616e", "editorLineNumber.dimmedForeground": "#56616e" },
});
monaco.editor.defineTheme("console-dark", {
  base: "vs-dark",
  inherit: true,
  rules: [
    { token: "comment", foreground: "8fbf7a" },
    { token: "keyword", foreground: "8cb8ff" },
    { token: "string", foreground: "e8b096" },
    { token: "string.yaml", foreground: "e8b096" },
  ],
  colors: { "editorLineNumber.foreground": "#a6b1be", "editorLineNumber.dimmedForeground": "#a6b1be" },
});

/**
 * Creates an editor in `container` holding `value`, named `label` for screen readers. `schemaJson` (a JSON schema as text, or
 * null) drives validation and completion; `onChange(text)` is called after every edit.
 * Returns a handle for the other functions.
 */
export function createEditor(container, value, schemaJson, onChange, label) {
  const id = `editor-${++editorCount}`;
  const uri = monaco.Uri.parse(`file:///console/${id}.yaml`);
  const model = monaco.editor.createModel(value, "yaml", uri);
  if (schemaJson) {
    schemas.set(id, { uri: `file:///console/schemas/${id}.json`, fileMatch: [`**/console/${id}.yaml`], schema: JSON.parse(schemaJson) });
    updateSchemas();
  }
  const editor = monaco.editor.create(container, { ...options, model, ariaLabel: label });
  const listener = model.onDidChangeContent(() => onChange(model.getValue()));
  return {
    editor,
    dispose() {
      listener.dispose();
      editor.dispose();
      model.dispose();
      if (schemas.delete(id)) updateSchemas();
    },
  };
}

/** Replaces the text as one edit, so Undo brings the previous text back. */
export function setValue(handle, value) {
  const model = handle.editor.getModel();
  if (model.getValue() === value) return;
  handle.editor.pushUndoStop();
  handle.editor.executeEdits("console", [{ range: model.getFullModelRange(), text: value }]);
  handle.editor.pushUndoStop();
}

/** Moves the cursor to a 1-based line and column, scrolls it into view and focuses the editor. */
export function revealPosition(handle, line, column) {
  handle.editor.setPosition({ lineNumber: line, column });
  handle.editor.revealPositionInCenter({ lineNumber: line, column });
  handle.editor.focus();
}

/**
 * A read-only side-by-side diff of two YAML texts in `container`, each side named for screen
 * readers. Returns a handle.
 */
export function createDiff(container, original, modified, originalLabel, modifiedLabel) {
  const diff = monaco.editor.createDiffEditor(container, {
    ...options,
    readOnly: true,
    originalEditable: false,
    hideUnchangedRegions: { enabled: true },
  });
  const models = {
    original: monaco.editor.createModel(original, "yaml"),
    modified: monaco.editor.createModel(modified, "yaml"),
  };
  diff.setModel(models);
  // Monaco 0.52 leaves both sides' text areas unnamed whatever the diff's own options say.
  diff.getOriginalEditor().updateOptions({ ariaLabel: originalLabel });
  diff.getModifiedEditor().updateOptions({ ariaLabel: modifiedLabel });
  return {
    dispose() {
      diff.dispose();
      models.original.dispose();
      models.modified.dispose();
    },
  };
}

/** Monaco's theme is one for the whole page: our dark or our light one. */
export function setTheme(dark) {
  monaco.editor.setTheme(dark ? "console-dark" : "console-light");
}

/** Frees an editor or a diff and everything it created. */
export function dispose(handle) {
  handle.dispose();
}
