/**
 * The command tree as plain data, read from the `@effect/cli` command definitions in `Cli`:
 * each command's name, summary, examples, arguments and flags. Help, completions and the
 * check of unknown commands and flags are all derived from it, so a command or flag is
 * declared once, in `Cli`.
 *
 * `@effect/cli` exposes a command's descriptor but not its parts; this module reads the
 * descriptor's documented-by-shape fields (`_tag`, `name`, `options`, `args`, `children`).
 * The help snapshot tests fail if a release of `@effect/cli` changes that shape.
 *
 * @since 0.1.0
 */
import type * as Command from "@effect/cli/Command"

/**
 * A flag (option) of a command.
 *
 * @since 0.1.0
 */
export interface Flag {
  /** `--name` without the dashes. */
  readonly name: string
  /** Short forms, e.g. `-h`. */
  readonly aliases: ReadonlyArray<string>
  /** What the value is (`string`, `number`, `dir`); undefined for a switch that takes none. */
  readonly placeholder: string | undefined
  readonly description: string
  /** Whether it may be given more than once. */
  readonly repeatable: boolean
  /** Whether the command fails without it. */
  readonly required: boolean
}

/**
 * A positional argument of a command.
 *
 * @since 0.1.0
 */
export interface Arg {
  readonly name: string
  readonly description: string
  readonly optional: boolean
  readonly repeatable: boolean
  /** The values it takes when it is a choice (`bash`, `zsh`, `fish`); else empty. */
  readonly choices: ReadonlyArray<string>
  /** Whether it names a directory or a file (completed as such); undefined for text. */
  readonly path: "dir" | "file" | undefined
}

/**
 * A command: a group (with `children`) or a leaf (with arguments and flags).
 *
 * @since 0.1.0
 */
export interface Node {
  readonly name: string
  /** The full command path, e.g. `["effect-apify", "versions", "push"]`. */
  readonly path: ReadonlyArray<string>
  /** The first paragraph of its description. */
  readonly summary: string
  /** The other paragraphs (before the examples). */
  readonly details: ReadonlyArray<string>
  readonly examples: ReadonlyArray<string>
  readonly args: ReadonlyArray<Arg>
  readonly flags: ReadonlyArray<Flag>
  readonly children: ReadonlyArray<Node>
}

// The parts of the descriptor this module reads. Everything is optional: an unknown shape
// reads as "nothing there" instead of failing.
interface Raw {
  readonly _tag?: string
  readonly [key: string]: unknown
}

const raw = (value: unknown): Raw => (typeof value === "object" && value !== null ? value as Raw : {})

const spanText = (span: unknown): string => {
  const s = raw(span)
  if (s._tag === "Sequence") return spanText(s.left) + spanText(s.right)
  if (typeof s.value === "string") return s.value
  // Highlight, Strong and Weak wrap another span.
  return s.value === undefined ? "" : spanText(s.value)
}

// A HelpDoc as its paragraphs of text.
const paragraphs = (doc: unknown): Array<string> => {
  const d = raw(doc)
  switch (d._tag) {
    case "Sequence":
      return [...paragraphs(d.left), ...paragraphs(d.right)]
    case "Paragraph":
    case "Header":
      return [spanText(d.value)]
    default:
      return []
  }
}

/**
 * The heading `Cli` puts before a command's examples.
 *
 * @since 0.1.0
 */
export const examplesHeading = "Examples:"

const description = (doc: unknown) => {
  const all = paragraphs(doc).map((p) => p.trim()).filter((p) => p.length > 0)
  const at = all.indexOf(examplesHeading)
  const text = at === -1 ? all : all.slice(0, at)
  const examples = at === -1 ? [] : all.slice(at + 1).map((e) => e.replace(/^\$\s*/, ""))
  return { summary: text[0] ?? "", details: text.slice(1), examples }
}

