/**
 * Reliability, part 5 (library): interruption and resources.
 *
 * Interrupting an operation mid-request (headers not yet received, or body half received) and
 * mid-retry-wait leaves no socket and no timer open (`process.getActiveResourcesInfo()`,
 * compared with the count before); 1,000 sequential operations against the loopback emulator
 * do not grow the heap beyond a stated bound.
 */
import { ActorEnvVars, ActorVersions, Apify, Auth, Retry } from "@effect-apify/api"
import { ActorId, EnvVar, VersionNumber, VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import { NodeHttpClient } from "@effect/platform-node"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import {
  activeResources,
  gc,
  listenLoopback,
  type LoopbackServer,
  mib,
  resourcesAdded,
  settleResources,
  timerLedger,
  writeFigures
} from "./harness.js"

const SEQUENTIAL_OPERATIONS = 1000
/** The stated bound: the heap may grow by at most this much over 1,000 operations. */
const HEAP_BOUND_BYTES = 4 * 1024 * 1024

const figures: Record<string, unknown> = {}

// A server that never answers (/slow), answers half a body then stalls (/half), or answers 503
// with Retry-After: 30 (/busy); every answer closes its connection, so no idle keep-alive
// socket stays behind legitimately.
let server: LoopbackServer
let baseUrl = ""
beforeAll(async () => {
  server = await listenLoopback((req, res) => {
    if (req.url?.includes("/busy~")) {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "30", connection: "close" })
      res.end(JSON.stringify({ error: { type: "busy", message: "try later" } }))
    } else if (req.url?.includes("/half~")) {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000", connection: "close" })
      res.write("{\"data\":{")
    } else {
      req.resume()
    }
  })
  baseUrl = server.url
})
afterAll(async () => {
  await server.close()
})

const client = (url: () => string, retry: Layer.Layer<Retry.Retry>) =>
  Layer.suspend(() =>
    Apify.layer({ baseUrl: url(), token: Redacted.make("apify_api_resources_token"), timeout: 60_000 }).pipe(
      Layer.provide(retry),
      Layer.provide(NodeHttpClient.layerUndici)
    )
  )

const get = (actor: string) =>
  Effect.flatMap(
    ActorVersions.ActorVersions,
    (s) => s.get(ActorId.make(actor), VersionNumber.VersionNumber.make("0.1"))
  )

/** Starts `effect`, waits until the server has it (or `millis`), interrupts it, and reports what is left open. */
const interruptAfter = <A, E, R>(name: string, effect: Effect.Effect<A, E, R>, millis: number) =>
  Effect.gen(function*() {
    const before = activeResources()
    const timers = timerLedger()
    const fiber = yield* Effect.fork(effect)
    yield* Effect.sleep(millis)
    const during: Record<string, number> = { ...resourcesAdded(before, activeResources()), timers: timers.live() }
    const polled = yield* Fiber.poll(fiber)
    assert.isTrue(polled._tag === "None", `${name}: ended before the interruption`)
    const started = performance.now()
    yield* Fiber.interrupt(fiber)
    const interruptMillis = performance.now() - started
    const left = yield* settleResources(before)
    // undici's own timer wheel stops by itself about a second after its last request
    const settleStarted = performance.now()
    while (timers.live() > 0 && performance.now() - settleStarted < 3000) {
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
    }
    const timersLeft = timers.live()
    timers.restore()
    figures[name] = { openWhileRunning: during, interruptMillis: Math.round(interruptMillis), left, timersLeft }
    assert.isAbove((during.timers ?? 0) + (during.TCPSocketWrap ?? 0), 0, `${name}: nothing was open while it ran`)
    assert.isBelow(interruptMillis, 500, `${name}: interruption took too long`)
    assert.deepStrictEqual(left, {}, `${name}: left open`)
    assert.strictEqual(timersLeft, 0, `${name}: a timer was left`)
  })

