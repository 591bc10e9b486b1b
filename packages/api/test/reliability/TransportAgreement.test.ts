/**
 * Hostile world (issue 11): an answer whose headers pass the transport's 16 KiB limit cannot be
 * read the next time either. It was a retryable `TransportError`, fetched 7 times; now it is
 * `TransportError` with reason `InvalidAnswer`, not retried, on the three transports the docs
 * name.
 */
import { ActorVersions, Apify, ApifyError, Retry, UndiciHttpClient } from "@effect-apify/api"
import { ActorId, VersionNumber } from "@effect-apify/domain"
import { NodeHttpClient } from "@effect/platform-node"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Net from "node:net"

let server: Net.Server
let url = ""
let connections = 0
const sockets = new Set<Net.Socket>()
beforeAll(async () => {
  server = Net.createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
    socket.on("error", () => {})
    socket.once("data", () => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
      for (let i = 0; i < 4; i++) socket.write(`X-Big-${i}: ${"a".repeat(16 * 1024)}\r\n`)
      socket.end("Content-Length: 2\r\n\r\n{}")
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  url = `http://127.0.0.1:${(server.address() as Net.AddressInfo).port}`
})
afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise((resolve) => server.close(resolve))
})

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["UndiciHttpClient.layer", UndiciHttpClient.layer],
  ["NodeHttpClient.layer", NodeHttpClient.layer],
  ["FetchHttpClient.layer", FetchHttpClient.layer]
]

describe("hostile world: the transports agree", () => {
  for (const [name, transport] of transports) {
    it.live(`${name}: headers over 16 KiB are InvalidAnswer, asked once`, () =>
      Effect.gen(function*() {
        const before = connections
        const error = yield* ActorVersions.ActorVersions.pipe(
          Effect.flatMap((versions) => versions.get(ActorId.make("me~actor"), VersionNumber.VersionNumber.make("0.1"))),
          Effect.flip,
          Effect.provide(
            Apify.layer({ baseUrl: url }).pipe(
              Layer.provide(Retry.layer({ maxRetries: 6, baseDelay: 1, maxDelay: 2 })),
              Layer.provide(transport)
            )
          )
        )
        assert.strictEqual(error._tag, "TransportError")
        if (error._tag !== "TransportError") return
        assert.strictEqual(error.reason, "InvalidAnswer")
        assert.strictEqual(error.attempts, 1)
        assert.isFalse(ApifyError.isRetryable(error))
        assert.include(error.message, "cannot read")
        assert.strictEqual(connections - before, 1)
      }))
  }
})
