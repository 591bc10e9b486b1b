/**
 * What a push would change on a version: the files added, removed and changed (compared by
 * the SHA-256 of their decoded bytes), the env vars added, changed and removed, the build tag
 * and the source type. Secret values are never compared by value nor shown: the API does not
 * return them, so a secret the push sends is listed by name as `secret` (it is sent again and
 * counts as a change).
 *
 * @since 0.1.0
 */
import type { EnvVar, SourceFile, Version } from "@effect-apify/domain"
import * as FileHashes from "./FileHashes.js"

/**
 * The files of a diff, by name; an empty folder ends with `/` (a folder with files in it is
 * implied by them).
 *
 * @since 0.1.0
 */
export interface Files {
  readonly added: ReadonlyArray<string>
  readonly removed: ReadonlyArray<string>
  readonly changed: ReadonlyArray<string>
  /** same bytes, but executable on one side only (both modes known); present when any */
  readonly modeChanged?: ReadonlyArray<string>
  readonly unchanged: number
}

/**
 * The env vars of a diff, by name (values never included).
 *
 * @since 0.1.0
 */
export interface EnvVars {
  readonly added: ReadonlyArray<string>
  readonly removed: ReadonlyArray<string>
  readonly changed: ReadonlyArray<string>
  /** secrets the push sends again: their remote value cannot be read */
  readonly secret: ReadonlyArray<string>
}

/**
 * What a push would change; `exists: false` when the version does not exist yet.
 *
 * @since 0.1.0
 */
export interface Diff {
  readonly exists: boolean
  /** undefined when the version's files cannot be compared: `note` says why */
  readonly files: Files | undefined
  /** why the files are not compared, when they are not */
  readonly note: string | undefined
  /** undefined when the push leaves the version's env vars as they are */
  readonly envVars: EnvVars | undefined
  readonly buildTag: { readonly from: string | null; readonly to: string } | undefined
  readonly sourceType: { readonly from: string | null; readonly to: Local["sourceType"] } | undefined
}

/**
 * What is pushed: the files (by name and hash) and, when actor.json declares them, the env vars.
 *
 * @since 0.1.0
 */
export interface Local extends Settings {
  readonly files: FileHashes.Hashes
  /** the files' modes, when a zip carries them (a push over the inline limit) */
  readonly modes?: FileHashes.Modes
}

/**
 * What is pushed besides the files.
 *
 * @since 0.1.0
 */
export interface Settings {
  /** TARBALL: a push over the inline limit, sent as a zip */
  readonly sourceType: "SOURCE_FILES" | "TARBALL"
  readonly envVars: ReadonlyArray<EnvVar.EnvVarRequest> | undefined
  readonly buildTag: string
}

/**
 * The files of the version (see `VersionFiles`), or why they are not compared.
 *
 * @since 0.1.0
 */
export type Remote =
  | { readonly _tag: "Listed"; readonly files: FileHashes.Hashes; readonly modes?: FileHashes.Modes }
  | { readonly _tag: "NotCompared"; readonly reason: string }

/**
 * The file-level diff from `theirs` to `ours`, each list sorted; a file of the same bytes whose
 * mode is known on both sides (`ourModes`, `theirModes`) and differs is `modeChanged`.
 *
 * @since 0.1.0
 */
export const compare = (
  ours: FileHashes.Hashes,
  theirs: FileHashes.Hashes,
  ourModes: FileHashes.Modes = new Map(),
  theirModes: FileHashes.Modes = new Map()
): Files => {
  const added: Array<string> = []
  const changed: Array<string> = []
  const modeChanged: Array<string> = []
  for (const [name, hash] of ours) {
    const other = theirs.get(name)
    const [mine, their] = [ourModes.get(name), theirModes.get(name)]
    if (other === undefined) added.push(name)
    else if (other !== hash) changed.push(name)
    else if (mine !== undefined && their !== undefined && mine !== their) modeChanged.push(name)
  }
  return {
    added: added.sort(),
    removed: [...theirs.keys()].filter((name) => !ours.has(name)).sort(),
    changed: changed.sort(),
    ...(modeChanged.length === 0 ? {} : { modeChanged: modeChanged.sort() }),
    unchanged: ours.size - added.length - changed.length - modeChanged.length
  }
}

/**
 * The file-level diff from `remote` to `local` sourceFiles, each list sorted.
 *
 * @since 0.1.0
 */
