/**
 * Reads a zip's central directory (ZIP64 included) for `versions pull`, before anything is
 * inflated, and refuses a zip whose records do not agree with each other: the end record must
 * close the file, a ZIP64 end record must agree with it, the central directory must lie just
 * before them and its entries must fill it exactly (no entry hidden past the declared count),
 * and each entry's ZIP64 fields must be there when its 32-bit fields say so. Only the zip's end
 * and its central directory are read (`ZipFile`). The entries found here are the only ones
 * `ZipReader` inflates.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as CliError from "./CliError.js"
import * as FileMode from "./FileMode.js"
import * as Format from "./Format.js"
import * as LocalFiles from "./LocalFiles.js"
import * as TerminalText from "./TerminalText.js"
import type * as ZipFile from "./ZipFile.js"
import * as ZipLimits from "./ZipLimits.js"

/**
 * The most entries a pulled zip may hold (`ZipLimits.maxEntries`).
 *
 * @since 0.1.0
 */
export const maxEntries: number = ZipLimits.maxEntries

/**
 * One entry of the central directory, with where its data is.
 *
 * @since 0.1.0
 */
export interface Entry {
  readonly name: string
  /** the name's bytes, as the entry's local header must repeat them */
  readonly nameBytes: Uint8Array
  /** 0 stored, 8 deflated */
  readonly method: number
  /** the general purpose flags (bit 0: encrypted) */
  readonly flags: number
  readonly compressedSize: number
  readonly originalSize: number
  readonly crc: number
  /** where the entry's local header starts */
  readonly localOffset: number
  /** a Unix symbolic link (mode S_IFLNK in the external attributes) */
  readonly isLink: boolean
  /** whether its Unix mode has an execute bit; undefined when the zip gives no Unix mode */
  readonly executable: boolean | undefined
}

/**
 * The central directory: its entries and where it starts (the entries' data lies before it).
 *
 * @since 0.1.0
 */
export interface Directory {
  readonly entries: ReadonlyArray<Entry>
  readonly start: number
}

const signatures = { end: 0x06054b50, zip64End: 0x06064b50, zip64Locator: 0x07064b50, central: 0x02014b50 }
const u16Max = 0xffff
const u32Max = 0xffffffff

/**
 * A zip that cannot be read safely: the whole pull is refused.
 *
 * @since 0.1.0
 */
export const refused = (message: string) =>
  Either.left(
    new CliError.InvalidInput({ message, hint: "the version's tarball cannot be read safely" })
  )

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

// Bytes of the zip read from position `base`, addressed by their positions in the zip.
const window = (bytes: Uint8Array, base: number) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const u16 = (at: number) => view.getUint16(at - base, true)
  const u32 = (at: number) => view.getUint32(at - base, true)
  // Beyond 2^53 the value is not exact, but it is then far past the end of any zip pulled.
  const u64 = (at: number) => u32(at) + u32(at + 4) * 2 ** 32
  const has = (at: number, length: number) => at >= base && at + length <= base + bytes.length
  const slice = (at: number, length: number) => bytes.subarray(at - base, at - base + length)
  return { u16, u32, u64, has, slice }
}

type Window = ReturnType<typeof window>

const readWindow = <E>(zip: ZipFile.ZipFile<E>, at: number, length: number): Either.Either<Window, E> =>
  Either.map(zip.read(at, length), (bytes) => window(bytes, at))

// What can follow a central directory: a ZIP64 locator, the end record and its comment.
const tailBytes = 20 + 22 + u16Max

interface EndRecord {
  readonly at: number
  readonly count: number
  readonly size: number
  readonly offset: number
}

// The end record: the last signature whose comment runs exactly to the end of the zip.
const findEnd = (r: Window, size: number): Either.Either<EndRecord, CliError.InvalidInput> => {
  for (let at = size - 22; at >= Math.max(0, size - 22 - u16Max); at--) {
    if (r.u32(at) !== signatures.end || at + 22 + r.u16(at + 20) !== size) continue
    if (r.u16(at + 4) !== 0 || r.u16(at + 6) !== 0 || r.u16(at + 8) !== r.u16(at + 10)) {
      return refused("the zip spans several disks")
    }
    return Either.right({ at, count: r.u16(at + 10), size: r.u32(at + 12), offset: r.u32(at + 16) })
  }
  return refused("the tarball is not a zip (no end of central directory record)")
}

// The ZIP64 end record its locator points at, which must agree with the end record.
const zip64End = <E>(
  zip: ZipFile.ZipFile<E>,
  tail: Window,
  end: EndRecord
): Either.Either<EndRecord, CliError.InvalidInput | E> => {
  const locator = end.at - 20
  const at = tail.u64(locator + 8)
  if (tail.u32(locator + 4) !== 0 || tail.u32(locator + 16) > 1) return refused("the zip spans several disks")
  if (at + 56 > locator) return refused("the zip's ZIP64 end record is missing or damaged")
  const read = readWindow(zip, at, 56)
  if (Either.isLeft(read)) return Either.left(read.left)
  const r = read.right
  if (r.u32(at) !== signatures.zip64End || at + 12 + r.u64(at + 4) !== locator) {
    return refused("the zip's ZIP64 end record is missing or damaged")
  }
  if (r.u32(at + 16) !== 0 || r.u32(at + 20) !== 0 || r.u64(at + 24) !== r.u64(at + 32)) {
    return refused("the zip spans several disks")
  }
  const zip64 = { at, count: r.u64(at + 32), size: r.u64(at + 40), offset: r.u64(at + 48) }
  const agrees = (short: number, long: number, max: number) => short === max || short === long
  if (
    !agrees(end.count, zip64.count, u16Max) || !agrees(end.size, zip64.size, u32Max) ||
    !agrees(end.offset, zip64.offset, u32Max)
  ) {
    return refused(
      `the zip's ZIP64 end record (${Format.number(zip64.count)} entries) disagrees with its end record (${
        Format.number(end.count)
      })`
    )
  }
  return Either.right(zip64)
}

