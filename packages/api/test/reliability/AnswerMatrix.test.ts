/**
 * Reliability: the hostile-answer matrix. Each kind of hostile answer, served by a raw
 * `node:http` server on 127.0.0.1, against each transport the docs name
 * (`NodeHttpClient.layerUndici`, `NodeHttpClient.layer`, `FetchHttpClient.layer`), with a
 * retrying policy: every cell must be a typed error (never a defect or a RangeError), an answer
 * over `maxAnswerBytes` must not be retried, and peak RSS must stay within the cap + 64 MiB.
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
import type * as Http from "node:http"
import { gzipSync } from "node:zlib"
import { gc, listenLoopback, type LoopbackServer, memorySampler, mib, writeFigures } from "./harness.js"

const CAP = 8 * 1024 * 1024
const token = "apify_api_MATRIX_SERVER_TOKEN_0123456789"
const filler = Buffer.alloc(256 * 1024, " ")
// 1 GiB of spaces inside `{"data": ... }` after inflating: about 1 MiB on the wire.
const bomb = (() => {
  const parts = [Buffer.from("{\"data\":")]
  for (let i = 0; i < 256; i++) parts.push(Buffer.alloc(4 * 1024 * 1024, " "))
  parts.push(Buffer.from("{}}"))
  return gzipSync(Buffer.concat(parts), { level: 9 })
})()

type Handler = (req: Http.IncomingMessage, res: Http.ServerResponse) => void

/** Writes filler until the client goes away. */
const endless = (res: Http.ServerResponse) => {
  let open = true
  res.on("close", () => {
    open = false
  })
  const pump = () => {
    while (open && res.write(filler)) { /* until back-pressure */ }
    if (open) res.once("drain", pump)
  }
  pump()
}

const kinds: Record<
  string,
  { readonly handler: Handler; readonly tags: ReadonlyArray<string>; readonly detail?: RegExp; readonly once?: boolean }
> = {
  "endless-chunked": {
    handler: (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" })
      res.write("{\"data\":\"")
      endless(res)
    },
    tags: ["DecodeError"],
    detail: /over the client's limit/,
    once: true
  },
  "huge-content-length": {
    handler: (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(2 ** 40) })
      endless(res)
    },
    tags: ["DecodeError"],
    detail: /over the client's limit/,
    once: true
  },
  "gzip-bomb": {
    handler: (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" })
      res.end(bomb)
    },
    // fetch inflates (and stops at the cap); node:http and undici do not (then it is not JSON)
    tags: ["DecodeError"],
    detail: /over the client's limit|not JSON/,
    once: true
  },
  "deep-nesting": {
    handler: (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(`{"data":{"versionNumber":"0.1","deep":${"[".repeat(20_000)}${"]".repeat(20_000)}}}`)
    },
    tags: ["DecodeError"],
    detail: /deeper than 512/,
    once: true
  },
  "non-json": {
    handler: (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" })
      res.end("<html>\u001b]0;pwned\u0007</html>")
    },
    tags: ["DecodeError"],
    detail: /not JSON/,
    once: true
  },
  "truncated": {
    handler: (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" })
      res.write("{\"data\":{\"versionNum")
      setTimeout(() => res.socket?.destroy(), 10)
    },
    // a connection cut mid-answer is a transport failure, retried
    tags: ["TransportError"]
  }
}

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["UndiciHttpClient.layer", UndiciHttpClient.layer],
  ["NodeHttpClient.layer", NodeHttpClient.layer],
  ["FetchHttpClient.layer", FetchHttpClient.layer]
]

let server: LoopbackServer
let baseUrl = ""
beforeAll(async () => {
  server = await listenLoopback((req, res) => {
    const match = /\/v2\/acts\/hostile~([a-z0-9-]+)\//.exec(req.url ?? "")
    const kind = match === null ? undefined : kinds[match[1]!]
    if (kind === undefined) res.writeHead(404).end()
    else kind.handler(req, res)
  })
  baseUrl = server.url
})
afterAll(() => server.close())

const get = (name: string) =>
  Effect.flatMap(
    ActorVersions.ActorVersions,
    (s) => s.get(ActorId.make(`hostile~${name}`), VersionNumber.VersionNumber.make("0.1"))
  )

const figures: Record<string, unknown> = {}

describe("reliability: hostile-answer matrix (6 kinds x 3 transports)", () => {
  for (const [transportName, transport] of transports) {
    for (const [name, kind] of Object.entries(kinds)) {
      it.live(`${transportName} × ${name}: ${kind.tags.join("|")}, bounded`, () =>
        Effect.gen(function*() {
          gc()
          const memory = memorySampler(2)
          const exit = yield* Effect.exit(get(name))
          const peak = memory.stop()
          figures[`${transportName} ${name}`] = { rssGrowthMiB: mib(peak.rssGrowth) }
          assert.isTrue(Exit.isFailure(exit))
          if (!Exit.isFailure(exit)) return
          assert.strictEqual(exit.cause._tag, "Fail", `not a typed failure: ${String(exit.cause)}`)
          if (exit.cause._tag !== "Fail") return
          const error = exit.cause.error
          assert.include(kind.tags, error._tag, error.message)
          if (kind.detail !== undefined) assert.match("detail" in error ? error.detail : "", kind.detail)
          if (kind.once === true) assert.strictEqual("attempts" in error ? error.attempts : -1, 1, "retried")
          assert.notInclude(JSON.stringify(error), token)
          assert.isBelow(peak.rssGrowth, CAP + 64 * 1024 * 1024, "peak RSS over the cap + 64 MiB")
        }).pipe(Effect.provide(Layer.suspend(() =>
          ActorVersions.layer.pipe(
            Layer.provide(Apify.layer({ baseUrl, token: Redacted.make(token), timeout: 5000, maxAnswerBytes: CAP })),
            Layer.provide(Retry.layer({ maxRetries: 2, baseDelay: 10, maxDelay: 20 })),
            Layer.provide(transport)
          )
        ))), 30_000)
    }
  }

  it(
    "default cap (32 MiB): an endless chunked answer on node:http stops at the cap, RSS within cap + 64 MiB",
    async () => {
      gc()
      const memory = memorySampler(2)
      const exit = await Effect.runPromiseExit(
        get("endless-chunked").pipe(Effect.provide(
          ActorVersions.layer.pipe(
            Layer.provide(Apify.layer({ baseUrl, token: Redacted.make(token), timeout: 20_000 })),
            Layer.provide(Retry.layer({ maxRetries: 6 })),
            Layer.provide(NodeHttpClient.layer)
          )
        ))
      )
      const peak = memory.stop()
      figures["default cap node:http endless"] = { rssGrowthMiB: mib(peak.rssGrowth) }
      writeFigures("answer-matrix", figures)
      assert.isTrue(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag === "DecodeError")
      assert.isBelow(peak.rssGrowth, 32 * 1024 * 1024 + 64 * 1024 * 1024)
    },
    60_000
  )
})
