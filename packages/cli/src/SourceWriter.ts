/**
 * Checks the tree of a version (its `sourceFiles`, or the entries of its zip) for `versions
 * pull`, safe against a hostile version body, before anything is written (`TreeWriter` writes
 * it): a name that is empty, absolute, holds a control character (NUL, ESC, CR, LF, DEL, C1,
 * ...) or a lone surrogate, an empty, `.` or `..` part, a part over 255 bytes (or, on Windows,
 * a backslash or a drive colon) and a part git takes for its own folder (`isGitFolder`) is
 * refused, as are two entries with one name, a file that is also a folder, and BASE64 content
 * that is not base64.
 *
 * @since 0.1.0
 */
import type { SourceFile } from "@effect-apify/domain"
import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as CliError from "./CliError.js"
import * as Format from "./Format.js"
import * as LocalFiles from "./LocalFiles.js"
import * as TerminalText from "./TerminalText.js"

/**
 * What a file holds: its size, and `pour`, which gives its bytes piece by piece to `write`
 * when the file is written (a zip entry is inflated only then, a piece at a time, and checked
 * against its declared size and CRC-32 as it goes), stopping at the first failure. A piece is
 * valid only until `write` returns (its bytes may be read over for the next). `X` is what
 * reading the bytes may fail with besides (a zip read from a file: `LocalFileError`).
 *
 * @since 0.1.0
 */
export interface Content<X = never> {
  readonly size: number
  /** written executable (`FileMode`): only a zip entry with a Unix mode says so */
  readonly executable?: boolean
  readonly pour: <E>(
    write: (piece: Uint8Array) => Either.Either<void, E>
  ) => Effect.Effect<void, CliError.InvalidInput | X | E>
}

/**
 * A file to write: its checked name (parts joined by `/`) and its content.
 *
 * @since 0.1.0
 */
export interface FileToWrite<X = never> extends Content<X> {
  readonly name: string
}

/**
 * The checked tree: its folders (each after its parent) and files.
 *
 * @since 0.1.0
 */
export interface Tree<X = never> {
  readonly folders: ReadonlyArray<string>
  readonly files: ReadonlyArray<FileToWrite<X>>
}

/**
 * The longest file or folder name most file systems take (NAME_MAX), in UTF-8 bytes.
 *
 * @since 0.1.0
 */
export const maxPartBytes = 255

// Code points HFS+ ignores in a name, so that `.g\u200cit` is `.git` on macOS (git's is_hfs_dotgit).
const hfsIgnorable = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/gu

/**
 * Whether git takes a name part for its own folder, as its `verify_path` does (a pull writing
 * into it would change the repository's config and hooks, which git runs): `.git` in any letter
 * case, also with trailing dots or spaces or an NTFS stream (`.git::$INDEX_ALLOCATION`), its
 * NTFS short name `git~1`, and either with the code points HFS+ ignores inserted. Checked on
 * every platform, as git does by default.
 *
 * @since 0.1.0
 */
export const isGitFolder = (part: string): boolean => {
  const stem = part.replace(hfsIgnorable, "").toLowerCase().split(":")[0]!.replace(/[. ]+$/u, "")
  return stem === ".git" || stem === "git~1"
}

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
  if (parts.some(isGitFolder)) return "a part is git's folder .git, or a name git takes for it"
  return undefined
}

/**
 * A name from a version for a message: quoted as JSON, control characters escaped.
 *
 * @since 0.1.0
 */
export const quoted = (name: string): string => TerminalText.escape(JSON.stringify(name))

const refused = (message: string, hint: string) => Either.left(new CliError.InvalidInput({ message, hint }))

/**
 * BASE64 content decoded strictly, line breaks aside (`Buffer.from(x, "base64")` would skip
 * whatever is not base64): the bytes, or what is wrong (e.g. `"*" at character 4`), escaped for
 * a terminal.
 *
 * @since 0.1.0
 */
