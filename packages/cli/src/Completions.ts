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

// What each positional argument completes to: `dir`, `file` or `-` (nothing: an Actor, a name).
const argKinds = (node: CommandTree.Node): string => {
  const kinds = node.args.map((arg) => arg.path ?? "-")
  const last = node.args.at(-1)
  // A repeatable last argument takes every further position.
  return (last?.repeatable === true ? [...kinds, ...Array<string>(8).fill(kinds.at(-1)!)] : kinds).join(" ")
}

// The bash function; zsh runs the same one through bashcompinit. It completes a group's
// commands, a leaf's flags when the word starts with \`-\` (never after \`--\`), a flag's value
// (directories or files for a path, nothing for text or a number) and each positional
// argument (its choices, directories or files for a path, nothing for text).
const bashFunction = (root: CommandTree.Node): string => {
  const nodes = CommandTree.all(root)
  const key = (node: CommandTree.Node) => node.path.slice(1).join(" ")
  const pattern = (flags: ReadonlyArray<CommandTree.Flag>) => flags.flatMap(spellings).join("|")
  const cases = nodes.map((node) => {
    const flags = flagsOf(node)
    const dirs = pattern(flags.filter((f) => f.placeholder === "dir"))
    const files = pattern(flags.filter((f) => f.placeholder === "file"))
    const values = pattern(
      flags.filter((f) => f.placeholder !== undefined && f.placeholder !== "dir" && f.placeholder !== "file")
    )
    const choices = choicesOf(node)
    return [
      `    ${quote(key(node))})`,
      `      commands=${quote(node.children.map((c) => c.name).join(" "))}`,
      `      flags=${quote(flags.flatMap(spellings).join(" "))}`,
      `      kinds=(${argKinds(node)})`,
      choices.length === 0 ? "" : `      [[ $positional -eq 0 ]] && commands=${quote(choices.join(" "))}`,
      dirs === ""
        ? ""
        : `      [[ $ended -eq 0 ]] && case "$prev" in ${dirs}) _${fnName(root)}_paths -d; return;; esac`,
      files === ""
        ? ""
        : `      [[ $ended -eq 0 ]] && case "$prev" in ${files}) _${fnName(root)}_paths -f; return;; esac`,
      values === "" ? "" : `      [[ $ended -eq 0 ]] && case "$prev" in ${values}) COMPREPLY=(); return;; esac`,
      "      ;;"
    ].filter((line) => line !== "").join("\n")
  })
  const paths = nodes.slice(1).map((node) => quote(key(node))).join(" ")
  const valued = new Set(
    nodes.flatMap((node) => flagsOf(node).filter((f) => f.placeholder !== undefined).flatMap(spellings))
  )
  return `_${fnName(root)}_paths() {
  compopt -o filenames 2>/dev/null
  local IFS=$'\\n'
  COMPREPLY=($(compgen "$1" -- "$cur"))
}
${fnName(root)}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local path="" word candidate known_path i positional=0 ended=0 commands="" flags="" kind
  local -a kinds=() known=(${paths})
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ $ended -eq 0 ]]; then
      [[ "$word" == "--" ]] && { ended=1; continue; }
      [[ "$word" == -* ]] && continue
      case "\${COMP_WORDS[i-1]}" in ${[...valued].join("|")}) continue;; esac
      candidate="\${path:+$path }$word"
      for known_path in "\${known[@]}"; do
        if [[ "$known_path" == "$candidate" ]]; then path="$candidate"; continue 2; fi
      done
    fi
    ((positional++))
  done
  case "$path" in
${cases.join("\n")}
  esac
  COMPREPLY=()
  if [[ $ended -eq 0 && "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ -n "$commands" ]]; then
    COMPREPLY=($(compgen -W "$commands" -- "$cur"))
  else
    kind="\${kinds[positional]-}"
    [[ "$kind" == dir ]] && _${fnName(root)}_paths -d
    [[ "$kind" == file ]] && _${fnName(root)}_paths -f
  fi
  return 0
}`
}

const bash = (root: CommandTree.Node): string =>
  `# bash completion for ${root.name}
${bashFunction(root)}
complete -F ${fnName(root)} ${root.name}
`

// Sourced (from .zshrc) it registers the function; autoloaded from $fpath as \`_${root.name}\`
// (the #compdef line), its body runs on each completion, so it completes at once.
const zsh = (root: CommandTree.Node): string =>
  `#compdef ${root.name}
# zsh completion for ${root.name} (the bash function, through bashcompinit)
autoload -U +X bashcompinit && bashcompinit
${bashFunction(root)}
if [[ "\${funcstack[1]-}" == "_${root.name}" ]]; then
  _bash_complete -F ${fnName(root)}
else
  complete -F ${fnName(root)} ${root.name}
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
    // A path argument: directories or files at its place (`__fish_is_nth_token` counts the
    // words before the cursor that do not start with a dash, the command name included).
    for (const [at, arg] of node.args.entries()) {
      if (arg.path === undefined) continue
      const place = `${condition}; and __fish_is_nth_token ${node.path.length + at}`
      const values = arg.path === "dir" ? " -x -a '(__fish_complete_directories)'" : " -r -F"
      lines.push(`complete -c ${root.name} -n ${quote(place)}${values}`)
    }
    if (node.children.length === 0 || node.path.length === 1) {
      for (const flag of flagsOf(node)) {
        const value = flag.placeholder === "dir"
          ? " -x -a '(__fish_complete_directories)'"
          : flag.placeholder === "file"
          ? " -r -F"
          : flag.placeholder
          ? " -x"
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
