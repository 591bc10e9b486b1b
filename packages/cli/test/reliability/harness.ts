import { type ChildProcess, spawn } from "node:child_process"
/**
 * Shared pieces of the CLI's reliability tests: the suite's seed and a small seeded
 * generator (the same as the api package's reliability harness).
 */

/** The suite's seed: `RELIABILITY_SEED` or a fixed default, so every run draws the same inputs. */
export const seed = Number(process.env.RELIABILITY_SEED ?? 20261122)

/** A small seeded generator (mulberry32). */
export const rng = (s: number) => {
  let state = s >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return {
    next,
    int,
    pick: <A>(items: ReadonlyArray<A>): A => items[int(items.length)] as A,
    chance: (p: number) => next() < p
  }
}

export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly millis: number
  /** Killed after the time limit. */
  readonly killed: boolean
}

/**
 * Runs the built binary (as `helpers.cli` does: a clean environment with its own HOME), and
 * kills it with SIGKILL after `timeoutMillis`.
 */
export const runBinary = (
  bin: string,
  args: ReadonlyArray<string>,
  options: {
    readonly env: Record<string, string>
    readonly home: string
    readonly timeoutMillis: number
    readonly onSpawn?: (child: ChildProcess) => void
  }
): Promise<Run> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: options.home, ...options.env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    options.onSpawn?.(child)
    let stdout = ""
    let stderr = ""
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      child.kill("SIGKILL")
    }, options.timeoutMillis)
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, millis: performance.now() - started, killed })
    })
  })
