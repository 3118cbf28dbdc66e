// ESLint (flat config): JavaScript's recommended rules and typescript-eslint's recommended rules
// (syntax-based, no type information, so a run takes seconds). `npm run lint` runs it with
// Prettier through scripts/check-style.mjs.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The CLI, the study and the explorer are users of the library: they import it only through its public
// entries (src/index.ts, src/advanced.ts, and src/data/files.ts for Node's file loading), besides their
// own folder's modules (and the CLI's `study` command, the study). The exceptions below are named, each with why.
const PUBLIC_ONLY = "import the library through src/index.ts, src/advanced.ts or src/data/files.ts (its public API), not its internal modules.";
const publicOnly = (regex) => ["error", { patterns: [{ regex, message: PUBLIC_ONLY }] }];

export default tseslint.config(
  {
    ignores: ["node_modules/", "dist/", "build/", "report/", "report-quick/", "test-artifacts/", "src/wasm/modules.generated.ts", "assembly/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: {
        console: "readonly",
        process: "readonly",
        window: "readonly",
        document: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
      },
    },
    rules: {
      // Unused names are TypeScript's job (noUnusedLocals, noUnusedParameters); `_` marks one kept on purpose.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    files: ["src/cli/**/*.ts", "src/study/**/*.ts"],
    rules: { "no-restricted-imports": publicOnly("^\\.\\./(?!(index|advanced|data/files)\\.js$|study/|cli/)") },
  },
  {
    // Named exceptions: these still resolve σw, σb and depths themselves (resolveParams, resolveDepth)
    // for what they print or plan, before the library validates the same options again.
    files: ["src/cli/kernel.ts", "src/study/plan.ts", "src/study/run.ts", "src/study/widthExperiment.ts"],
    rules: { "no-restricted-imports": publicOnly("^\\.\\./(?!(index|advanced|data/files|params)\\.js$|study/|cli/)") },
  },
  {
    // The Monte Carlo on Node worker threads: Node only, so neither browser-safe entry can carry it.
    files: ["src/cli/width.ts"],
    rules: { "no-restricted-imports": publicOnly("^\\.\\./(?!(index|advanced|data/files|width/sampleWorkers)\\.js$)") },
  },
  {
    files: ["src/cli.ts"],
    rules: { "no-restricted-imports": publicOnly("^\\./(?!(index|advanced|data/files)\\.js$|cli/)") },
  },
  {
    files: ["web/**/*.ts"],
    rules: { "no-restricted-imports": publicOnly("^\\.\\./src/(?!(index|advanced)\\.js$)") },
  },
  {
    // The page checks the σw, σb and ρ1 fields as they are typed, with the library's own validators.
    files: ["web/state.ts"],
    rules: { "no-restricted-imports": publicOnly("^\\.\\./src/(?!(index|advanced|params)\\.js$)") },
  },
);
