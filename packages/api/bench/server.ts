/**
 * The server for the client benchmark, in its own process so that the client's CPU time is
 * measured alone. Sends `{ url, token }` to the parent once it listens, and answers a `"cpu"`
 * message with its own CPU time (microseconds).
 *
 * `--fake`: instead of the emulator, a minimal `node:http` server with canned answers (what
 * DESIGN.md's measurements used), which shows the clients' own costs undiluted.
 */
import { Emulator } from "@effect-apify/emulator"
import { NodeRuntime } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

const token = Emulator.defaultUsers[0].token

const version = {
  versionNumber: "0.1",
  sourceType: "GIT_REPO" as const,
  gitRepoUrl: "https://github.com/apify/actor-scraper#master:web-scraper",
  buildTag: "latest",
  applyEnvVarsToBuild: false,
  envVars: [
    { name: "LOG_LEVEL", value: "info", isSecret: false },
    { name: "START_URL", value: "https://example.com/some/path?with=query", isSecret: false },
    { name: "API_KEY", value: "not-returned", isSecret: true }
  ]
}

process.on("message", (message) => {
  if (message === "cpu") {
    const { system, user } = process.cpuUsage()
    process.send?.({ cpu: user + system })
  }
})

/**
 * The canned answer of the list case: 50 versions like `version` (numbers 0.0 to 0.49), as the
 * API sends them (secret values left out).
 */
const listBody = (): string =>
  JSON.stringify({
    data: {
      total: 50,
      items: Array.from({ length: 50 }, (_, i) => ({
        ...version,
        versionNumber: `0.${i}`,
        envVars: version.envVars.map((e) => e.isSecret ? { name: e.name, isSecret: true } : e)
      }))
    }
  })

const fake = () => {
  const getAnswer = JSON.stringify({
    data: { ...version, envVars: version.envVars.map((e) => e.isSecret ? { name: e.name, isSecret: true } : e) }
  })
  const listAnswer = listBody()
  const server = Http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { "content-type": "application/json" })
      res.end(JSON.stringify({ error: { type: "token-not-valid", message: "Authentication token is not valid." } }))
      return
    }
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      if (req.method === "GET" && req.url?.endsWith("/versions")) {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(listAnswer)
      } else if (req.method === "GET") {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(getAnswer)
      } else if (req.method === "DELETE") {
        res.writeHead(204)
        res.end()
      } else {
        res.writeHead(201, { "content-type": "application/json" })
        res.end(JSON.stringify({ data: { versionNumber: "9.0", sourceType: "SOURCE_FILES", sourceFiles: [] } }))
      }
    })
  })
  // A client whose event loop is busy with another client's rounds can take an idle socket
  // the server has just closed at its default 5 s (EPIPE on the next request).
  server.keepAliveTimeout = 120_000
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo
    process.send?.({ url: `http://127.0.0.1:${port}`, token })
  })
}

const emulator = Effect.gen(function*() {
  const server = yield* Emulator.serve({ port: 0, rateLimit: false })
  yield* server.emulator.seedActor({ name: "bench-actor", versions: [version] })
  process.send?.({ url: server.url, token: server.owner.token })
  yield* Effect.never
})

if (process.argv.includes("--fake")) fake()
else NodeRuntime.runMain(Effect.scoped(emulator))
