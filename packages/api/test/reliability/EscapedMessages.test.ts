/**
 * Hostile world (issue 11): the `message` of an error the client builds from a server's text
 * (an error envelope's message and type, a body that is not an envelope, an answer that does
 * not decode, a transport failure) holds no control or format character: ESC, NUL, C1,
 * binary bytes, zero-width and bidi characters, the soft hyphen and lone surrogates are
 * written out (`SafeText.escape`). The fields keep what was received.
 */
import { ActorVersions, Apify, Retry } from "@effect-apify/api"
import { ActorId, SafeText, VersionNumber } from "@effect-apify/domain"
import { NodeHttpClient } from "@effect/platform-node"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { listenLoopback, type LoopbackServer } from "./harness.js"

const hostile = "x\u001b]0;pwned\u0007\u001b[2J\r\n\u0000\u009b31m\u202eevil\u200bzw\u00adsh\ud800lone\u2060\u{e0041}"

const answers: Record<string, { readonly status: number; readonly body: string | Buffer }> = {
  message: { status: 404, body: JSON.stringify({ error: { type: "record-not-found", message: hostile } }) },
  type: { status: 403, body: JSON.stringify({ error: { type: hostile, message: "no" } }) },
  text: { status: 400, body: Buffer.concat([Buffer.from(`<p>${hostile}`), Buffer.from([0xff, 0xfe, 0x00, 0x1b])]) },
  decode: { status: 200, body: JSON.stringify({ data: { versionNumber: hostile, sourceType: "GIT_REPO" } }) },
  binary: { status: 200, body: Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x00, 0xff]) }
}

let server: LoopbackServer
beforeAll(async () => {
  server = await listenLoopback((req, res) => {
    const answer = answers[(req.url ?? "").split("/")[3]!.split("~")[1]!]!
    res.writeHead(answer.status, { "content-type": "application/json" })
    res.end(answer.body)
  })
})
afterAll(() => server.close())

describe("hostile world: error messages are escaped", () => {
  it.live("no control or format character from the server reaches an error's message", () =>
    Effect.gen(function*() {
      const versions = yield* ActorVersions.ActorVersions
      for (const kind of Object.keys(answers)) {
        const error = yield* Effect.flip(
          versions.get(ActorId.make(`me~${kind}`), VersionNumber.VersionNumber.make("0.1"))
        )
        assert.isTrue(SafeText.isSafe(error.message), `${kind}: ${JSON.stringify(error.message)}`)
        assert.isTrue(SafeText.isSafe(String(error)), `${kind}: String(error)`)
        if (kind === "message" && "apifyMessage" in error) {
          assert.strictEqual(error.apifyMessage, hostile)
          assert.include(
            error.message,
            "x\\e]0;pwned\\x07\\e[2J\\r\\n\\x00\\x9b31m\\u202eevil\\u200bzw\\xadsh\\ud800lone"
          )
        }
      }
    }).pipe(
      Effect.provide(
        Apify.layer({ baseUrl: server.url }).pipe(
          Layer.provide(Retry.layer({ maxRetries: 0 })),
          Layer.provide(NodeHttpClient.layerUndici)
        )
      )
    ))
})
