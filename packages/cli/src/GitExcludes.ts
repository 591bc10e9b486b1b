/**
 * The ignore rules git applies to a directory from outside it, when the directory is inside a
 * git work tree (the nearest directory above, or the directory itself, holding `.git`): in
 * git's order of precedence, lowest first, the file named by `core.excludesFile` (default
 * `$XDG_CONFIG_HOME/git/ignore`, else `~/.config/git/ignore`), `.git/info/exclude`, and the
 * `.gitignore` files of the directories from the work tree's root down to the pushed
 * directory's parent. Together with the `.gitignore` files below, push then leaves out what
 * `git ls-files --others --exclude-standard` does.
 *
 * Git itself is not run. `core.excludesFile` is read from the system, global and repository
 * config files (`GIT_CONFIG_NOSYSTEM`, `GIT_CONFIG_SYSTEM`, `GIT_CONFIG_GLOBAL` honoured);
 * `include` and `includeIf` sections are not followed, nor `GIT_DIR`. The directories above
 * the pushed one are not themselves judged: pushing a directory that git ignores sends what
 * is inside it, by the rules that match the files themselves.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import type * as CliError from "./CliError.js"
import * as IgnoreRules from "./IgnoreRules.js"
import * as LocalFiles from "./LocalFiles.js"

const maxConfigBytes = 1024 * 1024

/**
 * The nearest directory from `dir` up that holds a `.git` (a directory, or a file of a
 * linked work tree or submodule).
 *
 * @since 0.1.0
 */
export const workTreeOf = (dir: string): Option.Option<string> => {
  for (let at = dir;; at = NodePath.dirname(at)) {
    const found = LocalFiles.lstatIfExists(NodePath.join(at, ".git"))
    if (Either.isRight(found) && Option.isSome(found.right)) {
      const kind = found.right.value.kind
      if (kind === "Directory" || kind === "File") return Option.some(at)
    }
    if (NodePath.dirname(at) === at) return Option.none()
  }
}

/** The text of a regular file (links followed) of at most `max` bytes; none when absent or not a file. */
const readText = (path: string, max: number): Either.Either<Option.Option<string>, CliError.LocalFileError> => {
  const target = LocalFiles.resolve(path)
  if (target._tag === "Broken") return Either.right(Option.none())
  const info = LocalFiles.stat(target.path, path)
  if (Either.isLeft(info) || info.right.kind !== "File") return Either.right(Option.none())
  return LocalFiles.readBounded(target.path, max, path).pipe(
    Either.map((bytes) => Option.some(Buffer.from(bytes).toString("utf8")))
  )
}

/** The `.git` directory holding `info/` and `config`: `.git`, or a linked work tree's common directory. */
const gitDirectoryOf = (workTree: string): Either.Either<string, CliError.LocalFileError> =>
  Either.gen(function*() {
    const dotGit = NodePath.join(workTree, ".git")
    const info = yield* LocalFiles.stat(dotGit)
    if (info.kind === "Directory") return dotGit
    const text = Option.getOrElse(yield* readText(dotGit, 64 * 1024), () => "")
    const pointed = /^gitdir:\s*(.+?)\s*$/m.exec(text)?.[1]
    if (pointed === undefined) return dotGit
    const gitDir = NodePath.resolve(workTree, pointed)
    const common = yield* readText(NodePath.join(gitDir, "commondir"), 64 * 1024)
    return Option.match(common, { onNone: () => gitDir, onSome: (c) => NodePath.resolve(gitDir, c.trim()) })
  })

const unquote = (raw: string): string => {
  let out = ""
  let quoted = false
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!
    if (c === "\\" && i + 1 < raw.length) out += raw[++i]
    else if (c === "\"") quoted = !quoted
    else if (!quoted && (c === "#" || c === ";")) break
    else out += c
  }
  return out.trim()
}

/**
 * The value of `core.excludesFile` in the text of a git config file, the last one set.
 *
 * @since 0.1.0
 */
