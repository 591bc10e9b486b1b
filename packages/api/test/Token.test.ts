/**
 * The API token never appears in an error (message, JSON, inspected form, pretty cause), a log
 * line or a span attribute, whatever goes wrong.
 */
import { ActorEnvVars, ActorVersions, ApifyError, Retry } from "@effect-apify/api"
import { EnvVar, VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import { inspect } from "node:util"
import {
  cannedLayer,
  envName,
  errorJson,
  layer,
  owned,
  ownerToken,
  recordingTracer,
  requestsAre,
  seed,
  v,
  waitUntil
} from "./utils.js"

const assertNoToken = (error: ApifyError.ApifyError) => {
  const forms = [
    error.message,
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    Cause.pretty(Cause.fail(error)),
    JSON.stringify(Schema.encodeSync(ApifyError.ApifyError)(error))
  ]
  for (const form of forms) assert.notInclude(form, ownerToken, `${error._tag}: ${form}`)
  for (const form of forms) assert.notInclude(form, "apify_api_", `${error._tag}: ${form}`)
}

describe("the token never leaks", () => {
  it.effect("through errors of every kind from the emulator", () =>
    Effect.gen(function*() {
      yield* seed
      const emulator = yield* Emulator.Emulator
      const versions = yield* ActorVersions.ActorVersions
      const envVars = yield* ActorEnvVars.ActorEnvVars
      const errors: Array<ApifyError.ApifyError> = []
      const collect = <A>(self: Effect.Effect<A, ApifyError.ApifyError>) =>
        Effect.flatMap(Effect.flip(self), (e) => Effect.sync(() => errors.push(e)))

      yield* collect(versions.get(owned, v("9.9"))) // 404
      yield* collect(versions.delete(owned, v("0.1"))) // 403 too-few-versions
      yield* collect(versions.update(owned, v("0.1"), { versionNumber: v("0.2") })) // 400
      yield* collect(envVars.create(owned, v("0.1"), EnvVar.plain(envName("LOG_LEVEL"), "x"))) // 403 exists
      yield* collect(envVars.create(owned, v("0.1"), { name: envName("A"), value: "x".repeat(60_000) })) // local
      yield* collect(versions.create(owned, VersionRequest.fromGitRepo(v("5.0"), " "))) // local
      for (
        const faults of [
          { rateLimitBursts: { probability: 1, length: 1, times: 1, retryAfterSeconds: 1 } },
          { serverErrors: { probability: 1, status: 503, times: 1 } },
          { serverErrors: { probability: 1, status: 500, nonJsonBody: true, times: 1 } },
          { dropConnections: { probability: 1, times: 1 } }
        ] satisfies ReadonlyArray<Emulator.FaultOptions>
      ) {
        yield* emulator.setFaults(faults)
        yield* collect(versions.get(owned, v("0.1")))
      }
      yield* emulator.setFaults({ latency: { min: "1 minute" } })
      const count = yield* emulator.requestCount
      const fiber = yield* Effect.fork(collect(versions.get(owned, v("0.1")))) // timeout
      yield* waitUntil(requestsAre(count + 1))
      yield* TestClock.adjust("31 seconds")
      yield* Fiber.join(fiber)

      assert.deepStrictEqual(
        errors.map((e) => e._tag),
        [
          "NotFound",
          "Forbidden",
          "BadRequest",
          "Forbidden",
          "InvalidRequest",
          "InvalidRequest",
          "RateLimited",
          "ServerError",
          "ServerError",
          "TransportError",
          "TransportError"
        ]
      )
      errors.forEach(assertNoToken)
    }).pipe(Effect.provide(layer())))

  it.effect("through a 401 and through an error answer that echoes the token", () =>
    Effect.gen(function*() {
      const api = yield* ActorVersions.ActorVersions
      const echoed = yield* Effect.flip(api.get(owned, v("0.1")))
      assert.strictEqual(echoed._tag, "Unauthorized")
      assert.include(echoed.message, "<redacted>")
      assertNoToken(echoed)
      const html = yield* Effect.flip(api.get(owned, v("0.1")))
      assertNoToken(html)
    }).pipe(Effect.provide(
      cannedLayer([
        { status: 401, body: errorJson("token-not-valid", `Token ${ownerToken} is not valid`) },
        { status: 502, body: `<html>upstream said: Bearer ${ownerToken}</html>` }
      ]).layer
    )))

  it.effect("through retry logs and spans", () => {
    const logs: Array<string> = []
    const logger = Logger.make((options) => logs.push(JSON.stringify([options.message, [...options.annotations]])))
    const { spans, tracer } = recordingTracer()
    return Effect.gen(function*() {
      yield* seed
      const emulator = yield* Emulator.Emulator
      yield* emulator.setFaults({ serverErrors: { probability: 1, status: 503, times: 1 } })
      const fiber = yield* Effect.fork(Effect.flatMap(ActorVersions.ActorVersions, (api) => api.get(owned, v("0.1"))))
      yield* waitUntil(requestsAre(1))
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      assert.isAbove(logs.length, 0)
      assert.notInclude(logs.join("\n"), ownerToken)
      assert.isAbove(spans.length, 0)
      for (const span of spans) {
        for (const [key, value] of span.attributes) {
          assert.notInclude(`${key}=${String(value)}`, ownerToken)
        }
      }
    }).pipe(
      Effect.provide(layer({ retry: Retry.layerDefault, client: { httpClientSpans: true } })),
      Effect.withTracer(tracer),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Logger.withMinimumLogLevel(LogLevel.Debug)
    )
  })
})
