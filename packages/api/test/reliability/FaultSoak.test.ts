/**
 * Reliability, part 1: the fault soak.
 *
 * 2,000 mixed operations (Actor creates and deletes, version creates, updates, reads and
 * deletes, env var creates, updates, reads and deletes) go through the client, 16 at a time,
 * against the loopback emulator injecting 10% 429 (half with `Retry-After`), 5% 503, 3%
 * dropped connections and 3% "commit then fail" on writes. Each operation's outcome is
 * predicted by an independent model; the emulator's final state must equal the model's, with
 * nothing duplicated; and the time taken must stay within 1.5x of the waits the answers
 * demanded (see docs/reliability.md for the precise definition).
 */
import { ActorEnvVars, Actors, ActorVersions, Apify, ApifyError, Retry } from "@effect-apify/api"
import { ActorId, ActorName, EnvVar, SourceFile, VersionNumber } from "@effect-apify/domain"
import type { VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import { NodeHttpClient } from "@effect/platform-node"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { captureLogs, rng, seed, writeFigures } from "./harness.js"

// ---------------------------------------------------------------------------
// parameters
// ---------------------------------------------------------------------------

const OPERATIONS = 2000
const WORKERS = 16
const ACTORS_PER_WORKER = 2
const RETRY_AFTER_SECONDS = 0.3
/** The test policy: the default exponential policy with a 150 ms base, so the soak is short. */
const policy = { baseDelayMillis: 150, maxDelayMillis: 4800, maxRetries: 10, maxElapsedMillis: 30_000 }

/**
 * The emulator checks 429, then drop, then 5xx, then commit-then-fail, each with its own
 * probability on what is left, so these conditional probabilities give 10% / 3% / 5% / 3% of
 * all requests (commit-then-fail: of the writes that reach it).
 */
const faults: Emulator.FaultOptions = {
  seed,
  rateLimitBursts: { probability: 0.10, length: 1, retryAfterSeconds: RETRY_AFTER_SECONDS },
  dropConnections: { probability: 0.03 / 0.90 },
  serverErrors: { probability: 0.05 / 0.87, status: 503 },
  commitThenFail: { probability: 0.03 / 0.82, answer: "500" }
}

const VERSION_POOL = ["0.0", "0.1", "0.2", "0.3", "1.0", "1.1", "2.0"]
const ENV_POOL = ["LOG_LEVEL", "API_KEY", "MODE", "REGION", "DEBUG"]

// ---------------------------------------------------------------------------
// the independent model
// ---------------------------------------------------------------------------

interface MEnv {
  readonly value: string
  readonly isSecret: boolean
}

interface MVersion {
  sourceType: string
  gitRepoUrl?: string
  tarballUrl?: string
  sourceFiles?: ReadonlyArray<{ readonly name: string; readonly format: "TEXT"; readonly content: string }>
  buildTag: string | null
  applyEnvVarsToBuild: boolean
  envVars: Map<string, MEnv>
}

type MActor = Map<string, MVersion>

/** What an operation must end with. */
type Expected =
  | { readonly _tag: "Success"; readonly check?: (value: unknown) => string | undefined }
  /**
   * A delete of a record that does not exist: `NotFound`, or success when an earlier attempt
   * failed in a way that may have reached the API (the client takes the 404 for its own lost
   * success, and cannot tell the two apart).
   */
  | { readonly _tag: "Gone" }
  | { readonly _tag: "Failure"; readonly error: string; readonly type?: string }

interface Op {
  readonly label: string
  readonly run: Effect.Effect<
    unknown,
    ApifyError.ApifyError,
    Actors.Actors | ActorVersions.ActorVersions | ActorEnvVars.ActorEnvVars
  >
  readonly expected: Expected
}

const vn = (s: string) => VersionNumber.VersionNumber.make(s)
const en = (s: string) => EnvVar.EnvVarName.make(s)

const ok = (check?: (value: unknown) => string | undefined): Expected =>
  check === undefined ? { _tag: "Success" } : { _tag: "Success", check }
const fail = (error: string, type?: string): Expected =>
  type === undefined ? { _tag: "Failure", error } : { _tag: "Failure", error, type }

/** Generates one worker's operations, applying each to the model as it goes. */
const generate = (worker: number, count: number, model: Map<string, MActor | undefined>): Array<Op> => {
  const r = rng(seed * 31 + worker)
  const ops: Array<Op> = []
  const names = Array.from({ length: ACTORS_PER_WORKER }, (_, i) => `soak-w${worker}-a${i}`)
  for (const name of names) model.set(name, undefined)
  let nonce = 0
  const fresh = () => `${worker}-${++nonce}`

  const envList = (): Array<EnvVar.EnvVarRequest> => {
    const n = r.int(3)
    const chosen = new Set<string>()
    while (chosen.size < n) chosen.add(r.pick(ENV_POOL))
    return [...chosen].map((name) => ({ name: en(name), value: `v-${fresh()}`, isSecret: r.chance(0.3) }))
  }
  const toModelEnv = (list: ReadonlyArray<EnvVar.EnvVarRequest>) =>
    new Map(list.map((e) => [e.name as string, { value: e.value, isSecret: e.isSecret ?? false }]))

  const newVersionBody = (versionNumber: string): [VersionRequest.CreateVersion, MVersion] => {
    const envVars = r.chance(0.6) ? envList() : undefined
    const buildTag = r.chance(0.5) ? `tag-${fresh()}` : undefined
    const apply = r.chance(0.3) ? true : undefined
    const settings = {
      ...(envVars === undefined ? {} : { envVars }),
      ...(buildTag === undefined ? {} : { buildTag }),
      ...(apply === undefined ? {} : { applyEnvVarsToBuild: apply })
    }
    const m: MVersion = {
      sourceType: "",
      buildTag: buildTag ?? null,
      applyEnvVarsToBuild: apply ?? false,
      envVars: toModelEnv(envVars ?? [])
    }
    const kind = r.int(3)
    if (kind === 0) {
      const url = `https://github.com/soak/repo-${fresh()}#main`
      return [{ versionNumber: vn(versionNumber), sourceType: "GIT_REPO", gitRepoUrl: url, ...settings }, {
        ...m,
        sourceType: "GIT_REPO",
        gitRepoUrl: url
      }]
    }
    if (kind === 1) {
      const url = `https://example.com/soak/${fresh()}.zip`
      return [{ versionNumber: vn(versionNumber), sourceType: "TARBALL", tarballUrl: url, ...settings }, {
        ...m,
        sourceType: "TARBALL",
        tarballUrl: url
      }]
    }
    const content = `console.log(${JSON.stringify(fresh())})`
    return [
      {
        versionNumber: vn(versionNumber),
        sourceType: "SOURCE_FILES",
        sourceFiles: [SourceFile.text("main.js", content)],
        ...settings
      },
      { ...m, sourceType: "SOURCE_FILES", sourceFiles: [{ name: "main.js", format: "TEXT", content }] }
    ]
  }

  while (ops.length < count) {
    const name = r.pick(names)
    const actor = ActorId.make(`owner~${name}`)
    const state = model.get(name)
    if (state === undefined) {
      const [body, m] = newVersionBody("0.0")
      model.set(name, new Map([["0.0", m]]))
      ops.push({
        label: `create Actor ${name}`,
        run: Effect.flatMap(
          Actors.Actors,
          (s) => s.create({ name: ActorName.ActorName.make(name), title: `Soak ${name}`, versions: [body] })
        ),
        expected: ok((a) => (a as { name: string }).name === name ? undefined : "wrong Actor name")
      })
      continue
    }
    const existing = [...state.keys()]
    const missing = VERSION_POOL.filter((v) => !state.has(v))
    const roll = r.int(100)
    if (roll < 12 && missing.length > 0) {
      const number = r.pick(missing)
      const [body, m] = newVersionBody(number)
      state.set(number, m)
      ops.push({
        label: `create version ${name} ${number}`,
        run: Effect.flatMap(ActorVersions.ActorVersions, (s) => s.create(actor, body)),
        expected: ok((v) => (v as { versionNumber: string }).versionNumber === number ? undefined : "wrong version")
      })
    } else if (roll < 16) {
      // A create of a number that exists, with a body that differs from the stored one.
      const number = r.pick(existing)
      const [body] = newVersionBody(number)
      ops.push({
        label: `create existing version ${name} ${number}`,
        run: Effect.flatMap(ActorVersions.ActorVersions, (s) => s.create(actor, body)),
        expected: fail("Forbidden", "version-already-exists")
      })
    } else if (roll < 30) {
      const number = r.pick(existing)
      const m = state.get(number)!
      const kind = r.int(4)
      let body: VersionRequest.UpdateVersion
      if (kind === 0) {
        const tag = `tag-${fresh()}`
        body = { buildTag: tag }
        m.buildTag = tag
      } else if (kind === 1) {
        const envVars = envList()
        body = { envVars }
        m.envVars = toModelEnv(envVars)
      } else if (kind === 2) {
        const url = `https://example.com/soak/${fresh()}.tgz`
        body = { sourceType: "TARBALL", tarballUrl: url }
        m.sourceType = "TARBALL"
        m.tarballUrl = url
      } else {
        const apply = !m.applyEnvVarsToBuild
        body = { applyEnvVarsToBuild: apply }
        m.applyEnvVarsToBuild = apply
      }
      const usePost = r.chance(0.2)
      ops.push({
        label: `update version ${name} ${number} ${JSON.stringify(body)}`,
        run: Effect.flatMap(ActorVersions.ActorVersions, (s) => s.update(actor, vn(number), body, { usePost })),
        expected: ok()
      })
    } else if (roll < 32 && missing.length > 0) {
      const number = r.pick(missing)
      ops.push({
        label: `update missing version ${name} ${number}`,
        run: Effect.flatMap(ActorVersions.ActorVersions, (s) => s.update(actor, vn(number), { buildTag: "x" })),
        expected: fail("NotFound", "record-not-found")
      })
    } else if (roll < 38) {
      const number = r.pick(VERSION_POOL)
      const m = state.get(number)
      const expectedTag = m?.buildTag
      ops.push({
        label: `find version ${name} ${number}`,
        run: Effect.flatMap(ActorVersions.ActorVersions, (s) => s.find(actor, vn(number))),
        expected: ok((value) => {
          const found = value as Option.Option<{ buildTag?: string | null | undefined; versionNumber: string }>
          if (m === undefined) return Option.isNone(found) ? undefined : "found a version the model does not have"
          if (Option.isNone(found)) return "version missing"
          return (found.value.buildTag ?? null) === expectedTag ? undefined : `buildTag ${found.value.buildTag}`
        })
      })
    } else if (roll < 42) {
      const numbers = [...existing].sort()
      ops.push({
        label: `list versions ${name}`,
        run: Effect.flatMap(ActorVersions.ActorVersions, (s) => s.list(actor)),
        expected: ok((value) => {
          const got = (value as ReadonlyArray<{ versionNumber: string }>).map((v) => v.versionNumber).sort()
          return JSON.stringify(got) === JSON.stringify(numbers) ? undefined : `versions ${JSON.stringify(got)}`
        })
      })
    } else if (roll < 56) {
      const number = r.pick(existing)
      const m = state.get(number)!
      const free = ENV_POOL.filter((e) => !m.envVars.has(e))
      if (free.length === 0) continue
      const envName = r.pick(free)
      const isSecret = r.chance(0.3)
      const value = `v-${fresh()}`
      m.envVars.set(envName, { value, isSecret })
      ops.push({
        label: `create env var ${name} ${number} ${envName}`,
        run: Effect.flatMap(
          ActorEnvVars.ActorEnvVars,
          (s) => s.create(actor, vn(number), { name: en(envName), value, isSecret })
        ),
        expected: ok()
      })
    } else if (roll < 59) {
      const number = r.pick(existing)
      const m = state.get(number)!
      const taken = [...m.envVars.keys()]
      if (taken.length === 0) continue
      const envName = r.pick(taken)
      ops.push({
        label: `create existing env var ${name} ${number} ${envName}`,
        run: Effect.flatMap(
          ActorEnvVars.ActorEnvVars,
          (s) => s.create(actor, vn(number), { name: en(envName), value: `other-${fresh()}`, isSecret: false })
        ),
        expected: fail("Forbidden", "env-var-already-exists")
      })
    } else if (roll < 70) {
      const number = r.pick(existing)
      const m = state.get(number)!
      const envName = r.pick(ENV_POOL)
      const current = m.envVars.get(envName)
      const value = `u-${fresh()}`
      const secretChoice = r.int(3) // 0: omit isSecret, 1: false, 2: true
      const body: EnvVar.EnvVarRequest = secretChoice === 0
        ? { name: en(envName), value }
        : { name: en(envName), value, isSecret: secretChoice === 2 }
      if (current !== undefined) {
        m.envVars.set(envName, { value, isSecret: secretChoice === 0 ? current.isSecret : secretChoice === 2 })
      }
      ops.push({
        label: `update env var ${name} ${number} ${envName}`,
        run: Effect.flatMap(ActorEnvVars.ActorEnvVars, (s) => s.update(actor, vn(number), en(envName), body)),
        expected: current === undefined ? fail("NotFound", "record-not-found") : ok()
      })
    } else if (roll < 74) {
      const number = r.pick(existing)
      const m = state.get(number)!
      const envName = r.pick(ENV_POOL)
      const current = m.envVars.get(envName)
      ops.push({
        label: `get env var ${name} ${number} ${envName}`,
        run: Effect.flatMap(ActorEnvVars.ActorEnvVars, (s) => s.find(actor, vn(number), en(envName))),
        expected: ok((value) => {
          const found = value as Option.Option<{ value?: string | undefined; isSecret: boolean }>
          if (current === undefined) return Option.isNone(found) ? undefined : "found an env var the model lacks"
          if (Option.isNone(found)) return "env var missing"
          if (found.value.isSecret !== current.isSecret) return "isSecret differs"
          if (current.isSecret) return found.value.value === undefined ? undefined : "a secret value was returned"
          return found.value.value === current.value ? undefined : "value differs"
        })
      })
    } else if (roll < 84) {
      const number = r.pick(existing)
      const m = state.get(number)!
      const envName = r.pick(ENV_POOL)
      const had = m.envVars.delete(envName)
      ops.push({
        label: `delete env var ${name} ${number} ${envName}`,
        run: Effect.flatMap(ActorEnvVars.ActorEnvVars, (s) => s.delete(actor, vn(number), en(envName))),
        expected: had ? ok() : { _tag: "Gone" }
      })
    } else if (roll < 96) {
      const number = r.pick(VERSION_POOL)
      let expected: Expected
      if (!state.has(number)) expected = { _tag: "Gone" }
      else if (state.size === 1) expected = fail("Forbidden", "too-few-versions")
      else {
        state.delete(number)
        expected = ok()
      }
      ops.push({
        label: `delete version ${name} ${number}`,
        run: Effect.flatMap(ActorVersions.ActorVersions, (s) => s.delete(actor, vn(number))),
        expected
      })
    } else if (roll < 98) {
      model.set(name, undefined)
      ops.push({
        label: `delete Actor ${name}`,
        run: Effect.flatMap(Actors.Actors, (s) => s.delete(actor)),
        expected: ok()
      })
    }
  }
  return ops
}

/** The emulator's state in the model's shape. */
const normalizeSnapshot = (snapshot: Emulator.Snapshot) => {
  const out: Record<string, unknown> = {}
  for (const actor of snapshot.actors) {
    if (actor.username !== "owner") continue
    const versions: Record<string, unknown> = {}
    for (const v of actor.versions) {
      versions[v.versionNumber] = {
        sourceType: v.sourceType,
        gitRepoUrl: v.gitRepoUrl,
        tarballUrl: v.tarballUrl,
        sourceFiles: v.sourceFiles,
        buildTag: v.buildTag,
        applyEnvVarsToBuild: v.applyEnvVarsToBuild,
        envVars: Object.fromEntries(
          [...(v.envVars ?? [])].sort((a, b) => a.name.localeCompare(b.name)).map((e) => [e.name, {
            value: e.value,
            isSecret: e.isSecret
          }])
        )
      }
    }
    out[actor.name] = versions
  }
  return out
}

const normalizeModel = (model: Map<string, MActor | undefined>) => {
  const out: Record<string, unknown> = {}
  for (const [name, actor] of model) {
    if (actor === undefined) continue
    const versions: Record<string, unknown> = {}
    for (const [number, v] of actor) {
      versions[number] = {
        sourceType: v.sourceType,
        gitRepoUrl: v.gitRepoUrl,
        tarballUrl: v.tarballUrl,
        sourceFiles: v.sourceFiles,
        buildTag: v.buildTag,
        applyEnvVarsToBuild: v.applyEnvVarsToBuild,
        envVars: Object.fromEntries([...v.envVars.entries()].sort(([a], [b]) => a.localeCompare(b)))
      }
    }
    out[name] = versions
  }
  return out
}

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map((
        [k, v]
      ) => [k, sortKeys(v)])
    )
  }
  return value
}

