/**
 * The zip of a push over the inline limit: the files the safe walk selected
 * (`DirectoryWalk.Found`, each read again only if it is still the file the walk saw),
 * deflated at level 6 as `apify push` does, written piece by piece to a temporary file that is
 * removed when the scope closes. Memory stays bounded by one piece per file, never the zip.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { Zip, ZipDeflate } from "fflate"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as CliError from "./CliError.js"
import * as DirectoryWalk from "./DirectoryWalk.js"
import * as LocalFiles from "./LocalFiles.js"

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

/**
 * The most entries a zip without ZIP64 records counts (fflate writes none): past it the
 * count wraps and readers that trust it see a fraction of the files.
 *
 * @since 0.1.0
 */
export const maxEntries = 65_535

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
): Effect.Effect<Written, CliError.LocalFileError, Scope.Scope> =>
  Effect.gen(function*() {
    if (files.length > maxEntries) {
      return yield* new CliError.LocalFileError({
        path: ".",
        message: `${files.length} files are more than a zip without ZIP64 holds (${maxEntries}); its count would wrap`,
        hint: "leave generated or vendored files out with .gitignore or .actorignore"
      })
    }
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
    for (const file of files) {
      yield* pause
      const entry = new ZipDeflate(file.name, { level: 6 })
      zip.add(entry)
      const read = LocalFiles.readChunks(file.path, file.name, file, chunkBytes, (chunk, final) => {
        entry.push(chunk, final)
      })
      if (Either.isLeft(read)) return yield* read.left
      if (failure !== undefined) return yield* writeFailed(path, failure)
    }
    zip.end()
    if (failure !== undefined) return yield* writeFailed(path, failure)
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
