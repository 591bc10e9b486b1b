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

// The same probes as the api package's reliability harness.

/**
 * The kinds of handles and requests that keep the process alive (sockets, servers, timers),
 * counted. `getActiveResourcesInfo` also lists what vitest itself holds, so tests compare a
 * count after with the count before.
 */
export const activeResources = (): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

/** What is open now and was not before (by kind, with how many more). */
export const resourcesAdded = (
  before: Record<string, number>,
  after: Record<string, number>
): Record<string, number> => {
  const added: Record<string, number> = {}
  for (const [kind, n] of Object.entries(after)) {
    const more = n - (before[kind] ?? 0)
    if (more > 0) added[kind] = more
  }
  return added
}

/**
 * Tracks the timers created while it is installed (wrapping the global `setTimeout` and
 * `setInterval`): `live` is how many have neither fired nor been cleared. Used alongside
 * `activeResources`, which in a vitest worker does not list the timers a test creates.
 */
export const timerLedger = () => {
  const live = new Set<unknown>()
  const g = globalThis as unknown as Record<string, (...args: Array<unknown>) => unknown>
  const original = {
    setTimeout: g.setTimeout!,
    clearTimeout: g.clearTimeout!,
    setInterval: g.setInterval!,
    clearInterval: g.clearInterval!
  }
  g.setTimeout = (callback: unknown, ...rest: Array<unknown>) => {
    const handle: unknown = original.setTimeout((...args: Array<unknown>) => {
      live.delete(handle)
      return (callback as (...args: Array<unknown>) => unknown)(...args)
    }, ...rest)
    live.add(handle)
    return handle
  }
  g.clearTimeout = (handle: unknown) => {
    live.delete(handle)
    return original.clearTimeout(handle)
  }
  g.setInterval = (...args: Array<unknown>) => {
    const handle = original.setInterval(...args)
    live.add(handle)
    return handle
  }
  g.clearInterval = (handle: unknown) => {
    live.delete(handle)
    return original.clearInterval(handle)
  }
  return {
    live: () => live.size,
    restore: () => {
      g.setTimeout = original.setTimeout
      g.clearTimeout = original.clearTimeout
      g.setInterval = original.setInterval
      g.clearInterval = original.clearInterval
    }
  }
}
