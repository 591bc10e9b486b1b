/**
 * Reads the files of a zip (a TARBALL version's sources) for `versions pull` (and checks it for
 * `ZipDigests`). The central directory is read first (`ZipDirectory`: ZIP64 included, records
 * that disagree refused), so that a link entry, an encrypted entry, a name refused by
 * `SourceWriter.refusal`, or sizes over the bound (a zip bomb) refuse the zip before the first
 * byte is inflated. Only those entries are then read (from memory or from a file: `ZipFile`)
 * and inflated, each from its own local header and only as it is written, a piece at a time,
 * with Node's zlib stopped as soon as the output passes the declared size; each must come out
 * at exactly its declared size and CRC-32.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as NodeZlib from "node:zlib"
import type * as CliError from "./CliError.js"
import * as Format from "./Format.js"
import * as SourceWriter from "./SourceWriter.js"
import * as TerminalText from "./TerminalText.js"
import * as ZipDirectory from "./ZipDirectory.js"
import * as ZipFile from "./ZipFile.js"
import * as ZipLimits from "./ZipLimits.js"

/**
 * The most a pulled zip may hold once inflated, and its entries (`ZipLimits`: 2 GiB, 100,000).
 *
 * @since 0.1.0
 */
export const limits = { maxInflatedBytes: ZipLimits.maxInflatedBytes, maxEntries: ZipLimits.maxEntries } as const

const crcTable = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

// Node's own (20.15 on) where there is one: some 10 times faster.
const nativeCrc32 = (NodeZlib as Partial<typeof NodeZlib>).crc32

/**
 * The CRC-32 of bytes, as zip records it; of bytes that follow others, given the CRC-32 of
 * those (`previous`).
 *
 * @since 0.1.0
 */
export const crc32 = (bytes: Uint8Array, previous = 0): number => {
  if (nativeCrc32 !== undefined) return nativeCrc32(bytes, previous)
  let c = (previous ^ 0xffffffff) >>> 0
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const shown = (name: string) => TerminalText.escape(JSON.stringify(name))

const localHeader = 0x04034b50

// Why an entry cannot be inflated, if it cannot: compression, encryption, sizes.
const unreadable = (entry: ZipDirectory.Entry): string | undefined => {
  if (entry.isLink) return `the zip holds a symbolic link: ${shown(entry.name)}`
  if ((entry.flags & 1) !== 0) return `the zip entry ${shown(entry.name)} is encrypted`
  if (entry.method !== 0 && entry.method !== 8) {
    return `the zip entry ${
      shown(entry.name)
    } uses compression method ${entry.method} (only stored and deflated are read)`
  }
  if (entry.method === 0 && entry.compressedSize !== entry.originalSize) {
    return `the zip entry ${shown(entry.name)} is stored, but its two sizes differ`
  }
  return undefined
}

/**
 * Where an entry's compressed data starts in the zip: after its local header, which must be
 * where the central directory says and name it; the data must end before the central
 * directory (which starts at `directoryStart`).
 *
 * @since 0.1.0
 */
export const locate = <X>(
  zip: ZipFile.ZipFile<X>,
  directoryStart: number,
  entry: ZipDirectory.Entry
): Either.Either<number, CliError.InvalidInput | X> => {
  const at = entry.localOffset
  const headerLength = 30 + entry.nameBytes.length
  if (at + headerLength > directoryStart) {
    return ZipDirectory.refused(`the zip entry ${shown(entry.name)} has no local header where the directory says`)
  }
  const read = zip.read(at, headerLength)
  if (Either.isLeft(read)) return Either.left(read.left)
  const header = read.right
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength)
  if (view.getUint32(0, true) !== localHeader) {
    return ZipDirectory.refused(`the zip entry ${shown(entry.name)} has no local header where the directory says`)
  }
  if (
    view.getUint16(26, true) !== entry.nameBytes.length || Buffer.compare(header.subarray(30), entry.nameBytes) !== 0
  ) {
    return ZipDirectory.refused(`the zip entry ${shown(entry.name)} has a local header with another name`)
  }
  const start = at + headerLength + view.getUint16(28, true)
  if (start + entry.compressedSize > directoryStart) {
    return ZipDirectory.refused(`the zip entry ${shown(entry.name)} runs past the end of the data`)
  }
  return Either.right(start)
}

/**
 * The most of a zip read at once, and the most of an entry inflated at once: 64 KiB.
 *
 * @since 0.1.0
 */
export const pieceBytes = 64 * 1024

/**
 * The refusal of an entry whose data does not inflate to its declared size and CRC-32.
 *
 * @since 0.1.0
 */
export const notAsDeclared = (entry: ZipDirectory.Entry): Either.Either<never, CliError.InvalidInput> =>
  ZipDirectory.refused(`the zip entry ${shown(entry.name)} does not inflate to its declared size and CRC`)

// A stored entry: its bytes as they are in the zip, a piece at a time; they must have its
// declared CRC-32.
const stored = <X, E>(
  zip: ZipFile.ZipFile<X>,
  start: number,
  entry: ZipDirectory.Entry,
  write: (piece: Uint8Array) => Either.Either<void, E>
): Either.Either<void, CliError.InvalidInput | X | E> => {
  const scratch = new Uint8Array(Math.min(pieceBytes, entry.compressedSize))
  let crc = 0
  for (let done = 0; done < entry.compressedSize;) {
    const read = zip.read(start + done, Math.min(pieceBytes, entry.compressedSize - done), scratch)
    if (Either.isLeft(read)) return Either.left(read.left)
    crc = crc32(read.right, crc)
    const written = write(read.right)
    if (Either.isLeft(written)) return written
    done += read.right.length
  }
  return crc === entry.crc ? Either.void : notAsDeclared(entry)
}

