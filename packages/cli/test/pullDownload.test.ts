// The download of a TARBALL version's zip (`TarballDownload`), against a loopback server that
// writes its answers byte by byte and can lie: a Content-Length smaller or larger than the
// body, one of 10^15 bytes, none (chunked), a body over the bound, a body that trickles.
// Through the built executable, `versions pull` streams the zip into a temporary file next to
// where it writes and removes it on every exit (Ctrl-C included); in process, `downloadToFile`
// with a small bound stops a body past it. And the pull's peak memory does not grow with the zip.
import { ApifyClient, KeyValueStores, Retry } from "@effect-apify/api"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { strToU8, zipSync } from "fflate"
import { type ChildProcess, spawn } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as http from "node:http"
import * as net from "node:net"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Format from "../src/Format.js"
import { tempPrefix } from "../src/PullSteps.js"
import * as TarballDownload from "../src/TarballDownload.js"
import { bin, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"
import { buildZip } from "./zipBytes.js"

const zip = zipSync({
  "main.js": strToU8("console.log('downloaded')\n"),
  "src/data.txt": strToU8("data ".repeat(20_000))
})
const mib = 1024 * 1024
// 40 MB that does not deflate, stored: a zip of some 40 MB.
const bigZip = buildZip([{ name: "big.bin", data: crypto.randomBytes(40_000_000) }, {
  name: "a.txt",
  data: strToU8("a")
}])

/** What the server does on a connection, given the request's path. */
type Answer = (socket: net.Socket) => void

const head = (headers: Record<string, string>) =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/zip\r\nconnection: close\r\n${
    Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")
  }\r\n`

const chunk = (bytes: Uint8Array) =>
  Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from("\r\n")])

// What each path answers, whether its socket was closed by the other side, how often it was asked for.
const closed = new Set<string>()
const requests = new Map<string, number>()
const answers: Record<string, Answer> = {
  "/ok.zip": (s) => s.end(Buffer.concat([Buffer.from(head({ "content-length": String(zip.length) })), zip])),
  "/big.zip": (s) => s.end(Buffer.concat([Buffer.from(head({ "content-length": String(bigZip.length) })), bigZip])),
  // Declares less than it sends: the reader stops at the declared length, a cut zip.
  "/smaller.zip": (s) => s.end(Buffer.concat([Buffer.from(head({ "content-length": String(zip.length - 100) })), zip])),
  // Declares more than it sends, then closes.
  "/larger.zip": (s) => s.end(Buffer.concat([Buffer.from(head({ "content-length": String(zip.length + 100) })), zip])),
  // Declares 10^15 bytes, sends a few and waits.
  "/huge.zip": (s) => s.write(Buffer.concat([Buffer.from(head({ "content-length": "1000000000000000" })), zip])),
  "/chunked.zip": (s) => {
    s.write(head({ "transfer-encoding": "chunked" }))
    for (let at = 0; at < zip.length; at += 1000) s.write(chunk(zip.subarray(at, at + 1000)))
    s.end("0\r\n\r\n")
  },
  // No length: 65 MiB, a MiB at a time as the reader takes them.
  "/over.zip": (s) => {
    s.write(head({ "transfer-encoding": "chunked" }))
    let sent = 0
    const more = () => {
      while (sent < 65 * mib) {
        sent += mib
        if (!s.write(chunk(Buffer.alloc(mib, 1)))) return void s.once("drain", more)
      }
      s.end("0\r\n\r\n")
    }
    more()
  },
  // Headers and "PK", then nothing: a download that stalls.
  "/stall.zip": (s) => s.write(Buffer.concat([Buffer.from(head({ "content-length": "1000" })), Buffer.from("PK")])),
  // Stalls as /stall.zip on its first request, answers as /ok.zip on the next.
  "/stall-once.zip": (s) => {
    if ((requests.get("/stall-once.zip") ?? 0) > 1) return answers["/ok.zip"]!(s)
    s.write(Buffer.concat([Buffer.from(head({ "content-length": String(zip.length) })), zip.subarray(0, 100)]))
  },
  // 8 MB declared, 16 KiB every 50 ms: some 25 s if let run.
  "/slow.zip": (s) => {
    s.write(head({ "content-length": "8000000" }))
    const timer = setInterval(() => s.write(Buffer.alloc(16 * 1024, 7)), 50)
    s.on("close", () => clearInterval(timer))
  }
}

const connections = new Set<net.Socket>()
const server = net.createServer((socket) => {
  connections.add(socket)
  let request = ""
  socket.on("error", () => {})
  socket.on("data", (data) => {
    if (request.includes("\r\n\r\n")) return
    request += data.toString("latin1")
    if (!request.includes("\r\n\r\n")) return
    const target = request.split(" ")[1] ?? ""
    socket.on("close", () => closed.add(target))
    requests.set(target, (requests.get(target) ?? 0) + 1)
    const answer = answers[target]
    if (answer === undefined) return void socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n")
    answer(socket)
  })
  socket.on("close", () => connections.delete(socket))
})
let base = ""

let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
const home = makeHome({})
const actor = "owner~pull-download"
let next = 0

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`
  emulator = await startEmulator({ rateLimit: false })
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
  expect((await run(["actors", "create", "pull-download"])).code).toBe(0)
})
afterAll(async () => {
  for (const socket of connections) socket.destroy()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await emulator.close()
})

