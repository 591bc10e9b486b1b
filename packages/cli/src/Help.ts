/**
 * Help in the shape of `gh` and `git`, rendered from the command tree (`CommandTree`): a
 * one-line summary, USAGE with the full command path, COMMANDS or ARGUMENTS, FLAGS in two
 * aligned columns wrapped to the terminal width, EXAMPLES, and for the root EXIT CODES and
 * ENVIRONMENT. And the check that every command and flag given exists, with "did you mean".
 *
 * @since 0.1.0
 */
import * as AutoCorrect from "@effect/cli/AutoCorrect"
import * as CliConfig from "@effect/cli/CliConfig"
import * as Argv from "./Argv.js"
import type * as CommandTree from "./CommandTree.js"
import * as ExitCodes from "./ExitCodes.js"

/**
 * What each exit code means, keyed like `ExitCodes.ExitCode` (`ExitCodes.meaning`).
 *
 * @since 0.1.0
 */
export const exitCodeMeanings: { readonly [N in ExitCodes.Name]: string } = ExitCodes.meaning

/**
 * The environment variables the CLI reads.
 *
 * @since 0.1.0
 */
export const environment: ReadonlyArray<readonly [string, string]> = [
  ["APIFY_TOKEN", "API token when --token is not given (else ~/.apify/auth.json)"],
  ["APIFY_API_BASE_URL", "API base URL when --base-url is not given (else https://api.apify.com)"]
]

const helpFlag: CommandTree.Flag = {
  name: "help",
  aliases: ["h"],
  placeholder: undefined,
  description: "show help for the command",
  repeatable: false,
  required: false
}

const versionFlag: CommandTree.Flag = { ...helpFlag, name: "version", aliases: [], description: "show the version" }

/**
 * The flags a command accepts beyond its own: `--help` everywhere, `--version` at the root.
 *
 * @since 0.1.0
 */
export const builtInFlags = (node: CommandTree.Node): ReadonlyArray<CommandTree.Flag> =>
  node.path.length === 1 ? [helpFlag, versionFlag] : [helpFlag]

/**
 * Words of `text` in lines of at most `width` characters (a longer word gets its own line).
 *
 * @since 0.1.0
 */
export const wrap = (text: string, width: number): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line.length === 0 ? word : `${line} ${word}`
    }
  }
  if (line.length > 0) lines.push(line)
  return lines
}

// Words in lines of at most `width`: the first line starts with `first`, the others with
// `next` (less when a long word would not fit), and every line but the last ends with
// `end` (` \` continues a shell command). A word longer than `width` alone is never cut.
const hang = (words: ReadonlyArray<string>, width: number, first: string, next: string, end = ""): Array<string> => {
  const lines: Array<string> = []
  let line = first
  let fresh = true
  for (const [at, word] of words.entries()) {
    const more = at < words.length - 1 ? end.length : 0
    if (!fresh && line.length + 1 + word.length + more > width) {
      lines.push(`${line}${end}`)
      line = next.length + word.length + more <= width ? next : " ".repeat(Math.max(0, width - word.length - more))
      fresh = true
    }
    line = fresh ? `${line}${word}` : `${line} ${word}`
    fresh = false
  }
  return [...lines, line]
}

// The words of a shell command, quoted words kept whole (`--title "My Actor"`).
const shellWords = (command: string): Array<string> => command.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []

// Two columns: the left padded to the widest entry, the right wrapped in what is left; when
// less than 20 columns would be left, each description goes under its entry, indented.
const columns = (rows: ReadonlyArray<readonly [string, string]>, width: number): Array<string> => {
  const left = Math.min(rows.reduce((max, [l]) => Math.max(max, l.length), 0), 36)
  const indent = 2 + left + 3
  const room = width - indent
  if (room < 20) {
    return rows.flatMap(([l, r]) => [`  ${l}`, ...wrap(r, width - 10).map((w) => `${" ".repeat(10)}${w}`)])
  }
  return rows.flatMap(([l, r]) => {
    const wrapped = wrap(r, room)
    const first = `  ${l.padEnd(left)}   ${wrapped[0] ?? ""}`.trimEnd()
    const head = l.length > left ? [`  ${l}`, `${" ".repeat(indent)}${wrapped[0] ?? ""}`] : [first]
    return [...head, ...wrapped.slice(1).map((w) => `${" ".repeat(indent)}${w}`)]
  })
}

const flagLabel = (flag: CommandTree.Flag): string => {
  const short = flag.aliases.filter((a) => a.length === 1).map((a) => `-${a}, `).join("")
  const value = flag.placeholder === undefined ? "" : ` <${flag.placeholder}>`
  return `${short === "" ? "    " : short}--${flag.name}${value}${flag.repeatable ? "..." : ""}`
}

