/**
 * What every package's vitest project shares: the workspace's packages are imported from
 * their sources (the "@effect-apify/source" export condition, as tsc's `customConditions`
 * does), so tests never run against a stale or missing `dist/`.
 */
import type { UserConfig } from "vitest/config"

// Vite's default conditions (client and server) are replaced by the ones given, so they are
// repeated after ours.
const source = "@effect-apify/source"

export const resolveSources = {
  resolve: { conditions: [source, "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: [source, "module", "node", "development|production"] } }
} satisfies Pick<UserConfig, "resolve" | "ssr">
