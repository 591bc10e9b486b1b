/**
 * The few file-system reads a push makes, each one safe against what a hostile directory can
 * hold: entries are examined with `lstat` (a link is never followed by accident), names are
 * read as bytes (a name that is not UTF-8 is reported, escaped, instead of failing as "no such
 * file"), and a file is opened with `O_NOFOLLOW | O_NONBLOCK`, checked again with `fstat`, and
 * read only when it is a regular file no larger than a bound (a FIFO, a device such as
 * `/dev/zero` or a file that grows is never read without end).
 *
 * The calls are synchronous and give an `Either` (which an `Effect.gen` can `yield*`): none of
 * them can block (a FIFO is opened with `O_NONBLOCK` and never read), and a push of 10,000
 * small files makes some 50,000 of them, where a round trip through libuv's thread pool and
 * the Effect runtime for each one cost several times the work itself.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as NodeFs from "node:fs"
import * as CliError from "./CliError.js"
import * as FileMode from "./FileMode.js"
import * as Format from "./Format.js"

/**
 * What an entry is, as `lstat` (or `stat`, for a link's target) sees it.
 *
 * @since 0.1.0
 */
export type Kind = "File" | "Directory" | "SymbolicLink" | "FIFO" | "Socket" | "BlockDevice" | "CharacterDevice"

/**
 * An entry's kind and size, from one `lstat` or `stat` call.
 *
 * @since 0.1.0
 */
export interface Info {
  readonly kind: Kind
  readonly size: number
  /** the device and inode: what a later `open` must find again */
  readonly dev: number
  readonly ino: number
  /** whether any execute bit of its mode is set (`FileMode`) */
  readonly executable: boolean
}

/**
 * What a file was when the walk saw it: its canonical path and its device and inode. A read
 * given it fails unless the file opened is that same file at that same path (a directory
 * swapped for a link between the walk and the read leads elsewhere).
 *
 * @since 0.1.0
 */
export interface Identity {
  readonly path: string
  readonly dev: number
  readonly ino: number
}

const kindOf = (stats: NodeFs.Stats): Kind =>
  stats.isFile()
    ? "File"
    : stats.isDirectory()
    ? "Directory"
    : stats.isSymbolicLink()
    ? "SymbolicLink"
    : stats.isFIFO()
    ? "FIFO"
    : stats.isSocket()
    ? "Socket"
    : stats.isBlockDevice()
    ? "BlockDevice"
    : "CharacterDevice"

/**
 * How a kind is named in a message: "a FIFO", "a character device", ...
 *
 * @since 0.1.0
 */
export const describeKind = (kind: Kind): string =>
  ({
    File: "a regular file",
    Directory: "a directory",
    SymbolicLink: "a symbolic link",
    FIFO: "a FIFO (named pipe)",
    Socket: "a socket",
    BlockDevice: "a block device",
    CharacterDevice: "a character device"
  })[kind]

const reasons: Readonly<Record<string, string>> = {
  ENOENT: "it does not exist",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "the path is too long for the system",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "it is a directory",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  EIO: "an input/output error of the disk",
  ENOMEM: "out of memory"
}

const reasonOf = (cause: unknown): string => {
  if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string") {
    return reasons[cause.code] ?? `system error ${cause.code}`
  }
  return cause instanceof Error ? cause.message : String(cause)
}

/**
 * A path for a message: whole up to `max` characters, else its start and end around `…`.
 *
 * @since 0.1.0
 */
export const shorten = (path: string, max = 120): string =>
  path.length <= max
    ? path
    : `${path.slice(0, Math.floor(max / 2) - 1)}…${path.slice(path.length - Math.ceil(max / 2))}`

const fail = (shown: string) => (cause: unknown) =>
  new CliError.LocalFileError({ path: shown, message: `cannot read ${shorten(shown)}: ${reasonOf(cause)}` })

const attempt = <A>(f: () => A, shown: string): Either.Either<A, CliError.LocalFileError> => {
  try {
    return Either.right(f())
  } catch (cause) {
    return Either.left(fail(shown)(cause))
  }
}

const codeOf = (error: unknown): unknown =>
  typeof error === "object" && error !== null && "code" in error ? error.code : undefined

const infoOf = (stats: NodeFs.Stats): Info => ({
  kind: kindOf(stats),
  size: stats.size,
  dev: stats.dev,
  ino: stats.ino,
  executable: FileMode.isExecutable(stats.mode)
})

