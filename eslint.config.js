// ESLint (flat config): JavaScript's recommended rules and typescript-eslint's recommended rules
// (syntax-based, no type information, so a run takes seconds). `npm run lint` runs it with
// Prettier through scripts/check-style.mjs.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
);
