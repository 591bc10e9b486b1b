import { ActorEnvVars, ActorVersions, Retry } from "@effect-apify/api"
import { Emulator } from "@effect-apify/emulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { envName, layer, owned, recordingTracer, requestsAre, seed, v, waitUntil } from "./utils.js"

describe("spans", () => {
  it.effect("each operation is a span with the Actor, the version and the attempt count", () => {
    const { spans, tracer } = recordingTracer()
    return Effect.gen(function*() {
      yield* seed
      const emulator = yield* Emulator.Emulator
      yield* emulator.setFaults({ serverErrors: { probability: 1, status: 503, times: 1 } })
      const fiber = yield* Effect.fork(Effect.flatMap(ActorVersions.ActorVersions, (api) => api.get(owned, v("0.1"))))
      yield* waitUntil(requestsAre(1))
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      yield* Effect.flatMap(ActorEnvVars.ActorEnvVars, (api) => api.get(owned, v("0.1"), envName("LOG_LEVEL")))
      const get = spans.find((s) => s.name === "ActorVersions.get")!
      assert.strictEqual(get.attributes.get("apify.actor_id"), "owner~my-actor")
      assert.strictEqual(get.attributes.get("apify.version_number"), "0.1")
      assert.strictEqual(get.attributes.get("apify.attempts"), 2)
      assert.strictEqual(get.kind, "client")
      assert.strictEqual(get.status._tag, "Ended")
      const env = spans.find((s) => s.name === "ActorEnvVars.get")!
      assert.strictEqual(env.attributes.get("apify.env_var_name"), "LOG_LEVEL")
      assert.strictEqual(env.attributes.get("apify.attempts"), 1)
      assert.isUndefined(spans.find((s) => s.name.startsWith("http.client")), "no http.client span by default")
    }).pipe(Effect.provide(layer({ retry: Retry.layerDefault })), Effect.withTracer(tracer))
  })

  it.effect("httpClientSpans: true adds the HttpClient's span under the operation's", () => {
    const { spans, tracer } = recordingTracer()
    return Effect.gen(function*() {
      yield* seed
      yield* Effect.flatMap(ActorVersions.ActorVersions, (api) => api.list(owned))
      const op = spans.find((s) => s.name === "ActorVersions.list")!
      const http = spans.find((s) => s.name === "http.client GET")!
      assert.isDefined(http)
      assert.strictEqual(http.parent._tag === "Some" && http.parent.value.spanId, op.spanId)
      assert.strictEqual(http.attributes.get("http.request.header.authorization"), "<redacted>")
    }).pipe(Effect.provide(layer({ client: { httpClientSpans: true } })), Effect.withTracer(tracer))
  })
})
