/**
 * Compression benchmark, in two parts.
 *
 * 1. An 8 MiB version create (a `SOURCE_FILES` body of about 8 MiB of JSON) against one
 *    loopback fake server in a child process (`server.ts --fake`): `fetch` with the same JSON
 *    (`JSON.stringify` timed with it), effect-apify with compression off over
 *    `NodeHttpClient.layerUndici`, `UndiciHttpClient.layer` and `FetchHttpClient.layer`, and
 *    effect-apify with its default compression. Two contents: text (prose-like, words of a
 *    fixed vocabulary of CJK characters) and random (uniformly drawn CJK characters). An 8 MiB
 *    body must be of characters of three UTF-8 bytes: the API counts the 3 MiB inline limit
 *    in characters and refuses a body over 9 MiB, so ASCII source code tops out at about
 *    3 MiB. Rounds interleaved; wall time and the process's CPU time per create, medians.
 * 2. A table of gzip levels against body sizes (1 KiB to 8 MiB) and contents (ASCII source
 *    code, the two above, base64 of random bytes as a binary file is sent): the share of the
 *    body saved and the CPU milliseconds (`zlib.gzipSync`: the same work the client does on
 *    libuv's thread pool), medians of three timings; then, for the bodies of 1 MiB and more,
 *    the time to send at uplinks of 10 Mbit/s to 1 Gbit/s: as they are, or the compression's
 *    CPU time and then the compressed bytes (the client compresses a body whole before
 *    sending it).
 *
 * Run from the repository root: `npx tsx --conditions=@effect-apify/source bench/compression.ts`
 * (options: `--rounds N` for the creates, default 5; `--no-create`, `--no-table`).
 */
import { ActorVersions, Apify, type ApifyClient, UndiciHttpClient } from "@effect-apify/api"
import { ActorId, SourceFile, VersionNumber, VersionRequest } from "@effect-apify/domain"
import { NodeHttpClient } from "@effect/platform-node"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { fork } from "node:child_process"
import * as os from "node:os"
import { fileURLToPath } from "node:url"
import * as zlib from "node:zlib"

const args = process.argv.slice(2)
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`)
  const value = i === -1 ? undefined : Number(args[i + 1])
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback
}
const rounds = option("rounds", 5)

const KiB = 1024
const MiB = 1024 * KiB
const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
const load = () => os.loadavg()[0]!.toFixed(1)

// A seeded generator (mulberry32): every run measures the same bytes.
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const cjk = (next: () => number) => String.fromCharCode(0x4e00 + Math.floor(next() * 0x5200))

// Text: sentences of words from a vocabulary of 600 words of one to four CJK characters.
const proseOf = (chars: number): string => {
  const next = seeded(1)
  const words = Array.from({ length: 600 }, () => Array.from({ length: 1 + Math.floor(next() * 4) }, () => cjk(next)))
    .map((w) => w.join(""))
  const out: Array<string> = []
  let length = 0
  while (length < chars) {
    const sentence = Array.from({ length: 4 + Math.floor(next() * 12) }, () => words[Math.floor(next() ** 2 * 600)])
      .join("") + (next() < 0.2 ? "。\n" : "。")
    out.push(sentence)
    length += sentence.length
  }
  return out.join("").slice(0, chars)
}

const randomCjkOf = (chars: number): string => {
  const next = seeded(2)
  const out: Array<string> = []
  for (let i = 0; i < chars; i++) out.push(cjk(next))
  return out.join("")
}

// Source code: JavaScript-like lines over a vocabulary of identifiers (ASCII).
const codeOf = (chars: number): string => {
  const next = seeded(3)
  const names = ["request", "response", "items", "client", "value", "options", "result", "error", "actor", "dataset"]
  const name = () => `${names[Math.floor(next() * names.length)]}${Math.floor(next() * 40)}`
  const lines = [
    () => `export const ${name()} = async (${name()}, ${name()}) => {`,
    () => `  const ${name()} = await ${name()}.get(${JSON.stringify(name())}, { limit: ${Math.floor(next() * 1000)} })`,
    () => `  if (${name()} === undefined) throw new Error("no ${name()} for " + ${name()}.id)`,
    () => `  for (const ${name()} of ${name()}.items) ${name()}.push(${name()}.map((x) => x.${name()}))`,
    () => `  // ${name()}: the ${name()} is read once per ${name()}, then kept`,
    () => `  return { ${name()}, ${name()}: ${name()}.length, at: Date.now() }`,
    () => `}`
  ]
  const out: Array<string> = []
  let length = 0
  while (length < chars) {
    const line = lines[Math.floor(next() * lines.length)]!() + "\n"
    out.push(line)
    length += line.length
  }
  return out.join("").slice(0, chars)
}

