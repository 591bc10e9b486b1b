// The deploy loop closes: whatever `versions push` uploads, `versions pull` reads back, byte for
// byte (70 MB of seeded random data, over the 64 MiB pull refused before), and push refuses what
// pull could not read (`ZipLimits`, declared once). Names 2,000 folders deep cost their length,
// not their length times their depth (a pull took minutes). A regular file given as DIR gets
// pull's own error. A tarball download that fails is named by its URL, and only a URL on the
// API is said to be the API; a disk that cannot take the download is a clear error. Through
// the built executable, against the loopback emulator and loopback servers.
import { type ChildProcess, spawn } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Format from "../src/Format.js"
import { tempPrefix } from "../src/PullSteps.js"
import * as ZipLimits from "../src/ZipLimits.js"
import { bin, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"
import { buildZip } from "./zipBytes.js"

const seed = 20261205

/** `length` bytes from mulberry32 seeded with `seed`: random-looking (they do not deflate), the same every run. */
const seededBytes = (seed: number, length: number): Buffer => {
  const words = new Uint32Array(Math.ceil(length / 4))
  let state = seed >>> 0
  for (let i = 0; i < words.length; i++) {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    words[i] = (t ^ (t >>> 14)) >>> 0
  }
  return Buffer.from(words.buffer, 0, length)
}

/** Every file below `root` by relative path: its size and SHA-256 (folders end in `/`). */
const digest = (root: string): Record<string, string> => {
  const out: Record<string, string> = {}
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      const name = path.relative(root, full)
      if (entry.isDirectory()) {
        out[`${name}/`] = ""
        visit(full)
      } else {
        const bytes = fs.readFileSync(full)
        out[name] = `${bytes.length} ${crypto.createHash("sha256").update(bytes).digest("hex")}`
      }
    }
  }
  visit(root)
  return out
}

interface Run {
  readonly code: number | "killed" | null
  readonly stdout: string
  readonly stderr: string
}

let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
const home = makeHome({})
const actor = "owner~pull-loop"

/** The built binary, killed after `killAfter` ms; with a file size limit (`ulimit -f` blocks) when given. */
const run = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly killAfter?: number; readonly fileSizeBlocks?: number } = {}
) =>
  new Promise<Run>((resolve, reject) => {
    const command = options.fileSizeBlocks === undefined
      ? [process.execPath, bin, ...args]
      : ["/bin/sh", "-c", `ulimit -f ${options.fileSizeBlocks} && exec "$@"`, "sh", process.execPath, bin, ...args]
    const child: ChildProcess = spawn(command[0]!, command.slice(1), {
      env: { PATH: process.env.PATH ?? "", HOME: home, ...env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      child.kill("SIGKILL")
    }, options.killAfter ?? 120_000)
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (piece: Buffer) => (stdout += piece.toString()))
    child.stderr?.on("data", (piece: Buffer) => (stderr += piece.toString()))
    child.on("error", reject)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code: killed ? "killed" : code, stdout, stderr })
    })
  })

/** A version of the emulator's Actor, created with `body` as it is. */
const createVersion = async (body: Record<string, unknown>) => {
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
    request.end(JSON.stringify(body))
  })
  expect(status).toBe(201)
}

const requests = () => emulator.run(emulator.server.emulator.requestCount)

/** A loopback server answering each path with `answer`, closed after the test. */
const serve = async (answer: (path: string, res: http.ServerResponse) => void) => {
  const server = http.createServer((req, res) => answer(req.url ?? "", res))
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false })
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
  expect((await run(["actors", "create", "pull-loop"])).code).toBe(0)
})
afterAll(() => emulator.close())

