import {
  Actor,
  ActorId,
  ActorName,
  EnvVar,
  Issue,
  Limits,
  SourceFile,
  VersionNumber,
  VersionRequest
} from "@effect-apify/domain"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"

const encode = <A, I>(schema: Schema.Schema<A, I>) => (value: unknown) => Schema.encodeUnknownEither(schema)(value)

/** The problems a refused value gets, as a user reads them. */
const problems = <A, I>(schema: Schema.Schema<A, I>, value: unknown): ReadonlyArray<string> => {
  const result = encode(schema)(value)
  return Either.isLeft(result) ? Issue.lines(result.left) : []
}

const v = VersionNumber.VersionNumber.make
const name = EnvVar.EnvVarName.make

const invalidVersionNumber = FastCheck.string({ maxLength: 8 }).filter((s) => !VersionNumber.pattern.test(s))

describe("requests encode strictly", () => {
  it.prop("every valid create-version body encodes and decodes back", [Arbitrary.make(VersionRequest.CreateVersion)], ([
    body
  ]) => {
    const encoded = Schema.encodeSync(VersionRequest.CreateVersion)(body)
    expect(Schema.decodeUnknownSync(VersionRequest.CreateVersion)(encoded)).toEqual(body)
  })

  it.prop("every valid update-version body encodes and decodes back", [Arbitrary.make(VersionRequest.UpdateVersion)], ([
    body
  ]) => {
    const encoded = Schema.encodeSync(VersionRequest.UpdateVersion)(body)
    expect(Schema.decodeUnknownSync(VersionRequest.UpdateVersion)(encoded)).toEqual(body)
  })

  it.prop("every valid create-Actor body encodes", [Arbitrary.make(Actor.CreateActor)], ([body]) => {
    expect(Either.isRight(encode(Actor.CreateActor)(body))).toBe(true)
  }, { fastCheck: { numRuns: 50 } })

  it.prop(
    "a bad version number is refused naming versionNumber",
    [Arbitrary.make(VersionRequest.CreateVersion), invalidVersionNumber],
    ([body, bad]) => {
      const lines = problems(VersionRequest.CreateVersion, { ...body, versionNumber: bad })
      expect(lines.length).toBeGreaterThan(0)
      expect(lines.every((line) => line.startsWith("versionNumber:"))).toBe(true)
    }
  )

  it.prop(
    "an env var name with = is refused naming envVars[i].name",
    [Arbitrary.make(VersionRequest.CreateVersion), FastCheck.string({ maxLength: 10 })],
    ([body, prefix]) => {
      const bad = { name: `${prefix}=x`, value: "v" }
      const lines = problems(VersionRequest.CreateVersion, { ...body, envVars: [bad] })
      expect(lines).toContainEqual(expect.stringMatching(/^envVars\[0\]\.name: env var name must not contain "="/))
    }
  )

  it.prop("a missing source field is refused naming it", [Arbitrary.make(VersionRequest.CreateVersion)], ([body]) => {
    const field = {
      SOURCE_FILES: "sourceFiles",
      GIT_REPO: "gitRepoUrl",
      TARBALL: "tarballUrl",
      GITHUB_GIST: "gitHubGistUrl"
    }[body.sourceType]
    const { [field as keyof typeof body]: _removed, ...rest } = body
    expect(problems(VersionRequest.CreateVersion, rest)).toContain(`${field}: is missing`)
  })

  it("an unknown source type is refused naming sourceType", () => {
    expect(problems(VersionRequest.CreateVersion, { versionNumber: "0.1", sourceType: "SOURCE_CODE" })).toEqual([
      "sourceType: Expected \"SOURCE_FILES\" | \"GIT_REPO\" | \"TARBALL\" | \"GITHUB_GIST\", actual \"SOURCE_CODE\""
    ])
  })

  it("an empty Git URL is refused naming gitRepoUrl", () => {
    expect(problems(VersionRequest.CreateVersion, VersionRequest.fromGitRepo(v("0.1"), " "))).toEqual([
      "gitRepoUrl: gitRepoUrl must not be empty"
    ])
  })

  it("repeated env var names are refused", () => {
    const body = VersionRequest.fromGitRepo(v("0.1"), "https://example.com/repo.git", {
      envVars: [EnvVar.plain(name("A"), "1"), EnvVar.secret(name("A"), "2")]
    })
    expect(problems(VersionRequest.CreateVersion, body)).toEqual([
      "envVars: envVars must not repeat a name, \"A\" appears twice"
    ])
  })
})

