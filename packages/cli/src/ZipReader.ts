/**
 * Reads the files of a zip (a TARBALL version's sources) for `versions pull`. The central
 * directory is read first (`ZipDirectory`: ZIP64 included, records that disagree refused), so
 * that a link entry, an encrypted entry, a name refused by `SourceWriter.refusal`, or sizes
 * over the bound (a zip bomb) refuse the zip before the first byte is inflated. Only those
 * entries are then inflated, each from its own local header and only as it is written, with
 * Node's zlib stopping as soon as the output passes the declared size; each must come out at
 * exactly its declared size and CRC-32.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as NodeZlib from "node:zlib"
import type * as CliError from "./CliError.js"
import * as Format from "./Format.js"
import * as SourceWriter from "./SourceWriter.js"
import * as TerminalText from "./TerminalText.js"
import * as ZipDirectory from "./ZipDirectory.js"

/**
 * The most a pulled zip may hold once inflated: 512 MiB, and 100,000 entries.
 *
 * @since 0.1.0
 */
export const limits = { maxInflatedBytes: 512 * 1024 * 1024, maxEntries: ZipDirectory.maxEntries } as const

const crcTable = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/**
 * The CRC-32 of bytes, as zip records it.
 *
 * @since 0.1.0
 */
export const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff
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

// The entry's compressed data, after its local header (which must name it), before the central directory.
const locate = (
  zip: Uint8Array,
  directoryStart: number,
  entry: ZipDirectory.Entry
): Either.Either<Uint8Array, CliError.InvalidInput> => {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  const at = entry.localOffset
  const nameEnd = at + 30 + entry.nameBytes.length
  if (nameEnd > directoryStart || view.getUint32(at, true) !== localHeader) {
    return ZipDirectory.refused(`the zip entry ${shown(entry.name)} has no local header where the directory says`)
  }
  const named = zip.subarray(at + 30, at + 30 + view.getUint16(at + 26, true))
  if (Buffer.compare(named, entry.nameBytes) !== 0) {
    return ZipDirectory.refused(`the zip entry ${shown(entry.name)} has a local header with another name`)
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true)
  if (start + entry.compressedSize > directoryStart) {
    return ZipDirectory.refused(`the zip entry ${shown(entry.name)} runs past the end of the data`)
  }
  return Either.right(zip.subarray(start, start + entry.compressedSize))
}

// The entry inflated, which must come out at exactly its declared size and CRC-32.
const inflate = (data: Uint8Array, entry: ZipDirectory.Entry): Either.Either<Uint8Array, CliError.InvalidInput> => {
  let bytes: Uint8Array
  try {
    bytes = entry.method === 0
      ? data
      : NodeZlib.inflateRawSync(data, { maxOutputLength: Math.max(1, entry.originalSize) })
  } catch {
    bytes = data.subarray(0, 0)
  }
  return bytes.length === entry.originalSize && crc32(bytes) === entry.crc
    ? Either.right(bytes)
    : ZipDirectory.refused(`the zip entry ${shown(entry.name)} does not inflate to its declared size and CRC`)
}

/**
 * The tree a zip holds, checked before anything is inflated (names as `SourceWriter.refusal`,
 * no link or encrypted entries, sizes within `limits`, each entry's local header where the
 * directory says, naming it). A file's bytes are inflated (and checked against its declared
 * size and CRC-32) only when they are asked for, as it is written, so that one entry at a
 * time is in memory besides the zip.
 *
 * @since 0.1.0
 */
export const tree = (zip: Uint8Array): Either.Either<SourceWriter.Tree, CliError.InvalidInput> => {
  const directory = ZipDirectory.read(zip)
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
  const checked = SourceWriter.planEntries(entries.map((e) => ({
    name: isFolder(e) ? e.name.slice(0, -1) : e.name,
    content: isFolder(e) ? undefined : {
      size: e.originalSize,
      bytes: () => Either.flatMap(locate(zip, start, e), (data) => inflate(data, e))
    }
  })))
  if (Either.isLeft(checked)) return checked
  for (const entry of entries) {
    if (isFolder(entry)) continue
    const located = locate(zip, start, entry)
    if (Either.isLeft(located)) return Either.left(located.left)
  }
  return checked
}
