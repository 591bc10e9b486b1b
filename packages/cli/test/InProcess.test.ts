// The command line in process: `Cli.main` with the console the executable uses
// (`PlainConsole`) and the in-memory emulator's HttpClient (`Emulator.layerHttpClient`),
// which `Remote` takes from the context. Each command of a session runs both in process and
// through the built executable against a loopback emulator started the same way; stdout,
// stderr and the exit code must be the same.
import { Emulator } from "@effect-apify/emulator"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { format } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Cli from "../src/Cli.js"
import * as PlainConsole from "../src/PlainConsole.js"
import { cli, ownerToken, type Result, startEmulator, tempDir, writeTree } from "./helpers.js"

let loopback: Awaited<ReturnType<typeof startEmulator>>
// What bin.ts provides, and the emulator's HttpClient.
const environment = Layer.mergeAll(Emulator.layerHttpClient(), NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)
let runtime: ManagedRuntime.ManagedRuntime<Layer.Layer.Success<typeof environment>, never>

beforeAll(async () => {
  loopback = await startEmulator()
  runtime = ManagedRuntime.make(environment)
})
afterAll(async () => {
  await runtime.dispose()
  await loopback.close()
})

/** Runs the command line in process, as `bin.ts` does, and gives what it wrote and its code. */
const inProcess = async (args: ReadonlyArray<string>): Promise<Result> => {
  let stdout = ""
  let stderr = ""
  const capture = Console.consoleWith((console) =>
    Effect.succeed(
      {
        ...console,
        log: (...items: ReadonlyArray<unknown>) => Effect.sync(() => void (stdout += `${format(...items)}\n`)),
        error: (...items: ReadonlyArray<unknown>) => Effect.sync(() => void (stderr += `${format(...items)}\n`))
      } satisfies Console.Console
    )
  )
  const code = await runtime.runPromise(
    Effect.flatMap(capture, (console) =>
      Cli.main(["node", "effect-apify", ...args]).pipe(
        PlainConsole.withPlainConsole,
        Effect.withConsole(console)
      ))
  )
  return { code, stdout, stderr }
}

// The two emulators agree on everything but the clock.
const timeless = (result: Result): Result => ({
  ...result,
  stdout: result.stdout.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<time>")
})

/** Runs `args` in process and through the executable (both with the loopback URL as base URL). */
const both = async (args: ReadonlyArray<string>) => {
  const flags = ["--base-url", loopback.url, "--token", ownerToken]
  const here = timeless(await inProcess([...args, ...flags]))
  const there = timeless(await cli([...args, ...flags]))
  expect(here).toEqual(there)
  return here
}

describe("in process against the in-memory emulator, as the executable", () => {
  it("creates, lists, sets, pushes and fails with the same output and exit codes", async () => {
    const actor = "owner~in-process"
    const created = await both(["actors", "create", "in-process", "--title", "In process"])
    expect(created.code).toBe(0)
    expect(created.stdout).toMatch(/^Created Actor owner~in-process \([A-Za-z0-9]{17}\)\.\n/)

    const version = await both(["versions", "create", actor, "0.1", "--git-repo", "https://g/h", "--env", "A=1"])
    expect(version).toMatchObject({ code: 0, stderr: "" })
    expect(version.stdout).toMatch(/^Created version 0\.1 of owner~in-process\./)

    const listed = await both(["versions", "list", actor])
    expect(listed.stdout).toMatch(
      /^VERSION +SOURCE TYPE +BUILD TAG +ENV VARS +SOURCE\n0\.1 +GIT_REPO +.+https:\/\/g\/h\n$/
    )

    expect(await both(["env", "set", actor, "0.1", "KEY=s3cr3t-value", "--secret"])).toMatchObject({ code: 0 })
    const envs = await both(["env", "list", actor, "0.1", "--json"])
    expect(JSON.parse(envs.stdout)).toEqual([{ name: "A", value: "1", isSecret: false }, {
      name: "KEY",
      isSecret: true
    }])

    const dir = writeTree(tempDir(), {
      ".actor/actor.json": JSON.stringify({ actorSpecification: 1, name: "in-process", version: "0.2" }),
      "main.js": "console.log(1)\n"
    })
    const pushed = await both(["versions", "push", actor, dir])
    expect(pushed).toMatchObject({ code: 0, stderr: "" })
    expect(pushed.stdout).toMatch(/^Created version 0\.2 of owner~in-process: 2 files, \d+ B, build tag latest\.\n$/)

    const secret = await both(["env", "get", actor, "0.1", "KEY"])
    expect(secret.code).toBe(2)
    expect(secret.stdout).toBe("")
    expect(secret.stderr).toMatch(/^Error: get env var KEY .+ failed: KEY is a secret; its value is never shown\./)

    const missing = await both(["versions", "get", actor, "9.9", "--verbose"])
    expect(missing.code).toBe(4)
    expect(missing.stderr).toContain(
      `  request: GET /v2/acts/${actor}/versions/9.9 -> 404 record-not-found (1 attempt)`
    )

    const refused = await both(["actors", "create", "in-process"])
    expect(refused.code).toBe(5)

    const badVersion = await both(["versions", "get", actor, "1.0.0"])
    expect(badVersion.code).toBe(2)
    expect(badVersion.stderr).toMatch(/version number "1\.0\.0" is not valid/)
  })

  it("a refused token and a usage error", async () => {
    const unauthorized = await inProcess(["actors", "list", "--base-url", loopback.url, "--token", "wrong"])
    expect(unauthorized).toEqual(await cli(["actors", "list", "--base-url", loopback.url, "--token", "wrong"]))
    expect(unauthorized.code).toBe(3)
    expect(unauthorized.stderr).toContain("Hint: the token from --token was refused")

    const usage = await inProcess(["versions", "get", "owner~x", "0.1", "--timeout", "-1"])
    expect(usage).toEqual(await cli(["versions", "get", "owner~x", "0.1", "--timeout", "-1"]))
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain("--timeout must be")
    expect(usage.stderr).toMatch(/Hint: see `effect-apify versions get --help`\.\n$/)
  })
})
