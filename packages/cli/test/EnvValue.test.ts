// `env get` prints the value only, as `gh variable get` and `git config get` do: its bytes
// into a pipe; on a terminal escaped so that it reads back unambiguously (a backslash is
// written `\\`, so the two characters `\n` and a line break differ). `env list` escapes the
// same way.
import { spawn, spawnSync } from "node:child_process"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, cli, emptyHome, ownerToken, startEmulator } from "./helpers.js"

const hasScript = spawnSync("sh", ["-c", "command -v script"]).status === 0
const actor = "owner~value-actor"
let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>

// Three values that must read differently: a backslash-n, a line break, and a backslash.
const values = { TWO_CHARS: "a\\nb", NEWLINE: "a\nb", ESCAPE: "x\u001b[31my\\" }

beforeAll(async () => {
  emulator = await startEmulator()
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
  expect((await cli(["actors", "create", "value-actor"], { env })).code).toBe(0)
  expect((await cli(["versions", "create", actor, "0.1", "--git-repo", "https://g/h"], { env })).code).toBe(0)
  for (const [name, value] of Object.entries(values)) {
    expect((await cli(["env", "set", actor, "0.1", `${name}=${value}`], { env })).code).toBe(0)
  }
})
afterAll(() => emulator.close())

// The executable with stdout on a pseudo-terminal; what the terminal received.
const onTerminal = (args: ReadonlyArray<string>): Promise<string> => {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
  const command = `stty cols 100 -onlcr; exec ${[process.execPath, bin, ...args].map(quote).join(" ")}`
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
      env: { PATH: process.env.PATH ?? "", HOME: emptyHome(), TERM: "xterm", ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let screen = ""
    child.stdout.on("data", (chunk: Buffer) => (screen += chunk.toString()))
    child.on("error", reject)
    child.on("close", () => resolve(screen))
  })
}

describe("env get", () => {
  it("into a pipe: the value's bytes and a newline, nothing else", async () => {
    for (const [name, value] of Object.entries(values)) {
      const result = await cli(["env", "get", actor, "0.1", name], { env })
      expect(result).toEqual({ code: 0, stdout: `${value}\n`, stderr: "" })
    }
  })

  it.skipIf(!hasScript)("on a terminal: escaped, the backslash too, so every value reads back", async () => {
    expect(await onTerminal(["env", "get", actor, "0.1", "TWO_CHARS"])).toBe("a\\\\nb\n")
    expect(await onTerminal(["env", "get", actor, "0.1", "NEWLINE"])).toBe("a\\nb\n")
    expect(await onTerminal(["env", "get", actor, "0.1", "ESCAPE"])).toBe("x\\e[31my\\\\\n")
  })
})

describe("env list", () => {
  it("of no variables: nothing on stdout, the notice on stderr when piped", async () => {
    expect((await cli(["versions", "create", actor, "0.2", "--git-repo", "https://g/h"], { env })).code).toBe(0)
    expect(await cli(["env", "list", actor, "0.2"], { env })).toEqual({
      code: 0,
      stdout: "",
      stderr: "No environment variables.\n"
    })
  })

  it("escapes backslashes in values, so \\n and a line break differ", async () => {
    const result = await cli(["env", "list", actor, "0.1"], { env })
    expect(result.stdout).toBe(
      "NAME       VALUE       SECRET\nTWO_CHARS  a\\\\nb       no\nNEWLINE    a\\nb        no\nESCAPE     x\\e[31my\\\\  no\n"
    )
  })
})
