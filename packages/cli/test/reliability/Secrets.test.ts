/**
 * Reliability, part 4 (CLI): a recognisable token, given with --token, APIFY_TOKEN or
 * ~/.apify/auth.json, goes through every kind of outcome of the command line (success, 400,
 * 401, 403, 404, 413, 429, 5xx, dropped connections, timeouts, unreachable API, undecodable
 * answers, a proxy echoing the request's headers, local refusals), in table, --json and
 * --verbose modes: it appears in no output. Secret env var values (--secret-env, env set
 * --secret, @secret in actor.json) never appear either, --dry-run included.
 */
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, makeHome, startEmulator, tempDir, writeTree } from "../helpers.js"
import { listenLoopback, type LoopbackServer, type Run, runBinary, writeFigures } from "./harness.js"

const TOKEN = "apify_api_CLI_RELIABILITY_SECRET_TOKEN_5e1b"
const TOKEN_PART = "CLI_RELIABILITY_SECRET_TOKEN"
const SECRETS = ["cli-secret-value-ONE-8c21", "cli-secret-value-TWO-77ab", "cli-secret-value-THREE-03f9"]
const [SECRET_1, SECRET_2, SECRET_3] = SECRETS as [string, string, string]

let emulator: Awaited<ReturnType<typeof startEmulator>>
let echo: LoopbackServer
let echoUrl = ""
const home = makeHome({ secrets: { pushSecret: SECRET_3 } })
const authHome = makeHome({ auth: { token: TOKEN }, secrets: { pushSecret: SECRET_3 } })
const actorDir = writeTree(tempDir("effect-apify-secrets-"), {
  ".actor/actor.json": JSON.stringify({
    actorSpecification: 1,
    name: "secret-actor",
    version: "0.3",
    environmentVariables: { API_KEY: "@pushSecret", PLAIN: "plain-value" }
  }),
  "main.js": "console.log('hello')"
})

beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false, token: TOKEN, maxRequestBodyBytes: 64 * 1024 })
  echo = await listenLoopback((req, res) => {
    const said = `you sent ${req.method} ${req.url} with ${JSON.stringify(req.headers)}`
    if (req.url?.includes("/versions/0.1")) {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify({ data: { versionNumber: req.headers.authorization, sourceType: 42 } }))
    } else if (req.url?.includes("/versions/0.2")) {
      res.writeHead(502, { "content-type": "text/html" })
      res.end(`<html>${said}</html>`)
    } else {
      res.writeHead(403, { "content-type": "application/json" })
      res.end(JSON.stringify({ error: { type: req.headers.authorization, message: said } }))
    }
  })
  echoUrl = echo.url
})
afterAll(async () => {
  await echo.close()
  await emulator.close()
})

type TokenFrom = "flag" | "env" | "auth.json"

const runs: Array<{ readonly label: string; readonly run: Run }> = []
const cliFrom = async (label: string, args: ReadonlyArray<string>, from: TokenFrom, baseUrl = emulator.url) => {
  const env: Record<string, string> = { APIFY_API_BASE_URL: baseUrl, NO_COLOR: "1" }
  const extra: Array<string> = []
  if (from === "flag") extra.push("--token", TOKEN)
  if (from === "env") env.APIFY_TOKEN = TOKEN
  const run = await runBinary(bin, [...args, ...extra], {
    env,
    home: from === "auth.json" ? authHome : home,
    timeoutMillis: 20_000
  })
  runs.push({ label: `${label} (token from ${from})`, run })
  return run
}

const setFaults = (faults: Parameters<typeof emulator.server.emulator.setFaults>[0]) =>
  emulator.run(emulator.server.emulator.setFaults(faults))

const modes: ReadonlyArray<ReadonlyArray<string>> = [[], ["--json"], ["--verbose"], ["--json", "--verbose"]]
const froms: ReadonlyArray<TokenFrom> = ["flag", "env", "auth.json"]

