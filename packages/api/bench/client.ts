/**
 * Client benchmark: @effect-apify/api (over NodeHttpClient.layerUndici), plain `fetch`, and
 * Apify's `apify-client`, against the loopback emulator (rate limit off) running in a child
 * process. Measures get-version operations per second at concurrency 1 and 16, client CPU
 * time per request, and the time of an 8 MiB version create. Prints ratios against `fetch`.
 *
 * Run from the repository root: `npx tsx --conditions=@effect-apify/source bench/client.ts`
 * (options: `--rounds N`, `--requests N`, `--json`); the condition imports the workspace's
 * packages from their sources.
 */
import { ActorVersions, Apify } from "@effect-apify/api"
import { ActorId, SourceFile, VersionNumber, VersionRequest } from "@effect-apify/domain"
import { NodeHttpClient } from "@effect/platform-node"
import { ActorSourceType, ApifyClient as OfficialClient } from "apify-client"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"

const args = process.argv.slice(2)
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`)
  const value = i === -1 ? undefined : Number(args[i + 1])
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback
}
const rounds = option("rounds", 5)
const requests = option("requests", 4000)
const warmup = Math.min(1000, Math.ceil(requests / 4))
const asJson = args.includes("--json")
const fakeServer = args.includes("--fake-server")

interface Started {
  readonly url: string
  readonly token: string
  /** The server process's CPU time so far, in microseconds. */
  readonly cpu: () => Promise<number>
  readonly stop: () => void
}

const startServer = (): Promise<Started> =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./server.ts", import.meta.url)), fakeServer ? ["--fake"] : [], {
      stdio: "inherit"
    })
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)))
    child.once("message", (message) => {
      const { token, url } = message as { url: string; token: string }
      const cpu = () =>
        new Promise<number>((resolveCpu) => {
          const onMessage = (answer: unknown) => {
            if (typeof answer === "object" && answer !== null && "cpu" in answer && typeof answer.cpu === "number") {
              child.off("message", onMessage)
              resolveCpu(answer.cpu)
            }
          }
          child.on("message", onMessage)
          child.send("cpu")
        })
      resolve({ url, token, cpu, stop: () => child.kill("SIGTERM") })
    })
  })

interface Client {
  readonly name: string
  /** Runs `count` get-version requests with `concurrency` in flight. */
  readonly gets: (count: number, concurrency: number) => Promise<void>
  /** Creates version `versionNumber` with the big body, then deletes it (not timed). */
  readonly create: (versionNumber: string) => Promise<number>
  readonly close: () => Promise<void>
}

const actorId = "owner~bench-actor"

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

const timed = async (f: () => Promise<void>): Promise<number> => {
  const start = performance.now()
  await f()
  return performance.now() - start
}

const effectClient = (url: string, token: string): Client => {
  const runtime = ManagedRuntime.make(
    Apify.layer({ baseUrl: url, token: Redacted.make(token) }).pipe(Layer.provide(NodeHttpClient.layerUndici))
  )
  const id = ActorId.make(actorId)
  const version = VersionNumber.VersionNumber.make("0.1")
  return {
    name: "effect-apify",
    gets: (count, concurrency) =>
      runtime.runPromise(Effect.gen(function*() {
        const versions = yield* ActorVersions.ActorVersions
        const get = versions.get(id, version)
        let remaining = count
        const worker: Effect.Effect<void, ActorVersions.GetError> = Effect.suspend(() =>
          remaining-- > 0 ? Effect.zipRight(get, worker) : Effect.void
        )
        yield* Effect.all(Array.from({ length: concurrency }, () => worker), {
          concurrency: "unbounded",
          discard: true
        })
      })),
    create: (versionNumber) =>
      runtime.runPromise(Effect.gen(function*() {
        const versions = yield* ActorVersions.ActorVersions
        const n = VersionNumber.VersionNumber.make(versionNumber)
        const body = VersionRequest.fromFiles(n, [SourceFile.text("big.txt", bigContent)])
        const start = performance.now()
        yield* versions.create(id, body)
        const elapsed = performance.now() - start
        yield* versions.delete(id, n)
        return elapsed
      })),
    close: () => runtime.dispose()
  }
}

const fetchClient = (url: string, token: string): Client => {
  const headers = { authorization: `Bearer ${token}` }
  const getUrl = `${url}/v2/acts/${encodeURIComponent(actorId)}/versions/0.1`
  const check = async (response: Response) => {
    if (!response.ok) throw new Error(`fetch: ${response.status} ${await response.text()}`)
    return response.json()
  }
  return {
    name: "fetch",
    gets: (count, concurrency) => pool(count, concurrency, () => fetch(getUrl, { headers }).then(check)),
    create: async (versionNumber) => {
      const start = performance.now()
      await fetch(`${url}/v2/acts/${encodeURIComponent(actorId)}/versions`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(bigBody(versionNumber))
      }).then(check)
      const elapsed = performance.now() - start
      await fetch(`${url}/v2/acts/${encodeURIComponent(actorId)}/versions/${versionNumber}`, {
        method: "DELETE",
        headers
      }).then((r) => r.arrayBuffer())
      return elapsed
    },
    close: async () => {}
  }
}

const officialClient = (url: string, token: string): Client => {
  const client = new OfficialClient({ baseUrl: url, token })
  const actor = client.actor(actorId)
  return {
    name: "apify-client",
    gets: (count, concurrency) =>
      pool(count, concurrency, async () => {
        const version = await actor.version("0.1").get()
        if (version === undefined) throw new Error("apify-client: version not found")
      }),
    create: async (versionNumber) => {
      const start = performance.now()
      await actor.versions().create({ ...bigBody(versionNumber), sourceType: ActorSourceType.SourceFiles })
      const elapsed = performance.now() - start
      await actor.version(versionNumber).delete()
      return elapsed
    },
    close: async () => {}
  }
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

interface Figures {
  opsPerSec1: number
  opsPerSec16: number
  cpuMicros1: number
  cpuMicros16: number
  serverCpuMicros1: number
  serverCpuMicros16: number
  createMillis: number
}

const main = async () => {
  const server = await startServer()
  const clients = [
    fetchClient(server.url, server.token),
    effectClient(server.url, server.token),
    officialClient(server.url, server.token)
  ]
  const samples = new Map<string, { [K in keyof Figures]: Array<number> }>()
  for (const client of clients) {
    samples.set(client.name, {
      opsPerSec1: [],
      opsPerSec16: [],
      cpuMicros1: [],
      cpuMicros16: [],
      serverCpuMicros1: [],
      serverCpuMicros16: [],
      createMillis: []
    })
    await client.gets(warmup, 1)
    await client.gets(warmup, 16)
  }
  for (let round = 0; round < rounds; round++) {
    for (const client of clients) {
      const s = samples.get(client.name)!
      for (const concurrency of [1, 16] as const) {
        const serverStart = await server.cpu()
        const cpuStart = process.cpuUsage()
        const ms = await timed(() => client.gets(requests, concurrency))
        const cpu = process.cpuUsage(cpuStart)
        const serverCpu = (await server.cpu()) - serverStart
        const opsPerSec = requests / (ms / 1000)
        const cpuMicros = (cpu.user + cpu.system) / requests
        if (concurrency === 1) {
          s.opsPerSec1.push(opsPerSec)
          s.cpuMicros1.push(cpuMicros)
          s.serverCpuMicros1.push(serverCpu / requests)
        } else {
          s.opsPerSec16.push(opsPerSec)
          s.cpuMicros16.push(cpuMicros)
          s.serverCpuMicros16.push(serverCpu / requests)
        }
      }
      if (round < 3) s.createMillis.push(await client.create(`9.${round}`))
    }
  }
  const figures = new Map<string, Figures>()
  for (const [name, s] of samples) {
    figures.set(name, {
      opsPerSec1: median(s.opsPerSec1),
      opsPerSec16: median(s.opsPerSec16),
      cpuMicros1: median(s.cpuMicros1),
      cpuMicros16: median(s.cpuMicros16),
      serverCpuMicros1: median(s.serverCpuMicros1),
      serverCpuMicros16: median(s.serverCpuMicros16),
      createMillis: median(s.createMillis)
    })
  }
  for (const client of clients) await client.close()
  server.stop()

  const base = figures.get("fetch")!
  const official = figures.get("apify-client")!
  const ours = figures.get("effect-apify")!
  if (asJson) {
    console.log(JSON.stringify({
      server: fakeServer ? "fake" : "emulator",
      rounds,
      requests,
      node: process.version,
      figures: Object.fromEntries(figures)
    }))
    return
  }
  const fmt = (n: number, digits = 0) => n.toFixed(digits).padStart(9)
  console.log(
    `server: ${
      fakeServer ? "minimal node:http fake" : "loopback emulator"
    }; node ${process.version}; ${rounds} rounds x ${requests} get-version requests per concurrency (medians)`
  )
  console.log(
    `${"client".padEnd(14)}${"ops/s c=1".padStart(11)}${"ops/s c=16".padStart(11)}${"CPU µs c=1".padStart(12)}${
      "CPU µs c=16".padStart(12)
    }${"server µs c=1".padStart(15)}${"server µs c=16".padStart(16)}${"8 MiB ms".padStart(10)}`
  )
  for (const [name, f] of figures) {
    console.log(
      `${name.padEnd(14)}  ${fmt(f.opsPerSec1)}  ${fmt(f.opsPerSec16)}   ${fmt(f.cpuMicros1)}   ${
        fmt(f.cpuMicros16)
      }      ${fmt(f.serverCpuMicros1)}       ${fmt(f.serverCpuMicros16)} ${fmt(f.createMillis)}`
    )
  }
  const ratio = (a: number, b: number) => (a / b).toFixed(2)
  console.log("")
  console.log(
    `effect-apify / fetch:        throughput c=1 ${ratio(ours.opsPerSec1, base.opsPerSec1)}x (target >= 0.85), c=16 ${
      ratio(ours.opsPerSec16, base.opsPerSec16)
    }x; CPU/request c=1 ${ratio(ours.cpuMicros1, base.cpuMicros1)}x, c=16 ${
      ratio(ours.cpuMicros16, base.cpuMicros16)
    }x (target <= 1.3); 8 MiB create ${ratio(ours.createMillis, base.createMillis)}x time`
  )
  console.log(
    `effect-apify / apify-client: throughput c=1 ${ratio(ours.opsPerSec1, official.opsPerSec1)}x, c=16 ${
      ratio(ours.opsPerSec16, official.opsPerSec16)
    }x (target >= 2); CPU/request c=1 ${ratio(ours.cpuMicros1, official.cpuMicros1)}x, c=16 ${
      ratio(ours.cpuMicros16, official.cpuMicros16)
    }x`
  )
  console.log(
    `apify-client / fetch:        throughput c=1 ${ratio(official.opsPerSec1, base.opsPerSec1)}x, c=16 ${
      ratio(official.opsPerSec16, base.opsPerSec16)
    }x`
  )
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
