/**
 * Writes a checked tree (`SourceWriter`) into a directory for `versions pull`, so that a
 * failure or an interruption (Ctrl-C) leaves nothing half-written. Files are written one at a
 * time (a zip entry is inflated only when its turn comes), each as a new file
 * (`O_CREAT | O_EXCL | O_NOFOLLOW`), and Ctrl-C is heard between two files.
 *
 * - Into a directory that does not exist, everything goes into a new hidden staging directory
 *   next to it (same parent, `.effect-apify-pull-<random>`), renamed onto the directory's name
 *   at the end. A failure or an interruption removes the staging directory, and the parent
 *   folders made for it.
 * - Into an existing directory, what stands in the way is named first (`conflicts`): a link or
 *   a file where a folder goes, a folder where a file goes, an existing file without `force`.
 *   The missing folders are made and each file is written to a temporary file in its folder;
 *   only once every file is written are they linked (no `force`: a name taken meanwhile is not
 *   clobbered) or renamed (`force`) onto their names, in one synchronous step. A failure or an
 *   interruption before that step removes the temporary files and the folders made. A failure
 *   in it (another program changing the directory at that moment) removes the files it had
 *   placed that were new, and names the ones it had already overwritten.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as NodeCrypto from "node:crypto"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import * as CliError from "./CliError.js"
import * as DirectoryWalk from "./DirectoryWalk.js"
import * as FileMode from "./FileMode.js"
import * as Format from "./Format.js"
import * as LocalFiles from "./LocalFiles.js"
import * as SourceWriter from "./SourceWriter.js"
import * as TerminalText from "./TerminalText.js"

/**
 * The start of the names of the staging directory and of temporary files.
 *
 * @since 0.1.0
 */
export const tempPrefix = ".effect-apify-pull-"

type Failure = CliError.LocalFileError | CliError.InvalidInput

// A tree whose files may fail to be read from a file (a pulled zip).
type Tree = SourceWriter.Tree<CliError.LocalFileError>
type FileToWrite = SourceWriter.FileToWrite<CliError.LocalFileError>

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

const shownPath = (path: string) => TerminalText.escape(LocalFiles.shorten(path))

const nothingWritten = "nothing was written"

/**
 * A file system call of `versions pull`: its failure named with what was being done, the
 * system's reason in words (`ENOSPC`: no space left on device), and that nothing was written.
 *
 * @since 0.1.0
 */
export const attempt = <A>(path: string, what: string, call: () => A): Either.Either<A, CliError.LocalFileError> => {
  try {
    return Either.right(call())
  } catch (error) {
    return Either.left(
      new CliError.LocalFileError({ path, message: `${what}: ${problemOf(error)}`, hint: nothingWritten })
    )
  }
}

// Removals that must not fail the command (a cleanup): what could not be removed, if anything.
const removeAll = (paths: ReadonlyArray<string>, remove: (path: string) => void): Array<string> =>
  paths.flatMap((path) => {
    try {
      remove(path)
      return []
    } catch (error) {
      return codeOf(error) === "ENOENT" ? [] : [path]
    }
  })

const warnLeft = (left: ReadonlyArray<string>) =>
  left.length === 0 ? Effect.void : Console.error(
    `Warning: could not remove what the failed pull left: ${left.map(shownPath).join(", ")}.`
  )

/**
 * What already stands in the way of a tree in `root`: a link or a file where a folder goes,
 * a link or folder where a file goes, and (without `force`) an existing file.
 *
 * @since 0.1.0
 */
export const conflicts = (
  root: string,
  tree: SourceWriter.Tree<CliError.LocalFileError>,
  force: boolean
): Array<string> => {
  const out: Array<string> = []
  // Nothing there, or (ENOTDIR) a folder on the way is a file, which is named already.
  const kindOf = (name: string): LocalFiles.Kind | undefined => {
    const found = LocalFiles.lstatIfExists(NodePath.join(root, name), SourceWriter.quoted(name))
    if (Either.isRight(found)) return Option.getOrUndefined(Option.map(found.right, (info) => info.kind))
    out.push(found.left.message)
    return undefined
  }
  for (const folder of tree.folders) {
    const kind = kindOf(folder)
    if (kind === undefined || kind === "Directory") continue
    out.push(`${SourceWriter.quoted(folder)} is ${kind === "SymbolicLink" ? "a link" : "not a folder"} here`)
  }
  for (const file of tree.files) {
    const kind = kindOf(file.name)
    if (kind === "Directory") out.push(`${SourceWriter.quoted(file.name)} is a folder here`)
    else if (kind !== undefined && !force) out.push(`${SourceWriter.quoted(file.name)} exists`)
  }
  return out
}

