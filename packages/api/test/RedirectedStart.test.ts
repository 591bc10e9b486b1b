/**
 * A build start the API answers with a redirect, through a client that follows redirects
 * (undici's redirect interceptor, or `HttpClient.followRedirects` via `transformClient`): a
 * failed connection to where the redirect leads is not "never reached the API", so the start
 * is sent once. A connection to the API itself that is never made is still retried, on every
 * transport.
 */
import { ActorBuilds, Apify, Retry, UndiciHttpClient } from "@effect-apify/api"
import { NodeHttpClient } from "@effect/platform-node"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Agent, interceptors } from "undici"
import { serve } from "./buildServer.js"
import { actor, v } from "./utils.js"

const start = Effect.flatMap(ActorBuilds.ActorBuilds, (builds) => builds.build(actor("me/my-actor"), v("0.1")))

// Retries at once, up to 3 times: what would be sent again is.
const eager = Retry.fromSchedule(Schedule.recurs(3))

// A loopback port nothing listens on any more.
const closedPort = Effect.async<number>((resume) => {
  const s = http.createServer().listen(0, "127.0.0.1", () => {
    const { port } = s.address() as AddressInfo
    s.close(() => resume(Effect.succeed(port)))
  })
})

const services = (
  baseUrl: string,
  client: Layer.Layer<HttpClient.HttpClient>,
  transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
) =>
  Apify.layer({
    baseUrl,
    token: Redacted.make("apify_api_loopbacktoken0123456789"),
    ...(transformClient === undefined ? {} : { transformClient })
  }).pipe(Layer.provide(eager), Layer.provide(client))

// An undici agent that follows redirects itself, closed with the scope.
const redirectingAgent = Effect.acquireRelease(
  Effect.sync(() => new Agent().compose(interceptors.redirect({ maxRedirections: 3 }))),
  (agent) => Effect.promise(() => agent.close())
)

const redirectedTo = (location: string) =>
  serve((_, res) => {
    res.writeHead(307, { location })
    res.end()
  })

describe("a build start redirected to where no connection is made", () => {
  const targets = [
    ["a host not found", Effect.succeed("http://no-such-host.invalid/v2/x")],
    ["a refused port", Effect.map(closedPort, (port) => `http://127.0.0.1:${port}/v2/x`)]
  ] as const

  for (const [what, location] of targets) {
    it.scopedLive(`undici's redirect interceptor, ${what}: one POST, not marked unsent`, () =>
      Effect.gen(function*() {
        const { seen, url } = yield* redirectedTo(yield* location)
        const agent = yield* redirectingAgent
        const error = yield* Effect.flip(
          start.pipe(Effect.provide(services(url, Layer.succeed(HttpClient.HttpClient, UndiciHttpClient.make(agent)))))
        )
        assert.strictEqual(error._tag, "TransportError")
        assert.isUndefined(error._tag === "TransportError" ? error.unsent : "")
        assert.deepStrictEqual(seen.map((r) => r.method), ["POST"])
      }))

    it.scopedLive(`transformClient HttpClient.followRedirects, ${what}: one POST, not marked unsent`, () =>
      Effect.gen(function*() {
        const { seen, url } = yield* redirectedTo(yield* location)
        const error = yield* Effect.flip(
          start.pipe(
            Effect.provide(services(url, UndiciHttpClient.layer, (client) => HttpClient.followRedirects(client, 3)))
          )
        )
        assert.strictEqual(error._tag, "TransportError")
        assert.isUndefined(error._tag === "TransportError" ? error.unsent : "")
        assert.deepStrictEqual(seen.map((r) => r.method), ["POST"])
      }))
  }
})

describe("a build start whose connection to the API is never made: unsent and sent again", () => {
  const transports = [
    ["UndiciHttpClient.layer", UndiciHttpClient.layer],
    ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
    ["NodeHttpClient.layer", NodeHttpClient.layer],
    ["FetchHttpClient.layer", FetchHttpClient.layer]
  ] as const
  for (const [name, client] of transports) {
    it.live(`${name}: a refused connection (localhost and 127.0.0.1)`, () =>
      Effect.gen(function*() {
        const port = yield* closedPort
        for (const host of ["127.0.0.1", "localhost"]) {
          const error = yield* Effect.flip(start.pipe(Effect.provide(services(`http://${host}:${port}`, client))))
          assert.strictEqual(error._tag, "TransportError", host)
          assert.isTrue(error._tag === "TransportError" && error.unsent, host)
          assert.strictEqual(error._tag === "TransportError" && error.attempts, 4, host)
        }
      }))

    it.live(`${name}: a host not found`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(start.pipe(Effect.provide(services("http://no-such-host.invalid", client))))
        assert.strictEqual(error._tag, "TransportError")
        assert.isTrue(error._tag === "TransportError" && error.unsent)
        assert.strictEqual(error._tag === "TransportError" && error.attempts, 4)
      }))
  }
})
