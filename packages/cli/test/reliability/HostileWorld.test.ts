/**
 * Reliability (CLI): a hostile server and careless input. Server text reaches the terminal
 * escaped, secret values typed on the command line are never echoed (also when the server
 * quotes the request body back), a token that cannot be sent is refused with exit 2, and
 * create-or-update converges when several processes race on the same name.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, startEmulator } from "../helpers.js"
import { listenLoopback, type LoopbackServer } from "./harness.js"

const token = "apify_api_HostileWorldToken_4c3b2a"
const hostileMessage = "gone\u001b]0;pwned\u0007\u001b[2J\r\u009b31m\u202eevil"
let hostile: LoopbackServer
let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>

beforeAll(async () => {
  hostile = await listenLoopback((req, res) => {
    let body = ""
    req.on("data", (chunk: Buffer) => (body += chunk.toString()))
    req.on("end", () => {
      if (req.method === "GET") {
        res.writeHead(404, { "content-type": "application/json" })
        res.end(JSON.stringify({ error: { type: "record-not-found", message: hostileMessage } }))
        return
      }
      // a 400 that quotes the request body back
      res.writeHead(400, { "content-type": "application/json" })
      res.end(JSON.stringify({ error: { type: "invalid-input", message: `cannot accept ${body}` } }))
    })
  })
  emulator = await startEmulator({ token })
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: token }
  expect((await cli(["actors", "create", "race-actor"], { env })).code).toBe(0)
  expect((await cli(["versions", "create", "owner~race-actor", "0.1", "--git-repo", "https://g/h"], { env })).code)
    .toBe(0)
}, 60_000)
afterAll(async () => {
  await hostile.close()
  await emulator.close()
})

const hostileEnv = () => ({ APIFY_API_BASE_URL: hostile.url, APIFY_TOKEN: token })

describe("reliability: hostile world through the CLI", () => {
  it("server text is escaped in human output: no ESC, BEL, CR, C1 or bidi override reaches stderr", async () => {
    const result = await cli(["versions", "get", "owner~x", "0.1", "--verbose"], { env: hostileEnv() })
    expect(result.code).toBe(4)
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/)
    expect(result.stderr).toContain("gone\\e]0;pwned\\x07\\e[2J\\r\\x9b31m\\u202eevil")
  })

  it("a 400 that quotes the request body shows no --secret-env value", async () => {
    const result = await cli(
      ["versions", "create", "owner~x", "0.1", "--git-repo", "https://g/h", "--secret-env", "API_KEY=hunter2-s3cr3t"],
      { env: hostileEnv() }
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("cannot accept")
    expect(result.stderr).toContain("<redacted>")
    expect(`${result.stdout}${result.stderr}`).not.toContain("hunter2-s3cr3t")
  })

  it("env set with a value and no NAME= never echoes it", async () => {
    const result = await cli(["env", "set", "owner~race-actor", "0.1", "s3cr3tvalue", "--secret"], { env })
    expect(result.code).toBe(2)
    expect(`${result.stdout}${result.stderr}`).not.toContain("s3cr3tvalue")
  })

  it("a token with CRLF (read from a file) is refused with exit 2, unsent, never shown", async () => {
    for (const bad of [`${token}\r\n`, `${token}\n`, `apify_api_Hostile\u00a0\u2028World`]) {
      const result = await cli(["versions", "list", "owner~race-actor"], { env: { ...env, APIFY_TOKEN: bad } })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain("the API token contains")
      expect(`${result.stdout}${result.stderr}`).not.toContain("HostileWorld")
    }
  })

  it(
    "env set converges under concurrency (6 racing processes, all exit 0); a plain create has one winner",
    async () => {
      const sets = await Promise.all(
        Array.from({ length: 6 }, (_, i) => cli(["env", "set", "owner~race-actor", "0.1", `RACE=${i}`], { env }))
      )
      expect(sets.map((r) => r.code), sets.map((r) => r.stderr).join("\n")).toEqual(sets.map(() => 0))
      const creates = await Promise.all(
        Array.from(
          { length: 6 },
          () => cli(["versions", "create", "owner~race-actor", "0.2", "--git-repo", "https://g/h"], { env })
        )
      )
      // plain create is not create-or-update: exactly one wins, the others are conflicts (exit 5)
      expect(creates.filter((r) => r.code === 0).length).toBe(1)
    },
    60_000
  )
})
