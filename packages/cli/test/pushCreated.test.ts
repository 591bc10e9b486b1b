// `versions push` says "Created" for a version that did not exist and "Updated" for one that
// did, whatever the API's PUT does with a missing version: through the built executable,
// against a scripted loopback API whose PUT creates a missing version (200), as Apify's
// appears to since apify/apify-cli#276 was "fixed on the API side", and against the emulator,
// whose PUT answers 404.
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

const home = makeHome({})
const dir = writeTree(tempDir(), { "main.js": "console.log(1)\n" })

describe("versions push against an API whose PUT creates a missing version", () => {
  const versions = new Map<string, unknown>()
  const seen: Array<string> = []
  let server: http.Server
  let env: Record<string, string>

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const parts: Array<Buffer> = []
      req.on("data", (part: Buffer) => parts.push(part))
      req.on("end", () => {
        seen.push(`${req.method} ${req.url}`)
        const match = /^\/v2\/acts\/owner~x\/versions(?:\/([\d.]+))?$/.exec(req.url ?? "")
        const answer = (status: number, body: unknown) => {
          res.writeHead(status, { "content-type": "application/json", connection: "close" })
          res.end(JSON.stringify(body))
        }
        if (match === null) return answer(404, { error: { type: "page-not-found", message: "no" } })
        const body = parts.length === 0 ? {} : JSON.parse(Buffer.concat(parts).toString("utf8"))
        const number = match[1] ?? body.versionNumber
        if (req.method === "GET") {
          const version = versions.get(number)
          return version === undefined
            ? answer(404, { error: { type: "record-not-found", message: "Actor version was not found" } })
            : answer(200, { data: version })
        }
        if (req.method === "POST" && match[1] === undefined && versions.has(number)) {
          return answer(403, { error: { type: "version-already-exists", message: "exists" } })
        }
        const version = { envVars: null, applyEnvVarsToBuild: false, ...body, versionNumber: number }
        versions.set(number, version)
        answer(req.method === "POST" && match[1] === undefined ? 201 : 200, { data: version })
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    env = { APIFY_API_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, APIFY_TOKEN: "t0ken" }
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it("the first push of a version says Created (with and without --force), the next Updated", async () => {
    const first = await cli(["versions", "push", "owner~x", dir, "--version-number", "0.1"], { env, home })
    expect(first.stdout).toMatch(/^Created version 0\.1 of owner~x: /)
    expect(first.code).toBe(0)
    const forced = await cli(["versions", "push", "owner~x", dir, "--version-number", "0.2", "--force"], { env, home })
    expect(forced.stdout).toMatch(/^Created version 0\.2 of owner~x: /)
    const again = await cli(["versions", "push", "owner~x", dir, "--version-number", "0.2", "--force"], { env, home })
    expect(again.stdout).toMatch(/^Updated version 0\.2 of owner~x: /)
    expect(seen.filter((s) => !s.startsWith("GET"))).toEqual([
      "POST /v2/acts/owner~x/versions",
      "POST /v2/acts/owner~x/versions",
      "PUT /v2/acts/owner~x/versions/0.2"
    ])
  })
})

describe("versions push against the emulator (PUT of a missing version: 404)", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  let env: Record<string, string>
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: false })
    env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
    expect((await cli(["actors", "create", "created-or-updated"], { env, home })).code).toBe(0)
  })
  afterAll(() => emulator.close())

  it("Created, then Updated; --force likewise", async () => {
    const actor = "owner~created-or-updated"
    for (const flags of [[], ["--force"]]) {
      const version = flags.length === 0 ? "0.1" : "0.2"
      const first = await cli(["versions", "push", actor, dir, "--version-number", version, ...flags], { env, home })
      expect(first.stdout).toMatch(new RegExp(`^Created version ${version.replace(".", "\\.")} `))
      const again = await cli(["versions", "push", actor, dir, "--version-number", version, "--force"], { env, home })
      expect(again.stdout).toMatch(new RegExp(`^Updated version ${version.replace(".", "\\.")} `))
    }
  })
})
