/**
 * The fast path's records (internal/fastDecode) as objects, beyond equal values: the same
 * prototypes and own keys as Schema's, and each record paired with the JSON it came from as
 * the endpoint pairs Schema's result (internal/received). Also the depth guard's shortcut.
 */
import { Contract, Version } from "@effect-apify/domain"
import { assert, describe, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as Answer from "../../src/internal/answer.js"
import * as Endpoint from "../../src/internal/endpoint.js"
import * as FastDecode from "../../src/internal/fastDecode.js"

const encode = Schema.encodeSync(Version.Version)
const known = Schema.Union(Version.GitRepoVersion, Version.TarballVersion, Version.GitHubGistVersion)

// Valid Git, tarball and gist versions without files as JSON, some with nulls for absent
// fields and a field this library does not know.
const versionJson = fc.tuple(
  Arbitrary.make(known),
  fc.boolean(),
  fc.constantFrom<unknown>(undefined, { nested: [1] })
).map(([version, nulls, extra]) => {
  const json = JSON.parse(JSON.stringify(encode(version))) as Record<string, unknown>
  delete json.sourceFiles // files make a version that only Schema's path takes
  if (nulls) {
    for (const key of ["buildTag", "applyEnvVarsToBuild", "envVars", "sourceFiles"]) json[key] ??= null
  }
  if (extra !== undefined) json.extra = extra
  return json
})

const pageJson = fc.record({
  total: fc.oneof(fc.nat(), fc.constant(null)),
  items: fc.array(versionJson, { maxLength: 4 })
})

const bySchema = Schema.decodeUnknownEither(Contract.listVersions.answer)

// Walks both values in step: same prototype, same own keys (symbols too), same received JSON.
const sameRecords = (fast: unknown, slow: unknown, at: string): void => {
  if (typeof fast !== "object" || fast === null) return assert.strictEqual(fast, slow, at)
  assert.isTrue(typeof slow === "object" && slow !== null, at)
  const other = slow as Record<PropertyKey, unknown>
  assert.strictEqual(Object.getPrototypeOf(fast), Object.getPrototypeOf(other), `prototype at ${at}`)
  assert.deepStrictEqual(Reflect.ownKeys(fast), Reflect.ownKeys(other), `own keys at ${at}`)
  assert.strictEqual(Endpoint.receivedData(fast), Endpoint.receivedData(other), `received data at ${at}`)
  for (const key of Object.keys(fast)) sameRecords((fast as Record<string, unknown>)[key], other[key], `${at}.${key}`)
}

describe("FastDecode records", () => {
  it.prop("are the classes' instances, each paired with its JSON as Schema's result is", [pageJson], ([json]) => {
    const fast = FastDecode.versionList(json)
    const slow = Either.getOrThrow(bySchema(json))
    Endpoint.remember(slow, json)
    assert.isDefined(fast, "a page of well-formed Git, tarball and gist versions takes the fast path")
    sameRecords(fast, slow, "page")
    fast!.items.forEach((version, i) => {
      assert.strictEqual(version._tag, slow.items[i]!._tag)
    })
  }, { fastCheck: { numRuns: 300 } })

  it("keeps the received JSON out of sight: keys, spreading, JSON; a second pairing replaces the first", () => {
    const json = {
      versionNumber: "0.1",
      sourceType: "GIT_REPO",
      gitRepoUrl: "https://github.com/owner/repo",
      envVars: [{ name: "A", value: "1" }],
      extra: true
    }
    const version = FastDecode.version(json)!
    assert.strictEqual(Endpoint.receivedData(version), json)
    assert.strictEqual(Endpoint.receivedData(version.envVars!), json.envVars)
    assert.strictEqual(Endpoint.receivedData(version.envVars![0]!), json.envVars[0])
    assert.deepStrictEqual(Reflect.ownKeys(version), ["versionNumber", "envVars", "gitRepoUrl", "sourceType"])
    assert.isUndefined(Endpoint.receivedData({ ...version }))
    assert.notInclude(JSON.stringify(version), "extra")
    const other = { ...json }
    Endpoint.remember(version, other)
    assert.strictEqual(Endpoint.receivedData(version), other)
    assert.isUndefined(Endpoint.receivedData(Object.freeze({})))
  })
})

describe("the depth guard", () => {
  const request: Answer.Request = { method: "GET", path: "/p", attempts: 1, scrub: (text) => text }
  const detail = (text: string) => {
    const result = Answer.decode(text, Either.right, 200, 1 << 24, request)
    return Either.isLeft(result) ? result.left.detail : "decoded"
  }
  const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth)

  it("refuses a deep body, short or long, and takes a shallow one with brackets in its strings", () => {
    assert.include(detail(nested(513)), "deeper than 512")
    assert.strictEqual(detail(nested(512)), "decoded")
    const padding = JSON.stringify("x".repeat(100_000))
    assert.include(detail(`[${padding},${nested(600)}]`), "deeper than 512")
    assert.strictEqual(detail(JSON.stringify({ text: "[{".repeat(1000) })), "decoded")
    assert.strictEqual(detail(`[${padding},${JSON.stringify(Array.from({ length: 600 }, () => []))}]`), "decoded")
  })
})