const base64Of = (chars: number): string => {
  const next = seeded(4)
  const bytes = Buffer.alloc(Math.ceil(chars * 3 / 4))
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256)
  return bytes.toString("base64").slice(0, chars)
}

const createBody = (versionNumber: string, content: string) => ({
  versionNumber,
  sourceType: "SOURCE_FILES" as const,
  sourceFiles: [{ name: "src/main.txt", format: "TEXT" as const, content }]
})

// The content whose create body is as near `bytes` of JSON as whole characters allow.
const sized = (make: (chars: number) => string, bytes: number): string => {
  const overhead = Buffer.byteLength(JSON.stringify(createBody("0.1", "")))
  const sample = make(4096)
  const perChar = Buffer.byteLength(JSON.stringify(sample)) / sample.length
  const content = make(Math.ceil(1.2 * (bytes - overhead) / perChar) + 64)
  let low = 0
  let high = content.length
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (Buffer.byteLength(JSON.stringify(content.slice(0, middle))) + overhead - 2 <= bytes) low = middle
    else high = middle - 1
  }
  return content.slice(0, low)
}

interface Started {
  readonly url: string
  readonly token: string
  readonly stop: () => void
}

const startServer = (): Promise<Started> =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./server.ts", import.meta.url)), ["--fake"], { stdio: "inherit" })
    child.once("error", reject)
    child.once("message", (message) => {
      const { token, url } = message as { url: string; token: string }
      resolve({ url, token, stop: () => child.kill("SIGTERM") })
    })
  })

const actorId = "owner~bench-actor"

/** One create: its wall time and the process's CPU time, in milliseconds. */
interface Timing {
  readonly ms: number
  readonly cpu: number
}

const timed = async (run: () => Promise<unknown>): Promise<Timing> => {
  const cpu = process.cpuUsage()
  const start = performance.now()
  await run()
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  return { ms, cpu: (used.user + used.system) / 1000 }
}

interface Creator {
  readonly name: string
  readonly create: (versionNumber: string, content: string) => Promise<Timing>
  readonly close: () => Promise<void>
}

const fetchCreator = (server: Started): Creator => ({
  name: "fetch",
  create: async (versionNumber, content) => {
    // encoded beforehand, as the effect-apify rows take a built request: only the JSON is timed
    const body = createBody(versionNumber, content)
    return timed(async () => {
      const response = await fetch(`${server.url}/v2/acts/${encodeURIComponent(actorId)}/versions`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
        body: JSON.stringify(body)
      })
      const text = await response.text()
      if (response.status !== 201) throw new Error(`fetch: ${response.status} ${text}`)
      JSON.parse(text)
    })
  },
  close: async () => {}
})

const effectCreator = (
  name: string,
  server: Started,
  httpClient: Layer.Layer<HttpClient.HttpClient>,
  compression: ApifyClient.Compression | false | undefined
): Creator => {
  const runtime = ManagedRuntime.make(
    Apify.layer({ baseUrl: server.url, token: Redacted.make(server.token), compression }).pipe(
      Layer.provide(httpClient)
    )
  )
  const id = ActorId.make(actorId)
  return {
    name,
    create: (versionNumber, content) => {
      const body = VersionRequest.fromFiles(VersionNumber.VersionNumber.make(versionNumber), [
        SourceFile.text("src/main.txt", content)
      ])
      return timed(() =>
        runtime.runPromise(Effect.flatMap(ActorVersions.ActorVersions, (versions) => versions.create(id, body)))
      )
    },
    close: () => runtime.dispose()
  }
}

const createPart = async () => {
  const contents = [["text", sized(proseOf, 8 * MiB)], ["random", sized(randomCjkOf, 8 * MiB)]] as const
  const server = await startServer()
  const creators = [
    fetchCreator(server),
    effectCreator("effect-apify, compression off", server, NodeHttpClient.layerUndici, false),
    effectCreator("effect-apify (UndiciHttpClient), off", server, UndiciHttpClient.layer, false),
    effectCreator("effect-apify (fetch), compression off", server, FetchHttpClient.layer, false),
    effectCreator("effect-apify, default compression", server, NodeHttpClient.layerUndici, undefined)
  ]
  const loads = [load()]
  const timings = new Map<string, Array<Timing>>()
  try {
    for (let round = 0; round <= rounds; round++) {
      for (const [kind, content] of contents) {
        for (const creator of creators) {
          const timing = await creator.create(`9.${round}`, content)
          // round 0 warms every path up and is not counted
          if (round > 0) {
            timings.set(`${kind} ${creator.name}`, [...timings.get(`${kind} ${creator.name}`) ?? [], timing])
          }
        }
      }
      loads.push(load())
    }
  } finally {
    await Promise.all(creators.map((c) => c.close()))
    server.stop()
  }
  console.log(`\n8 MiB create (${rounds} rounds, medians; load average (1 min) ${loads.join(", ")})`)
  console.log(`${"content".padEnd(8)}${"client".padEnd(40)}${"ms".padStart(8)}${"CPU ms".padStart(9)}  x fetch`)
  for (const [kind, content] of contents) {
    const base = median(timings.get(`${kind} fetch`)!.map((t) => t.ms))
    const size = Buffer.byteLength(JSON.stringify(createBody("9.0", content)))
    for (const creator of creators) {
      const all = timings.get(`${kind} ${creator.name}`)!
      const ms = median(all.map((t) => t.ms))
      const cpu = median(all.map((t) => t.cpu))
      console.log(
        `${kind.padEnd(8)}${creator.name.padEnd(40)}${ms.toFixed(1).padStart(8)}${cpu.toFixed(1).padStart(9)}  ${
          (base / ms).toFixed(2)
        }x   (${(size / MiB).toFixed(2)} MiB of JSON, ${content.length} characters)`
      )
    }
  }
}