export const excludesFileIn = (text: string): Option.Option<string> => {
  let section = ""
  let value: Option.Option<string> = Option.none()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"[^"]*")?\s*\]/.exec(line)
    if (header !== null) section = raw.includes("\"") ? "" : header[1]!.toLowerCase()
    const entry = /^(?:\[[^\]]*\]\s*)?excludesfile\s*=\s*(.*)$/i.exec(line)
    if (section === "core" && entry !== null) value = Option.some(unquote(entry[1]!))
  }
  return value
}

const environment = Config.all({
  xdg: Config.option(Config.string("XDG_CONFIG_HOME")),
  global: Config.option(Config.string("GIT_CONFIG_GLOBAL")),
  system: Config.option(Config.string("GIT_CONFIG_SYSTEM")),
  noSystem: Config.option(Config.string("GIT_CONFIG_NOSYSTEM"))
}).pipe(Effect.orElseSucceed(() => ({
  xdg: Option.none<string>(),
  global: Option.none<string>(),
  system: Option.none<string>(),
  noSystem: Option.none<string>()
})))

const excludesFile = (workTree: string, gitDir: string) =>
  Effect.gen(function*() {
    const env = yield* environment
    const home = NodeOs.homedir()
    const xdg = Option.getOrElse(Option.filter(env.xdg, (x) => x !== ""), () => NodePath.join(home, ".config"))
    const noSystem = Option.exists(env.noSystem, (v) => v !== "" && v !== "0" && v.toLowerCase() !== "false")
    const configs = [
      ...(noSystem ? [] : [Option.getOrElse(env.system, () => "/etc/gitconfig")]),
      ...Option.match(env.global, {
        onNone: () => [NodePath.join(xdg, "git", "config"), NodePath.join(home, ".gitconfig")],
        onSome: (g) => [g]
      }),
      NodePath.join(gitDir, "config")
    ]
    let chosen = NodePath.join(xdg, "git", "ignore")
    for (const config of configs) {
      const text = yield* readText(config, maxConfigBytes)
      const value = Option.flatMap(text, excludesFileIn)
      if (Option.isSome(value) && value.value !== "") {
        const v = value.value
        chosen = v.startsWith("~/") ? NodePath.join(home, v.slice(2)) : NodePath.resolve(workTree, v)
      }
    }
    return chosen
  })

/**
 * The ignore levels from outside `root` (canonical), lowest precedence first; none when
 * `root` is not inside a git work tree.
 *
 * @since 0.1.0
 */
export const levelsAbove = (root: string): Effect.Effect<ReadonlyArray<IgnoreRules.Level>, CliError.LocalFileError> =>
  Effect.gen(function*() {
    const found = workTreeOf(root)
    if (Option.isNone(found)) return []
    const workTree = found.value
    const gitDir = yield* gitDirectoryOf(workTree)
    const prefixOf = (dir: string) => NodePath.relative(dir, root).split(NodePath.sep).join("/")
    const levels: Array<IgnoreRules.Level> = []
    const add = (text: Option.Option<string>, dir: string) => {
      if (Option.isSome(text) && text.value !== "") levels.push(IgnoreRules.level("", text.value, prefixOf(dir)))
    }
    add(yield* readText(yield* excludesFile(workTree, gitDir), IgnoreRules.maxIgnoreFileBytes), workTree)
    add(yield* readText(NodePath.join(gitDir, "info", "exclude"), IgnoreRules.maxIgnoreFileBytes), workTree)
    const between = prefixOf(workTree).split("/").filter((s) => s !== "")
    for (let depth = 0; depth < between.length; depth++) {
      const dir = NodePath.join(workTree, ...between.slice(0, depth))
      const path = NodePath.join(dir, ".gitignore")
      const info = yield* LocalFiles.lstatIfExists(path)
      // As git: a .gitignore that is a link (or not a file) is not read.
      if (Option.isNone(info) || info.value.kind !== "File") continue
      const bytes = yield* LocalFiles.readBounded(path, IgnoreRules.maxIgnoreFileBytes)
      add(Option.some(Buffer.from(bytes).toString("utf8")), dir)
    }
    return levels
  })
