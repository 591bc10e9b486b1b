// Zips built byte by byte for the tests.
import * as zlib from "node:zlib"

// A zip of stored (uncompressed) files, as any zip tool writes one.
export const storedZip = (files: ReadonlyArray<readonly [string, string]>): Uint8Array => {
  const locals: Array<Buffer> = []
  const central: Array<Buffer> = []
  let offset = 0
  for (const [name, text] of files) {
    const nameBytes = Buffer.from(name, "utf8")
    const data = Buffer.from(text, "utf8")
    const crc = zlib.crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const entry = Buffer.alloc(46)
    entry.writeUInt32LE(0x02014b50, 0)
    entry.writeUInt16LE(20, 4)
    entry.writeUInt16LE(20, 6)
    entry.writeUInt32LE(crc, 16)
    entry.writeUInt32LE(data.length, 20)
    entry.writeUInt32LE(data.length, 24)
    entry.writeUInt16LE(nameBytes.length, 28)
    entry.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, data)
    central.push(entry, nameBytes)
    offset += 30 + nameBytes.length + data.length
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(files.length, 8)
  end.writeUInt16LE(files.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return new Uint8Array(Buffer.concat([...locals, directory, end]))
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

/**
 * A zip of empty stored files with ZIP64 end records, as Python's `zipfile` writes one past
 * 65,535 entries (copied in spirit from packages/cli/test/zipBytes.ts): the classic end record's
 * count capped at 0xFFFF, and with `capAll` its directory size and offset at 0xFFFFFFFF too, so
 * that only the ZIP64 end record (found through its locator) says where the directory is and
 * how many entries it holds. `locatorAt` overrides where the locator says that record is.
 */
export const zip64Zip = (
  names: ReadonlyArray<string>,
  options: { readonly capAll?: boolean; readonly locatorAt?: number } = {}
): Uint8Array => {
  const locals: Array<Buffer> = []
  const central: Array<Buffer> = []
  let offset = 0
  for (const name of names) {
    const nameBytes = Buffer.from(name, "utf8")
    locals.push(u32(0x04034b50), u16(45), u16(0x800), u16(0), u32(0), u32(0), u32(0), u32(0))
    locals.push(u16(nameBytes.length), u16(0), nameBytes)
    central.push(u32(0x02014b50), u16(45), u16(45), u16(0x800), u16(0), u32(0), u32(0), u32(0), u32(0))
    central.push(u16(nameBytes.length), u16(0), u16(0), u16(0), u16(0), u32(0), u32(offset), nameBytes)
    offset += 30 + nameBytes.length
  }
  const directory = Buffer.concat(central)
  const zip64EndAt = offset + directory.length
  const capped = options.capAll === true
  return new Uint8Array(Buffer.concat([
    ...locals,
    directory,
    // ZIP64 end record: size of the rest, versions, disks, counts, directory size and offset.
    u32(0x06064b50),
    u64(44),
    u16(45),
    u16(45),
    u32(0),
    u32(0),
    u64(names.length),
    u64(names.length),
    u64(directory.length),
    u64(offset),
    // its locator
    u32(0x07064b50),
    u32(0),
    u64(options.locatorAt ?? zip64EndAt),
    u32(1),
    // the classic end record, its fields capped
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(Math.min(names.length, 0xffff)),
    u16(Math.min(names.length, 0xffff)),
    u32(capped ? 0xffffffff : directory.length),
    u32(capped ? 0xffffffff : offset),
    u16(0)
  ]))
}
