/**
 * The files of a version, to compare a directory with (`VersionDiff`): a SOURCE_FILES
 * version's `sourceFiles`; a TARBALL version's zip, downloaded as `versions pull` downloads it
 * (`TarballDownload`: the token only to the API's origin, redirects followed, a bound on its
 * size) and read as pull reads it (`ZipReader`: a hostile zip is refused); a version built from
 * a Git repository or a gist holds no files, and says where its sources are instead.
 *
 * @since 0.1.0
 */
import type { ApifyError, KeyValueStores } from "@effect-apify/api"
import type { Version } from "@effect-apify/domain"
import * as Effect from "effect/Effect"
import type * as CliError from "./CliError.js"
import * as FileHashes from "./FileHashes.js"
import * as TarballDownload from "./TarballDownload.js"
import type * as VersionDiff from "./VersionDiff.js"

/**
 * A version whose sources are not in it: built from a Git repository, a gist, or a source type
 * this client does not know.
 *
 * @since 0.1.0
 */
export type Elsewhere = Exclude<Version.Version, Version.SourceFilesVersion | Version.TarballVersion>

/**
 * Why the files of a version that holds none are not compared, naming where its sources are.
 *
 * @since 0.1.0
 */
export const elsewhere = (version: Elsewhere): string => {
  switch (version._tag) {
    case "GitRepoVersion":
      return `the version is built from the Git repository ${version.gitRepoUrl}: it holds no files to compare`
    case "GitHubGistVersion":
      return `the version is built from the gist ${version.gitHubGistUrl}: it holds no files to compare`
    case "UnknownSourceVersion":
      return `the version has the source type ${version.sourceType ?? "(none)"}: it holds no files to compare`
  }
}

/**
 * The files of `version`, by name and hash; a TARBALL version's zip is downloaded and read.
 *
 * @since 0.1.0
 */
export const read = (
  version: Version.Version
): Effect.Effect<
  VersionDiff.Remote,
  CliError.InvalidInput | ApifyError.TransportError | ApifyError.ApifyError,
  KeyValueStores.KeyValueStores
> => {
  switch (version._tag) {
    case "SourceFilesVersion":
      return Effect.succeed({ _tag: "Listed", files: FileHashes.ofSourceFiles(version.sourceFiles) })
    case "TarballVersion":
      return TarballDownload.download(version.tarballUrl).pipe(
        Effect.flatMap(FileHashes.ofZip),
        Effect.map((files): VersionDiff.Remote => ({ _tag: "Listed", files })),
        Effect.withSpan("VersionFiles.read", { attributes: { sourceType: "TARBALL" } })
      )
    default:
      return Effect.succeed({ _tag: "NotCompared", reason: elsewhere(version) })
  }
}

/**
 * `read`, with a failure to download or read a TARBALL version's zip taken as files not
 * compared (the reason says why): for a plan, and for the check that skips an unchanged push,
 * which then pushes.
 *
 * @since 0.1.0
 */
export const readOrExplain = (
  version: Version.Version
): Effect.Effect<VersionDiff.Remote, never, KeyValueStores.KeyValueStores> =>
  read(version).pipe(
    Effect.catchAll((error) =>
      Effect.succeed<VersionDiff.Remote>({
        _tag: "NotCompared",
        reason: `cannot read the version's zip: ${
          error._tag === "TransportError" && version._tag === "TarballVersion"
            ? `no answer from ${withoutQuery(version.tarballUrl)} (${error.detail})`
            : error.message
        }`
      })
    )
  )

// The URL as shown: without its query, where a signature may be.
const withoutQuery = (url: string): string => {
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  return parsed === undefined ? "the tarball URL" : `${parsed.origin}${parsed.pathname}`
}
