/**
 * Client benchmark: @effect-apify/api against raw `undici.request` (the limit), plain `fetch`
 * (+ `JSON.parse`, no decoding) and Apify's `apify-client`, against one independent loopback
 * fake server (a plain `node:http` server answering canned JSON, in a child process so that
 * its CPU time is not counted here). Two cases: get one version, and list 50 versions. The
 * same client runs over `NodeHttpClient.layerUndici`, over this package's own
 * `UndiciHttpClient.layer` and over `FetchHttpClient.layer`, and in memory over
 * `Emulator.layerHttpClient` next to a `fetch` of the same web handler. Rounds are
 * interleaved; figures are medians; the load average is printed.
 *
 * Run from the repository root: `npx tsx --conditions=@effect-apify/source bench/client.ts`
 * (options: `--rounds N`, `--requests N`, `--json`, `--case get|list|create`: that case alone).
 *
 * The 8 MiB create is sent once per client and round, with compression off on the effect-apify
 * rows (gzip's cost is measured by compression.ts), from a collected heap: wall time and the
 * process's CPU time, medians.
 */
import { ActorVersions, Apify, UndiciHttpClient } from "@effect-apify/api"
import { ActorId, SourceFile, VersionNumber, VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import { NodeHttpClient } from "@effect/platform-node"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import { ActorSourceType, ApifyClient as OfficialClient } from "apify-client"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { fork } from "node:child_process"
import * as os from "node:os"
import { fileURLToPath } from "node:url"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import * as undici from "undici"

const args = process.argv.slice(2)
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`)
  const value = i === -1 ? undefined : Number(args[i + 1])
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback
}
const rounds = option("rounds", 5)
const requests = option("requests", 3000)
const asJson = args.includes("--json")

type Kind = "get" | "list"
const caseAt = args.indexOf("--case")
const onlyCase = caseAt === -1 ? undefined : args[caseAt + 1] ?? ""
if (onlyCase !== undefined && onlyCase !== "get" && onlyCase !== "list" && onlyCase !== "create") {
  console.error(`--case takes get, list or create, not "${onlyCase}"`)
  process.exit(2)
}
const kinds: ReadonlyArray<Kind> = onlyCase === undefined ? ["get", "list"] : onlyCase === "create" ? [] : [onlyCase]
const withCreate = onlyCase === undefined || onlyCase === "create"
// a list answer is 50 versions: fewer requests keep the rounds of both cases alike in time
const countOf = (kind: Kind) => kind === "get" ? requests : Math.ceil(requests / 5)

interface Started {
  readonly url: string
  readonly token: string
  readonly stop: () => void
}

const startServer = (): Promise<Started> =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./server.ts", import.meta.url)), ["--fake"], { stdio: "inherit" })
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)))
    child.once("message", (message) => {
      const { token, url } = message as { url: string; token: string }
      resolve({ url, token, stop: () => child.kill("SIGTERM") })
    })
  })

/** A wall-clock and CPU time, in milliseconds. */
interface Timing {
  readonly ms: number
  readonly cpuMs: number
}

/** Starts timing; the function returned reads the time since. */
const stopwatch = (): () => Timing => {
  const cpu = process.cpuUsage()
  const start = performance.now()
  return () => {
    const ms = performance.now() - start
    const used = process.cpuUsage(cpu)
    return { ms, cpuMs: (used.user + used.system) / 1000 }
  }
}

interface Client {
  readonly name: string
  /** Which client its ratios are taken against: `fetch` on the network, the handler in memory. */
  readonly baseline: string
  /** Runs `count` requests of `kind` with `concurrency` in flight. */
  readonly run: (kind: Kind, count: number, concurrency: number) => Promise<void>
  /** Creates version `versionNumber` with the 8 MiB body and returns the time it took. */
  readonly create?: (versionNumber: string) => Promise<Timing>
  readonly close: () => Promise<void>
}

const actorId = "owner~bench-actor"
const versionsPath = `/v2/acts/${encodeURIComponent(actorId)}/versions`

// 8 MiB body: one text file of three-byte characters (the 3 MiB inline limit counts
// characters as sent), so the JSON is about 8 MiB of UTF-8.
const bigContent = "€".repeat(Math.floor((8 * 1024 * 1024 - 200) / 3))
const bigBody = (versionNumber: string) => ({
  versionNumber,
  sourceType: "SOURCE_FILES" as const,
  sourceFiles: [{ name: "big.txt", format: "TEXT" as const, content: bigContent }]
})

const pool = async (count: number, concurrency: number, op: () => Promise<unknown>) => {
  let remaining = count
  const worker = async () => {
    while (remaining > 0) {
      remaining--
      await op()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

const check = (name: string, json: unknown, kind: Kind) => {
  const data = (json as { data?: { items?: ReadonlyArray<unknown>; versionNumber?: string } }).data
  if (kind === "list" ? data?.items?.length !== 50 : data?.versionNumber !== "0.1") {
    throw new Error(`${name}: unexpected answer`)
  }
}

const effectClient = (
  name: string,
  baseline: string,
  layer: Layer.Layer<ActorVersions.ActorVersions>
): Client => {
  const runtime = ManagedRuntime.make(layer)
  const id = ActorId.make(actorId)
  const version = VersionNumber.VersionNumber.make("0.1")
  return {
    name,
    baseline,
    run: (kind, count, concurrency) =>
      runtime.runPromise(Effect.gen(function*() {
        const versions = yield* ActorVersions.ActorVersions
        const op: Effect.Effect<unknown, ActorVersions.GetError | ActorVersions.ListError> = kind === "get"
          ? versions.get(id, version)
          : Effect.filterOrDieMessage(versions.list(id), (items) => items.length === 50, `${name}: not 50 versions`)
        let remaining = count
        const worker: Effect.Effect<void, ActorVersions.GetError | ActorVersions.ListError> = Effect.suspend(() =>
          remaining-- > 0 ? Effect.zipRight(op, worker) : Effect.void
        )
        yield* Effect.all(Array.from({ length: concurrency }, () => worker), {
          concurrency: "unbounded",
          discard: true
        })
      })),
    create: (versionNumber) =>
      runtime.runPromise(Effect.gen(function*() {
        const versions = yield* ActorVersions.ActorVersions
        const body = VersionRequest.fromFiles(VersionNumber.VersionNumber.make(versionNumber), [
          SourceFile.text("big.txt", bigContent)
        ])
        const stop = stopwatch()
        yield* versions.create(id, body)
        return stop()
      })),
    close: () => runtime.dispose()
  }
}

const overNetwork = (url: string, token: string, httpClient: Layer.Layer<HttpClient.HttpClient>) =>
  Apify.layer({ baseUrl: url, token: Redacted.make(token), compression: false }).pipe(Layer.provide(httpClient))

const fetchClient = (url: string, token: string): Client => {
  const headers = { authorization: `Bearer ${token}` }
  const urls = { get: `${url}${versionsPath}/0.1`, list: `${url}${versionsPath}` }
  return {
    name: "fetch",
    baseline: "fetch",
    run: (kind, count, concurrency) =>
      pool(count, concurrency, async () => {
        const response = await fetch(urls[kind], { headers })
        const text = await response.text()
        if (!response.ok) throw new Error(`fetch: ${response.status} ${text}`)
        check("fetch", JSON.parse(text), kind)
      }),
    create: async (versionNumber) => {
      const stop = stopwatch()
      const response = await fetch(`${url}${versionsPath}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(bigBody(versionNumber))
      })
      JSON.parse(await response.text())
      return stop()
    },
    close: async () => {}
  }
}