// CPU milliseconds of one `run`: the median of three timings, each of enough calls to last
// about 60 ms of CPU.
const cpuMs = (run: () => unknown): number => {
  run()
  const samples: Array<number> = []
  let calls = 1
  while (samples.length < 3) {
    const start = process.cpuUsage()
    for (let i = 0; i < calls; i++) run()
    const used = process.cpuUsage(start)
    const ms = (used.user + used.system) / 1000
    if (ms < 60 && calls < 100_000) calls *= 2
    else samples.push(ms / calls)
  }
  return median(samples)
}

const levels = [1, 3, 4, 6, 9]
const sizes = [KiB, 16 * KiB, 256 * KiB, MiB, 8 * MiB]
const kinds = [["code", codeOf], ["text", proseOf], ["random", randomCjkOf], ["base64", base64Of]] as const
const uplinks = [10, 50, 100, 1000]

interface Cell {
  readonly saved: number
  readonly ms: number
}

const cellText = ({ ms, saved }: Cell, size: number) =>
  `${(100 * saved / size).toFixed(1)}% ${ms < 1 ? ms.toFixed(3) : ms.toFixed(1)}`.padStart(16)

// What sending `size` bytes takes at each uplink: as they are, or the compression's CPU time
// and then the compressed bytes (the client compresses the whole body before sending it).
const sendTimes = (kind: string, size: number, cells: ReadonlyArray<Cell>) => {
  for (const mbits of uplinks) {
    const wire = (bytes: number) => bytes * 8 / (mbits * 1e3)
    const times = [wire(size), ...cells.map((c) => c.ms + wire(size - c.saved))]
    const best = Math.min(...times)
    console.log(
      `${kind.padEnd(8)}${`${(size / KiB).toFixed(0)} KiB`.padStart(10)}${`${mbits} Mbit/s`.padStart(12)}${
        times.map((t) => `${t === best ? "*" : ""}${t.toFixed(0)}`.padStart(9)).join("")
      }`
    )
  }
}

const tablePart = () => {
  console.log(
    `\ngzip: share of the body saved and CPU ms per body (zlib.gzipSync, median of 3); load average (1 min) ${load()}`
  )
  console.log(`${"content".padEnd(8)}${"body".padStart(10)}${levels.map((l) => `level ${l}`.padStart(16)).join("")}`)
  const large: Array<readonly [string, number, ReadonlyArray<Cell>]> = []
  for (const [kind, make] of kinds) {
    for (const size of sizes) {
      const bytes = Buffer.from(JSON.stringify(createBody("0.1", sized(make, size))))
      const cells = levels.map((level): Cell => ({
        saved: bytes.length - zlib.gzipSync(bytes, { level }).length,
        ms: cpuMs(() => zlib.gzipSync(bytes, { level }))
      }))
      console.log(
        `${kind.padEnd(8)}${`${(bytes.length / KiB).toFixed(0)} KiB`.padStart(10)}${
          cells.map((c) => cellText(c, bytes.length)).join("")
        }`
      )
      if (size >= MiB) large.push([kind, bytes.length, cells])
    }
  }
  console.log("\ntime to send, ms: CPU, then the bytes at the uplink (* the least)")
  console.log(
    `${"content".padEnd(8)}${"body".padStart(10)}${"uplink".padStart(12)}${"off".padStart(9)}${
      levels.map((l) => `level ${l}`.padStart(9)).join("")
    }`
  )
  for (const [kind, size, cells] of large) sendTimes(kind, size, cells)
}

const main = async () => {
  console.log(`${new Date().toISOString()}; node ${process.version}; ${os.cpus().length} CPUs; load average ${load()}`)
  if (!args.includes("--no-create")) await createPart()
  if (!args.includes("--no-table")) tablePart()
  console.log(`\nload average (1 min) at the end: ${load()}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
