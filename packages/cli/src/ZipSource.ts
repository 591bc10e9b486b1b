/**
 * The zip of a push over the inline limit: the files the safe walk selected
 * (`DirectoryWalk.Found`, each read again only if it is still the file the walk saw),
 * deflated at level 6 as `apify push` does, written piece by piece to a temporary file that is
 * removed when the scope closes. fflate lays out the zip; Node's zlib deflates each piece,
 * read into one buffer for the whole zip, so that memory stays one piece and what zlib makes
 * of it, whatever the number or size of the files (decision 0009).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { Zip, ZipPassThrough } from "fflate"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as NodeZlib from "node:zlib"
import * as CliError from "./CliError.js"
import * as DirectoryWalk from "./DirectoryWalk.js"
import * as FileMode from "./FileMode.js"
import * as Format from "./Format.js"
import * as LocalFiles from "./LocalFiles.js"
import * as ZipLimits from "./ZipLimits.js"

/**
 * A zip written to a temporary file.
 *
 * @since 0.1.0
 */
export interface Written {
  readonly path: string
  readonly bytes: number
  readonly files: number
}

const chunkBytes = 1024 * 1024
const windowBytes = 32 * 1024

/**
 * A zip entry deflated at level 6 by Node's zlib, piece by piece: each piece is deflated on its
 * own with the 32 KiB before it as dictionary, and ends on a sync flush (the last on finish), so
 * the pieces join into one deflate stream as good as one made whole. fflate's own deflate was
 * not used: it allocates about 260 KiB of tables per file and its output's size per piece, and
 * that garbage, not the zip, made the peak memory of a push (decision 0009).
 */
class Deflated extends ZipPassThrough {
  /** What zlib threw, if it did; nothing more is deflated then. */
  failure: unknown = undefined
  private dictionary: Uint8Array | undefined = undefined

  constructor(filename: string, executable: boolean, private readonly window: Uint8Array) {
    super(filename)
    this.compression = 8
    this.os = FileMode.unixSystem
    this.attrs = FileMode.externalAttributes(executable)
  }

  protected override process(chunk: Uint8Array, final: boolean): void {
    if (this.failure !== undefined) return
    let out: Buffer
    try {
      out = NodeZlib.deflateRawSync(chunk, {
        level: 6,
        // Room for what deflate can make of the piece, so that one output buffer is enough.
        chunkSize: Math.max(64, chunk.length + (chunk.length >> 8) + 64),
        finishFlush: final ? NodeZlib.constants.Z_FINISH : NodeZlib.constants.Z_SYNC_FLUSH,
        ...(this.dictionary === undefined ? {} : { dictionary: this.dictionary })
      })
    } catch (cause) {
      this.failure = cause
      return
    }
    // Every piece but the last fills the read buffer, so it holds a whole window.
    if (!final) {
      this.window.set(chunk.subarray(chunk.length - windowBytes))
      this.dictionary = this.window
    }
    // zlib's output is a Buffer of its own, never shared memory.
    this.ondata(null, out as Uint8Array<ArrayBuffer>, final)
  }
}

/**
 * The most files a push zips (`ZipLimits.push`): what a zip without ZIP64 records counts
 * (fflate writes none; past it the count wraps and readers that trust it see a fraction of
 * the files), within what pull reads back.
 *
 * @since 0.1.0
 */
export const maxEntries: number = ZipLimits.push.maxEntries

/**
 * Why `versions pull` could not read back a zip of `files`, if it could not: more files than
 * a zip holds (`maxEntries`), or more bytes in all than pull inflates. Decided from the sizes
 * the walk saw, before any file is read.
 *
 * @since 0.1.0
 */
export const refusal = (files: ReadonlyArray<DirectoryWalk.Found>): CliError.InvalidInput | undefined => {
  const hint = "leave generated or vendored files out with .gitignore or .actorignore"
  if (files.length > maxEntries) {
    return new CliError.InvalidInput({
      message: `${Format.count(files.length, "file")} are more than a zip without ZIP64 holds (${
        Format.number(maxEntries)
      }); its count would wrap`,
      hint
    })
  }
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0)
  if (bytes > ZipLimits.push.maxFilesBytes) {
    return new CliError.InvalidInput({
      message: `the files total ${Format.bytes(bytes)}, over the ${
        Format.bytes(ZipLimits.push.maxFilesBytes)
      } a version's zip may hold (versions pull reads no more back)`,
      hint
    })
  }
  return undefined
}

const tempFile = Effect.acquireRelease(
  Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "effect-apify-zip-"))),
  (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
).pipe(Effect.map((dir) => NodePath.join(dir, "source.zip")))

const writeFailed = (path: string, cause: unknown) =>
  new CliError.LocalFileError({
    path,
    message: `cannot write the zip: ${cause instanceof Error ? cause.message : String(cause)}`,
    hint: "check the space left in the temporary directory (TMPDIR)"
  })

/**
 * Zips `files` into a temporary file that lives as long as the scope.
 *
 * @since 0.1.0
 */
export const write = (
  files: ReadonlyArray<DirectoryWalk.Found>
): Effect.Effect<Written, CliError.LocalFileError | CliError.InvalidInput, Scope.Scope> =>
  Effect.gen(function*() {
    const refused = refusal(files)
    if (refused !== undefined) return yield* refused
    const path = yield* tempFile
    const fd = yield* Effect.acquireRelease(
      Effect.sync(() => NodeFs.openSync(path, "wx", 0o600)),
      (fd) => Effect.sync(() => NodeFs.closeSync(fd))
    )
    let bytes = 0
    let failure: unknown = undefined
    const zip = new Zip((error, chunk) => {
      if (error !== null) failure ??= error
      else if (failure === undefined) {
        try {
          NodeFs.writeSync(fd, chunk)
          bytes += chunk.length
        } catch (cause) {
          failure = cause
        }
      }
    })
    const pause = DirectoryWalk.pauser()
    const buffer = new Uint8Array(chunkBytes)
    const window = new Uint8Array(windowBytes)
    for (const file of files) {
      yield* pause
      const entry = new Deflated(file.name, file.executable, window)
      zip.add(entry)
      const read = LocalFiles.readChunks(file.path, file.name, file, buffer, (chunk, final) => {
        entry.push(chunk, final)
      })
      if (Either.isLeft(read)) return yield* read.left
      failure ??= entry.failure
      if (failure !== undefined) return yield* writeFailed(path, failure)
    }
    zip.end()
    if (failure !== undefined) return yield* writeFailed(path, failure)
    if (bytes > ZipLimits.push.maxZipBytes) {
      return yield* new CliError.InvalidInput({
        message: `the zip is ${Format.bytes(bytes)}, over the ${
          Format.bytes(ZipLimits.push.maxZipBytes)
        } versions pull downloads`,
        hint: "leave large files out with .gitignore or .actorignore"
      })
    }
    return { path, bytes, files: files.length }
  })

/**
 * The bytes of a written zip, read from its file each time the stream runs (a retried upload
 * reads it again from the start).
 *
 * @since 0.1.0
 */
export const stream = (written: Written): Stream.Stream<Uint8Array, CliError.LocalFileError> =>
  Stream.fromAsyncIterable(
    { [Symbol.asyncIterator]: () => NodeFs.createReadStream(written.path)[Symbol.asyncIterator]() },
    (cause) =>
      new CliError.LocalFileError({
        path: written.path,
        message: `cannot read the zip back: ${cause instanceof Error ? cause.message : String(cause)}`,
        hint: "check that the temporary directory (TMPDIR) is still there"
      })
  )
