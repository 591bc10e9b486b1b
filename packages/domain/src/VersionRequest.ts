/**
 * The bodies that create and update versions. They encode strictly: every rule of the API
 * is checked before a byte is sent, with a message that names the field.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as EnvVar from "./EnvVar.js"
import * as RequestBody from "./RequestBody.js"
import * as SourceFile from "./SourceFile.js"
import type * as VersionNumber from "./VersionNumber.js"
import { VersionNumber as VersionNumberSchema } from "./VersionNumber.js"

const nonEmptyUrl = (field: string) =>
  Schema.String.pipe(
    Schema.filter((s) => s.trim().length > 0 || `${field} must not be empty`),
    Schema.annotations({ identifier: field, arbitrary: () => (fc) => fc.webUrl() })
  )

const settings = {
  envVars: Schema.optionalWith(EnvVar.EnvVarRequestList, { exact: true }),
  applyEnvVarsToBuild: Schema.optionalWith(Schema.Boolean, { exact: true }),
  buildTag: Schema.optionalWith(Schema.String, { exact: true })
}

/**
 * Inline files as the source.
 *
 * @since 0.1.0
 */
export const SourceFilesSource = Schema.Struct({
  sourceType: Schema.Literal("SOURCE_FILES"),
  sourceFiles: SourceFile.SourceFilesRequest
})

/**
 * A Git repository as the source.
 *
 * @since 0.1.0
 */
export const GitRepoSource = Schema.Struct({
  sourceType: Schema.Literal("GIT_REPO"),
  gitRepoUrl: nonEmptyUrl("gitRepoUrl")
})

/**
 * A tarball or ZIP URL as the source.
 *
 * @since 0.1.0
 */
export const TarballSource = Schema.Struct({
  sourceType: Schema.Literal("TARBALL"),
  tarballUrl: nonEmptyUrl("tarballUrl")
})

/**
 * A GitHub Gist as the source.
 *
 * @since 0.1.0
 */
export const GitHubGistSource = Schema.Struct({
  sourceType: Schema.Literal("GITHUB_GIST"),
  gitHubGistUrl: nonEmptyUrl("gitHubGistUrl")
})

/**
 * Where a new version's source lives: exactly one of the four source types with its field.
 *
 * @since 0.1.0
 */
export const VersionSource = Schema.Union(SourceFilesSource, GitRepoSource, TarballSource, GitHubGistSource)

/**
 * The decoded type of `VersionSource`.
 *
 * @since 0.1.0
 */
export type VersionSource = typeof VersionSource.Type

/**
 * The body of "create version": a version number, a source, and optional env vars, build
 * tag and `applyEnvVarsToBuild`.
 *
 * @since 0.1.0
 */
export const CreateVersion = Schema.Union(
  Schema.Struct({ versionNumber: VersionNumberSchema, ...settings, ...SourceFilesSource.fields }),
  Schema.Struct({ versionNumber: VersionNumberSchema, ...settings, ...GitRepoSource.fields }),
  Schema.Struct({ versionNumber: VersionNumberSchema, ...settings, ...TarballSource.fields }),
  Schema.Struct({ versionNumber: VersionNumberSchema, ...settings, ...GitHubGistSource.fields })
).pipe(Schema.filter(RequestBody.problem), Schema.annotations({ identifier: "CreateVersion" }))

/**
 * The decoded type of `CreateVersion`.
 *
 * @since 0.1.0
 */
export type CreateVersion = typeof CreateVersion.Type

/**
 * The body of "update version": every field optional, and an absent field stays as it is.
 * `envVars`, when given, replaces the whole list. Changing `sourceType` does not clear the
 * other source fields.
 *
 * @since 0.1.0
 */
export const UpdateVersion = Schema.Struct({
  versionNumber: Schema.optionalWith(VersionNumberSchema, { exact: true }),
  sourceType: Schema.optionalWith(
    Schema.Literal("SOURCE_FILES", "GIT_REPO", "TARBALL", "GITHUB_GIST"),
    { exact: true }
  ),
  sourceFiles: Schema.optionalWith(SourceFile.SourceFilesRequest, { exact: true }),
  gitRepoUrl: Schema.optionalWith(nonEmptyUrl("gitRepoUrl"), { exact: true }),
  tarballUrl: Schema.optionalWith(nonEmptyUrl("tarballUrl"), { exact: true }),
  gitHubGistUrl: Schema.optionalWith(nonEmptyUrl("gitHubGistUrl"), { exact: true }),
  envVars: Schema.optionalWith(EnvVar.EnvVarRequestList, { exact: true }),
  applyEnvVarsToBuild: Schema.optionalWith(Schema.Boolean, { exact: true }),
  buildTag: Schema.optionalWith(Schema.NullOr(Schema.String), { exact: true })
}).pipe(Schema.filter(RequestBody.problem), Schema.annotations({ identifier: "UpdateVersion" }))

/**
 * The decoded type of `UpdateVersion`.
 *
 * @since 0.1.0
 */
export type UpdateVersion = typeof UpdateVersion.Type

/**
 * Settings shared by the constructors below.
 *
 * @since 0.1.0
 */
export interface Settings {
  readonly envVars?: ReadonlyArray<EnvVar.EnvVarRequest>
  readonly applyEnvVarsToBuild?: boolean
  readonly buildTag?: string
}

/**
 * A version built from a Git repository.
 *
 * @example
 * ```ts
 * import { VersionNumber, VersionRequest } from "@effect-apify/domain"
 *
 * const body = VersionRequest.fromGitRepo(
 *   VersionNumber.VersionNumber.make("0.1"),
 *   "https://github.com/me/actor#main:src",
 *   { buildTag: "latest" }
 * )
 * ```
 *
 * @since 0.1.0
 */
export const fromGitRepo = (
  versionNumber: VersionNumber.VersionNumber,
  gitRepoUrl: string,
  settings: Settings = {}
): CreateVersion => ({ versionNumber, ...settings, sourceType: "GIT_REPO", gitRepoUrl })

/**
 * A version built from a tarball or ZIP URL.
 *
 * @since 0.1.0
 */
export const fromTarball = (
  versionNumber: VersionNumber.VersionNumber,
  tarballUrl: string,
  settings: Settings = {}
): CreateVersion => ({ versionNumber, ...settings, sourceType: "TARBALL", tarballUrl })

/**
 * A version built from a GitHub Gist.
 *
 * @since 0.1.0
 */
export const fromGist = (
  versionNumber: VersionNumber.VersionNumber,
  gitHubGistUrl: string,
  settings: Settings = {}
): CreateVersion => ({ versionNumber, ...settings, sourceType: "GITHUB_GIST", gitHubGistUrl })

/**
 * A version whose source is the given files and folders.
 *
 * @example
 * ```ts
 * import { SourceFile, VersionNumber, VersionRequest } from "@effect-apify/domain"
 *
 * const body = VersionRequest.fromFiles(VersionNumber.VersionNumber.make("0.0"), [
 *   SourceFile.text("main.js", "console.log('hello')"),
 *   SourceFile.folder("src")
 * ])
 * ```
 *
 * @since 0.1.0
 */
export const fromFiles = (
  versionNumber: VersionNumber.VersionNumber,
  sourceFiles: ReadonlyArray<SourceFile.SourceFile>,
  settings: Settings = {}
): CreateVersion => ({ versionNumber, ...settings, sourceType: "SOURCE_FILES", sourceFiles })

/**
 * Turns a create body into the update body that sets the same fields.
 *
 * @since 0.1.0
 */
export const toUpdate = (create: CreateVersion): UpdateVersion => create
