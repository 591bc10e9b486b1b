import { availableParallelism } from "node:os"
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    projects: ["packages/*"],
    // vitest's default for a run is one worker fewer than the cores: one worker on a 2-core
    // machine, where most test time is spent waiting on sockets and spawned processes. Two
    // at least. (`pnpm reliability` runs with one: its figures include timings.)
    maxWorkers: Math.max(2, availableParallelism() - 1),
    minWorkers: 1
  }
})
