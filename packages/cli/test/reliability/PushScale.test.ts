/**
 * Reliability (CLI): `versions push` of large directories through the built binary.
 *
 * - 140,000 files: the dry run lists them all (a spread of the files into one call overflowed
 *   the call stack past some 130,000);
 * - 60,000 files: SIGINT or SIGTERM one second into the collection ends the process within
 *   two seconds with 130 or 143, for a dry run and for a real push to the loopback emulator
 *   (the walk was one synchronous loop that no signal could interrupt);
 * - a `.gitignore` of 20,000 names or `*.ext` patterns over 2,000 files: the dry run ends
 *   within 10 s (each file was tested against every pattern: 45 s); 20,000 other wildcard
 *   patterns are refused at once (exit 2), past `IgnoreRules.maxWildcardPatterns`.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, makeHome, ownerToken, startEmulator, tempDir } from "../helpers.js"

let emulator: Awaited<ReturnType<typeof startEmulator>>
const home = makeHome({})

beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator.close())

const manyFiles = (count: number): string => {
  const dir = tempDir("effect-apify-scale-")
  fs.mkdirSync(path.join(dir, ".actor"))
  fs.writeFileSync(path.join(dir, ".actor", "actor.json"), JSON.stringify({ version: "0.1" }))
  for (let folder = 0; folder < count / 1000; folder++) {
    fs.mkdirSync(path.join(dir, `d${folder}`))
    for (let i = 0; i < 1000; i++) fs.writeFileSync(path.join(dir, `d${folder}`, `f${i}.txt`), "")
  }
  return dir
}

interface Ended {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly afterSignal: number
}

/** Runs the binary; with `signal`, sends it `atMillis` after the start and times the end from there. */
const run = (
  args: ReadonlyArray<string>,
  signal?: { readonly name: NodeJS.Signals; readonly atMillis: number }
): Promise<Ended> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: home, APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
      killSignal: "SIGKILL"
    })
    let stdout = ""
    let stderr = ""
    let signalledAt = 0
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    if (signal !== undefined) {
      setTimeout(() => {
        signalledAt = Date.now()
        child.kill(signal.name)
      }, signal.atMillis)
    }
    child.on("error", reject)
    child.on("close", (code) =>
      resolve({ code, stdout, stderr, afterSignal: signalledAt === 0 ? -1 : Date.now() - signalledAt }))
  })

describe("versions push at scale", () => {
  it("lists 140,000 files (no call-stack overflow)", async () => {
    const dir = manyFiles(140_000)
    const result = await run(["versions", "push", "owner~scale", dir, "--dry-run", "--json"])
    expect(result.stderr).toBe("")
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).sourceFiles.filter((f: { content?: string }) => "content" in f).length)
      .toBe(140_001)
  }, 300_000)

  it("ends within 2 s of SIGINT or SIGTERM sent 1 s into the collection of 60,000 files", async () => {
    expect((await run(["actors", "create", "scale"])).code).toBe(0)
    const dir = manyFiles(60_000)
    const figures: Array<string> = []
    for (
      const [args, name, code] of [
        [["--dry-run", "--json"], "SIGINT", 130],
        [["--dry-run"], "SIGTERM", 143],
        [[], "SIGINT", 130],
        [[], "SIGTERM", 143]
      ] as const
    ) {
      const ended = await run(["versions", "push", "owner~scale", dir, ...args], { name, atMillis: 1000 })
      figures.push(`${args.join(" ") || "push"} ${name}: exit ${ended.code} ${ended.afterSignal} ms after`)
      expect(ended.code).toBe(code)
      expect(ended.afterSignal).toBeLessThan(2000)
    }
    console.log(`[signals] ${figures.join("; ")}`)
  }, 300_000)

  it("a .gitignore of 20,000 names or *.ext over 2,000 files ends within 10 s; 20,000 wildcards: exit 2", async () => {
    for (const line of [(i: number) => `name${i}.txt`, (i: number) => `*.x${i}`]) {
      const dir = manyFiles(2_000)
      fs.writeFileSync(path.join(dir, ".gitignore"), Array.from({ length: 20_000 }, (_, i) => line(i)).join("\n"))
      const started = Date.now()
      const result = await run(["versions", "push", "owner~scale", dir, "--dry-run", "--json"])
      const millis = Date.now() - started
      console.log(`[gitignore] 20,000 lines like ${line(1)}: ${millis} ms`)
      expect(result.code).toBe(0)
      expect(millis).toBeLessThan(10_000)
    }
    const dir = manyFiles(2_000)
    fs.writeFileSync(path.join(dir, ".gitignore"), Array.from({ length: 20_000 }, (_, i) => `a*b${i}`).join("\n"))
    const refused = await run(["versions", "push", "owner~scale", dir, "--dry-run"])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("the ignore files hold more than 5,000 patterns with wildcards")
  }, 120_000)
})
