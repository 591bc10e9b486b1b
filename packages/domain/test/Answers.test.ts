import { Actor, Envelope, EnvVar, Version } from "@effect-apify/domain"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Match from "effect/Match"
import * as Schema from "effect/Schema"

const decodeVersion = Schema.decodeUnknownSync(Version.Version)

describe("answers decode leniently", () => {
  it.prop("every version round-trips through its wire form", [Arbitrary.make(Version.Version)], ([version]) => {
    const wire = Schema.encodeSync(Version.Version)(version)
    expect(decodeVersion(JSON.parse(JSON.stringify(wire)))).toEqual(version)
  })

  it.prop("unknown fields are ignored", [Arbitrary.make(Version.Version)], ([version]) => {
    const wire = { ...Schema.encodeSync(Version.Version)(version), futureField: { nested: [1, 2] }, buildId: "abc" }
    expect(decodeVersion(wire)).toEqual(version)
  })

  it("null reads as absent", () => {
    const version = decodeVersion({
      versionNumber: "0.1",
      sourceType: "GIT_REPO",
      gitRepoUrl: "https://github.com/a/b",
      envVars: null,
      applyEnvVarsToBuild: null,
      buildTag: null,
      tarballUrl: null
    })
    expect(version).toMatchObject({ _tag: "GitRepoVersion", gitRepoUrl: "https://github.com/a/b" })
    expect("envVars" in version).toBe(false)
    expect("buildTag" in version).toBe(false)
  })

  it.each([
    ["legacy SOURCE_CODE", "SOURCE_CODE"],
    ["null", null],
    ["a future type", "DOCKER_IMAGE"]
  ])("a %s source type decodes into UnknownSourceVersion", (_label, sourceType) => {
    const version = decodeVersion({ versionNumber: "2.3", sourceType, buildTag: "beta" })
    expect(version._tag).toBe("UnknownSourceVersion")
    expect(version.sourceType ?? null).toBe(sourceType)
    expect(version.buildTag).toBe("beta")
  })

  it("a known type missing its field is kept, as UnknownSourceVersion", () => {
    const version = decodeVersion({ versionNumber: "0.0", sourceType: "GIT_REPO" })
    expect(version).toMatchObject({ _tag: "UnknownSourceVersion", sourceType: "GIT_REPO" })
  })

  it("a secret env var without value decodes", () => {
    const envVar = Schema.decodeUnknownSync(EnvVar.EnvVar)({ name: "TOKEN", isSecret: true })
    expect(envVar.value).toBeUndefined()
    expect(envVar.isSecret).toBe(true)
  })

  it("users can match versions exhaustively", () => {
    const describe = Match.type<Version.Version>().pipe(
      Match.tag("GitRepoVersion", (v) => `git ${v.gitRepoUrl}`),
      Match.tag("SourceFilesVersion", (v) => `${v.sourceFiles.length} files`),
      Match.tag("TarballVersion", (v) => `tarball ${v.tarballUrl}`),
      Match.tag("GitHubGistVersion", (v) => `gist ${v.gitHubGistUrl}`),
      Match.tag("UnknownSourceVersion", (v) => `source type ${v.sourceType ?? "none"}`),
      Match.exhaustive
    )
    expect(describe(decodeVersion({ versionNumber: "0.1", sourceType: "TARBALL", tarballUrl: "https://x/t.zip" })))
      .toBe("tarball https://x/t.zip")
    expect(describe(decodeVersion({ versionNumber: "0.1", sourceType: null }))).toBe("source type none")
    expect(Version.sourceSummary(decodeVersion({
      versionNumber: "0.1",
      sourceType: "SOURCE_FILES",
      sourceFiles: [{ name: "a", format: "TEXT", content: "" }, { name: "src", folder: true }]
    }))).toBe("1 files")
  })

  it("an Actor with only the required fields decodes, with defaults", () => {
    const actor = Schema.decodeUnknownSync(Actor.Actor)({
      id: "zdc3Pyhyz3m8vjDeM",
      userId: "wRsJZtadYvn4mBZmm",
      name: "my-actor",
      username: "jane",
      createdAt: "2019-07-08T11:27:57.401Z",
      modifiedAt: "2019-07-08T11:27:57.401Z",
      pricingInfos: [{ pricingModel: "SOMETHING_NEW", apifyMarginPercentage: 0.2 }, { pricingModel: "FREE" }]
    })
    expect(actor.versions).toEqual([])
    expect(actor.isPublic).toBe(false)
    expect(actor.fullName).toBe("jane~my-actor")
    expect(actor.pricingInfos?.map((p) => p.pricingModel)).toEqual(["SOMETHING_NEW", "FREE"])
  })

  it("an error answer without type or message still decodes", () => {
    expect(Schema.decodeUnknownSync(Envelope.ErrorBody)({ error: {} }).error).toEqual({
      type: "unknown-error",
      message: ""
    })
  })
})
