/**
 * Apify's official JavaScript client, `apify-client`, against the loopback emulator for what a
 * deploy needs (the rest of the suite is ApifyClient.test.ts): builds (start with a tag and
 * waitForFinish, get, waitForFinish, abort), the log, key-value stores (getOrCreate, get) and
 * records (setRecord, getRecord, a missing one undefined).
 */
import { describe, expect, it } from "@effect/vitest"
import { ApifyApiError, ApifyClient } from "apify-client"
import * as Effect from "effect/Effect"
import { Emulator } from "../src/index.js"
import { signature as sign } from "../src/internal/kvStore.js"

const call = <A>(f: () => Promise<A>): Effect.Effect<A, ApifyApiError | Error> =>
  Effect.tryPromise({
    try: f,
    catch: (error) => error instanceof ApifyApiError || error instanceof Error ? error : new Error(String(error))
  })

const setup = Effect.suspend(() => setupWith({}))

function setupWith(options: Emulator.ServeOptions) {
  return Effect.gen(function*() {
    const server = yield* Emulator.serve({ rateLimit: false, buildMillis: 300, ...options })
    yield* server.emulator.seedActor({
      name: "my-actor",
      versions: [
        { versionNumber: "0.1", sourceType: "GIT_REPO", gitRepoUrl: "https://github.com/a/b", buildTag: "latest" },
        {
          versionNumber: "0.2",
          sourceType: "SOURCE_FILES",
          sourceFiles: [{ name: ".emulator-build-fail", format: "TEXT", content: "" }]
        }
      ]
    }).pipe(Effect.orDie)
    return { server, client: new ApifyClient({ baseUrl: server.url, token: server.owner.token, maxRetries: 0 }) }
  })
}

