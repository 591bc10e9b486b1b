// `versions pull` leaves nothing half-written, through the built executable against the
// loopback emulator (and a loopback server for zips). A write that fails mid-way (a file over
// the process's file size limit, `ulimit -f`: EFBIG, as a full disk fails with ENOSPC)
// removes the staging directory of a new DIR, and the temporary files and new folders of an
// existing one, whose files stay as they were; so does a zip entry that fails its CRC-32 after
// others were written. Ctrl-C while the zip downloads slowly, or while the files are written,
// ends with 130 and leaves nothing either.
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { tempPrefix } from "../src/PullSteps.js"
import { bin, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"
import { buildZip } from "./zipBytes.js"

/** Every folder (ending in /) and file below `root`, with the files' text. */
const snapshot = (root: string): Record<string, string> => {
  const out: Record<string, string> = {}
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        out[`${path.relative(root, full)}/`] = ""
        visit(full)
      } else out[path.relative(root, full)] = fs.readFileSync(full, "utf8")
    }
  }
  visit(root)
  return out
}

interface Run {
  readonly code: number | null
  readonly stderr: string
  readonly millis: number
}

describe("versions pull leaves nothing half-written", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  let env: Record<string, string>
  let server: http.Server
  let baseUrl: string
  let served: Uint8Array = new Uint8Array(0)
  /** Called when the slow download has sent its first bytes; whether its socket was closed. */
  let slowStarted: () => void = () => {}
  let slowClosed = false
  const home = makeHome({})
  const actor = "owner~pull-atomic"
  let next = 0

  /** The built binary, with a file size limit in `ulimit -f` blocks when given. */
  const run = (
    args: ReadonlyArray<string>,
    options: { readonly fileSizeBlocks?: number; readonly onChild?: (child: ChildProcess) => void } = {}
  ) =>
    new Promise<Run>((resolve, reject) => {
      const started = performance.now()
      const command = options.fileSizeBlocks === undefined
        ? [process.execPath, bin, ...args]
        : ["/bin/sh", "-c", `ulimit -f ${options.fileSizeBlocks} && exec "$@"`, "sh", process.execPath, bin, ...args]
      const child = spawn(command[0]!, command.slice(1), {
        env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
        stdio: ["ignore", "ignore", "pipe"]
      })
      options.onChild?.(child)
      let stderr = ""
      child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
      child.on("error", reject)
      child.on("close", (code) => resolve({ code, stderr, millis: performance.now() - started }))
    })

  /** A new version of `source`; its number. */
  const create = async (source: Record<string, unknown>): Promise<string> => {
    const versionNumber = `1.${next++}`
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = http.request(`${emulator.url}/v2/acts/${actor}/versions`, {
        method: "POST",
        agent: false,
        headers: { authorization: `Bearer ${ownerToken}`, "content-type": "application/json" }
      }, (response) => {
        response.resume()
        response.on("end", () => resolve(response.statusCode))
      })
      request.on("error", reject)
      request.end(JSON.stringify({ versionNumber, ...source }))
    })
    expect(status).toBe(201)
    return versionNumber
  }
  const zipVersion = (zip: Uint8Array, file = "v.zip") => {
    served = zip
    return create({ sourceType: "TARBALL", tarballUrl: `${baseUrl}/${file}` })
  }
  /** SIGINT once `appeared` sees something written, polling every 5 ms. */
  const interruptWhen = (appeared: () => boolean) => (child: ChildProcess) => {
    const timer = setInterval(() => {
      if (!appeared()) return
      clearInterval(timer)
      child.kill("SIGINT")
    }, 5)
    child.on("close", () => clearInterval(timer))
  }

  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: false })
    env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
    expect((await run(["actors", "create", "pull-atomic"])).code).toBe(0)
    server = http.createServer((req, res) => {
      if (req.url !== "/slow.zip") {
        res.writeHead(200, { "content-type": "application/zip", connection: "close" })
        return res.end(served)
      }
      // 8 MB announced, 16 KiB every 50 ms: some 25 s if let run.
      res.writeHead(200, { "content-type": "application/zip", "content-length": String(8_000_000) })
      const timer = setInterval(() => res.write(Buffer.alloc(16 * 1024, 7)), 50)
      res.write(Buffer.alloc(16 * 1024, 7), () => slowStarted())
      res.on("close", () => {
        clearInterval(timer)
        slowClosed = true
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await emulator.close()
  })

  const withBigFile = [
    { name: "a.txt", format: "TEXT", content: "new a" },
    { name: "fresh/n.txt", format: "TEXT", content: "new n" },
    { name: "src/big.txt", format: "TEXT", content: "x".repeat(300_000) },
    { name: "z.txt", format: "TEXT", content: "new z" }
  ]
  const efbig = "the file \"src/big.txt\" cannot be written: the file is over the size limit of the system or process"

  it("a write failing mid-way into a new DIR (and new parents) leaves nothing, no staging directory", async () => {
    const version = await create({ sourceType: "SOURCE_FILES", sourceFiles: withBigFile })
    const outside = tempDir()
    const result = await run(["versions", "pull", actor, version, path.join(outside, "made", "inner")], {
      fileSizeBlocks: 128
    })
    expect(result.stderr).toContain(efbig)
    expect(result.stderr).toContain("nothing was written")
    expect(result.code).toBe(2)
    expect(fs.readdirSync(outside)).toEqual([])
  })

  it("a write failing mid-way into an existing DIR keeps its files as they were, with or without --force", async () => {
    const version = await create({ sourceType: "SOURCE_FILES", sourceFiles: withBigFile })
    for (const force of [true, false]) {
      const before = force ? { "a.txt": "mine", "keep.txt": "keep", "src/old.txt": "old" } : { "keep.txt": "keep" }
      const target = writeTree(tempDir(), before)
      const result = await run(["versions", "pull", actor, version, target, ...(force ? ["--force"] : [])], {
        fileSizeBlocks: 128
      })
      expect(result.stderr).toContain(efbig)
      expect(result.code).toBe(2)
      expect(snapshot(target)).toEqual(snapshot(writeTree(tempDir(), before)))
    }
  })

  it("a zip entry failing its CRC-32 after others were written leaves nothing, in a new or an existing DIR", async () => {
    const version = await zipVersion(buildZip([
      { name: "a.txt", data: Buffer.from("alpha") },
      { name: "src/b.txt", data: Buffer.from("beta".repeat(1000)), method: 8 },
      { name: "z.txt", data: Buffer.from("zeta"), crc: 1 }
    ]))
    const outside = tempDir()
    const fresh = await run(["versions", "pull", actor, version, path.join(outside, "inner")])
    expect(fresh.stderr).toContain("the zip entry \"z.txt\" does not inflate to its declared size and CRC")
    expect(fresh.code).toBe(2)
    expect(fs.readdirSync(outside)).toEqual([])
    const target = writeTree(tempDir(), { "keep.txt": "keep" })
    const existing = await run(["versions", "pull", actor, version, target])
    expect(existing.code).toBe(2)
    expect(snapshot(target)).toEqual({ "keep.txt": "keep" })
  })

  it("Ctrl-C while the zip downloads slowly: 130 at once, nothing written, the download stopped", async () => {
    const version = await create({ sourceType: "TARBALL", tarballUrl: `${baseUrl}/slow.zip` })
    const outside = tempDir()
    const started = new Promise<void>((resolve) => (slowStarted = resolve))
    slowClosed = false
    const result = await run(["versions", "pull", actor, version, path.join(outside, "inner")], {
      onChild: (child) => void started.then(() => setTimeout(() => child.kill("SIGINT"), 300))
    })
    expect(result.code).toBe(130)
    expect(result.millis).toBeLessThan(10_000)
    expect(fs.readdirSync(outside)).toEqual([])
    await expect.poll(() => slowClosed).toBe(true)
  }, 30_000)

  // 20,000 small files in 10 folders: long enough to write that Ctrl-C lands in the middle.
  const manyFiles = () =>
    buildZip(Array.from({ length: 20_000 }, (_, i) => ({ name: `d${i % 10}/f${i}.txt`, data: Buffer.alloc(512, 97) })))

  it("Ctrl-C while the files are written into a new DIR: 130, the staging directory removed", async () => {
    const version = await zipVersion(manyFiles())
    const outside = tempDir()
    const result = await run(["versions", "pull", actor, version, path.join(outside, "inner")], {
      onChild: interruptWhen(() => fs.readdirSync(outside).length > 0)
    })
    expect(result.stderr).not.toContain("Pulled")
    expect(result.code).toBe(130)
    expect(fs.readdirSync(outside)).toEqual([])
  }, 60_000)

  it("Ctrl-C while the files are written into an existing DIR: 130, its files as they were", async () => {
    const version = await zipVersion(manyFiles())
    const target = writeTree(tempDir(), { "keep.txt": "keep", "d0/old.txt": "old" })
    const result = await run(["versions", "pull", actor, version, target], {
      onChild: interruptWhen(() => fs.readdirSync(path.join(target, "d0")).some((n) => n.startsWith(tempPrefix)))
    })
    expect(result.stderr).not.toContain("Pulled")
    expect(result.code).toBe(130)
    expect(snapshot(target)).toEqual({ "keep.txt": "keep", "d0/": "", "d0/old.txt": "old" })
  }, 60_000)
})
