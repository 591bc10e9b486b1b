/**
 * Hostile world (issue 11): a server that echoes what it was sent, changed. Random secret env
 * var values (quotes, backslashes, newlines, non-ASCII, 8 to 3,000 characters) and random
 * tokens go out in a create; a loopback server sends them back in a random shape (as they are,
 * JSON-escaped once or twice, ASCII-only JSON, URL-encoded, base64 at any alignment, half of
 * it, split by U+200B, the token upper-cased) in a random place (an error envelope's message
 * after padding that puts the client's cut inside the secret, its `type`, a body that is not
 * an envelope, a success answer that does not decode). Neither the secret nor the token, nor
 * any 8-character run of either, may appear in the error's message, `String(error)` or its
 * JSON.
 */
import { ActorEnvVars, Apify, Retry } from "@effect-apify/api"
import { ActorId, EnvVar, VersionNumber } from "@effect-apify/domain"
import { NodeHttpClient } from "@effect/platform-node"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { listenLoopback, type LoopbackServer, rng } from "./harness.js"

const SEED = 20261211
const CASES = 240

const alphabet = [
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  "\"",
  "\\",
  "\n",
  "\r",
  "\t",
  "'",
  "/",
  "+",
  "=",
  " ",
  "%",
  "é",
  "ß",
  "世",
  "😀",
  "\u0001"
]

