/**
 * The digests of the files a zip holds (a TARBALL version's), for `versions diff`, `--plan` and
 * the unchanged check of a push: the zip checked as `versions pull` checks it
 * (`ZipReader.checkedOf`), then each entry read and inflated a 64 KiB piece at a time into
 * buffers made once for all the entries, stopped as soon as it passes its declared size, and
 * checked against that size and its CRC-32. Memory holds a piece, whatever the size or number of
 * the entries (decision 0011).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as NodeCrypto from "node:crypto"
import * as NodeZlib from "node:zlib"
import { Z_NO_FLUSH, Z_OK, Z_STREAM_END, zlibInflate, zlibInflateInit2, zlibInflateReset, ZStream } from "pako"
import type * as CliError from "./CliError.js"
import * as DirectoryWalk from "./DirectoryWalk.js"
import * as ZipDirectory from "./ZipDirectory.js"
import type * as ZipFile from "./ZipFile.js"
import * as ZipReader from "./ZipReader.js"

// The buffers `digestsOf` makes once for all the entries: a piece of the zip as read, a piece
// as inflated, and pako's inflate state (with its 32 KiB window), reset for each entry.
interface Reused {
  readonly input: Uint8Array
  readonly output: Uint8Array<ArrayBuffer>
  readonly inflate: ZStream
}

// The largest entry inflated at once by Node's zlib (its output taken from Node's shared pool of
// small buffers): pako's reset makes 5.8 KB of tables per entry, which thousands of small
// entries would leave to the garbage collector.
const smallBytes = 4 * 1024

// An entry's bytes: each call gives the next piece (stored: as read; deflated: as inflated,
// at most a piece), undefined after the last, or why the data does not inflate. A piece is
// valid until the next call.
const piecesOf = <X>(
  zip: ZipFile.ZipFile<X>,
  start: number,
  entry: ZipDirectory.Entry,
  reused: Reused
): () => Either.Either<Uint8Array | undefined, CliError.InvalidInput | X> => {
  let fed = 0
  const read = () => {
    const piece = zip.read(start + fed, Math.min(ZipReader.pieceBytes, entry.compressedSize - fed), reused.input)
    if (Either.isRight(piece)) fed += piece.right.length
    return piece
  }
  if (entry.method === 0) return () => fed === entry.compressedSize ? Either.right(undefined) : read()
  if (entry.originalSize <= smallBytes && entry.compressedSize <= ZipReader.pieceBytes) {
    const size = Math.max(64, entry.originalSize)
    let done = false
    // zlib stops once its output passes maxOutputLength (by a piece of `size` at most)
    const inflate = (input: Uint8Array) =>
      Either.try(() => NodeZlib.inflateRawSync(input, { chunkSize: size, maxOutputLength: size })).pipe(
        Either.orElse(() => ZipReader.notAsDeclared(entry))
      )
    return () => {
      if (done) return Either.right(undefined)
      done = true
      return Either.flatMap(read(), inflate)
    }
  }
  const z = reused.inflate
  zlibInflateReset(z)
  z.avail_in = 0
  let ended = false
  return () => {
    while (!ended) {
      // (with all the data read, what pako holds may still come out)
      if (z.avail_in === 0 && fed < entry.compressedSize) {
        const piece = read()
        if (Either.isLeft(piece)) return Either.left(piece.left)
        z.input = piece.right
        z.next_in = 0
        z.avail_in = piece.right.length
      }
      const before = z.avail_in
      z.output = reused.output
      z.next_out = 0
      z.avail_out = reused.output.length
      const status = zlibInflate(z, Z_NO_FLUSH)
      ended = status === Z_STREAM_END
      const made = reused.output.length - z.avail_out
      if (made > 0) return Either.right(reused.output.subarray(0, made))
      // neither output nor input taken: the data ends early or is not deflate
      if (!ended && (status !== Z_OK || z.avail_in === before)) return ZipReader.notAsDeclared(entry)
    }
    return Either.right(undefined)
  }
}

// The most pieces hashed between two looks at the event loop (16 MiB).
const stepPieces = 256

// The digest of one entry, its pieces hashed as they come; it must end at its declared size
// and CRC-32 (and is stopped as soon as it passes that size).
const digestOf = <X>(
  next: () => Either.Either<Uint8Array | undefined, CliError.InvalidInput | X>,
  entry: ZipDirectory.Entry,
  algorithm: string,
  pause: Effect.Effect<void>
) =>
  Effect.gen(function*() {
    const hash = NodeCrypto.createHash(algorithm)
    let size = 0
    let crc = 0
    // true at the entry's end
    const step = (): Either.Either<boolean, CliError.InvalidInput | X> => {
      for (let n = 0; n < stepPieces; n++) {
        const piece = next()
        if (Either.isLeft(piece)) return Either.left(piece.left)
        if (piece.right === undefined) {
          return size === entry.originalSize && crc === entry.crc ? Either.right(true) : ZipReader.notAsDeclared(entry)
        }
        size += piece.right.length
        if (size > entry.originalSize) return ZipReader.notAsDeclared(entry)
        crc = ZipReader.crc32(piece.right, crc)
        hash.update(piece.right)
      }
      return Either.right(false)
    }
    while (!(yield* step())) yield* pause
    return hash.digest("hex")
  })

// Each file of the zip digested in turn and given to `visit` with its name, until `visit`
// answers false; the zip's folders (with their parents), and whether every file was visited.
const visitDigests = <X, E>(
  zip: ZipFile.ZipFile<X>,
  algorithm: string,
  directory: ZipDirectory.Directory | undefined,
  visit: (name: string, digest: string) => Either.Either<boolean, E>
): Effect.Effect<
  { readonly folders: ReadonlyArray<string>; readonly visitedAll: boolean },
  CliError.InvalidInput | X | E
> =>
  Effect.gen(function*() {
    const { files, start, tree } = yield* ZipReader.checkedOf(
      zip,
      directory === undefined ? ZipDirectory.read(zip) : Either.right(directory)
    )
    const reused: Reused = {
      input: new Uint8Array(ZipReader.pieceBytes),
      output: new Uint8Array(ZipReader.pieceBytes),
      inflate: new ZStream()
    }
    zlibInflateInit2(reused.inflate, -15)
    const pause = DirectoryWalk.pauser()
    for (const entry of files) {
      const next = piecesOf(zip, yield* ZipReader.locate(zip, start, entry), entry, reused)
      if (!(yield* visit(entry.name, yield* digestOf(next, entry, algorithm, pause)))) {
        return { folders: tree.folders, visitedAll: false }
      }
      yield* pause
    }
    return { folders: tree.folders, visitedAll: true }
  })

/**
 * The digest (`algorithm` of `node:crypto`, in hex) of each file a zip holds, and its folders
 * (with their parents, as `treeOf` lists them), the zip checked as `treeOf` checks it. Each
 * entry is read and inflated a 64 KiB piece at a time into buffers made once for all the
 * entries (pako's inflate, reset for each; Node's zlib at once for an entry of at most 4 KiB),
 * stopped as soon as it passes its declared size, and must end at that size and CRC-32.
 * Memory holds a piece, whatever the size or number of the entries: Node's zlib streams make
 * every piece of output anew, and the garbage collector left tens of MB of them. The event
 * loop gets a turn every 50 ms, within an entry too, so that Ctrl-C is heard.
 *
 * @since 0.1.0
 */
export const digestsOf = <X>(
  zip: ZipFile.ZipFile<X>,
  algorithm: string
): Effect.Effect<
  { readonly folders: ReadonlyArray<string>; readonly files: ReadonlyArray<readonly [string, string]> },
  CliError.InvalidInput | X
> =>
  Effect.suspend(() => {
    const files: Array<readonly [string, string]> = []
    return Effect.map(
      visitDigests(zip, algorithm, undefined, (name, digest) => Either.right(files.push([name, digest]) > 0)),
      ({ folders }) => ({ folders, files })
    )
  })

/**
 * Whether `test` holds for every file of a zip, given its name and digest (as `digestsOf` makes
 * them, one file at a time, none kept): the files after the first it fails for are not read.
 * `directory`: the zip's central directory (`ZipDirectory.read`), when it was read already.
 *
 * @since 0.1.0
 */
export const everyDigest = <X, E>(
  zip: ZipFile.ZipFile<X>,
  algorithm: string,
  test: (name: string, digest: string) => Either.Either<boolean, E>,
  directory?: ZipDirectory.Directory
): Effect.Effect<boolean, CliError.InvalidInput | X | E> =>
  Effect.map(visitDigests(zip, algorithm, directory, test), ({ visitedAll }) => visitedAll)
