/**
 * Reliability: a redirect is never followed, on any transport. `fetch` follows redirects by
 * default, so before the fix a `302` to another origin had that origin's answer decoded as the
 * API's, and a `307` resent the request body (sources, env var values) there.
 */
import { ActorVersions, Apify, Retry, UndiciHttpClient } from "@effect-apify/api"
import { ActorId, VersionNumber } from "@effect-apify/domain"
import { FetchHttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import type * as HttpClient from "@effect/platform/HttpClient"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { listenLoopback, type LoopbackServer } from "./harness.js"

const token = "apify_api_REDIRECT_TEST_TOKEN_0123456789"
const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["UndiciHttpClient.layer", UndiciHttpClient.layer],
  ["NodeHttpClient.layer", NodeHttpClient.layer],
  ["FetchHttpClient.layer", FetchHttpClient.layer]
]
const version = {
  versionNumber: "0.1",
  sourceType: "SOURCE_FILES",
  buildTag: "latest",
  sourceFiles: []
}

let api: LoopbackServer
let elsewhere: LoopbackServer
let elsewhereHits = 0
beforeAll(async () => {
  elsewhere = await listenLoopback((_req, res) => {
    elsewhereHits++
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: version }))
  })
  api = await listenLoopback((req, res) => {
    const status = req.url?.includes("~r307/") === true ? 307 : 302
    res.writeHead(status, { location: `${elsewhere.url}/steal` }).end()
  })
})
afterAll(async () => {
  await api.close()
  await elsewhere.close()
})

describe("reliability: redirects are not followed", () => {
  for (const [name, transport] of transports) {
    for (const kind of ["r302", "r307"]) {
      it.live(`${name}: a ${kind.slice(1)} to another origin is a ServerError, nothing reaches it`, () =>
        Effect.gen(function*() {
          elsewhereHits = 0
          const versions = yield* ActorVersions.ActorVersions
          const exit = yield* Effect.exit(
            kind === "r307"
              ? versions.update(ActorId.make(`u~${kind}`), VersionNumber.VersionNumber.make("0.1"), {
                buildTag: "beta"
              })
              : versions.get(ActorId.make(`u~${kind}`), VersionNumber.VersionNumber.make("0.1"))
          )
          assert.isTrue(Exit.isFailure(exit), "the other origin's answer was taken as the API's")
          if (!Exit.isFailure(exit) || exit.cause._tag !== "Fail") return assert.fail(String(exit))
          assert.strictEqual(exit.cause.error._tag, "ServerError")
          assert.strictEqual(elsewhereHits, 0)
        }).pipe(Effect.provide(Layer.suspend(() =>
          ActorVersions.layer.pipe(
            Layer.provide(Apify.layer({ baseUrl: api.url, token: Redacted.make(token), timeout: 5000 })),
            Layer.provide(Retry.none),
            Layer.provide(transport)
          )
        ))))
    }
  }
})
