/**
 * A root `.actorignore`, read as Apify's CLI reads it for `apify push`: each line is trimmed,
 * empty lines and `#` comments are dropped, a line starting with `!` is a **force-include**
 * pattern (the `!` removed) and any other line an **exclude** pattern, both in gitignore
 * syntax relative to the Actor's root. The order of the lines does not matter:
 *
 * - a path matched by an exclude pattern, or below a directory so matched, is not sent;
 * - a path matched by a force-include pattern, or below a directory so matched, is sent even
 *   when `.gitignore` or an exclude pattern of `.actorignore` leaves it out.
 *
 * Matching is case-sensitive, as git's (Apify's CLI matches `.actorignore` ignoring case).
 *
 * @since 0.1.0
 */
import * as IgnoreRules from "./IgnoreRules.js"

/**
 * The patterns of one `.actorignore`.
 *
 * @since 0.1.0
 */
export interface ActorIgnore {
  readonly exclude: ReturnType<typeof IgnoreRules.matcher>
  readonly force: ReturnType<typeof IgnoreRules.matcher>
  /** the force-include patterns, without `!`, leading `/` or trailing `/` */
  readonly forcePatterns: ReadonlyArray<string>
}

/**
 * Reads the text of a `.actorignore` ("" when there is none).
 *
 * @since 0.1.0
 */
export const parse = (text: string): ActorIgnore => {
  const exclude: Array<string> = []
  const force: Array<string> = []
  for (const line of text.split("\n")) {
    const trimmed = line.trim()
    if (trimmed === "" || trimmed.startsWith("#")) continue
    if (trimmed.startsWith("!")) force.push(trimmed.slice(1))
    else exclude.push(trimmed)
  }
  return {
    exclude: IgnoreRules.matcher(exclude.join("\n")),
    force: IgnoreRules.matcher(force.join("\n")),
    forcePatterns: force.map((p) => p.replace(/^\/+/, "").replace(/\/+$/, "")).filter((p) => p !== "")
  }
}

const matches = (rules: ReturnType<typeof IgnoreRules.matcher>, rel: string, isDirectory: boolean): boolean =>
  IgnoreRules.verdict(rules, isDirectory ? `${rel}/` : rel) === true

/**
 * Whether an exclude pattern matches `rel` itself (its parents are the walk's business).
 *
 * @since 0.1.0
 */
export const excludes = (rules: ActorIgnore, rel: string, isDirectory: boolean): boolean =>
  matches(rules.exclude, rel, isDirectory)

/**
 * Whether a force-include pattern matches `rel` itself.
 *
 * @since 0.1.0
 */
export const forces = (rules: ActorIgnore, rel: string, isDirectory: boolean): boolean =>
  matches(rules.force, rel, isDirectory)

const segmentMatches = (pattern: string, name: string): boolean =>
  IgnoreRules.verdict(IgnoreRules.matcher(`/${pattern}`), name) === true

/** Whether `pattern` (no leading or trailing `/`) can match a path strictly below `rel`. */
const reachesBelow = (pattern: string, rel: string): boolean => {
  const segments = pattern.split("/")
  if (segments.length === 1) return true // no slash: matches at any depth
  const relSegments = rel.split("/")
  for (let i = 0; i < relSegments.length; i++) {
    const segment = segments[i]
    if (segment === undefined) return false
    if (segment === "**") return true
    if (!segmentMatches(segment, relSegments[i]!)) return false
  }
  return segments.length > relSegments.length
}

/**
 * Whether a force-include pattern could match something below the excluded directory `rel`,
 * so that the walk has to enter it. Into a fixed exclude (`node_modules`, `storage`, ...)
 * only for a pattern that names the path, so that such a directory is never walked for a
 * pattern such as `!*.md`.
 *
 * @since 0.1.0
 */
export const mayForceBelow = (rules: ActorIgnore, rel: string, fixed: boolean): boolean =>
  rules.forcePatterns.some((pattern) => fixed ? pattern.startsWith(`${rel}/`) : reachesBelow(pattern, rel))
