/**
 * Reliability, part 3: hostile answers.
 *
 * A raw `node:http` server on 127.0.0.1 answers the client's "get version" with truncated
 * JSON, a wrong content type, an HTML error page, a 100 MiB body, a body that trickles
 * forever, headers that never come, unknown statuses (418, 451, 502 without a body) and
 * more. Each must become a typed error within the attempt timeout, with memory bounded (peak
 * RSS and heap growth are reported), and no socket or timer left open afterwards.
 */
import { ActorVersions, Apify, type ApifyError, Retry } from "@effect-apify/api"
import { ActorId, VersionNumber } from "@effect-apify/domain"
import { NodeHttpClient } from "@effect/platform-node"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Http from "node:http"
import {
  activeResources,
  gc,
  listenLoopback,
  type LoopbackServer,
  memorySampler,
  mib,
  settleResources,
  writeFigures
} from "./harness.js"

const TIMEOUT_MILLIS = 1000
/** The 100 MiB answers get a longer attempt timeout: reading and parsing 100 MiB takes about 1-2 s here. */
const HUGE_TIMEOUT_MILLIS = 5000
const HUGE_BYTES = 100 * 1024 * 1024
const token = "apify_api_HOSTILE_SERVER_TOKEN_0123456789"

type Handler = (req: Http.IncomingMessage, res: Http.ServerResponse) => void

const chunk = Buffer.alloc(1024 * 1024, "a")
/** Streams `total` bytes of `prefix` + filler, respecting back-pressure. */
const stream = (res: Http.ServerResponse, total: number, prefix: string, suffix = "") => {
  let sent = 0
  const head = Buffer.from(prefix)
  res.write(head)
  sent += head.length
  const pump = () => {
    while (sent < total) {
      const n = Math.min(chunk.length, total - sent)
      sent += n
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once("drain", pump)
        return
      }
    }
    res.end(suffix)
  }
  pump()
}

const timers = new Set<NodeJS.Timeout>()
const handlers: Record<string, Handler> = {
  "truncated-json": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" })
    res.end("{\"data\":{\"versionNumber\":\"0.1\",\"sourceType\":\"GIT_R")
  },
  "truncated-length": (_req, res) => {
    // promises 1000 bytes, sends 20, then closes the connection
    res.writeHead(200, { "content-type": "application/json", "content-length": "1000" })
    res.write("{\"data\":{\"versionNum")
    setTimeout(() => res.socket?.destroy(), 20)
  },
  "wrong-content-type": (_req, res) => {
    res.writeHead(200, { "content-type": "application/octet-stream" })
    res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))
  },
  "html-error-page": (_req, res) => {
    res.writeHead(500, { "content-type": "text/html" })
    res.end("<!DOCTYPE html><html><head><title>500</title></head><body><h1>Internal Server Error</h1></body></html>")
  },
  "html-200": (_req, res) => {
    res.writeHead(200, { "content-type": "text/html" })
    res.end("<html><body>Welcome to nginx!</body></html>")
  },
  "huge-body": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(HUGE_BYTES) })
    stream(res, HUGE_BYTES, "{\"data\":\"")
  },
  "huge-error-body": (_req, res) => {
    res.writeHead(503, { "content-type": "application/json" })
    stream(res, HUGE_BYTES, "{\"error\":{\"type\":\"x\",\"message\":\"")
  },
  "huge-string-data": (_req, res) => {
    // valid JSON of the wrong shape: {"data": "aaaa... 100 MiB"}
    res.writeHead(200, { "content-type": "application/json", "content-length": String(HUGE_BYTES + 2) })
    stream(res, HUGE_BYTES, "{\"data\":\"", "\"}")
  },
  "huge-error-message": (_req, res) => {
    // a well-formed error envelope whose message is 10 MiB
    res.writeHead(500, { "content-type": "application/json" })
    res.end(JSON.stringify({ error: { type: "huge", message: "m".repeat(10 * 1024 * 1024) } }))
  },
  "trickle-forever": (req, res) => {
    res.writeHead(200, { "content-type": "application/json" })
    res.write("{")
    const timer = setInterval(() => res.write(" "), 50)
    timers.add(timer)
    req.socket.on("close", () => {
      clearInterval(timer)
      timers.delete(timer)
    })
  },
  "no-headers": (req) => {
    // accepts the request and never answers
    req.resume()
  },
  "status-418": (_req, res) => {
    res.writeHead(418, { "content-type": "application/json" })
    res.end("{\"error\":{\"type\":\"teapot\",\"message\":\"I'm a teapot\"}}")
  },
  "status-451": (_req, res) => {
    res.writeHead(451)
    res.end("Unavailable For Legal Reasons")
  },
  "status-502-empty": (_req, res) => {
    res.writeHead(502)
    res.end()
  },
  "status-999": (_req, res) => {
    res.writeHead(599)
    res.end()
  },
  "empty-200": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" })
    res.end()
  },
  "wrong-shape": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" })
    res.end("{\"data\":42}")
  },
  "deep-nesting": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" })
    res.end(`{"data":${"[".repeat(200_000)}${"]".repeat(200_000)}}`)
  },
  "reset": (req) => {
    req.socket.destroy()
  },
  "echo-token": (req, res) => {
    // a proxy that echoes the request's headers in its error
    res.writeHead(500, { "content-type": "application/json" })
    res.end(
      JSON.stringify({ error: { type: "proxy-error", message: `bad upstream; you sent ${req.headers.authorization}` } })
    )
  }
}

