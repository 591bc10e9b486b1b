/**
 * The flags of a command's arguments written the one way `@effect/cli` reads them, as `gh`
 * and `git` read them: `--name=value`, `-tVALUE` and `-t=VALUE` become `--name value`; a
 * cluster of switches (`-nj`) is written out; a flag given more than once keeps its last
 * value (repeatable flags keep all); a flag that takes a value and has none is refused. And
 * the values that must never be printed (`--token`, `--secret-env`), found in the arguments
 * as given, however they are written.
 *
 * @since 0.1.0
 */
import * as FiberRef from "effect/FiberRef"
import type * as CommandTree from "./CommandTree.js"

/**
 * Whether a command's handler is running: `@effect/cli` prints its parse errors itself, and
 * `Cli` keeps those off stderr (it prints them in its own words, secrets redacted) while
 * letting what handlers print through.
 *
 * @since 0.1.0
 */
export const handling: FiberRef.FiberRef<boolean> = FiberRef.unsafeMake(false)

/**
 * The arguments rewritten, or what is wrong with them.
 *
 * @since 0.1.0
 */
export type Result =
  | { readonly _tag: "Ok"; readonly args: ReadonlyArray<string> }
  | { readonly _tag: "Invalid"; readonly message: string }

/**
 * The flags whose values are secret.
 *
 * @since 0.1.0
 */
export const secretFlags: ReadonlyArray<string> = ["token", "secret-env"]

interface Given {
  readonly flag: CommandTree.Flag
  readonly value: string | undefined
}

const byShort = (flags: ReadonlyArray<CommandTree.Flag>, letter: string) =>
  flags.find((f) => f.aliases.includes(letter))

// One argument that starts with a dash, read against the flags: the flags it gives (a
// cluster gives several), whether the last of them still needs the next argument as its
// value, or undefined when it names no known flag (left for the unknown-flag check).
const read = (
  flags: ReadonlyArray<CommandTree.Flag>,
  arg: string
): { readonly given: ReadonlyArray<Given>; readonly needsNext: boolean } | undefined => {
  if (arg.startsWith("--")) {
    const at = arg.indexOf("=")
    const name = at === -1 ? arg.slice(2) : arg.slice(2, at)
    const flag = flags.find((f) => f.name === name || f.aliases.includes(name))
    if (flag === undefined) return undefined
    if (at === -1) return { given: [{ flag, value: undefined }], needsNext: flag.placeholder !== undefined }
    return flag.placeholder === undefined
      ? undefined
      : { given: [{ flag, value: arg.slice(at + 1) }], needsNext: false }
  }
  const given: Array<Given> = []
  for (let i = 1; i < arg.length; i++) {
    const flag = byShort(flags, arg[i]!)
    if (flag === undefined) return undefined
    if (flag.placeholder !== undefined) {
      // pflag's rule: the rest of the cluster is the value (`-tVALUE`, `-t=VALUE`).
      const rest = arg.slice(i + 1).replace(/^=/, "")
      if (i + 1 < arg.length) return { given: [...given, { flag, value: rest }], needsNext: false }
      return { given: [...given, { flag, value: undefined }], needsNext: true }
    }
    given.push({ flag, value: undefined })
  }
  return { given, needsNext: false }
}

/**
 * Rewrites the arguments after the command path (`--` and what follows left as they are).
 * Arguments that name no flag of `flags` are kept for the unknown-flag check.
 *
 * @since 0.1.0
 */
export const normalize = (flags: ReadonlyArray<CommandTree.Flag>, args: ReadonlyArray<string>): Result => {
  const end = args.indexOf("--")
  const before = end === -1 ? args : args.slice(0, end)
  // Each entry: the written-out words and the flag they give (undefined for anything else).
  const out: Array<{ readonly words: ReadonlyArray<string>; readonly flag?: CommandTree.Flag }> = []
  for (let i = 0; i < before.length; i++) {
    const arg = before[i]!
    const parsed = arg.startsWith("-") && arg !== "-" ? read(flags, arg) : undefined
    if (parsed === undefined) {
      out.push({ words: [arg] })
      continue
    }
    for (const [at, { flag, value }] of parsed.given.entries()) {
      const last = at === parsed.given.length - 1
      if (last && parsed.needsNext) {
        if (i + 1 >= before.length) return { _tag: "Invalid", message: `flag needs a value: --${flag.name}` }
        out.push({ words: [`--${flag.name}`, before[++i]!], flag })
      } else {
        out.push({ words: value === undefined ? [`--${flag.name}`] : [`--${flag.name}`, value], flag })
      }
    }
  }
  // The last of a flag given more than once wins, unless it is repeatable.
  const kept = out.filter((entry, at) =>
    entry.flag === undefined || entry.flag.repeatable ||
    !out.slice(at + 1).some((later) => later.flag?.name === entry.flag!.name)
  )
  return { _tag: "Ok", args: [...kept.flatMap((entry) => entry.words), ...(end === -1 ? [] : args.slice(end))] }
}

/**
 * The values of the secret flags (`secretFlags`) in arguments as given, in every form a
 * parser might read (`--token X`, `--token=X`, `-tX`, `-t=X`, `-t X`), and for `--secret-env`
 * also the part after `NAME=`. Anything after a lone `--` is not a flag and not included.
 *
 * @since 0.1.0
 */
export const secretValues = (args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const values: Array<string> = []
  const add = (value: string | undefined) => {
    if (value === undefined || value === "") return
    values.push(value)
    if (value.includes("=")) values.push(value.slice(value.indexOf("=") + 1))
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") break
    const long = /^--(token|secret-env)(=(.*))?$/s.exec(arg)
    if (long !== null) add(long[2] === undefined ? args[++i] : long[3])
    const short = /^-[^-t]*t(.*)$/s.exec(arg)
    if (short !== null) add(short[1] === "" ? args[++i] : short[1]!.replace(/^=/, ""))
  }
  return values.filter((value) => value.length > 0)
}

/**
 * `text` with every secret value replaced by `***`, longest first.
 *
 * @since 0.1.0
 */
export const redact = (text: string, secrets: ReadonlyArray<string>): string =>
  [...secrets].sort((a, b) => b.length - a.length).reduce((t, secret) => t.split(secret).join("***"), text)