const inTheWay = (found: ReadonlyArray<string>) =>
  new CliError.InvalidInput({
    message: `${Format.count(found.length, "path")} in the way: ${found.slice(0, 5).join(", ")}${
      found.length > 5 ? ` and ${found.length - 5} more` : ""
    }`,
    hint: found.some((c) => c.endsWith(" exists"))
      ? `pass --force to overwrite existing files, or pull into a new directory; ${nothingWritten}`
      : found.some((c) => c.startsWith("cannot read"))
      ? `a path that cannot be examined is not written; ${nothingWritten}`
      : `links and files where the version has folders are never replaced; ${nothingWritten}`
  })

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
      return file.pour((piece) =>
        attempt(path, what, () => {
          for (let done = 0; done < piece.length;) done += NodeFs.writeSync(fd, piece, done)
        })
      ).pipe(Effect.zipRight(Effect.suspend(() => {
        open = false
        return attempt(path, what, () => NodeFs.closeSync(fd))
      })))
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

// Writes the files one at a time, each where `to` says (recorded in `created` first), giving
// the event loop a turn now and then so that Ctrl-C interrupts between two files.
const writeFiles = (
  files: ReadonlyArray<FileToWrite>,
  to: (file: FileToWrite, index: number) => string,
  created: Array<string>
) =>
  Effect.gen(function*() {
    const pause = DirectoryWalk.pauser()
    for (const [index, file] of files.entries()) {
      const path = to(file, index)
      created.push(path)
      yield* writeNew(path, file)
      yield* pause
    }
  })

interface Staging {
  readonly path: string
  /** the first parent folder made for it (`mkdir -p`), removed with it on failure */
  readonly madeParent: string | undefined
}

// The parent folders made for the directory, deepest first, up to the first one made.
const madeParents = (root: string, madeParent: string | undefined): Array<string> => {
  if (madeParent === undefined) return []
  const out: Array<string> = []
  for (let dir = NodePath.dirname(root); dir.startsWith(madeParent); dir = NodePath.dirname(dir)) {
    out.push(dir)
    if (dir === madeParent) break
  }
  return out
}

const makeStaging = (root: string): Either.Either<Staging, CliError.LocalFileError> => {
  const parent = NodePath.dirname(root)
  return Either.flatMap(
    attempt(parent, `cannot make the folder ${shownPath(parent)}`, () => NodeFs.mkdirSync(parent, { recursive: true })),
    (madeParent) => {
      const path = NodePath.join(parent, `${tempPrefix}${NodeCrypto.randomBytes(6).toString("hex")}`)
      const made = attempt(path, `cannot make a folder in ${shownPath(parent)}`, () => NodeFs.mkdirSync(path))
      if (Either.isLeft(made)) removeAll(madeParents(root, madeParent), (dir) => NodeFs.rmdirSync(dir))
      return Either.map(made, () => ({ path, madeParent }))
    }
  )
}

// Into a directory that does not exist: a staging directory renamed onto it at the end.
const intoNew = (root: string, tree: Tree): Effect.Effect<void, Failure> =>
  Effect.acquireUseRelease(
    Effect.suspend(() => makeStaging(root)),
    (staging) =>
      Effect.gen(function*() {
        for (const folder of tree.folders) {
          const path = NodePath.join(staging.path, folder)
          yield* attempt(path, `the folder ${SourceWriter.quoted(folder)} cannot be made`, () => NodeFs.mkdirSync(path))
        }
        yield* writeFiles(tree.files, (file) => NodePath.join(staging.path, file.name), [])
        const there = yield* attempt(
          root,
          `${shownPath(root)} cannot be examined`,
          () => NodeFs.lstatSync(root, { throwIfNoEntry: false })
        )
        if (there !== undefined) {
          return yield* new CliError.LocalFileError({
            path: root,
            message: `${shownPath(root)} appeared while pulling`,
            hint: `pull again; ${nothingWritten}`
          })
        }
        yield* attempt(
          root,
          `cannot rename the pulled files to ${shownPath(root)}`,
          () => NodeFs.renameSync(staging.path, root)
        )
      }),
    (staging, exit) =>
      Exit.isSuccess(exit) ? Effect.void : warnLeft([
        ...removeAll([staging.path], (path) => NodeFs.rmSync(path, { recursive: true, force: true })),
        ...removeAll(madeParents(root, staging.madeParent), (dir) => NodeFs.rmdirSync(dir))
      ])
  )

interface Pending {
  /** folders made, each after its parent */
  readonly folders: Array<string>
  /** temporary files made, next to where they go */
  readonly temps: Array<string>
}