describe("limits, at the boundary", () => {
  const gitBody = (settings: VersionRequest.Settings) =>
    VersionRequest.fromGitRepo(v("1.0"), "https://example.com/repo.git", settings)

  it("env var name: 100 characters pass, 101 are refused", () => {
    expect(problems(EnvVar.EnvVarRequest, { name: "N".repeat(Limits.maxEnvVarNameLength), value: "" })).toEqual([])
    expect(problems(EnvVar.EnvVarRequest, { name: "N".repeat(Limits.maxEnvVarNameLength + 1), value: "" })).toEqual([
      "name: env var name must be at most 100 characters, got 101"
    ])
  })

  it("env var value: 50,000 characters pass, 50,001 are refused", () => {
    expect(problems(EnvVar.EnvVarRequest, { name: "A", value: "x".repeat(Limits.maxEnvVarValueLength) })).toEqual([])
    expect(problems(EnvVar.EnvVarRequest, { name: "A", value: "x".repeat(Limits.maxEnvVarValueLength + 1) }))
      .toEqual(["value: env var value must be at most 50000 characters, got 50001"])
  })

  it("env vars per version: 100 pass, 101 are refused", () => {
    const envVars = (n: number) => Array.from({ length: n }, (_, i) => EnvVar.plain(name(`VAR_${i}`), "x"))
    expect(problems(VersionRequest.CreateVersion, gitBody({ envVars: envVars(100) }))).toEqual([])
    expect(problems(VersionRequest.CreateVersion, gitBody({ envVars: envVars(101) }))).toEqual([
      "envVars: envVars must hold at most 100 variables, got 101"
    ])
  })

  it("inline sources: 3 MiB pass, 3 MiB + 1 byte is refused with a hint", () => {
    const files = (size: number) => [
      SourceFile.text("a.txt", "a".repeat(size - 8)),
      SourceFile.binary("b.bin", new Uint8Array(6)),
      SourceFile.folder("src")
    ]
    expect(SourceFile.inlineSize(files(Limits.maxInlineSourceBytes))).toBe(Limits.maxInlineSourceBytes)
    expect(
      problems(VersionRequest.CreateVersion, VersionRequest.fromFiles(v("0.0"), files(Limits.maxInlineSourceBytes)))
    )
      .toEqual([])
    expect(
      problems(VersionRequest.CreateVersion, VersionRequest.fromFiles(v("0.0"), files(Limits.maxInlineSourceBytes + 1)))
    ).toEqual([
      "sourceFiles: sourceFiles content totals 3145729 bytes, over the 3145728-byte inline limit; use a TARBALL or GIT_REPO source instead"
    ])
  })

  it("the request body limit is 9,437,184 bytes", () => {
    expect(Limits.maxRequestBodyBytes).toBe(9 * 1024 * 1024)
  })
})

describe("ids and names", () => {
  it.each(["0.0", "0.99", "99.0", "10.10", "1.2"])("version number %s is valid", (s) => {
    expect(Schema.is(VersionNumber.VersionNumber)(s)).toBe(true)
  })

  it.each(["1.0.0", "100.0", "01.0", "1.01", "1", "1.", ".1", "a.b", " 1.0", ""])(
    "version number %j is refused",
    (s) => {
      expect(Schema.is(VersionNumber.VersionNumber)(s)).toBe(false)
    }
  )

  it("username/name is normalised to username~name, only the first slash", () => {
    expect(Schema.decodeSync(ActorId.ActorId)("janedoe/my-actor")).toBe("janedoe~my-actor")
    expect(Schema.decodeSync(ActorId.ActorId)("zdc3Pyhyz3m8vjDeM")).toBe("zdc3Pyhyz3m8vjDeM")
    expect(Either.isLeft(Schema.decodeEither(ActorId.ActorId)("a/b/c"))).toBe(true)
    expect(Either.isLeft(Schema.decodeEither(ActorId.ActorId)("short"))).toBe(true)
  })

  it.prop("every generated Actor id round-trips", [Arbitrary.make(ActorId.ActorIdString)], ([id]) => {
    expect(Schema.decodeSync(ActorId.ActorId)(id)).toBe(id)
    expect(Schema.decodeSync(ActorId.ActorId)(id.replace("~", "/"))).toBe(id)
  })

  it("Actor names follow Apify's rule", () => {
    expect(Schema.is(ActorName.ActorName)("my-actor")).toBe(true)
    expect(Schema.is(ActorName.ActorName)("My-Actor")).toBe(false)
    expect(Schema.is(ActorName.ActorName)("-ab")).toBe(false)
    expect(Schema.is(ActorName.ActorName)("ab")).toBe(false)
    expect(Schema.is(ActorName.ActorName)("a".repeat(63))).toBe(true)
    expect(Schema.is(ActorName.ActorName)("a".repeat(64))).toBe(false)
  })
})
