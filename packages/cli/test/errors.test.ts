// End to end: authentication, every error kind and its exit code, and that the token and
// secret values are never printed.
import { ApifyError } from "@effect-apify/api"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import * as Report from "../src/Report.js"
import { cli, makeHome, startEmulator, strangerToken, tempDir, writeTree } from "./helpers.js"

const token = "apify_api_VerySecretToken_9f8e7d"
let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
const actor = "owner~err-actor"
const outputs: Array<string> = []

const run = async (args: ReadonlyArray<string>, extraEnv: Record<string, string> = {}) => {
  const result = await cli(args, { env: { ...env, ...extraEnv } })
  outputs.push(result.stdout, result.stderr)
  return result
}

beforeAll(async () => {
  emulator = await startEmulator({ token, maxRequestBodyBytes: 4000 })
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: token }
  expect((await run(["actors", "create", "err-actor"])).code).toBe(0)
  expect((await run(["versions", "create", actor, "0.1", "--git-repo", "https://g/h"])).code).toBe(0)
})
afterAll(() => emulator.close())
afterEach(() => emulator.run(emulator.server.emulator.setFaults({})))

describe("authentication", () => {
  it("without a token: exit 3 and how to give one", async () => {
    const result = await cli(["versions", "list", actor], { env: { APIFY_API_BASE_URL: emulator.url } })
    expect(result.code).toBe(3)
    expect(result.stdout).toBe("")
    expect(result.stderr).toMatch(
      /^Error: list versions of owner~err-actor failed: .+ Hint: no token was given; give a token with --token, the APIFY_TOKEN environment variable, or the "token" field of ~\/\.apify\/auth\.json/
    )
    expect(result.stderr.split("\n").length).toBe(2) // one line
  })

  it("a refused token says where it came from", async () => {
    const result = await run(["versions", "list", actor, "--token", "wrong-token"])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain("the token from --token was refused")
    const fromFile = await cli(["versions", "list", actor], {
      env: { APIFY_API_BASE_URL: emulator.url },
      home: makeHome({ auth: { token: "stale" } })
    })
    expect(fromFile.code).toBe(3)
    expect(fromFile.stderr).toContain("the token from ~/.apify/auth.json was refused")
  })

  it("--token wins over APIFY_TOKEN, which wins over auth.json", async () => {
    const flag = await run(["versions", "list", actor, "--token", token], { APIFY_TOKEN: "wrong" })
    expect(flag.code).toBe(0)
    const fromEnv = await cli(["versions", "list", actor], {
      env,
      home: makeHome({ auth: { token: "wrong" } })
    })
    expect(fromEnv.code).toBe(0)
  })

  it("another user's Actor: exit 3 (permission)", async () => {
    const result = await run(["versions", "get", actor, "0.1", "--token", strangerToken])
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(/Hint: the token's user may not do this to this Actor/)
  })
})

describe("failures", () => {
  it("rate limited after all retries: exit 6", async () => {
    await emulator.run(emulator.server.emulator.setFaults({ rateLimitBursts: { probability: 1, length: 100 } }))
    const result = await run(["versions", "list", actor, "--max-retries", "1"])
    expect(result.code).toBe(6)
    expect(result.stderr).toMatch(
      /^Error: list versions of owner~err-actor failed: rate limited by the API \(2 attempts\)\. Hint: wait a moment/
    )
  })

  it("rate limited with a Retry-After past the retries' budget: the hint names the wait asked for", async () => {
    await emulator.run(
      emulator.server.emulator.setFaults({ rateLimitBursts: { probability: 1, length: 100, retryAfterSeconds: 3600 } })
    )
    const result = await run(["versions", "list", actor])
    expect(result.code).toBe(6)
    expect(result.stderr).toMatch(/ Hint: the API asked to wait 3600 s; try again after that\.\n$/)
    expect(result.stderr).not.toContain("wait a moment")
  })

  it("server error: exit 1", async () => {
    await emulator.run(emulator.server.emulator.setFaults({ serverErrors: { probability: 1, status: 503 } }))
    const result = await run(["versions", "get", actor, "0.1", "--max-retries", "0", "--verbose"])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/failed: the API failed with status 503/)
    expect(result.stderr).toContain("  request: GET /v2/acts/owner~err-actor/versions/0.1 -> 503")
  })

  it("a retried request succeeds", async () => {
    await emulator.run(emulator.server.emulator.setFaults({ serverErrors: { probability: 1, status: 500, times: 1 } }))
    const result = await run(["versions", "get", actor, "0.1", "--json"])
    expect(result.stderr).toBe("")
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).versionNumber).toBe("0.1")
  })

  it("timeout: exit 1", async () => {
    await emulator.run(emulator.server.emulator.setFaults({ latency: { probability: 1, min: "3 seconds" } }))
    const result = await run(["versions", "get", actor, "0.1", "--timeout", "0.3", "--max-retries", "0"])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/failed: no answer in time .+ Hint: the API did not answer in time; raise --timeout/)
  })

  it("unreachable API: exit 1", async () => {
    const result = await run(["versions", "list", actor, "--base-url", "http://127.0.0.1:1", "--max-retries", "0"])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^Error: list versions of owner~err-actor failed: cannot reach the API/)
    expect(result.stderr).toContain("Hint: check the network and the base URL http://127.0.0.1:1 (from --base-url)")
  })

  it.each([
    ["connection refused", "http://127.0.0.1:1", "ECONNREFUSED"],
    ["no such host", "http://no-such-host.invalid", "ENOTFOUND"]
  ])("%s fails at the first attempt, default retries, naming the base URL's source", async (_, url, code) => {
    const result = await run(["versions", "list", actor, "--verbose"], { APIFY_API_BASE_URL: url })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(code)
    expect(result.stderr).toContain(`the base URL ${url} (from APIFY_API_BASE_URL)`)
    expect(result.stderr).toContain("(1 attempt)")
  })

  it("body over the API's limit (413): exit 2 with the sizes", async () => {
    const dir = writeTree(tempDir(), { "big.txt": "z".repeat(6000) })
    const result = await run(["versions", "create", actor, "0.2", "--source-dir", dir, "--verbose"])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^Error: create version 0\.2 of owner~err-actor failed: the request body was [\d,]+ bytes, over the limit of 4,000 bytes\. Hint: send fewer or smaller files/
    )
    expect(result.stderr).toContain("apify error type: request-too-large")
  })

  it("usage errors: exit 2", async () => {
    expect((await run(["versions", "frobnicate"])).code).toBe(2)
    expect((await run(["versions", "get", actor])).code).toBe(2)
    expect((await run(["versions", "list", actor, "--max-retries", "many"])).code).toBe(2)
  })
})

