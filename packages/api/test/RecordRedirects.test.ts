/**
 * A record read as Apify answers it: a 302 to where the record is stored (a signed storage URL
 * on another origin). Over real sockets against two scripted loopback servers, the API and
 * "storage": redirects are followed (at most 5), the token goes to the API's origin only, and
 * `getRecordAt` (a record by the URL a TARBALL version names) sends it only there too.
 */
import { Apify, KeyValueStores, Retry } from "@effect-apify/api"
import { KeyValueStore } from "@effect-apify/domain"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

const token = "apify_api_loopbacktoken0123456789"

interface Seen {
  readonly url: string
  readonly authorization: string | undefined
}

type Handler = (url: string, response: http.ServerResponse) => void

/** A loopback server answering with `handler`; every request recorded, closed with the scope. */
const serve = (handler: Handler) =>
  Effect.gen(function*() {
    const seen: Array<Seen> = []
    const server = yield* Effect.acquireRelease(
      Effect.async<http.Server>((resume) => {
        const s = http.createServer((req, res) => {
          seen.push({ url: req.url!, authorization: req.headers.authorization })
          req.resume()
          req.on("end", () => handler(req.url!, res))
        })
        s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
      }),
      (s) =>
        Effect.async<void>((resume) => {
          s.closeAllConnections()
          s.close(() => resume(Effect.void))
        })
    )
    return { seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
  })

const clientOf = (baseUrl: string) =>
  Apify.layer({ baseUrl, token: Redacted.make(token) }).pipe(
    Layer.provide(Retry.none),
    Layer.provide(NodeHttpClient.layerUndici)
  )

const redirect = (response: http.ServerResponse, location: string) => {
  response.writeHead(302, { location })
  response.end()
}

const zip = (response: http.ServerResponse) => {
  response.writeHead(200, { "content-type": "application/zip" })
  response.end(Buffer.from([80, 75, 5, 6]))
}

const read = <E>(open: Effect.Effect<KeyValueStores.StoredRecord, E, Scope.Scope>) =>
  Effect.scoped(Effect.flatMap(open, (record) => Stream.runCollect(record.stream))).pipe(
    Effect.map((chunks) => [...Buffer.concat([...chunks])])
  )

const key = KeyValueStore.RecordKey.make("version-0.1.zip")

describe("KeyValueStores: a record behind a redirect", () => {
  it.scopedLive("getRecord follows a 302 to another origin, without the token there", () =>
    Effect.gen(function*() {
      const storage = yield* serve((_, res) => zip(res))
      const api = yield* serve((_, res) => redirect(res, `${storage.url}/bucket/S1/version-0.1.zip?X-Signature=abc`))
      const bytes = yield* Effect.flatMap(KeyValueStores.KeyValueStores, (stores) => read(stores.getRecord("S1", key)))
        .pipe(Effect.provide(clientOf(api.url)))
      assert.deepStrictEqual(bytes, [80, 75, 5, 6])
      assert.deepStrictEqual(api.seen, [{
        url: "/v2/key-value-stores/S1/records/version-0.1.zip",
        authorization: `Bearer ${token}`
      }])
      assert.deepStrictEqual(storage.seen, [{
        url: "/bucket/S1/version-0.1.zip?X-Signature=abc",
        authorization: undefined
      }])
    }))

  it.scopedLive("a redirect on the API's own origin keeps the token; more than 5 redirects fail, named", () =>
    Effect.gen(function*() {
      const api = yield* serve((url, res) =>
        url.startsWith("/signed") ? zip(res) : redirect(res, "/signed?signature=s")
      )
      const bytes = yield* Effect.flatMap(KeyValueStores.KeyValueStores, (stores) => read(stores.getRecord("S1", key)))
        .pipe(Effect.provide(clientOf(api.url)))
      assert.deepStrictEqual(bytes, [80, 75, 5, 6])
      assert.deepStrictEqual(api.seen.map((s) => [s.url, s.authorization]), [
        ["/v2/key-value-stores/S1/records/version-0.1.zip", `Bearer ${token}`],
        ["/signed?signature=s", `Bearer ${token}`]
      ])

      const loop = yield* serve((url, res) => redirect(res, url))
      const error = yield* Effect.flatMap(
        KeyValueStores.KeyValueStores,
        (stores) => Effect.flip(read(stores.getRecord("S1", key)))
      ).pipe(Effect.provide(clientOf(loop.url)))
      assert.strictEqual(error._tag, "TransportError")
      assert.include(error.message, "more than 5 redirects")
      assert.strictEqual(loop.seen.length, 6)
    }))

  it.scopedLive("getRecordAt sends the token to the API's origin only; a URL that is not http(s) is refused unsent", () =>
    Effect.gen(function*() {
      const api = yield* serve((_, res) => zip(res))
      const elsewhere = yield* serve((_, res) => zip(res))
      const [own, foreign, refused] = yield* Effect.gen(function*() {
        const stores = yield* KeyValueStores.KeyValueStores
        const own = yield* read(stores.getRecordAt(`${api.url}/v2/key-value-stores/S1/records/version-0.1.zip?x=1`))
        const foreign = yield* read(stores.getRecordAt(`${elsewhere.url}/v.zip`))
        const refused = yield* Effect.flip(read(stores.getRecordAt("file:///etc/passwd")))
        return [own, foreign, refused] as const
      }).pipe(Effect.provide(clientOf(api.url)))
      assert.deepStrictEqual([own, foreign], [[80, 75, 5, 6], [80, 75, 5, 6]])
      assert.deepStrictEqual(api.seen, [{
        url: "/v2/key-value-stores/S1/records/version-0.1.zip?x=1",
        authorization: `Bearer ${token}`
      }])
      assert.deepStrictEqual(elsewhere.seen, [{ url: "/v.zip", authorization: undefined }])
      assert.strictEqual(refused._tag === "TransportError" && refused.reason, "InvalidUrl")
    }))
})