export const decodeBase64 = (content: string): Either.Either<Uint8Array, string> => {
  const stray = /[^A-Za-z0-9+/=\r\n]/u.exec(content)
  return Either.mapLeft(Encoding.decodeBase64(content), (e) =>
    stray === null
      ? TerminalText.escape(e.message ?? "not base64")
      : `${TerminalText.escape(JSON.stringify(stray[0]))} at character ${stray.index}`)
}

const bytesOf = (file: SourceFile.SourceCodeFile): Either.Either<Uint8Array, string> =>
  file.format === "TEXT"
    ? Either.right(Buffer.from(file.content, "utf8"))
    : Either.mapLeft(decodeBase64(file.content), (reason) => `${quoted(file.name)} (${reason})`)

// Every folder the tree needs, each after its parent: the folders listed and the parents of
// every name, found from each name up to the first folder already seen (whose parents came
// with it), so that a deep name costs its length, not its length times its depth.
const foldersOf = (listed: Iterable<string>, files: Iterable<string>): Array<string> => {
  const seen = new Set<string>()
  const out: Array<string> = []
  const climb = (name: string, end: number) => {
    const chain: Array<string> = []
    for (; end > 0; end = name.lastIndexOf("/", end - 1)) {
      const folder = name.slice(0, end)
      if (seen.has(folder)) break
      seen.add(folder)
      chain.push(folder)
    }
    for (let i = chain.length - 1; i >= 0; i--) out.push(chain[i]!)
  }
  for (const folder of listed) climb(folder, folder.length)
  for (const file of files) climb(file, file.lastIndexOf("/"))
  return out
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
    if (f._tag === "SourceCodeFolder") return { name: f.name, content: undefined }
    const decoded = bytesOf(f)
    if (Either.isLeft(decoded)) bad.push(decoded.left)
    const bytes = Either.getOrElse(decoded, () => new Uint8Array(0))
    return { name: f.name, content: { size: bytes.length, pour: (write) => write(bytes) } }
  }))
  if (Either.isLeft(checked) || bad.length === 0) return checked
  return refused(
    `refused the BASE64 content of ${Format.count(bad.length, "file")} in the version: ${bad.slice(0, 5).join(", ")}${
      bad.length > 5 ? ` and ${bad.length - 5} more` : ""
    }`,
    "BASE64 content must be base64 (A-Z a-z 0-9 + / and = padding, line breaks allowed)"
  )
}

/**
 * Checks the names of files (`content`) and folders (`content: undefined`): the tree to
 * write, or the first refusal, before anything is written.
 *
 * @since 0.1.0
 */
export const planEntries = <X = never>(
  entries: ReadonlyArray<{ readonly name: string; readonly content: Content<X> | undefined }>
): Either.Either<Tree<X>, CliError.InvalidInput> => {
  const hint = "the version holds names that cannot be written safely"
  const bad = entries.flatMap((f) => {
    const why = refusal(f.name)
    return why === undefined ? [] : [`${quoted(f.name)} (${why})`]
  })
  if (bad.length > 0) {
    const more = bad.length > 5 ? ` and ${bad.length - 5} more` : ""
    return refused(
      `refused ${Format.count(bad.length, "name")} in the version: ${bad.slice(0, 5).join(", ")}${more}`,
      hint
    )
  }
  const files = new Map<string, FileToWrite<X>>()
  const folders = new Set<string>()
  for (const f of entries) {
    if (f.content === undefined) {
      folders.add(f.name)
      continue
    }
    if (files.has(f.name)) return refused(`the version lists the file ${quoted(f.name)} twice`, hint)
    files.set(f.name, { name: f.name, ...f.content })
  }
  const needed = foldersOf(folders, files.keys())
  for (const folder of needed) {
    if (files.has(folder)) return refused(`the version lists ${quoted(folder)} as a file and as a folder`, hint)
  }
  return Either.right({ folders: needed, files: [...files.values()] })
}