describe("whatever push uploads, pull reads back", () => {
  it(`70 MB of random data (seed ${seed}) round-trips through the emulator byte for byte`, async () => {
    const source = writeTree(tempDir(), {
      "data/a.bin": seededBytes(seed, 40_000_000),
      "data/b.bin": seededBytes(seed + 1, 30_000_000),
      "src/main.js": "console.log('loop')\n"
    })
    const pushed = await run(["versions", "push", actor, source, "--version-number", "1.0"])
    expect(pushed.stderr).toBe("")
    expect(pushed.stdout).toMatch(/^Created version 1\.0 of owner~pull-loop: 3 files, a 66\.\d MiB zip/)
    expect(pushed.code).toBe(0)
    const target = path.join(tempDir(), "fresh")
    const pulled = await run(["versions", "pull", actor, "1.0", target])
    expect(pulled.stderr).toBe(`Pulled version 1.0 of ${actor} into ${target}: 3 files, 66.8 MiB.\n`)
    expect(pulled.code).toBe(0)
    expect(digest(target)).toEqual(digest(source))
  }, 180_000)

  it("push refuses files over what pull inflates, before anything is sent (--dry-run too)", async () => {
    // A sparse file: 3 GiB by its size, no space on disk, never read.
    const source = writeTree(tempDir(), { "src/main.js": "console.log('big')\n" })
    fs.closeSync(fs.openSync(path.join(source, "huge.bin"), "w"))
    fs.truncateSync(path.join(source, "huge.bin"), 3 * 1024 ** 3)
    const before = await requests()
    for (const extra of [[], ["--dry-run"]]) {
      const result = await run(["versions", "push", actor, source, "--version-number", "1.1", ...extra], {
        killAfter: 30_000
      })
      expect(result.stderr).toBe(
        `Error: push ${source} to ${actor} failed: the files total 3072.0 MiB, over the ${
          Format.bytes(ZipLimits.maxInflatedBytes)
        } a version's zip may hold (versions pull reads no more back). Hint: leave generated or vendored files out with .gitignore or .actorignore.\n`
      )
      expect(result.code).toBe(2)
    }
    expect(await requests()).toBe(before)
  }, 60_000)

  it("a disk that cannot take the download: named, nothing written, the temporary zip removed", async () => {
    const outside = tempDir()
    // 10 MiB in 1 KiB blocks, under the 67 MB zip of version 1.0.
    const result = await run(["versions", "pull", actor, "1.0", path.join(outside, "inner")], {
      fileSizeBlocks: 10 * 1024
    })
    expect(result.stderr).toMatch(
      /^Error: pull version 1\.0 of owner~pull-loop into .*inner failed: cannot write the downloaded tarball to .*\.effect-apify-pull-[0-9a-f]+\.zip: the file is over the size limit of the system or process\. Hint: check the space left in .* and that it can be written to; nothing was written\.\n$/
    )
    expect(result.code).toBe(2)
    expect(fs.readdirSync(outside)).toEqual([])
  }, 60_000)
})

describe("deep names", () => {
  const depth = 2000
  const names = Array.from({ length: 2000 }, (_, i) => `${"a/".repeat(depth)}f${i}`)
  const zip = buildZip(names.map((name, i) => ({ name, data: Buffer.from(`file ${i}\n`) })))
  const version = (versionNumber: string, source: Record<string, unknown>) =>
    JSON.stringify({ data: { versionNumber, buildTag: "latest", ...source } })
  let api: Awaited<ReturnType<typeof serve>>
  beforeAll(async () => {
    api = await serve((url, res) => {
      if (url.endsWith("/versions/0.1")) {
        res.writeHead(200, { "content-type": "application/json" })
        return res.end(version("0.1", {
          sourceType: "SOURCE_FILES",
          sourceFiles: names.map((name, i) => ({ name, format: "TEXT", content: `file ${i}\n` }))
        }))
      }
      if (url.endsWith("/versions/0.2")) {
        res.writeHead(200, { "content-type": "application/json" })
        return res.end(version("0.2", { sourceType: "TARBALL", tarballUrl: `${api.base}/deep.zip` }))
      }
      res.writeHead(200, { "content-type": "application/zip" })
      res.end(zip)
    })
  })
  afterAll(() => api.close())

  // Rebuilding every parent of every name: minutes for either (killed at 60 s).
  it.each(["0.1", "0.2"])(
    "version %s (SOURCE_FILES, then TARBALL): 2,000 files 2,000 folders deep, pulled in seconds",
    async (v) => {
      const outside = tempDir()
      const target = path.join(outside, "t")
      const result = await run(["versions", "pull", "owner~deep", v, target], {
        env: { APIFY_API_BASE_URL: api.base },
        killAfter: 60_000
      })
      expect(result.stderr).toBe(`Pulled version ${v} of owner~deep into ${target}: 2,000 files, 18.4 KiB.\n`)
      expect(result.code).toBe(0)
      const deepest = path.join(target, ...Array.from({ length: depth }, () => "a"))
      expect(fs.readdirSync(deepest).length).toBe(2000)
      expect(fs.readFileSync(path.join(deepest, "f1999"), "utf8")).toBe("file 1999\n")
      expect(fs.readdirSync(outside)).toEqual(["t"])
    },
    90_000
  )
})

