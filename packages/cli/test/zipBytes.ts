// Zips built byte by byte for the pull tests, so that a test can write what no well-behaved
// library writes: ZIP64 records (as Python's zipfile writes past 65,535 entries), counts that
// disagree, entries hidden past the declared count, any name bytes, any flags, a wrong CRC-32.
import * as zlib from "node:zlib"
import { crc32 } from "../src/ZipReader.js"

export interface ZipEntry {
  readonly name: string | Uint8Array
  readonly data?: Uint8Array
  /** 0 stored (the default), 8 deflated */
  readonly method?: number
  /** general purpose flags (bit 11, UTF-8, is set for every name unless given) */
  readonly flags?: number
  /** the Unix mode, written to the external attributes */
  readonly mode?: number
  /** the name its local header gives, when it differs */
  readonly localName?: string
  /** the CRC-32 both headers declare (default: the data's) */
  readonly crc?: number
}

export interface ZipOptions {
  /** a ZIP64 end record and locator; the end record's fields capped as Python's zipfile does */
  readonly zip64?: boolean
  /** every entry's sizes and offset in a ZIP64 extra field, the end record's fields all 0xFF.. */
  readonly zip64Extras?: boolean
  /** the entry count the end record declares (default: the real one) */
  readonly endCount?: number
  /** the entry count the ZIP64 end record declares (default: the real one) */
  readonly zip64Count?: number
  /** bytes after the end record */
  readonly trailing?: Uint8Array
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2)
  b.writeUInt16LE(n)
  return b
}
const u32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n >>> 0)
  return b
}
const u64 = (n: number) => {
  const b = Buffer.alloc(8)
  b.writeBigUInt64LE(BigInt(n))
  return b
}
const bytesOf = (
  name: string | Uint8Array
) => (typeof name === "string" ? Buffer.from(name, "utf8") : Buffer.from(name))
const max32 = 0xffffffff

/** A zip of the entries, as the options say. */
export const buildZip = (entries: ReadonlyArray<ZipEntry>, options: ZipOptions = {}): Uint8Array => {
  const parts: Array<Buffer> = []
  const central: Array<Buffer> = []
  let offset = 0
  const wide = options.zip64Extras === true
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? new Uint8Array(0))
    const method = entry.method ?? 0
    const stored = method === 8 ? zlib.deflateRawSync(data) : data
    const name = bytesOf(entry.name)
    const localName = entry.localName === undefined ? name : bytesOf(entry.localName)
    const flags = entry.flags ?? 0x800
    const crc = entry.crc ?? crc32(data)
    const localExtra = wide ? Buffer.concat([u16(1), u16(16), u64(data.length), u64(stored.length)]) : Buffer.alloc(0)
    const local = Buffer.concat([
      u32(0x04034b50),
      u16(wide ? 45 : 20),
      u16(flags),
      u16(method),
      u32(0),
      u32(crc),
      u32(wide ? max32 : stored.length),
      u32(wide ? max32 : data.length),
      u16(localName.length),
      u16(localExtra.length),
      localName,
      localExtra
    ])
    const extra = wide
      ? Buffer.concat([u16(1), u16(24), u64(data.length), u64(stored.length), u64(offset)])
      : Buffer.alloc(0)
    central.push(Buffer.concat([
      u32(0x02014b50),
      u16((3 << 8) | 45),
      u16(wide ? 45 : 20),
      u16(flags),
      u16(method),
      u32(0),
      u32(crc),
      u32(wide ? max32 : stored.length),
      u32(wide ? max32 : data.length),
      u16(name.length),
      u16(extra.length),
      u16(0),
      u16(0),
      u16(0),
      u32(((entry.mode ?? 0o100644) << 16) >>> 0),
      u32(wide ? max32 : offset),
      name,
      extra
    ]))
    parts.push(local, stored)
    offset += local.length + stored.length
  }
  const directory = Buffer.concat(central)
  const count = entries.length
  const records: Array<Buffer> = []
  if (options.zip64 === true || wide) {
    const at = offset + directory.length
    records.push(
      u32(0x06064b50),
      u64(44),
      u16((3 << 8) | 45),
      u16(45),
      u32(0),
      u32(0),
      u64(options.zip64Count ?? count),
      u64(options.zip64Count ?? count),
      u64(directory.length),
      u64(offset),
      u32(0x07064b50),
      u32(0),
      u64(at),
      u32(1)
    )
  }
  const endCount = options.endCount ?? (wide ? 0xffff : Math.min(count, 0xffff))
  records.push(
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(endCount),
    u16(endCount),
    u32(wide ? max32 : directory.length),
    u32(wide ? max32 : offset),
    u16(0)
  )
  return Buffer.concat([...parts, directory, ...records, Buffer.from(options.trailing ?? new Uint8Array(0))])
}
