/**
 * Writes a version's `sourceFiles` into a local directory, for `versions pull`, safe against
 * a hostile version body and a hostile directory:
 *
 * - every name and every BASE64 content is checked before anything is written: a name that
 *   is empty, absolute, holds a control character (NUL, ESC, CR, LF, DEL, C1, ...) or a lone
 *   surrogate, an empty, `.` or `..` part, a part over 255 bytes (or, on Windows, a backslash
 *   or a drive colon) is refused, as are two entries with one name, a file that is also a
 *   folder, and BASE64 content that is not base64;
 * - every folder on the way is examined with `lstat`: a link already in the directory is
 *   refused (it could lead outside), never followed;
 * - an existing file is never overwritten without `force`, and the conflicts are all named
 *   before the first byte is written;
 * - each file is written to a new temporary file next to it (`O_CREAT | O_EXCL | O_NOFOLLOW`)
 *   and then linked (no `force`: the link fails when the name was taken meanwhile) or renamed
 *   onto its name, so a failure leaves no half-written file.
 *
 * @since 0.1.0
 */
import type { SourceFile } from "@effect-apify/domain"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Option from "effect/Option"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import * as CliError from "./CliError.js"
import * as Format from "./Format.js"
import * as LocalFiles from "./LocalFiles.js"
import * as TerminalText from "./TerminalText.js"

/**
 * A file to write: its checked name (parts joined by `/`) and its bytes.
 *
 * @since 0.1.0
 */
export interface FileToWrite {
  readonly name: string
  readonly bytes: Uint8Array
}

/**
 * The checked tree: its folders (each after its parents) and files.
 *
 * @since 0.1.0
 */
export interface Tree {
  readonly folders: ReadonlyArray<string>
  readonly files: ReadonlyArray<FileToWrite>
}

/**
 * The longest file or folder name most file systems take (NAME_MAX), in UTF-8 bytes.
 *
 * @since 0.1.0
 */
export const maxPartBytes = 255

/**
 * Why a name from a version body cannot be written inside the directory, if it cannot.
 *
 * @since 0.1.0
 */
export const refusal = (name: string, platform: NodeJS.Platform = process.platform): string | undefined => {
  if (name.length === 0) return "it is empty"
  if (name.includes("\0")) return "it holds a NUL byte"
  if (LocalFiles.hasControlCharacter(name)) return "it holds a control character"
  if (/\p{Cs}/u.test(name)) return "it holds a lone surrogate (not Unicode text)"
  if (name.startsWith("/")) return "it is an absolute path"
  if (platform === "win32" && /[\\:]/.test(name)) return "it holds a backslash or a colon"
  const parts = name.split("/")
  if (parts.some((part) => part === "..")) return "it leads out of the directory (a .. part)"
  if (parts.some((part) => part === "" || part === ".")) return "it has an empty or . part"
  if (parts.some((part) => Buffer.byteLength(part) > maxPartBytes)) return `a part is over ${maxPartBytes} bytes`
  return undefined
}

const shown = (name: string) => TerminalText.escape(JSON.stringify(name))

const refused = (message: string, hint: string) => Either.left(new CliError.InvalidInput({ message, hint }))

// BASE64 strictly (line breaks aside): Buffer.from(x, "base64") would skip whatever is not base64.
const bytesOf = (file: SourceFile.SourceCodeFile): Either.Either<Uint8Array, string> => {
  if (file.format === "TEXT") return Either.right(Buffer.from(file.content, "utf8"))
  const stray = /[^A-Za-z0-9+/=\r\n]/u.exec(file.content)
  return Either.mapLeft(Encoding.decodeBase64(file.content), (e) =>
    `${shown(file.name)} (${
      stray === null
        ? TerminalText.escape(e.message ?? "not base64")
        : `${TerminalText.escape(JSON.stringify(stray[0]))} at character ${stray.index}`
    })`)
}

const parentsOf = (name: string): Array<string> => {
  const parts = name.split("/")
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"))
}

