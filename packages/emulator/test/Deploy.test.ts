/**
 * Builds, logs and key-value stores in the emulator, through both transports on the live clock:
 * the lifecycle READY -> RUNNING -> SUCCEEDED (or FAILED for a source holding
 * `.emulator-build-fail`, or ABORTED), `waitForFinish`, the log that grows and its stream, tags
 * applied to the Actor, stores by name, records in and out, and the error answers.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as zlib from "node:zlib"
import { signature as sign } from "../src/internal/kvStore.js"
import { dataOf, errorOf, gitVersion, Harness, transports } from "./harness.js"
import { storedZip } from "./zipBytes.js"

const buildMillis = 400

interface BuildJson {
  readonly id: string
  readonly status: string
  readonly finishedAt: string | null
  readonly buildNumber: string
}

describe.each(transports)("deploy endpoints (%s)", (_kind, makeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Harness>) =>
    Effect.provide(effect, makeLayer({ rateLimit: false, buildMillis }))

  const seed = (versions: ReadonlyArray<Record<string, unknown>> = [gitVersion("0.1", { buildTag: "beta" })]) =>
    Effect.flatMap(Harness, (h) => h.emulator.seedActor({ name: "my-actor", versions: versions as never }))

  it.live("a build goes READY -> SUCCEEDED, waitForFinish waits, the tag is applied to the Actor", () =>
    run(Effect.gen(function*() {
      const h = yield* Harness
      yield* seed()
      const created = yield* h.call("POST", "/v2/acts/owner~my-actor/builds?version=0.1")
      expect(created.status).toBe(201)
      const build = dataOf<BuildJson>(created)
      expect(build.status).toBe("READY")
      expect(build.buildNumber).toBe("0.1.1")
      expect(created.headers.location).toBe(`${h.base}/v2/actor-builds/${build.id}`)
      const early = yield* h.call("GET", `/v2/actors/owner~my-actor`)
      expect(dataOf<{ taggedBuilds: unknown }>(early).taggedBuilds).toBeNull()
      const done = dataOf<BuildJson>(yield* h.call("GET", `/v2/actor-builds/${build.id}?waitForFinish=10`))
      expect(done.status).toBe("SUCCEEDED")
      expect(done.finishedAt).not.toBeNull()
      const actor = dataOf<{ taggedBuilds: Record<string, { buildId: string }> }>(
        yield* h.call("GET", `/v2/acts/owner~my-actor`)
      )
      expect(actor.taggedBuilds.beta?.buildId).toBe(build.id)
      const second = yield* h.call("POST", "/v2/actors/owner~my-actor/builds?version=0.1&tag=next&waitForFinish=10")
      expect(dataOf<BuildJson>(second)).toMatchObject({ status: "SUCCEEDED", buildNumber: "0.1.2" })
      const tags = dataOf<{ taggedBuilds: Record<string, unknown> }>(yield* h.call("GET", `/v2/acts/owner~my-actor`))
      expect(Object.keys(tags.taggedBuilds).sort()).toEqual(["beta", "next"])
    })))

  it.live("the log grows while the build runs; stream=1 sends it as it grows and ends with the build", () =>
    run(Effect.gen(function*() {
      const h = yield* Harness
      yield* seed()
      const build = dataOf<BuildJson>(yield* h.call("POST", "/v2/acts/owner~my-actor/builds?version=0.1"))
      const first = (yield* h.call("GET", `/v2/logs/${build.id}`, { token: null })).text
      const streamed = yield* h.call("GET", `/v2/actor-builds/${build.id}/log?stream=1`)
      expect(streamed.headers["content-type"]).toContain("text/plain")
      expect(streamed.text.startsWith(first)).toBe(true)
      expect(streamed.text.length).toBeGreaterThan(first.length)
      expect(streamed.text).toContain("Build finished: SUCCEEDED")
      expect(streamed.text.trimEnd().split("\n").length).toBe(6)
      const after = yield* h.call("GET", `/v2/logs/${build.id}`)
      expect(after.text).toBe(streamed.text)
    })))

  it.live("a source holding .emulator-build-fail fails its build, which gets no tag", () =>
    run(Effect.gen(function*() {
      const h = yield* Harness
      yield* seed([{
        versionNumber: "0.1",
        sourceType: "SOURCE_FILES",
        buildTag: "latest",
        sourceFiles: [
          { name: "main.js", format: "TEXT", content: "1" },
          { name: ".emulator-build-fail", format: "TEXT", content: "" }
        ]
      }])
      const build = dataOf<BuildJson>(
        yield* h.call("POST", "/v2/acts/owner~my-actor/builds?version=0.1&waitForFinish=10")
      )
      expect(build.status).toBe("FAILED")
      expect((yield* h.call("GET", `/v2/logs/${build.id}`)).text).toContain(
        "ERROR: the source holds .emulator-build-fail"
      )
      const actor = dataOf<{ taggedBuilds: unknown }>(yield* h.call("GET", `/v2/acts/owner~my-actor`))
      expect(actor.taggedBuilds).toBeNull()
    })))

  it.live("abort ends a running build as ABORTED; a stranger may not; an ended build stays as it is", () =>
    run(Effect.gen(function*() {
      const h = yield* Harness
      yield* seed()
      const build = dataOf<BuildJson>(yield* h.call("POST", "/v2/acts/owner~my-actor/builds?version=0.1"))
      const stranger = h.emulator.users[1]!.token
      const refused = yield* h.call("POST", `/v2/actor-builds/${build.id}/abort`, { token: stranger })
      expect([refused.status, errorOf(refused).type]).toEqual([403, "insufficient-permissions"])
      const aborted = dataOf<BuildJson>(yield* h.call("POST", `/v2/actor-builds/${build.id}/abort`))
      expect(aborted.status).toBe("ABORTED")
      const again = dataOf<BuildJson>(yield* h.call("POST", `/v2/actor-builds/${build.id}/abort`))
      expect(again).toEqual(aborted)
      expect((yield* h.call("GET", `/v2/logs/${build.id}`)).text).toContain("Build was aborted")
    })))

  it.live("error answers: unknown version, bad query, unknown build, missing token", () =>
    run(Effect.gen(function*() {
      const h = yield* Harness
      yield* seed()
      const cases: ReadonlyArray<readonly [string, string, number, string, { token?: null }?]> = [
        ["POST", "/v2/acts/owner~my-actor/builds?version=9.9", 404, "record-not-found"],
        ["POST", "/v2/acts/owner~my-actor/builds", 400, "invalid-input"],
        ["POST", "/v2/acts/owner~my-actor/builds?version=0.1&waitForFinish=-1", 400, "invalid-input"],
        ["GET", "/v2/actor-builds/nope", 404, "record-not-found"],
        ["GET", "/v2/logs/nope", 404, "record-not-found"],
        ["POST", "/v2/acts/owner~my-actor/builds?version=0.1", 401, "user-or-token-not-found", { token: null }],
        ["POST", "/v2/key-value-stores?name=a_b", 400, "invalid-input"],
        ["GET", "/v2/key-value-stores/nope/records/k", 404, "record-not-found", { token: null }]
      ]
      for (const [method, path, status, type, options] of cases) {
        const answer = yield* h.call(method, path, options)
        expect([answer.status, errorOf(answer).type], `${method} ${path}`).toEqual([status, type])
      }
    })))

  it.live("stores by name per user; records in (gzip too) and out with their type; a TARBALL build reads them", () =>
    run(Effect.gen(function*() {
      const h = yield* Harness
      const created = yield* h.call("POST", "/v2/key-value-stores?name=actor-x-source")
      expect(created.status).toBe(201)
      const store = dataOf<{ id: string; name: string }>(created)
      expect(created.headers.location).toBe(`${h.base}/v2/key-value-stores/${store.id}`)
      const again = yield* h.call("POST", "/v2/key-value-stores?name=actor-x-source")
      expect([again.status, dataOf<{ id: string }>(again).id]).toEqual([200, store.id])
      const theirs = yield* h.call("POST", "/v2/key-value-stores?name=actor-x-source", {
        token: h.emulator.users[1]!.token
      })
      expect(dataOf<{ id: string }>(theirs).id).not.toBe(store.id)

      const zip = storedZip([["src/.emulator-build-fail", ""]])
      const put = yield* h.call("PUT", `/v2/key-value-stores/${store.id}/records/version-0.1.zip`, {
        body: zlib.gzipSync(zip),
        headers: { "content-type": "application/zip", "content-encoding": "gzip" }
      })
      expect(put.status).toBe(201)
      const stranger = yield* h.call("PUT", `/v2/key-value-stores/${store.id}/records/x`, {
        body: zip,
        token: h.emulator.users[1]!.token
      })
      expect([stranger.status, errorOf(stranger).type]).toEqual([403, "insufficient-permissions"])
      const got = yield* h.call("GET", `/v2/key-value-stores/${store.id}/records/version-0.1.zip`)
      expect(got.status).toBe(200)
      expect(got.headers["content-type"]).toBe("application/zip")
      expect([...new TextEncoder().encode(got.text)].slice(0, 4)).toEqual([80, 75, 3, 4])
      const byName = yield* h.call("GET", `/v2/key-value-stores/owner~actor-x-source/records/version-0.1.zip`)
      expect(byName.status).toBe(200)
      const missing = yield* h.call("GET", `/v2/key-value-stores/${store.id}/records/nope`)
      expect([missing.status, errorOf(missing).type]).toEqual([404, "record-not-found"])

      const url = `${h.base}/v2/key-value-stores/${store.id}/records/version-0.1.zip`
      yield* seed([
        { versionNumber: "0.1", sourceType: "TARBALL", tarballUrl: url },
        { versionNumber: "0.2", sourceType: "TARBALL", tarballUrl: `${url}-gone` }
      ])
      for (const version of ["0.1", "0.2"]) {
        const build = dataOf<BuildJson>(
          yield* h.call("POST", `/v2/acts/owner~my-actor/builds?version=${version}&waitForFinish=10`)
        )
        expect(build.status, version).toBe("FAILED")
      }
    })))

  it.live("a record is read with its owner's token or its signature: 401 without, 403 with another's token", () =>
    run(Effect.gen(function*() {
      const h = yield* Harness
      const store = dataOf<{ id: string; urlSigningSecretKey: string; generalAccess: string }>(
        yield* h.call("POST", "/v2/key-value-stores?name=actor-x-source")
      )
      expect(store.generalAccess).toBe("RESTRICTED")
      const record = `/v2/key-value-stores/${store.id}/records/version-0.1.zip`
      yield* h.call("PUT", record, {
        body: new Uint8Array([80, 75, 5, 6]),
        headers: { "content-type": "application/zip" }
      })
      // the signature Apify's own client computes (createHmacSignature of @apify/utilities 2.35.11)
      expect(sign("k3y", "version-0.1.zip")).toBe("wkHhQsLmenRO6JUcFuCp")
      const signature = sign(store.urlSigningSecretKey, "version-0.1.zip")
      const cases: ReadonlyArray<readonly [string, string | null | undefined, number, string?]> = [
        [record, null, 401, "user-or-token-not-found"],
        [record, h.emulator.users[1]!.token, 403, "insufficient-permissions"],
        [`${record}?signature=wrong`, null, 401, "user-or-token-not-found"],
        [`${record.replace("0.1.zip", "9.9.zip")}?signature=${signature}`, null, 401, "user-or-token-not-found"],
        [`${record}?signature=${signature}`, null, 200],
        [`${record}?signature=${signature}`, h.emulator.users[1]!.token, 200],
        [record, undefined, 200]
      ]
      for (const [path, token, status, type] of cases) {
        const answer = yield* h.call("GET", path, token === undefined ? {} : { token })
        expect([answer.status, status === 200 ? undefined : errorOf(answer).type], `${path} ${token}`).toEqual([
          status,
          type
        ])
      }
    })))

  it.live("with recordRedirects, a record read without a signature is a 302 to its signed URL on the same server", () =>
    Effect.provide(
      Effect.gen(function*() {
        const h = yield* Harness
        const store = dataOf<{ id: string; urlSigningSecretKey: string }>(
          yield* h.call("POST", "/v2/key-value-stores?name=actor-x-source")
        )
        const record = `/v2/key-value-stores/${store.id}/records/version-0.1.zip`
        const signed = `${h.base}${record}?signature=${sign(store.urlSigningSecretKey, "version-0.1.zip")}`
        yield* h.call("PUT", record, { body: new Uint8Array([80, 75, 5, 6]) })
        const answer = yield* h.call("GET", record)
        // fetch (the loopback harness) follows the redirect, as apify-client does; in memory it is seen as sent
        expect(h.kind === "memory" ? [answer.status, answer.headers.location] : [answer.status, answer.text.length])
          .toEqual(h.kind === "memory" ? [302, signed] : [200, 4])
        expect((yield* h.call("GET", `${record}?disableRedirect=true`)).status).toBe(200)
        expect((yield* h.call("GET", record, { token: null })).status).toBe(401)
      }),
      makeLayer({ rateLimit: false, recordRedirects: true })
    ))

  it.live("faults hit the new routes like the others", () =>
    run(Effect.gen(function*() {
      const h = yield* Harness
      yield* h.emulator.setFaults({
        when: ({ path }) => path.startsWith("/v2/key-value-stores"),
        serverErrors: { probability: 1, status: 503, times: 1 }
      })
      expect((yield* h.call("POST", "/v2/key-value-stores?name=s")).status).toBe(503)
      expect((yield* h.call("POST", "/v2/key-value-stores?name=s")).status).toBe(201)
    })))
})
