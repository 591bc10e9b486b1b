// Parser habits through the built executable: secrets never echoed, flags written as gh and
// git read them, and every usage error in one `Error: ...` form with the hint on its own line.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, startEmulator } from "./helpers.js"

const token = "apify_api_ArgvTestToken_1234"
let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>

beforeAll(async () => {
  emulator = await startEmulator({ token })
  env = { APIFY_API_BASE_URL: emulator.url }
})
afterAll(() => emulator.close())

const usageError = /^Error: [^\n]+\nHint: see `effect-apify [a-z ]+ --help`\.\n$/

describe("secret values are never printed", () => {
  it.each([
    [["--token=SECRET123", "--token=SECRET456"]],
    [["--token", "SECRET123", "--token", "SECRET456"]],
    [["-tSECRET123", "-t=SECRET456"]],
    [["-t", "SECRET123", "--limit"]],
    [["-xtSECRET123"]],
    [["--token=SECRET123", "--limit", "abc"]],
    [["--token=SECRET123", "--bogus=SECRET456"]]
  ])("actors list %j", async (args) => {
    const result = await cli(["actors", "list", ...args], { env })
    expect(result.code).not.toBe(0)
    expect(result.stdout + result.stderr).not.toMatch(/SECRET\d/)
  })

  it("--secret-env values, repeated or unknown positionals", async () => {
    const result = await cli(
      [
        "versions",
        "create",
        "a~b",
        "0.1",
        "--secret-env=S=VALUE123",
        "--secret-env",
        "T=VALUE456",
        "extra",
        "-t",
        token
      ],
      { env }
    )
    expect(result.code).toBe(2)
    expect(result.stderr).not.toMatch(/VALUE\d/)
    expect(result.stderr).toMatch(usageError)
  })
})

describe("flags as gh and git read them", () => {
  it("the last of a repeated single-valued flag wins; --token=X and -tX are read as the token", async () => {
    for (const form of [["--token=wrong", `--token=${token}`], ["-twrong", `-t=${token}`], ["-t", "x", `-t${token}`]]) {
      const result = await cli(["actors", "list", "--limit", "5", "--limit=7", ...form, "--json", "--json"], { env })
      expect(result.stderr).toBe("")
      expect(result.code).toBe(0)
    }
  })

  it("repeatable flags take NAME=VALUE after =", async () => {
    expect((await cli(["actors", "create", "argv-actor", "-t", token], { env })).code).toBe(0)
    const created = await cli(
      [
        "versions",
        "create",
        "owner~argv-actor",
        "0.1",
        "--git-repo=https://g/h",
        "--env=A=1",
        "--env=B=2=3",
        "--secret-env=S=1",
        "-t",
        token,
        "--json"
      ],
      { env }
    )
    expect(created.stderr).toBe("")
    const names = (JSON.parse(created.stdout) as { envVars: Array<{ name: string; value?: string }> }).envVars
    expect(names.map((v) => [v.name, v.value])).toEqual([["A", "1"], ["B", "2=3"], ["S", undefined]])
  })

  it.each([
    [["actors", "list", "--limit"], "Error: flag needs a value: --limit"],
    [["actors", "list", "--limit", "abc"], "Error: --limit must be a whole number, got 'abc'"],
    [["actors", "list", "--limit", "0x10"], "Error: --limit must be a whole number, got '0x10'"],
    [["actors", "list", "--limit", "1e2"], "Error: --limit must be a whole number, got '1e2'"],
    [["actors", "list", "--limit", "0"], "Error: --limit must be 1 to 1000, got 0"],
    [["env", "set", "a~b"], "Error: Missing argument <version>"],
    [["versions", "get", "a~b", "0.1", "extra"], "Error: Received unknown argument: 'extra'"]
  ])("%j: %s", async (args, message) => {
    const result = await cli(args, { env })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr).toMatch(usageError)
    expect(result.stderr.split("\n")[0]).toBe(message)
  })

  it("a short flag cluster with an unknown letter names that letter", async () => {
    const result = await cli(["actors", "list", "-jE"], { env })
    expect(result.code).toBe(2)
    expect(result.stderr.split("\n")[0]).toBe("Error: unknown flag -E for \"effect-apify actors list\"")
  })

  it("--version prints the version and one newline", async () => {
    expect((await cli(["--version"])).stdout).toBe("0.1.0\n")
  })
})

describe("help and did-you-mean as git and gh", () => {
  it("`help` and `help versions push` print the help on stdout", async () => {
    const root = await cli(["help"])
    expect(root.code).toBe(0)
    expect(root.stdout).toBe((await cli(["--help"])).stdout)
    const push = await cli(["help", "versions", "push"])
    expect(push.code).toBe(0)
    expect(push.stdout).toBe((await cli(["versions", "push", "--help"])).stdout)
    const wrong = await cli(["help", "versions", "nope"])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain("unknown command \"nope\" for \"effect-apify versions\"")
  })

  it.each([
    [["version"], ["versions", "--version"]],
    [["env", "st"], ["set", "list", "get"]],
    [["completions", "bsh"], ["bash", "zsh", "fish"]]
  ])("%j suggests %j", async (args, suggestions) => {
    const result = await cli(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`Did you mean this?\n${suggestions.map((s) => `  ${s}`).join("\n")}\n`)
  })
})