const argLabel = (arg: CommandTree.Arg): string =>
  arg.optional ? `[${arg.name}]${arg.repeatable ? "..." : ""}` : `<${arg.name}>${arg.repeatable ? "..." : ""}`

/**
 * The usage line: `effect-apify versions push <actor> [dir] [flags]`.
 *
 * @since 0.1.0
 */
export const usage = (node: CommandTree.Node): string => {
  const path = node.path.join(" ")
  if (node.children.length > 0) return `${path} <command> [flags]`
  const required = node.flags.filter((f) => f.required).map((f) => `--${f.name} <${f.placeholder}>`)
  return [path, ...node.args.map(argLabel), ...required, "[flags]"].join(" ")
}

/**
 * The help text of a command at a terminal width.
 *
 * @since 0.1.0
 */
export const render = (node: CommandTree.Node, width: number): string => {
  const sections: Array<string> = [
    [...wrap(node.summary, width), ...node.details.flatMap((d) => ["", ...wrap(d, width)])].join("\n"),
    `USAGE\n${hang(usage(node).split(" "), width, "  ", "      ").join("\n")}`
  ]
  if (node.children.length > 0) {
    sections.push(`COMMANDS\n${columns(node.children.map((c) => [`${c.name}:`, c.summary]), width).join("\n")}`)
  }
  if (node.args.length > 0) {
    sections.push(`ARGUMENTS\n${columns(node.args.map((a) => [argLabel(a), a.description]), width).join("\n")}`)
  }
  const flags = [...node.flags, ...builtInFlags(node)]
  sections.push(`FLAGS\n${columns(flags.map((f) => [flagLabel(f), f.description]), width).join("\n")}`)
  if (node.examples.length > 0) {
    const examples = node.examples.flatMap((e) => hang(shellWords(e), width, "  $ ", "      ", " \\"))
    sections.push(`EXAMPLES\n${examples.join("\n")}`)
  }
  if (node.path.length === 1) {
    const codes = ExitCodes.all.map(([code, meaning]) => [String(code), meaning] as const)
    sections.push(`EXIT CODES\n${columns(codes, width).join("\n")}`)
    sections.push(`ENVIRONMENT\n${columns(environment, width).join("\n")}`)
  }
  if (node.children.length > 0) {
    sections.push(wrap(`Use \`${node.path.join(" ")} <command> --help\` for more about a command.`, width).join("\n"))
  }
  return `${sections.join("\n\n")}\n`
}

/**
 * The narrowest width help is wrapped to; a narrower terminal wraps the lines itself.
 *
 * @since 0.1.0
 */
export const minWidth = 40

/**
 * The width help is wrapped to: `COLUMNS` when set, else the terminal's, else (stdout is
 * not a terminal) 80; at least `minWidth` and at most 120.
 *
 * @since 0.1.0
 */
export const terminalWidth = (): number => {
  const fromEnv = Number(process.env.COLUMNS)
  const columns = Number.isInteger(fromEnv) && fromEnv > 0
    ? fromEnv
    : process.stdout.isTTY === true && typeof process.stdout.columns === "number"
    ? process.stdout.columns
    : 80
  return Math.min(Math.max(columns, minWidth), 120)
}

/**
 * What the arguments ask for, before `@effect/cli` parses them.
 *
 * @since 0.1.0
 */
export type Request =
  | { readonly _tag: "Help"; readonly node: CommandTree.Node }
  | { readonly _tag: "Unknown"; readonly node: CommandTree.Node; readonly message: string }
  | { readonly _tag: "Invalid"; readonly node: CommandTree.Node; readonly message: string }
  | { readonly _tag: "Parse"; readonly args: ReadonlyArray<string> }

// Names close to a misspelt one, closest first: for a flag within 1 edit for a word of up to
// 4 characters, 2 for longer ones (a one-letter flag gets only its other case); for a command
// or a value within 2 edits (`st`: set, get); or starting with it.
const suggest = (word: string, candidates: ReadonlyArray<string>, kind: "flag" | "word" = "flag") => {
  const limit = kind === "word" ? (word.length <= 1 ? 0 : 2) : word.length <= 2 ? 0 : word.length <= 4 ? 1 : 2
  const distance = (c: string) =>
    AutoCorrect.levensteinDistance(word.toLowerCase(), c.toLowerCase(), CliConfig.defaultConfig)
  return candidates
    .filter((c) => c !== word && (distance(c) <= limit || (word.length >= 3 && c.startsWith(word))))
    .sort((a, b) => distance(a) - distance(b))
}

