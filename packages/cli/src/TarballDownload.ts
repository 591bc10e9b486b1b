/**
 * Downloads a TARBALL version's zip: only an `http:` or `https:` URL, through the API client
 * (`KeyValueStores.getRecordAt`): the token goes with it when the URL is on the API's origin
 * (a record of the private store push uploads to), never elsewhere; redirects are followed
 * (Apify answers a record with 302 and a signed storage URL, which gets no token); within a
 * bound on its size and a time limit.
 *
 * `versions pull` streams it into a temporary file (`downloadToFile`), removed when its scope
 * closes (on success, failure and Ctrl-C), from which the zip is read a piece at a time
 * (`ZipFile`); `download` gives it in one buffer, sized from its `Content-Length`. Either way
 * the download fails as soon as it passes the bound, a `Content-Length` over the bound is
 * refused before the body is read, and a body longer or shorter than its `Content-Length` is
 * refused (the transports the CLI uses hand the body over undecoded).
 *
 * @since 0.1.0
 */
import { ApifyError, KeyValueStores } from "@effect-apify/api"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as NodeCrypto from "node:crypto"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as CliError from "./CliError.js"
import * as Format from "./Format.js"
import * as LocalFiles from "./LocalFiles.js"
import * as TerminalText from "./TerminalText.js"
import * as TreeWriter from "./TreeWriter.js"
import type * as ZipFile from "./ZipFile.js"

/**
 * The largest zip downloaded (64 MiB) and the time a download may take (10 minutes).
 *
 * @since 0.1.0
 */
export const limits = { maxBytes: 64 * 1024 * 1024, timeout: Duration.minutes(10) } as const

/**
 * What a download fails with.
 *
 * @since 0.1.0
 */
export type DownloadError = CliError.InvalidInput | ApifyError.TransportError | ApifyError.ApifyError

// What to do about an error answer: the token, for a record on the API; else the tarball itself.
const hintFor = (status: number): string =>
  status === 401 || status === 403
    ? "the record is in a private key-value store: pull sends the token (--token, APIFY_TOKEN) only to the API at --base-url (APIFY_API_BASE_URL), so use the one the version was pushed to, with a token that can read it; nothing was written"
    : "check that the version's tarball still exists; nothing was written"

const httpUrl = (url: string): Either.Either<URL, CliError.InvalidInput> => {
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  return parsed !== undefined && (parsed.protocol === "http:" || parsed.protocol === "https:")
    ? Either.right(parsed)
    : Either.left(
      new CliError.InvalidInput({
        message: `the tarball URL ${TerminalText.escape(url)} is not an http(s) URL`,
        hint: "pull downloads only http: and https: URLs; nothing was written"
      })
    )
}

// The record at the URL, its body not read yet; an error answer named with its status and the
// URL without its query (a signature stays out).
const opened = (url: URL) =>
  Effect.flatMap(KeyValueStores.KeyValueStores, (stores) => stores.getRecordAt(url.href)).pipe(
    Effect.catchIf(
      (error): error is Extract<typeof error, ApifyError.HttpError> => "status" in error,
      (error) =>
        new CliError.InvalidInput({
          message: `the tarball URL ${TerminalText.escape(`${url.origin}${url.pathname}`)} answered ${error.status}`,
          hint: hintFor(error.status)
        })
    )
  )

const overBound = (maxBytes: number, declared?: number) =>
  new CliError.InvalidInput({
    message: `the tarball ${
      declared === undefined ? "is" : `declares ${Format.bytes(declared)} (Content-Length),`
    } over the ${Format.bytes(maxBytes)} download bound`,
    hint: "download it yourself; nothing was written"
  })

const notAsDeclared = (what: string) =>
  new CliError.InvalidInput({
    message: `the tarball download ${what}`,
    hint: "the server answered with a wrong Content-Length; pull again, or download it yourself; nothing was written"
  })

// Where the pieces of a body go: given its declared length (within the bound), a function
// given each piece and where it starts.
type Start<E> = (declared: number | undefined) => (piece: Uint8Array, at: number) => Either.Either<void, E>

// Runs the record's body where `start` says, within `maxBytes` and its declared length (a
// declared length over `maxBytes` refused before `start`); the body's size.
const receive = <E>(
  record: KeyValueStores.StoredRecord,
  maxBytes: number,
  start: Start<E>
): Effect.Effect<number, CliError.InvalidInput | ApifyError.TransportError | E> =>
  Effect.suspend(() => {
    const declared = record.contentLength
    if (declared !== undefined && declared > maxBytes) {
      return Effect.fail(overBound(maxBytes, declared))
    }
    const put = start(declared)
    let size = 0
    return Stream.runForEach(record.stream, (piece): Effect.Effect<void, CliError.InvalidInput | E> => {
      const at = size
      size += piece.length
      if (declared !== undefined && size > declared) {
        return Effect.fail(notAsDeclared(`passed the ${Format.bytes(declared)} its Content-Length declares`))
      }
      if (size > maxBytes) return Effect.fail(overBound(maxBytes))
      return put(piece, at)
    }).pipe(Effect.zipRight(Effect.suspend(() =>
      declared === undefined || size === declared ?
        Effect.succeed(size) :
        Effect.fail(notAsDeclared(`ended after ${Format.bytes(size)} of the ${Format.bytes(declared)} declared`))
    )))
  })

