/**
 * The file system steps of `versions pull` (`TreeWriter` puts them together): a call whose
 * failure is named with the system's reason in words, new files written one at a time
 * (`O_CREAT | O_EXCL | O_NOFOLLOW`), and the removals of a cleanup, which never fail the command.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as NodeFs from "node:fs"
import * as CliError from "./CliError.js"
import * as DirectoryWalk from "./DirectoryWalk.js"
import * as FileMode from "./FileMode.js"
import * as LocalFiles from "./LocalFiles.js"
import * as SourceWriter from "./SourceWriter.js"
import * as TerminalText from "./TerminalText.js"

/**
 * The start of the names of the staging folder and of temporary files.
 *
 * @since 0.1.0
 */
export const tempPrefix = ".effect-apify-pull-"

/**
 * What writing a tree fails with.
 *
 * @since 0.1.0
 */
export type Failure = CliError.LocalFileError | CliError.InvalidInput

/**
 * A file to write whose bytes may fail to be read from a file (a pulled zip).
 *
 * @since 0.1.0
 */
export type FileToWrite = SourceWriter.FileToWrite<CliError.LocalFileError>

const problems: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on device",
  EDQUOT: "the disk quota is exceeded",
  EFBIG: "the file is over the size limit of the system or process",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENAMETOOLONG: "the path is too long for the system",
  EEXIST: "the name was taken while pulling",
  ENOTEMPTY: "the name was taken while pulling",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder",
  ELOOP: "it is a symbolic link",
  EMFILE: "too many open files",
  EIO: "an input/output error of the disk"
}

const codeOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined

const problemOf = (error: unknown): string => {
  const code = codeOf(error)
  if (code !== undefined) return problems[code] ?? `system error ${code}`
  return error instanceof Error ? error.message : String(error)
}

/**
 * A path for a message: shortened in the middle when long, control characters escaped.
 *
 * @since 0.1.0
 */
export const shownPath = (path: string): string => TerminalText.escape(LocalFiles.shorten(path))

/**
 * What the hints of pull's refusals end with.
 *
 * @since 0.1.0
 */
export const nothingWritten = "nothing was written"

/**
 * A refusal or file failure, its hint ending with "nothing was written" (once): as pull says
 * what diff and `--plan` say without it (a refused zip, a download that failed).
 *
 * @since 0.1.0
 */
export const saidNothingWritten = <E>(
  error: E | CliError.InvalidInput | CliError.LocalFileError
): E | CliError.InvalidInput | CliError.LocalFileError => {
  const hint = (given: string | undefined) =>
    given?.endsWith(nothingWritten) === true ? given : `${given === undefined ? "" : `${given}; `}${nothingWritten}`
  return error instanceof CliError.InvalidInput
    ? new CliError.InvalidInput({ message: error.message, hint: hint(error.hint) })
    : error instanceof CliError.LocalFileError
    ? new CliError.LocalFileError({ path: error.path, message: error.message, hint: hint(error.hint) })
    : error
}

/**
 * A file system call: its failure named with what was being done, the system's reason in words
 * (`ENOSPC`: no space left on device), and `hint` (by default, that nothing was written).
 *
 * @since 0.1.0
 */
export const attempt = <A>(
  path: string,
  what: string,
  call: () => A,
  hint: string | undefined = nothingWritten
): Either.Either<A, CliError.LocalFileError> => {
  try {
    return Either.right(call())
  } catch (error) {
    return Either.left(
      new CliError.LocalFileError({
        path,
        message: `${what}: ${problemOf(error)}`,
        ...(hint === undefined ? {} : { hint })
      })
    )
  }
}

/**
 * Removals that must not fail the command (a cleanup): what could not be removed, if anything.
 * A folder made by the pull that is not empty (`ENOTEMPTY`, `EEXIST`) holds what another
 * program put there meanwhile (another pull into the same directory), and is left to it.
 *
 * @since 0.1.0
 */
export const removeAll = (paths: ReadonlyArray<string>, remove: (path: string) => void): Array<string> =>
  paths.flatMap((path) => {
    try {
      remove(path)
      return []
    } catch (error) {
      const code = codeOf(error)
      return code === "ENOENT" || code === "ENOTEMPTY" || code === "EEXIST" ? [] : [path]
    }
  })

/**
 * The warning naming what a cleanup could not remove, if anything.
 *
 * @since 0.1.0
 */
export const warnLeft = (left: ReadonlyArray<string>): Effect.Effect<void> =>
  left.length === 0 ? Effect.void : Console.error(
    `Warning: could not remove what the failed pull left: ${left.map(shownPath).join(", ")}.`
  )

const newFile = NodeFs.constants.O_WRONLY | NodeFs.constants.O_CREAT | NodeFs.constants.O_EXCL |
  NodeFs.constants.O_NOFOLLOW

// One file's bytes (made now: a zip entry is inflated here, a piece at a time) into a new
// file at `path`.
const writeNew = (path: string, file: FileToWrite): Effect.Effect<void, Failure> => {
  const what = `the file ${SourceWriter.quoted(file.name)} cannot be written`
  let open = false
  return Effect.acquireUseRelease(
    Effect.suspend(() =>
      attempt(path, what, () => NodeFs.openSync(path, newFile, FileMode.createMode(file.executable)))
    ),
    (fd) => {
      open = true
      // A refused entry (its CRC-32) fails the pull, which removes what it wrote.
      return file.pour((piece) =>
        attempt(path, what, () => {
          for (let done = 0; done < piece.length;) done += NodeFs.writeSync(fd, piece, done)
        })
      ).pipe(
        Effect.mapError(saidNothingWritten),
        Effect.zipRight(Effect.suspend(() => {
          open = false
          return attempt(path, what, () => NodeFs.closeSync(fd))
        }))
      )
    },
    // Closed already unless the writing failed; the file is removed then, so a failure to
    // close it does not matter.
    (fd) =>
      open ?
        Effect.sync(() => {
          try {
            NodeFs.closeSync(fd)
          } catch {
            // removed next
          }
        }) :
        Effect.void
  )
}

/**
 * Writes the files one at a time, each as a new file where `to` says (which may refuse; the
 * path recorded in `created` first), giving the event loop a turn now and then so that Ctrl-C
 * interrupts between two files.
 *
 * @since 0.1.0
 */
export const writeFiles = (
  files: ReadonlyArray<FileToWrite>,
  to: (file: FileToWrite, index: number) => Either.Either<string, CliError.LocalFileError>,
  created: Array<string>
): Effect.Effect<void, Failure> =>
  Effect.gen(function*() {
    const pause = DirectoryWalk.pauser()
    for (const [index, file] of files.entries()) {
      const path = yield* to(file, index)
      created.push(path)
      yield* writeNew(path, file)
      yield* pause
    }
  })
