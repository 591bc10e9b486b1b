// The build of a library package (its `build` and `prepack` scripts; run from the package's
// directory): empties dist/, so that a module removed from src/ is not packed from an old
// build, then compiles src/ with tsconfig.build.json. Called by node directly, not through a
// package manager, so that `pnpm pack` and `npm pack` run the same thing.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"

fs.rmSync("dist", { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" })
process.exitCode = result.status ?? 1
