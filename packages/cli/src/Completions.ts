/**
 * Shell completion scripts for bash, zsh and fish, generated from the command tree
 * (`CommandTree`): after a group its subcommands, after a leaf its flags, after a flag that
 * takes a directory the directories. Install with e.g.
 * `effect-apify --completions bash > ~/.local/share/bash-completion/completions/effect-apify`.
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

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`

const fnName = (root: CommandTree.Node) => `_${root.name.replace(/[^A-Za-z0-9]/g, "_")}`

// The bash function; zsh runs the same one through bashcompinit.
const bashFunction = (root: CommandTree.Node): string => {
  const nodes = CommandTree.all(root)
  const key = (node: CommandTree.Node) => node.path.slice(1).join(" ")
  const cases = nodes.map((node) => {
    const flags = flagsOf(node).map((f) => `--${f.name}`).join(" ")
    const dirs = flagsOf(node).filter((f) => f.placeholder === "dir").map((f) => `--${f.name}`).join("|")
    const values = flagsOf(node).filter((f) => f.placeholder !== undefined && f.placeholder !== "dir")
      .map((f) => `--${f.name}`).join("|")
    return [
      `    ${quote(key(node))})`,
      `      commands=${quote(node.children.map((c) => c.name).join(" "))}`,
      `      flags=${quote(flags)}`,
      dirs === "" ? "" : `      case "$prev" in ${dirs}) COMPREPLY=($(compgen -d -- "$cur")); return;; esac`,
      values === "" ? "" : `      case "$prev" in ${values}) COMPREPLY=(); return;; esac`,
      "      ;;"
    ].filter((line) => line !== "").join("\n")
  })
  const paths = nodes.slice(1).map((node) => quote(key(node))).join(" ")
  return `${fnName(root)}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local path="" word candidate i commands="" flags=""
  local -a known=(${paths})
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    candidate="\${path:+$path }$word"
    for known_path in "\${known[@]}"; do
      if [[ "$known_path" == "$candidate" ]]; then path="$candidate"; break; fi
    done
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

const zsh = (root: CommandTree.Node): string =>
  `#compdef ${root.name}
# zsh completion for ${root.name} (the bash function, through bashcompinit)
autoload -U +X bashcompinit && bashcompinit
${bashFunction(root)}
complete -o default -F ${fnName(root)} ${root.name}
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
