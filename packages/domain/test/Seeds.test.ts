import { Actor, Envelope, Version, VersionRequest } from "@effect-apify/domain"
import { describe, expect, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import { seedFiles, seedJsonBlocks } from "./Contract.js"

/**
 * The seeds' doc generator printed the `envVars` type (`array | null`) where an example value
 * belongs: `"envVars": "Unknown Type: array,null"`. That string is not data the API sends, so
 * the tests replace it with each of the values the type allows (`null`, a list with a plain and
 * a secret variable) and decode both.
 */
const artefact = "Unknown Type: array,null"
const envVarsExamples: ReadonlyArray<unknown> = [
  null,
  [{ name: "DOMAIN", value: "http://example.com", isSecret: false }, { name: "SECRET", isSecret: true }]
]

const withEnvVars = (value: unknown, envVars: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, v) => v === artefact ? "__ENV_VARS__" : v),
    (_key, v) => v === "__ENV_VARS__" ? envVars : v
  )

const requestEnvVars = [{ name: "DOMAIN", value: "http://example.com", isSecret: false }]

describe("seed pages", () => {
  const blocks = seedFiles().flatMap((file) => seedJsonBlocks(file).map((block) => ({ file, block })))

  it("hold examples to decode", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10)
  })

  for (const [index, { block, file }] of blocks.entries()) {
    it(`example ${index} of ${file} decodes`, () => {
      const value = block as Record<string, unknown>
      if ("error" in value) {
        const decoded = Schema.decodeUnknownSync(Envelope.ErrorBody)(value)
        expect(decoded.error.type).toMatch(/^[a-z-]+$/)
        expect(decoded.error.message.length).toBeGreaterThan(0)
      } else if ("data" in value && "id" in (value.data as object)) {
        const decoded = Schema.decodeUnknownSync(Envelope.Data(Actor.Actor))(value)
        expect(decoded.data.fullName).toBe(`${decoded.data.username}~${decoded.data.name}`)
        expect(decoded.data.versions.map((v) => v._tag)).toEqual([
          "SourceFilesVersion",
          "GitRepoVersion",
          "TarballVersion",
          "GitHubGistVersion"
        ])
      } else if ("data" in value) {
        for (const envVars of envVarsExamples) {
          const decoded = Schema.decodeUnknownSync(Envelope.Data(Version.Version))(withEnvVars(value, envVars))
          expect(decoded.data._tag).toBe("SourceFilesVersion")
          expect(decoded.data.versionNumber).toBe("0.0")
        }
      } else {
        // A request body: what a user sends to create or update a version.
        const body = withEnvVars(value, requestEnvVars)
        const created = Schema.decodeUnknownSync(VersionRequest.CreateVersion)(body)
        expect(created.sourceType).toBe(value.sourceType)
        const updated = Schema.decodeUnknownSync(VersionRequest.UpdateVersion)(body)
        expect(updated.envVars).toEqual("envVars" in value ? requestEnvVars : undefined)
      }
    })
  }
})
