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
import * as Either from "effect/Either"
import type * as CliError from "./CliError.js"
import * as FileHashes from "./FileHashes.js"
import * as TarballDownload from "./TarballDownload.js"
import type * as VersionDiff from "./VersionDiff.js"
import * as ZipReader from "./ZipReader.js"

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

type Files = Extract<VersionDiff.Remote, { readonly _tag: "Listed" | "NotCompared" }>

// The files of a version; a TARBALL version's zip is downloaded and given to `ofZip`.
const readWith = <A>(
  version: Version.Version,
  ofZip: (zip: Uint8Array) => Effect.Effect<A, CliError.InvalidInput>
): Effect.Effect<
  Files | A,
  CliError.InvalidInput | ApifyError.TransportError | ApifyError.ApifyError,
  KeyValueStores.KeyValueStores
> => {
  switch (version._tag) {
    case "SourceFilesVersion":
      return Effect.succeed({ _tag: "Listed", files: FileHashes.ofSourceFiles(version.sourceFiles) })
    case "TarballVersion":
      return TarballDownload.download(version.tarballUrl).pipe(
        Effect.flatMap(ofZip),
        Effect.withSpan("VersionFiles.read", { attributes: { sourceType: "TARBALL" } })
      )
    default:
      return Effect.succeed({ _tag: "NotCompared", reason: elsewhere(version) })
  }
}

const listed = (zip: Uint8Array) => Effect.map(FileHashes.ofZip(zip), (files): Files => ({ _tag: "Listed", files }))

// Whether the zip's files differ from `sizes` in name or size, by its directory alone. A zip
// that cannot be read is left to `FileHashes.ofZip`, which names why.
const sizesDiffer = (zip: Uint8Array, sizes: ReadonlyMap<string, number>): boolean => {
  const tree = ZipReader.tree(zip)
  if (Either.isLeft(tree)) return false
  const { files } = tree.right
  return files.length !== sizes.size || files.some((file) => sizes.get(file.name) !== file.size)
}

/**
 * The files of `version`, by name and hash, or why they are not compared; a TARBALL version's
 * zip is downloaded and read.
 *
 * @since 0.1.0
 */
export const read = (
  version: Version.Version
): Effect.Effect<
  Files,
  CliError.InvalidInput | ApifyError.TransportError | ApifyError.ApifyError,
  KeyValueStores.KeyValueStores
> => readWith(version, listed)

/**
 * `read`, with a failure to download or read a TARBALL version's zip taken as files not
 * compared (the reason says why): for a plan, and for the check that skips an unchanged push,
 * which then pushes. Given the `sizes` of the files a push sends (name to bytes), a zip whose
 * files differ from them in name or size is told apart by its directory alone (`Differs`),
 * nothing inflated.
 *
 * @since 0.1.0
 */
export const readOrExplain = (
  version: Version.Version,
  sizes?: ReadonlyMap<string, number>
): Effect.Effect<VersionDiff.Remote, never, KeyValueStores.KeyValueStores> =>
  readWith(
    version,
    (zip) =>
      sizes !== undefined && sizesDiffer(zip, sizes)
        ? Effect.succeed<VersionDiff.Remote>({ _tag: "Differs" })
        : listed(zip)
  ).pipe(
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