// The sizes and offset an entry gives as 0xFFFFFFFF are in its ZIP64 extra field, in this order.
const zip64Fields = (
  r: Window,
  extra: number,
  extraLength: number,
  fields: ReadonlyArray<number>
): Array<number> | undefined => {
  const wanted = fields.filter((value) => value === u32Max).length
  if (wanted === 0) return [...fields]
  for (let at = extra; at + 4 <= extra + extraLength; at += 4 + r.u16(at + 2)) {
    if (r.u16(at) !== 1) continue
    if (r.u16(at + 2) < 8 * wanted || at + 4 + 8 * wanted > extra + extraLength) return undefined
    let next = at + 4
    return fields.map((value) => {
      if (value !== u32Max) return value
      next += 8
      return r.u64(next - 8)
    })
  }
  return undefined
}

const readEntry = (
  r: Window,
  at: number,
  end: number
): Either.Either<{ entry: Entry; next: number }, CliError.InvalidInput> => {
  if (!r.has(at, 46) || at + 46 > end || r.u32(at) !== signatures.central) {
    return refused("the zip's central directory is damaged")
  }
  const nameLength = r.u16(at + 28)
  const extraLength = r.u16(at + 30)
  const next = at + 46 + nameLength + extraLength + r.u16(at + 32)
  if (next > end) return refused("the zip's central directory is damaged")
  const nameBytes = r.slice(at + 46, nameLength)
  let name: string
  try {
    name = strictUtf8.decode(nameBytes)
  } catch {
    return refused(
      `the zip entry name ${LocalFiles.escapeName(nameBytes)} is not valid UTF-8 (bytes shown as \\xNN); ` +
        "file names are read as UTF-8, as push writes them"
    )
  }
  const wide = zip64Fields(r, at + 46 + nameLength, extraLength, [r.u32(at + 24), r.u32(at + 20), r.u32(at + 42)])
  if (wide === undefined) {
    return refused(`the zip entry ${TerminalText.escape(JSON.stringify(name))} lacks its ZIP64 sizes`)
  }
  const [originalSize, compressedSize, localOffset] = wide as [number, number, number]
  const entry: Entry = {
    name,
    nameBytes,
    method: r.u16(at + 10),
    flags: r.u16(at + 8),
    compressedSize,
    originalSize,
    crc: r.u32(at + 16),
    localOffset,
    isLink: ((r.u32(at + 38) >>> 16) & 0o170000) === 0o120000,
    executable: FileMode.executableOfEntry(r.u16(at + 4), r.u32(at + 38))
  }
  return Either.right({ entry, next })
}

/**
 * The entries of a zip's central directory (ZIP64 read), or why the zip is refused: more than
 * `maxEntries` entries, records that disagree, entries that do not fill the directory exactly,
 * a name that is not UTF-8.
 *
 * @since 0.1.0
 */
export const read = <E>(zip: ZipFile.ZipFile<E>): Either.Either<Directory, CliError.InvalidInput | E> => {
  const tailLength = Math.min(zip.size, tailBytes)
  const tail = readWindow(zip, zip.size - tailLength, tailLength)
  if (Either.isLeft(tail)) return Either.left(tail.left)
  const found = findEnd(tail.right, zip.size)
  if (Either.isLeft(found)) return Either.left(found.left)
  const end = found.right
  const hasZip64 = end.at >= 20 && tail.right.u32(end.at - 20) === signatures.zip64Locator
  if (!hasZip64 && (end.size === u32Max || end.offset === u32Max)) {
    return refused("the zip declares ZIP64 sizes but has no ZIP64 end record")
  }
  const declared = hasZip64 ? zip64End(zip, tail.right, end) : Either.right(end)
  if (Either.isLeft(declared)) return Either.left(declared.left)
  const { at: close, count, offset, size } = declared.right
  if (count > maxEntries) {
    return refused(`the zip has ${Format.number(count)} entries, over ${Format.number(maxEntries)}`)
  }
  if (offset + size !== close) return refused("the zip's central directory is not where its end record says")
  if (count * 46 > size) {
    return refused(`the zip declares ${Format.number(count)} entries, more than its central directory holds`)
  }
  const directory = readWindow(zip, offset, size)
  if (Either.isLeft(directory)) return Either.left(directory.left)
  const entries: Array<Entry> = []
  let at = offset
  for (let n = 0; n < count; n++) {
    const read = readEntry(directory.right, at, close)
    if (Either.isLeft(read)) return Either.left(read.left)
    entries.push(read.right.entry)
    at = read.right.next
  }
  if (at !== close) {
    return refused(
      `the zip's central directory holds more than the ${Format.number(count)} ${
        count === 1 ? "entry" : "entries"
      } its end record declares`
    )
  }
  return Either.right({ entries, start: offset })
}
