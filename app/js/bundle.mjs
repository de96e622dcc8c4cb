// Bundles the modules the app loads on demand into the folder given as the only argument:
//   editor/    the YAML editor: Monaco with monaco-yaml, its CSS and font, and two module workers
//   terminal/  the terminal: xterm.js with its fit add-on, and its CSS
// app/build.sh runs it; the app imports each only on the pages that use it.
import { build } from "esbuild";
import { join } from "node:path";

const outdir = process.argv[2];
if (!outdir) {
  console.error("usage: node app/js/bundle.mjs OUT_DIR");
  process.exit(2);
}

const common = {
  absWorkingDir: join(import.meta.dirname, "../.."),
  bundle: true,
  format: "esm",
  minify: true,
  // The folder is already content-hashed, so file names stay fixed for the code that names them.
  entryNames: "[name]",
  assetNames: "[name]",
  // Licences of the bundled packages go to *.LEGAL.txt next to the bundles.
  legalComments: "linked",
  logLevel: "warning",
};

await Promise.all([
  build({
    ...common,
    entryPoints: {
      "yaml-editor": "app/js/yaml-editor.js",
      "editor.worker": "monaco-editor/esm/vs/editor/editor.worker.js",
      "yaml.worker": "monaco-yaml/yaml.worker.js",
    },
    outdir: join(outdir, "editor"),
    loader: { ".ttf": "file" },
  }),
  build({
    ...common,
    entryPoints: { terminal: "app/js/terminal.js", "terminal-style": "@xterm/xterm/css/xterm.css" },
    outdir: join(outdir, "terminal"),
  }),
]);
