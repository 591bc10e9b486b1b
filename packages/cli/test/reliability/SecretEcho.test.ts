/**
 * Hostile world (issue 11), through the binary: `env set ... --secret` against a loopback
 * server that answers the read with 404 and echoes the secret value or the token of the write
 * in a random shape (as sent, JSON-escaped, URL-encoded, base64, half of it, split by U+200B,
 * upper-cased) in a random place (an envelope's message, its type, a body that is not an
 * envelope). No 8-character run of the secret or of the token may reach stdout or stderr,
 * in human, --json or --verbose mode.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, emptyHome } from "../helpers.js"
import { listenLoopback, type LoopbackServer, rng, runBinary } from "./harness.js"

const SEED = 20261212
const CASES = 16

const alphabet = [
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  "\"",
  "\\",
  "\n",
  "'",
  "/",
  "+",
  "=",
  " ",
  "é",
  "世",
  "😀",
  "\u001b"
]
const json = (text: string) => JSON.stringify(text).slice(1, -1)
const shapes: Record<string, (s: string) => string> = {
  raw: (s) => s,
  json,
  url: (s) => encodeURIComponent(s),
  base64: (s) => Buffer.from(s).toString("base64"),
  firstHalf: (s) => s.slice(0, Math.ceil(s.length / 2)),
  secondHalf: (s) => s.slice(Math.floor(s.length / 2)),
  split: (s) => `${s.slice(0, 9)}\u200b${s.slice(9)}`,
  upper: (s) => s.toUpperCase()
}

let echo: { readonly shape: (s: string) => string; readonly token: boolean; readonly place: string } = {
  shape: shapes.raw!,
  token: false,
  place: "message"
}
let server: LoopbackServer
beforeAll(async () => {
  server = await listenLoopback((req, res) => {
    let text = ""
    req.setEncoding("utf8")
    req.on("data", (chunk: string) => (text += chunk))
    req.on("end", () => {
      res.setHeader("content-type", "application/json")
      if (req.method === "GET") {
        res.writeHead(404)
        res.end(JSON.stringify({ error: { type: "record-not-found", message: "no such variable" } }))
        return
      }
      const sent = (JSON.parse(text || "{}") as { value?: string }).value ?? ""
      const token = (req.headers.authorization ?? "").replace(/^Bearer /, "")
      const echoed = `${"p".repeat(990)}${echo.shape(echo.token ? token : sent)}`
      res.writeHead(400)
      res.end(
        echo.place === "text" ? `<p>${echoed}` : JSON.stringify({
          error: echo.place === "type"
            ? { type: echoed, message: "refused" }
            : { type: "invalid-input", message: echoed }
        })
      )
    })
  })
})
afterAll(() => server.close())

const leaks = (text: string, secret: string, ignoreCase: boolean): string | undefined => {
  const haystack = ignoreCase ? text.toLowerCase() : text
  const needle = ignoreCase ? secret.toLowerCase() : secret
  for (let i = 0; i + 8 <= needle.length; i++) {
    if (haystack.includes(needle.slice(i, i + 8))) return needle.slice(i, i + 8)
  }
  return undefined
}

describe("hostile world: the CLI prints no secret or token a server echoed", () => {
  it(`${CASES} random secrets and tokens through env set --secret (seed ${SEED})`, async () => {
    const r = rng(SEED)
    const failures: Array<string> = []
    for (let n = 0; n < CASES; n++) {
      let secret = ""
      const length = 8 + r.int(1200)
      while (secret.length < length) secret += r.pick(alphabet)
      const token = `apify_api_${Array.from({ length: 24 + r.int(20) }, () => r.pick(alphabet.slice(0, 62))).join("")}`
      const shapeName = r.pick(Object.keys(shapes))
      echo = { shape: shapes[shapeName]!, token: r.chance(0.4), place: r.pick(["message", "type", "text"]) }
      const mode = r.pick([[], ["--json"], ["--verbose"]])
      const run = await runBinary(
        bin,
        ["env", "set", "me~actor", "0.1", `SECRET_A=${secret}`, "--secret", "--max-retries", "0", ...mode],
        { env: { APIFY_API_BASE_URL: server.url, APIFY_TOKEN: token }, home: emptyHome(), timeoutMillis: 20_000 }
      )
      const output = `${run.stdout}\n${run.stderr}`
      const found = leaks(output, secret, false) ?? leaks(output, token, true)
      if (found !== undefined || run.code !== 2) {
        failures.push(
          `case ${n} (${echo.token ? "token" : "secret"} ${shapeName} in ${echo.place}, ${
            mode.join(" ")
          }): exit ${run.code}, ${JSON.stringify(found)}`
        )
      }
    }
    expect(failures).toEqual([])
  }, 120_000)
})