const undiciClient = (url: string, token: string): Client => {
  const headers = { authorization: `Bearer ${token}` }
  const urls = { get: `${url}${versionsPath}/0.1`, list: `${url}${versionsPath}` }
  return {
    name: "undici.request",
    baseline: "fetch",
    run: (kind, count, concurrency) =>
      pool(count, concurrency, async () => {
        const response = await undici.request(urls[kind], { headers })
        const text = await response.body.text()
        if (response.statusCode !== 200) throw new Error(`undici: ${response.statusCode} ${text}`)
        check("undici", JSON.parse(text), kind)
      }),
    close: async () => {}
  }
}

const officialClient = (url: string, token: string): Client => {
  const client = new OfficialClient({ baseUrl: url, token })
  const actor = client.actor(actorId)
  return {
    name: "apify-client",
    baseline: "fetch",
    run: (kind, count, concurrency) =>
      pool(count, concurrency, async () => {
        if (kind === "get") {
          if ((await actor.version("0.1").get()) === undefined) throw new Error("apify-client: no version")
        } else if ((await actor.versions().list()).items.length !== 50) {
          throw new Error("apify-client: not 50 versions")
        }
      }),
    create: async (versionNumber) => {
      const stop = stopwatch()
      await actor.versions().create({ ...bigBody(versionNumber), sourceType: ActorSourceType.SourceFiles })
      return stop()
    },
    close: async () => {}
  }
}