/**
 * Checks every name of a version's `sourceFiles` and decodes the files (BASE64 decoded, TEXT
 * as UTF-8): the tree to write, or the first refusal, before anything is written.
 *
 * @since 0.1.0
 */
export const plan = (sourceFiles: ReadonlyArray<SourceFile.SourceFile>): Either.Either<Tree, CliError.InvalidInput> => {
  const bad: Array<string> = []
  const checked = planEntries(sourceFiles.map((f) => {
    if (f._tag === "SourceCodeFolder") return { name: f.name, bytes: undefined }
    const bytes = bytesOf(f)
    if (Either.isLeft(bytes)) bad.push(bytes.left)
    return { name: f.name, bytes: Either.getOrElse(bytes, () => new Uint8Array(0)) }
  }))
  if (Either.isLeft(checked) || bad.length === 0) return checked
  return refused(
    `refused the BASE64 content of ${Format.count(bad.length, "file")} in the version: ${bad.slice(0, 5).join(", ")}${
      bad.length > 5 ? ` and ${bad.length - 5} more` : ""
    }`,
    "BASE64 content must be base64 (A-Z a-z 0-9 + / and = padding, line breaks allowed); nothing was written"
  )
}

/**
 * Checks the names of files (`bytes`) and folders (`bytes: undefined`): the tree to write, or
 * the first refusal, before anything is written.
 *
 * @since 0.1.0
 */
export const planEntries = (
  entries: ReadonlyArray<{ readonly name: string; readonly bytes: Uint8Array | undefined }>
): Either.Either<Tree, CliError.InvalidInput> => {
  const hint = "the version holds names that cannot be written safely; nothing was written"
  const bad = entries.flatMap((f) => {
    const why = refusal(f.name)
    return why === undefined ? [] : [`${shown(f.name)} (${why})`]
  })
  if (bad.length > 0) {
    const more = bad.length > 5 ? ` and ${bad.length - 5} more` : ""
    return refused(
      `refused ${Format.count(bad.length, "name")} in the version: ${bad.slice(0, 5).join(", ")}${more}`,
      hint
    )
  }
  const files = new Map<string, FileToWrite>()
  const folders = new Set<string>()
  for (const f of entries) {
    if (f.bytes === undefined) {
      folders.add(f.name)
      continue
    }
    if (files.has(f.name)) return refused(`the version lists the file ${shown(f.name)} twice`, hint)
    files.set(f.name, { name: f.name, bytes: f.bytes })
  }
  for (const name of [...files.keys()]) for (const parent of parentsOf(name)) folders.add(parent)
  for (const folder of [...folders]) for (const parent of parentsOf(folder)) folders.add(parent)
  for (const folder of folders) {
    if (files.has(folder)) return refused(`the version lists ${shown(folder)} as a file and as a folder`, hint)
  }
  return Either.right({
    folders: [...folders].sort((a, b) => a.split("/").length - b.split("/").length || (a < b ? -1 : 1)),
    files: [...files.values()]
  })
}

const localError = (path: string, message: string, hint?: string) =>
  new CliError.LocalFileError({ path, message, ...(hint === undefined ? {} : { hint }) })

const lstatOf = (path: string): NodeFs.Stats | undefined => NodeFs.lstatSync(path, { throwIfNoEntry: false })

const messageOf = (error: unknown): string =>
  error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error)

/**
 * What already stands in the way of a tree in `root`: a link or a file where a folder goes,
 * a link or folder where a file goes, and (without `force`) an existing file.
 *
 * @since 0.1.0
 */
export const conflicts = (root: string, tree: Tree, force: boolean): Array<string> => {
  const out: Array<string> = []
  // Nothing there, or (ENOTDIR) a folder on the way is a file, which is named already.
  const kindOf = (name: string): LocalFiles.Kind | undefined => {
    const found = LocalFiles.lstatIfExists(NodePath.join(root, name), shown(name))
    if (Either.isRight(found)) return Option.getOrUndefined(Option.map(found.right, (info) => info.kind))
    out.push(found.left.message)
    return undefined
  }
  for (const folder of tree.folders) {
    const kind = kindOf(folder)
    if (kind === undefined || kind === "Directory") continue
    out.push(`${shown(folder)} is ${kind === "SymbolicLink" ? "a link" : "not a folder"} here`)
  }
  for (const file of tree.files) {
    const kind = kindOf(file.name)
    if (kind === "Directory") out.push(`${shown(file.name)} is a folder here`)
    else if (kind !== undefined && !force) out.push(`${shown(file.name)} exists`)
  }
  return out
}

