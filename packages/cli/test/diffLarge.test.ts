// `versions diff` and `versions push --plan` past the inline limit and against versions that are
// not SOURCE_FILES (found by an outside attack): a directory of any size is compared; a TARBALL
// version's zip is downloaded and its files compared (and an unchanged large push is skipped,
// unless the zip is not the record the push writes);
// a Git version is said to hold no files, in --json too; deep names cost no more than their
// length; a file given as DIR gets the usual error. Through the built executable, against the
// loopback emulator and a loopback server.
import { spawn } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import * as zlib from "node:zlib"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as VersionDiff from "../src/VersionDiff.js"
import { bin, cli, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
const home = makeHome({})
const actor = "owner~diff-large"
const run = (args: ReadonlyArray<string>, extra: Record<string, string> = {}) =>
  cli(args, { env: { ...env, ...extra }, home })
const requests = () => emulator.run(emulator.server.emulator.requestCount)

// Over the 3 MiB inline limit: pushed as a zip (TARBALL).
const largeTree = () =>
  writeTree(tempDir(), {
    "data/blob.bin": new Uint8Array(crypto.randomBytes(3_400_000)),
    "src/main.js": "console.log('large')\n",
    "src/util.js": "export {}\n"
  })

// `prefix` and 4 bytes more with the CRC-32 of `like` (CRC-32 is linear: the 4 bytes are found
// from the target register backwards, then written forwards from the prefix's register).
const sameCrc = (like: Uint8Array, prefix: Uint8Array): Buffer => {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const byTop = new Map(table.map((value, index) => [value >>> 24, index]))
  const indices: Array<number> = []
  for (let r = ~zlib.crc32(like) >>> 0, k = 0; k < 4; k++) {
    const index = byTop.get(r >>> 24)!
    indices.unshift(index)
    r = ((r ^ table[index]!) << 8) >>> 0
  }
  const tail: Array<number> = []
  let r = ~zlib.crc32(prefix) >>> 0
  for (const index of indices) {
    tail.push((r ^ index) & 0xff)
    r = ((r >>> 8) ^ table[index]!) >>> 0
  }
  return Buffer.concat([prefix, Buffer.from(tail)])
}

beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false })
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
  expect((await run(["actors", "create", "diff-large"])).code).toBe(0)
})
afterAll(() => emulator.close())

