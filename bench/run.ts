/**
 * Runs every benchmark in turn, each printing its figures as ratios to a baseline measured
 * in the same run: the client against plain fetch and apify-client (bench/client.ts),
 * the CLI's start-up against `node -e 0` (bench/cli.ts), and `versions push` of large
 * directories against `node -e 0` and an empty push (bench/push.ts). Extra arguments are
 * passed to each.
 *
 * Usage: `npx -y pnpm@10 bench` (or `tsx bench/run.ts`).
 */
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const tsx = path.join(here, "..", "node_modules", ".bin", "tsx")
let failed = false
for (const script of ["client.ts", "cli.ts", "push.ts"]) {
  console.log(`\n== bench/${script}`)
  // The workspace's packages from their sources, as in the tests (no build needed).
  const result = spawnSync(tsx, [
    "--conditions=@effect-apify/source",
    path.join(here, script),
    ...process.argv.slice(2)
  ], {
    stdio: "inherit"
  })
  if (result.status !== 0) failed = true
}
process.exitCode = failed ? 1 : 0
