/**
 * A token that cannot go in an `Authorization` header (CR, LF, a control character, a character
 * outside Latin-1) is refused before anything is sent, on every transport, with a message that
 * says what is wrong and never shows the token. And a partial echo of the token (without its
 * `apify_api_` prefix) is scrubbed from errors.
 */
import { ActorVersions, Apify, Retry, UndiciHttpClient } from "@effect-apify/api"
import { ActorId, VersionNumber } from "@effect-apify/domain"
import { FetchHttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import type * as HttpClient from "@effect/platform/HttpClient"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { listenLoopback, type LoopbackServer } from "./reliability/harness.js"

const fc = FastCheck
let server: LoopbackServer
let requests = 0
beforeAll(async () => {
  server = await listenLoopback((req, res) => {
    requests++
    // a proxy that echoes the token without its prefix
    const echoed = (req.headers.authorization ?? "").replace("Bearer apify_api_", "")
    res.writeHead(500, { "content-type": "application/json" })
    res.end(JSON.stringify({ error: { type: "proxy-error", message: `bad upstream for ${echoed}` } }))
  })
})
afterAll(() => server.close())

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["UndiciHttpClient.layer", UndiciHttpClient.layer],
  ["NodeHttpClient.layer", NodeHttpClient.layer],
  ["FetchHttpClient.layer", FetchHttpClient.layer]
]

const get = (token: string, transport: Layer.Layer<HttpClient.HttpClient>) =>
  Effect.flatMap(
    ActorVersions.ActorVersions,
    (s) => s.get(ActorId.make("a~b"), VersionNumber.VersionNumber.make("0.1"))
  )
    .pipe(
      Effect.provide(ActorVersions.layer.pipe(
        Layer.provide(Apify.layer({ baseUrl: server.url, token: Redacted.make(token), timeout: 2000 })),
        Layer.provide(Retry.layer({ maxRetries: 2, baseDelay: 1, maxDelay: 2 })),
        Layer.provide(transport)
      )),
      Effect.exit
    )

// One character a header cannot carry: C0, DEL, C1, or outside Latin-1 (BMP and astral).
const badChar = fc.oneof(
  fc.integer({ min: 0, max: 0x20 }),
  fc.integer({ min: 0x7f, max: 0x9f }),
  fc.integer({ min: 0x100, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff)
).map((code) => String.fromCodePoint(code))
const body = fc.stringMatching(/^[A-Za-z0-9]{12,30}$/)

describe("token characters", () => {
  for (const [name, transport] of transports) {
    it.live(
      `${name}: CRLF, LF, NUL, é̃ and emoji in the token are refused before sending`,
      () =>
        Effect.gen(function*() {
          for (
            const token of [
              "apify_api_Secret123456\r\n",
              "apify_api_Secret\n123456",
              "apify_api_Sec\u0000ret",
              "apify_api_Secr\u0303et",
              "apify_api_🔑secret"
            ]
          ) {
            const before = requests
            const exit = yield* get(token, transport)
            assert.strictEqual(requests, before, "sent")
            assert.isTrue(Exit.isFailure(exit) && exit.cause._tag === "Fail")
            if (!Exit.isFailure(exit) || exit.cause._tag !== "Fail") return
            const error = exit.cause.error
            assert.strictEqual(error._tag, "InvalidRequest")
            assert.match(error.message, /the API token contains/)
            assert.notInclude(error.message, "Secret")
            assert.notInclude(JSON.stringify(error), "Secret")
          }
          const exit = yield* get("apify_api_Secret123456\r\n", transport)
          assert.match(Exit.isFailure(exit) ? String(exit.cause) : "", /carriage return \(CR\) at character 23 of 24/)
        }),
      20_000
    )
  }

  it.live(
    "any token with one character a header cannot carry is refused unsent; printable ones are sent (property, 200 tokens)",
    () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(body, badChar, fc.nat(40), async (secret, char, at) => {
            const chars = [...`apify_api_${secret}`]
            chars.splice(at % (chars.length + 1), 0, char)
            const before = requests
            const exit = await Effect.runPromise(get(chars.join(""), NodeHttpClient.layerUndici))
            assert.strictEqual(requests, before)
            assert.isTrue(
              Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag === "InvalidRequest"
            )
            assert.notInclude(Exit.isFailure(exit) ? JSON.stringify(exit.cause) : "", secret)
          }),
          { numRuns: 200 }
        )
      ),
    60_000
  )

  it.live(
    "a printable token is sent, and its echo without the apify_api_ prefix is scrubbed",
    () =>
      Effect.gen(function*() {
        const before = requests
        const exit = yield* get("apify_api_PartialEcho987654", NodeHttpClient.layer)
        assert.isAbove(requests, before)
        assert.isTrue(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag === "ServerError")
        const text = Exit.isFailure(exit) ? `${String(exit.cause)} ${JSON.stringify(exit.cause)}` : ""
        assert.notInclude(text, "PartialEcho987654")
        assert.include(text, "<redacted>")
      }),
    20_000
  )
})
