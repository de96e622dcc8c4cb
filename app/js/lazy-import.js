// `import(url)` for the wasm app: wasm-bindgen has no way to write a dynamic import, and the app
// uses it to fetch large modules (the YAML editor) only on the pages that need them.
export function importModule(url) {
  return import(url);
}
