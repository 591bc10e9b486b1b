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
import * as NodeCrypto from "node:crypto"

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
  /** undefined when the push sends a zip (TARBALL): its files are not compared */
  readonly files: Files | undefined
  /** undefined when the push leaves the version's env vars as they are */
  readonly envVars: EnvVars | undefined
  readonly buildTag: { readonly from: string | null; readonly to: string } | undefined
  readonly sourceType: { readonly from: string | null; readonly to: Local["sourceType"] } | undefined
}

/**
 * What is pushed: the files and, when actor.json declares them, the env vars.
 *
 * @since 0.1.0
 */
export interface Local {
  /** TARBALL: a push over the inline limit, sent as a zip */
  readonly sourceType: "SOURCE_FILES" | "TARBALL"
  readonly sourceFiles: ReadonlyArray<SourceFile.SourceFile>
  readonly envVars: ReadonlyArray<EnvVar.EnvVarRequest> | undefined
  readonly buildTag: string
}

const hashOf = (file: SourceFile.SourceFile): string =>
  file._tag === "SourceCodeFolder"
    ? "folder"
    : NodeCrypto.createHash("sha256").update(
      file.format === "BASE64" ? Buffer.from(file.content, "base64") : Buffer.from(file.content, "utf8")
    ).digest("hex")

const keyOf = (file: SourceFile.SourceFile): string => file._tag === "SourceCodeFolder" ? `${file.name}/` : file.name

const index = (files: ReadonlyArray<SourceFile.SourceFile>): Map<string, string> => {
  const parents = new Set<string>()
  for (const f of files) {
    const parts = f.name.split("/")
    for (let i = 1; i < parts.length; i++) parents.add(`${parts.slice(0, i).join("/")}/`)
  }
  return new Map(files.filter((f) => !parents.has(keyOf(f))).map((f) => [keyOf(f), hashOf(f)]))
}

/**
 * The file-level diff from `remote` to `local`, each list sorted.
 *
 * @since 0.1.0
 */
export const files = (
  local: ReadonlyArray<SourceFile.SourceFile>,
  remote: ReadonlyArray<SourceFile.SourceFile>
): Files => {
  const ours = index(local)
  const theirs = index(remote)
  const sorted = (names: Iterable<string>) => [...names].sort()
  const added = sorted([...ours.keys()].filter((name) => !theirs.has(name)))
  const changed = sorted([...ours.keys()].filter((name) => theirs.has(name) && theirs.get(name) !== ours.get(name)))
  return {
    added,
    removed: sorted([...theirs.keys()].filter((name) => !ours.has(name))),
    changed,
    unchanged: ours.size - added.length - changed.length
  }
}

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
 * What pushing `local` onto `remote` (undefined: the version does not exist) would change.
 *
 * @since 0.1.0
 */
export const make = (local: Local, remote: Version.Version | undefined): Diff => {
  if (remote === undefined) {
    return {
      exists: false,
      files: local.sourceType === "TARBALL" ? undefined : files(local.sourceFiles, []),
      envVars: local.envVars === undefined ? undefined : envVars(local.envVars, []),
      buildTag: { from: null, to: local.buildTag },
      sourceType: { from: null, to: local.sourceType }
    }
  }
  const remoteFiles = remote._tag === "SourceFilesVersion" ? remote.sourceFiles : []
  const from = remote._tag === "UnknownSourceVersion" ? remote.sourceType ?? null : remote.sourceType
  return {
    exists: true,
    files: local.sourceType === "TARBALL" ? undefined : files(local.sourceFiles, remoteFiles),
    envVars: local.envVars === undefined ? undefined : envVars(local.envVars, remote.envVars ?? []),
    buildTag: remote.buildTag === local.buildTag ? undefined : { from: remote.buildTag ?? null, to: local.buildTag },
    sourceType: from === local.sourceType ? undefined : { from, to: local.sourceType }
  }
}

/**
 * Whether a push would change nothing.
 *
 * @since 0.1.0
 */
export const isEmpty = (diff: Diff): boolean =>
  diff.exists && diff.buildTag === undefined && diff.sourceType === undefined && diff.files !== undefined &&
  diff.files.added.length + diff.files.removed.length + diff.files.changed.length === 0 &&
  (diff.envVars === undefined ||
    diff.envVars.added.length + diff.envVars.removed.length + diff.envVars.changed.length +
          diff.envVars.secret.length === 0)
