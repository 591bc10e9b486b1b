/**
 * The public ways in: the layers, `serve`, the banner, and bodies that are huge or endless.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { Emulator } from "../src/index.js"

const owner = Emulator.defaultUsers[0]

const getActor = (base: string, ref: string) =>
  Effect.flatMap(
    HttpClient.HttpClient,
    (client) =>
      client.execute(HttpClientRequest.get(`${base}/v2/acts/${ref}`).pipe(HttpClientRequest.bearerToken(owner.token)))
  )
    .pipe(
      Effect.flatMap((response) => Effect.map(response.json, (json) => ({ status: response.status, json }))),
      Effect.scoped
    )

describe("layers and serve", () => {
  it.effect("layerHttpClient: the HttpClient and the Emulator handle share one state", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const seeded = yield* emulator.seedActor({ name: "my-actor" })
      const answer = yield* getActor("http://any.host", "owner~my-actor")
      expect(answer).toMatchObject({ status: 200, json: { data: { id: seeded.id } } })
      expect(yield* emulator.requestCount).toBe(1)
    }).pipe(Effect.provide(Emulator.layerHttpClient())))

  it.effect("layer + layerHttpClientFrom compose the same way", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      yield* emulator.seedActor({ name: "my-actor" })
      expect((yield* getActor("http://x", "owner~my-actor")).status).toBe(200)
    }).pipe(Effect.provide(Emulator.layerHttpClientFrom), Effect.provide(Emulator.layer())))

  it.scoped("serve: port 0 picks a free port; the URL, users and banner", () =>
    Effect.gen(function*() {
      const server = yield* Emulator.serve({ token: "custom-token" })
      expect(server.port).toBeGreaterThan(0)
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
      expect(server.owner).toEqual({ ...owner, token: "custom-token" })
      expect(server.users[1]).toEqual(Emulator.defaultUsers[1])
      expect(Emulator.banner(server)).toEqual([
        server.url,
        "token: custom-token",
        "user: owner (ownerUserId000001)"
      ])
      const answer = yield* Effect.promise(() =>
        fetch(`${server.url}/v2/acts`, {
          method: "POST",
          headers: { authorization: "Bearer custom-token", "content-type": "application/json" },
          body: JSON.stringify({ name: "over-fetch" })
        })
      )
      expect(answer.status).toBe(201)
      const second = yield* Effect.flip(Emulator.serve({ port: server.port }))
      expect(second._tag).toBe("ServeError")
      expect(second.message).toContain("EADDRINUSE")
    }))

  it.effect("layerServer provides the running server and its emulator", () =>
    Effect.gen(function*() {
      const server = yield* Emulator.Server
      const emulator = yield* Emulator.Emulator
      expect(emulator).toBe(server.emulator)
      yield* emulator.seedActor({ name: "my-actor" })
      const answer = yield* getActor(server.url, "owner~my-actor")
      expect(answer.status).toBe(200)
    }).pipe(Effect.provide(FetchHttpClient.layer), Effect.provide(Emulator.layerServer())))
})

describe("bounded bodies", () => {
  const chunk = new Uint8Array(64 * 1024).fill(0x61)

  it.effect("in memory: an endless body gets 413 and is not kept in memory", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      yield* emulator.seedActor({
        name: "my-actor",
        versions: [{ versionNumber: "0.0", sourceType: "GIT_REPO", gitRepoUrl: "https://x" }]
      })
      const client = yield* HttpClient.HttpClient
      const before = process.memoryUsage().rss
      const response = yield* client.execute(
        HttpClientRequest.put("http://x/v2/acts/owner~my-actor/versions/0.0").pipe(
          HttpClientRequest.bearerToken(owner.token),
          HttpClientRequest.bodyStream(Stream.repeatValue(chunk), { contentType: "application/json" })
        )
      )
      const body = (yield* response.json) as { readonly error: { readonly type: string; readonly message: string } }
      expect(response.status).toBe(413)
      expect(body.error.type).toBe("request-too-large")
      const actual = Number(/actual length: (\d+) bytes/.exec(body.error.message)?.[1])
      expect(actual).toBeGreaterThan(32 * 1024 * 1024)
      expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024)
    }).pipe(Effect.scoped, Effect.provide(Emulator.layerHttpClient())), 30_000)

  it.live(
    "loopback: a 20 MB chunked body gets 413 with its exact length; an endless one cannot stall the server",
    () =>
      Effect.scoped(Effect.gen(function*() {
        const server = yield* Emulator.serve()
        yield* server.emulator.seedActor({
          name: "my-actor",
          versions: [{ versionNumber: "0.0", sourceType: "GIT_REPO", gitRepoUrl: "https://x" }]
        })
        const client = yield* HttpClient.HttpClient.pipe(Effect.provide(FetchHttpClient.layer))
        const put = (body: Stream.Stream<Uint8Array>) =>
          client.execute(
            HttpClientRequest.put(`${server.url}/v2/acts/owner~my-actor/versions/0.0`).pipe(
              HttpClientRequest.bearerToken(owner.token),
              HttpClientRequest.bodyStream(body, { contentType: "application/json" })
            )
          ).pipe(
            Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
            Effect.scoped
          )
        const chunks = 320 // 320 * 64 KiB = 20 MiB, sent chunked (no Content-Length)
        const sized = yield* put(Stream.fromChunk(Chunk.makeBy(chunks, () => chunk)))
        expect(sized.status).toBe(413)
        expect(sized.text).toContain(`actual length: ${chunks * chunk.length} bytes`)
        const endless = yield* Effect.either(put(Stream.repeatValue(chunk)))
        if (endless._tag === "Right") expect(endless.right.status).toBe(413)
        const after = yield* getActor(server.url, "owner~my-actor").pipe(
          Effect.provideService(HttpClient.HttpClient, client)
        )
        expect(after.status).toBe(200)
      })),
    30_000
  )
})
