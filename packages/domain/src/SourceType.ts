/**
 * Where a version's source code lives.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The source types a version can be created with.
 *
 * @since 0.1.0
 */
export const SourceType = Schema.Literal("SOURCE_FILES", "GIT_REPO", "TARBALL", "GITHUB_GIST").annotations({
  identifier: "SourceType"
})

/**
 * The decoded type of `SourceType`.
 *
 * @since 0.1.0
 */
export type SourceType = typeof SourceType.Type

/**
 * The legacy source type the API may still report for old versions.
 *
 * @since 0.1.0
 */
export const legacySourceCode = "SOURCE_CODE" as const

/**
 * The field each source type requires.
 *
 * @since 0.1.0
 */
export const sourceField = {
  SOURCE_FILES: "sourceFiles",
  GIT_REPO: "gitRepoUrl",
  TARBALL: "tarballUrl",
  GITHUB_GIST: "gitHubGistUrl"
} as const satisfies Record<SourceType, string>
