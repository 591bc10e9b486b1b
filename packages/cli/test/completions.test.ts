// Completion scripts run in real shells: what is offered past the first word.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { cli, tempDir } from "./helpers.js"

const has = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0

const scripts: Record<string, string> = {}
beforeAll(async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const result = await cli(["--completions", shell])
    expect(result.code).toBe(0)
    scripts[shell] = result.stdout
  }
})

// What bash's completion function puts in COMPREPLY for a command line ending at the cursor.
const bashOffers = (words: ReadonlyArray<string>): Array<string> => {
  const file = path.join(tempDir(), "completion.bash")
  fs.writeFileSync(file, scripts.bash!)
  const program = `source ${JSON.stringify(file)}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; COMPREPLY=()
_effect_apify; printf '%s\\n' "\${COMPREPLY[@]}"`
  const result = spawnSync("bash", ["--norc", "--noprofile", "-c", program], { encoding: "utf8" })
  expect(result.stderr).toBe("")
  return result.stdout.split("\n").filter((line) => line !== "")
}

describe("bash", () => {
  it("offers the groups first", () => {
    expect(bashOffers(["effect-apify", ""])).toEqual(["actors", "versions", "env", "emulator"])
  })

  it("offers a group's own commands after it", () => {
    expect(bashOffers(["effect-apify", "versions", ""])).toEqual(["list", "get", "create", "update", "delete", "push"])
  })

  it("offers push's flags after `versions push --`", () => {
    const offered = bashOffers(["effect-apify", "versions", "push", "--"])
    expect(offered).toContain("--dry-run")
    expect(offered).toContain("--version-number")
    expect(offered).toContain("--allow-missing-secrets")
    expect(offered).not.toContain("--git-repo")
  })

  it("offers env set's flags after `env set `", () => {
    const offered = bashOffers(["effect-apify", "env", "set", "janedoe~a", "0.1", ""])
    expect(offered).toContain("--secret")
    expect(offered).not.toContain("list")
  })
})

describe.skipIf(!has("zsh"))("zsh (skipped when zsh is not installed)", () => {
  it("loads and registers the completion", () => {
    const file = path.join(tempDir(), "_effect-apify")
    fs.writeFileSync(file, scripts.zsh!)
    // As zsh's bashcompinit calls a bash function: in sh emulation (0-based arrays).
    const program = `autoload -U compinit && compinit -u; source ${JSON.stringify(file)}
offers() { emulate -L sh; setopt kshglob noshglob braceexpand
COMP_WORDS=(effect-apify versions ''); COMP_CWORD=2; COMPREPLY=(); _effect_apify; print -l -- "\${COMPREPLY[@]}"; }
offers`
    const result = spawnSync("zsh", ["-f", "-c", program], { encoding: "utf8" })
    expect(result.stderr).toBe("")
    expect(result.stdout.split("\n").filter((l) => l !== "")).toEqual([
      "list",
      "get",
      "create",
      "update",
      "delete",
      "push"
    ])
  })
})

describe.skipIf(!has("fish"))("fish (skipped when fish is not installed)", () => {
  const fishOffers = (line: string) => {
    const file = path.join(tempDir(), "effect-apify.fish")
    fs.writeFileSync(file, scripts.fish!)
    const result = spawnSync("fish", [
      "--no-config",
      "-c",
      `source ${JSON.stringify(file)}; complete -C ${JSON.stringify(line)}`
    ], {
      encoding: "utf8"
    })
    expect(result.stderr).toBe("")
    return result.stdout.split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0])
  }

  it("offers a group's own commands after it", () => {
    expect(fishOffers("effect-apify versions ")).toEqual(expect.arrayContaining(["list", "push"]))
    expect(fishOffers("effect-apify versions ")).not.toContain("actors")
  })

  it("offers push's flags after `versions push --`", () => {
    expect(fishOffers("effect-apify versions push --")).toEqual(
      expect.arrayContaining(["--dry-run", "--version-number"])
    )
  })
})
