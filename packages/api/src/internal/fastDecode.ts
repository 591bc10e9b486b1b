/**
 * A checked fast path for the answers that carry versions (a version, a list of versions):
 * Schema's decoder costs about 23 µs per version, most of it in its generic union and class
 * machinery. The common shape (a Git, tarball or gist version whose fields all have their
 * declared JSON types) is built here directly into the same classes; anything else, odd or
 * wrong, returns `undefined` and goes to Schema's decoder, which alone decides and words
 * errors. A property test (test/internal/FastDecode.test.ts) checks that every value this
 * path returns equals Schema's, keys in the same order.
 *
 * @internal
 */
import { Contract, EnvVar, Version, VersionNumber } from "@effect-apify/domain"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

const isVersionNumber = Schema.is(VersionNumber.VersionNumber)

// `undefined`: the value cannot take the fast path.
const bail = undefined

type Kind = "string" | "boolean"

// An optional nullable field as Schema decodes it: absent or null leave it out.
const optional = (
  into: Record<string, unknown>,
  from: Record<string, unknown>,
  key: string,
  kind: Kind
): boolean => {
  const value = from[key]
  if (value === undefined || value === null) return !Object.hasOwn(from, key) || value === null
  if (typeof value !== kind) return false
  into[key] = value
  return true
}

const envVar = (u: unknown): EnvVar.EnvVar | undefined => {
  if (!Predicate.isRecord(u) || typeof u.name !== "string") return bail
  const props: Record<string, unknown> = { name: u.name }
  if (!optional(props, u, "value", "string")) return bail
  const isSecret = u.isSecret
  if (isSecret !== undefined && isSecret !== null && typeof isSecret !== "boolean") return bail
  if (isSecret === undefined && Object.hasOwn(u, "isSecret")) return bail
  props.isSecret = isSecret ?? false
  return new EnvVar.EnvVar(props as Props<typeof EnvVar.EnvVar>, true)
}

type Props<C extends abstract new(...args: never) => unknown> = ConstructorParameters<C>[0]

// Each source type's class (built without validation, as Schema's decoder builds it) and URL.
const classes = {
  GIT_REPO: [(p: object) => new Version.GitRepoVersion(p as Props<typeof Version.GitRepoVersion>, true), "gitRepoUrl"],
  TARBALL: [(p: object) => new Version.TarballVersion(p as Props<typeof Version.TarballVersion>, true), "tarballUrl"],
  GITHUB_GIST: [
    (p: object) => new Version.GitHubGistVersion(p as Props<typeof Version.GitHubGistVersion>, true),
    "gitHubGistUrl"
  ]
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
  const [make, urlKey] = classes[sourceType]
  if (typeof u[urlKey] !== "string") return bail
  // the class's field order: versionNumber, envVars, applyEnvVarsToBuild, buildTag,
  // sourceFiles, the three URLs, sourceType
  const props: Record<string, unknown> = { versionNumber: u.versionNumber }
  const envVars = u.envVars
  if (Array.isArray(envVars)) {
    const decoded: Array<EnvVar.EnvVar> = []
    for (const item of envVars) {
      const one = envVar(item)
      if (one === undefined) return bail
      decoded.push(one)
    }
    props.envVars = decoded
  } else if (envVars !== null && (envVars !== undefined || Object.hasOwn(u, "envVars"))) {
    return bail
  }
  if (!optional(props, u, "applyEnvVarsToBuild", "boolean") || !optional(props, u, "buildTag", "string")) return bail
  if (u.sourceFiles !== undefined && u.sourceFiles !== null) return bail
  if (u.sourceFiles === undefined && Object.hasOwn(u, "sourceFiles")) return bail
  for (const key of urlKeys) {
    if (!optional(props, u, key, "string")) return bail
  }
  props.sourceType = sourceType
  return make(props)
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
  const items: Array<Version.Version> = []
  for (const item of u.items) {
    const one = version(item)
    if (one === undefined) return bail
    items.push(one)
  }
  return typeof total === "number" ? { total, items } : { items }
}

/**
 * The fast path for an operation's answer schema, if it has one.
 *
 * @internal
 */
export const forAnswer = (answer: Schema.Schema.Any | undefined): ((data: unknown) => unknown) | undefined =>
  answer === Version.Version ? version : answer === Contract.listVersions.answer ? versionList : undefined
