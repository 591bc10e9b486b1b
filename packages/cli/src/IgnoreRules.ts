/**
 * `.gitignore` rules applied as git applies them: every `.gitignore` is matched relative to
 * its own directory, case-sensitively, and the deepest file with a matching pattern decides
 * (within one file the last matching pattern wins, so a nested `!keep.log` re-includes what a
 * parent's `*.log` ignored). A directory that is ignored is not entered, so nothing below it
 * can be re-included, as in git. The patterns themselves (anchors, `**`, directory patterns,
 * negation, escapes, trailing spaces) are parsed by the `ignore` package, which follows the
 * gitignore specification.
 *
 * @since 0.1.0
 */
import ignore from "ignore"

/**
 * The patterns of one ignore file and the directory they are relative to ("" for the root).
 *
 * @since 0.1.0
 */
export interface Level {
  readonly base: string
  readonly matcher: ReturnType<typeof ignore>
}

/**
 * The largest ignore file (`.gitignore`, `.actorignore`) that is read: 1 MiB.
 *
 * @since 0.1.0
 */
export const maxIgnoreFileBytes = 1024 * 1024

/**
 * A case-sensitive matcher for the patterns in `text`.
 *
 * @since 0.1.0
 */
export const matcher = (text: string): ReturnType<typeof ignore> => ignore({ ignorecase: false }).add(text)

/**
 * The level of an ignore file found in directory `base`.
 *
 * @since 0.1.0
 */
export const level = (base: string, text: string): Level => ({ base, matcher: matcher(text) })

/**
 * What the patterns of one matcher say about `path` (a directory ends with `/`): `true`
 * ignored, `false` re-included by a `!pattern`, `undefined` no pattern matches.
 *
 * @since 0.1.0
 */
export const verdict = (rules: ReturnType<typeof ignore>, path: string): boolean | undefined => {
  const result = ownTest(rules)?.(path) ?? rules.test(path)
  return result.ignored ? true : result.unignored ? false : undefined
}

interface Verdict {
  readonly ignored: boolean
  readonly unignored: boolean
}

// `ignore`'s public `test` also answers "ignored" when a parent directory matches a pattern of
// the same file. Git decides each directory once, while walking, and then a file only by the
// patterns that match the file itself: a parent re-included by a deeper .gitignore must not
// make its files ignored again. The package's rule list tests one path without its parents
// (`_rules.test(path, "regex")`, ignore 7); it is used when present, and `test` otherwise.
const ownTest = (rules: ReturnType<typeof ignore>): ((path: string) => Verdict) | undefined => {
  const inner: unknown = Reflect.get(rules, "_rules")
  if (typeof inner !== "object" || inner === null) return undefined
  const test: unknown = Reflect.get(inner, "test")
  if (typeof test !== "function") return undefined
  return (path) => {
    const result: unknown = Reflect.apply(test, inner, [path, "regex"])
    return typeof result === "object" && result !== null && "ignored" in result && "unignored" in result
      ? { ignored: result.ignored === true, unignored: result.unignored === true }
      : rules.test(path)
  }
}

/**
 * Whether the levels (root first) ignore `path`, relative to the root; the deepest level with
 * a matching pattern decides.
 *
 * @since 0.1.0
 */
export const ignores = (levels: ReadonlyArray<Level>, path: string, isDirectory: boolean): boolean => {
  for (let i = levels.length - 1; i >= 0; i--) {
    const { base, matcher } = levels[i]!
    const relative = base === "" ? path : path.slice(base.length + 1)
    const decided = verdict(matcher, isDirectory ? `${relative}/` : relative)
    if (decided !== undefined) return decided
  }
  return false
}
