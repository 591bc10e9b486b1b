/**
 * Reliability, part 4 (library): a recognisable token goes through every error path of the
 * client (401, 403, 404, 400, 413 from the server, 429, 5xx, dropped connections, commit then
 * fail with recovery, timeouts, transport failures, undecodable answers, refusals before
 * sending, and a proxy that echoes the Authorization header back), with a logger capturing
 * everything at Debug and a tracer capturing every span's name, attributes and events. The
 * token must appear nowhere: not in an error (message, JSON, inspected form, stack, Cause),
 * not in a log line or its annotations, not in a span.
 */
import { ActorEnvVars, ActorVersions, Apify, ApifyClient, Retry } from "@effect-apify/api"
import { ActorId, EnvVar, VersionNumber, VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import { NodeHttpClient } from "@effect/platform-node"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { allText, captureLogs, captureSpans, listenLoopback, type LoopbackServer, writeFigures } from "./harness.js"

const TOKEN = "apify_api_RELIABILITY_SECRET_TOKEN_7f3a9c"
/** A part of the token long enough to be recognisable in a partial leak. */
const TOKEN_PART = "RELIABILITY_SECRET_TOKEN"
const SECRET_VALUE = "s3cr3t-env-value-RELIABILITY-91d0"

const v = (s: string) => VersionNumber.VersionNumber.make(s)
const owner = ActorId.make("owner~secret-actor")
const strangers = ActorId.make("stranger~their-actor")

// a proxy that echoes what it got, headers included, in every answer
let echo: LoopbackServer
let echoUrl = ""
beforeAll(async () => {
  echo = await listenLoopback((req, res) => {
    const said = `you sent ${req.method} ${req.url} with ${JSON.stringify(req.headers)}`
    if (req.url?.includes("/versions/0.1")) {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify({ data: { versionNumber: req.headers.authorization, sourceType: 42 } }))
    } else if (req.url?.includes("/versions/0.2")) {
      res.writeHead(502, { "content-type": "text/html" })
      res.end(`<html>${said}</html>`)
    } else if (req.url?.includes("/versions/0.3")) {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(`{"data": ${said}`)
    } else {
      res.writeHead(403, { "content-type": "application/json" })
      res.end(JSON.stringify({ error: { type: req.headers.authorization, message: said } }))
    }
  })
  echoUrl = echo.url
})
afterAll(async () => {
  await echo.close()
})

const fastRetry = Retry.layer({ maxRetries: 2, baseDelay: 5, maxDelay: 20 })

