import { ActorEnvVars, ActorVersions, Apify, Retry } from "@effect-apify/api"
import { ActorId, EnvVar, SourceFile, VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { gunzipSync } from "node:zlib"
import {
  cannedLayer,
  envName,
  errorJson,
  layer,
  owned,
  ownerToken,
  requestsAre,
  seed,
  settle,
  v,
  waitUntil
} from "./utils.js"

const get = Effect.flatMap(ActorVersions.ActorVersions, (api) => api.get(owned, v("0.1")))

/** An HttpClient that never answers and records the abort signal of each request. */
const hangingLayer = (
  options: {
    readonly timeout?: Duration.DurationInput
    readonly retry?: Layer.Layer<Retry.Retry>
    /** Fail the request when its signal aborts, as every real HttpClient does. */
    readonly honourAbort?: boolean
  } = {}
) => {
  const signals: Array<AbortSignal> = []
  const client = HttpClient.make((request, _url, signal) =>
    Effect.async((resume) => {
      signals.push(signal)
      if (options.honourAbort === true) {
        signal.addEventListener("abort", () =>
          resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: signal.reason }))))
      }
    })
  )
  const live = Apify.layer({
    baseUrl: "http://hanging.test",
    token: Redacted.make(ownerToken),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout })
  }).pipe(Layer.provide(options.retry ?? Retry.none), Layer.provide(Layer.succeed(HttpClient.HttpClient, client)))
  return { layer: live, signals }
}

describe("timeouts", () => {
  it.effect("an attempt over the timeout (default 30 s) fails with TransportError Timeout (TestClock)", () =>
    Effect.gen(function*() {
      yield* seed
      const fiber = yield* Effect.fork(Effect.flip(get))
      yield* waitUntil(requestsAre(1))
      yield* TestClock.adjust("29 seconds")
      yield* settle
      assert.isNull(yield* Fiber.poll(fiber).pipe(Effect.map(Option.getOrNull)))
      yield* TestClock.adjust("1 second")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "TransportError")
      assert.strictEqual(error._tag === "TransportError" && error.reason, "Timeout")
      assert.include(error.message, "timed out")
    }).pipe(Effect.provide(layer({ emulator: { faults: { latency: { min: "1 minute" } } } }))))

  it.effect("timeouts are retried", () =>
    Effect.gen(function*() {
      yield* seed
      const fiber = yield* Effect.fork(Effect.flip(get))
      for (let n = 1; n <= 2; n++) {
        yield* waitUntil(requestsAre(n))
        yield* TestClock.adjust("3 seconds")
      }
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag === "TransportError" && error.attempts, 2)
    }).pipe(Effect.provide(layer({
      emulator: { faults: { latency: { min: "1 minute" } } },
      client: { timeout: "1 second" },
      retry: Retry.layer({ maxRetries: 1 })
    }))))

  it.live("on the live clock: the timer aborts the request and fails with Timeout", () => {
    const hanging = hangingLayer({ timeout: "50 millis", honourAbort: true })
    return Effect.gen(function*() {
      const error = yield* Effect.flip(get)
      assert.strictEqual(error._tag === "TransportError" && error.reason, "Timeout")
      assert.strictEqual(hanging.signals.length, 1)
      assert.isTrue(hanging.signals[0]!.aborted)
    }).pipe(Effect.provide(hanging.layer))
  })
})

describe("interruption", () => {
  it.live("interrupting an operation aborts its HTTP request (live clock)", () => {
    const hanging = hangingLayer()
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(get)
      yield* Effect.sleep("20 millis")
      assert.strictEqual(hanging.signals.length, 1)
      assert.isFalse(hanging.signals[0]!.aborted)
      yield* Fiber.interrupt(fiber)
      assert.isTrue(hanging.signals[0]!.aborted)
    }).pipe(Effect.provide(hanging.layer))
  })

  it.effect("interrupting an operation aborts its HTTP request (TestClock)", () => {
    const hanging = hangingLayer()
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(get)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(hanging.signals.length, 1)
      yield* Fiber.interrupt(fiber)
      assert.isTrue(hanging.signals[0]!.aborted)
    }).pipe(Effect.provide(hanging.layer))
  })
})

describe("URL encoding", () => {
  const oddUser = { id: "oddUserId00000001", username: "o?d#d%u&er+x", token: "apify_api_odd_user_token" }

  it.effect("odd usernames and env var names go through every path segment encoded", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      yield* emulator.seedActor({
        name: "odd-actor",
        versions: [{ versionNumber: "1.10", sourceType: "GIT_REPO", gitRepoUrl: "https://x.test/y" }]
      })
      const id = ActorId.make(`${oddUser.username}/odd-actor`)
      const api = yield* ActorEnvVars.ActorEnvVars
      for (
        const name of ["A/B", "a?b#c", "100%", "with space", "ünïcødé", "...", ".x", "%2F", "%2E%2E", "x~y", "a\\b"]
      ) {
        const created = yield* api.create(id, v("1.10"), EnvVar.plain(envName(name), name))
        assert.strictEqual(created.name, name)
        assert.strictEqual((yield* api.get(id, v("1.10"), envName(name))).value, name)
        yield* api.delete(id, v("1.10"), envName(name))
      }
      assert.strictEqual((yield* api.list(id, v("1.10"))).length, 0)
    }).pipe(Effect.provide(
      Apify.layer({ baseUrl: "http://emulator.test", token: Redacted.make(oddUser.token) }).pipe(
        Layer.provide(Retry.none),
        Layer.provideMerge(Emulator.layerHttpClient({ rateLimit: false, users: [oddUser] }))
      )
    )))

  it.effect.prop(
    "any env var name round-trips through create and get",
    [Arbitrary.make(EnvVar.EnvVarName).filter((name) => name !== "LOG_LEVEL")],
    ([name]) =>
      Effect.gen(function*() {
        yield* seed
        const api = yield* ActorEnvVars.ActorEnvVars
        yield* api.create(owned, v("0.1"), EnvVar.plain(name, "x"))
        const got = yield* api.get(owned, v("0.1"), name)
        assert.strictEqual(got.name, name)
      }).pipe(Effect.provide(layer())),
    // 60 emulators and 120 requests: about 5 s on a loaded 2-core machine, over vitest's default
    { timeout: 30_000, fastCheck: { numRuns: 60 } }
  )
})

