/**
 * 64 concurrent clients issue 5,000 mixed writes and reads over loopback. Each client checks
 * every answer against its own model as it goes; at the end the emulator's state must equal
 * what an independent model of all operations expects: no record lost or corrupted.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { Emulator } from "../src/index.js"

const clients = 64
const totalOps = 5_000
const actors = 8
const versionsPerActor = 4
const sharedVersions = actors * versionsPerActor
const slots = 10
const sharedKeys = 64

/** mulberry32: each client draws its own reproducible sequence of operations. */
const prng = (seed: number) => {
  let s = seed | 0
  return () => {
    s = (s + 0x6d2b79f5) | 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const sharedActor = (v: number) => `owner~shared-${Math.floor(v / versionsPerActor)}`
const sharedVersion = (v: number) => `0.${v % versionsPerActor}`
const envVarsPath = (v: number) => `/v2/acts/${sharedActor(v)}/versions/${sharedVersion(v)}/env-vars`

interface Failure {
  readonly client: number
  readonly op: string
  readonly expected: string
  readonly actual: string
}

describe("concurrency over loopback", () => {
  it.live(
    "64 clients, 5,000 mixed operations: every answer and the final state match the model",
    () =>
      Effect.scoped(
        Effect.gen(function*() {
          const server = yield* Emulator.serve({ rateLimit: false })
          const http = yield* HttpClient.HttpClient
          const token = server.owner.token

          const byMethod = new Map<string, number>()
          const send = (method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown) => {
            byMethod.set(method, (byMethod.get(method) ?? 0) + 1)
            let request = HttpClientRequest.make(method)(`${server.url}${path}`).pipe(
              HttpClientRequest.bearerToken(token)
            )
            if (body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, body)
            return http.execute(request).pipe(
              Effect.flatMap((response) =>
                Effect.map(response.text, (text) => ({
                  status: response.status,
                  json: text === "" ? undefined : JSON.parse(text) as {
                    readonly data?: unknown
                    readonly error?: { readonly type: string }
                  }
                }))
              ),
              Effect.scoped,
              Effect.orDie
            )
          }

          // shared Actors, each with versionsPerActor versions, created up front
          for (let a = 0; a < actors; a++) {
            yield* server.emulator.seedActor({
              name: `shared-${a}`,
              versions: Array.from({ length: versionsPerActor }, (_, i) => ({
                versionNumber: `0.${i}`,
                sourceType: "GIT_REPO" as const,
                gitRepoUrl: `https://github.com/owner/shared-${a}`
              }))
            })
          }

          const failures: Array<Failure> = []
          const sharedCreated = new Map<string, number>()
          const check = (client: number, op: string, expected: string, actual: string) => {
            if (expected !== actual) failures.push({ client, op, expected, actual })
          }

          // the independent model, per client: its env vars in shared versions and its own Actor's versions
          const models = Array.from({ length: clients }, () => ({
            envVars: new Map<string, string>(), // key `${v}/${name}` -> value
            versions: new Map<string, string>([["0.0", "initial"]]) // versionNumber -> buildTag
          }))

          const runClient = (c: number) =>
            Effect.gen(function*() {
              const random = prng(1000 + c)
              const model = models[c]!
              const ops = Math.floor(totalOps / clients) + (c < totalOps % clients ? 1 : 0)
              const own = `client-${c}`
              const created = yield* send("POST", "/v2/acts", {
                name: own,
                versions: [{
                  versionNumber: "0.0",
                  sourceType: "GIT_REPO",
                  gitRepoUrl: "https://x/y",
                  buildTag: "initial"
                }]
              })
              check(c, "create actor", "201", String(created.status))
              for (let i = 1; i < ops; i++) {
                const roll = random()
                const v = (c + (random() < 0.5 ? 0 : 1)) % sharedVersions
                const slot = Math.floor(random() * slots)
                const name = `C${c}_${slot}`
                const key = `${v}/${name}`
                if (roll < 0.3) {
                  const value = `v${i}`
                  const current = model.envVars.get(key)
                  if (current === undefined) {
                    const answer = yield* send("POST", envVarsPath(v), { name, value, isSecret: slot % 3 === 0 })
                    check(c, `create ${key}`, "201", String(answer.status))
                    model.envVars.set(key, value)
                  } else if (random() < 0.5) {
                    const answer = yield* send("PUT", `${envVarsPath(v)}/${name}`, { name, value })
                    check(c, `update ${key}`, "200", String(answer.status))
                    model.envVars.set(key, value)
                  } else {
                    const answer = yield* send("DELETE", `${envVarsPath(v)}/${name}`)
                    check(c, `delete ${key}`, "204", String(answer.status))
                    model.envVars.delete(key)
                  }
                } else if (roll < 0.4) {
                  const k = Math.floor(random() * sharedKeys)
                  const answer = yield* send("POST", envVarsPath(k % sharedVersions), {
                    name: `SHARED_${k}`,
                    value: "shared"
                  })
                  if (answer.status === 201) {
                    sharedCreated.set(`SHARED_${k}`, (sharedCreated.get(`SHARED_${k}`) ?? 0) + 1)
                  } else {check(
                      c,
                      `shared ${k}`,
                      "403 env-var-already-exists",
                      `${answer.status} ${answer.json?.error?.type}`
                    )}
                } else if (roll < 0.6) {
                  const versionNumber = `1.${Math.floor(random() * 5)}`
                  const path = `/v2/acts/owner~${own}/versions`
                  if (!model.versions.has(versionNumber)) {
                    const answer = yield* send("POST", path, {
                      versionNumber,
                      sourceType: "TARBALL",
                      tarballUrl: `https://x/${c}.zip`,
                      buildTag: `b${i}`
                    })
                    check(c, `create version ${versionNumber}`, "201", String(answer.status))
                    model.versions.set(versionNumber, `b${i}`)
                  } else if (random() < 0.6) {
                    const answer = yield* send("PUT", `${path}/${versionNumber}`, { buildTag: `b${i}` })
                    check(c, `update version ${versionNumber}`, "200", String(answer.status))
                    model.versions.set(versionNumber, `b${i}`)
                  } else {
                    const answer = yield* send("DELETE", `${path}/${versionNumber}`)
                    check(c, `delete version ${versionNumber}`, "204", String(answer.status))
                    model.versions.delete(versionNumber)
                  }
                } else if (roll < 0.8) {
                  const answer = yield* send("GET", `${envVarsPath(v)}/${name}`)
                  const expected = model.envVars.get(key)
                  const data = answer.json?.data as { readonly value?: string; readonly isSecret: boolean } | undefined
                  check(
                    c,
                    `get ${key}`,
                    expected === undefined ? "404" : `200 ${slot % 3 === 0 ? "secret" : expected}`,
                    answer.status === 404 ? "404" : `${answer.status} ${data?.isSecret ? "secret" : data?.value}`
                  )
                } else {
                  const answer = yield* send("GET", `/v2/acts/owner~${own}/versions`)
                  const items = (answer.json?.data as {
                    readonly items: ReadonlyArray<{ versionNumber: string; buildTag: string }>
                  })
                    .items
                  check(
                    c,
                    "list versions",
                    JSON.stringify([...model.versions.entries()].sort()),
                    JSON.stringify(items.map((it) => [it.versionNumber, it.buildTag]).sort())
                  )
                }
              }
              return ops
            })

          const start = Date.now()
          const counts = yield* Effect.forEach(Array.from({ length: clients }, (_, c) => c), runClient, {
            concurrency: clients
          })
          const elapsed = Date.now() - start
          const ops = counts.reduce((a, b) => a + b, 0)

          expect(ops).toBe(totalOps)
          expect(failures.slice(0, 5)).toEqual([])
          // every shared key was created exactly once, however many clients raced for it
          for (const [, wins] of sharedCreated) expect(wins).toBe(1)

          // the final state equals the model
          const snapshot = yield* server.emulator.snapshot
          for (let v = 0; v < sharedVersions; v++) {
            const actor = snapshot.actors.find((a) => `owner~${a.name}` === sharedActor(v))!
            const version = actor.versions.find((x) => x.versionNumber === sharedVersion(v))!
            const actual = new Map((version.envVars ?? []).map((e) => [e.name, e.value]))
            const expected = new Map<string, string>()
            models.forEach((m) => {
              for (const [key, value] of m.envVars) {
                const [kv, name] = key.split("/")
                if (Number(kv) === v) expected.set(name!, value)
              }
            })
            for (const [name] of sharedCreated) {
              if (Number(name.slice("SHARED_".length)) % sharedVersions === v) expected.set(name, "shared")
            }
            expect(actual).toEqual(expected)
          }
          for (let c = 0; c < clients; c++) {
            const actor = snapshot.actors.find((a) => a.name === `client-${c}`)!
            expect(new Map(actor.versions.map((x) => [x.versionNumber, x.buildTag]))).toEqual(models[c]!.versions)
          }
          expect(snapshot.actors).toHaveLength(actors + clients)
          expect(yield* server.emulator.requestCount).toBe(totalOps)

          const perSecond = Math.round((ops / elapsed) * 1000)
          console.log(
            `concurrency: ${clients} clients, ${ops} operations (${
              [...byMethod].map(([m, n]) => `${m} ${n}`).join(", ")
            }) in ${elapsed} ms over loopback = ${perSecond} ops/s`
          )
        }).pipe(Effect.provide(NodeHttpClient.layerUndici))
      ),
    60_000
  )
})