describe("reliability: interruption and resources", () => {
  it.live(
    "interrupting mid-request (no answer yet) leaves no socket or timer",
    () => interruptAfter("mid-request", get("slow~actor"), 200).pipe(Effect.provide(client(() => baseUrl, Retry.none))),
    10_000
  )

  it.live(
    "interrupting mid-body leaves no socket or timer",
    () => interruptAfter("mid-body", get("half~actor"), 200).pipe(Effect.provide(client(() => baseUrl, Retry.none))),
    10_000
  )

  it.live(
    "interrupting mid-retry-wait (Retry-After: 30) leaves no socket or timer",
    () =>
      interruptAfter("mid-retry-wait", get("busy~actor"), 300).pipe(
        Effect.provide(client(() => baseUrl, Retry.layer({ maxElapsed: "5 minutes" })))
      ),
    10_000
  )

  it.scopedLive(
    "interrupting a create against the loopback emulator: nothing open on either side, nothing written",
    () =>
      Effect.gen(function*() {
        // client and emulator in this process: the emulator's handler (asleep in a 1.5 s
        // latency fault) must stop when the client goes away
        const server = yield* Emulator.serve({ rateLimit: false })
        yield* server.emulator.seedActor({
          name: "interrupted",
          versions: [{ versionNumber: "0.0", sourceType: "GIT_REPO", gitRepoUrl: "https://github.com/x/y" }]
        })
        yield* server.emulator.setFaults({ latency: { min: 1500 } })
        const create = Effect.flatMap(ActorVersions.ActorVersions, (s) =>
          s.create(
            ActorId.make("owner~interrupted"),
            VersionRequest.fromGitRepo(VersionNumber.VersionNumber.make("0.5"), "https://github.com/x/z")
          ))
        yield* interruptAfter("mid-request, emulator", create, 300).pipe(
          Effect.provide(
            client(() => server.url, Retry.none).pipe(
              Layer.provide(Layer.succeed(Auth.Auth, Auth.makeBearer(server.owner.token)))
            )
          )
        )
        yield* Effect.sleep(1600) // past the latency: had the handler gone on, it would have written
        const snapshot = yield* server.emulator.snapshot
        assert.deepStrictEqual(snapshot.actors[0]?.versions.map((v) => v.versionNumber), ["0.0"])
      }),
    15_000
  )

  it.scopedLive(
    `${SEQUENTIAL_OPERATIONS} sequential operations stay within ${mib(HEAP_BOUND_BYTES)} MiB of heap`,
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.serve({ rateLimit: false })
        yield* emulator.emulator.seedActor({
          name: "memory-actor",
          versions: [{ versionNumber: "0.1", sourceType: "GIT_REPO", gitRepoUrl: "https://github.com/x/y" }]
        })
        const actor = ActorId.make("owner~memory-actor")
        const v01 = VersionNumber.VersionNumber.make("0.1")
        const name = EnvVar.EnvVarName.make("COUNTER")
        // five kinds of operation in turn; the state is the same after each cycle
        const op = (i: number) =>
          Effect.gen(function*() {
            const versions = yield* ActorVersions.ActorVersions
            const envVars = yield* ActorEnvVars.ActorEnvVars
            switch (i % 5) {
              case 0:
                return yield* versions.get(actor, v01)
              case 1:
                return yield* versions.update(actor, v01, { buildTag: `build-${i % 7}` })
              case 2:
                return yield* envVars.create(actor, v01, EnvVar.plain(name, String(i)))
              case 3:
                return yield* versions.list(actor)
              default:
                return yield* envVars.delete(actor, v01, name)
            }
          })
        yield* Effect.gen(function*() {
          for (let i = 0; i < 200; i++) yield* op(i) // warm up: JIT, pools, caches
          yield* Effect.sleep(50)
          gc()
          const before = process.memoryUsage()
          const started = performance.now()
          for (let i = 0; i < SEQUENTIAL_OPERATIONS; i++) yield* op(i)
          const millis = performance.now() - started
          yield* Effect.sleep(50)
          gc()
          const after = process.memoryUsage()
          const growth = after.heapUsed - before.heapUsed
          figures.sequential = {
            operations: SEQUENTIAL_OPERATIONS,
            millis: Math.round(millis),
            heapBeforeMiB: mib(before.heapUsed),
            heapAfterMiB: mib(after.heapUsed),
            heapGrowthKiB: Math.round(growth / 1024),
            rssGrowthMiB: mib(after.rss - before.rss),
            boundMiB: mib(HEAP_BOUND_BYTES)
          }
          assert.isBelow(growth, HEAP_BOUND_BYTES)
        }).pipe(Effect.provide(
          Apify.layer({ baseUrl: emulator.url, token: Redacted.make(emulator.owner.token) }).pipe(
            Layer.provide(NodeHttpClient.layerUndici)
          )
        ))
      }).pipe(Effect.ensuring(Effect.sync(() => writeFigures("resources", figures)))),
    60_000
  )
})