// The in-memory emulator, with the 50 versions of the list case.
const seededEmulator = Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  const version = (n: number) => ({
    versionNumber: `0.${n}`,
    sourceType: "GIT_REPO" as const,
    gitRepoUrl: "https://github.com/apify/actor-scraper#master:web-scraper",
    buildTag: "latest",
    envVars: [
      { name: "LOG_LEVEL", value: "info" },
      { name: "START_URL", value: "https://example.com/some/path?with=query" },
      { name: "API_KEY", value: "not-returned", isSecret: true }
    ]
  })
  yield* emulator.seedActor({ name: "bench-actor", versions: Array.from({ length: 50 }, (_, i) => version(i)) })
  return emulator
})

const inMemory = async (): Promise<ReadonlyArray<Client>> => {
  const emulatorLayer = Layer.effect(
    Emulator.Emulator,
    Effect.tap(Emulator.make({ rateLimit: false }), (e) => Effect.provideService(seededEmulator, Emulator.Emulator, e))
  )
  const shared = ManagedRuntime.make(emulatorLayer)
  const emulator = await shared.runPromise(Emulator.Emulator)
  const token = Emulator.defaultUsers[0].token
  // the same web handler the emulator's HttpClient calls, server spans off as there
  const runtime = await shared.runPromise(
    Effect.locally(Effect.runtime<never>(), HttpMiddleware.currentTracerDisabledWhen, () => true)
  )
  const handler = HttpApp.toWebHandlerRuntime(runtime)(emulator.app)
  const base = "http://emulator.local"
  const urls = { get: `${base}${versionsPath}/0.1`, list: `${base}${versionsPath}` }
  const headers = { authorization: `Bearer ${token}` }
  const direct: Client = {
    name: "handler fetch",
    baseline: "handler fetch",
    run: (kind, count, concurrency) =>
      pool(count, concurrency, async () => {
        const response = await handler(new Request(urls[kind], { headers }))
        check("handler", JSON.parse(await response.text()), kind)
      }),
    close: async () => {}
  }
  const ours = effectClient(
    "effect-apify (emulator)",
    "handler fetch",
    Apify.layer({ baseUrl: base, token: Redacted.make(token) }).pipe(
      Layer.provide(Emulator.layerHttpClientFrom),
      Layer.provide(Layer.succeed(Emulator.Emulator, emulator))
    )
  )
  return [direct, {
    name: ours.name,
    baseline: ours.baseline,
    run: ours.run,
    close: () => ours.close().then(() => shared.dispose())
  }]
}

// A create leaves ~30 MB of garbage and the get/list rounds far more: collected before each
// create, so that a major collection they started is not charged to whichever client is next.
v8.setFlagsFromString("--expose-gc")
const collectGarbage = vm.runInNewContext("gc") as () => void

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

type Key = `${Kind} ${"ops" | "cpu"} ${1 | 16}` | "create ms" | "create cpu"

/** The row of this package's own transport. */
const lean = "effect-apify (UndiciHttpClient)"