// ---------------------------------------------------------------------------
// what the client saw
// ---------------------------------------------------------------------------

interface Observation {
  /** An HTTP status, or 0 for a request that got no answer. */
  readonly status: number
  /** The `Retry-After` the client received, in milliseconds. */
  readonly retryAfterMillis: number | undefined
}

const retryable = (o: Observation) => o.status === 0 || o.status === 429 || o.status >= 500

describe("reliability: fault soak", () => {
  it.scopedLive(
    `${OPERATIONS} mixed operations, ${WORKERS} at a time, through injected faults`,
    () =>
      Effect.gen(function*() {
        const server = yield* Emulator.serve({ rateLimit: false, seed, faults })
        const { layer: logLayer, logs } = captureLogs()

        // Per worker, in order: every answer (or missing answer) the client got.
        const observations = new Map<number, Array<Observation>>()
        let stripped = 0
        let kept = 0
        let requests = 0
        const workerOf = Effect.map(
          FiberRef.get(FiberRef.currentLogAnnotations),
          (annotations) => Number(Option.getOrElse(HashMap.get(annotations, "soak.worker"), () => -1))
        )
        const record = (worker: number, o: Observation) => {
          const list = observations.get(worker) ?? []
          list.push(o)
          observations.set(worker, list)
        }
        // The emulator has one Retry-After setting, so half of its 429s lose the header here,
        // alternately: the client sees 5% with and 5% without.
        const transformClient = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
          HttpClient.transformResponse(client, (effect) =>
            Effect.flatMap(workerOf, (worker) => {
              requests++
              return effect.pipe(
                Effect.tapError(() => Effect.sync(() => record(worker, { status: 0, retryAfterMillis: undefined }))),
                Effect.flatMap((response) => {
                  if (response.status !== 429 || response.headers["retry-after"] === undefined) {
                    record(worker, { status: response.status, retryAfterMillis: undefined })
                    return Effect.succeed(response)
                  }
                  if ((stripped + kept) % 2 === 0) {
                    kept++
                    record(worker, { status: 429, retryAfterMillis: RETRY_AFTER_SECONDS * 1000 })
                    return Effect.succeed(response)
                  }
                  stripped++
                  record(worker, { status: 429, retryAfterMillis: undefined })
                  return Effect.map(response.text, (text) => {
                    const headers = { ...response.headers }
                    delete headers["retry-after"]
                    return HttpClientResponse.fromWeb(response.request, new Response(text, { status: 429, headers }))
                  }).pipe(Effect.orElseSucceed(() => response))
                })
              )
            }))

        const client = Apify.layer({
          baseUrl: server.url,
          token: Redacted.make(server.owner.token),
          timeout: "5 seconds",
          transformClient
        }).pipe(
          Layer.provide(Retry.layer({
            baseDelay: policy.baseDelayMillis,
            maxDelay: policy.maxDelayMillis,
            maxRetries: policy.maxRetries,
            maxElapsed: policy.maxElapsedMillis
          })),
          Layer.provide(NodeHttpClient.layerUndici)
        )

        const model = new Map<string, MActor | undefined>()
        const perWorker = Math.ceil(OPERATIONS / WORKERS)
        const plans = Array.from({ length: WORKERS }, (_, w) => generate(w, perWorker, model))
        const total = plans.reduce((n, p) => n + p.length, 0)
        assert.strictEqual(total, OPERATIONS)

        const mismatches: Array<string> = []
        const outcomes: Record<string, number> = {}
        const elapsedByWorker: Array<number> = []
        const started = performance.now()
        yield* Effect.forEach(plans, (ops, w) =>
          Effect.gen(function*() {
            const t0 = performance.now()
            for (const [i, op] of ops.entries()) {
              const exit = yield* Effect.exit(op.run)
              const key = Exit.isSuccess(exit)
                ? "Success"
                : Option.match(Cause.failureOption(exit.cause), {
                  onNone: () => "Defect",
                  onSome: (e) => `${e._tag}${"type" in e ? ` ${e.type}` : ""}`
                })
              outcomes[key] = (outcomes[key] ?? 0) + 1
              const expected = op.expected
              const problem = ((): string | undefined => {
                if (Exit.isSuccess(exit)) {
                  if (expected._tag === "Gone") return undefined
                  if (expected._tag === "Failure") return `succeeded, expected ${expected.error}`
                  return expected.check?.(exit.value)
                }
                const error = Cause.failureOption(exit.cause)
                if (Option.isNone(error)) return `died: ${String(exit.cause)}`
                const e = error.value
                if (expected._tag === "Gone") {
                  return ApifyError.isRecordNotFound(e) ? undefined : `failed: ${e.message}`
                }
                if (expected._tag === "Success") return `failed: ${e.message}`
                if (e._tag !== expected.error) return `failed with ${e._tag}, expected ${expected.error}: ${e.message}`
                if (expected.type !== undefined && "type" in e && e.type !== expected.type) {
                  return `failed with type ${e.type}, expected ${expected.type}`
                }
                return undefined
              })()
              if (problem !== undefined) mismatches.push(`worker ${w} op ${i} (${op.label}): ${problem}`)
            }
            elapsedByWorker[w] = performance.now() - t0
          }).pipe(Effect.annotateLogs("soak.worker", w)), { concurrency: "unbounded", discard: true }).pipe(
            Effect.provide(Layer.merge(client, logLayer))
          )
        const wallMillis = performance.now() - started

        // 1. every operation ended as the model said
        assert.deepStrictEqual(mismatches.slice(0, 10), [], `${mismatches.length} operations ended unexpectedly`)

        // 2. the final state equals the model's, and nothing is duplicated
        const snapshot = yield* server.emulator.snapshot
        const actorNames = snapshot.actors.map((a) => a.name)
        assert.strictEqual(new Set(actorNames).size, actorNames.length, "an Actor was created twice")
        for (const actor of snapshot.actors) {
          const numbers = actor.versions.map((v) => v.versionNumber)
          assert.strictEqual(new Set(numbers).size, numbers.length, `duplicate version in ${actor.name}`)
          for (const v of actor.versions) {
            const names = (v.envVars ?? []).map((e) => e.name)
            assert.strictEqual(
              new Set(names).size,
              names.length,
              `duplicate env var in ${actor.name} ${v.versionNumber}`
            )
          }
        }
        assert.deepStrictEqual(sortKeys(normalizeSnapshot(snapshot)), sortKeys(normalizeModel(model)))

        // 3. every request the client sent reached the emulator, and no other
        assert.strictEqual(yield* server.emulator.requestCount, requests)

        // 4. each wait is the one the answer demanded, and the time stays within 1.5x of them
        const retryLogs = logs.filter((l) => l.message === "Apify API request failed, retrying")
        const waitsByWorker: Array<number> = []
        const minimumByWorker: Array<number> = []
        let withRetryAfter = 0
        let withoutRetryAfter = 0
        for (let w = 0; w < WORKERS; w++) {
          const failures = (observations.get(w) ?? []).filter(retryable)
          const waits = retryLogs.filter((l) => l.annotations["soak.worker"] === w)
          assert.strictEqual(waits.length, failures.length, `worker ${w}: a retryable answer was not retried`)
          let sum = 0
          let minimum = 0
          for (const [i, log] of waits.entries()) {
            const delay = Number(log.annotations.delayMillis)
            const attempt = Number(log.annotations.attempt)
            const answer = failures[i]!
            if (answer.retryAfterMillis !== undefined) {
              withRetryAfter++
              assert.strictEqual(delay, answer.retryAfterMillis, `worker ${w} wait ${i}: Retry-After not honoured`)
            } else {
              withoutRetryAfter++
              const d = Math.min(policy.baseDelayMillis * 2 ** (attempt - 1), policy.maxDelayMillis)
              assert.isAtLeast(delay, d, `worker ${w} wait ${i}: shorter than the backoff`)
              assert.isAtMost(delay, Math.min(2 * d, policy.maxDelayMillis), `worker ${w} wait ${i}: over 2d`)
              minimum += d - delay
            }
            sum += delay
          }
          waitsByWorker[w] = sum
          minimumByWorker[w] = sum + minimum
        }
        const demanded = Math.max(...waitsByWorker)
        const ratios = elapsedByWorker.map((e, w) => e / waitsByWorker[w]!)
        const statuses: Record<string, number> = {}
        for (const list of observations.values()) {
          for (const o of list) {
            const key = o.status === 0 ? "dropped" : String(o.status)
            statuses[key] = (statuses[key] ?? 0) + 1
          }
        }
        const figures = {
          seed,
          operations: OPERATIONS,
          workers: WORKERS,
          requests,
          answers: statuses,
          retryAfter: { kept, stripped },
          waits: {
            withRetryAfter,
            withoutRetryAfter,
            totalMillis: Math.round(waitsByWorker.reduce((a, b) => a + b, 0))
          },
          outcomes,
          wallMillis: Math.round(wallMillis),
          longestChainWaitMillis: Math.round(demanded),
          wallOverLongestChainWait: Math.round((wallMillis / demanded) * 1000) / 1000,
          workerElapsedOverWaits: {
            min: Math.round(Math.min(...ratios) * 100) / 100,
            max: Math.round(Math.max(...ratios) * 100) / 100
          },
          // the same, counting only the backoff's minimum d for answers without Retry-After
          wallOverLongestChainMinimumWait: Math.round((wallMillis / Math.max(...minimumByWorker)) * 1000) / 1000,
          // time not spent waiting, per request (each worker's elapsed time minus its waits)
          busyMillisPerRequest: Math.round(
            (elapsedByWorker.reduce((a, e, w) => a + e - waitsByWorker[w]!, 0) / requests) * 10
          ) / 10
        }
        writeFigures("fault-soak", figures)
        assert.isAtMost(wallMillis, 1.5 * demanded, "the soak took more than 1.5x the demanded waits")
      }),
    120_000
  )
})