describe("compression", () => {
  const recording = (options: Parameters<typeof Apify.layer>[0]) => {
    const requests: Array<HttpClientRequest.HttpClientRequest> = []
    const live = Apify.layer({
      baseUrl: "http://emulator.test",
      token: Redacted.make(ownerToken),
      transformClient: HttpClient.tapRequest((request) => Effect.sync(() => requests.push(request))),
      ...options
    }).pipe(Layer.provide(Retry.none), Layer.provideMerge(Emulator.layerHttpClient({ rateLimit: false })))
    return { layer: live, requests }
  }
  const bigFiles = (n: string) => VersionRequest.fromFiles(v(n), [SourceFile.text("main.js", "x".repeat(100_000))])

  it.effect("bodies over the threshold are gzipped once, with Content-Encoding; the API stores them intact", () => {
    const rec = recording({})
    return Effect.gen(function*() {
      yield* seed
      const api = yield* ActorVersions.ActorVersions
      yield* api.create(owned, bigFiles("3.0"))
      const sent = rec.requests.at(-1)!
      assert.strictEqual(sent.headers["content-encoding"], "gzip")
      assert.strictEqual(sent.body._tag, "Uint8Array")
      const raw = sent.body._tag === "Uint8Array" ? sent.body.body : new Uint8Array()
      const json = JSON.parse(gunzipSync(raw).toString("utf8")) // one gunzip gives JSON: compressed once
      assert.strictEqual(json.versionNumber, "3.0")
      const { actors } = yield* (yield* Emulator.Emulator).snapshot
      const stored = actors[0]!.versions.find((x) => x.versionNumber === "3.0")!
      assert.strictEqual(JSON.stringify(stored.sourceFiles).includes("x".repeat(100_000)), true)
      // a small body is sent as it is
      yield* (yield* ActorEnvVars.ActorEnvVars).create(owned, v("3.0"), EnvVar.plain(envName("A"), "1"))
      assert.isUndefined(rec.requests.at(-1)!.headers["content-encoding"])
    }).pipe(Effect.provide(rec.layer))
  })

  it.effect("brotli and deflate work too", () => {
    const br = recording({ compression: { encoding: "br", threshold: 1024 } })
    return Effect.gen(function*() {
      yield* seed
      yield* (yield* ActorVersions.ActorVersions).create(owned, bigFiles("3.1"))
      assert.strictEqual(br.requests.at(-1)!.headers["content-encoding"], "br")
      yield* (yield* ActorVersions.ActorVersions).update(owned, v("3.1"), { buildTag: "x".repeat(2000) })
    }).pipe(Effect.provide(br.layer))
  })

  it.effect("compression: false sends every body as it is", () => {
    const off = recording({ compression: false })
    return Effect.gen(function*() {
      yield* seed
      yield* (yield* ActorVersions.ActorVersions).create(owned, bigFiles("3.2"))
      assert.isUndefined(off.requests.at(-1)!.headers["content-encoding"])
    }).pipe(Effect.provide(off.layer))
  })
})

describe("answer size", () => {
  const big = JSON.stringify({ data: { versionNumber: "0.1", sourceType: "GIT_REPO", gitRepoUrl: "x".repeat(5000) } })

  it.effect("a success answer declaring a length over maxAnswerBytes fails with DecodeError, unread", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.flatMap(ActorVersions.ActorVersions, (api) => api.get(owned, v("0.1"))))
      assert.strictEqual(error._tag, "DecodeError")
      assert.include(error.message, "over the client's limit of 1000 bytes")
    }).pipe(
      Effect.provide(
        cannedLayer([{ status: 200, body: big, headers: { "content-length": String(big.length) } }], {
          client: { maxAnswerBytes: 1000 }
        }).layer
      )
    ))

  it.effect("an error answer over maxAnswerBytes is reported by its status", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.flatMap(ActorVersions.ActorVersions, (api) => api.get(owned, v("0.1"))))
      assert.strictEqual(error._tag, "ServerError")
      assert.strictEqual(error._tag === "ServerError" && error.status, 503)
    }).pipe(
      Effect.provide(
        cannedLayer([{ status: 503, body: errorJson("x", "m".repeat(5000)), headers: { "content-length": "5036" } }], {
          client: { maxAnswerBytes: 1000 }
        }).layer
      )
    ))

  it.effect("an answer within the bound decodes", () =>
    Effect.gen(function*() {
      const version = yield* Effect.flatMap(ActorVersions.ActorVersions, (api) => api.get(owned, v("0.1")))
      assert.strictEqual(version.versionNumber, "0.1")
    }).pipe(Effect.provide(cannedLayer([{ status: 200, body: big }], { client: { maxAnswerBytes: 10_000 } }).layer)))
})
