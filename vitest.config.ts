import { defineConfig } from "vitest/config";

/** Tests that drive Chromium (playwright-core); they get a global setup that checks for it. */
const BROWSER_TESTS = ["test/e2e/**/*.test.ts", "test/browser-build.test.ts", "test/package.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Relaxed SIMD (the "fma" build) on Node 20, where it is behind a V8 flag.
    setupFiles: ["test/support/relaxedSimd.ts"],
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: BROWSER_TESTS } },
      {
        extends: true,
        test: {
          name: "browser",
          include: BROWSER_TESTS,
          globalSetup: ["test/e2e/globalSetup.ts"],
          // Each file starts its own Chromium and servers: one at a time on a small CI machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
