// --json prints the API's `data` exactly as received: unknown fields, nulls and key order.
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli } from "./helpers.js"

const version = {
  versionNumber: "0.1",
  unknownField: { nested: [1, null, "x"] },
  sourceType: "GIT_REPO",
  gitRepoUrl: "https://github.com/jane/actor",
  buildTag: null,
  envVars: [{ value: "debug", name: "LOG", isSecret: false, extra: true }],
  applyEnvVarsToBuild: false
}

let server: http.Server
let url: string

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const body = req.url?.endsWith("/versions")
      ? { data: { total: 1, items: [version] } }
      : req.url?.endsWith("/versions/0.1")
      ? { data: version }
      : undefined
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" })
    res.end(JSON.stringify(body ?? { error: { type: "record-not-found", message: "not found" } }))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe("--json", () => {
  const env = () => ({ APIFY_TOKEN: "apify_api_test_token_000000000000", APIFY_API_BASE_URL: url })

  it("versions get prints the data as received", async () => {
    const result = await cli(["versions", "get", "jane~actor", "0.1", "--json"], { env: env() })
    expect(result.stderr).toBe("")
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${JSON.stringify(version, null, 2)}\n`)
  })

  it("versions list prints the items as received", async () => {
    const result = await cli(["versions", "list", "jane~actor", "--json"], { env: env() })
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${JSON.stringify([version], null, 2)}\n`)
  })

  it("the human view is built from the decoded record", async () => {
    const result = await cli(["versions", "get", "jane~actor", "0.1"], { env: env() })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("git repo:")
    expect(result.stdout).not.toContain("unknownField")
  })
})