// A deflated entry, read a piece at a time (the next once zlib has taken the last) and
// inflated by Node's zlib, each piece of output written as it comes; stopped as soon as it
// passes its declared size, it must end at that size and CRC-32.
const inflated = <X, E>(
  zip: ZipFile.ZipFile<X>,
  start: number,
  entry: ZipDirectory.Entry,
  write: (piece: Uint8Array) => Either.Either<void, E>
) =>
  Effect.async<void, CliError.InvalidInput | X | E>((resume) => {
    const inflater = NodeZlib.createInflateRaw({ chunkSize: pieceBytes })
    let size = 0
    let crc = 0
    let fed = 0
    let done = false
    const finish = (outcome: Either.Either<void, CliError.InvalidInput | X | E>) => {
      if (done) return
      done = true
      inflater.destroy()
      resume(outcome)
    }
    inflater.on("data", (piece: Buffer) => {
      if (done) return
      size += piece.length
      if (size > entry.originalSize) return finish(notAsDeclared(entry))
      crc = crc32(piece, crc)
      const written = write(piece)
      if (Either.isLeft(written)) finish(written)
    })
    inflater.on("end", () =>
      finish(size === entry.originalSize && crc === entry.crc ? Either.void : notAsDeclared(entry)))
    inflater.on("error", () =>
      finish(notAsDeclared(entry)))
    // zlib has taken the whole piece when it calls back: the next is read into the same bytes.
    const scratch = new Uint8Array(Math.min(pieceBytes, entry.compressedSize))
    const feed = (): void => {
      if (done) return
      if (fed === entry.compressedSize) return void inflater.end()
      const read = zip.read(start + fed, Math.min(pieceBytes, entry.compressedSize - fed), scratch)
      if (Either.isLeft(read)) return finish(Either.left(read.left))
      fed += read.right.length
      inflater.write(read.right, (error) => error ? finish(notAsDeclared(entry)) : feed())
    }
    feed()
    return Effect.sync(() => {
      done = true
      inflater.destroy()
    })
  })

/**
 * A zip checked as `treeOf` checks it: where its central directory starts (its entries' data
 * lies before), the entries of its files, and its tree.
 *
 * @since 0.1.0
 */
export interface Checked<X> {
  readonly start: number
  readonly files: ReadonlyArray<ZipDirectory.Entry>
  readonly tree: SourceWriter.Tree<X>
}

/**
 * The zip's entries and tree, checked before anything is inflated (see `treeOf`); `directory`,
 * its central directory (`ZipDirectory.read`) when it was read already.
 *
 * @since 0.1.0
 */
export const checkedOf = <X>(
  zip: ZipFile.ZipFile<X>,
  directory: Either.Either<ZipDirectory.Directory, CliError.InvalidInput | X> = ZipDirectory.read(zip)
): Either.Either<Checked<X>, CliError.InvalidInput | X> => {
  if (Either.isLeft(directory)) return Either.left(directory.left)
  const { entries, start } = directory.right
  for (const entry of entries) {
    const why = unreadable(entry)
    if (why !== undefined) return ZipDirectory.refused(why)
  }
  const total = entries.reduce((sum, e) => sum + e.originalSize, 0)
  if (total > limits.maxInflatedBytes) {
    return ZipDirectory.refused(
      `the zip inflates to ${Format.bytes(total)}, over the ${Format.bytes(limits.maxInflatedBytes)} bound`
    )
  }
  const isFolder = (e: ZipDirectory.Entry) => e.name.endsWith("/")
  const checked = SourceWriter.planEntries<X>(entries.map((e) => ({
    name: isFolder(e) ? e.name.slice(0, -1) : e.name,
    content: isFolder(e) ? undefined : {
      size: e.originalSize,
      executable: e.executable === true,
      pour: (write) =>
        Effect.flatMap(
          locate(zip, start, e),
          (at) => e.method === 0 ? stored(zip, at, e, write) : inflated(zip, at, e, write)
        )
    }
  })))
  if (Either.isLeft(checked)) return Either.left(checked.left)
  const files = entries.filter((entry) => !isFolder(entry))
  for (const entry of files) {
    const located = locate(zip, start, entry)
    if (Either.isLeft(located)) return Either.left(located.left)
  }
  return Either.right({ start, files, tree: checked.right })
}

/**
 * The tree a zip holds, checked before anything is inflated (names as `SourceWriter.refusal`,
 * no link or encrypted entries, sizes within `limits`, each entry's local header where the
 * directory says, naming it). A file's bytes are read and inflated (and checked against its
 * declared size and CRC-32) only as it is written, a piece at a time, so that besides the
 * central directory only a piece is in memory (and the zip, when it is in memory). `X` is what
 * reading the zip may fail with (`ZipFile`).
 *
 * @since 0.1.0
 */
export const treeOf = <X>(
  zip: ZipFile.ZipFile<X>
): Either.Either<SourceWriter.Tree<X>, CliError.InvalidInput | X> =>
  Either.map(checkedOf(zip), (checked) => checked.tree)

/**
 * `treeOf` a zip in memory.
 *
 * @since 0.1.0
 */
export const tree = (zip: Uint8Array): Either.Either<SourceWriter.Tree, CliError.InvalidInput> =>
  treeOf(ZipFile.fromBytes(zip))