interface Run {
  readonly code: number | null
  readonly stderr: string
  readonly millis: number
}

/** The built binary; `onChild` gets the process as it starts. */
const run = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly onChild?: (child: ChildProcess) => void } = {}
) =>
  new Promise<Run>((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: home, ...env, ...options.env },
      stdio: ["ignore", "ignore", "pipe"]
    })
    options.onChild?.(child)
    let stderr = ""
    child.stderr.on("data", (piece: Buffer) => (stderr += piece.toString()))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stderr, millis: performance.now() - started }))
  })

/** A TARBALL version whose zip is at `file` on the server; its number. */
const version = async (file: string): Promise<string> => {
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
    request.end(JSON.stringify({ versionNumber, sourceType: "TARBALL", tarballUrl: `${base}${file}` }))
  })
  expect(status).toBe(201)
  return versionNumber
}

/** Pulls the zip at `file` into a new directory inside an empty one (`outside`). */
const pull = async (
  file: string,
  options: {
    readonly env?: Record<string, string>
    readonly args?: ReadonlyArray<string>
    readonly onChild?: (child: ChildProcess, outside: string) => void
  } = {}
) => {
  const outside = tempDir()
  const target = path.join(outside, "inner")
  const result = await run(["versions", "pull", actor, await version(file), target, ...(options.args ?? [])], {
    ...(options.env === undefined ? {} : { env: options.env }),
    onChild: (child) => options.onChild?.(child, outside)
  })
  return { result, outside, target }
}

/** SIGINT once `appeared` sees the temporary zip, polling every 5 ms. */
const interruptWhen = (appeared: () => boolean) => (child: ChildProcess) => {
  const timer = setInterval(() => {
    if (!appeared()) return
    clearInterval(timer)
    child.kill("SIGINT")
  }, 5)
  child.on("close", () => clearInterval(timer))
}
const holdsTempZip = (folder: string) =>
  fs.readdirSync(folder).some((n) => n.startsWith(tempPrefix) && n.endsWith(".zip"))

