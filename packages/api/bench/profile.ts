/** Profiling aid: runs only this client's get-version loop against a forked emulator. */
import { ActorVersions, Apify } from "@effect-apify/api"
import { ActorId, VersionNumber } from "@effect-apify/domain"
import { NodeHttpClient } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"

const child = fork(
  fileURLToPath(new URL("./server.ts", import.meta.url)),
  process.argv.includes("--fake") ? ["--fake"] : [],
  { stdio: "inherit" }
)
child.once("message", async (message) => {
  const { token, url } = message as { url: string; token: string }
  const runtime = ManagedRuntime.make(
    Apify.layer({ baseUrl: url, token: Redacted.make(token) }).pipe(Layer.provide(NodeHttpClient.layerUndici))
  )
  const id = ActorId.make("owner~bench-actor")
  const version = VersionNumber.VersionNumber.make("0.1")
  const run = (count: number, concurrency: number) =>
    runtime.runPromise(Effect.gen(function*() {
      const versions = yield* ActorVersions.ActorVersions
      const get = versions.get(id, version)
      let remaining = count
      const worker: Effect.Effect<void, ActorVersions.GetError> = Effect.suspend(() =>
        remaining-- > 0 ? Effect.zipRight(get, worker) : Effect.void
      )
      yield* Effect.all(Array.from({ length: concurrency }, () => worker), { concurrency: "unbounded", discard: true })
    }))
  const concurrency = Number(process.argv[2] ?? 16)
  await run(1000, concurrency)
  const cpu = process.cpuUsage()
  const start = performance.now()
  await run(Number(process.env.N ?? 5000), concurrency)
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  const n = Number(process.env.N ?? 5000)
  console.log(`${(n / ms * 1000).toFixed(0)} ops/s, ${((used.user + used.system) / n).toFixed(0)} µs CPU/op`)
  await runtime.dispose()
  child.kill()
  process.exit(0)
})
