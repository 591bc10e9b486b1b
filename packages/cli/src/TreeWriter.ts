/**
 * Writes a checked tree (`SourceWriter`) into a directory for `versions pull`, so that a
 * failure or an interruption (Ctrl-C) leaves nothing half-written. Files are written one at a
 * time (a zip entry is inflated only when its turn comes), each as a new file
 * (`O_CREAT | O_EXCL | O_NOFOLLOW`), and Ctrl-C is heard between two files.
 *
 * - Into a directory that does not exist, everything goes into a new directory inside a hidden
 *   staging folder next to it (same parent, `.effect-apify-pull-<random>`, mode 0700, so that
 *   no other user can change what is written meanwhile), renamed onto the directory's name at
 *   the end. A failure or an interruption removes the staging folder, and the parent folders
 *   made for it.
 * - Into an existing directory, what stands in the way is named first (`conflicts`): a link or
 *   a file where a folder goes, a folder where a file goes, an existing file without `force`.
 *   The missing folders are made and each file is written to a temporary file in its folder,
 *   which must still be the folder seen (device and inode, not a link) right before;
 *   only once every file is written are they linked (no `force`: a name taken meanwhile is not
 *   clobbered) or renamed (`force`) onto their names, in one synchronous step. A failure or an
 *   interruption before that step removes the temporary files and the folders made. A failure
 *   in it (another program changing the directory at that moment) removes the files it had
 *   placed that were new, and names the ones it had already overwritten.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as NodeCrypto from "node:crypto"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import * as CliError from "./CliError.js"
import * as Format from "./Format.js"
import * as LocalFiles from "./LocalFiles.js"
import * as PullSteps from "./PullSteps.js"
import * as SourceWriter from "./SourceWriter.js"

// A tree whose files may fail to be read from a file (a pulled zip).
type Tree = SourceWriter.Tree<CliError.LocalFileError>
type FileToWrite = SourceWriter.FileToWrite<CliError.LocalFileError>

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
      ? `pass --force to overwrite existing files, or pull into a new directory; ${PullSteps.nothingWritten}`
      : found.some((c) => c.startsWith("cannot read"))
      ? `a path that cannot be examined is not written; ${PullSteps.nothingWritten}`
      : `links and files where the version has folders are never replaced; ${PullSteps.nothingWritten}`
  })

interface Staging {
  /** the hidden folder (mode 0700) the tree is written in, removed at the end */
  readonly guard: string
  /** the tree's directory inside it, renamed onto the directory's name at the end */
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
    PullSteps.attempt(
      parent,
      `cannot make the folder ${PullSteps.shownPath(parent)}`,
      () => NodeFs.mkdirSync(parent, { recursive: true })
    ),
    (madeParent) => {
      const guard = NodePath.join(parent, `${PullSteps.tempPrefix}${NodeCrypto.randomBytes(6).toString("hex")}`)
      const path = NodePath.join(guard, "tree")
      const made = PullSteps.attempt(guard, `cannot make a folder in ${PullSteps.shownPath(parent)}`, () => {
        NodeFs.mkdirSync(guard, { mode: 0o700 })
        NodeFs.mkdirSync(path)
      })
      if (Either.isLeft(made)) {
        PullSteps.removeAll([guard], (dir) => NodeFs.rmSync(dir, { recursive: true, force: true }))
        PullSteps.removeAll(madeParents(root, madeParent), (dir) => NodeFs.rmdirSync(dir))
      }
      return Either.map(made, () => ({ guard, path, madeParent }))
    }
  )
}

// Into a directory that does not exist: a staging directory renamed onto it at the end.
const intoNew = (root: string, tree: Tree): Effect.Effect<void, PullSteps.Failure> =>
  Effect.acquireUseRelease(
    Effect.suspend(() => makeStaging(root)),
    (staging) =>
      Effect.gen(function*() {
        for (const folder of tree.folders) {
          const path = NodePath.join(staging.path, folder)
          yield* PullSteps.attempt(
            path,
            `the folder ${SourceWriter.quoted(folder)} cannot be made`,
            () => NodeFs.mkdirSync(path)
          )
        }
        yield* PullSteps.writeFiles(tree.files, (file) => Either.right(NodePath.join(staging.path, file.name)), [])
        const there = yield* PullSteps.attempt(
          root,
          `${PullSteps.shownPath(root)} cannot be examined`,
          () => NodeFs.lstatSync(root, { throwIfNoEntry: false })
        )
        if (there !== undefined) {
          return yield* new CliError.LocalFileError({
            path: root,
            message: `${PullSteps.shownPath(root)} appeared while pulling`,
            hint: `pull again; ${PullSteps.nothingWritten}`
          })
        }
        yield* PullSteps.attempt(
          root,
          `cannot rename the pulled files to ${PullSteps.shownPath(root)}`,
          () => NodeFs.renameSync(staging.path, root)
        )
      }),
    (staging, exit) =>
      PullSteps.warnLeft([
        ...PullSteps.removeAll([staging.guard], (path) => NodeFs.rmSync(path, { recursive: true, force: true })),
        ...(Exit.isSuccess(exit)
          ? []
          : PullSteps.removeAll(madeParents(root, staging.madeParent), (dir) => NodeFs.rmdirSync(dir)))
      ])
  )

