/**
 * A/B of the client against an earlier commit of itself, in one process against one loopback
 * emulator, rounds interleaved, so that a busy machine slows both alike. The earlier
 * `packages/api/src` is extracted with `git archive` into a temporary directory inside
 * `packages/api` (where the workspace packages resolve) and removed afterwards.
 *
 * Run from the repository root: `npx tsx packages/api/bench/ab.ts --base <commit> [--rounds N] [--requests N]`.
 */
import type { ActorVersions, Apify } from "@effect-apify/api"
import { ActorId, VersionNumber } from "@effect-apify/domain"
import { NodeHttpClient } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { execFileSync, fork } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const args = process.argv.slice(2)
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`)
  const value = i === -1 ? undefined : Number(args[i + 1])
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback
}
const base = args[args.indexOf("--base") + 1]
const rounds = option("rounds", 7)
const requests = option("requests", 2000)

interface Api {
  readonly Apify: typeof Apify
  readonly ActorVersions: typeof ActorVersions
}

const here = path.dirname(fileURLToPath(import.meta.url))

const extract = (commit: string): string => {
  const dir = fs.mkdtempSync(path.join(here, "..", ".ab-"))
  const tar = execFileSync("git", ["archive", commit, "packages/api/src"], { cwd: path.join(here, "../../..") })
  execFileSync("tar", ["-x", "-C", dir, "--strip-components=2"], { input: tar })
  return dir
}

const main = async () => {
  if (base === undefined || base.startsWith("--")) throw new Error("--base <commit> is required")
  const dir = extract(base)
  try {
    const before = (await import(pathToFileURL(path.join(dir, "src/index.ts")).href)) as Api
    const after = (await import("@effect-apify/api")) as Api
    const server = await new Promise<{ url: string; token: string; stop: () => void }>((resolve, reject) => {
      const child = fork(path.join(here, "server.ts"), [], { stdio: "inherit" })
      child.once("error", reject)
      child.once("message", (m) => resolve({ ...(m as { url: string; token: string }), stop: () => child.kill() }))
    })
    const id = ActorId.make("owner~bench-actor")
    const v01 = VersionNumber.VersionNumber.make("0.1")
    const runner = (api: Api) => {
      const runtime = ManagedRuntime.make(
        api.Apify.layer({ baseUrl: server.url, token: Redacted.make(server.token) }).pipe(
          Layer.provide(NodeHttpClient.layerUndici)
        )
      )
      const run = (count: number, concurrency: number) =>
        runtime.runPromise(Effect.flatMap(api.ActorVersions.ActorVersions, (versions) => {
          let remaining = count
          const worker: Effect.Effect<void, unknown> = Effect.suspend(() =>
            remaining-- > 0 ? Effect.zipRight(versions.get(id, v01), worker) : Effect.void
          )
          return Effect.all(Array.from({ length: concurrency }, () => worker), {
            concurrency: "unbounded",
            discard: true
          })
        }))
      return { run, dispose: () => runtime.dispose() }
    }
    const clients = { [`before (${base.slice(0, 7)})`]: runner(before), after: runner(after) }
    for (const client of Object.values(clients)) await client.run(1000, 4)
    const figures: Record<string, Array<readonly [number, number]>> = {}
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? Object.entries(clients) : Object.entries(clients).reverse()
      for (const concurrency of [1, 16]) {
        for (const [label, client] of order) {
          const cpu = process.cpuUsage()
          const t = performance.now()
          await client.run(requests, concurrency)
          const ms = performance.now() - t
          const used = process.cpuUsage(cpu)
          ;(figures[`${label} c${concurrency}`] ??= []).push([
            requests / (ms / 1000),
            (used.user + used.system) / requests
          ])
        }
      }
    }
    const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    for (const [key, values] of Object.entries(figures).sort()) {
      console.log(
        `${key.padEnd(22)} ${median(values.map((v) => v[0])).toFixed(0).padStart(6)} ops/s  ${
          median(values.map((v) => v[1])).toFixed(0).padStart(5)
        } µs CPU/request`
      )
    }
    console.log(`node ${process.version}; ${rounds} interleaved rounds x ${requests} get-version requests (medians)`)
    for (const client of Object.values(clients)) await client.dispose()
    server.stop()
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
