// Builds and key-value stores: lenient answers, statuses, queries and names.
import { Build, Contract, KeyValueStore, QueryValue } from "@effect-apify/domain"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"

const decodeBuild = Schema.decodeUnknownSync(Build.Build)

describe("Build", () => {
  it("decodes the OpenAPI example leniently, unknown fields dropped and null as absent", () => {
    const build = decodeBuild({
      id: "HG7ML7M8z78YcAPEB",
      actId: "janedoe~my-actor",
      userId: "klmdEpoiojmdEMlk3",
      startedAt: "2019-11-30T07:34:24.202Z",
      finishedAt: null,
      status: "RUNNING",
      meta: { origin: "WEB", clientIp: "172.234.12.34", userAgent: "Mozilla/5.0 (iPad)" },
      stats: null,
      options: { useCache: false, betaPackages: false, memoryMbytes: 1024, diskMbytes: 2048 },
      buildNumber: "0.1.1",
      readme: "# Magic Actor",
      somethingNew: { a: 1 }
    })
    expect(build.status).toBe("RUNNING")
    expect(build.finishedAt).toBeUndefined()
    expect(build.options?.memoryMbytes).toBe(1024)
    expect(build.isFinished).toBe(false)
    expect(Object.keys(build)).not.toContain("readme")
  })

  it("keeps a status it does not know; finished by finishedAt then", () => {
    const base = { id: "b", actId: "a", status: "ARCHIVED" }
    expect(decodeBuild(base).isFinished).toBe(false)
    expect(decodeBuild({ ...base, finishedAt: "2026-01-01T00:00:00.000Z" }).isFinished).toBe(true)
    expect(decodeBuild({ ...base, finishedAt: "2026-01-01T00:00:00+02:00" }).isFinished).toBe(true)
    // a finishedAt that is not a date and time does not end it
    for (const finishedAt of ["", "garbage", "2026", "2026-13-45T99:99:00Z", " 2026-01-01T00:00:00Z"]) {
      expect(decodeBuild({ ...base, finishedAt }).isFinished, finishedAt).toBe(false)
    }
    for (const status of Build.terminalStatuses) expect(decodeBuild({ ...base, status }).isFinished).toBe(true)
    for (const status of ["READY", "RUNNING", "TIMING-OUT", "ABORTING"]) {
      expect(decodeBuild({ ...base, status, finishedAt: "x" }).isFinished).toBe(false)
    }
  })

  it("writes the build query as the API reads it, and refuses a bad version", () => {
    const search = QueryValue.toSearch(Build.CreateQuery, {
      version: "0.1" as never,
      tag: "beta",
      useCache: true,
      waitForFinish: 60
    })
    expect(search).toEqual(Either.right("?version=0.1&tag=beta&useCache=1&waitForFinish=60"))
    expect(Schema.decodeUnknownSync(Build.CreateQuery)({ version: "1.2", useCache: "true", betaPackages: "0" }))
      .toEqual({ version: "1.2", useCache: true, betaPackages: false })
    expect(Either.isLeft(Schema.decodeUnknownEither(Build.CreateQuery)({ version: "1.0.0" }))).toBe(true)
    expect(Either.isLeft(Schema.decodeUnknownEither(Build.GetQuery)({ waitForFinish: "-1" }))).toBe(true)
    expect(QueryValue.toSearch(Build.GetQuery, {})).toEqual(Either.right(""))
  })
})

describe("KeyValueStore", () => {
  it("keeps the URL signing key redacted", () => {
    const store = Schema.decodeUnknownSync(KeyValueStore.KeyValueStore)({
      id: "WkzbQMuFYuamGv3YF",
      name: "actor-abc-source",
      createdAt: "2019-12-12T07:34:14.202Z",
      urlSigningSecretKey: "s3cr3t-signing-key",
      stats: { readCount: 1 }
    })
    expect(store.name).toBe("actor-abc-source")
    expect(String(store.urlSigningSecretKey)).not.toContain("s3cr3t")
    expect(store.urlSigningSecretKey && Redacted.value(store.urlSigningSecretKey)).toBe("s3cr3t-signing-key")
  })

  it("checks store names and record keys as Apify does", () => {
    const name = Schema.decodeUnknownEither(KeyValueStore.StoreName)
    expect(Either.isRight(name("actor-H2k3j4k5l6m7n8p9q-source"))).toBe(true)
    for (const bad of ["", "-a", "a-", "a_b", "a".repeat(64)]) expect(Either.isLeft(name(bad)), bad).toBe(true)
    const key = Schema.decodeUnknownEither(KeyValueStore.RecordKey)
    expect(Either.isRight(key("version-0.1.zip"))).toBe(true)
    expect(Either.isRight(key("a!b-c_d.e'f(g)"))).toBe(true)
    for (const bad of ["", "a/b", "a b", "..", "k".repeat(257)]) expect(Either.isLeft(key(bad)), bad).toBe(true)
  })
})

describe("Operation.idempotent", () => {
  it("every operation may be sent again after a lost answer but the build start", () => {
    const once = Object.values(Contract.operations).filter((operation) => !operation.idempotent)
    expect(once.map((operation) => operation.name)).toEqual(["ActorBuilds.build"])
  })
})
