/**
 * The checked fast path for versions (internal/fastDecode) against Schema's decoder: whatever
 * it returns equals what Schema returns for the same JSON (same classes, same keys in the same
 * order), over well-formed and odd inputs alike; what it does not take goes to Schema.
 */
import { Contract, Envelope, Version } from "@effect-apify/domain"
import { assert, describe, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as Endpoint from "../../src/internal/endpoint.js"
import * as FastDecode from "../../src/internal/fastDecode.js"

const absent = Symbol("absent")

// An object from entries, leaving out the ones drawn as `absent`.
const record = (entries: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(entries).map((drawn) => Object.fromEntries(Object.entries(drawn).filter(([, value]) => value !== absent)))

const odd = fc.constantFrom<unknown>(absent, null, 1, true, "", [], {})
const maybe = (value: fc.Arbitrary<unknown>) => fc.oneof(value, value, odd)

const envVar = record({
  name: maybe(fc.string({ maxLength: 8 })),
  value: maybe(fc.string({ maxLength: 8 })),
  isSecret: maybe(fc.boolean()),
  extra: fc.constantFrom<unknown>(absent, "x")
})

const versionJson = record({
  versionNumber: maybe(fc.constantFrom("0.1", "1.0", "99.99", "01.0", "1", "1.0.0")),
  sourceType: maybe(fc.constantFrom("GIT_REPO", "TARBALL", "GITHUB_GIST", "SOURCE_FILES", "DOCKER")),
  envVars: maybe(fc.array(maybe(envVar), { maxLength: 3 })),
  applyEnvVarsToBuild: maybe(fc.boolean()),
  buildTag: maybe(fc.string({ maxLength: 8 })),
  sourceFiles: fc.constantFrom<unknown>(absent, absent, null, [], [{ name: "a", format: "TEXT", content: "" }]),
  gitRepoUrl: maybe(fc.webUrl()),
  tarballUrl: maybe(fc.webUrl()),
  gitHubGistUrl: maybe(fc.webUrl()),
  extra: fc.constantFrom<unknown>(absent, { nested: true })
})

// The common shape only, so that whole lists of it take the fast path.
const commonVersion = record({
  versionNumber: fc.constantFrom("0.1", "1.0", "99.99"),
  sourceType: fc.constantFrom("GIT_REPO", "TARBALL", "GITHUB_GIST"),
  envVars: fc.constantFrom<unknown>(absent, null).chain((none) =>
    fc.oneof(
      fc.constant(none),
      fc.array(
        record({
          name: fc.string({ maxLength: 8 }),
          value: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom<unknown>(absent, null)),
          isSecret: fc.oneof(fc.boolean(), fc.constantFrom<unknown>(absent, null))
        }),
        { maxLength: 3 }
      )
    )
  ),
  buildTag: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom<unknown>(absent, null)),
  gitRepoUrl: fc.webUrl(),
  tarballUrl: fc.webUrl(),
  gitHubGistUrl: fc.webUrl()
})

// Valid versions as the API would send them: Schema's own arbitrary, encoded to JSON.
const encodedVersion = Arbitrary.make(Version.Version).map((v) =>
  JSON.parse(JSON.stringify(Schema.encodeSync(Version.Version)(v))) as unknown
)

const bySchema = {
  version: Schema.decodeUnknownEither(Version.Version),
  list: Schema.decodeUnknownEither(Contract.listVersions.answer)
}

const sameAsSchema = (fast: unknown, schema: Either.Either<unknown, unknown>) => {
  if (fast === undefined) return
  assert.isTrue(Either.isRight(schema), "the fast path took what Schema refuses")
  const expected = Either.getOrThrow(schema)
  assert.deepStrictEqual(fast, expected)
  assert.strictEqual(JSON.stringify(fast), JSON.stringify(expected), "keys in the same order")
}

describe("FastDecode", () => {
  it.prop(
    "a version: equal to Schema's whenever taken",
    [fc.oneof(versionJson, encodedVersion, commonVersion)],
    ([json]) => {
      sameAsSchema(FastDecode.version(json), bySchema.version(json))
    },
    { fastCheck: { numRuns: 2000 } }
  )

  it.prop(
    "a list of versions: equal to Schema's whenever taken",
    [record({
      total: maybe(fc.nat()),
      items: fc.oneof(
        fc.array(commonVersion, { maxLength: 4 }),
        fc.array(fc.oneof(versionJson, encodedVersion, commonVersion), { maxLength: 4 }),
        odd
      )
    })],
    ([json]) => {
      sameAsSchema(FastDecode.versionList(json), bySchema.list(json))
    },
    { fastCheck: { numRuns: 500 } }
  )

  it("takes the common shape, and the endpoints use it with the same result", () => {
    const version = {
      versionNumber: "0.1",
      sourceType: "GIT_REPO",
      gitRepoUrl: "https://github.com/owner/repo",
      buildTag: "latest",
      envVars: [{ name: "A", value: "1", isSecret: false }, { name: "B", isSecret: true }]
    }
    const page = { total: 2, items: [version, { ...version, versionNumber: "0.2", buildTag: null }] }
    assert.isDefined(FastDecode.version(version))
    assert.isDefined(FastDecode.versionList(page))
    const list = Endpoint.make(Contract.listVersions).decode!({ data: page })
    assert.deepStrictEqual(
      list,
      Schema.decodeUnknownEither(Envelope.Data(Contract.listVersions.answer))({ data: page }).pipe(
        Either.map((envelope) => envelope.data)
      )
    )
    assert.deepStrictEqual(Endpoint.receivedData(Either.getOrThrow(list).items[1]!), page.items[1])
  })
})