describe("exit codes by error", () => {
  const fields = { apifyMessage: "m", method: "GET", path: "/v2/acts/x", attempts: 1 }
  it.each(
    [
      [new ApifyError.BadRequest({ ...fields, status: 400, type: "invalid-input" }), 2],
      [new ApifyError.BadRequest({ ...fields, status: 400, type: "actor-name-not-unique" }), 5],
      [new ApifyError.Unauthorized({ ...fields, status: 401, type: "token-not-valid" }), 3],
      [new ApifyError.Forbidden({ ...fields, status: 403, type: "permission-denied" }), 3],
      [new ApifyError.Forbidden({ ...fields, status: 403, type: "version-already-exists" }), 5],
      [new ApifyError.Forbidden({ ...fields, status: 403, type: "env-var-already-exists" }), 5],
      [new ApifyError.Forbidden({ ...fields, status: 403, type: "too-few-versions" }), 5],
      [new ApifyError.Forbidden({ ...fields, status: 403, type: "cannot-rename-env-var" }), 5],
      [new ApifyError.NotFound({ ...fields, status: 404, type: "record-not-found" }), 4],
      [new ApifyError.MethodNotAllowed({ ...fields, status: 405, type: "method-not-allowed" }), 1],
      [new ApifyError.PayloadTooLarge({ ...fields, status: 413, type: "request-too-large" }), 2],
      [new ApifyError.UnsupportedMediaType({ ...fields, status: 415, type: "unsupported-content-encoding" }), 2],
      [new ApifyError.RateLimited({ ...fields, status: 429, type: "rate-limit-exceeded" }), 6],
      [new ApifyError.ServerError({ ...fields, status: 500, type: "server-error" }), 1],
      [
        new ApifyError.TransportError({
          reason: "Transport",
          detail: "ECONNRESET",
          method: "GET",
          path: "/",
          attempts: 3
        }),
        1
      ],
      [new ApifyError.DecodeError({ status: 200, detail: "x", method: "GET", path: "/", attempts: 1 }), 1],
      [new ApifyError.InvalidRequest({ detail: "versionNumber: bad", method: "POST", path: "/" }), 2]
    ] as const
  )("%s -> %i", (error, code) => {
    const report = Report.apiError(error, { what: "do it", verbose: false })
    expect(report.exitCode).toBe(code)
    expect(report.lines).toHaveLength(1)
    expect(report.lines[0]).toMatch(/^Error: do it failed: .+ Hint: .+[.?]$/)
  })

  it("415 and 413 wording", () => {
    const tooLarge = Report.apiError(
      new ApifyError.PayloadTooLarge({
        ...fields,
        status: 413,
        type: "request-too-large",
        apifyMessage: "The POST payload is too large (limit: 9437184 bytes, actual length: 9500000 bytes)."
      }),
      { what: "push", verbose: false }
    )
    expect(tooLarge.lines[0]).toContain("the request body was 9,500,000 bytes, over the limit of 9,437,184 bytes")
  })
})