// The download of the zip at `url` where `start` says, within the time limit; the body's size.
const fetchInto = <E>(
  url: URL,
  maxBytes: number,
  start: Start<E>
): Effect.Effect<number, DownloadError | E, KeyValueStores.KeyValueStores> =>
  opened(url).pipe(
    Effect.flatMap((record) => receive(record, maxBytes, start)),
    Effect.scoped,
    Effect.timeoutFail({
      duration: limits.timeout,
      onTimeout: () =>
        new ApifyError.TransportError({
          reason: "Timeout",
          detail: "the tarball download took too long",
          method: "GET",
          path: url.pathname,
          attempts: 1
        })
    }),
    Effect.tap((size) => Effect.annotateCurrentSpan("tarball.bytes", size)),
    Effect.withSpan("TarballDownload.fetch", { attributes: { "url.full": `${url.origin}${url.pathname}` } })
  )

const firstBuffer = 1024 * 1024

/**
 * The bytes at `url`, in one buffer (of its `Content-Length` when it declares one within the
 * bound, else grown by doubling up to `maxBytes`), refused unless it is `http:` or `https:`,
 * at most `maxBytes` and as long as it declares. An error answer is named with its status and
 * the URL without its query (a signature stays out).
 *
 * @since 0.1.0
 */
export const download = (
  url: string,
  maxBytes: number = limits.maxBytes
): Effect.Effect<Uint8Array, DownloadError, KeyValueStores.KeyValueStores> =>
  Effect.flatMap(httpUrl(url), (parsed) => {
    let buffer = new Uint8Array(0)
    return fetchInto(parsed, maxBytes, (declared) => {
      // `receive` refuses a declared length over maxBytes, and a piece past it or past maxBytes.
      buffer = new Uint8Array(Math.min(declared ?? firstBuffer, maxBytes))
      return (piece, at) => {
        if (at + piece.length > buffer.length) {
          const grown = new Uint8Array(Math.min(maxBytes, Math.max(buffer.length * 2, at + piece.length)))
          grown.set(buffer.subarray(0, at))
          buffer = grown
        }
        buffer.set(piece, at)
        return Either.void
      }
    }).pipe(Effect.map((size) => buffer.subarray(0, size)))
  })

/**
 * Where `versions pull` into `root` puts the downloaded zip: in `root` when it is a folder,
 * else in the nearest existing folder above it (where the staging directory goes), else in
 * the system's temporary folder.
 *
 * @since 0.1.0
 */
export const folderFor = (root: string): string => {
  for (let dir = NodePath.resolve(root); NodePath.dirname(dir) !== dir; dir = NodePath.dirname(dir)) {
    const stats = Either.getOrUndefined(
      TreeWriter.attempt(dir, "", () => NodeFs.statSync(dir, { throwIfNoEntry: false }))
    )
    if (stats?.isDirectory() === true) return dir
  }
  return NodeOs.tmpdir()
}

const shown = (path: string) => TerminalText.escape(LocalFiles.shorten(path))

const tempFlags = NodeFs.constants.O_RDWR | NodeFs.constants.O_CREAT | NodeFs.constants.O_EXCL |
  NodeFs.constants.O_NOFOLLOW

// A new temporary file in `folder`, closed and removed when the scope closes.
const tempFile = (folder: string) =>
  Effect.acquireRelease(
    Effect.suspend(() => {
      const path = NodePath.join(folder, `${TreeWriter.tempPrefix}${NodeCrypto.randomBytes(6).toString("hex")}.zip`)
      return Either.map(
        TreeWriter.attempt(
          path,
          `cannot make a temporary file for the tarball in ${shown(folder)}`,
          () => NodeFs.openSync(path, tempFlags, 0o600)
        ),
        (fd) => ({ path, fd })
      )
    }),
    ({ fd, path }) =>
      Effect.suspend(() => {
        TreeWriter.attempt(path, "", () => NodeFs.closeSync(fd))
        const removed = TreeWriter.attempt(path, "", () => NodeFs.rmSync(path, { force: true }))
        return Either.isRight(removed) ? Effect.void : Console.error(
          `Warning: could not remove the downloaded tarball ${shown(path)}.`
        )
      })
  )

// The zip in the file open as `fd`, read with `pread` into `scratch` or a new buffer.
const fileZip = (fd: number, size: number, path: string): ZipFile.ZipFile<CliError.LocalFileError> => ({
  size,
  read: (position, length, scratch) =>
    TreeWriter.attempt(path, `cannot read the downloaded tarball ${shown(path)}`, () => {
      const out = scratch === undefined ? new Uint8Array(length) : scratch.subarray(0, length)
      for (let filled = 0; filled < length;) {
        const got = NodeFs.readSync(fd, out, filled, length - filled, position + filled)
        if (got === 0) throw new Error("it ended early")
        filled += got
      }
      return out
    })
})

/**
 * The zip at `url` (as `download` checks it), streamed into a temporary file in `folder` (see
 * `folderFor`) and read from there, a piece at a time; the file is removed when the scope
 * closes. Memory holds a piece of the download at a time, whatever the zip's size.
 *
 * @since 0.1.0
 */
export const downloadToFile = (
  url: string,
  folder: string,
  maxBytes: number = limits.maxBytes
): Effect.Effect<
  ZipFile.ZipFile<CliError.LocalFileError>,
  DownloadError | CliError.LocalFileError,
  KeyValueStores.KeyValueStores | Scope.Scope
> =>
  Effect.gen(function*() {
    const parsed = yield* httpUrl(url)
    const { fd, path } = yield* tempFile(folder)
    const what = `cannot write the downloaded tarball to ${shown(path)}`
    const size = yield* fetchInto(parsed, maxBytes, () => (piece, at) =>
      TreeWriter.attempt(path, what, () => {
        for (let done = 0; done < piece.length;) {
          done += NodeFs.writeSync(fd, piece, done, piece.length - done, at + done)
        }
      }))
    return fileZip(fd, size, path)
  })