// A folder as it was seen: what a later look must find again.
interface Seen {
  readonly dev: number
  readonly ino: number
}

interface Pending {
  /** folders made, each after its parent */
  readonly folders: Array<string>
  /** temporary files made, next to where they go */
  readonly temps: Array<string>
  /** every folder written into, by name ("" for the directory), as it was seen */
  readonly seen: Map<string, Seen>
}

// The folder `folder` (a name in the tree, "" for root) as it is now: looked at without
// following it (root itself may be a link to a folder).
const look = (root: string, folder: string, what: string) => {
  const path = folder === "" ? root : NodePath.join(root, folder)
  return PullSteps.attempt(path, what, () => (folder === "" ? NodeFs.statSync(path) : NodeFs.lstatSync(path)))
}

const replacedHint =
  `another program is changing the directory; pull again once it is still; ${PullSteps.nothingWritten}`

// A folder the pull writes into must be the one it saw (device and inode, not a link): one
// swapped meanwhile (by another program) is not written through.
const stillSeen = (root: string, folder: string, pending: Pending): Either.Either<void, CliError.LocalFileError> => {
  const what = `the folder ${
    folder === "" ? PullSteps.shownPath(root) : SourceWriter.quoted(folder)
  } cannot be written into`
  const seen = pending.seen.get(folder)
  return Either.flatMap(
    look(root, folder, what),
    (stats) =>
      seen !== undefined && stats.isDirectory() && stats.dev === seen.dev && stats.ino === seen.ino
        ? Either.void
        : Either.left(
          new CliError.LocalFileError({
            path: NodePath.join(root, folder),
            message: `${what}: it was replaced (by a link or another folder) while pulling`,
            hint: replacedHint
          })
        )
  )
}

const folderOf = (name: string): string => {
  const slash = name.lastIndexOf("/")
  return slash === -1 ? "" : name.slice(0, slash)
}

// A folder inside root, made if missing (and then recorded); a link or file there fails.
const ensureFolder = (root: string, folder: string, pending: Pending): Either.Either<void, CliError.LocalFileError> => {
  const path = NodePath.join(root, folder)
  const what = `the folder ${SourceWriter.quoted(folder)} cannot be made`
  return Either.flatMap(
    PullSteps.attempt(path, what, () => NodeFs.lstatSync(path, { throwIfNoEntry: false })),
    (stats) => {
      const made = stats === undefined
        ? Either.flatMap(
          Either.map(
            PullSteps.attempt(path, what, () => NodeFs.mkdirSync(path)),
            () => void pending.folders.push(path)
          ),
          () => look(root, folder, what)
        )
        : Either.right(stats)
      return Either.flatMap(
        made,
        (seen) =>
          seen.isDirectory() ? Either.right(void pending.seen.set(folder, seen)) : Either.left(
            new CliError.LocalFileError({ path, message: `${what}: a link or file appeared there while pulling` })
          )
      )
    }
  )
}

// Every temporary file linked or renamed onto its name (its folder still the one seen), or, on
// the first failure, the new files placed so far removed again (an overwritten file cannot be
// put back: it is named).
const place = (
  root: string,
  files: ReadonlyArray<FileToWrite>,
  pending: Pending,
  force: boolean
): Either.Either<void, CliError.LocalFileError> => {
  const placed: Array<{ readonly path: string; readonly name: string; readonly existed: boolean }> = []
  for (const [index, file] of files.entries()) {
    const path = NodePath.join(root, file.name)
    const temp = pending.temps[index]!
    const existed = force && Either.getOrElse(
      PullSteps.attempt(path, "", () => NodeFs.lstatSync(path, { throwIfNoEntry: false }) !== undefined),
      () => true
    )
    const folder = stillSeen(root, folderOf(file.name), pending)
    const done = Either.flatMap(
      folder,
      () =>
        PullSteps.attempt(path, `the file ${SourceWriter.quoted(file.name)} cannot be put in place`, () => {
          if (force) return NodeFs.renameSync(temp, path)
          NodeFs.linkSync(temp, path)
          NodeFs.rmSync(temp, { force: true })
        })
    )
    if (Either.isRight(done)) {
      placed.push({ path, name: file.name, existed })
      continue
    }
    PullSteps.removeAll(placed.filter((p) => !p.existed).map((p) => p.path), (p) => NodeFs.rmSync(p, { force: true }))
    const overwritten = placed.filter((p) => p.existed).map((p) => SourceWriter.quoted(p.name))
    return Either.left(
      new CliError.LocalFileError({
        path,
        message: done.left.message,
        hint: overwritten.length > 0
          ? `${Format.count(overwritten.length, "file")} had already been overwritten with the version's (${
            overwritten.slice(0, 5).join(", ")
          }${overwritten.length > 5 ? ", ..." : ""}); no other file was written`
          : Either.isLeft(folder)
          ? replacedHint
          : `${force ? "" : "pass --force to overwrite a file that appeared meanwhile; "}${PullSteps.nothingWritten}`
      })
    )
  }
  return Either.void
}