/**
 * `lstat`: the entry itself, a link not followed. An `Either` (a synchronous call), usable as
 * an Effect.
 *
 * @since 0.1.0
 */
export const lstat = (path: string, shown: string = path): Either.Either<Info, CliError.LocalFileError> =>
  attempt(() => infoOf(NodeFs.lstatSync(path)), shown)

/**
 * `lstat`, or `None` when nothing is there (`ENOENT`, `ENOTDIR`).
 *
 * @since 0.1.0
 */
export const lstatIfExists = (
  path: string,
  shown: string = path
): Either.Either<Option.Option<Info>, CliError.LocalFileError> => {
  try {
    return Either.right(Option.some(infoOf(NodeFs.lstatSync(path))))
  } catch (error) {
    const code = codeOf(error)
    return code === "ENOENT" || code === "ENOTDIR" ? Either.right(Option.none()) : Either.left(fail(shown)(error))
  }
}

/**
 * `stat`: what a path resolves to.
 *
 * @since 0.1.0
 */
export const stat = (path: string, shown: string = path): Either.Either<Info, CliError.LocalFileError> =>
  attempt(() => infoOf(NodeFs.statSync(path)), shown)

/**
 * Where a link leads: its canonical target, or why it leads nowhere ("it does not exist" for a
 * dangling link, "too many levels of symbolic links" for a loop).
 *
 * @since 0.1.0
 */
export type Resolved =
  | { readonly _tag: "Target"; readonly path: string }
  | { readonly _tag: "Broken"; readonly reason: string }

/**
 * Resolves a link to its canonical target; never fails.
 *
 * @since 0.1.0
 */
export const resolve = (path: string): Resolved => {
  try {
    return { _tag: "Target", path: NodeFs.realpathSync(path) }
  } catch (error) {
    return { _tag: "Broken", reason: reasonOf(error) }
  }
}

/**
 * Whether `path` is `root` or below it (both canonical).
 *
 * @since 0.1.0
 */