const json = (text: string) => JSON.stringify(text).slice(1, -1)
const asciiJson = (text: string) =>
  json(text).replace(/[^\u0000-\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

type Shape = (secret: string, pick: (n: number) => number) => string
const shapes: Record<string, Shape> = {
  raw: (s) => s,
  json: (s) => json(s),
  jsonTwice: (s) => json(json(s)),
  asciiJson: (s) => asciiJson(s),
  url: (s) => encodeURIComponent(s),
  base64: (s) => Buffer.from(s).toString("base64"),
  base64Inside: (s, pick) =>
    Buffer.from("x".repeat(1 + pick(5)) + s + "tail").toString(pick(2) === 0 ? "base64" : "base64url"),
  firstHalf: (s) => s.slice(0, Math.ceil(s.length / 2)),
  secondHalf: (s) => s.slice(Math.floor(s.length / 2)),
  split: (s, pick) => {
    const at = 1 + pick(s.length - 1)
    return `${s.slice(0, at)}\u200b${s.slice(at)}`
  }
}
const tokenShapes: Record<string, Shape> = { ...shapes, upper: (s) => s.toUpperCase(), lower: (s) => s.toLowerCase() }

type Place = "message" | "type" | "text" | "decode"
const places: ReadonlyArray<Place> = ["message", "type", "text", "decode"]

/** What the server does with the next request: the body it sent back, from what it got. */
let answer: (secret: string, token: string) => { readonly status: number; readonly body: string } = () => ({
  status: 500,
  body: ""
})

let server: LoopbackServer
beforeAll(async () => {
  server = await listenLoopback((req, res) => {
    let text = ""
    req.setEncoding("utf8")
    req.on("data", (chunk: string) => (text += chunk))
    req.on("end", () => {
      const sent = JSON.parse(text || "{}") as { value?: string }
      const token = (req.headers.authorization ?? "").replace(/^Bearer /, "")
      const out = answer(sent.value ?? "", token)
      res.writeHead(out.status, { "content-type": "application/json" })
      res.end(out.body)
    })
  })
})
afterAll(() => server.close())

/** Whether `text` holds any 8-character run of `secret`. */
const leaks = (text: string, secret: string, ignoreCase: boolean): string | undefined => {
  const haystack = ignoreCase ? text.toLowerCase() : text
  const needle = ignoreCase ? secret.toLowerCase() : secret
  for (let i = 0; i + 8 <= needle.length; i++) {
    const run = needle.slice(i, i + 8)
    if (haystack.includes(run)) return run
  }
  return undefined
}

describe("hostile world: secrets echoed in any shape never come back", () => {
  it.live("a success answer that is not JSON, V8's message quoting its start or its fault", () =>
    Effect.gen(function*() {
      const secret = "Zq9xW2vLp0sKt7Yb"
      const token = "s3cr3tT0kenABCDEFGHIJKLMN"
      const bodies: ReadonlyArray<(sent: string, sentToken: string) => string> = [
        (sent) => sent,
        (_, sentToken) => sentToken,
        (_, sentToken) => `x${sentToken}`,
        (sent) => `{"data": {"name": "A", "value": ${sent}}}`,
        (_, sentToken) => `{"data": {"name": "A", "value": ${sentToken}, "isSecret": true}}`
      ]
      const failures: Array<string> = []
      for (const [i, body] of bodies.entries()) {
        answer = (sent, sentToken) => ({ status: 201, body: body(sent, sentToken) })
        const error = yield* ActorEnvVars.ActorEnvVars.pipe(
          Effect.flatMap((envVars) =>
            envVars.create(
              ActorId.make("me~actor"),
              VersionNumber.VersionNumber.make("0.1"),
              EnvVar.secret(EnvVar.EnvVarName.make("A"), secret)
            )
          ),
          Effect.flip,
          Effect.provide(
            Apify.layer({ baseUrl: server.url, token: Redacted.make(token), timeout: 5000 }).pipe(
              Layer.provide(Retry.layer({ maxRetries: 0 })),
              Layer.provide(NodeHttpClient.layerUndici)
            )
          )
        )
        assert.strictEqual(error._tag, "DecodeError")
        assert.include(error.message, "the body is not JSON")
        const found = leaks(error.message, secret, false) ?? leaks(error.message, token, true)
        if (found !== undefined) failures.push(`body ${i}: ${error.message}`)
      }
      assert.deepStrictEqual(failures, [])
    }))

  it.live(
    `${CASES} random secrets and tokens, echoed in random shapes and places (seed ${SEED})`,
    () =>
      Effect.gen(function*() {
        const r = rng(SEED)
        const failures: Array<string> = []
        const counts: Record<string, number> = {}
        for (let n = 0; n < CASES; n++) {
          const length = r.chance(0.3) ? 8 + r.int(24) : 8 + r.int(2993)
          let secret = ""
          while (secret.length < length) secret += r.pick(alphabet)
          const token = `apify_api_${
            Array.from({ length: 20 + r.int(30) }, () => r.pick(alphabet.slice(0, 62))).join("")
          }`
          const echoToken = r.chance(0.4)
          const shapeName = r.pick(Object.keys(echoToken ? tokenShapes : shapes))
          const place = r.pick(places)
          const padding = "p".repeat(place === "message" ? r.int(1100) : place === "text" ? r.int(260) : r.int(40))
          counts[`${echoToken ? "token" : "secret"}.${shapeName}.${place}`] = 1
          answer = (sent, sentToken) => {
            const shape = (echoToken ? tokenShapes : shapes)[shapeName]!
            const echoed = `${padding}${shape(echoToken ? sentToken : sent, r.int)} and more`
            switch (place) {
              case "message":
                return { status: 400, body: JSON.stringify({ error: { type: "invalid-input", message: echoed } }) }
              case "type":
                return { status: 403, body: JSON.stringify({ error: { type: echoed, message: "no" } }) }
              case "text":
                return { status: 400, body: `<html>${echoed}</html>` }
              case "decode":
                return { status: 201, body: JSON.stringify({ data: { name: "A", isSecret: echoed } }) }
            }
          }
          const error = yield* ActorEnvVars.ActorEnvVars.pipe(
            Effect.flatMap((envVars) =>
              envVars.create(
                ActorId.make("me~actor"),
                VersionNumber.VersionNumber.make("0.1"),
                EnvVar.secret(EnvVar.EnvVarName.make("A"), secret)
              )
            ),
            Effect.flip,
            Effect.provide(
              Apify.layer({ baseUrl: server.url, token: Redacted.make(token), timeout: 5000 }).pipe(
                Layer.provide(Retry.layer({ maxRetries: 0 })),
                Layer.provide(NodeHttpClient.layerUndici)
              )
            )
          )
          // the JSON is read back: what it says, not how JSON escapes it
          const outputs = {
            message: error.message,
            string: String(error),
            json: Object.values(JSON.parse(JSON.stringify(error)) as Record<string, unknown>).join("\n")
          }
          for (const [where, text] of Object.entries(outputs)) {
            const found = leaks(text, secret, false) ?? leaks(text, token, true)
            if (found !== undefined) {
              failures.push(
                `case ${n} (${
                  echoToken ? "token" : "secret"
                } ${shapeName} in ${place}, length ${secret.length}): ${where} holds ${JSON.stringify(found)}`
              )
            }
          }
        }
        assert.deepStrictEqual(failures.slice(0, 10), [])
        // every shape of each kind met every place at least once
        assert.isAtLeast(Object.keys(counts).length, 40)
      }),
    120_000
  )
})