describe("apify-client against the loopback emulator: builds, logs, key-value stores", () => {
  it.scopedLive("actor.build with tag and waitForFinish, build.get / waitForFinish, log.get, the tag on the Actor", () =>
    Effect.gen(function*() {
      const { client } = yield* setup
      const started = yield* call(() => client.actor("owner/my-actor").build("0.1", { tag: "beta", useCache: true }))
      expect(started.status).toBe("READY")
      expect(started.startedAt).toBeInstanceOf(Date)
      const read = yield* call(() => client.build(started.id).get())
      expect(read?.id).toBe(started.id)
      const finished = yield* call(() => client.build(started.id).waitForFinish())
      expect(finished.status).toBe("SUCCEEDED")
      expect(finished.finishedAt).toBeInstanceOf(Date)
      const log = yield* call(() => client.log(started.id).get())
      expect(log).toContain("Build finished: SUCCEEDED")
      const viaBuild = yield* call(() => client.build(started.id).log().get())
      expect(viaBuild).toBe(log)
      const actor = yield* call(() => client.actor("owner/my-actor").get())
      expect(actor?.taggedBuilds?.beta?.buildId).toBe(started.id)
      const waited = yield* call(() => client.actor("owner/my-actor").build("0.2", { waitForFinish: 10 }))
      expect(waited.status).toBe("FAILED")
    }))

  it.scopedLive("build.abort; a missing build and log are undefined", () =>
    Effect.gen(function*() {
      const { client } = yield* setup
      const started = yield* call(() => client.actor("owner/my-actor").build("0.1"))
      const aborted = yield* call(() => client.build(started.id).abort())
      expect(aborted.status).toBe("ABORTED")
      expect(yield* call(() => client.build("nope").get())).toBeUndefined()
      expect(yield* call(() => client.log("nope").get())).toBeUndefined()
    }))

  it.scopedLive("keyValueStores().getOrCreate, setRecord and getRecord (zip bytes, JSON), a missing record undefined", () =>
    Effect.gen(function*() {
      const { client } = yield* setup
      const store = yield* call(() => client.keyValueStores().getOrCreate("actor-x-source"))
      expect(store.name).toBe("actor-x-source")
      const again = yield* call(() => client.keyValueStores().getOrCreate("actor-x-source"))
      expect(again.id).toBe(store.id)
      const zip = Buffer.concat([Buffer.from([80, 75, 3, 4]), Buffer.alloc(5000, 7)])
      yield* call(() =>
        client.keyValueStore(store.id).setRecord({
          key: "version-0.1.zip",
          value: zip as never,
          contentType: "application/zip"
        })
      )
      const record = yield* call(() => client.keyValueStore(store.id).getRecord("version-0.1.zip", { buffer: true }))
      expect(record?.contentType).toBe("application/zip")
      expect(Buffer.compare(record?.value as Buffer, zip)).toBe(0)
      yield* call(() => client.keyValueStore(store.id).setRecord({ key: "OUTPUT", value: { ok: true } }))
      const json = yield* call(() => client.keyValueStore(store.id).getRecord("OUTPUT"))
      expect(json?.value).toEqual({ ok: true })
      expect(yield* call(() => client.keyValueStore(store.id).getRecord("missing"))).toBeUndefined()
    }))

  it.scopedLive("keyValueStore(id).get: by ID and by username~name, nothing created; a missing store undefined", () =>
    Effect.gen(function*() {
      const { client, server } = yield* setup
      const store = yield* call(() => client.keyValueStores().getOrCreate("actor-y-source"))
      const byId = yield* call(() => client.keyValueStore(store.id).get())
      expect([byId?.id, byId?.name, byId?.username]).toEqual([store.id, "actor-y-source", server.owner.username])
      const byName = yield* call(() => client.keyValueStore(`${server.owner.username}~actor-y-source`).get())
      expect(byName?.id).toBe(store.id)
      const before = yield* server.emulator.requestCount
      expect(yield* call(() => client.keyValueStore(`${server.owner.username}~actor-z-source`).get())).toBeUndefined()
      expect(yield* call(() => client.keyValueStore("NoSuchStoreId0001").get())).toBeUndefined()
      expect(yield* server.emulator.requestCount).toBe(before + 2)
      // the GET created nothing: get-or-create makes the store now
      const made = yield* call(() => client.keyValueStores().getOrCreate("actor-z-source"))
      expect(made.id).not.toBe(store.id)
      const log = yield* server.emulator.requestLog
      expect(log.slice(-3).map((r) => [r.method, r.status])).toEqual([["GET", 404], ["GET", 404], ["POST", 201]])
    }))

  it.scopedLive("a restricted store's record: getRecord follows the 302 to its signed URL; without a token, the signature reads it", () =>
    Effect.gen(function*() {
      const { client, server } = yield* setupWith({ recordRedirects: true })
      const store = yield* call(() => client.keyValueStores().getOrCreate("actor-x-source"))
      expect(store.generalAccess).toBe("RESTRICTED")
      const zip = Buffer.from([80, 75, 5, 6])
      yield* call(() =>
        client.keyValueStore(store.id).setRecord({
          key: "version-0.1.zip",
          value: zip as never,
          contentType: "application/zip"
        })
      )
      const record = yield* call(() => client.keyValueStore(store.id).getRecord("version-0.1.zip", { buffer: true }))
      expect(Buffer.compare(record?.value as Buffer, zip)).toBe(0)
      const reads = (yield* server.emulator.requestLog).filter((r) =>
        r.method === "GET" && r.path.includes("/records/")
      )
      expect(reads.map((r) => r.status)).toEqual([302, 200])
      const anonymous = new ApifyClient({ baseUrl: server.url, maxRetries: 0 })
      const refused = yield* Effect.flip(call(() => anonymous.keyValueStore(store.id).getRecord("version-0.1.zip")))
      expect((refused as ApifyApiError).statusCode).toBe(401)
      // as apify-client's getRecordPublicUrl signs (it reads the store first, a route the emulator lacks)
      const signature = sign(store.urlSigningSecretKey ?? "", "version-0.1.zip")
      const signed = yield* call(() =>
        anonymous.keyValueStore(store.id).getRecord("version-0.1.zip", { buffer: true, signature })
      )
      expect(Buffer.compare(signed?.value as Buffer, zip)).toBe(0)
    }))
})