const didYouMean = (suggestions: ReadonlyArray<string>): string =>
  suggestions.length === 0 ? "" : `\n\nDid you mean this?\n${suggestions.map((s) => `  ${s}`).join("\n")}`

/**
 * How a flag can be written: `--name` and its short forms (`-j`).
 *
 * @since 0.1.0
 */
export const spellings = (flag: CommandTree.Flag): ReadonlyArray<string> => [
  `--${flag.name}`,
  ...flag.aliases.map((alias) => (alias.length === 1 ? `-${alias}` : `--${alias}`))
]

const flagNames = (node: CommandTree.Node): ReadonlyArray<string> =>
  [...node.flags, ...builtInFlags(node)].flatMap(spellings)

/**
 * Reads the command path and the flags of `args` (without node and the script): a help
 * request, an unknown command or flag (with suggestions), or something for `@effect/cli`.
 *
 * @since 0.1.0
 */
export const classify = (root: CommandTree.Node, args: ReadonlyArray<string>): Request => {
  // `help versions push` as git and gh read it: the help of `versions push`.
  if (args[0] === "help") {
    const asked = classify(root, [...args.slice(1), "--help"])
    return asked._tag === "Parse" ? { _tag: "Help", node: root } : asked
  }
  let node = root
  let i = 0
  // The command path: the leading words that name subcommands.
  while (node.children.length > 0 && i < args.length && !args[i]!.startsWith("-")) {
    const word = args[i]!
    const child = node.children.find((c) => c.name === word)
    if (child === undefined) {
      // `version` for `--version`.
      const asFlag = builtInFlags(node).some((f) => f.name === word) ? [`--${word}`] : []
      return {
        _tag: "Unknown",
        node,
        message: `unknown command "${word}" for "${node.path.join(" ")}"${
          didYouMean([...suggest(word, node.children.map((c) => c.name), "word"), ...asFlag])
        }`
      }
    }
    node = child
    i++
  }
  const takesValue = new Set(node.flags.filter((f) => f.placeholder !== undefined).flatMap(spellings))
  const rest = args.slice(i)
  const normal = Argv.normalize([...node.flags, ...builtInFlags(node)], rest)
  const end = rest.indexOf("--")
  const asked = end === -1 ? rest : rest.slice(0, end)
  if (asked.includes("--help") || asked.includes("-h")) return { _tag: "Help", node }
  if (normal._tag === "Invalid") return { _tag: "Invalid", node, message: normal.message }
  const normalEnd = normal.args.indexOf("--")
  const before = normalEnd === -1 ? normal.args : normal.args.slice(0, normalEnd)
  const parse = { _tag: "Parse", args: [...args.slice(0, i), ...normal.args] } as const
  if (before.includes("--help") || before.includes("-h")) return { _tag: "Help", node }
  if (node.children.length > 0) {
    if (node.path.length === 1 && (before.includes("--version") || before.includes("--completions"))) {
      return parse
    }
    if (before.length === 0) return { _tag: "Help", node }
  }
  const known = flagNames(node)
  for (const [at, arg] of before.entries()) {
    if (!arg.startsWith("-") || arg === "-") continue
    // A value that starts with a dash, e.g. `--title -x`.
    if (at > 0 && takesValue.has(before[at - 1]!)) continue
    const cluster = /^-[^-]/.test(arg) ? [...arg.slice(1)].find((letter) => !known.includes(`-${letter}`)) : undefined
    const name = cluster !== undefined ? `-${cluster}` : arg.includes("=") ? arg.slice(0, arg.indexOf("=")) : arg
    if (!known.includes(name)) {
      return {
        _tag: "Unknown",
        node,
        message: `unknown flag ${name} for "${node.path.join(" ")}"${didYouMean(suggest(name, known))}`
      }
    }
  }
  return choiceProblem(node, before, takesValue) ?? parse
}

// A first argument that must be one of a few values (`completions <shell>`) and is none of them.
const choiceProblem = (
  node: CommandTree.Node,
  before: ReadonlyArray<string>,
  takesValue: ReadonlySet<string>
): Request | undefined => {
  const choices = node.args[0]?.choices ?? []
  const given = before.find((arg, at) => !arg.startsWith("-") && !(at > 0 && takesValue.has(before[at - 1]!)))
  if (choices.length === 0 || given === undefined || choices.includes(given)) return undefined
  return {
    _tag: "Invalid",
    node,
    message: `unknown ${node.args[0]!.name} "${given}"; give one of ${choices.join(", ")}${
      didYouMean(suggest(given, choices, "word"))
    }`
  }
}