describe("versions diff and --plan of a large directory", () => {
  it("diff compares a directory over the inline limit with a SOURCE_FILES version", async () => {
    const dir = writeTree(tempDir(), { "a.txt": "A", "b.txt": "B" })
    expect((await run(["versions", "push", actor, dir, "--version-number", "0.1"])).code).toBe(0)
    writeTree(dir, { "big.bin": new Uint8Array(crypto.randomBytes(3_300_000)), "b.txt": "B2" })
    const json = await run(["versions", "diff", actor, "0.1", dir, "--json"])
    expect(json.stderr).toBe("")
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual({
      sourceType: "SOURCE_FILES",
      added: ["big.bin"],
      removed: [],
      changed: ["b.txt"],
      unchanged: 1
    })
  })

  it("a TARBALL version's zip is compared: diff, --plan, and an unchanged large push skipped", async () => {
    const dir = largeTree()
    const pushed = await run(["versions", "push", actor, dir, "--version-number", "0.2"])
    expect(pushed.stdout).toMatch(/^Created version 0\.2 .*zip/)

    const same = await run(["versions", "diff", actor, "0.2", dir, "--json"])
    expect(same.code).toBe(0)
    expect(JSON.parse(same.stdout)).toEqual({
      sourceType: "TARBALL",
      added: [],
      removed: [],
      changed: [],
      unchanged: 3
    })
    const sameText = await run(["versions", "diff", actor, "0.2", dir])
    expect(sameText.stdout).toBe(`No file differs: version 0.2 of ${actor} has the files of ${dir}.\n`)

    const before = await requests()
    const skipped = await run(["versions", "push", actor, dir, "--version-number", "0.2"])
    expect(skipped.code).toBe(0)
    expect(skipped.stdout).toBe("")
    expect(skipped.stderr).toBe(`Version 0.2 of ${actor} is unchanged: nothing sent (--force pushes anyway).\n`)
    // the version, the Actor and its source store (the zip is the record a push writes), the
    // record (its zip): no upload, no update
    expect(await requests()).toBe(before + 4)
    const noChange = await run(["versions", "push", actor, dir, "--version-number", "0.2", "--plan"])
    expect(noChange.stdout).toContain("No changes: the version is the same as the directory.")

    // An edit that keeps the size (told apart by its CRC-32, nothing inflated) is pushed.
    fs.writeFileSync(path.join(dir, "src/util.js"), "export{ }\n")
    const sameSize = await run(["versions", "push", actor, dir, "--version-number", "0.2"])
    expect(sameSize.stdout).toMatch(/^Updated version 0\.2 /)
    // One that keeps the size and the CRC-32 too (told apart by SHA-256, the zip inflated) is pushed.
    const forged = sameCrc(Buffer.from("export{ }\n"), Buffer.from("xxxxxx"))
    expect([forged.length, zlib.crc32(forged)]).toEqual([10, zlib.crc32("export{ }\n")])
    fs.writeFileSync(path.join(dir, "src/util.js"), forged)
    const sameCrc32 = await run(["versions", "push", actor, dir, "--version-number", "0.2"])
    expect(sameCrc32.stdout).toMatch(/^Updated version 0\.2 /)

    fs.writeFileSync(path.join(dir, "src/main.js"), "console.log('changed')\n")
    fs.rmSync(path.join(dir, "src/util.js"))
    writeTree(dir, { "src/new.js": "1\n" })
    const diff = await run(["versions", "diff", actor, "0.2", dir, "--json"])
    expect(JSON.parse(diff.stdout)).toEqual({
      sourceType: "TARBALL",
      added: ["src/new.js"],
      removed: ["src/util.js"],
      changed: ["src/main.js"],
      unchanged: 1
    })
    const plan = await run(["versions", "push", actor, dir, "--version-number", "0.2", "--plan", "--json"])
    expect(plan.code).toBe(0)
    const parsed = JSON.parse(plan.stdout)
    expect(parsed.unchanged).toBe(false)
    expect(parsed.files).toEqual({
      added: ["src/new.js"],
      removed: ["src/util.js"],
      changed: ["src/main.js"],
      unchanged: 1
    })
    expect(parsed.sourceType).toBeUndefined()
    const human = await run(["versions", "push", actor, dir, "--version-number", "0.2", "--plan"])
    expect(human.stdout).toMatch(/^files: +1 added, 1 removed, 1 changed, 1 unchanged$/m)
    const again = await run(["versions", "push", actor, dir, "--version-number", "0.2"])
    expect(again.stdout).toMatch(/^Updated version 0\.2 /)
  }, 60_000)

  it("a TARBALL version whose zip cannot be read: diff fails naming it; --plan says why; push pushes", async () => {
    const url = `${emulator.url}/v2/key-value-stores/nope/records/gone.zip`
    expect((await run(["versions", "create", actor, "0.3", "--tarball", url])).code).toBe(0)
    const dir = largeTree()
    const diff = await run(["versions", "diff", actor, "0.3", dir])
    expect(diff.code).toBe(2)
    expect(diff.stderr).toContain("the tarball URL")
    expect(diff.stderr).toContain("answered 404")
    const plan = await run(["versions", "push", actor, dir, "--version-number", "0.3", "--plan", "--json"])
    expect(plan.code).toBe(0)
    const parsed = JSON.parse(plan.stdout)
    expect(parsed.files).toBeUndefined()
    expect(parsed.note).toMatch(/^cannot read the version's zip: the tarball URL .* answered 404/)
    const pushed = await run(["versions", "push", actor, dir, "--version-number", "0.3"])
    expect(pushed.code).toBe(0)
    expect(pushed.stdout).toMatch(/^Updated version 0\.3 /)

    // Nothing listens on port 1: named by the tarball URL without its query (a signature).
    const unreachable = "http://127.0.0.1:1/x.zip?signature=SIGNATURE-VALUE"
    expect((await run(["versions", "create", actor, "0.5", "--tarball", unreachable])).code).toBe(0)
    const planned = await run(["versions", "push", actor, dir, "--version-number", "0.5", "--plan", "--json"])
    const note = JSON.parse(planned.stdout).note as string
    expect(note).toMatch(/^cannot read the version's zip: no answer from http:\/\/127\.0\.0\.1:1\/x\.zip \(/)
    expect(planned.stdout + planned.stderr).not.toContain("SIGNATURE-VALUE")
  }, 60_000)

  it(
    "a TARBALL version with the same files in another store or elsewhere: --plan lists where, push pushes",
    async () => {
      const dir = largeTree()
      expect((await run(["versions", "push", actor, dir, "--version-number", "0.6"])).stdout).toMatch(/^Created .*zip/)
      const written = JSON.parse((await run(["versions", "get", actor, "0.6", "--json"])).stdout).tarballUrl as string
      const auth = { authorization: `Bearer ${ownerToken}` }
      const zip = Buffer.from(await (await fetch(written, { headers: auth })).arrayBuffer())
      const actorId = JSON.parse((await run(["actors", "get", actor, "--json"])).stdout).id as string
      // The same zip in another store of the user, under the same key
      const other = await fetch(`${emulator.url}/v2/key-value-stores?name=elsewhere`, { method: "POST", headers: auth })
      const otherId = ((await other.json()) as { data: { id: string } }).data.id
      const otherUrl = `${emulator.url}/v2/key-value-stores/${otherId}/records/version-0.6.zip`
      const put = await fetch(otherUrl, {
        method: "PUT",
        headers: { ...auth, "content-type": "application/zip" },
        body: zip
      })
      expect(put.status).toBe(201)
      // and on another server, behind a signed URL
      const server = http.createServer((_, res) => {
        res.writeHead(200, { "content-type": "application/zip", "content-length": zip.length })
        res.end(zip)
      })
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
      const mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mirror/x.zip`
      try {
        for (const url of [otherUrl, `${mirror}?signature=SIGNATURE-VALUE`]) {
          expect((await run(["versions", "update", actor, "0.6", "--tarball", url])).code).toBe(0)
          const from = url.replace(/\?.*/, "")
          const plan = await run(["versions", "push", actor, dir, "--version-number", "0.6", "--plan", "--json"])
          const parsed = JSON.parse(plan.stdout)
          expect([parsed.unchanged, parsed.files, parsed.tarball]).toEqual([false, {
            added: [],
            removed: [],
            changed: [],
            unchanged: 3
          }, { from, to: { store: `actor-${actorId}-source`, key: "version-0.6.zip" } }])
          const human = await run(["versions", "push", actor, dir, "--version-number", "0.6", "--plan"])
          expect(human.stdout).toContain(
            `\ntarball:   ${from} -> record version-0.6.zip of the store actor-${actorId}-source\n`
          )
          expect(plan.stdout + plan.stderr + human.stdout + human.stderr).not.toContain("SIGNATURE-VALUE")
          const pushed = await run(["versions", "push", actor, dir, "--version-number", "0.6"])
          expect(pushed.stdout).toMatch(/^Updated version 0\.6 /)
          expect(JSON.parse((await run(["versions", "get", actor, "0.6", "--json"])).stdout).tarballUrl).toBe(written)
          const again = await run(["versions", "push", actor, dir, "--version-number", "0.6"])
          expect(again.stderr).toBe(`Version 0.6 of ${actor} is unchanged: nothing sent (--force pushes anyway).\n`)
        }
      } finally {
        server.closeAllConnections()
        await new Promise((resolve) => server.close(resolve))
      }
    },
    60_000
  )

  it("--plan creates no store: an Actor without its source store, its TARBALL version in another store", async () => {
    const dir = largeTree()
    expect((await run(["versions", "push", actor, dir, "--version-number", "0.7"])).stdout).toMatch(/^Created .*zip/)
    const written = JSON.parse((await run(["versions", "get", actor, "0.7", "--json"])).stdout).tarballUrl as string
    const auth = { authorization: `Bearer ${ownerToken}` }
    const zip = Buffer.from(await (await fetch(written, { headers: auth })).arrayBuffer())
    const fresh = "owner~no-source-store"
    expect((await run(["actors", "create", "no-source-store"])).code).toBe(0)
    const actorId = JSON.parse((await run(["actors", "get", fresh, "--json"])).stdout).id as string
    const other = await fetch(`${emulator.url}/v2/key-value-stores?name=elsewhere-7`, { method: "POST", headers: auth })
    const otherId = ((await other.json()) as { data: { id: string } }).data.id
    const url = `${emulator.url}/v2/key-value-stores/${otherId}/records/version-0.1.zip`
    const put = await fetch(url, { method: "PUT", headers: { ...auth, "content-type": "application/zip" }, body: zip })
    expect(put.status).toBe(201)
    expect((await run(["versions", "create", fresh, "0.1", "--tarball", url])).code).toBe(0)

    const seen = (await emulator.run(emulator.server.emulator.requestLog)).length
    const plan = await run(["versions", "push", fresh, dir, "--version-number", "0.1", "--plan", "--json"])
    expect(plan.code).toBe(0)
    const parsed = JSON.parse(plan.stdout)
    expect([parsed.unchanged, parsed.tarball]).toEqual([false, {
      from: url,
      to: { store: `actor-${actorId}-source`, key: "version-0.1.zip" }
    }])
    const requests = (await emulator.run(emulator.server.emulator.requestLog)).slice(seen)
    expect(requests.filter((r) => r.method !== "GET")).toEqual([])
    // the store is still missing: getting or creating it now creates it (201)
    const made = await fetch(`${emulator.url}/v2/key-value-stores?name=actor-${actorId}-source`, {
      method: "POST",
      headers: auth
    })
    expect(made.status).toBe(201)
  }, 60_000)

  it("a Git version holds no files: said so, in --json too, never as every file added", async () => {
    const repo = "https://github.com/jane/actor"
    expect((await run(["versions", "create", actor, "0.4", "--git-repo", repo])).code).toBe(0)
    const dir = writeTree(tempDir(), { "main.js": "1" })
    const json = await run(["versions", "diff", actor, "0.4", dir, "--json"])
    expect(json.code).toBe(0)
    const note = `the version is built from the Git repository ${repo}: it holds no files to compare`
    expect(JSON.parse(json.stdout)).toEqual({ sourceType: "GIT_REPO", note })
    expect((await run(["versions", "diff", actor, "0.4", dir])).stdout).toBe(`Files not compared: ${note}.\n`)
    const plan = JSON.parse(
      (await run(["versions", "push", actor, dir, "--version-number", "0.4", "--plan", "--json"])).stdout
    )
    expect([plan.files, plan.note, plan.sourceType]).toEqual([undefined, note, {
      from: "GIT_REPO",
      to: "SOURCE_FILES"
    }])
  })

  it("a file given as DIR is named as every failure is, for diff and push", async () => {
    const file = path.join(tempDir(), "not-a-dir.txt")
    fs.writeFileSync(file, "x")
    const diff = await run(["versions", "diff", actor, "0.1", file])
    expect([diff.code, diff.stderr]).toEqual([
      2,
      `Error: diff ${file} with version 0.1 of ${actor} failed: ${file} is not a directory. Hint: give the path of an Actor directory (one with .actor/actor.json).\n`
    ])
    const push = await run(["versions", "push", actor, file, "--plan"])
    expect([push.code, push.stderr]).toEqual([
      2,
      `Error: push ${file} to ${actor} failed: ${file} is not a directory. Hint: give the path of an Actor directory (one with .actor/actor.json).\n`
    ])
  })
})

// Runs the executable, killed after `limitMs`: gives its exit code, or "killed".
const runWithin = (args: ReadonlyArray<string>, extra: Record<string, string>, limitMs: number) =>
  new Promise<{ code: number | null | "killed"; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: home, ...env, ...extra },
      stdio: ["ignore", "pipe", "ignore"]
    })
    let stdout = ""
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      child.kill("SIGKILL")
    }, limitMs)
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code: killed ? "killed" : code, stdout })
    })
  })

describe("deep names", () => {
  const deepFiles = (files: number, depth: number) =>
    Array.from({ length: files }, (_, i) => ({
      _tag: "SourceCodeFile" as const,
      name: `${"a/".repeat(depth)}f${i}`,
      format: "TEXT" as const,
      content: "x"
    }))

  // Rebuilding every parent of every name took 6.5 s of CPU here (under load), and 122 s for
  // 2,000 x 2,000 through the binary.
  it("1,000 files 1,000 folders deep are compared in time linear in their length", () => {
    const deep = deepFiles(1000, 1000)
    const started = process.cpuUsage()
    const files = VersionDiff.files([], deep as never)
    const cpu = process.cpuUsage(started)
    expect(files.removed.length).toBe(1000)
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1500)
  })

  it("a version of 2,000 files 2,000 deep from a loopback server is diffed in seconds, not minutes", async () => {
    const body = JSON.stringify({
      data: { versionNumber: "0.1", sourceType: "SOURCE_FILES", buildTag: "latest", sourceFiles: deepFiles(2000, 2000) }
    })
    const server = http.createServer((_, res) => {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const dir = writeTree(tempDir(), { "a.txt": "A" })
      const result = await runWithin(
        ["versions", "diff", "owner~deep", "0.1", dir],
        { APIFY_API_BASE_URL: base },
        25_000
      )
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/1 added, 2,000 removed, 0 changed, 0 unchanged\n$/)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }, 40_000)
})