// Into an existing directory: temporary files, placed in one step once all are written.
const intoExisting = (root: string, tree: Tree, force: boolean): Effect.Effect<void, PullSteps.Failure> => {
  const pending: Pending = { folders: [], temps: [], seen: new Map() }
  const run = NodeCrypto.randomBytes(6).toString("hex")
  return Effect.gen(function*() {
    pending.seen.set("", yield* look(root, "", `the directory ${PullSteps.shownPath(root)} cannot be examined`))
    for (const folder of tree.folders) yield* ensureFolder(root, folder, pending)
    yield* PullSteps.writeFiles(
      tree.files,
      (file, index) =>
        Either.map(
          stillSeen(root, folderOf(file.name), pending),
          () => NodePath.join(root, folderOf(file.name), `${PullSteps.tempPrefix}${run}-${index}.tmp`)
        ),
      pending.temps
    )
    yield* place(root, tree.files, pending, force)
  }).pipe(Effect.onExit((exit) =>
    PullSteps.warnLeft([
      ...PullSteps.removeAll(pending.temps, (path) => NodeFs.rmSync(path, { force: true })),
      ...(Exit.isSuccess(exit)
        ? []
        : PullSteps.removeAll([...pending.folders].reverse(), (dir) => NodeFs.rmdirSync(dir)))
    ])
  ))
}

/**
 * Why `root` cannot be pulled into, if it cannot: it is a file (or another kind that is not a
 * folder), or a symbolic link that leads nowhere (a dangling link: a staging folder renamed
 * onto its name would fail at the end). `root` is made when nothing is there, and a link to a
 * folder counts as that folder.
 *
 * @since 0.1.0
 */
export const rootProblem = (root: string): CliError.InvalidInput | undefined => {
  const shown = PullSteps.shownPath(root)
  const hint = "give the directory to pull into (it is made when it does not exist)"
  const there = Either.getOrUndefined(LocalFiles.lstatIfExists(root, shown))
  if (there === undefined || Option.isNone(there)) return undefined
  if (there.value.kind === "SymbolicLink") {
    const target = LocalFiles.resolve(root)
    if (target._tag === "Broken") {
      const to = Either.getOrUndefined(PullSteps.attempt(root, "", () => NodeFs.readlinkSync(root)))
      return new CliError.InvalidInput({
        message: `${shown} is a dangling symbolic link (${
          to === undefined ? "" : `to ${PullSteps.shownPath(to)}: `
        }${target.reason})`,
        hint: `make the folder it points to, or ${hint}`
      })
    }
  }
  const kind = Either.getOrUndefined(LocalFiles.stat(root, shown))?.kind
  return kind === undefined || kind === "Directory" ? undefined : new CliError.InvalidInput({
    message: `${shown} is not a directory`,
    hint
  })
}

/**
 * Writes a checked tree into `root`: through a staging folder when `root` does not exist, else
 * through temporary files once nothing stands in the way (`conflicts`); on a failure or an
 * interruption, what was written is removed.
 *
 * @since 0.1.0
 */
export const write = Effect.fn("TreeWriter.write")(
  function*(root: string, tree: SourceWriter.Tree<CliError.LocalFileError>, force: boolean) {
    const problem = rootProblem(root)
    if (problem !== undefined) return yield* problem
    const stats = yield* PullSteps.attempt(
      root,
      `the directory ${PullSteps.shownPath(root)} cannot be examined`,
      () => NodeFs.statSync(root, { throwIfNoEntry: false })
    )
    if (stats === undefined) return yield* intoNew(root, tree)
    const found = conflicts(root, tree, force)
    if (found.length > 0) return yield* inTheWay(found)
    return yield* intoExisting(root, tree, force)
  }
)
