/**
 * `.gitignore` rules applied as git applies them: every `.gitignore` is matched relative to
 * its own directory, case-sensitively, and the deepest file with a matching pattern decides
 * (within one file the last matching pattern wins, so a nested `!keep.log` re-includes what a
 * parent's `*.log` ignored). A directory that is ignored is not entered, so nothing below it
 * can be re-included, as in git. The patterns themselves (anchors, `**`, directory patterns,
 * negation, escapes, trailing spaces) are parsed by the `ignore` package, which follows the
 * gitignore specification.
 *
 * A file is compiled once, in runs of consecutive lines: a run of plain names and paths (no
 * wildcard, escape or space) is looked up in a map, any other run is an `ignore` matcher; the
 * last run with a matching line decides, as the last matching line would. A `.gitignore` of
 * 100,000 generated names costs a lookup per path, not 100,000 tests.
 *
 * @since 0.1.0
 */
import ignore from "ignore"

/** A run of plain lines, keyed `n:name` (no slash: any depth) or `p:path` (anchored), a trailing `/` for directories only. */
interface Literal {
  readonly _tag: "Literal"
  /** the number of the last line with the key: positive when it ignores, negative when it re-includes */
  readonly keys: Map<string, number>
  /** how many keys are suffixes (none: a lookup tries no suffix) */
  suffixes: number
}

interface Patterns {
  readonly _tag: "Patterns"
  readonly matcher: ReturnType<typeof ignore>
}

/**
 * The compiled lines of one ignore file, in runs.
 *
 * @since 0.1.0
 */
export interface Rules {
  readonly runs: ReadonlyArray<Literal | Patterns>
  /** how many patterns the file holds */
  readonly count: number
  /** how many of them `ignore` tests one by one (neither plain names nor `*suffix`) */
  readonly wildcards: number
}

/**
 * The most patterns with wildcards (other than plain names and `*suffix`) the ignore files
 * of one push may hold: each is tested against every path.
 *
 * @since 0.1.0
 */
export const maxWildcardPatterns = 5_000

/**
 * The patterns of one ignore file: `base` is the directory it applies below, relative to the
 * pushed root ("" for the root and for the files above it); `prefix` is the pushed root's path
 * relative to the file's own directory, for a file above the root ("" otherwise).
 *
 * @since 0.1.0
 */
export interface Level {
  readonly base: string
  readonly prefix: string
  readonly matcher: Rules
}

/**
 * The largest ignore file (`.gitignore`, `.actorignore`) that is read: 1 MiB.
 *
 * @since 0.1.0
 */
export const maxIgnoreFileBytes = 1024 * 1024

// A segment of a plain line: no wildcard, escape, bracket, white space, and not `.` or `..`.
const plainSegment = /^(?!\.\.?$)[^\s*?[\]\\]+$/

/**
 * A plain line as [key, negative], or undefined when `ignore` has to read it. Keys: `n:name`
 * (no slash: any depth), `p:path` (anchored), `s:suffix` (`*suffix`, no slash: a name
 * ending so, as git's own shortcut for such lines); a trailing `/` for directories only.
 */
const plain = (line: string): readonly [string, boolean] | undefined => {
  const negative = line.startsWith("!")
  let body = negative ? line.slice(1) : line
  if (body === "" || body.startsWith("#") || body.startsWith("!")) return undefined
  const dirOnly = body.endsWith("/")
  if (dirOnly) body = body.slice(0, -1)
  const anchored = body.includes("/")
  if (body.startsWith("/")) body = body.slice(1)
  const suffix = !anchored && body.startsWith("*") && body.length > 1
  if (suffix) body = body.slice(1)
  const segments = body.split("/")
  if (!segments.every((s) => plainSegment.test(s))) return undefined
  return [`${suffix ? "s" : anchored ? "p" : "n"}:${dirOnly ? `${body}/` : body}`, negative]
}

const compile = (text: string): Rules => {
  const lines = text.split(/\r?\n/)
  const runs: Array<Literal | Patterns> = []
  let count = 0
  let wildcards = 0
  let pending: Array<string> = []
  const flush = () => {
    if (pending.length === 0) return
    const first = pending[0]!
    // A BOM is dropped from the file's first line only.
    const body = first.startsWith("\uFEFF") && runs.length > 0 ? `\n${pending.join("\n")}` : pending.join("\n")
    runs.push({ _tag: "Patterns", matcher: ignore({ ignorecase: false }).add(body) })
    pending = []
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line === "" || line.startsWith("#")) continue
    count += 1
    const found = i === 0 && line.startsWith("\uFEFF") ? undefined : plain(line)
    if (found === undefined) {
      wildcards += 1
      pending.push(line)
      continue
    }
    flush()
    let last = runs[runs.length - 1]
    if (last?._tag !== "Literal") {
      last = { _tag: "Literal", keys: new Map(), suffixes: 0 }
      runs.push(last)
    }
    const [key, negative] = found
    if (key.startsWith("s:")) last.suffixes += 1
    last.keys.set(key, negative ? -(i + 1) : i + 1)
  }
  flush()
  return { runs, count, wildcards }
}

/**
 * A case-sensitive matcher for the patterns in `text`.
 *
 * @since 0.1.0
 */
export const matcher = (text: string): Rules => compile(text)

/**
 * The level of an ignore file found in directory `base`.
 *
 * @since 0.1.0
 */
export const level = (base: string, text: string, prefix = ""): Level => ({ base, prefix, matcher: matcher(text) })

const literalVerdict = (run: Literal, path: string): boolean | undefined => {
  const isDirectory = path.endsWith("/")
  const bare = isDirectory ? path.slice(0, -1) : path
  const name = bare.slice(bare.lastIndexOf("/") + 1)
  const candidates = isDirectory ? [`n:${name}`, `n:${name}/`, `p:${bare}`, `p:${bare}/`] : [`n:${name}`, `p:${bare}`]
  if (run.suffixes > 0) {
    for (let k = 0; k < name.length; k++) {
      candidates.push(`s:${name.slice(k)}`)
      if (isDirectory) candidates.push(`s:${name.slice(k)}/`)
    }
  }
  let last = 0
  for (const key of candidates) {
    const line = run.keys.get(key)
    if (line !== undefined && Math.abs(line) > Math.abs(last)) last = line
  }
  return last === 0 ? undefined : last > 0
}

/**
 * What the patterns of one matcher say about `path` (a directory ends with `/`): `true`
 * ignored, `false` re-included by a `!pattern`, `undefined` no pattern matches.
 *
 * @since 0.1.0
 */
export const verdict = (rules: Rules, path: string): boolean | undefined => {
  for (let i = rules.runs.length - 1; i >= 0; i--) {
    const run = rules.runs[i]!
    const decided = run._tag === "Literal" ? literalVerdict(run, path) : patternVerdict(run.matcher, path)
    if (decided !== undefined) return decided
  }
  return undefined
}

const patternVerdict = (rules: ReturnType<typeof ignore>, path: string): boolean | undefined => {
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
 * Whether the levels (lowest precedence first) ignore `path`, relative to the root; the last
 * level with a matching pattern decides.
 *
 * @since 0.1.0
 */
export const ignores = (levels: ReadonlyArray<Level>, path: string, isDirectory: boolean): boolean => {
  for (let i = levels.length - 1; i >= 0; i--) {
    const { base, matcher, prefix } = levels[i]!
    const below = base === "" ? path : path.slice(base.length + 1)
    const relative = prefix === "" ? below : `${prefix}/${below}`
    const decided = verdict(matcher, isDirectory ? `${relative}/` : relative)
    if (decided !== undefined) return decided
  }
  return false
}