describe("versions pull DIR", () => {
  it("a regular file as DIR: pull's own error, nothing sent, the file as it was", async () => {
    const file = path.join(tempDir(), "notes.txt")
    fs.writeFileSync(file, "keep")
    const before = await requests()
    const result = await run(["versions", "pull", actor, "1.0", file])
    expect(result.stderr).toBe(
      `Error: pull version 1.0 of ${actor} into ${file} failed: ${file} is not a directory. Hint: give the directory to pull into (it is made when it does not exist).\n`
    )
    expect(result.code).toBe(2)
    expect(await requests()).toBe(before)
    expect(fs.readFileSync(file, "utf8")).toBe("keep")
  })
})

describe("a tarball download that fails is named by its URL", () => {
  it("a host that is not the API and does not answer: its URL without the query, not 'cannot reach the API'", async () => {
    const gone = await serve((_url, res) => res.end())
    const base = gone.base
    await gone.close()
    await createVersion({ versionNumber: "2.1", sourceType: "TARBALL", tarballUrl: `${base}/v.zip?signature=s3cr3t` })
    const outside = tempDir()
    const result = await run(["versions", "pull", actor, "2.1", path.join(outside, "t"), "--max-retries", "0"])
    expect(result.stderr).toMatch(
      new RegExp(
        `^Error: pull version 2\\.1 of owner~pull-loop into .*failed: no answer from ${base}/v\\.zip \\(.*ECONNREFUSED.*\\)\\. Hint: the URL is not on the API \\(--base-url\\): check the network and that 127\\.0\\.0\\.1:\\d+ answers, then try again\\.\\n$`
      )
    )
    expect(result.stderr).not.toContain("s3cr3t")
    expect(result.code).toBe(1)
    expect(fs.readdirSync(outside)).toEqual([])
  })

  it("a tarball on the API that drops the connection: the API, at the tarball's URL", async () => {
    const api = await serve((url, res) => {
      if (url.endsWith("/versions/0.3")) {
        res.writeHead(200, { "content-type": "application/json" })
        return res.end(JSON.stringify({
          data: { versionNumber: "0.3", buildTag: "latest", sourceType: "TARBALL", tarballUrl: `${base}/records/v.zip` }
        }))
      }
      res.socket?.destroy()
    })
    const base = api.base
    try {
      const result = await run(
        ["versions", "pull", "owner~x", "0.3", path.join(tempDir(), "t"), "--max-retries", "0"],
        {
          env: { APIFY_API_BASE_URL: base }
        }
      )
      expect(result.stderr).toMatch(
        new RegExp(
          `^Error: pull version 0\\.3 of owner~x into .* failed: cannot reach the API at ${base}/records/v\\.zip: `
        )
      )
      expect(result.stderr).toContain(`Hint: check the network and the base URL ${base} (from APIFY_API_BASE_URL).`)
      expect(result.code).toBe(1)
    } finally {
      await api.close()
    }
  })

  it("a 403: diff's hint speaks of the token, not of pull; pull's says nothing was written", async () => {
    const denied = await serve((_url, res) => {
      res.writeHead(403)
      res.end()
    })
    try {
      await createVersion({ versionNumber: "2.2", sourceType: "TARBALL", tarballUrl: `${denied.base}/v.zip` })
      const hint = "Hint: the record is in a private key-value store: the token (--token, APIFY_TOKEN) is sent only " +
        "to the API at --base-url (APIFY_API_BASE_URL), so use the one the version was pushed to, with a token that can read it"
      const dir = writeTree(tempDir(), { "a.txt": "A" })
      const diff = await run(["versions", "diff", actor, "2.2", dir])
      expect(diff.stderr).toBe(
        `Error: diff ${dir} with version 2.2 of ${actor} failed: the tarball URL ${denied.base}/v.zip answered 403. ${hint}.\n`
      )
      expect(diff.code).toBe(2)
      const target = path.join(tempDir(), "t")
      const pull = await run(["versions", "pull", actor, "2.2", target])
      expect(pull.stderr).toBe(
        `Error: pull version 2.2 of ${actor} into ${target} failed: the tarball URL ${denied.base}/v.zip answered 403. ${hint}; nothing was written.\n`
      )
      expect(pull.code).toBe(2)
      expect(fs.readdirSync(path.dirname(target)).filter((n) => n.startsWith(tempPrefix))).toEqual([])
    } finally {
      await denied.close()
    }
  })
})