describe("reliability: no token and no secret value in CLI output", () => {
  it("every outcome, every mode, every token source", async () => {
    const a = "owner~secret-actor"
    const cli = cliFrom
    expect((await cli("create Actor", ["actors", "create", "secret-actor"], "flag")).code).toBe(0)
    expect(
      (await cli("create version with a secret", [
        "versions",
        "create",
        a,
        "0.1",
        "--git-repo",
        "https://github.com/x/y",
        "--secret-env",
        `SECRET_ONE=${SECRET_1}`,
        "--env",
        "PLAIN=plain"
      ], "env")).code
    ).toBe(0)
    expect(
      (await cli("env set --secret", ["env", "set", a, "0.1", `SECRET_TWO=${SECRET_2}`, "--secret"], "auth.json")).code
    )
      .toBe(0)
    expect((await cli("push with @secret", ["versions", "push", a, actorDir], "flag")).code).toBe(0)

    // every mode with every command; the token source turns with each run
    let turn = 0
    {
      for (const mode of modes) {
        const m = mode.join(" ")
        const cli = (label: string, args: ReadonlyArray<string>, baseUrl?: string) =>
          cliFrom(label, args, froms[turn++ % froms.length]!, baseUrl)
        await cli(`push --dry-run ${m}`, ["versions", "push", a, actorDir, "--dry-run", ...mode])
        await cli(`versions get ${m}`, ["versions", "get", a, "0.1", ...mode])
        await cli(`versions list ${m}`, ["versions", "list", a, ...mode])
        await cli(`env list ${m}`, ["env", "list", a, "0.1", ...mode])
        await cli(`env get secret ${m}`, ["env", "get", a, "0.1", "SECRET_TWO", ...mode])
        await cli(`404 ${m}`, ["versions", "get", a, "9.9", ...mode])
        await cli(`403 ${m}`, ["versions", "list", "stranger~nope", ...mode])
        await cli(`env set over a secret ${m}`, ["env", "set", a, "0.1", `SECRET_TWO=${SECRET_1}`, "--secret", ...mode])
        await cli(`404 setting a secret ${m}`, [
          "env",
          "set",
          "owner~missing",
          "0.1",
          `K=${SECRET_1}`,
          "--secret",
          ...mode
        ])
        await cli(`400 from the API ${m}`, [
          "versions",
          "update",
          a,
          "0.1",
          "--git-repo",
          "https://x/y",
          "--secret-env",
          `SECRET_ONE=${SECRET_2}`,
          "--build-tag",
          "x".repeat(70_000),
          ...mode
        ])
        await cli(`local refusal ${m}`, [
          "versions",
          "create",
          a,
          "0.9",
          "--git-repo",
          " ",
          "--secret-env",
          `S=${SECRET_1}`,
          ...mode
        ])
        await cli(`malformed secret ${m}`, [
          "versions",
          "create",
          a,
          "0.9",
          "--git-repo",
          "https://x",
          "--secret-env",
          `=${SECRET_1}`,
          ...mode
        ])
        await cli(`unreachable ${m}`, ["versions", "list", a, "--max-retries", "0", ...mode], "http://127.0.0.1:9")
        await cli(`echo: DecodeError ${m}`, ["versions", "get", a, "0.1", "--max-retries", "0", ...mode], echoUrl)
        await cli(`echo: 502 ${m}`, ["versions", "get", a, "0.2", "--max-retries", "0", ...mode], echoUrl)
        await cli(`echo: 403 ${m}`, ["versions", "get", a, "0.4", "--max-retries", "0", ...mode], echoUrl)
      }
    }
    // 401: the token is not the emulator's
    for (const mode of modes) {
      const env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: `${TOKEN}-unknown`, NO_COLOR: "1" }
      const run = await runBinary(bin, ["versions", "list", "owner~secret-actor", ...mode], {
        env,
        home,
        timeoutMillis: 20_000
      })
      runs.push({ label: `401 ${mode.join(" ")}`, run })
      expect(run.code).toBe(3)
    }
    // faults, with retries
    await setFaults({ rateLimitBursts: { probability: 1, length: 100, retryAfterSeconds: 0.05 } })
    await cli("429 after retries", ["versions", "get", a, "0.1", "--max-retries", "2", "--verbose"], "env")
    await setFaults({ serverErrors: { probability: 1, status: 503 } })
    await cli("503 after retries", ["versions", "get", a, "0.1", "--max-retries", "1", "--verbose"], "flag")
    await setFaults({ dropConnections: { probability: 1 } })
    await cli("dropped", [
      "env",
      "set",
      a,
      "0.1",
      `SECRET_TWO=${SECRET_1}`,
      "--secret",
      "--max-retries",
      "1",
      "--verbose"
    ], "auth.json")
    await setFaults({ latency: { min: 2000 } })
    await cli("timeout", ["versions", "get", a, "0.1", "--timeout", "0.2", "--max-retries", "0", "--verbose"], "flag")
    await setFaults({ commitThenFail: { probability: 1, times: 1 } })
    await cli("commit then fail, recovered", [
      "env",
      "set",
      a,
      "0.1",
      `SECRET_NEW=${SECRET_1}`,
      "--secret",
      "--verbose"
    ], "env")
    await setFaults({})

    const leaks: Array<string> = []
    const codes: Record<string, number> = {}
    for (const { label, run } of runs) {
      const out = `${run.stdout}\n${run.stderr}`
      codes[String(run.code)] = (codes[String(run.code)] ?? 0) + 1
      if (out.includes(TOKEN_PART)) {
        leaks.push(
          `token in "${label}": ${out.slice(Math.max(0, out.indexOf(TOKEN_PART) - 80), out.indexOf(TOKEN_PART) + 40)}`
        )
      }
      for (const secret of SECRETS) {
        if (out.includes(secret)) {
          leaks.push(
            `secret in "${label}": ${out.slice(Math.max(0, out.indexOf(secret) - 80), out.indexOf(secret) + 30)}`
          )
        }
      }
      if (run.killed) leaks.push(`"${label}" hung`)
    }
    writeFigures("secrets-cli", { runs: runs.length, exitCodes: codes, leaks })
    expect(leaks).toEqual([])
    // the secrets are stored: the emulator has them, the output never showed them
    const snapshot = await emulator.run(emulator.server.emulator.snapshot)
    const stored = JSON.stringify(snapshot)
    expect(stored).toContain(SECRET_1)
    expect(stored).toContain(SECRET_3)
    expect(path.isAbsolute(actorDir)).toBe(true)
  }, 170_000)
})
