/**
 * Hostile world (issue 11): base URLs and numeric options the client cannot work with are
 * refused before anything is sent, with a typed error that is not retried, the same on the
 * three transports the docs name. A base URL with a query or fragment swallowed the request's
 * path (`.../ok#` sent `DELETE /ok`); userinfo was repeated in error messages; `file:`,
 * `javascript:` and `data:` crashed `NodeHttpClient.layer` with an untyped TypeError and were
 * retried 7 times on undici and fetch; `timeout: NaN` timed every attempt out at once and
 * `maxAnswerBytes: NaN` removed the cap.
 */
import { ActorVersions, Apify, type ApifyClient, Retry, UndiciHttpClient } from "@effect-apify/api"
import { ActorId, VersionNumber } from "@effect-apify/domain"
import { NodeHttpClient } from "@effect/platform-node"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { listenLoopback, type LoopbackServer } from "./harness.js"

let server: LoopbackServer
let requests = 0
beforeAll(async () => {
  server = await listenLoopback((_req, res) => {
    requests++
    res.writeHead(200, { "content-type": "application/json" })
    res.end(
      JSON.stringify({ data: { versionNumber: "0.1", sourceType: "GIT_REPO", gitRepoUrl: "https://github.com/a/b" } })
    )
  })
})
afterAll(() => server.close())

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["UndiciHttpClient.layer", UndiciHttpClient.layer],
  ["NodeHttpClient.layer", NodeHttpClient.layer],
  ["FetchHttpClient.layer", FetchHttpClient.layer]
]

const get = (
  options: ApifyClient.Options,
  transport: Layer.Layer<HttpClient.HttpClient>,
  retry: Layer.Layer<Retry.Retry> = Retry.layer({ maxRetries: 6, baseDelay: 1, maxDelay: 2 })
) =>
  ActorVersions.ActorVersions.pipe(
    Effect.flatMap((versions) => versions.get(ActorId.make("me~actor"), VersionNumber.VersionNumber.make("0.1"))),
    Effect.provide(
      Apify.layer({ token: Redacted.make("apify_api_options_test_token"), ...options }).pipe(
        Layer.provide(retry),
        Layer.provide(transport)
      )
    )
  )

const PASSWORD = "pa55w0rd-hunter2"

describe("hostile world: base URLs the client cannot send to", () => {
  const bad = (port: string) =>
    [
      ["a fragment", `${port}/ok#`, "fragment"],
      ["a fragment with text", `${port}/ok#x`, "fragment"],
      ["a query", `${port}/ok?a=1`, "query"],
      ["an empty query", `${port}/ok?`, "query"],
      ["userinfo", port.replace("http://", `http://user:${PASSWORD}@`), "user name or password"],
      ["a user name", port.replace("http://", `http://${PASSWORD}@`), "user name or password"],
      ["file:", "file:///etc/passwd", "\"file:\""],
      ["javascript:", "javascript:alert(1)", "\"javascript:\""],
      ["data:", "data:text/plain,hello", "\"data:\""],
      ["ftp:", "ftp://127.0.0.1/", "\"ftp:\""],
      ["not a URL", "not a url", "not an absolute URL"],
      ["a relative path", "/v2", "not an absolute URL"]
    ] as const

  for (const [name, transport] of transports) {
    it.live(`${name}: refused unsent, typed, not retried, the password never shown`, () =>
      Effect.gen(function*() {
        for (const [what, baseUrl, says] of bad(server.url)) {
          const before = requests
          const error = yield* Effect.flip(get({ baseUrl }, transport))
          assert.strictEqual(error._tag, "TransportError", what)
          if (error._tag !== "TransportError") continue
          assert.strictEqual(error.reason, "InvalidUrl", what)
          assert.strictEqual(error.attempts, 0, what)
          assert.include(error.message, says, what)
          assert.notInclude(`${error.message}\n${String(error)}\n${JSON.stringify(error)}`, PASSWORD, what)
          assert.strictEqual(requests, before, `${what}: nothing sent`)
        }
        // and a good one still works
        const version = yield* get({ baseUrl: `${server.url}/` }, transport)
        assert.strictEqual(version.versionNumber, "0.1")
      }))
  }
})

describe("hostile world: numeric options out of range", () => {
  const cases: ReadonlyArray<readonly [string, ApifyClient.Options, string]> = [
    ["timeout NaN", { timeout: Number.NaN }, "timeout"],
    ["timeout -1", { timeout: -1 }, "timeout"],
    ["timeout 0", { timeout: 0 }, "timeout"],
    ["timeout Infinity", { timeout: Number.POSITIVE_INFINITY }, "timeout"],
    ["timeout unreadable", { timeout: "10 secondz" as never }, "timeout"],
    ["timeout 1e308", { timeout: 1e308 }, "timeout"],
    ["maxAnswerBytes NaN", { maxAnswerBytes: Number.NaN }, "maxAnswerBytes"],
    ["maxAnswerBytes 0", { maxAnswerBytes: 0 }, "maxAnswerBytes"],
    ["maxAnswerBytes -1", { maxAnswerBytes: -1 }, "maxAnswerBytes"],
    ["maxAnswerBytes 1.5", { maxAnswerBytes: 1.5 }, "maxAnswerBytes"],
    ["maxAnswerBytes Infinity", { maxAnswerBytes: Number.POSITIVE_INFINITY }, "maxAnswerBytes"],
    ["maxAnswerBytes 1 TiB", { maxAnswerBytes: 2 ** 40 }, "maxAnswerBytes"],
    ["compression.level 99", { compression: { level: 99 } }, "compression.level"],
    ["compression.level NaN", { compression: { level: Number.NaN } }, "compression.level"],
    ["compression.threshold NaN", { compression: { threshold: Number.NaN } }, "compression.threshold"],
    ["compression.encoding zstd", { compression: { encoding: "zstd" as never } }, "compression.encoding"]
  ]
  const retryCases: ReadonlyArray<readonly [string, Retry.Options, string]> = [
    ["maxRetries NaN", { maxRetries: Number.NaN }, "maxRetries"],
    ["maxRetries -1", { maxRetries: -1 }, "maxRetries"],
    ["maxRetries Infinity", { maxRetries: Number.POSITIVE_INFINITY }, "maxRetries"],
    ["maxRetries 1e6", { maxRetries: 1e6 }, "maxRetries"],
    ["maxElapsed NaN", { maxElapsed: Number.NaN }, "maxElapsed"],
    ["baseDelay -5", { baseDelay: -5 }, "baseDelay"],
    ["maxDelay Infinity", { maxDelay: Number.POSITIVE_INFINITY }, "maxDelay"]
  ]

  for (const [name, transport] of transports) {
    it.live(`${name}: every bad number is InvalidRequest naming the option, unsent`, () =>
      Effect.gen(function*() {
        const before = requests
        for (const [what, options, option] of cases) {
          const error = yield* Effect.flip(get({ baseUrl: server.url, ...options }, transport))
          assert.strictEqual(error._tag, "InvalidRequest", what)
          assert.include(error.message, `option ${option} `, what)
        }
        for (const [what, options, option] of retryCases) {
          const error = yield* Effect.flip(get({ baseUrl: server.url }, transport, Retry.layer(options)))
          assert.strictEqual(error._tag, "InvalidRequest", what)
          assert.include(error.message, `option ${option} `, what)
        }
        assert.strictEqual(requests, before, "nothing sent")
        const version = yield* get({ baseUrl: server.url, timeout: "5 seconds", maxAnswerBytes: 1024 }, transport)
        assert.strictEqual(version.versionNumber, "0.1")
      }))
  }
})
