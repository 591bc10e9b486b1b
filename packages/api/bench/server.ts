/**
 * The loopback emulator for the client benchmark, in its own process so that the client's CPU
 * time is measured alone. Sends `{ url, token }` to the parent once it listens.
 */
import { Emulator } from "@effect-apify/emulator"
import { NodeRuntime } from "@effect/platform-node"
import * as Effect from "effect/Effect"

const program = Effect.gen(function*() {
  const server = yield* Emulator.serve({ port: 0, rateLimit: false })
  yield* server.emulator.seedActor({
    name: "bench-actor",
    versions: [{
      versionNumber: "0.1",
      sourceType: "GIT_REPO",
      gitRepoUrl: "https://github.com/apify/actor-scraper#master:web-scraper",
      buildTag: "latest",
      envVars: [
        { name: "LOG_LEVEL", value: "info", isSecret: false },
        { name: "START_URL", value: "https://example.com/some/path?with=query", isSecret: false },
        { name: "API_KEY", value: "not-returned", isSecret: true }
      ]
    }]
  })
  process.send?.({ url: server.url, token: server.owner.token })
  yield* Effect.never
})

NodeRuntime.runMain(Effect.scoped(program))