export const files = (
  local: ReadonlyArray<SourceFile.SourceFile>,
  remote: ReadonlyArray<SourceFile.SourceFile>
): Files => compare(FileHashes.ofSourceFiles(local), FileHashes.ofSourceFiles(remote))

const envVars = (
  local: ReadonlyArray<EnvVar.EnvVarRequest>,
  remote: ReadonlyArray<EnvVar.EnvVar>
): EnvVars => {
  const theirs = new Map(remote.map((v) => [v.name, v]))
  const ours = new Set(local.map((v) => v.name as string))
  const added: Array<string> = []
  const changed: Array<string> = []
  const secret: Array<string> = []
  for (const v of local) {
    const other = theirs.get(v.name)
    if (other === undefined) added.push(v.name)
    else if (v.isSecret === true) secret.push(v.name)
    else if (other.isSecret || other.value !== v.value) changed.push(v.name)
  }
  return {
    added: added.sort(),
    removed: remote.map((v) => v.name).filter((name) => !ours.has(name)).sort(),
    changed: changed.sort(),
    secret: secret.sort()
  }
}

/**
 * What pushing `local` onto `remote` (undefined: the version does not exist) would change,
 * the files aside.
 *
 * @since 0.1.0
 */
export const settings = (local: Settings, remote: Version.Version | undefined): Omit<Diff, "files" | "note"> => {
  if (remote === undefined) {
    return {
      exists: false,
      envVars: local.envVars === undefined ? undefined : envVars(local.envVars, []),
      buildTag: { from: null, to: local.buildTag },
      sourceType: { from: null, to: local.sourceType }
    }
  }
  const from = remote._tag === "UnknownSourceVersion" ? remote.sourceType ?? null : remote.sourceType
  return {
    exists: true,
    envVars: local.envVars === undefined ? undefined : envVars(local.envVars, remote.envVars ?? []),
    buildTag: remote.buildTag === local.buildTag ? undefined : { from: remote.buildTag ?? null, to: local.buildTag },
    sourceType: from === local.sourceType ? undefined : { from, to: local.sourceType }
  }
}

/**
 * What pushing `local` onto `remote` (undefined: the version does not exist, and has no files)
 * would change, its files being `remoteFiles`.
 *
 * @since 0.1.0
 */
export const make = (local: Local, remote: Version.Version | undefined, remoteFiles: Remote): Diff => {
  const files = remote === undefined
    ? compare(local.files, new Map())
    : remoteFiles._tag === "Listed"
    ? compare(local.files, remoteFiles.files, local.modes, remoteFiles.modes)
    : undefined
  const note = remote !== undefined && remoteFiles._tag === "NotCompared" ? remoteFiles.reason : undefined
  return { ...settings(local, remote), files, note }
}

/**
 * Whether a push would change nothing but, perhaps, the files.
 *
 * @since 0.1.0
 */
export const settingsUnchanged = (diff: Omit<Diff, "files" | "note">): boolean =>
  diff.exists && diff.buildTag === undefined && diff.sourceType === undefined &&
  (diff.envVars === undefined ||
    diff.envVars.added.length + diff.envVars.removed.length + diff.envVars.changed.length +
          diff.envVars.secret.length === 0)

/**
 * Whether a push would change nothing.
 *
 * @since 0.1.0
 */
export const isEmpty = (diff: Diff): boolean =>
  settingsUnchanged(diff) && diff.files !== undefined &&
  diff.files.added.length + diff.files.removed.length + diff.files.changed.length +
        (diff.files.modeChanged?.length ?? 0) === 0

/**
 * Files of a diff, with why some listed as changed are (by name), when one is for another reason
 * than its bytes.
 *
 * @since 0.1.0
 */
export interface NotedFiles extends Files {
  readonly notes?: Readonly<Record<string, string>>
}

/**
 * `files` with a note for each changed file whose remote content (`theirs`) is BASE64 that is
 * not base64: it cannot be compared, counts as changed, and the push replaces it.
 *
 * @since 0.1.0
 */
export const withNotes = (files: Files, theirs: FileHashes.Hashes): NotedFiles => {
  const notes = files.changed.flatMap((name) => {
    const reason = FileHashes.undecodableReason(theirs.get(name) ?? "")
    return reason === undefined ? [] : [[name, `the version's BASE64 content is not base64 (${reason})`] as const]
  })
  return notes.length === 0 ? files : { ...files, notes: Object.fromEntries(notes) }
}
