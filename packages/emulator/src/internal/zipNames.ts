/**
 * The entry names of a zip, read from its central directory (ZIP64 included), without
 * inflating anything: what a build of a `TARBALL` version looks at to decide whether it fails.
 *
 * @internal
 */

const endOfDirectory = 0x06054b50
const zip64Locator = 0x07064b50
const zip64End = 0x06064b50
const directoryEntry = 0x02014b50

const utf8 = new TextDecoder("utf-8")

// Where the central directory starts and how many entries it holds, from the end records.
const directoryOf = (zip: Uint8Array, view: DataView): { start: number; count: number } | undefined => {
  const last = zip.length - 22
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (view.getUint32(at, true) !== endOfDirectory) continue
    // A ZIP64 locator just before the end record: its record holds the real count and offset.
    if (at < 20 || view.getUint32(at - 20, true) !== zip64Locator) {
      return { start: view.getUint32(at + 16, true), count: view.getUint16(at + 10, true) }
    }
    const end = Number(view.getBigUint64(at - 12, true))
    if (end + 56 > zip.length || view.getUint32(end, true) !== zip64End) return undefined
    return { start: Number(view.getBigUint64(end + 48, true)), count: Number(view.getBigUint64(end + 32, true)) }
  }
  return undefined
}

/**
 * The names of a zip's entries (a folder's ending in `/`), or undefined when the bytes are not
 * a zip whose central directory can be read.
 *
 * @internal
 */
export const entryNames = (zip: Uint8Array): ReadonlyArray<string> | undefined => {
  if (zip.length < 22) return undefined
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  const directory = directoryOf(zip, view)
  if (directory === undefined) return undefined
  const names: Array<string> = []
  let at = directory.start
  for (let i = 0; i < directory.count; i++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== directoryEntry) return undefined
    const nameEnd = at + 46 + view.getUint16(at + 28, true)
    if (nameEnd > zip.length) return undefined
    names.push(utf8.decode(zip.subarray(at + 46, nameEnd)))
    at = nameEnd + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
  }
  return names
}