describe("versions pull of a TARBALL from a server that lies about the length", () => {
  it("a Content-Length and chunked (no length) both pull the zip, leaving no temporary file", async () => {
    for (const file of ["/ok.zip", "/chunked.zip"]) {
      const { outside, result, target } = await pull(file)
      expect(result.stderr).toContain("Pulled version")
      expect(result.code).toBe(0)
      expect(fs.readdirSync(outside)).toEqual(["inner"])
      expect(fs.readFileSync(path.join(target, "main.js"), "utf8")).toBe("console.log('downloaded')\n")
      expect(fs.readFileSync(path.join(target, "src/data.txt"), "utf8")).toBe("data ".repeat(20_000))
    }
  }, 30_000)

  it("into an existing DIR: the temporary zip goes inside it and is gone after", async () => {
    const target = writeTree(tempDir(), { "keep.txt": "keep" })
    const result = await run(["versions", "pull", actor, await version("/ok.zip"), target])
    expect(result.code).toBe(0)
    expect(fs.readdirSync(target).sort()).toEqual(["keep.txt", "main.js", "src"])
  })

  it("a Content-Length smaller or larger than the body: refused, nothing written, no temporary file", async () => {
    const smaller = await pull("/smaller.zip")
    expect(smaller.result.stderr).toContain("the tarball is not a zip")
    expect(smaller.result.code).toBe(2)
    expect(fs.readdirSync(smaller.outside)).toEqual([])
    const larger = await pull("/larger.zip", { args: ["--max-retries", "0"] })
    // node:http sees the connection end before the declared length: a broken download.
    expect(larger.result.stderr).toMatch(/^Error: .*ECONNRESET/m)
    expect(larger.result.code).toBe(1)
    expect(fs.readdirSync(larger.outside)).toEqual([])
  }, 30_000)

  it("a Content-Length of 10^15: refused at once, before the body is read", async () => {
    closed.delete("/huge.zip")
    const { outside, result } = await pull("/huge.zip")
    expect(result.stderr).toContain(`the tarball ${base}/huge.zip declares`)
    expect(result.stderr).toContain(
      `(Content-Length), over the ${Format.bytes(TarballDownload.limits.maxBytes)} download bound`
    )
    expect(result.code).toBe(2)
    expect(result.millis).toBeLessThan(10_000)
    expect(fs.readdirSync(outside)).toEqual([])
    await expect.poll(() => closed.has("/huge.zip")).toBe(true)
  }, 30_000)

  it("a body that stalls after its headers: given up after --timeout, exit 1, no temporary file", async () => {
    const { outside, result } = await pull("/stall.zip", { args: ["--timeout", "1", "--max-retries", "0"] })
    expect(result.stderr).toContain(
      `no answer in time from ${base}/stall.zip (the download stopped: nothing came for 1s)`
    )
    expect(result.code).toBe(1)
    expect(result.millis).toBeLessThan(8_000)
    expect(fs.readdirSync(outside)).toEqual([])
  }, 30_000)

  it("a body that stalls once is downloaded again from the start, as --max-retries allows", async () => {
    requests.delete("/stall-once.zip")
    const { result, target } = await pull("/stall-once.zip", { args: ["--timeout", "1", "--max-retries", "1"] })
    expect(result.stderr).toContain("Pulled version")
    expect(result.code).toBe(0)
    expect(requests.get("/stall-once.zip")).toBe(2)
    expect(fs.readFileSync(path.join(target, "src/data.txt"), "utf8")).toBe("data ".repeat(20_000))
  }, 30_000)

  it("Ctrl-C while the zip downloads into its temporary file: 130, the file removed", async () => {
    const fresh = await pull("/slow.zip", {
      onChild: (child, outside) => interruptWhen(() => holdsTempZip(outside))(child)
    })
    expect(fresh.result.code).toBe(130)
    expect(fs.readdirSync(fresh.outside)).toEqual([])
  }, 30_000)

  it("Ctrl-C while the zip downloads into an existing DIR: 130, its files as they were", async () => {
    const target = writeTree(tempDir(), { "keep.txt": "keep" })
    const result = await run(["versions", "pull", actor, await version("/slow.zip"), target], {
      onChild: interruptWhen(() => holdsTempZip(target))
    })
    expect(result.code).toBe(130)
    expect(fs.readdirSync(target)).toEqual(["keep.txt"])
  }, 30_000)
})

