/**
 * The files of a version, to compare a directory with (`VersionDiff`): a SOURCE_FILES
 * version's `sourceFiles`; a TARBALL version's zip, downloaded as `versions pull` downloads it
 * (`TarballDownload`: the token only to the API's origin, redirects followed, a bound on its
 * size; streamed into a temporary file, removed after) and read from there as pull reads it
 * (`ZipReader`: a hostile zip is refused); a version built from a Git repository or a gist
 * holds no files, and says where its sources are instead.
 *
 * @since 0.1.0
 */
import type { KeyValueStores } from "@effect-apify/api"
import type { Version } from "@effect-apify/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Scope from "effect/Scope"
import * as NodeOs from "node:os"
import type * as CliError from "./CliError.js"
import * as DirectoryWalk from "./DirectoryWalk.js"
import * as FileHashes from "./FileHashes.js"
import * as TarballDownload from "./TarballDownload.js"
import type * as VersionDiff from "./VersionDiff.js"
import * as ZipDigests from "./ZipDigests.js"
import * as ZipDirectory from "./ZipDirectory.js"
import type * as ZipFile from "./ZipFile.js"

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
 * A TARBALL version's zip, downloaded as `versions pull` downloads it into a temporary file,
 * removed when the scope closes.
 *
 * @since 0.1.0
 */
export const zipOf = (
  version: Version.TarballVersion
): Effect.Effect<
  ZipFile.ZipFile<CliError.LocalFileError>,
  TarballDownload.DownloadError | CliError.LocalFileError,
  KeyValueStores.KeyValueStores | Scope.Scope
> => TarballDownload.downloadToFile(version.tarballUrl, NodeOs.tmpdir())

/**
 * The files of `version`, by name and hash, or why they are not compared; a TARBALL version's
 * zip is downloaded and read.
 *
 * @since 0.1.0
 */
export const read = (
  version: Version.Version
): Effect.Effect<
  VersionDiff.Remote,
  TarballDownload.DownloadError | CliError.LocalFileError,
  KeyValueStores.KeyValueStores
> => {
  switch (version._tag) {
    case "SourceFilesVersion":
      return Effect.succeed({ _tag: "Listed", files: FileHashes.ofSourceFiles(version.sourceFiles) })
    case "TarballVersion":
      return zipOf(version).pipe(
        Effect.flatMap((zip) =>
          Effect.map(FileHashes.ofZip(zip), (files): VersionDiff.Remote => ({
            _tag: "Listed",
            files,
            // read by ofZip already, so known to be readable here
            modes: Either.match(ZipDirectory.read(zip), {
              onLeft: () => new Map(),
              onRight: (directory) => FileHashes.modesOfEntries(directory.entries)
            })
          }))
        ),
        Effect.scoped,
        Effect.withSpan("VersionFiles.read", { attributes: { sourceType: "TARBALL" } })
      )
    default:
      return Effect.succeed({ _tag: "NotCompared", reason: elsewhere(version) })
  }
}

/**
 * A tarball URL as shown: without its query, where a signature may be.
 *
 * @since 0.1.0
 */
export const withoutQuery = (url: string): string => {
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  return parsed === undefined ? "the tarball URL" : `${parsed.origin}${parsed.pathname}`
}

/**
 * `read`, with a failure to download or read a TARBALL version's zip taken as files not
 * compared (the reason says why): for a plan.
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

// Whether every folder the zip lists holds a file (an empty one would be removed by the push).
const noEmptyFolder = (entries: ReadonlyArray<ZipDirectory.Entry>): boolean =>
  ![...FileHashes.fromEntries(entries.map((entry) => [entry.name, ""] as const)).keys()].some((name) =>
    name.endsWith("/")
  )

/**
 * Whether a TARBALL version's zip holds exactly `files` (those a push over the inline limit
 * zips), cheapest test first, each stopping at the first file that differs: the names, sizes
 * and executable bits (where the zip gives a Unix mode) in the zip's directory; then each file
 * read a piece at a time for its CRC-32; only then each entry inflated and compared by SHA-256
 * with its file, read again. Nothing is kept per file but what the directory holds. A zip that cannot be downloaded or read holds other files
 * (the push goes ahead).
 *
 * @since 0.1.0
 */
export const holdsExactly = (
  version: Version.TarballVersion,
  files: ReadonlyArray<DirectoryWalk.Found>
): Effect.Effect<boolean, CliError.LocalFileError, KeyValueStores.KeyValueStores> =>
  Effect.scoped(Effect.gen(function*() {
    const zip = yield* Effect.either(zipOf(version))
    if (Either.isLeft(zip)) return false
    const directory = ZipDirectory.read(zip.right)
    if (Either.isLeft(directory)) return false
    const entries = directory.right.entries.filter((entry) => !entry.name.endsWith("/"))
    const byName = new Map(files.map((file) => [file.name, file]))
    if (
      entries.length !== byName.size || entries.some((entry) => {
        const file = byName.get(entry.name)
        return file?.bytes !== entry.originalSize ||
          (entry.executable !== undefined && entry.executable !== file.executable)
      }) ||
      !noEmptyFolder(directory.right.entries)
    ) return false
    const pause = DirectoryWalk.pauser()
    const buffer = new Uint8Array(FileHashes.pieceBytes)
    for (const entry of entries) {
      yield* pause
      const file = byName.get(entry.name)
      if (file === undefined || (yield* FileHashes.crc32Of(file, buffer)) !== entry.crc) return false
    }
    // a local file that cannot be read fails the push; a zip that cannot be read differs
    const same = (name: string, digest: string) => {
      const file = byName.get(name)
      if (file === undefined) return Either.right(false)
      return Either.match(FileHashes.sha256Of(file, buffer), {
        onLeft: (error) => Either.left({ local: error }),
        onRight: (local) => Either.right(local === digest)
      })
    }
    const checked = yield* Effect.either(ZipDigests.everyDigest(zip.right, "sha256", same, directory.right))
    if (Either.isRight(checked)) return checked.right
    return "local" in checked.left ? yield* checked.left.local : false
  })).pipe(Effect.withSpan("VersionFiles.holdsExactly"))