export const isInside = (root: string, path: string): boolean =>
  path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`)

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

/**
 * A file name for a message: printable characters as they are, every other byte as `\xNN`.
 *
 * @since 0.1.0
 */
export const escapeName = (bytes: Uint8Array): string => {
  let out = ""
  for (const byte of bytes) {
    out += byte >= 0x20 && byte < 0x7f && byte !== 0x5c
      ? String.fromCharCode(byte)
      : byte === 0x5c
      ? "\\\\"
      : `\\x${byte.toString(16).padStart(2, "0")}`
  }
  return out
}

/**
 * Whether a file name holds a control character (C0, DEL or C1: ESC, BEL, CR, LF, ...), which
 * `push` and `pull` refuse: printed, such a name drives the terminal; written, it hides.
 *
 * @since 0.1.0
 */
export const hasControlCharacter = (name: string): boolean => /[\u0000-\u001f\u007f-\u009f]/.test(name)

/**
 * One name in a directory: `name` is exact when `valid`; otherwise it is the lossy decoding
 * (for matching ignore patterns) and `escaped` shows the bytes.
 *
 * @since 0.1.0
 */
export interface Name {
  readonly name: string
  readonly valid: boolean
  readonly escaped: string
}

/**
 * The names in a directory, sorted, read as bytes.
 *
 * @since 0.1.0
 */
export const readNames = (path: string, shown: string = path): Either.Either<Array<Name>, CliError.LocalFileError> =>
  attempt(() => NodeFs.readdirSync(path, { encoding: "buffer" }), shown).pipe(
    Either.map((buffers) =>
      buffers.map((bytes): Name => {
        try {
          const name = strictUtf8.decode(bytes)
          return { name, valid: true, escaped: name }
        } catch {
          return { name: bytes.toString("utf8"), valid: false, escaped: escapeName(bytes) }
        }
      }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    )
  )

const openFlags = NodeFs.constants.O_RDONLY | NodeFs.constants.O_NOFOLLOW | NodeFs.constants.O_NONBLOCK

const changed =
  "it changed while being read (replaced, or a directory on its path swapped); push again once the directory is still"

/** The path an open file descriptor is at: `/proc/self/fd` on Linux, else the path resolved again. */
const openedPath = (fd: number, path: string): string => {
  try {
    return NodeFs.readlinkSync(`/proc/self/fd/${fd}`)
  } catch {
    return NodeFs.realpathSync.native(path)
  }
}

const checkOpen = (fd: number, maxBytes: number, expected: Identity | undefined): NodeFs.Stats => {
  const stats = NodeFs.fstatSync(fd)
  if (expected !== undefined) {
    if (stats.dev !== expected.dev || stats.ino !== expected.ino) throw new Error(changed)
    if (openedPath(fd, expected.path) !== expected.path) throw new Error(changed)
  }
  if (!stats.isFile()) throw new Error(`it is ${describeKind(kindOf(stats))}, not a regular file`)
  if (stats.size > maxBytes) {
    throw new Error(`it is ${Format.number(stats.size)} bytes, over the ${Format.number(maxBytes)}-byte bound`)
  }
  return stats
}

const readOpen = (fd: number, maxBytes: number, expected: Identity | undefined): Uint8Array => {
  const stats = checkOpen(fd, maxBytes, expected)
  const bytes = new Uint8Array(stats.size)
  let offset = 0
  while (offset < bytes.length) {
    const bytesRead = NodeFs.readSync(fd, bytes, offset, bytes.length - offset, offset)
    if (bytesRead === 0) throw new Error("it shrank while being read")
    offset += bytesRead
  }
  return bytes
}

/**
 * Reads a regular file of at most `maxBytes`: opened without following a link and without
 * blocking, checked with `fstat`, then exactly its size read, and closed. Anything else fails,
 * naming `shown`. Given `expected` (what the walk saw), the file opened must be that file
 * (device and inode) at that canonical path, so that nothing a concurrent rename puts on the
 * path is read.
 *
 * @since 0.1.0
 */
export const readBounded = (
  path: string,
  maxBytes: number,
  shown: string = path,
  expected?: Identity
): Either.Either<Uint8Array, CliError.LocalFileError> =>
  Either.flatMap(attempt(() => NodeFs.openSync(path, openFlags), shown), (fd) => {
    try {
      return attempt(() => readOpen(fd, maxBytes, expected), shown)
    } finally {
      NodeFs.closeSync(fd)
    }
  })

/**
 * What a file was when the walk saw it, its size included.
 *
 * @since 0.1.0
 */
export interface Seen extends Identity {
  readonly bytes: number
}

// Two sizes as people read them, exact where they would read the same.
const twoSizes = (a: number, b: number): readonly [string, string] =>
  Format.bytes(a) === Format.bytes(b)
    ? [`${Format.number(a)} bytes`, `${Format.number(b)} bytes`]
    : [Format.bytes(a), Format.bytes(b)]

const resized = (shown: string, seen: number, now: number) => {
  const [before, after] = twoSizes(seen, now)
  return new CliError.LocalFileError({
    path: shown,
    message: `${shorten(shown)} changed after the directory was read: it had ${before} then, ${after} when opened`,
    hint: "run the command again once nothing writes to the directory; nothing was uploaded"
  })
}

/**
 * Reads a file as `readBounded` does (the same checks, `expected` included), in pieces read
 * into `buffer` and given to `onChunk` as views of it, the last with `final` set: a piece is
 * valid only until `onChunk` returns, and one buffer serves every file, so reading allocates
 * nothing per piece. The file must still have the size the walk saw (`expected.bytes`), else
 * nothing is read (a file that grew after the walk would make a zip over the bounds the walk
 * checked), and exactly that size is read, so that a file growing meanwhile does not stretch
 * the read.
 *
 * @since 0.1.0
 */
export const readChunks = (
  path: string,
  shown: string,
  expected: Seen,
  buffer: Uint8Array,
  onChunk: (chunk: Uint8Array, final: boolean) => void
): Either.Either<number, CliError.LocalFileError> =>
  Either.flatMap(attempt(() => NodeFs.openSync(path, openFlags), shown), (fd) => {
    try {
      return Either.flatMap(
        attempt(() => checkOpen(fd, Number.MAX_SAFE_INTEGER, expected).size, shown),
        (size) =>
          size !== expected.bytes ? Either.left(resized(shown, expected.bytes, size)) : attempt(() => {
            let offset = 0
            if (size === 0) onChunk(buffer.subarray(0, 0), true)
            while (offset < size) {
              const length = Math.min(buffer.length, size - offset)
              let filled = 0
              while (filled < length) {
                const bytesRead = NodeFs.readSync(fd, buffer, filled, length - filled, offset + filled)
                if (bytesRead === 0) throw new Error("it shrank while being read")
                filled += bytesRead
              }
              offset += length
              onChunk(buffer.subarray(0, length), offset === size)
            }
            return size
          }, shown)
      )
    } finally {
      NodeFs.closeSync(fd)
    }
  })
