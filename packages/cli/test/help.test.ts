// Help of every command (derived from the command definitions), unknown commands and flags.
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as Cli from "../src/Cli.js"
import * as CommandTree from "../src/CommandTree.js"
import * as Help from "../src/Help.js"
import { cli, tempDir } from "./helpers.js"

const root = CommandTree.fromCommand(Cli.command)
const commands = CommandTree.all(root)

describe("help", () => {
  it.each(commands.map((node) => [node.path.join(" "), node] as const))("%s --help", (_, node) => {
    const text = Help.render(node, 80)
    expect(text).toMatchSnapshot()
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(80)
    expect(text).toContain(`USAGE\n  ${node.path.join(" ")}`)
    expect(text).not.toMatch(/--wizard|--log-level|--completions/)
  })

  it("the help of the built executable is the rendered help, on stdout, exit 0", async () => {
    const result = await cli(["versions", "push", "--help"])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(Help.render(CommandTree.find(root, ["versions", "push"]), 80))
  })

  // The words of a help text; a shell example's line continuation (` \`) is not a word.
  const words = (s: string) => s.split(/\s+/).filter((w) => w.length > 0 && w !== "\\")

  it.each([40, 52, 64, 80, 120, 200])("every command at width %i: no line wider, no word cut or lost", (width) => {
    for (const node of commands) {
      const text = Help.render(node, width)
      for (const line of text.split("\n")) {
        expect(line.length, `${node.path.join(" ")}: ${line}`).toBeLessThanOrEqual(width)
      }
      expect(words(text)).toEqual(words(Help.render(node, 1000)))
    }
  })

  it("a wrapped example is still one shell command (continued with \\)", () => {
    const text = Help.render(CommandTree.find(root, ["versions", "create"]), 40)
    expect(text).toContain(
      "  $ effect-apify versions create \\\n      janedoe~my-actor 0.1 --git-repo \\\n  https://github.com/jane/actor#main:src\n"
    )
  })

  it("COLUMNS sets the width (at least 40, at most 120); NO_COLOR help has no escape codes", async () => {
    const node = CommandTree.find(root, ["versions", "push"])
    for (const [columns, width] of [["40", 40], ["20", 40], ["200", 120], ["nonsense", 80]] as const) {
      const result = await cli(["versions", "push", "--help"], { env: { COLUMNS: columns, NO_COLOR: "1" } })
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(Help.render(node, width))
      expect(result.stdout).not.toContain("\u001b")
    }
  })
})

describe("unknown commands and flags", () => {
  // One letter wrong: the last one replaced.
  const typo = (name: string) => `${name.slice(0, -1)}${name.endsWith("q") ? "z" : "q"}`

  it.each(commands.filter((n) => n.children.length > 0).map((n) => [n.path.join(" "), n] as const))(
    "%s: each misspelt command gets did-you-mean with the right one",
    (_, node) => {
      for (const child of node.children) {
        const request = Help.classify(root, [...node.path.slice(1), typo(child.name)])
        expect(request).toMatchObject({ _tag: "Unknown", node })
        expect(request._tag === "Unknown" && request.message).toContain(`Did you mean this?\n  ${child.name}`)
      }
    }
  )

  it.each(commands.filter((n) => n.children.length === 0).map((n) => [n.path.join(" "), n] as const))(
    "%s: each misspelt flag gets did-you-mean with the right one",
    (_, node) => {
      for (const flag of node.flags) {
        const misspelt = `--${flag.name.slice(0, 1)}${flag.name.slice(2)}`
        const request = Help.classify(root, [...node.path.slice(1), misspelt])
        expect(request).toMatchObject({ _tag: "Unknown", node })
        expect(request._tag === "Unknown" && request.message).toMatch(
          new RegExp(`Did you mean this\\?\\n(  .*\\n)*  --${flag.name}(\\n|$)`)
        )
      }
    }
  )

  it("an unknown subcommand gets did-you-mean and the group's own help, exit 2", async () => {
    const result = await cli(["versions", "lst"])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain("Error: unknown command \"lst\" for \"effect-apify versions\"")
    expect(result.stderr).toContain("Did you mean this?\n  list")
    expect(result.stderr).toContain("USAGE\n  effect-apify versions <command> [flags]")
  })

  it("an unknown flag gets did-you-mean and the command's help, exit 2", async () => {
    const result = await cli(["versions", "list", "jane~a", "--jsn"])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("Error: unknown flag --jsn for \"effect-apify versions list\"")
    expect(result.stderr).toContain("Did you mean this?\n  --json")
    expect(result.stderr).toContain("USAGE\n  effect-apify versions list <actor> [flags]")
  })

  it("a value starting with a dash is not taken for a flag", () => {
    expect(Help.classify(root, ["actors", "create", "abc", "--title", "-xy"])).toEqual({
      _tag: "Parse",
      args: ["actors", "create", "abc", "--title", "-xy"]
    })
  })

  it("every flag of every command is accepted", () => {
    for (const node of commands.filter((n) => n.children.length === 0)) {
      for (const flag of node.flags) {
        const args = [...node.path.slice(1), `--${flag.name}`, ...(flag.placeholder === undefined ? [] : ["x"])]
        expect(Help.classify(root, args)).toEqual({ _tag: "Parse", args })
      }
    }
  })
})

describe("short flags", () => {
  it("help shows them beside the long names", () => {
    const text = Help.render(CommandTree.find(root, ["versions", "push"]), 80)
    expect(text).toContain("  -n, --dry-run ")
    expect(text).toContain("  -b, --build-tag <string> ")
    expect(text).toContain("  -j, --json ")
    expect(text).toContain("  -t, --token <string> ")
  })

  it("clustered short flags are accepted; an unknown letter in a cluster is named", () => {
    expect(Help.classify(root, ["versions", "push", "a~b", "-nj", "--", "-nj"])).toEqual({
      _tag: "Parse",
      args: ["versions", "push", "a~b", "--dry-run", "--json", "--", "-nj"]
    })
    const unknown = Help.classify(root, ["versions", "push", "a~b", "-nx"])
    expect(unknown._tag).toBe("Unknown")
    expect(unknown._tag === "Unknown" && unknown.message).toBe("unknown flag -x for \"effect-apify versions push\"")
  })

  it("a value after a short flag that takes one is not taken for a flag", () => {
    expect(Help.classify(root, ["versions", "list", "a~b", "-t", "-odd-token-"])).toEqual({
      _tag: "Parse",
      args: ["versions", "list", "a~b", "--token", "-odd-token-"]
    })
  })

  it("-n -j work end to end: the dry run's body as JSON", async () => {
    const dir = tempDir()
    fs.mkdirSync(path.join(dir, ".actor"))
    fs.writeFileSync(path.join(dir, ".actor", "actor.json"), JSON.stringify({ actorSpecification: 1, version: "0.3" }))
    const result = await cli(["versions", "push", "janedoe~a", dir, "-nj"])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ versionNumber: "0.3", sourceType: "SOURCE_FILES" })
  })
})
