// `versions pull` of a TARBALL version whose zip is a key-value store record, through the built
// executable, as on Apify: the store is private (the record needs the token, or a signature),
// and a record read is answered with a 302 to where it is stored. Against the emulator with
// `recordRedirects`, and against two scripted loopback servers (the API, and "storage" on
// another origin) to see which of them gets the token.
import { zipSync } from "fflate"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, makeHome, ownerToken, startEmulator, strangerToken, tempDir, writeTree } from "./helpers.js"

/** Every file below `root` with its bytes, by relative path. */
const snapshot = (root: string): Record<string, string> => {
  const out: Record<string, string> = {}
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) visit(full)
      else out[path.relative(root, full)] = crypto.createHash("sha256").update(fs.readFileSync(full)).digest("hex")
    }
  }
  visit(root)
  return out
}

const home = makeHome({})

describe("versions pull of a record in a private store (emulator, answering with redirects)", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  let env: Record<string, string>
  const actor = "owner~private-pull"
  const source = writeTree(tempDir(), {
    "big.bin": crypto.randomBytes(3_300_000),
    "src/main.js": "console.log(1)\n"
  })
  let unsigned = ""

  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: false, recordRedirects: true })
    env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
    expect((await cli(["actors", "create", "private-pull"], { env, home })).code).toBe(0)
    const pushed = await cli(["versions", "push", actor, source, "--version-number", "1.0", "--json"], { env, home })
    expect(pushed.code).toBe(0)
    const url = new URL(JSON.parse(pushed.stdout).tarballUrl)
    expect(url.searchParams.get("signature")).not.toBeNull()
    // the same record without its signature, as a version made by a client that signs nothing
    unsigned = `${url.origin}${url.pathname}`
    const created = await cli(["versions", "create", actor, "1.1", "--tarball", unsigned], { env, home })
    expect(created.code).toBe(0)
  }, 60_000)
  afterAll(() => emulator.close())

  it("a pushed (signed) record URL pulls back byte for byte", async () => {
    const target = path.join(tempDir(), "signed")
    const pulled = await cli(["versions", "pull", actor, "1.0", target], { env, home })
    expect(pulled.stderr).toContain("Pulled version 1.0")
    expect(pulled.code).toBe(0)
    expect(snapshot(target)).toEqual(snapshot(source))
  }, 60_000)

  it("an unsigned record URL: the token is sent to the API, the 302 to the signed URL followed", async () => {
    const target = path.join(tempDir(), "unsigned")
    const pulled = await cli(["versions", "pull", actor, "1.1", target], { env, home })
    expect(pulled.stderr).toContain("Pulled version 1.1")
    expect(pulled.code).toBe(0)
    expect(snapshot(target)).toEqual(snapshot(source))
    const reads = (await emulator.run(emulator.server.emulator.requestLog))
      .filter((r) => r.path.includes("/records/") && r.method === "GET")
      .map((r) => r.status)
    expect(reads.slice(-2)).toEqual([302, 200])
  }, 60_000)

  it("a token that cannot read the store: the status and what to do, no token shown, nothing written", async () => {
    // another user's version naming the owner's record
    const theirs = { ...env, APIFY_TOKEN: strangerToken }
    expect((await cli(["actors", "create", "their-pull"], { env: theirs, home })).code).toBe(0)
    const created = await cli(["versions", "create", "stranger~their-pull", "0.1", "--tarball", unsigned], {
      env: theirs,
      home
    })
    expect(created.code).toBe(0)
    const outside = tempDir()
    const pulled = await cli(["versions", "pull", "stranger~their-pull", "0.1", path.join(outside, "t")], {
      env: theirs,
      home
    })
    expect(pulled.code).toBe(2)
    expect(pulled.stderr).toContain(`the tarball URL ${unsigned} answered 403`)
    expect(pulled.stderr).toContain("the record is in a private key-value store")
    expect(pulled.stderr).not.toContain(strangerToken)
    expect(fs.readdirSync(outside)).toEqual([])
  })
})

describe("versions pull when the API redirects the record to storage on another origin", () => {
  const token = "apify_api_redirect_test_token_0123"
  const zip = zipSync({
    "main.js": new TextEncoder().encode("console.log('redirected')\n"),
    "a/b.txt": new Uint8Array([1])
  })
  const seen: Array<{ readonly server: string; readonly url: string; readonly authorization: string | undefined }> = []
  const servers: Array<http.Server> = []
  let api = ""
  let storage = ""

  const listen = async (name: string, handler: (url: string, res: http.ServerResponse) => void) => {
    const server = http.createServer((req, res) => {
      seen.push({ server: name, url: req.url!, authorization: req.headers.authorization })
      res.setHeader("connection", "close")
      handler(req.url!, res)
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  beforeAll(async () => {
    storage = await listen("storage", (_, res) => {
      res.writeHead(200, { "content-type": "application/zip" })
      res.end(zip)
    })
    api = await listen("api", (url, res) => {
      if (url.startsWith("/v2/acts/")) {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({
          data: {
            versionNumber: "0.1",
            sourceType: "TARBALL",
            tarballUrl: `${api}/v2/key-value-stores/S1/records/version-0.1.zip`,
            buildTag: "latest",
            envVars: null
          }
        }))
        return
      }
      res.writeHead(302, { location: `${storage}/kv/S1/version-0.1.zip?X-Amz-Signature=abc` })
      res.end()
    })
  })
  afterAll(() => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))))

  it("follows the 302; the token goes to the API only, never to storage", async () => {
    const target = path.join(tempDir(), "t")
    const pulled = await cli(["versions", "pull", "owner~x", "0.1", target], {
      env: { APIFY_API_BASE_URL: api, APIFY_TOKEN: token },
      home
    })
    expect(pulled.stderr).toContain("Pulled version 0.1 of owner~x")
    expect(pulled.code).toBe(0)
    expect(fs.readFileSync(path.join(target, "main.js"), "utf8")).toBe("console.log('redirected')\n")
    expect(seen.map((s) => [s.server, s.url, s.authorization])).toEqual([
      ["api", "/v2/acts/owner~x/versions/0.1", `Bearer ${token}`],
      ["api", "/v2/key-value-stores/S1/records/version-0.1.zip", `Bearer ${token}`],
      ["storage", "/kv/S1/version-0.1.zip?X-Amz-Signature=abc", undefined]
    ])
  })
})