const over = (baseUrl: string, token: string, options: Partial<ApifyClient.Options> = {}) =>
  Apify.layer({ baseUrl, token: Redacted.make(token), timeout: 300, ...options }).pipe(
    Layer.provide(fastRetry),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** Every place the token could show up in a failure. */
const renderExit = (exit: Exit.Exit<unknown, unknown>): string => {
  if (Exit.isSuccess(exit)) return allText(exit.value)
  const parts = [Cause.pretty(exit.cause), Inspectable.toStringUnknown(exit.cause), allText(exit.cause)]
  for (const error of Cause.failures(exit.cause)) {
    parts.push(
      String(error),
      JSON.stringify(error),
      Inspectable.toStringUnknown(error),
      error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : "",
      allText(error)
    )
  }
  for (const defect of Cause.defects(exit.cause)) parts.push(String(defect), allText(defect))
  return parts.join("\n")
}

describe("reliability: the token appears nowhere", () => {
  const { layer: logLayer, logs } = captureLogs()
  const { layer: spanLayer, spans } = captureSpans()
  const seen: Array<{ readonly path: string; readonly outcome: string; readonly text: string }> = []
  it.scopedLive("through every error path of the library, its logs and its spans", () =>
    Effect.gen(function*() {
      const server = yield* Emulator.serve({ rateLimit: false, token: TOKEN, maxRequestBodyBytes: 4096 })
      const emulator = server.emulator
      const seed = Effect.gen(function*() {
        yield* emulator.reset
        yield* emulator.seedActor({
          name: "secret-actor",
          versions: [{ versionNumber: "0.0", sourceType: "GIT_REPO", gitRepoUrl: "https://github.com/x/y" }]
        })
        yield* emulator.seedActor({ name: "their-actor", username: "stranger" })
      }).pipe(Effect.orDie)

      const run = <A, E, R>(path: string, effect: Effect.Effect<A, E, R>) =>
        Effect.gen(function*() {
          const exit = yield* Effect.exit(effect)
          seen.push({
            path,
            outcome: Exit.isSuccess(exit) ? "success" : String(Cause.squash(exit.cause)).split("\n")[0]!,
            text: renderExit(exit)
          })
        })

      const paths = Effect.gen(function*() {
        yield* seed
        const versions = yield* ActorVersions.ActorVersions
        const envVars = yield* ActorEnvVars.ActorEnvVars
        yield* run("403 insufficient-permissions", versions.list(strangers))
        yield* run("404 record-not-found", versions.get(owner, v("9.9")))
        yield* run("400 invalid-input (server)", versions.update(owner, v("0.0"), { versionNumber: v("0.1") }))
        yield* run(
          "413 (server, small limit)",
          versions.create(owner, VersionRequest.fromTarball(v("0.5"), `https://e.com/${"a".repeat(5000)}.zip`))
        )
        yield* run(
          "403 version-already-exists",
          versions.create(owner, VersionRequest.fromGitRepo(v("0.0"), "https://x"))
        )
        yield* run("403 too-few-versions", versions.delete(owner, v("0.0")))
        yield* run(
          "secret env var created",
          envVars.create(owner, v("0.0"), EnvVar.secret(EnvVar.EnvVarName.make("SECRET"), SECRET_VALUE))
        )
        yield* run("secret env var read", envVars.get(owner, v("0.0"), EnvVar.EnvVarName.make("SECRET")))
        yield* run("secret env var listed", envVars.list(owner, v("0.0")))
        yield* run("version with a secret read", versions.get(owner, v("0.0")))
        yield* run(
          "InvalidRequest (local)",
          versions.create(owner, { versionNumber: v("0.7"), sourceType: "GIT_REPO", gitRepoUrl: " " })
        )
        yield* run(
          "PayloadTooLarge (local)",
          versions.update(owner, v("0.0"), { buildTag: "b".repeat(9_500_000) })
        )
        yield* emulator.setFaults({ rateLimitBursts: { probability: 1, length: 10, retryAfterSeconds: 0.01 } })
        yield* run("429 after retries", versions.get(owner, v("0.0")))
        yield* emulator.setFaults({ serverErrors: { probability: 1, status: 503 } })
        yield* run("503 after retries", versions.get(owner, v("0.0")))
        yield* emulator.setFaults({ serverErrors: { probability: 1, status: 500, nonJsonBody: true } })
        yield* run("500 HTML after retries", versions.get(owner, v("0.0")))
        yield* emulator.setFaults({ dropConnections: { probability: 1 } })
        yield* run("dropped connections", versions.get(owner, v("0.0")))
        yield* emulator.setFaults({ latency: { min: 1000 } })
        yield* run("timeouts", versions.get(owner, v("0.0")))
        yield* emulator.setFaults({ commitThenFail: { probability: 1, times: 1 } })
        yield* run(
          "commit then fail, recovered",
          versions.create(owner, VersionRequest.fromGitRepo(v("0.8"), "https://github.com/x/z"))
        )
        yield* emulator.setFaults({ commitThenFail: { probability: 1, times: 1, answer: "drop" } })
        yield* run(
          "commit then drop, env var recovered",
          envVars.create(owner, v("0.0"), EnvVar.secret(EnvVar.EnvVarName.make("SECRET_2"), SECRET_VALUE))
        )
        yield* emulator.setFaults({})
      })

      yield* paths.pipe(Effect.provide(over(server.url, TOKEN)))
      // the same with the HTTP client's own spans on
      yield* paths.pipe(Effect.provide(over(server.url, TOKEN, { httpClientSpans: true })))

      const elsewhere = Effect.gen(function*() {
        const versions = yield* ActorVersions.ActorVersions
        yield* run("401 (unknown token)", versions.get(owner, v("0.0")))
      })
      yield* elsewhere.pipe(Effect.provide(over(server.url, `${TOKEN}-not-known`)))

      const echoing = Effect.gen(function*() {
        const versions = yield* ActorVersions.ActorVersions
        yield* run("DecodeError holding the token", versions.get(owner, v("0.1")))
        yield* run("502 page echoing the headers", versions.get(owner, v("0.2")))
        yield* run("non-JSON 200 echoing the headers", versions.get(owner, v("0.3")))
        yield* run("403 whose type and message are the token", versions.get(owner, v("0.4")))
      })
      yield* echoing.pipe(Effect.provide(over(echoUrl, TOKEN, { httpClientSpans: true })))

      const unreachable = Effect.gen(function*() {
        const versions = yield* ActorVersions.ActorVersions
        yield* run("connection refused", versions.get(owner, v("0.0")))
        const client = yield* ApifyClient.ApifyClient
        seen.push({ path: "the client service, inspected", outcome: "", text: Inspectable.toStringUnknown(client) })
      })
      yield* unreachable.pipe(Effect.provide(over("http://127.0.0.1:1", TOKEN)))
      yield* Effect.provide(
        Effect.gen(function*() {
          const versions = yield* ActorVersions.ActorVersions
          yield* run("invalid base URL", versions.get(owner, v("0.0")))
        }),
        over(`http://${TOKEN}:x@[bad`, TOKEN)
      )
    }).pipe(
      Effect.provide(Layer.merge(logLayer, spanLayer)),
      Effect.tap(() =>
        Effect.sync(() => {
          const leaks: Array<string> = []
          for (const s of seen) {
            if (s.text.includes(TOKEN_PART)) leaks.push(`error path "${s.path}" (${s.outcome})`)
            if (s.text.includes(SECRET_VALUE)) leaks.push(`secret value in "${s.path}"`)
          }
          for (const l of logs) {
            const text = `${l.message}\n${allText(l.annotations)}\n${l.cause}`
            if (text.includes(TOKEN_PART)) leaks.push(`log line "${l.message}"`)
            if (text.includes(SECRET_VALUE)) leaks.push(`secret value in log line "${l.message}"`)
          }
          // Serialised whole (not what a tracer records), a failed http.client span's cause holds
          // the platform's RequestError with the request's headers: reported, not asserted.
          const serialisedCauses = spans.filter((s) => s.cause.includes(TOKEN_PART)).map((s) => s.name)
          for (const s of spans) {
            const text = `${s.name}\n${allText(s.attributes)}\n${allText(s.events)}\n${s.status}`
            if (text.includes(TOKEN_PART)) {
              const where = Object.entries(s.attributes).filter(([, x]) => allText(x).includes(TOKEN_PART)).map(([k]) =>
                k
              )
              leaks.push(`span "${s.name}" ${where.join(",")}${
                s.status.includes(TOKEN_PART)
                  ? ` status: ${
                    s.status.slice(Math.max(0, s.status.indexOf(TOKEN_PART) - 300), s.status.indexOf(TOKEN_PART) + 40)
                  }`
                  : ""
              }`)
            }
          }
          writeFigures("secrets-library", {
            errorPaths: seen.length,
            outcomes: seen.map((s) => `${s.path}: ${s.outcome.slice(0, 60)}`),
            logLines: logs.length,
            debugLines: logs.filter((l) => l.level === "DEBUG").length,
            spans: spans.length,
            spanNames: [...new Set(spans.map((s) => s.name))],
            leaks,
            tokenInSerialisedSpanCauses: serialisedCauses
          })
          assert.deepStrictEqual(leaks, [])
          const outcomes = seen.map((s) => s.outcome)
          assert.isTrue(outcomes.filter((o) => o === "success").length >= 12, "the success paths did not succeed")
          assert.isAbove(logs.filter((l) => l.level === "DEBUG").length, 10, "the retries were not logged at debug")
          assert.isAbove(spans.length, 30)
        })
      )
    ), 60_000)
})