const flagsOf = (options: unknown, repeatable = false, required = true): Array<Flag> => {
  const o = raw(options)
  switch (o._tag) {
    case "Single": {
      const primitive = raw(o.primitiveType)
      const pseudo = raw(o.pseudoName)
      const placeholder = primitive._tag === "Bool"
        ? undefined
        : pseudo._tag === "Some" && typeof pseudo.value === "string"
        ? pseudo.value
        : primitive._tag === "Path"
        ? (primitive.pathType === "directory" ? "dir" : "file")
        : primitive._tag === "Integer" || primitive._tag === "Float"
        ? "number"
        : "string"
      return [{
        name: String(o.name),
        aliases: Array.isArray(o.aliases) ? o.aliases.map(String) : [],
        placeholder,
        description: paragraphs(o.description).join(" "),
        repeatable,
        required: required && placeholder !== undefined
      }]
    }
    case "Both":
    case "OrElse":
      return [...flagsOf(o.left, repeatable, required), ...flagsOf(o.right, repeatable, required)]
    case "Map":
    case "WithFallback":
      return flagsOf(o.options, repeatable, required)
    case "WithDefault":
      return flagsOf(o.options, repeatable, false)
    case "Variadic":
      return flagsOf(o.argumentOption, true, false)
    default:
      return []
  }
}

const argsOf = (args: unknown, repeatable = false, optional = false): Array<Arg> => {
  const a = raw(args)
  switch (a._tag) {
    case "Single": {
      const primitive = raw(a.primitiveType)
      const alternatives = primitive._tag === "Choice" && Array.isArray(primitive.alternatives)
        ? primitive.alternatives
        : []
      const name = String(a.name).replace(/^<|>$/g, "")
      return [{
        name,
        description: paragraphs(a.description).join(" "),
        optional,
        repeatable,
        choices: alternatives.map((alternative) => String(raw(alternative)[0])),
        // A path named `dir` is a directory the command checks itself (`Arguments.actorDirectory`).
        path: primitive._tag !== "Path"
          ? undefined
          : primitive.pathType === "directory" || name === "dir"
          ? "dir"
          : "file"
      }]
    }
    case "Both":
      return [...argsOf(a.left, repeatable, optional), ...argsOf(a.right, repeatable, optional)]
    case "Map":
    case "WithFallbackConfig":
      return argsOf(a.args, repeatable, optional)
    case "WithDefault":
      return argsOf(a.args, repeatable, true)
    case "Variadic":
      return argsOf(a.args, true, optional)
    default:
      return []
  }
}

const nodeOf = (descriptor: unknown, parent: ReadonlyArray<string>): Node => {
  const d = raw(descriptor)
  switch (d._tag) {
    case "Map":
      return nodeOf(d.command, parent)
    case "Subcommands": {
      const self = nodeOf(d.parent, parent)
      const children = Array.isArray(d.children) ? d.children : []
      return { ...self, children: children.map((child) => nodeOf(child, self.path)) }
    }
    default: {
      const name = String(d.name)
      return {
        name,
        path: [...parent, name],
        ...description(d.description),
        args: argsOf(d.args),
        flags: flagsOf(d.options),
        children: []
      }
    }
  }
}

/**
 * Reads a command (and its subcommands) as a tree.
 *
 * @since 0.1.0
 */
export const fromCommand = <Name extends string, R, E, A>(command: Command.Command<Name, R, E, A>): Node =>
  nodeOf(command.descriptor, [])

/**
 * Every command of the tree, groups and leaves, depth first.
 *
 * @since 0.1.0
 */
export const all = (node: Node): ReadonlyArray<Node> => [node, ...node.children.flatMap(all)]

/**
 * The command at a path of names under the root (`["versions", "push"]`), with how many
 * names matched.
 *
 * @since 0.1.0
 */
export const find = (root: Node, names: ReadonlyArray<string>): Node => {
  let node = root
  for (const name of names) {
    const child = node.children.find((c) => c.name === name)
    if (child === undefined) return node
    node = child
  }
  return node
}
