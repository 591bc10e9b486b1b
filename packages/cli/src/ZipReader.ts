/**
 * Reads the entries of a zip (a TARBALL version's sources) for `versions pull`, before any of
 * them is inflated: the central directory is parsed here for each entry's name, sizes and
 * Unix mode, so that a link entry, a name that leaves the directory, or sizes over the bound
 * (a zip bomb) are refused before the first byte is inflated; fflate's `unzipSync` then
 * inflates the entries (never past an entry's declared size), each of which must come out
 * at exactly its declared size and CRC-32.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { unzipSync } from "fflate"
import * as CliError from "./CliError.js"
import * as Format from "./Format.js"
import * as SourceWriter from "./SourceWriter.js"
import * as TerminalText from "./TerminalText.js"

/**
 * The most a pulled zip may hold once inflated: 512 MiB, and 100,000 entries.
 *
 * @since 0.1.0
 */
export const limits = { maxInflatedBytes: 512 * 1024 * 1024, maxEntries: 100_000 } as const

/**
 * One entry of the central directory.
 *
 * @since 0.1.0
 */
export interface Entry {
  readonly name: string
  readonly originalSize: number
  readonly crc: number
  /** a Unix symbolic link (mode S_IFLNK in the external attributes) */
  readonly isLink: boolean
}

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

const invalid = (message: string) =>
  Either.left(
    new CliError.InvalidInput({ message, hint: "the version's tarball cannot be written safely; nothing was written" })
  )

/**
 * The entries of a zip's central directory (ZIP64 is not read).
 *
 * @since 0.1.0
 */
export const entries = (zip: Uint8Array): Either.Either<Array<Entry>, CliError.InvalidInput> => {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  let end = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i
      break
    }
  }
  if (end < 0) return invalid("the tarball is not a zip (no end of central directory)")
  const count = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  if (count > limits.maxEntries) return invalid(`the zip has ${count} entries, over ${limits.maxEntries}`)
  const out: Array<Entry> = []
  const decoder = new TextDecoder("utf-8", { fatal: false })
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== 0x02014b50) {
      return invalid("the zip's central directory is damaged")
    }
    const crc = view.getUint32(at + 16, true)
    const originalSize = view.getUint32(at + 24, true)
    const nameLength = view.getUint16(at + 28, true)
    const extraLength = view.getUint16(at + 30, true)
    const commentLength = view.getUint16(at + 32, true)
    const mode = view.getUint32(at + 38, true) >>> 16
    const name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength))
    out.push({ name, originalSize, crc, isLink: (mode & 0o170000) === 0o120000 })
    at += 46 + nameLength + extraLength + commentLength
  }
  return Either.right(out)
}

/**
 * The tree a zip holds, checked (names as `SourceWriter.refusal`, no link entries, sizes
 * within `limits`) before it is inflated.
 *
 * @since 0.1.0
 */
export const tree = (zip: Uint8Array): Either.Either<SourceWriter.Tree, CliError.InvalidInput> => {
  const listed = entries(zip)
  if (Either.isLeft(listed)) return Either.left(listed.left)
  const links = listed.right.filter((e) => e.isLink)
  if (links.length > 0) {
    return invalid(`the zip holds a symbolic link: ${TerminalText.escape(JSON.stringify(links[0]!.name))}`)
  }
  const total = listed.right.reduce((sum, e) => sum + e.originalSize, 0)
  if (total > limits.maxInflatedBytes) {
    return invalid(
      `the zip inflates to ${Format.bytes(total)}, over the ${Format.bytes(limits.maxInflatedBytes)} bound`
    )
  }
  const folderNames = listed.right.filter((e) => e.name.endsWith("/")).map((e) => e.name.slice(0, -1))
  const checked = SourceWriter.planEntries([
    ...folderNames.map((name) => ({ name, bytes: undefined })),
    ...listed.right.filter((e) => !e.name.endsWith("/")).map((e) => ({ name: e.name, bytes: new Uint8Array(0) }))
  ])
  if (Either.isLeft(checked)) return checked
  const declared = new Map(listed.right.map((e) => [e.name, e]))
  let inflated: Record<string, Uint8Array>
  try {
    inflated = unzipSync(zip, { filter: (file) => !file.name.endsWith("/") })
  } catch (error) {
    return invalid(`the zip cannot be read: ${error instanceof Error ? error.message : String(error)}`)
  }
  const files: Array<SourceWriter.FileToWrite> = []
  for (const file of checked.right.files) {
    const bytes = inflated[file.name]
    const entry = declared.get(file.name)
    // fflate stops at the declared size: a longer entry comes out cut, which its CRC shows.
    if (
      bytes === undefined || entry === undefined || bytes.length !== entry.originalSize || crc32(bytes) !== entry.crc
    ) {
      return invalid(
        `the zip entry ${TerminalText.escape(JSON.stringify(file.name))} does not inflate to its declared size and CRC`
      )
    }
    files.push({ name: file.name, bytes })
  }
  return Either.right({ folders: checked.right.folders, files })
}
