/**
 * A version of an Actor as the API returns it: one class per source type, discriminated by
 * `sourceType` on the wire and by `_tag` in code.
 *
 * Answers decode leniently: unknown fields are dropped, `null` reads as absent, and a legacy
 * `SOURCE_CODE`, a `null` or a future source type decodes into `UnknownSourceVersion`
 * instead of failing.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as EnvVar from "./EnvVar.js"
import * as SourceFile from "./SourceFile.js"
import * as VersionNumber from "./VersionNumber.js"

const nullable = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(schema, { nullable: true, exact: true })

const common = {
  versionNumber: VersionNumber.VersionNumber,
  envVars: nullable(Schema.Array(EnvVar.EnvVar)),
  applyEnvVarsToBuild: nullable(Schema.Boolean),
  buildTag: nullable(Schema.String),
  sourceFiles: nullable(SourceFile.SourceFiles),
  gitRepoUrl: nullable(Schema.String),
  tarballUrl: nullable(Schema.String),
  gitHubGistUrl: nullable(Schema.String)
}

/**
 * A version whose source is inline files.
 *
 * @since 0.1.0
 */
export class SourceFilesVersion extends Schema.Class<SourceFilesVersion>("SourceFilesVersion")({
  ...common,
  sourceType: Schema.Literal("SOURCE_FILES"),
  sourceFiles: SourceFile.SourceFiles
}) {
  /**
   * @since 0.1.0
   */
  get _tag(): "SourceFilesVersion" {
    return "SourceFilesVersion"
  }
}

/**
 * A version built from a Git repository; `gitRepoUrl` may carry a `#branch:subdirectory` fragment.
 *
 * @since 0.1.0
 */
export class GitRepoVersion extends Schema.Class<GitRepoVersion>("GitRepoVersion")({
  ...common,
  sourceType: Schema.Literal("GIT_REPO"),
  gitRepoUrl: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get _tag(): "GitRepoVersion" {
    return "GitRepoVersion"
  }
}

/**
 * A version built from a tarball or ZIP archive at a URL.
 *
 * @since 0.1.0
 */
export class TarballVersion extends Schema.Class<TarballVersion>("TarballVersion")({
  ...common,
  sourceType: Schema.Literal("TARBALL"),
  tarballUrl: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get _tag(): "TarballVersion" {
    return "TarballVersion"
  }
}

/**
 * A version built from a GitHub Gist.
 *
 * @since 0.1.0
 */
export class GitHubGistVersion extends Schema.Class<GitHubGistVersion>("GitHubGistVersion")({
  ...common,
  sourceType: Schema.Literal("GITHUB_GIST"),
  gitHubGistUrl: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get _tag(): "GitHubGistVersion" {
    return "GitHubGistVersion"
  }
}

/**
 * A version whose source type this library does not model: the legacy `SOURCE_CODE`, `null`,
 * a type added after this release, or a known type whose source field is missing. The
 * original `sourceType` is kept.
 *
 * @since 0.1.0
 */
export class UnknownSourceVersion extends Schema.Class<UnknownSourceVersion>("UnknownSourceVersion")({
  ...common,
  sourceType: Schema.optionalWith(Schema.String, { nullable: true, exact: true })
}) {
  /**
   * @since 0.1.0
   */
  get _tag(): "UnknownSourceVersion" {
    return "UnknownSourceVersion"
  }
}

/**
 * Any version the API returns. Match on `_tag` (or `sourceType` for the known variants).
 *
 * @example
 * ```ts
 * import { Version } from "@effect-apify/domain"
 * import * as Match from "effect/Match"
 *
 * const describe = Match.type<Version.Version>().pipe(
 *   Match.tag("GitRepoVersion", (v) => `git ${v.gitRepoUrl}`),
 *   Match.tag("SourceFilesVersion", (v) => `${v.sourceFiles.length} files`),
 *   Match.tag("TarballVersion", (v) => `tarball ${v.tarballUrl}`),
 *   Match.tag("GitHubGistVersion", (v) => `gist ${v.gitHubGistUrl}`),
 *   Match.tag("UnknownSourceVersion", (v) => `source type ${v.sourceType ?? "none"}`),
 *   Match.exhaustive
 * )
 * ```
 *
 * @since 0.1.0
 */
export const Version = Schema.Union(
  SourceFilesVersion,
  GitRepoVersion,
  TarballVersion,
  GitHubGistVersion,
  UnknownSourceVersion
).annotations({ identifier: "Version" })

/**
 * The decoded type of `Version`.
 *
 * @since 0.1.0
 */
export type Version = typeof Version.Type

/**
 * The location of a version's source as one line, e.g. the Git URL or `12 files`.
 *
 * @since 0.1.0
 */
export const sourceSummary = (version: Version): string => {
  switch (version._tag) {
    case "SourceFilesVersion":
      return `${version.sourceFiles.filter((f) => f._tag === "SourceCodeFile").length} files`
    case "GitRepoVersion":
      return version.gitRepoUrl
    case "TarballVersion":
      return version.tarballUrl
    case "GitHubGistVersion":
      return version.gitHubGistUrl
    case "UnknownSourceVersion":
      return version.gitRepoUrl ?? version.tarballUrl ?? version.gitHubGistUrl ?? ""
  }
}
