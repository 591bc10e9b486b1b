import { ActorEnvVars, ActorVersions, Apify, Retry, UndiciHttpClient } from "@effect-apify/api"
import { EnvVar } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import * as Headers from "@effect/platform/Headers"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { serve } from "./buildServer.js"
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

  // A server that echoes the Authorization header and the body in its answer's headers.
  const echoing = serve((request, res) => {
    res.writeHead(500, {
      "content-type": "application/json",
      "x-echo": String(request.headers.authorization),
      "x-body": request.body.toString("base64")
    })
    res.end(JSON.stringify({ error: { type: "internal-server-error", message: "boom" } }))
  })

  const token = "s3cr3tT0kenABCDEFGHIJKLMN"
  const secret = "Zq9xW2vLp0sKt7Yb"

  /** Every attribute of every span, as `name key=value` lines. */
  const attributeLines = (spans: ReadonlyArray<{ name: string; attributes: ReadonlyMap<string, unknown> }>) =>
    spans.flatMap((span) => [...span.attributes].map(([key, value]) => `${span.name} ${key}=${String(value)}`))

  for (const redactedNames of ["the platform's", "none"] as const) {
    it.scopedLive(`httpClientSpans: a header that echoes the token or a secret is scrubbed (redacted names: ${redactedNames})`, () => {
      const { spans, tracer } = recordingTracer()
      return Effect.gen(function*() {
        const { url } = yield* echoing
        const layer = Apify.layer({ baseUrl: url, token: Redacted.make(token), httpClientSpans: true }).pipe(
          Layer.provide(Retry.none),
          Layer.provide(UndiciHttpClient.layer)
        )
        yield* Effect.flatMap(ActorVersions.ActorVersions, (api) => api.list(owned)).pipe(
          Effect.provide(layer),
          Effect.flip
        )
        yield* Effect.flatMap(
          ActorEnvVars.ActorEnvVars,
          (api) => api.create(owned, v("0.1"), EnvVar.secret(envName("KEY"), secret))
        ).pipe(Effect.provide(layer), Effect.flip)
        const lines = attributeLines(spans)
        const echo = lines.filter((line) => line.includes("http.response.header.x-echo"))
        assert.strictEqual(echo.length, 2)
        assert.isTrue(echo.every((line) => line.endsWith("=Bearer <redacted>")), echo.join("\n"))
        assert.isTrue(lines.some((line) => line.includes("http.response.header.x-body")))
        // any 8-character run of the token (any case) or the secret
        const runs = (text: string) => Array.from({ length: text.length - 7 }, (_, i) => text.slice(i, i + 8))
        const leaks = lines.filter((line) =>
          runs(token.toLowerCase()).some((run) => line.toLowerCase().includes(run)) ||
          runs(secret).some((run) => line.includes(run))
        )
        // the body's base64, with the secret in it
        const body = lines.find((line) => line.includes("http.response.header.x-body") && line.includes("POST"))
        assert.include(body, "<redacted>")
        assert.deepStrictEqual(leaks, [])
        const http = spans.filter((span) => span.name.startsWith("http.client"))
        assert.strictEqual(http.length, 2)
        const ops = spans.filter((span) => !span.name.startsWith("http.client"))
        assert.isTrue(
          http.every((span) =>
            span.parent._tag === "Some" &&
            ops.some((op) => op.spanId === (span.parent._tag === "Some" && span.parent.value.spanId))
          )
        )
      }).pipe(
        redactedNames === "none" ? Effect.locally(Headers.currentRedactedNames, []) : (self) => self,
        Effect.withTracer(tracer)
      )
    })
  }
})
