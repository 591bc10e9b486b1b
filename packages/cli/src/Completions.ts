/**
 * Shell completion scripts for bash, zsh and fish, generated from the command tree
 * (`CommandTree`): after a group its subcommands, after a leaf its flags, after a flag that
 * takes a directory the directories. Install with e.g.
 * `effect-apify completions bash > ~/.local/share/bash-completion/completions/effect-apify`.
 *
 * @since 0.1.0
 */
import * as CommandTree from "./CommandTree.js"
import * as Help from "./Help.js"

/**
 * The shells a script can be generated for.
 *
 * @since 0.1.0
 */
export const shells = ["bash", "zsh", "fish"] as const

/**
 * A shell a script can be generated for.
 *
 * @since 0.1.0
 */
export type Shell = typeof shells[number]

const flagsOf = (node: CommandTree.Node) => [...node.flags, ...Help.builtInFlags(node)]

const spellings = Help.spellings

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`

const fnName = (root: CommandTree.Node) => `_${root.name.replace(/[^A-Za-z0-9]/g, "_")}`

// The values of the first positional argument when it is a choice (`completions <shell>`).
const choicesOf = (node: CommandTree.Node): ReadonlyArray<string> => node.args[0]?.choices ?? []

// The bash function; zsh runs the same one through bashcompinit.
const bashFunction = (root: CommandTree.Node): string => {
  const nodes = CommandTree.all(root)
  const key = (node: CommandTree.Node) => node.path.slice(1).join(" ")
  const pattern = (flags: ReadonlyArray<CommandTree.Flag>) => flags.flatMap(spellings).join("|")
  const cases = nodes.map((node) => {
    const flags = flagsOf(node)
    const dirs = pattern(flags.filter((f) => f.placeholder === "dir"))
    const values = pattern(flags.filter((f) => f.placeholder !== undefined && f.placeholder !== "dir"))
    const choices = choicesOf(node)
    return [
      `    ${quote(key(node))})`,
      `      commands=${quote(node.children.map((c) => c.name).join(" "))}`,
      `      flags=${quote(flags.flatMap(spellings).join(" "))}`,
      choices.length === 0 ? "" : `      [[ $positional -eq 0 ]] && commands=${quote(choices.join(" "))}`,
      dirs === "" ? "" : `      case "$prev" in ${dirs}) COMPREPLY=($(compgen -d -- "$cur")); return;; esac`,
      values === "" ? "" : `      case "$prev" in ${values}) COMPREPLY=(); return;; esac`,
      "      ;;"
    ].filter((line) => line !== "").join("\n")
  })
  const paths = nodes.slice(1).map((node) => quote(key(node))).join(" ")
  const valued = new Set(
    nodes.flatMap((node) => flagsOf(node).filter((f) => f.placeholder !== undefined).flatMap(spellings))
  )
  return `${fnName(root)}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local path="" word candidate known_path i positional=0 commands="" flags=""
  local -a known=(${paths})
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    case "\${COMP_WORDS[i-1]}" in ${[...valued].join("|")}) continue;; esac
    candidate="\${path:+$path }$word"
    for known_path in "\${known[@]}"; do
      if [[ "$known_path" == "$candidate" ]]; then path="$candidate"; continue 2; fi
    done
    ((positional++))
  done
  case "$path" in
${cases.join("\n")}
  esac
  if [[ "$cur" == -* || -z "$commands" ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$commands" -- "$cur"))
  fi
}`
}

const bash = (root: CommandTree.Node): string =>
  `# bash completion for ${root.name}
${bashFunction(root)}
complete -o default -F ${fnName(root)} ${root.name}
`

// Sourced (from .zshrc) it registers the function; autoloaded from $fpath as \`_${root.name}\`
// (the #compdef line), its body runs on each completion, so it completes at once.
const zsh = (root: CommandTree.Node): string =>
  `#compdef ${root.name}
# zsh completion for ${root.name} (the bash function, through bashcompinit)
autoload -U +X bashcompinit && bashcompinit
${bashFunction(root)}
if [[ "\${funcstack[1]-}" == "_${root.name}" ]]; then
  _bash_complete -o default -F ${fnName(root)}
else
  complete -o default -F ${fnName(root)} ${root.name}
fi
`

const fish = (root: CommandTree.Node): string => {
  const lines = [`# fish completion for ${root.name}`, `complete -c ${root.name} -f`]
  const seen = (node: CommandTree.Node) =>
    node.path.slice(1).map((name) => `__fish_seen_subcommand_from ${name}`).join("; and ")
  for (const node of CommandTree.all(root)) {
    const here = node.path.length === 1 ? "__fish_use_subcommand" : seen(node)
    const notChild = node.children.length === 0
      ? ""
      : `; and not __fish_seen_subcommand_from ${node.children.map((c) => c.name).join(" ")}`
    const condition = node.path.length === 1 ? here : `${here}${notChild}`
    for (const child of node.children) {
      lines.push(`complete -c ${root.name} -n ${quote(condition)} -a ${child.name} -d ${quote(child.summary)}`)
    }
    if (choicesOf(node).length > 0) {
      const none = `; and not __fish_seen_subcommand_from ${choicesOf(node).join(" ")}`
      lines.push(`complete -c ${root.name} -n ${quote(`${condition}${none}`)} -a ${quote(choicesOf(node).join(" "))}`)
    }
    if (node.children.length === 0 || node.path.length === 1) {
      for (const flag of flagsOf(node)) {
        const value = flag.placeholder === "dir"
          ? " -r -a '(__fish_complete_directories)'"
          : flag.placeholder
          ? " -r"
          : ""
        const short = flag.aliases.filter((a) => a.length === 1).map((a) => ` -s ${a}`).join("")
        lines.push(
          `complete -c ${root.name} -n ${quote(condition)} -l ${flag.name}${short}${value} -d ${
            quote(flag.description)
          }`
        )
      }
    }
  }
  return `${lines.join("\n")}\n`
}

/**
 * The completion script for a shell.
 *
 * @since 0.1.0
 */
export const script = (root: CommandTree.Node, shell: Shell): string => {
  switch (shell) {
    case "bash":
      return bash(root)
    case "zsh":
      return zsh(root)
    case "fish":
      return fish(root)
  }
}
