import type { ApifyClient, Auth } from "@effect-apify/api"
import { Apify, Retry } from "@effect-apify/api"
import { ActorId, EnvVar, VersionNumber } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestServices from "effect/TestServices"
import type * as Tracer from "effect/Tracer"
import * as Tracer_ from "effect/Tracer"

export const ownerToken = Emulator.defaultUsers[0].token
export const strangerToken = Emulator.defaultUsers[1].token

export const v = (s: string) => VersionNumber.VersionNumber.make(s)
export const actor = (s: string) => ActorId.make(s)
export const envName = (s: string) => EnvVar.EnvVarName.make(s)

export const owned = actor("owner~my-actor")

export interface TestOptions {
  readonly emulator?: Emulator.EmulatorOptions
  readonly client?: ApifyClient.Options
  readonly retry?: Layer.Layer<Retry.Retry>
}

/**
 * The whole client over the in-memory emulator, as the owner, without retries unless asked,
 * and without the emulator's rate limit (TestClock never refills its buckets).
 */
export const layer = (options: TestOptions = {}) =>
  Apify.layer({ baseUrl: "http://emulator.test", token: Redacted.make(ownerToken), ...options.client }).pipe(
    Layer.provide(options.retry ?? Retry.none),
    Layer.provideMerge(Emulator.layerHttpClient({ rateLimit: false, ...options.emulator }))
  )

/**
 * The client and services as another user (or with another `Auth`), over the emulator that is
 * already in the context.
 */
export const asUser = (auth: Layer.Layer<Auth.Auth>) =>
  Apify.layer({ baseUrl: "http://emulator.test" }).pipe(
    Layer.provide(Retry.none),
    Layer.provide(auth),
    Layer.provide(Emulator.layerHttpClientFrom)
  )

/** Seeds `owner~my-actor` with version 0.1 (Git source) and env var LOG_LEVEL. */
export const seed: Effect.Effect<void, Emulator.SeedError, Emulator.Emulator> = Effect.flatMap(
  Emulator.Emulator,
  (emulator) =>
    emulator.seedActor({
      name: "my-actor",
      versions: [{
        versionNumber: "0.1",
        sourceType: "GIT_REPO",
        gitRepoUrl: "https://github.com/owner/my-actor",
        envVars: [{ name: "LOG_LEVEL", value: "info", isSecret: false }]
      }]
    }).pipe(Effect.asVoid)
)

export interface Canned {
  readonly status: number
  readonly body?: string
  readonly headers?: Record<string, string>
}

/**
 * A client over an `HttpClient` that answers every request with the next canned answer
 * (the last one repeats), for statuses the emulator cannot produce on an endpoint. The
 * requests are recorded.
 */
export const cannedLayer = (
  answers: ReadonlyArray<Canned>,
  options: { readonly client?: ApifyClient.Options; readonly retry?: Layer.Layer<Retry.Retry> } = {}
) => {
  const requests: Array<HttpClientRequest.HttpClientRequest> = []
  let i = 0
  const client = HttpClient.make((request) =>
    Effect.sync(() => {
      requests.push(request)
      const answer = answers[Math.min(i++, answers.length - 1)]!
      return HttpClientResponse.fromWeb(
        request,
        new Response(answer.status === 204 ? null : answer.body ?? "", {
          status: answer.status,
          headers: answer.headers ?? {}
        })
      )
    })
  )
  const live = Apify.layer({ baseUrl: "http://canned.test", token: Redacted.make(ownerToken), ...options.client }).pipe(
    Layer.provide(options.retry ?? Retry.none),
    Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
  )
  return { layer: live, requests }
}

export const errorJson = (type: string, message: string) => JSON.stringify({ error: { type, message } })

export const versionJson = JSON.stringify({
  data: { versionNumber: "0.1", sourceType: "GIT_REPO", gitRepoUrl: "https://github.com/x/y" }
})

/** A tracer that records every span it makes, to check names and attributes. */
export const recordingTracer = () => {
  const spans: Array<Tracer.Span> = []
  let n = 0
  const tracer = Tracer_.make({
    span(name, parent, context, links, startTime, kind) {
      const attributes = new Map<string, unknown>()
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span${++n}`,
        traceId: "trace",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes,
        links: [...links],
        sampled: true,
        kind,
        end(endTime, exit) {
          ;(span as { status: Tracer.SpanStatus }).status = { _tag: "Ended", startTime, endTime, exit }
        },
        attribute(key, value) {
          attributes.set(key, value)
        },
        event() {},
        addLinks() {}
      }
      spans.push(span)
      return span
    },
    context: (f) => f()
  })
  return { tracer, spans }
}

export const some = Option.some

/** Waits (in real time, up to 3 s) until `condition` holds: in-memory requests resolve on the real event loop. */
export const waitUntil = <E, R>(condition: Effect.Effect<boolean, E, R>, what = "condition") =>
  Effect.gen(function*() {
    for (let i = 0; i < 600; i++) {
      if (yield* condition) return
      yield* TestServices.provideLive(Effect.sleep("5 millis"))
    }
    return yield* Effect.dieMessage(`${what} not reached within 3 s`)
  })

/** Lets pending in-memory work run for a moment of real time. */
export const settle = TestServices.provideLive(Effect.sleep("40 millis"))

/** The emulator's request counter equals `n`. */
export const requestsAre = (n: number) =>
  Effect.map(Effect.flatMap(Emulator.Emulator, (e) => e.requestCount), (c) => c === n)
