/**
 * The measurement behind docs/decisions/0005-contract-module.md: get-version requests through
 * this client (its endpoints derived from `Contract`) against the same request declared as an
 * `@effect/platform` `HttpApi` and sent with `HttpApiClient`, both over
 * `NodeHttpClient.layerUndici`, against the loopback emulator in a child process. Rounds
 * alternate the two; medians of ops/s and client CPU per request at concurrency 1 and 16.
 *
 * Run from the repository root: `npx tsx packages/api/bench/contract.ts [--rounds N] [--requests N]`.
 */
import { ActorVersions, Apify } from "@effect-apify/api"
import { ActorId, Envelope, Version, VersionNumber } from "@effect-apify/domain"
import { HttpApi, HttpApiClient, HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"

const args = process.argv.slice(2)
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`)
  const value = i === -1 ? undefined : Number(args[i + 1])
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback
}
const rounds = option("rounds", 5)
const requests = option("requests", 2000)

const actorIdParam = HttpApiSchema.param("actorId", Schema.String)
const versionParam = HttpApiSchema.param("versionNumber", Schema.String)
const Api = HttpApi.make("apify").add(
  HttpApiGroup.make("versions").add(
    HttpApiEndpoint.get("get")`/v2/acts/${actorIdParam}/versions/${versionParam}`
      .addSuccess(Envelope.Data(Version.Version))
      .addError(Envelope.ErrorBody, { status: 403 })
      .addError(Envelope.ErrorBody, { status: 404 })
  )
)

const start = (): Promise<{ url: string; token: string; stop: () => void }> =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./server.ts", import.meta.url)), [], { stdio: "inherit" })
    child.once("error", reject)
    child.once("message", (message) => {
      const { token, url } = message as { url: string; token: string }
      resolve({ url, token, stop: () => child.kill("SIGTERM") })
    })
  })

const repeat = <E>(count: number, concurrency: number, once: Effect.Effect<unknown, E>) =>
  Effect.suspend(() => {
    let remaining = count
    const worker: Effect.Effect<void, E> = Effect.suspend(() =>
      remaining-- > 0 ? Effect.zipRight(once, worker) : Effect.void
    )
    return Effect.all(Array.from({ length: concurrency }, () => worker), { concurrency: "unbounded", discard: true })
  })

const main = async () => {
  const server = await start()
  const contract = ManagedRuntime.make(
    Apify.layer({ baseUrl: server.url, token: Redacted.make(server.token) }).pipe(
      Layer.provide(NodeHttpClient.layerUndici)
    )
  )
  const httpApi = ManagedRuntime.make(NodeHttpClient.layerUndici)
  const id = ActorId.make("owner~bench-actor")
  const v01 = VersionNumber.VersionNumber.make("0.1")
  const viaContract = (n: number, c: number) =>
    contract.runPromise(Effect.flatMap(ActorVersions.ActorVersions, (versions) => repeat(n, c, versions.get(id, v01))))
  const client = await httpApi.runPromise(HttpApiClient.make(Api, {
    baseUrl: server.url,
    transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(server.token))
  }))
  const viaHttpApi = (n: number, c: number) =>
    httpApi.runPromise(repeat(n, c, client.versions.get({ path: { actorId: id, versionNumber: v01 } })))
  const runs = { contract: viaContract, httpApi: viaHttpApi }
  const figures: Record<string, Array<[number, number]>> = {}
  for (const run of Object.values(runs)) await run(500, 4) // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const concurrency of [1, 16]) {
      for (const [name, run] of Object.entries(runs)) {
        const cpu = process.cpuUsage()
        const t = performance.now()
        await run(requests, concurrency)
        const ms = performance.now() - t
        const used = process.cpuUsage(cpu)
        ;(figures[`${name} c${concurrency}`] ??= []).push([
          requests / (ms / 1000),
          (used.user + used.system) / requests
        ])
      }
    }
  }
  const median = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  for (const [key, values] of Object.entries(figures)) {
    console.log(
      `${key.padEnd(14)} ${median(values.map((v) => v[0])).toFixed(0).padStart(6)} ops/s  ${
        median(values.map((v) => v[1])).toFixed(0).padStart(5)
      } µs CPU/request`
    )
  }
  console.log(`node ${process.version}; ${rounds} rounds x ${requests} get-version requests (medians)`)
  await contract.dispose()
  await httpApi.dispose()
  server.stop()
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
