/**
 * A checked fast path for the answers that carry versions (a version, a list of versions):
 * Schema's decoder costs about 15 µs per version, most of it in its generic union and class
 * machinery. The common shape (a Git, tarball or gist version whose fields all have their
 * declared JSON types) is built here directly into the same classes; anything else, odd or
 * wrong, returns `undefined` and goes to Schema's decoder, which alone decides and words
 * errors. A property test (test/internal/FastDecode.test.ts) checks that every value this
 * path returns equals Schema's, keys in the same order.
 *
 * Each record built here also carries the JSON it came from (`Received`), as the endpoint's
 * `remember` would pair it.
 *
 * @internal
 */
import { Contract, EnvVar, Version, VersionNumber } from "@effect-apify/domain"
import * as Predicate from "effect/Predicate"
import type * as Schema from "effect/Schema"
import * as Received from "./received.js"

// `undefined`: the value cannot take the fast path.
const bail = undefined

type Fields = Record<string, unknown>

// A Schema class's instance is its prototype and its fields as own properties, nothing else
// (`Data.Class` assigns them). Building it directly skips the constructor's copy of the fields
// and its merge of defaults, about 0.5 µs per record; the property test checks the result.
const blank = (prototype: object): Fields => Object.create(prototype) as Fields

const isVersionNumber = (u: unknown): boolean => typeof u === "string" && VersionNumber.pattern.test(u)

// An optional nullable field as Schema decodes it: absent or null leave it out.
const optional = (into: Fields, from: Fields, key: string, kind: "string" | "boolean"): boolean => {
  const value = from[key]
  if (value === undefined || value === null) return value === null || !Object.hasOwn(from, key)
  if (typeof value !== kind) return false
  into[key] = value
  return true
}

// `isSecret`: absent or null decode as false.
const isSecretOf = (from: Fields): boolean | undefined => {
  const value = from.isSecret
  if (typeof value === "boolean") return value
  return value === null || (value === undefined && !Object.hasOwn(from, "isSecret")) ? false : bail
}

const envVar = (u: unknown): EnvVar.EnvVar | undefined => {
  if (!Predicate.isRecord(u) || typeof u.name !== "string") return bail
  const out = blank(EnvVar.EnvVar.prototype)
  out.name = u.name
  if (!optional(out, u, "value", "string")) return bail
  const isSecret = isSecretOf(u)
  if (isSecret === undefined) return bail
  out.isSecret = isSecret
  Received.set(out, u)
  return out as unknown as EnvVar.EnvVar
}

const envVarsOf = (from: Fields): ReadonlyArray<EnvVar.EnvVar> | null | undefined => {
  const list = from.envVars
  if (!Array.isArray(list)) {
    return list === null || (list === undefined && !Object.hasOwn(from, "envVars"))
      ? null
      : bail
  }
  const out: Array<EnvVar.EnvVar> = []
  for (const item of list) {
    const one = envVar(item)
    if (one === undefined) return bail
    out.push(one)
  }
  Received.set(out, list)
  return out
}

// Each source type's class and URL field.
const classes = {
  GIT_REPO: [Version.GitRepoVersion.prototype, "gitRepoUrl"],
  TARBALL: [Version.TarballVersion.prototype, "tarballUrl"],
  GITHUB_GIST: [Version.GitHubGistVersion.prototype, "gitHubGistUrl"]
} as const

const urlKeys = ["gitRepoUrl", "tarballUrl", "gitHubGistUrl"] as const

/**
 * A version of the common shape, or `undefined`.
 *
 * @internal
 */
export const version = (u: unknown): Version.Version | undefined => {
  if (!Predicate.isRecord(u) || !isVersionNumber(u.versionNumber)) return bail
  const sourceType = u.sourceType
  if (sourceType !== "GIT_REPO" && sourceType !== "TARBALL" && sourceType !== "GITHUB_GIST") return bail
  const [prototype, urlKey] = classes[sourceType]
  if (typeof u[urlKey] !== "string") return bail
  const sourceFiles = u.sourceFiles
  if (sourceFiles !== null && (sourceFiles !== undefined || Object.hasOwn(u, "sourceFiles"))) return bail
  const envVars = envVarsOf(u)
  if (envVars === undefined) return bail
  // the class's field order: versionNumber, envVars, applyEnvVarsToBuild, buildTag,
  // sourceFiles (never here), the three URLs, sourceType
  const out = blank(prototype)
  out.versionNumber = u.versionNumber
  if (envVars !== null) out.envVars = envVars
  if (!optional(out, u, "applyEnvVarsToBuild", "boolean") || !optional(out, u, "buildTag", "string")) return bail
  for (const key of urlKeys) {
    if (!optional(out, u, key, "string")) return bail
  }
  out.sourceType = sourceType
  Received.set(out, u)
  return out as unknown as Version.Version
}

/**
 * A `{total, items}` page of versions of the common shape, or `undefined`.
 *
 * @internal
 */
export const versionList = (
  u: unknown
): { readonly total?: number; readonly items: ReadonlyArray<Version.Version> } | undefined => {
  if (!Predicate.isRecord(u) || !Array.isArray(u.items)) return bail
  const total = u.total
  if (typeof total !== "number" && total !== null && (total !== undefined || Object.hasOwn(u, "total"))) return bail
  const list = u.items
  const items: Array<Version.Version> = []
  for (const item of list) {
    const one = version(item)
    if (one === undefined) return bail
    items.push(one)
  }
  Received.set(items, list)
  const page = typeof total === "number" ? { total, items } : { items }
  Received.set(page, u)
  return page
}

/**
 * The fast path for an operation's answer schema, if it has one.
 *
 * @internal
 */
export const forAnswer = (answer: Schema.Schema.Any | undefined): ((data: unknown) => unknown) | undefined =>
  answer === Version.Version ? version : answer === Contract.listVersions.answer ? versionList : undefined
