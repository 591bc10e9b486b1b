import { ActorVersions, Retry } from "@effect-apify/api"
import { Emulator } from "@effect-apify/emulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import {
  cannedLayer,
  errorJson,
  layer,
  owned,
  ownerToken,
  requestsAre,
  seed,
  settle,
  v,
  versionJson,
  waitUntil
} from "./utils.js"

const get = Effect.flatMap(ActorVersions.ActorVersions, (api) => api.get(owned, v("0.1")))

describe("Retry", () => {
  it.effect("default: 503 twice, waits in [500, 1000) then [1000, 2000) ms, then succeeds", () =>
    Effect.gen(function*() {
      yield* seed
      const emulator = yield* Emulator.Emulator
      yield* emulator.setFaults({ serverErrors: { probability: 1, status: 503, times: 2 } })
      const fiber = yield* Effect.fork(get)
      yield* waitUntil(requestsAre(1), "first attempt")
      yield* TestClock.adjust("499 millis")
      yield* settle
      assert.strictEqual(yield* emulator.requestCount, 1, "no retry before 500 ms")
      yield* TestClock.adjust("501 millis")
      yield* waitUntil(requestsAre(2), "second attempt by 1000 ms")
      // the second attempt went out at some t in [500, 1000); the third is due at t + [1000, 2000)
      yield* TestClock.adjust("499 millis")
      yield* settle
      assert.strictEqual(yield* emulator.requestCount, 2, "the second wait is at least 1000 ms")
      yield* TestClock.adjust("1501 millis")
      yield* waitUntil(requestsAre(3), "third attempt")
      const version = yield* Fiber.join(fiber)
      assert.strictEqual(version.versionNumber, "0.1")
    }).pipe(Effect.provide(layer({ retry: Retry.layerDefault }))))

  it.effect("Retry-After in seconds is the wait", () =>
    Effect.gen(function*() {
      yield* seed
      const emulator = yield* Emulator.Emulator
      yield* emulator.setFaults({ rateLimitBursts: { probability: 1, length: 1, retryAfterSeconds: 3, times: 1 } })
      const fiber = yield* Effect.fork(get)
      yield* waitUntil(requestsAre(1))
      yield* TestClock.adjust("2999 millis")
      yield* settle
      assert.strictEqual(yield* emulator.requestCount, 1)
      yield* TestClock.adjust("1 millis")
      yield* waitUntil(requestsAre(2), "retry at 3 s")
      assert.strictEqual((yield* Fiber.join(fiber)).versionNumber, "0.1")
    }).pipe(Effect.provide(layer({ retry: Retry.layerDefault }))))

  it.effect("Retry-After as an HTTP date", () => {
    const canned = cannedLayer([
      {
        status: 429,
        body: errorJson("rate-limit-exceeded", "slow down"),
        headers: { "retry-after": new Date(5000).toUTCString() }
      },
      { status: 200, body: versionJson }
    ], { retry: Retry.layerDefault })
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(get)
      yield* TestClock.adjust("4999 millis")
      assert.strictEqual(canned.requests.length, 1)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual((yield* Fiber.join(fiber)).versionNumber, "0.1")
      assert.strictEqual(canned.requests.length, 2)
    }).pipe(Effect.provide(canned.layer))
  })

  it.effect("gives up after maxRetries with the last error and the attempt count", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.flip(get))
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "ServerError")
      assert.strictEqual(error._tag === "ServerError" && error.attempts, 3)
      assert.include(error.message, "3 attempts")
    }).pipe(Effect.provide(
      cannedLayer([{ status: 500, body: errorJson("internal-server-error", "boom") }], {
        retry: Retry.layer({ maxRetries: 2, baseDelay: "100 millis" })
      }).layer
    )))

  it.effect("a Retry-After beyond the total budget ends the retries at once", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(get)
      assert.strictEqual(error._tag === "RateLimited" && error.attempts, 1)
      assert.strictEqual(error._tag === "RateLimited" && error.retryAfterMillis, 120_000)
    }).pipe(Effect.provide(
      cannedLayer([{ status: 429, body: errorJson("rate-limit-exceeded", "x"), headers: { "retry-after": "120" } }], {
        retry: Retry.layerDefault
      }).layer
    )))

  it.effect("the total budget caps the waits", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.flip(get))
      yield* TestClock.adjust("10 minutes")
      const error = yield* Fiber.join(fiber)
      // the first wait (1-2 s) fits in 2.5 s; the second (2-4 s more) does not
      assert.strictEqual(error._tag === "ServerError" && error.attempts, 2)
    }).pipe(Effect.provide(
      cannedLayer([{ status: 503, body: "" }], {
        retry: Retry.layer({ baseDelay: "1 second", maxElapsed: "2500 millis", maxRetries: 100 })
      }).layer
    )))

  it.effect("errors that will not go away are not retried", () => {
    const canned = cannedLayer([{ status: 404, body: errorJson("record-not-found", "no") }], {
      retry: Retry.layerDefault
    })
    return Effect.gen(function*() {
      const error = yield* Effect.flip(get)
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual(canned.requests.length, 1)
    }).pipe(Effect.provide(canned.layer))
  })

  it.effect("transport failures are retried", () =>
    Effect.gen(function*() {
      yield* seed
      const emulator = yield* Emulator.Emulator
      yield* emulator.setFaults({ dropConnections: { probability: 1, times: 1 } })
      const fiber = yield* Effect.fork(get)
      yield* waitUntil(requestsAre(1))
      yield* TestClock.adjust("1 second")
      yield* waitUntil(requestsAre(2))
      assert.strictEqual((yield* Fiber.join(fiber)).versionNumber, "0.1")
    }).pipe(Effect.provide(layer({ retry: Retry.layerDefault }))))

  it.effect("Retry.none: one attempt", () => {
    const canned = cannedLayer([{ status: 503, body: "" }], { retry: Retry.none })
    return Effect.gen(function*() {
      const error = yield* Effect.flip(get)
      assert.strictEqual(error._tag === "ServerError" && error.attempts, 1)
      assert.strictEqual(canned.requests.length, 1)
    }).pipe(Effect.provide(canned.layer))
  })

  it.effect("fromSchedule: the user's schedule, with Retry-After as a minimum", () => {
    const canned = cannedLayer([
      { status: 503, body: "" },
      { status: 429, body: "", headers: { "retry-after": "10" } },
      { status: 200, body: versionJson }
    ], { retry: Retry.fromSchedule(Schedule.spaced("1 second").pipe(Schedule.intersect(Schedule.recurs(5)))) })
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(get)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(canned.requests.length, 2)
      yield* TestClock.adjust("9999 millis")
      assert.strictEqual(canned.requests.length, 2, "Retry-After 10 s beats the schedule's 1 s")
      yield* TestClock.adjust("1 millis")
      assert.strictEqual((yield* Fiber.join(fiber)).versionNumber, "0.1")
    }).pipe(Effect.provide(canned.layer))
  })

  it.effect("each retry is logged at debug level with the attempt and the delay, never the token", () => {
    const logs: Array<{ message: unknown; level: string; annotations: Record<string, unknown> }> = []
    const logger = Logger.make(({ annotations, logLevel, message }) => {
      const record: Record<string, unknown> = {}
      for (const [k, v] of annotations) record[k] = v
      logs.push({ message, level: logLevel.label, annotations: record })
    })
    const canned = cannedLayer([{ status: 503, body: "" }, { status: 200, body: versionJson }], {
      retry: Retry.layerDefault
    })
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(get)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      assert.strictEqual(logs.length, 1)
      assert.strictEqual(logs[0]!.level, "DEBUG")
      assert.strictEqual(logs[0]!.annotations.attempt, 1)
      const delay = logs[0]!.annotations.delayMillis
      assert.isTrue(typeof delay === "number" && delay >= 500 && delay < 1000)
      assert.notInclude(JSON.stringify(logs), ownerToken)
    }).pipe(
      Effect.provide(canned.layer),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Logger.withMinimumLogLevel(LogLevel.Debug)
    )
  })
})
