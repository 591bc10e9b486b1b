/**
 * The files of a source by name, each with the SHA-256 of its bytes, for comparing a local
 * directory with a version (`VersionDiff`): from a version's `sourceFiles` (BASE64 decoded,
 * TEXT as UTF-8), from the files of a directory read a piece at a time (any size, one buffer),
 * or from the entries of a zip (a TARBALL version's, checked by `ZipReader` and inflated a
 * piece at a time into buffers made once, from the temporary file it was downloaded to). A folder is kept (its name
 * ending in `/`) only when it is empty: one with files is implied by them.
 *
 * @since 0.1.0
 */
import type { SourceFile } from "@effect-apify/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as NodeCrypto from "node:crypto"
import type * as CliError from "./CliError.js"
import * as DirectoryWalk from "./DirectoryWalk.js"
import * as LocalFiles from "./LocalFiles.js"
import type * as SourceDirectory from "./SourceDirectory.js"
import * as SourceWriter from "./SourceWriter.js"
import * as ZipDigests from "./ZipDigests.js"
import type * as ZipDirectory from "./ZipDirectory.js"
import type * as ZipFile from "./ZipFile.js"
import * as ZipReader from "./ZipReader.js"

/**
 * Names (a folder's ending in `/`) to the SHA-256 (hex) of their bytes; a folder's is `folder`.
 *
 * @since 0.1.0
 */
export type Hashes = ReadonlyMap<string, string>

/**
 * What an empty folder is given instead of a hash.
 *
 * @since 0.1.0
 */
export const folderHash = "folder"

/**
 * The hashes of named entries, without the folders that hold another entry. The names are
 * sorted once: whatever follows a folder `a/` in that order and starts with `a/` is inside it,
 * so each folder is settled by one look at its neighbour, whatever the depth of the names
 * (rebuilding every parent of every name is quadratic in the depth).
 *
 * @since 0.1.0
 */
export const fromEntries = (entries: Iterable<readonly [string, string]>): Hashes => {
  const all = new Map(entries)
  const names = [...all.keys()].sort()
  for (let i = 0; i < names.length - 1; i++) {
    const name = names[i]!
    if (name.endsWith("/") && names[i + 1]!.startsWith(name)) all.delete(name)
  }
  return all
}

/**
 * Names of files to whether they are executable (`FileMode`), for the files whose mode is
 * known: those a push zips, and the entries of a zip that give a Unix mode.
 *
 * @since 0.1.0
 */
export type Modes = ReadonlyMap<string, boolean>

/**
 * The modes of the files a walk found.
 *
 * @since 0.1.0
 */
export const modesOfFound = (files: ReadonlyArray<DirectoryWalk.Found>): Modes =>
  new Map(files.map((file) => [file.name, file.executable]))

/**
 * The modes of a zip's file entries that give a Unix mode.
 *
 * @since 0.1.0
 */
export const modesOfEntries = (entries: ReadonlyArray<ZipDirectory.Entry>): Modes =>
  new Map(
    entries.flatMap((entry) => entry.executable === undefined ? [] : [[entry.name, entry.executable] as const])
  )

const sha256 = (bytes: Uint8Array): string => NodeCrypto.createHash("sha256").update(bytes).digest("hex")

const notBase64 = "not base64: "

/**
 * What a BASE64 file whose content is not base64 is given instead of a hash (never a SHA-256,
 * so it differs from every file): `reason` says what is wrong.
 *
 * @since 0.1.0
 */
export const undecodable = (reason: string): string => `${notBase64}${reason}`

/**
 * What is wrong with a file's BASE64 content, when its hash is `undecodable`.
 *
 * @since 0.1.0
 */
export const undecodableReason = (hash: string): string | undefined =>
  hash.startsWith(notBase64) ? hash.slice(notBase64.length) : undefined