const main = async () => {
  const server = await startServer()
  const clients: ReadonlyArray<Client> = [
    undiciClient(server.url, server.token),
    fetchClient(server.url, server.token),
    effectClient("effect-apify", "fetch", overNetwork(server.url, server.token, NodeHttpClient.layerUndici)),
    effectClient(lean, "fetch", overNetwork(server.url, server.token, UndiciHttpClient.layer)),
    effectClient("effect-apify (fetch)", "fetch", overNetwork(server.url, server.token, FetchHttpClient.layer)),
    officialClient(server.url, server.token),
    ...(await inMemory())
  ]
  const load = [os.loadavg()]
  const samples = new Map(clients.map((c) => [c.name, new Map<Key, Array<number>>()]))
  const push = (client: string, key: Key, value: number) => {
    const s = samples.get(client)!
    s.set(key, [...(s.get(key) ?? []), value])
  }
  for (const client of clients) {
    for (const kind of kinds) {
      await client.run(kind, Math.ceil(countOf(kind) / 4), 1)
      await client.run(kind, Math.ceil(countOf(kind) / 4), 16)
    }
    if (withCreate) await client.create?.("8.0")
  }
  for (let round = 0; round < rounds; round++) {
    for (const kind of kinds) {
      for (const client of clients) {
        for (const concurrency of [1, 16] as const) {
          const count = countOf(kind)
          const cpuStart = process.cpuUsage()
          const start = performance.now()
          await client.run(kind, count, concurrency)
          const ms = performance.now() - start
          const cpu = process.cpuUsage(cpuStart)
          push(client.name, `${kind} ops ${concurrency}`, count / (ms / 1000))
          push(client.name, `${kind} cpu ${concurrency}`, (cpu.user + cpu.system) / count)
        }
      }
    }
    if (withCreate) {
      for (const client of clients) {
        if (client.create) {
          collectGarbage()
          const { cpuMs, ms } = await client.create(`9.${round}`)
          push(client.name, "create ms", ms)
          push(client.name, "create cpu", cpuMs)
        }
      }
    }
    load.push(os.loadavg())
  }
  for (const client of clients) await client.close()
  server.stop()

  const figures = new Map(
    [...samples].map(([name, s]) => [name, Object.fromEntries([...s].map(([k, v]) => [k, median(v)]))])
  )
  const loads = load.map((l) => l[0]!)
  const info = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    rounds,
    requests: { get: countOf("get"), list: countOf("list") },
    loadAverage: { min: Math.min(...loads), max: Math.max(...loads) }
  }
  if (asJson) {
    console.log(JSON.stringify({ ...info, figures: Object.fromEntries(figures) }))
    return
  }
  console.log(
    `${info.date}; node ${info.node}; ${info.cpus} CPUs; load average (1 min) ${info.loadAverage.min.toFixed(1)}-${
      info.loadAverage.max.toFixed(1)
    }; ${rounds} rounds; ${countOf("get")} get / ${countOf("list")} list requests per client, concurrency and round`
  )
  console.log("network clients against a node:http fake server in a child process; medians over the rounds")
  const pad = (s: string, n: number) => s.padStart(n)
  const width = Math.max(...clients.map((c) => c.name.length)) + 2
  for (const kind of kinds) {
    console.log(`\n${kind === "get" ? "get version" : "list of 50 versions"}`)
    console.log(
      `${"client".padEnd(width)}${pad("ops/s c=1", 11)}${pad("ops/s c=16", 11)}${pad("CPU µs c=1", 12)}${
        pad("CPU µs c=16", 12)
      }${pad("x base c=1", 12)}${pad("x base c=16", 12)}${pad("CPU x base", 14)}`
    )
    for (const client of clients) {
      const f = figures.get(client.name)!
      const b = figures.get(client.baseline)!
      const r = (key: Key, digits = 2) => (f[key]! / b[key]!).toFixed(digits)
      console.log(
        `${client.name.padEnd(width)}${pad(f[`${kind} ops 1`]!.toFixed(0), 11)}${
          pad(f[`${kind} ops 16`]!.toFixed(0), 11)
        }${pad(f[`${kind} cpu 1`]!.toFixed(0), 12)}${pad(f[`${kind} cpu 16`]!.toFixed(0), 12)}${
          pad(r(`${kind} ops 1`), 12)
        }${pad(r(`${kind} ops 16`), 12)}${pad(`${r(`${kind} cpu 1`)}/${r(`${kind} cpu 16`)}`, 14)}`
      )
    }
  }
  for (const name of kinds.length === 0 ? [] : ["effect-apify", lean]) {
    const ours = figures.get(name)!
    const ratio = (client: string, key: Key) => (ours[key]! / figures.get(client)![key]!).toFixed(2)
    console.log(`\n${name} against the others (throughput, or CPU per request):`)
    for (const kind of kinds) {
      console.log(
        `  ${kind}: / fetch c=1 ${ratio("fetch", `${kind} ops 1`)}x, c=16 ${ratio("fetch", `${kind} ops 16`)}x; ` +
          `/ undici c=1 ${ratio("undici.request", `${kind} ops 1`)}x, c=16 ${
            ratio("undici.request", `${kind} ops 16`)
          }x; / apify-client c=1 ${ratio("apify-client", `${kind} ops 1`)}x, c=16 ${
            ratio("apify-client", `${kind} ops 16`)
          }x; CPU / fetch c=1 ${ratio("fetch", `${kind} cpu 1`)}x, c=16 ${ratio("fetch", `${kind} cpu 16`)}x`
      )
    }
  }
  if (!withCreate) return
  const creates = clients.filter((c) => c.create).map((c) => [c.name, figures.get(c.name)!] as const)
  console.log(
    `\n8 MiB create, compression off, medians of ${rounds}: ms ${
      creates.map(([name, f]) => `${name} ${f["create ms"]!.toFixed(0)}`).join(", ")
    }; CPU ms ${creates.map(([name, f]) => `${name} ${f["create cpu"]!.toFixed(0)}`).join(", ")}`
  )
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
