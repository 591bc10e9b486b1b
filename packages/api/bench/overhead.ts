/** Overhead aid: this client's own CPU per request over a fake in-process HttpClient. */
import { ActorVersions, Apify } from "@effect-apify/api"
import { ActorId, VersionNumber } from "@effect-apify/domain"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"

const body = JSON.stringify({
  data: {
    versionNumber: "0.1",
    sourceType: "GIT_REPO",
    gitRepoUrl: "https://github.com/apify/actor-scraper#master:web-scraper",
    buildTag: "latest",
    applyEnvVarsToBuild: false,
    envVars: [
      { name: "LOG_LEVEL", value: "info", isSecret: false },
      { name: "START_URL", value: "https://example.com/some/path?with=query", isSecret: false },
      { name: "API_KEY", isSecret: true }
    ]
  }
})
const fake = HttpClient.make((request) =>
  Effect.sync(() => HttpClientResponse.fromWeb(request, new Response(body, { status: 200 })))
)
const FakeLive = Layer.succeed(HttpClient.HttpClient, fake)
const rt = ManagedRuntime.make(
  Apify.layer({ baseUrl: "http://fake.test", token: Redacted.make("apify_api_xxx") }).pipe(Layer.provideMerge(FakeLive))
)
const id = ActorId.make("owner~bench-actor")
const version = VersionNumber.VersionNumber.make("0.1")
type R = ManagedRuntime.ManagedRuntime.Context<typeof rt>
const variants: Record<string, Effect.Effect<unknown, unknown, R>> = {
  platform: Effect.flatMap(
    HttpClient.HttpClient,
    (c) => Effect.flatMap(c.execute(HttpClientRequest.get("http://fake.test/v2/acts/x/versions/0.1")), (r) => r.json)
  ),
  apify: Effect.flatMap(ActorVersions.ActorVersions, (v) => v.get(id, version))
}
const only = process.argv.slice(2)
for (const [name, op] of Object.entries(variants)) {
  if (only.length > 0 && !only.includes(name)) continue
  const loop = (n: number) =>
    Effect.suspend(function go(): Effect.Effect<void, unknown, R> {
      return n-- > 0 ? Effect.zipRight(op, Effect.suspend(go)) : Effect.void
    })
  await rt.runPromise(loop(5000))
  for (let i = 0; i < 3; i++) {
    const cpu = process.cpuUsage()
    await rt.runPromise(Effect.all(Array.from({ length: 16 }, () => loop(2000)), { concurrency: "unbounded" }))
    const u = process.cpuUsage(cpu)
    console.log(name.padEnd(10), ((u.user + u.system) / 32000).toFixed(1), "µs/op")
  }
}
await rt.dispose()
