import { type ChildProcess, spawn } from "node:child_process"
/**
 * Shared pieces of the CLI's reliability tests: running the built binary. The seed, the
 * seeded generator, the resource counters and the raw loopback server are the api suite's own.
 */
export {
  activeResources,
  listenLoopback,
  type LoopbackServer,
  resourcesAdded,
  rng,
  seed,
  timerLedger,
  writeFigures
} from "../../../api/test/reliability/harness.js"

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
