/**
 * Reliability, part 5 (CLI): interrupting `versions push` in the middle of its upload.
 *
 * A raw server answers the push's GET with 404 (so the push creates the version) and reads
 * the POST's body but never answers it. In process, the command (`Cli.run`) is interrupted
 * while the POST is in flight: no socket and no timer may be left. As a process, the binary
 * gets SIGINT (or SIGTERM) at the same point: it must end at once with exit code 130 (143)
 * and print nothing.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Cli from "../../src/Cli.js"
import { bin, emptyHome, tempDir, writeTree } from "../helpers.js"
import {
  activeResources,
  listenLoopback,
  type LoopbackServer,
  resourcesAdded,
  runBinary,
  timerLedger,
  writeFigures
} from "./harness.js"

let server: LoopbackServer
let baseUrl = ""
/** Resolved each time the server has read a whole POST body (the upload happened). */
let uploaded: () => void = () => {}
let uploadedBytes = 0
/** Resolved each time the server has answered 503 with Retry-After: 30. */
let busy: () => void = () => {}

beforeAll(async () => {
  server = await listenLoopback((req, res) => {
    if (req.url?.includes("busy~")) {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "30", connection: "close" })
      res.end(JSON.stringify({ error: { type: "busy", message: "try again later" } }))
      busy()
      return
    }
    if (req.method === "GET") {
      res.writeHead(404, { "content-type": "application/json" })
      res.end(JSON.stringify({ error: { type: "record-not-found", message: "Actor version was not found" } }))
      return
    }
    let size = 0
    req.on("data", (chunk: Buffer) => (size += chunk.length))
    req.on("end", () => {
      uploadedBytes = size
      uploaded()
    })
    // never answers
  })
  baseUrl = server.url
})
afterAll(async () => {
  await server.close()
})

const files: Record<string, string> = { ".actor/actor.json": JSON.stringify({ version: "0.1" }) }
for (let i = 0; i < 40; i++) files[`src/file-${i}.js`] = `// ${i}\n${"x".repeat(20_000)}\n`
const actorDir = writeTree(tempDir("effect-apify-push-interrupt-"), files)
const argv = ["versions", "push", "owner~push-actor", actorDir, "--token", "apify_api_interrupt_token"]

const nextUpload = () => new Promise<void>((resolve) => (uploaded = resolve))

const silentConsole = Console.setConsole({
  ...globalThis.console,
  log: () => {},
  error: () => {},
  info: () => {},
  warn: () => {},
  debug: () => {}
} as unknown as Console.Console)

describe("reliability: interrupting a push", () => {
  it("in process: interrupted during the upload, nothing is left open", async () => {
    // the command's environment (file system, terminal) is built first: the terminal holds
    // stdin for its own life, which is not the push's doing
    const runtime = ManagedRuntime.make(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer))
    await runtime.runtime()
    const before = activeResources()
    const timers = timerLedger()
    const upload = nextUpload()
    const fiber = runtime.runFork(
      Cli.run(["node", "effect-apify", ...argv, "--base-url", baseUrl]).pipe(Effect.provide(silentConsole))
    )
    await upload
    const during: Record<string, number> = { ...resourcesAdded(before, activeResources()), timers: timers.live() }
    const started = performance.now()
    await Effect.runPromise(Fiber.interrupt(fiber))
    const interruptMillis = performance.now() - started
    let left = resourcesAdded(before, activeResources())
    const deadline = Date.now() + 3000
    while ((Object.keys(left).length > 0 || timers.live() > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      left = resourcesAdded(before, activeResources())
    }
    const timersLeft = timers.live()
    timers.restore()
    await runtime.dispose()
    writeFigures("interruption-push-in-process", {
      uploadedBytes,
      during,
      interruptMillis: Math.round(interruptMillis),
      left,
      timersLeft
    })
    expect(uploadedBytes).toBeGreaterThan(0) // 800 KB of sources, gzipped
    expect(during.TCPSocketWrap ?? 0).toBeGreaterThan(0)
    expect(interruptMillis).toBeLessThan(500)
    expect(left).toEqual({})
    expect(timersLeft).toBe(0)
  }, 30_000)

  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`as a process: ${signal} during the upload ends it at once with ${code} and no output`, async () => {
      const upload = nextUpload()
      let sent = 0
      const result = runBinary(bin, [...argv, "--base-url", baseUrl], {
        env: {},
        home: emptyHome(),
        timeoutMillis: 10_000,
        onSpawn: (child) => {
          void upload.then(() => {
            sent = performance.now()
            child.kill(signal)
          })
        }
      })
      const run = await result
      const exitMillis = performance.now() - sent
      writeFigures(`interruption-push-${signal}`, { code: run.code, exitMillis: Math.round(exitMillis) })
      expect(run.killed).toBe(false)
      expect(run.code).toBe(code)
      expect(run.stdout).toBe("")
      expect(run.stderr).toBe("")
      expect(exitMillis).toBeLessThan(1000)
    }, 30_000)
  }

  it("in process, on a terminal: interrupted while the retry countdown runs, nothing is left open", async () => {
    const runtime = ManagedRuntime.make(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer))
    await runtime.runtime()
    // the countdown is drawn only on a terminal: pretend stderr is one, and keep what it draws
    const stderr = process.stderr as { isTTY?: boolean | undefined; write: (...args: Array<unknown>) => boolean }
    const wasTTY = stderr.isTTY
    const write = stderr.write
    let drawn = ""
    stderr.isTTY = true
    stderr.write = (chunk: unknown) => {
      drawn += String(chunk)
      return true
    }
    const before = activeResources()
    const timers = timerLedger()
    try {
      const answered = new Promise<void>((resolve) => (busy = resolve))
      const fiber = runtime.runFork(
        Cli.run(["node", "effect-apify", "versions", "list", "busy~actor", "--token", "t", "--base-url", baseUrl]).pipe(
          Effect.provide(silentConsole)
        )
      )
      await answered
      await new Promise((resolve) => setTimeout(resolve, 250)) // the countdown is drawing
      const during = timers.live()
      await Effect.runPromise(Fiber.interrupt(fiber))
      const deadline = Date.now() + 3000
      while (
        (Object.keys(resourcesAdded(before, activeResources())).length > 0 || timers.live() > 0) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      const left = resourcesAdded(before, activeResources())
      const timersLeft = timers.live()
      writeFigures("interruption-retry-countdown", {
        timersWhileWaiting: during,
        left,
        timersLeft,
        countdownShown: drawn.includes("retrying in")
      })
      expect(drawn).toContain("retrying in")
      expect(during).toBeGreaterThanOrEqual(2) // the wait and the countdown
      expect(left).toEqual({})
      expect(timersLeft).toBe(0)
    } finally {
      timers.restore()
      stderr.write = write
      stderr.isTTY = wasTTY
      await runtime.dispose()
    }
  }, 30_000)
})
