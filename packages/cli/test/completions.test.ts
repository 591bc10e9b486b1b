// Completion scripts, printed by `effect-apify completions <shell>`, run in the real shells:
// what is offered past the first word. bash through its completion interface (COMP_WORDS),
// zsh by pressing TAB in an interactive zsh on a pseudo-terminal (zpty), fish by `complete -C`.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { cli, tempDir } from "./helpers.js"

const has = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0

const scripts: Record<string, string> = {}
beforeAll(async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const result = await cli(["completions", shell])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe("")
    scripts[shell] = result.stdout
  }
})

const subcommands = ["list", "get", "create", "update", "delete", "push", "pull", "diff"]

describe("the completions command", () => {
  it("is listed in the root help", async () => {
    const result = await cli(["--help"])
    expect(result.stdout).toMatch(/\n {2}completions: +Print the completion script for a shell\.\n/)
  })

  it("refuses an unknown shell, exit 2", async () => {
    const result = await cli(["completions", "tcsh"])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain("bash, zsh, fish")
  })

  it("the old --completions flag prints the same script", async () => {
    expect((await cli(["--completions", "bash"])).stdout).toBe(scripts.bash)
  })
})

// What bash's completion function puts in COMPREPLY for a command line ending at the cursor.
const bashOffers = (words: ReadonlyArray<string>, cwd?: string): Array<string> => {
  const file = path.join(tempDir(), "completion.bash")
  fs.writeFileSync(file, scripts.bash!)
  const program = `source ${JSON.stringify(file)}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; COMPREPLY=()
_effect_apify; printf '%s\\n' "\${COMPREPLY[@]}"`
  const result = spawnSync("bash", ["--norc", "--noprofile", "-c", program], { encoding: "utf8", cwd })
  expect(result.stderr).toBe("")
  return result.stdout.split("\n").filter((line) => line !== "")
}

describe("bash", () => {
  it("offers the groups first", () => {
    expect(bashOffers(["effect-apify", ""])).toEqual(["actors", "versions", "env", "builds", "emulator", "completions"])
  })

  it("offers a group's own commands after it", () => {
    expect(bashOffers(["effect-apify", "versions", ""])).toEqual(subcommands)
  })

  it("offers push's flags after `versions push --`, its short flags after `-`", () => {
    const offered = bashOffers(["effect-apify", "versions", "push", "--"])
    expect(offered).toEqual(expect.arrayContaining(["--dry-run", "--version-number", "--allow-missing-secrets"]))
    expect(offered).not.toContain("--git-repo")
    expect(offered).not.toContain("-n")
    expect(bashOffers(["effect-apify", "versions", "push", "-"])).toEqual(
      expect.arrayContaining(["-n", "-b", "-j", "-t", "-h", "--dry-run"])
    )
  })

  it("offers env set's flags after `env set -`, never the group's commands", () => {
    for (const words of [["env", "set", "-"], ["env", "set", "janedoe~a", "0.1", "-"]]) {
      const offered = bashOffers(["effect-apify", ...words])
      expect(offered).toContain("--secret")
      expect(offered).not.toContain("list")
    }
  })

  it("offers nothing at an argument that is text (TAB would type `-` if it offered the flags)", () => {
    for (
      const words of [["env", "set", ""], ["versions", "get", ""], ["versions", "get", "a~b", ""], [
        "actors",
        "list",
        "--json",
        ""
      ]]
    ) {
      expect(bashOffers(["effect-apify", ...words])).toEqual([])
    }
  })

  it("offers directories at a directory argument and after a directory flag, nothing after a text flag", () => {
    const dir = tempDir()
    fs.mkdirSync(path.join(dir, "sub-dir"))
    fs.writeFileSync(path.join(dir, "file.txt"), "")
    const inDir = (words: ReadonlyArray<string>) => bashOffers(["effect-apify", ...words], dir)
    expect(inDir(["versions", "push", "a~b", ""])).toEqual(["sub-dir"])
    expect(inDir(["versions", "push", "-n", "a~b", "--build-tag", "x", ""])).toEqual(["sub-dir"])
    expect(inDir(["versions", "create", "a~b", "0.1", "--source-dir", ""])).toEqual(["sub-dir"])
    for (const flag of ["--limit", "--token", "-t", "--base-url", "--timeout"]) {
      expect(inDir(["actors", "list", flag, ""])).toEqual([])
    }
    expect(inDir(["versions", "push", "a~b", "sub-dir", ""])).toEqual([])
  })

  it("offers no flags after `--`", () => {
    expect(bashOffers(["effect-apify", "versions", "push", "--", "-"])).toEqual([])
    expect(bashOffers(["effect-apify", "versions", "push", "a~b", "--", "--"])).toEqual([])
  })

  it("is registered without a fallback to file names", () => {
    const file = path.join(tempDir(), "completion.bash")
    fs.writeFileSync(file, scripts.bash!)
    const result = spawnSync("bash", ["--norc", "--noprofile", "-c", `source ${file}; complete -p effect-apify`], {
      encoding: "utf8"
    })
    expect(result.stdout.trim()).toBe("complete -F _effect_apify effect-apify")
  })

  it("offers the shells after `completions `, and nothing more after one", () => {
    expect(bashOffers(["effect-apify", "completions", ""])).toEqual(["bash", "zsh", "fish"])
    expect(bashOffers(["effect-apify", "completions", "z"])).toEqual(["zsh"])
    expect(bashOffers(["effect-apify", "completions", "bash", ""])).toEqual([])
    expect(bashOffers(["effect-apify", "completions", "bash", "-"])).toEqual(["--help", "-h"])
  })

  it("a flag's value is not taken for a command", () => {
    expect(bashOffers(["effect-apify", "versions", "-t", "tok", ""])).toEqual(subcommands)
  })
})