let server: LoopbackServer
let baseUrl = ""
beforeAll(async () => {
  server = await listenLoopback((req, res) => {
    const match = /\/v2\/acts\/hostile~([a-z0-9-]+)\//.exec(req.url ?? "")
    const handler = match === null ? undefined : handlers[match[1]!]
    if (handler === undefined) {
      res.writeHead(404).end()
      return
    }
    handler(req, res)
  })
  baseUrl = server.url
})
afterAll(async () => {
  for (const timer of timers) clearInterval(timer)
  await server.close()
})

const clientLayer = (retry: Layer.Layer<Retry.Retry>, timeout = TIMEOUT_MILLIS) =>
  Layer.suspend(() =>
    ActorVersions.layer.pipe(
      Layer.provide(Apify.layer({ baseUrl, token: Redacted.make(token), timeout })),
      Layer.provide(retry),
      Layer.provide(NodeHttpClient.layerUndici)
    )
  )

const get = (name: string) =>
  Effect.flatMap(
    ActorVersions.ActorVersions,
    (s) => s.get(ActorId.make(`hostile~${name}`), VersionNumber.VersionNumber.make("0.1"))
  )

interface Expectation {
  readonly tag: ApifyError.ApifyError["_tag"]
  readonly detail?: RegExp
  readonly status?: number
  readonly reason?: string
}

const cases: ReadonlyArray<readonly [string, Expectation]> = [
  ["truncated-json", { tag: "DecodeError", detail: /not JSON/ }],
  ["truncated-length", { tag: "TransportError", reason: "Transport" }],
  ["wrong-content-type", { tag: "DecodeError", detail: /not JSON/ }],
  ["html-error-page", { tag: "ServerError", status: 500 }],
  ["html-200", { tag: "DecodeError", detail: /not JSON/ }],
  ["trickle-forever", { tag: "TransportError", reason: "Timeout" }],
  ["no-headers", { tag: "TransportError", reason: "Timeout" }],
  ["status-418", { tag: "ServerError", status: 418 }],
  ["status-451", { tag: "ServerError", status: 451 }],
  ["status-502-empty", { tag: "ServerError", status: 502 }],
  ["status-999", { tag: "ServerError", status: 599 }],
  ["empty-200", { tag: "DecodeError" }],
  ["wrong-shape", { tag: "DecodeError", detail: /data/ }],
  ["deep-nesting", { tag: "DecodeError" }],
  ["reset", { tag: "TransportError", reason: "Transport" }],
  ["echo-token", { tag: "ServerError", status: 500 }]
]

const figures: Record<string, unknown> = {}