// A folder inside root, made if missing (and then recorded); a link or file there fails.
const ensureFolder = (root: string, folder: string, pending: Pending): Either.Either<void, CliError.LocalFileError> => {
  const path = NodePath.join(root, folder)
  const what = `the folder ${SourceWriter.quoted(folder)} cannot be made`
  return Either.flatMap(attempt(path, what, () => NodeFs.lstatSync(path, { throwIfNoEntry: false })), (stats) => {
    if (stats === undefined) {
      return Either.map(attempt(path, what, () => NodeFs.mkdirSync(path)), () => void pending.folders.push(path))
    }
    return stats.isDirectory() ? Either.void : Either.left(
      new CliError.LocalFileError({ path, message: `${what}: a link or file appeared there while pulling` })
    )
  })
}

// Every temporary file linked or renamed onto its name, or, on the first failure, the new
// files placed so far removed again (an overwritten file cannot be put back: it is named).
const place = (
  root: string,
  files: ReadonlyArray<FileToWrite>,
  temps: ReadonlyArray<string>,
  force: boolean
): Either.Either<void, CliError.LocalFileError> => {
  const placed: Array<{ readonly path: string; readonly name: string; readonly existed: boolean }> = []
  for (const [index, file] of files.entries()) {
    const path = NodePath.join(root, file.name)
    const temp = temps[index]!
    const existed = force && Either.getOrElse(
      attempt(path, "", () => NodeFs.lstatSync(path, { throwIfNoEntry: false }) !== undefined),
      () => true
    )
    const done = attempt(path, `the file ${SourceWriter.quoted(file.name)} cannot be put in place`, () => {
      if (force) return NodeFs.renameSync(temp, path)
      NodeFs.linkSync(temp, path)
      NodeFs.rmSync(temp, { force: true })
    })
    if (Either.isRight(done)) {
      placed.push({ path, name: file.name, existed })
      continue
    }
    removeAll(placed.filter((p) => !p.existed).map((p) => p.path), (p) => NodeFs.rmSync(p, { force: true }))
    const overwritten = placed.filter((p) => p.existed).map((p) => SourceWriter.quoted(p.name))
    return Either.left(
      new CliError.LocalFileError({
        path,
        message: done.left.message,
        hint: overwritten.length === 0
          ? `${force ? "" : "pass --force to overwrite a file that appeared meanwhile; "}${nothingWritten}`
          : `${Format.count(overwritten.length, "file")} had already been overwritten with the version's (${
            overwritten.slice(0, 5).join(", ")
          }${overwritten.length > 5 ? ", ..." : ""}); no other file was written`
      })
    )
  }
  return Either.void
}

// Into an existing directory: temporary files, placed in one step once all are written.
const intoExisting = (root: string, tree: Tree, force: boolean): Effect.Effect<void, Failure> => {
  const pending: Pending = { folders: [], temps: [] }
  const run = NodeCrypto.randomBytes(6).toString("hex")
  return Effect.gen(function*() {
    for (const folder of tree.folders) yield* ensureFolder(root, folder, pending)
    yield* writeFiles(
      tree.files,
      (file, index) => NodePath.join(root, NodePath.dirname(file.name), `${tempPrefix}${run}-${index}.tmp`),
      pending.temps
    )
    yield* place(root, tree.files, pending.temps, force)
  }).pipe(Effect.onExit((exit) =>
    warnLeft([
      ...removeAll(pending.temps, (path) => NodeFs.rmSync(path, { force: true })),
      ...(Exit.isSuccess(exit) ? [] : removeAll([...pending.folders].reverse(), (dir) => NodeFs.rmdirSync(dir)))
    ])
  ))
}

/**
 * Writes a checked tree into `root`: through a staging directory when `root` does not exist,
 * else through temporary files once nothing stands in the way (`conflicts`); on a failure or
 * an interruption, what was written is removed.
 *
 * @since 0.1.0
 */
export const write = Effect.fn("TreeWriter.write")(
  function*(root: string, tree: SourceWriter.Tree<CliError.LocalFileError>, force: boolean) {
    const stats = yield* attempt(
      root,
      `the directory ${shownPath(root)} cannot be examined`,
      () => NodeFs.statSync(root, { throwIfNoEntry: false })
    )
    if (stats === undefined) return yield* intoNew(root, tree)
    if (!stats.isDirectory()) {
      return yield* new CliError.LocalFileError({ path: root, message: `${shownPath(root)} is not a directory` })
    }
    const found = conflicts(root, tree, force)
    if (found.length > 0) return yield* inTheWay(found)
    return yield* intoExisting(root, tree, force)
  }
)
