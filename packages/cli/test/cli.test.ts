// End to end: help, completions, usage errors and the `emulator` command.
import { spawn, spawnSync } from "node:child_process"
import { createInterface } from "node:readline"
import { describe, expect, it } from "vitest"
import { bin, cli, emptyHome } from "./helpers.js"

const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "")

describe("help and usage", () => {
  it("--help lists the commands", async () => {
    const result = await cli(["--help"])
    expect(result.code).toBe(0)
    const text = plain(result.stdout)
    for (const command of ["actors", "versions", "env", "emulator"]) expect(text).toContain(command)
  })

  it.each([
    ["actors", "create"],
    ["versions", "push"],
    ["versions", "update"],
    ["env", "set"]
  ])("%s %s --help shows examples and the common options", async (group, command) => {
    const result = await cli([group, command, "--help"])
    expect(result.code).toBe(0)
    const text = plain(result.stdout)
    expect(text).toContain("EXAMPLES")
    expect(text).toContain(`$ effect-apify ${group} ${command}`)
    for (const option of ["--token", "--base-url", "--json", "--timeout", "--max-retries", "--verbose"]) {
      expect(text).toContain(option)
    }
  })

  it("no colour codes when piped", async () => {
    const result = await cli(["versions", "get", "--help"])
    expect(result.stdout).toContain("USAGE")
    expect(result.stdout).not.toContain("\u001b[")
  })

  it("a base URL that is not http(s) is refused before sending", async () => {
    const result = await cli(["versions", "list", "a~b", "--base-url", "not a url"])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^Error: list versions of a~b failed: the base URL is not an absolute URL \(give one like https:\/\/api\.apify\.com\) \(from --base-url\)\./
    )
  })

  it("usage errors exit with 2", async () => {
    const unknown = await cli(["frobnicate"])
    expect(unknown.code).toBe(2)
    expect(unknown.stdout).toBe("")
    expect(plain(unknown.stderr)).toContain("unknown command \"frobnicate\" for \"effect-apify\"")
    const missing = await cli(["env", "set", "a~b"])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("Missing argument <version>")
    expect(missing.stderr).toContain("Hint: see `effect-apify env set --help`.")
  })

  it.each(["bash", "zsh", "fish"])("completions for %s", async (shell) => {
    const result = await cli(["--completions", shell])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("effect-apify")
    expect(result.stdout).toContain("versions")
  })
})

describe("fast start", () => {
  it("--help loads neither the HTTP stack nor the emulator; a command that needs them does", async () => {
    const fs = await import("node:fs")
    const path = await import("node:path")
    const dir = fs.mkdtempSync(path.join(emptyHome(), "preload-"))
    const preload = path.join(dir, "trace.cjs")
    fs.writeFileSync(
      preload,
      `const Module = require("node:module"); const seen = new Set(); const load = Module._load;
Module._load = function (request, ...rest) { seen.add(request.replace(/^node:/, "")); return load.call(this, request, ...rest) };
process.on("exit", () => require("node:fs").writeFileSync(process.env.TRACE_FILE, JSON.stringify([...seen])))`
    )
    const loaded = (args: ReadonlyArray<string>) => {
      const file = path.join(dir, `${args[0]}-${args.length}.json`)
      spawnSync(process.execPath, ["--require", preload, bin, ...args], {
        env: { PATH: process.env.PATH ?? "", HOME: emptyHome(), TRACE_FILE: file }
      })
      return JSON.parse(fs.readFileSync(file, "utf8")) as Array<string>
    }
    const help = loaded(["--help"])
    expect(help).not.toContain("http")
    expect(help).not.toContain("https")
    expect(help).not.toContain("zlib")
    const get = loaded(["versions", "get", "a~b", "0.1", "--base-url", "http://127.0.0.1:1", "--max-retries", "0"])
    expect(get).toContain("http")
  })
})

describe("interruption", () => {
  it("Ctrl-C during a request ends it with exit code 130 and no output", async () => {
    const net = await import("node:net")
    let connected: () => void = () => {}
    const connection = new Promise<void>((resolve) => (connected = resolve))
    const silent = net.createServer(() => connected()) // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve))
    const port = (silent.address() as { port: number }).port
    const child = spawn(process.execPath, [bin, "versions", "list", "a~b", "--base-url", `http://127.0.0.1:${port}`], {
      env: { PATH: process.env.PATH ?? "", HOME: emptyHome() },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
    await connection // the request is in flight
    child.kill("SIGINT")
    expect(await exited).toBe(130)
    expect(output).toBe("")
    silent.close()
  })
})

describe("emulator", () => {
  it("prints the base URL first, serves until interrupted", async () => {
    const child = spawn(process.execPath, [bin, "emulator", "--port", "0", "--token", "tok_emulator_cmd"], {
      env: { PATH: process.env.PATH ?? "", HOME: emptyHome() },
      stdio: ["ignore", "pipe", "pipe"]
    })
    const lines = createInterface({ input: child.stdout })
    const firstLines: Array<string> = []
    await new Promise<void>((resolve) => {
      lines.on("line", (line) => {
        firstLines.push(line)
        if (firstLines.length === 3) resolve()
      })
    })
    expect(firstLines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(firstLines[1]).toBe("token: tok_emulator_cmd")
    expect(firstLines[2]).toBe("user:  owner (ownerUserId000001)")
    const url = firstLines[0]!
    const created = await cli(["actors", "create", "emu-actor", "--base-url", url, "--token", "tok_emulator_cmd"])
    expect(created.code).toBe(0)
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
    child.kill("SIGINT")
    expect(await exited).toBe(0)
  })

  it("a port in use is a clear error", async () => {
    const net = await import("node:net")
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve))
    const port = (blocker.address() as { port: number }).port
    const result = await cli(["emulator", "--port", String(port)])
    blocker.close()
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^Error: start the emulator failed: .+ Hint: choose another --port/)
  })
})