describe("versions pull memory", () => {
  const work = tempDir()
  // The peak resident memory of the process's own image (VmHWM, in KiB): on Linux, the
  // maxRSS of getrusage keeps the peak of the process it was spawned from (this one, holding
  // the zips) across exec.
  const preload = path.join(work, "max-rss.cjs")
  fs.writeFileSync(
    preload,
    `process.on("exit", () => {
      const fs = require("fs")
      const status = fs.existsSync("/proc/self/status") ? fs.readFileSync("/proc/self/status", "utf8") : ""
      const hwm = /VmHWM:\\s+(\\d+) kB/.exec(status)
      fs.writeFileSync(process.env.MAX_RSS_FILE, hwm === null ? String(process.resourceUsage().maxRSS) : hwm[1])
    })`
  )
  const peak = async (file: string) => {
    const rss = path.join(work, `rss-${next}.txt`)
    const { result } = await pull(file, { env: { NODE_OPTIONS: `--require ${preload}`, MAX_RSS_FILE: rss } })
    expect(result.code).toBe(0)
    return Number(fs.readFileSync(rss, "utf8")) / 1024
  }

  // The zip was held twice (its pieces, then their concatenation): 95 MB above. Now only
  // pieces: what is left is those V8 has not collected yet (some 45 MB).
  it("pulling a 40 MB zip peaks less than 65 MB above pulling a small one", async () => {
    const small = await peak("/ok.zip")
    const big = await peak("/big.zip")
    expect(big - small).toBeLessThan(65)
  }, 60_000)
})

describe("TarballDownload.downloadToFile (in process, with a bound given)", () => {
  // The client's retry policy governs a broken body: none here.
  const services = KeyValueStores.layer.pipe(
    Layer.provideMerge(ApifyClient.layer({ baseUrl: "http://127.0.0.1:9" })),
    Layer.provide(Retry.none),
    Layer.provide(NodeHttpClient.layer)
  )
  const folder = tempDir()
  // The whole downloaded file, read back while it exists; or the failure's message.
  const download = (file: string, maxBytes?: number) =>
    Effect.runPromise(
      TarballDownload.downloadToFile(`${base}${file}`, folder, maxBytes).pipe(
        Effect.flatMap((zip) => zip.read(0, zip.size)),
        Effect.map((bytes) => Uint8Array.from(bytes)),
        Effect.scoped,
        Effect.either,
        Effect.map(Either.mapLeft((error) => error.message)),
        Effect.provide(services)
      )
    )

  it("gives the zip, with a Content-Length or chunked, and removes its file", async () => {
    for (const file of ["/ok.zip", "/chunked.zip"]) expect(await download(file)).toEqual(Either.right(zip))
    expect(fs.readdirSync(folder)).toEqual([])
  })

  it(
    "refuses a Content-Length of 10^15 at once, and a chunked body once past the bound, stopping the download",
    async () => {
      expect(Option.getOrThrow(Either.getLeft(await download("/huge.zip")))).toContain(
        `(Content-Length), over the ${Format.bytes(TarballDownload.limits.maxBytes)} download bound`
      )
      closed.delete("/over.zip")
      expect(Option.getOrThrow(Either.getLeft(await download("/over.zip", 8 * mib)))).toBe(
        `the tarball ${base}/over.zip is over the 8.0 MiB download bound`
      )
      await expect.poll(() => closed.has("/over.zip")).toBe(true)
      expect(fs.readdirSync(folder)).toEqual([])
    },
    30_000
  )

  it("a Content-Length larger than the body fails; a smaller one gives the declared bytes only", async () => {
    expect(Either.isLeft(await download("/larger.zip"))).toBe(true)
    expect(await download("/smaller.zip")).toEqual(Either.right(zip.subarray(0, zip.length - 100)))
  })
})