/**
 * The hashes of a version's `sourceFiles` (or of the files a push sends inline): BASE64 decoded
 * as `versions pull` decodes it (`SourceWriter.decodeBase64`), a content that is not base64
 * given `undecodable`.
 *
 * @since 0.1.0
 */
export const ofSourceFiles = (files: ReadonlyArray<SourceFile.SourceFile>): Hashes =>
  fromEntries(files.map((f) =>
    f._tag === "SourceCodeFolder"
      ? [`${f.name}/`, folderHash] as const
      : [
        f.name,
        f.format === "BASE64"
          ? Either.match(SourceWriter.decodeBase64(f.content), { onLeft: undecodable, onRight: sha256 })
          : sha256(Buffer.from(f.content, "utf8"))
      ] as const
  ))

/**
 * The size of the buffer a file the walk found is read into, a piece at a time: 1 MiB.
 *
 * @since 0.1.0
 */
export const pieceBytes = 1024 * 1024

// A file the walk found, read again (only if it is still the file the walk saw) a piece at a
// time into `buffer`, each piece given to `take`: its size.
const readFound = (
  file: DirectoryWalk.Found,
  buffer: Uint8Array,
  take: (piece: Uint8Array) => void
): Either.Either<number, CliError.LocalFileError> => LocalFiles.readChunks(file.path, file.name, file, buffer, take)

/**
 * The SHA-256 (hex) of a file the walk found, read again (only if it is still the file the walk
 * saw) a piece at a time into `buffer`.
 *
 * @since 0.1.0
 */
export const sha256Of = (
  file: DirectoryWalk.Found,
  buffer: Uint8Array
): Either.Either<string, CliError.LocalFileError> => {
  const hash = NodeCrypto.createHash("sha256")
  return Either.map(readFound(file, buffer, (piece) => hash.update(piece)), () => hash.digest("hex"))
}

/**
 * The CRC-32 of a file the walk found, as a zip's central directory records it (read as by
 * `sha256Of`).
 *
 * @since 0.1.0
 */
export const crc32Of = (
  file: DirectoryWalk.Found,
  buffer: Uint8Array
): Either.Either<number, CliError.LocalFileError> => {
  let crc = 0
  return Either.map(readFound(file, buffer, (piece) => crc = ZipReader.crc32(piece, crc)), () => crc)
}

/**
 * The hashes of the files a walk found: each read again a piece at a time into one buffer, so
 * that memory does not grow with their size.
 *
 * @since 0.1.0
 */
export const ofFound = (
  files: ReadonlyArray<DirectoryWalk.Found>
): Effect.Effect<Hashes, CliError.LocalFileError> =>
  Effect.gen(function*() {
    const pause = DirectoryWalk.pauser()
    const buffer = new Uint8Array(pieceBytes)
    const hashes: Array<readonly [string, string]> = []
    for (const file of files) {
      yield* pause
      hashes.push([file.name, yield* sha256Of(file, buffer)])
    }
    return fromEntries(hashes)
  })

/**
 * The hashes of a collected directory: from the files read inline, or, over the inline limit
 * (`large`), from the files read again a piece at a time.
 *
 * @since 0.1.0
 */
export const ofCollected = (
  collected: SourceDirectory.Collected
): Effect.Effect<Hashes, CliError.LocalFileError> =>
  collected.large === undefined
    ? Effect.succeed(ofSourceFiles(collected.sourceFiles))
    : ofFound(collected.large.files)

/**
 * The hashes of the entries of a zip (in memory or in a file), checked as `versions pull`
 * checks it and inflated a piece at a time into buffers made once (`ZipDigests.digestsOf`).
 *
 * @since 0.1.0
 */
export const ofZip = <X>(zip: ZipFile.ZipFile<X>): Effect.Effect<Hashes, CliError.InvalidInput | X> =>
  Effect.map(
    ZipDigests.digestsOf(zip, "sha256"),
    ({ files, folders }) => fromEntries([...folders.map((name) => [`${name}/`, folderHash] as const), ...files])
  )