describe("reliability: hostile answers", () => {
  for (const [name, expected] of cases) {
    it.live(`${name} becomes ${expected.tag} within the timeout`, () =>
      Effect.gen(function*() {
        const started = performance.now()
        const error = yield* Effect.flip(get(name))
        const millis = performance.now() - started
        figures[name] = { error: error._tag, millis: Math.round(millis) }
        assert.strictEqual(error._tag, expected.tag, error.message)
        if (expected.status !== undefined) assert.strictEqual("status" in error ? error.status : -1, expected.status)
        if (expected.reason !== undefined) assert.strictEqual("reason" in error ? error.reason : "", expected.reason)
        if (expected.detail !== undefined) assert.match("detail" in error ? error.detail : "", expected.detail)
        assert.strictEqual("attempts" in error ? error.attempts : -1, 1)
        assert.isBelow(millis, TIMEOUT_MILLIS + 500, "not within the timeout")
        assert.notInclude(JSON.stringify(error), token)
        assert.notInclude(error.message, token)
        assert.notInclude(String(error), token)
      }).pipe(Effect.provide(clientLayer(Retry.none))), 10_000)
  }

  it.live("retryable hostile answers are retried, then still end in a typed error", () =>
    Effect.gen(function*() {
      for (const name of ["status-502-empty", "html-error-page", "trickle-forever", "reset"]) {
        const started = performance.now()
        const error = yield* Effect.flip(get(name))
        const millis = performance.now() - started
        assert.include(["ServerError", "TransportError"], error._tag)
        assert.strictEqual("attempts" in error ? error.attempts : -1, 3, name)
        // 3 attempts of at most 1 s each, and two waits of at most 2 x 20 ms and 2 x 40 ms
        assert.isBelow(millis, 3 * TIMEOUT_MILLIS + 120 + 500, name)
      }
    }).pipe(Effect.provide(clientLayer(Retry.layer({ maxRetries: 2, baseDelay: 20, maxDelay: 100 })))), 20_000)

  const huge: ReadonlyArray<readonly [string, ApifyError.ApifyError["_tag"]]> = [
    ["huge-body", "DecodeError"],
    ["huge-string-data", "DecodeError"],
    ["huge-error-body", "ServerError"],
    ["huge-error-message", "ServerError"]
  ]
  for (const [name, tag] of huge) {
    it.live(`${name}: a typed error, memory bounded and released, a short message`, () =>
      Effect.gen(function*() {
        gc()
        const memory = memorySampler(2)
        const started = performance.now()
        // only the error's tag and message leave this scope, so the body can be collected
        const { errorTag, messageLength } = yield* Effect.map(
          Effect.flip(get(name)),
          (e) => ({ errorTag: e._tag, messageLength: e.message.length })
        )
        const millis = performance.now() - started
        const peak = memory.stop()
        yield* Effect.sleep(50)
        gc()
        const heapAfter = process.memoryUsage().heapUsed
        figures[name] = {
          error: errorTag,
          millis: Math.round(millis),
          messageLength,
          peakRssGrowthMiB: mib(peak.rssGrowth),
          peakHeapGrowthMiB: mib(peak.heapGrowth),
          heapLeftAfterGcMiB: mib(heapAfter - peak.startHeap),
          maxRssMiB: mib(process.resourceUsage().maxRSS * 1024)
        }
        assert.strictEqual(errorTag, tag)
        assert.isBelow(millis, HUGE_TIMEOUT_MILLIS)
        assert.isBelow(messageLength, 2000, "the error message is not bounded")
        // An answer that declares a length over maxAnswerBytes (32 MiB) is not read; one
        // without a Content-Length is read whole: the bound is then a multiple of the body
        // (about 2x), and it is all released afterwards.
        assert.isBelow(peak.rssGrowth, 8 * HUGE_BYTES)
        assert.isBelow(heapAfter - peak.startHeap, 16 * 1024 * 1024, "memory not released")
      }).pipe(Effect.provide(clientLayer(Retry.none, HUGE_TIMEOUT_MILLIS))), 60_000)
  }

  it.live("an error keeps no reference to a huge answer", () =>
    Effect.gen(function*() {
      gc()
      const before = process.memoryUsage().heapUsed
      const errors = [yield* Effect.flip(get("huge-error-body")), yield* Effect.flip(get("huge-error-message"))]
      yield* Effect.sleep(50)
      gc()
      const held = process.memoryUsage().heapUsed - before
      figures.heapHeldByTwoErrorsMiB = mib(held)
      assert.strictEqual(errors.length, 2)
      assert.isBelow(held, 16 * 1024 * 1024, "the errors keep the answer bodies alive")
    }).pipe(Effect.provide(clientLayer(Retry.none, HUGE_TIMEOUT_MILLIS))), 60_000)

  it.live("nothing is left open: no socket, no timer", () =>
    Effect.gen(function*() {
      // the server and vitest hold their own handles: compare with a fresh baseline after a
      // round of requests that all ended
      const before = activeResources()
      for (const name of ["trickle-forever", "no-headers", "truncated-length", "reset"]) {
        yield* Effect.flip(get(name))
      }
      // 6 s: after two streamed answers cut by the timeout, undici keeps one idle pooled
      // connection until its keep-alive timeout (4 s) closes it
      const added = yield* settleResources(before, 6000)
      figures.resourcesLeft = added
      assert.deepStrictEqual(added, {})
      writeFigures("hostile-answers", figures)
    }).pipe(Effect.provide(clientLayer(Retry.none))), 20_000)
})