describe("secrets and the token are never printed", () => {
  it("in any mode, --verbose and --json included", async () => {
    const secret = "PLAINTEXT-SECRET-4242"
    const home = makeHome({ secrets: { key: secret } })
    const dir = writeTree(tempDir(), {
      ".actor/actor.json": JSON.stringify({ version: "0.3", environmentVariables: { KEY: "@key", A: "b" } }),
      "main.js": "1"
    })
    const withHome = (args: ReadonlyArray<string>) =>
      cli(args, { env, home }).then((r) => {
        outputs.push(r.stdout, r.stderr)
        return r
      })
    expect((await withHome(["versions", "push", actor, dir, "--verbose"])).code).toBe(0)
    expect((await withHome(["versions", "push", actor, dir, "--dry-run", "--verbose"])).stdout).toContain(
      "KEY=********"
    )
    expect((await withHome(["versions", "push", actor, dir, "--dry-run", "--json"])).stdout).toContain("********")
    expect((await withHome(["versions", "get", actor, "0.3", "--verbose"])).code).toBe(0)
    expect((await withHome(["versions", "get", actor, "0.3", "--json"])).code).toBe(0)
    expect((await withHome(["env", "set", actor, "0.3", `OTHER=${secret}`, "--secret", "--verbose", "--json"])).code)
      .toBe(0)
    expect((await withHome(["env", "list", actor, "0.3", "--verbose"])).code).toBe(0)
    expect((await withHome(["env", "get", actor, "0.3", "OTHER", "--json"])).code).toBe(0)
    expect((await withHome(["env", "set", actor, "9.9", `X=${secret}`, "--secret", "--verbose"])).code).toBe(4)
    await withHome(["versions", "create", actor, "0.1", "--tarball", "u", "--secret-env", `S=${secret}`, "--verbose"])
    expect((await withHome(["versions", "create", actor, "0.5", "--tarball", "u", "--secret-env", secret])).code).toBe(
      2
    )
    const all = outputs.join("\n")
    expect(all.length).toBeGreaterThan(1000)
    expect(all).not.toContain(secret)
    expect(all).not.toContain(token)
    expect(JSON.stringify(await emulator.run(emulator.server.emulator.snapshot))).toContain(secret)
  })
})
