import { defineProject } from "vitest/config"
import { resolveSources } from "../../vitest.shared.js"

export default defineProject({
  ...resolveSources,
  test: {
    name: "cli",
    include: ["test/**/*.test.ts"],
    // Builds dist/bin.cjs (esbuild) before the end-to-end tests spawn it.
    globalSetup: ["test/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