// A folder inside root, made if missing; anything else there (a link made meanwhile) fails.
const ensureFolder = (root: string, folder: string): Either.Either<void, CliError.LocalFileError> => {
  const path = NodePath.join(root, folder)
  try {
    NodeFs.mkdirSync(path)
  } catch (error) {
    if (messageOf(error) !== "EEXIST") {
      return Either.left(localError(path, `cannot make the folder: ${messageOf(error)}`))
    }
  }
  const stats = lstatOf(path)
  return stats !== undefined && stats.isDirectory() && !stats.isSymbolicLink()
    ? Either.void
    : Either.left(localError(path, "is not a folder (a link or file appeared while writing)"))
}

let counter = 0

// Writes one file through a temporary file next to it, then links or renames it into place.
const writeFile = (root: string, file: FileToWrite, force: boolean): Either.Either<void, CliError.LocalFileError> => {
  const target = NodePath.join(root, file.name)
  const temp = NodePath.join(NodePath.dirname(target), `.effect-apify-pull-${process.pid}-${++counter}.tmp`)
  const flags = NodeFs.constants.O_WRONLY | NodeFs.constants.O_CREAT | NodeFs.constants.O_EXCL |
    NodeFs.constants.O_NOFOLLOW
  try {
    const fd = NodeFs.openSync(temp, flags, 0o666)
    try {
      NodeFs.writeSync(fd, file.bytes)
    } finally {
      NodeFs.closeSync(fd)
    }
    if (force) NodeFs.renameSync(temp, target)
    else NodeFs.linkSync(temp, target)
    return Either.void
  } catch (error) {
    const code = messageOf(error)
    return Either.left(
      code === "EEXIST" && !force
        ? localError(target, "exists (it appeared while writing)", "pass --force to overwrite it")
        : localError(target, `cannot be written: ${code}`)
    )
  } finally {
    NodeFs.rmSync(temp, { force: true })
  }
}

/**
 * Writes a checked tree into `root` (made when missing), refusing before the first write when
 * anything stands in the way (see `conflicts`).
 *
 * @since 0.1.0
 */
export const write = (
  root: string,
  tree: Tree,
  force: boolean
): Either.Either<void, CliError.LocalFileError | CliError.InvalidInput> => {
  let rootStats: NodeFs.Stats | undefined
  try {
    rootStats = NodeFs.statSync(root, { throwIfNoEntry: false })
  } catch (error) {
    return Either.left(localError(root, `cannot be examined: ${messageOf(error)}`))
  }
  if (rootStats !== undefined && !rootStats.isDirectory()) return Either.left(localError(root, "is not a directory"))
  const found = conflicts(root, tree, force)
  if (found.length > 0) {
    const more = found.length > 5 ? ` and ${found.length - 5} more` : ""
    return refused(
      `${Format.count(found.length, "path")} in the way: ${found.slice(0, 5).join(", ")}${more}`,
      found.some((c) => c.endsWith(" exists"))
        ? "pass --force to overwrite existing files, or pull into a new directory; nothing was written"
        : found.some((c) => c.startsWith("cannot read"))
        ? "a path that cannot be examined is not written; nothing was written"
        : "links and files where the version has folders are never replaced; nothing was written"
    )
  }
  try {
    NodeFs.mkdirSync(root, { recursive: true })
  } catch (error) {
    return Either.left(localError(root, `cannot make the directory: ${messageOf(error)}`))
  }
  for (const folder of tree.folders) {
    const made = ensureFolder(root, folder)
    if (Either.isLeft(made)) return made
  }
  for (const file of tree.files) {
    const written = writeFile(root, file, force)
    if (Either.isLeft(written)) return written
  }
  return Either.void
}
