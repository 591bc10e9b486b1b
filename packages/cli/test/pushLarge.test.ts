// End to end through the binary: a push over the 3 MiB inline limit becomes a TARBALL
// version whose URL serves a zip of exactly the pushed files, byte for byte.
import { unzipSync } from "fflate"
import { spawn, spawnSync } from "node:child_process"
import * as crypto from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, cli, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
const home = makeHome({})
const actor = "owner~large-actor"

const pushed: Record<string, Uint8Array> = {
  ".actor/actor.json": new TextEncoder().encode(
    JSON.stringify({ actorSpecification: 1, name: "large", version: "0.4" })
  ),
  "data/blob.bin": new Uint8Array(crypto.randomBytes(3_500_000)),
  "src/main.js": new TextEncoder().encode("console.log('large')\n"),
  "src/deep/empty.txt": new Uint8Array(0),
  ".gitignore": new TextEncoder().encode("ignored.log\n")
}
const large = writeTree(tempDir(), { ...pushed, "ignored.log": "not sent\n" })
const small = writeTree(tempDir(), { "main.js": "console.log('small')\n" })

const hasScript = spawnSync("script", ["--version"]).status === 0

// Runs the executable with stderr on a pseudo-terminal; gives everything the terminal received.
const onTerminal = (args: ReadonlyArray<string>): Promise<{ code: number | null; screen: string }> => {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
  const command = `stty cols 100; exec ${[process.execPath, bin, ...args].map(quote).join(" ")}`
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
      env: { PATH: process.env.PATH ?? "", HOME: home, TERM: "xterm", ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let screen = ""
    child.stdout.on("data", (chunk: Buffer) => (screen += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, screen }))
  })
}

beforeAll(async () => {
  emulator = await startEmulator()
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
  expect((await cli(["actors", "create", "large-actor"], { env, home })).code).toBe(0)
})
afterAll(() => emulator.close())

describe("versions push over the inline limit", () => {
  it("a small directory stays SOURCE_FILES", async () => {
    const result = await cli(["versions", "push", actor, small, "--version-number", "0.1", "--json"], { env, home })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).sourceType).toBe("SOURCE_FILES")
  })

  it("--dry-run says it would upload a zip of N files (M bytes), and sends nothing", async () => {
    const before = await emulator.run(emulator.server.emulator.requestCount)
    const result = await cli(["versions", "push", actor, large, "--dry-run"], { env, home })
    expect(result.code).toBe(0)
    const bytes = Object.values(pushed).reduce((sum, b) => sum + b.length, 0)
    expect(result.stdout).toContain(
      `Dry run: would upload a zip of 5 files (3.3 MiB, ${
        bytes.toLocaleString("en-US")
      } bytes on disk) and push version 0.4 of ${actor} as TARBALL`
    )
    expect(await emulator.run(emulator.server.emulator.requestCount)).toBe(before)
  })

  it("becomes a TARBALL version whose URL serves a zip of exactly the pushed files", async () => {
    const result = await cli(["versions", "push", actor, large], { env, home })
    expect(result.stderr).toBe("")
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^Created version 0\.4 of owner~large-actor: 5 files, a 3\.3 MiB zip, build tag latest\.\n$/
    )
    const version = JSON.parse((await cli(["versions", "get", actor, "0.4", "--json"], { env, home })).stdout)
    expect(version.sourceType).toBe("TARBALL")
    expect(version.tarballUrl).toMatch(
      new RegExp(`^${emulator.url}/v2/key-value-stores/\\w+/records/version-0\\.4\\.zip`)
    )
    const answer = await fetch(version.tarballUrl, { headers: { authorization: `Bearer ${ownerToken}` } })
    expect(answer.status).toBe(200)
    const entries = unzipSync(new Uint8Array(await answer.arrayBuffer()))
    expect(Object.keys(entries).sort()).toEqual(Object.keys(pushed).sort())
    for (const [name, bytes] of Object.entries(pushed)) {
      expect(Buffer.from(entries[name]!).equals(Buffer.from(bytes)), name).toBe(true)
    }
    writeTree(large, { "src/main.js": "console.log('changed')\n" })
    const again = await cli(["versions", "push", actor, large], { env, home })
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/^Updated version 0\.4 /)
  })

  it("a 40 MB zip (over the emulator's 32 MiB drain bound) arrives whole", async () => {
    const blob = new Uint8Array(crypto.randomBytes(40_000_000))
    const dir = writeTree(tempDir(), { "blob.bin": blob })
    const result = await cli(["versions", "push", actor, dir, "--version-number", "0.5", "--max-retries", "0"], {
      env,
      home
    })
    expect(result.stderr).toBe("")
    expect(result.code).toBe(0)
    const version = JSON.parse((await cli(["versions", "get", actor, "0.5", "--json"], { env, home })).stdout)
    const entries = unzipSync(new Uint8Array(await (await fetch(version.tarballUrl)).arrayBuffer()))
    expect(Buffer.from(entries["blob.bin"]!).equals(Buffer.from(blob))).toBe(true)
  }, 60_000)

  it.skipIf(!hasScript)(
    "on a terminal: a line while zipping, then the upload's, cleared before the result",
    async () => {
      const dir = writeTree(tempDir(), { "blob.bin": new Uint8Array(crypto.randomBytes(3_500_000)) })
      const { code, screen } = await onTerminal(["versions", "push", actor, dir, "--version-number", "0.6"])
      expect(code).toBe(0)
      expect(screen).toMatch(/\| zipping 1 file \(3\.3 MiB\) [\d.]+ s/)
      expect(screen).toMatch(/ uploading a zip of 1 file \(3\.3 MiB\) for version 0\.6[ ,]/)
      expect(screen).toMatch(
        /\r\u001b\[2KCreated version 0\.6 of owner~large-actor: 1 file, a 3\.3 MiB zip, build tag latest\.\r?\n$/
      )
    }
  )
})
