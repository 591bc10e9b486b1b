// The executable bit survives a push over the inline limit and a pull, as with `apify push`
// (archiver stores each file's mode): the zip records each file's Unix mode (0755 or 0644 only),
// pull writes an executable entry executable, and a `chmod +x` alone is a change that the
// unchanged check and the plan see.
import { spawn, spawnSync } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ZipDirectory from "../src/ZipDirectory.js"
import * as ZipFile from "../src/ZipFile.js"
import { bin, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
const home = makeHome({})
const actor = "owner~modes"

// Deterministic bytes that do not compress: SHA-256 in counter mode over a seed.
const seededBytes = (seed: number, length: number): Buffer => {
  const out = Buffer.alloc(length)
  for (let at = 0, n = 0; at < length; at += 32, n++) {
    crypto.createHash("sha256").update(`${seed}:${n}`).digest().copy(out, at)
  }
  return out
}

// The binary under umask 022, as a user's shell would run it.
const run = (args: ReadonlyArray<string>): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", "umask 022 && exec \"$0\" \"$@\"", process.execPath, bin, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

const modeOf = (file: string) => fs.statSync(file).mode & 0o7777

const source = writeTree(tempDir(), {
  "run.sh": "#!/bin/sh\necho run\n",
  "data.txt": seededBytes(13, 3_500_000),
  "tools/build.sh": "#!/bin/sh\necho build\n"
})
fs.chmodSync(path.join(source, "run.sh"), 0o775)
fs.chmodSync(path.join(source, "tools/build.sh"), 0o4711)
fs.chmodSync(path.join(source, "data.txt"), 0o664)

beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false })
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
  expect((await run(["actors", "create", "modes"])).code).toBe(0)
})
afterAll(() => emulator.close())

describe("the executable bit through push and pull", () => {
  it("is recorded in the zip as Unix attributes (0755/0644), and pulled back", async () => {
    const pushed = await run(["versions", "push", actor, source, "--version-number", "1.0"])
    expect(pushed.stderr).toBe("")
    expect(pushed.stdout).toMatch(/^Created version 1\.0 of owner~modes: 3 files, a 3\.\d MiB zip/)
    const version = JSON.parse((await run(["versions", "get", actor, "1.0", "--json"])).stdout)
    expect(version.sourceType).toBe("TARBALL")
    const zipPath = path.join(tempDir(), "source.zip")
    fs.writeFileSync(zipPath, new Uint8Array(await (await fetch(version.tarballUrl)).arrayBuffer()))

    const directory = ZipDirectory.read(ZipFile.fromBytes(fs.readFileSync(zipPath)))
    expect(directory._tag).toBe("Right")
    if (directory._tag === "Right") {
      expect(Object.fromEntries(directory.right.entries.map((e) => [e.name, e.executable]))).toEqual({
        "data.txt": false,
        "run.sh": true,
        "tools/build.sh": true
      })
    }
    // Another reader of the zip sees the same: "-rwxr-xr-x" in zipinfo's listing.
    const zipinfo = spawnSync("zipinfo", [zipPath], { encoding: "utf8" })
    if (zipinfo.status === 0) {
      const listed = zipinfo.stdout.split("\n").filter((line) => / unx /.test(line))
      expect(listed.map((line) => [line.split(/\s+/).at(-1), line.slice(0, 10)]).sort()).toEqual([
        ["data.txt", "-rw-r--r--"],
        ["run.sh", "-rwxr-xr-x"],
        ["tools/build.sh", "-rwxr-xr-x"]
      ])
    }

    const target = path.join(tempDir(), "pulled")
    const pulled = await run(["versions", "pull", actor, "1.0", target])
    expect(pulled.stderr).toMatch(/^Pulled version 1\.0/)
    expect(pulled.code).toBe(0)
    expect(modeOf(path.join(target, "run.sh"))).toBe(0o755)
    expect(modeOf(path.join(target, "tools/build.sh"))).toBe(0o755)
    expect(modeOf(path.join(target, "data.txt"))).toBe(0o644)
    for (const name of ["run.sh", "tools/build.sh", "data.txt"]) {
      expect(fs.readFileSync(path.join(target, name)).equals(fs.readFileSync(path.join(source, name)))).toBe(true)
    }
  }, 60_000)

  it("a chmod +x alone is a change: the plan shows it and the push is not skipped", async () => {
    const unchanged = await run(["versions", "push", actor, source, "--version-number", "1.0"])
    expect(unchanged.code).toBe(0)
    expect(unchanged.stderr).toContain("is unchanged: nothing sent")
    fs.chmodSync(path.join(source, "data.txt"), 0o744)

    const plan = await run(["versions", "push", actor, source, "--version-number", "1.0", "--plan"])
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain("0 added, 0 removed, 0 changed, 1 mode changed, 2 unchanged")
    expect(plan.stdout).toMatch(/mode changed\s+data\.txt \(executable bit\)/)
    const json = await run(["versions", "push", actor, source, "--version-number", "1.0", "--plan", "--json"])
    const parsed = JSON.parse(json.stdout)
    expect(parsed.unchanged).toBe(false)
    expect(parsed.files).toEqual({ added: [], removed: [], changed: [], modeChanged: ["data.txt"], unchanged: 2 })
    const diff = await run(["versions", "diff", actor, "1.0", source, "--json"])
    expect(JSON.parse(diff.stdout).modeChanged).toEqual(["data.txt"])

    const pushed = await run(["versions", "push", actor, source, "--version-number", "1.0"])
    expect(pushed.stderr).toBe("")
    expect(pushed.code).toBe(0)
    expect(pushed.stdout).toMatch(/^Updated version 1\.0 of owner~modes/)
    const after = await run(["versions", "push", actor, source, "--version-number", "1.0", "--plan"])
    expect(after.stdout).toContain("No changes")
  }, 60_000)
})