// Presses TAB after `line` in an interactive zsh on a pseudo-terminal and gives the matches
// the completion system added (captured by wrapping `compadd`).
const zshOffers = (setup: string, line: string, waitSeconds = 10): Array<string> => {
  const dir = tempDir()
  const hits = path.join(dir, "hits")
  const driver = `zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z ${JSON.stringify(setup)}
zpty -w z 'compadd() { local -a h; builtin compadd -O h "$@"; print -l -- $h >> ${hits}; builtin compadd "$@"; }'
zpty -w -n z ${JSON.stringify(line)}$'\\t'
for i in {1..${waitSeconds * 20}}; do [[ -s ${hits} ]] && break; sleep 0.05; done
sleep 0.2
zpty -d z`
  const result = spawnSync("zsh", ["-f", "-c", driver], { encoding: "utf8", timeout: 20_000 })
  expect(result.status).toBe(0)
  return fs.existsSync(hits) ? fs.readFileSync(hits, "utf8").split("\n").filter((l) => l !== "") : []
}

describe.skipIf(!has("zsh"))("zsh (skipped when zsh is not installed)", () => {
  const sourced = () => {
    const file = path.join(tempDir(), "effect-apify.zsh")
    fs.writeFileSync(file, scripts.zsh!)
    return `autoload -U compinit && compinit -u -D; source ${file}`
  }

  it("sourced: commands, flags, env set, shells", () => {
    const setup = sourced()
    expect(zshOffers(setup, "effect-apify versions ")).toEqual(subcommands)
    const push = zshOffers(setup, "effect-apify versions push --")
    expect(push).toEqual(expect.arrayContaining(["--dry-run", "--version-number"]))
    expect(push).not.toContain("--git-repo")
    const set = zshOffers(setup, "effect-apify env set janedoe~a 0.1 -")
    expect(set).toContain("--secret")
    expect(set).not.toContain("list")
    expect(zshOffers(setup, "effect-apify completions ")).toEqual(["bash", "zsh", "fish"])
  }, 60_000)

  it("sourced: nothing at a text argument or after a text flag, directories for [dir], no flags after --", () => {
    const dir = tempDir()
    fs.mkdirSync(path.join(dir, "sub-dir"))
    fs.writeFileSync(path.join(dir, "file.txt"), "")
    const setup = `cd ${dir}; ${sourced()}`
    expect(zshOffers(setup, "effect-apify env set ", 1)).toEqual([])
    expect(zshOffers(setup, "effect-apify actors list --limit ", 1)).toEqual([])
    expect(zshOffers(setup, "effect-apify versions push a~b -- -", 1)).toEqual([])
    expect(zshOffers(setup, "effect-apify versions push a~b ")).toEqual(["sub-dir"])
  }, 60_000)

  it("installed in $fpath as _effect-apify: completes on the first TAB", () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, "_effect-apify"), scripts.zsh!)
    const setup = `fpath=(${dir} $fpath); autoload -U compinit && compinit -u -D`
    expect(zshOffers(setup, "effect-apify versions ")).toEqual(subcommands)
  }, 30_000)
})

describe.skipIf(!has("fish"))("fish (skipped when fish is not installed)", () => {
  const fishOffers = (prefix: string, line?: string) => {
    if (line === undefined) return fishOffers("", prefix)
    const file = path.join(tempDir(), "effect-apify.fish")
    fs.writeFileSync(file, scripts.fish!)
    const result = spawnSync("fish", [
      "--no-config",
      "-c",
      `${prefix}source ${JSON.stringify(file)}; complete -C ${JSON.stringify(line)}`
    ], {
      encoding: "utf8"
    })
    expect(result.stderr).toBe("")
    return result.stdout.split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0])
  }

  it("offers a group's own commands after it", () => {
    // fish sorts what it offers.
    expect(fishOffers("effect-apify versions ")).toEqual([...subcommands].sort())
  })

  it("offers push's flags after `versions push --`", () => {
    const offered = fishOffers("effect-apify versions push --")
    expect(offered).toEqual(expect.arrayContaining(["--dry-run", "--version-number"]))
    expect(offered).not.toContain("--git-repo")
  })

  it("offers nothing at a text argument or after a text flag, directories for [dir], no flags after --", () => {
    const dir = tempDir()
    fs.mkdirSync(path.join(dir, "sub-dir"))
    fs.writeFileSync(path.join(dir, "file.txt"), "")
    const inDir = (line: string) => fishOffers(`cd ${dir}; `, line)
    expect(inDir("effect-apify env set ")).toEqual([])
    expect(inDir("effect-apify actors list --limit ")).toEqual([])
    expect(inDir("effect-apify actors list --token ")).toEqual([])
    expect(inDir("effect-apify versions push a~b ")).toEqual(["sub-dir/"])
    expect(inDir("effect-apify versions create a~b 0.1 --source-dir ")).toEqual(["sub-dir/"])
    expect(inDir("effect-apify versions push a~b -- --")).toEqual([])
  })

  it("offers env set's flags, never the group's commands", () => {
    expect(fishOffers("effect-apify env set janedoe~a 0.1 ")).not.toContain("list")
    expect(fishOffers("effect-apify env set janedoe~a 0.1 --")).toContain("--secret")
  })

  it("offers the shells after `completions `, and nothing more after one", () => {
    expect(fishOffers("effect-apify completions ")).toEqual(["bash", "fish", "zsh"])
    expect(fishOffers("effect-apify completions fish ")).toEqual([])
  })
})
