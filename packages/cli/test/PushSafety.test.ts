// A directory an attacker would hand to `versions push`, pushed for real through the built
// executable against the loopback emulator: nothing from outside the directory, and no
// token, reaches the emulator or the terminal, and the process ends promptly.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
const home = makeHome({})
const actor = "owner~hostile-actor"
const outsideSecret = "OUTSIDE-SECRET-7f3a9c"

beforeAll(async () => {
  emulator = await startEmulator()
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
  expect((await cli(["actors", "create", "hostile-actor"], { env, home })).code).toBe(0)
})
afterAll(() => emulator.close())

const hostileTree = () => {
  const outside = tempDir("effect-apify-outside-")
  fs.mkdirSync(path.join(outside, ".apify"))
  fs.writeFileSync(path.join(outside, ".apify", "auth.json"), JSON.stringify({ token: outsideSecret }))
  fs.mkdirSync(path.join(outside, "big"))
  fs.writeFileSync(path.join(outside, "big", "blob.txt"), outsideSecret)
  const dir = writeTree(tempDir(), {
    ".actor/actor.json": JSON.stringify({ version: "0.1" }),
    "main.js": "console.log('inside')\n",
    "lib/real.js": "export const real = 1\n",
    ".gitignore.d/keep": "x"
  })
  const link = (target: string, name: string) => fs.symlinkSync(target, path.join(dir, name))
  link("/etc/passwd", "passwd")
  link(path.join(outside, ".apify", "auth.json"), "auth.json")
  link("/proc/self/environ", "environ")
  link(path.join(outside, "big"), "big")
  link("/usr/lib", "usrlib")
  link(path.join(dir, "nowhere"), "dangling")
  link("loop-b", "loop-a")
  link("loop-a", "loop-b")
  link(".", "self")
  link("lib/real.js", "inside-link.js")
  link("/dev/zero", ".actorignore")
  execFileSync("mkfifo", [path.join(dir, ".gitignore")])
  execFileSync("mkfifo", [path.join(dir, "lib", "pipe.txt")])
  return dir
}

describe("versions push of a hostile directory", () => {
  it("sends only what is inside, warns about the rest, prints no outside content and no token", async () => {
    const dir = hostileTree()
    const started = Date.now()
    const dry = await cli(["versions", "push", actor, dir, "--dry-run", "--json"], { env, home })
    expect(dry.code).toBe(0)
    const body = JSON.parse(dry.stdout)
    const skipped = body.skipped.map((s: { name: string }) => s.name).sort()
    expect(skipped).toEqual(
      [
        ".actorignore",
        ".gitignore",
        "auth.json",
        "big",
        "dangling",
        "environ",
        "lib/pipe.txt",
        "loop-a",
        "loop-b",
        "passwd",
        "self",
        "usrlib"
      ]
        .sort()
    )
    const pushed = await cli(["versions", "push", actor, dir], { env: { ...env, SECRET_PROBE: outsideSecret }, home })
    const elapsed = Date.now() - started
    expect(pushed.code).toBe(0)
    expect(pushed.stderr).toContain("Warning: skipped passwd: a symbolic link to outside the directory, not read.")
    expect(pushed.stderr).toContain("Warning: skipped .gitignore: a FIFO (named pipe), never opened")
    const snapshot = JSON.stringify(await emulator.run(emulator.server.emulator.snapshot))
    for (const printed of [dry.stdout, dry.stderr, pushed.stdout, pushed.stderr]) {
      expect(printed).not.toContain(ownerToken)
      expect(printed).not.toContain(outsideSecret)
      expect(printed).not.toContain("root:x:0:0")
    }
    expect(snapshot).not.toContain(outsideSecret)
    expect(snapshot).not.toContain("root:x:0:0")
    expect(snapshot).not.toContain("APIFY_TOKEN")
    expect(snapshot).toContain("export const real = 1") // the link inside is sent as its target
    const version = JSON.parse(
      (await cli(["versions", "get", actor, "0.1", "--json"], { env, home })).stdout
    )
    expect(version.sourceFiles.map((f: { name: string }) => f.name).sort()).toEqual(
      [
        ".actor",
        ".actor/actor.json",
        ".gitignore.d",
        ".gitignore.d/keep",
        "inside-link.js",
        "lib",
        "lib/real.js",
        "main.js"
      ]
        .sort()
    )
    expect(elapsed).toBeLessThan(20_000)
  })

  it("--refuse-outside-links refuses the push (exit 2) and sends nothing", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1" })
    fs.symlinkSync("/etc/passwd", path.join(dir, "passwd"))
    const before = await emulator.run(emulator.server.emulator.requestCount)
    const result = await cli(["versions", "push", actor, dir, "--refuse-outside-links"], { env, home })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("passwd is a symbolic link to outside the directory; refused")
    expect(await emulator.run(emulator.server.emulator.requestCount)).toBe(before)
  })

  it("names a file whose name is not UTF-8, escaped", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1" })
    fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9]), Buffer.from(".txt")]), "x")
    const result = await cli(["versions", "push", actor, dir, "--dry-run"], { env, home })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("the file name caf\\xe9.txt is not valid UTF-8")
    fs.writeFileSync(path.join(dir, ".actorignore"), "caf?.txt\n")
    expect((await cli(["versions", "push", actor, dir, "--dry-run"], { env, home })).code).toBe(0)
  })

  it("decides the 3 MiB limit before reading a 100 MB file", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1" })
    const fd = fs.openSync(path.join(dir, "huge.bin"), "w")
    fs.ftruncateSync(fd, 100 * 1024 * 1024)
    fs.closeSync(fd)
    const result = await cli(["versions", "push", actor, dir, "--dry-run"], { env, home })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("largest: huge.bin (100.0 MiB on disk)")
  })
})
