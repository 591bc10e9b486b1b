// End to end through the binary: `versions push --build`, `builds create`, `get` and `log`
// against the loopback emulator, whose builds run for 300 ms.
import { spawn } from "node:child_process"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { terminalLog } from "../src/BuildLog.js"
import { bin, cli, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

// Runs `builds create` and sends SIGINT once it has said the build started.
const interrupted = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stderr = ""
    let signalled = false
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
      // once: a second Ctrl-C ends the process at once, as it should
      if (!signalled && stderr.includes("Started build")) {
        signalled = true
        child.kill("SIGINT")
      }
    })
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stderr }))
  })

let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
const home = makeHome({})
const actor = "owner~build-actor"
const good = writeTree(tempDir(), { "main.js": "console.log('hi')\n" })
const failing = writeTree(tempDir(), { "main.js": "console.log('hi')\n", "src/.emulator-build-fail": "" })

beforeAll(async () => {
  emulator = await startEmulator({ buildMillis: 300 })
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
  expect((await cli(["actors", "create", "build-actor"], { env, home })).code).toBe(0)
})
afterAll(() => emulator.close())

describe("builds", () => {
  it("versions push --build exits 0 when the build SUCCEEDED, its log on stderr with --log", async () => {
    const result = await cli(["versions", "push", actor, good, "--version-number", "0.1", "--build", "--log"], {
      env,
      home
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Created version 0\.1 of owner~build-actor: 1 file, 18 B, build tag latest\.\n/)
    expect(result.stdout).toMatch(/\nnumber: +0\.1\.1\n/)
    expect(result.stdout).toMatch(/\nstatus: +SUCCEEDED\n/)
    expect(result.stderr).toMatch(/^Started build 0\.1\.1 \(\w{17}\) of version 0\.1 of owner~build-actor\.\n/)
    expect(result.stderr).toContain("Build finished: SUCCEEDED.")
  })

  it("versions push --build --json prints the version and the build as one document", async () => {
    const result = await cli(["versions", "push", actor, good, "--version-number", "0.1", "--build", "--json"], {
      env,
      home
    })
    expect(result.code).toBe(0)
    const record = JSON.parse(result.stdout)
    expect(record.version.versionNumber).toBe("0.1")
    expect(record.version.sourceType).toBe("SOURCE_FILES")
    expect(record.build.status).toBe("SUCCEEDED")
    expect(record.build.buildNumber).toBe("0.1.2")
    expect(result.stderr).not.toContain("Build finished") // no terminal, no --log
  })

  it("a build that FAILED exits 7, one that was not waited for 0", async () => {
    const pushed = await cli(["versions", "push", actor, failing, "--version-number", "0.2", "--build"], { env, home })
    expect(pushed.code).toBe(7)
    expect(pushed.stdout).toMatch(/\nstatus: +FAILED\n/)
    const again = await cli(["builds", "create", actor, "0.2", "--json"], { env, home })
    expect(again.code).toBe(7)
    expect(JSON.parse(again.stdout).status).toBe("FAILED")
    const started = await cli(["builds", "create", actor, "0.2", "--no-wait", "--json"], { env, home })
    expect(started.code).toBe(0)
    expect(["READY", "RUNNING"]).toContain(JSON.parse(started.stdout).status)
  })

  it("builds create --tag, builds get and builds log", async () => {
    const created = await cli(["builds", "create", actor, "0.1", "--tag", "beta", "--json"], { env, home })
    expect(created.code).toBe(0)
    const build = JSON.parse(created.stdout)
    expect(build.status).toBe("SUCCEEDED")
    const got = await cli(["builds", "get", build.id, "--json"], { env, home })
    expect(got.code).toBe(0)
    expect(JSON.parse(got.stdout)).toEqual(build)
    const table = await cli(["builds", "get", build.id], { env, home })
    expect(table.stdout).toContain(`build:     ${build.id}\n`)
    expect(table.stdout).toMatch(/\nstatus: +SUCCEEDED\n/)
    const log = await cli(["builds", "log", build.id], { env, home })
    expect(log.code).toBe(0)
    expect(log.stdout).toContain(`Build ${build.buildNumber} of version 0.1 started`)
    expect(log.stdout).toContain("Build finished: SUCCEEDED. Tagged \"beta\".")
    expect(log.stderr).toBe("")
  })

  it("builds log --follow reads a running build to its end", async () => {
    const started = await cli(["builds", "create", actor, "0.1", "--no-wait", "--json"], { env, home })
    const id = JSON.parse(started.stdout).id
    const log = await cli(["builds", "log", id, "--follow"], { env, home })
    expect(log.code).toBe(0)
    expect(log.stdout).toContain("Build finished: SUCCEEDED.")
  })

  it("an unknown build: exit 4 with a hint about the build ID", async () => {
    const result = await cli(["builds", "get", "nOsUcHbUiLd000000"], { env, home })
    expect(result.code).toBe(4)
    expect(result.stderr).toContain("Hint: check the build ID (`builds create` prints it)")
  })

  it("Ctrl-C stops the waiting (exit 130); with --abort-on-interrupt the build is aborted", async () => {
    const slow = await startEmulator({ buildMillis: 5000 })
    try {
      const slowEnv = { APIFY_API_BASE_URL: slow.url, APIFY_TOKEN: ownerToken }
      expect((await cli(["actors", "create", "slow-actor"], { env: slowEnv, home })).code).toBe(0)
      const pushed = await cli(["versions", "push", "owner~slow-actor", good, "--version-number", "0.1"], {
        env: slowEnv,
        home
      })
      expect(pushed.code).toBe(0)
      const idOf = (stderr: string) => /Started build [\d.]+ \((\w+)\)/.exec(stderr)?.[1] ?? ""
      const kept = await interrupted(["builds", "create", "owner~slow-actor", "0.1"], slowEnv)
      expect(kept.code).toBe(130)
      const aborted = await interrupted(
        ["builds", "create", "owner~slow-actor", "0.1", "--abort-on-interrupt"],
        slowEnv
      )
      expect(aborted.code).toBe(130)
      const status = async (id: string) =>
        JSON.parse((await cli(["builds", "get", id, "--json"], { env: slowEnv, home })).stdout).status
      expect(["READY", "RUNNING"]).toContain(await status(idOf(kept.stderr)))
      expect(await status(idOf(aborted.stderr))).toBe("ABORTED")
    } finally {
      await slow.close()
    }
  })

  it("a log on a terminal keeps lines and tabs and writes out control sequences", () => {
    expect(terminalLog("step 1\tok\r\nstep 2 \u001b]0;pwned\u0007\u001b[2J\n")).toBe(
      "step 1\tok\nstep 2 \\e]0;pwned\\x07\\e[2J\n"
    )
  })
})
