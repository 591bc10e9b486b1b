/**
 * Answers without a `Content-Length` (chunked) over real sockets, on both Node transports,
 * which read them through their Node `Readable` (internal/nodeBody), and on `fetch`, read
 * through its `ReadableStream` (internal/webBody): within the limit they decode, past it they
 * stop there, and a body cut short is a transport error.
 */
import { ActorVersions, Apify, Retry, UndiciHttpClient } from "@effect-apify/api"
import { NodeHttpClient } from "@effect/platform-node"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { owned, v } from "./utils.js"

const version = JSON.stringify({
  data: { versionNumber: "0.1", sourceType: "GIT_REPO", gitRepoUrl: "https://github.com/owner/my-actor" }
})

// Answers every request with `version` in 16-byte chunks; "cut" ends the socket halfway.
const serve = (mode: "whole" | "cut") =>
  Effect.acquireRelease(
    Effect.async<Http.Server>((resume) => {
      const server = Http.createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        const chunks = version.match(/.{1,16}/gs) ?? []
        const sent = mode === "whole" ? chunks : chunks.slice(0, chunks.length >> 1)
        for (const chunk of sent) res.write(chunk)
        if (mode === "whole") res.end()
        else res.socket?.destroy()
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
      })
  )

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["undici", NodeHttpClient.layerUndici],
  ["UndiciHttpClient", UndiciHttpClient.layer],
  ["node:http", NodeHttpClient.layer],
  ["fetch", FetchHttpClient.layer]
]

const get = (server: Http.Server, transport: Layer.Layer<HttpClient.HttpClient>, maxAnswerBytes?: number) =>
  Effect.flatMap(ActorVersions.ActorVersions, (api) => api.get(owned, v("0.1"))).pipe(
    Effect.provide(
      Apify.layer({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        token: Redacted.make("apify_api_chunkedtoken0000000000000000000"),
        ...(maxAnswerBytes === undefined ? {} : { maxAnswerBytes })
      }).pipe(Layer.provide(Retry.none), Layer.provide(transport))
    )
  )

describe.each(transports)("chunked answers over %s", (_name, transport) => {
  it.scopedLive("decode when within the limit", () =>
    Effect.gen(function*() {
      const server = yield* serve("whole")
      const got = yield* get(server, transport)
      assert.strictEqual(got._tag, "GitRepoVersion")
      assert.strictEqual(got.versionNumber, "0.1")
    }))

  it.scopedLive("past maxAnswerBytes fail with DecodeError naming the limit", () =>
    Effect.gen(function*() {
      const server = yield* serve("whole")
      const error = yield* Effect.flip(get(server, transport, 40))
      assert.strictEqual(error._tag, "DecodeError")
      assert.include(error.message, "over the client's limit of 40 bytes")
    }))

  it.scopedLive("cut short fail with TransportError", () =>
    Effect.gen(function*() {
      const server = yield* serve("cut")
      const error = yield* Effect.flip(get(server, transport))
      assert.strictEqual(error._tag, "TransportError")
    }))
})
