// A directory an attacker would hand to `versions push`, pushed for real through the built
// executable against the loopback emulator: nothing from outside the directory, and no
// token, reaches the emulator or the terminal, and every process ends within `bound` (it is
// killed at `killAfter`, so that a hang fails the test instead of outliving it).
import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, makeHome, ownerToken, type Result, startEmulator, tempDir, writeTree } from "./helpers.js"

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

/** Each push ends within this many milliseconds (on a shared, loaded 2-CPU machine). */
const bound = 10_000
const killAfter = 15_000

/** Runs the executable as `cli` does, killed after `killAfter`; gives how long it took. */
const cli = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly home?: string } = {}
): Promise<Result & { readonly millis: number }> =>
  new Promise((resolve, reject) => {
    const started = Date.now()
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: options.home ?? home, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: killAfter,
      killSignal: "SIGKILL"
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr, millis: Date.now() - started }))
  })

const requests = () => emulator.run(emulator.server.emulator.requestCount)

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
    expect(dry.millis).toBeLessThan(bound)
    expect(pushed.millis).toBeLessThan(bound)
  })

  it("--refuse-outside-links refuses the push (exit 2) and sends nothing", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1" })
    fs.symlinkSync("/etc/passwd", path.join(dir, "passwd"))
    const before = await requests()
    const result = await cli(["versions", "push", actor, dir, "--refuse-outside-links"], { env, home })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("passwd is a symbolic link to outside the directory; refused")
    expect(result.stderr).not.toContain("root:x:0:0")
    expect(await requests()).toBe(before)
    expect(result.millis).toBeLessThan(bound)
  })

  it("names a file whose name is not UTF-8, escaped, and sends nothing; excluded, it is not looked at", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1" })
    fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9]), Buffer.from(".txt")]), "x")
    const before = await requests()
    const result = await cli(["versions", "push", actor, dir], { env, home })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("the file name caf\\xe9.txt is not valid UTF-8")
    expect(await requests()).toBe(before)
    expect(result.millis).toBeLessThan(bound)
    fs.writeFileSync(path.join(dir, ".actorignore"), "caf?.txt\n")
    const excluded = await cli(["versions", "push", actor, dir, "--version-number", "0.5"], { env, home })
    expect(excluded.code).toBe(0)
    expect(excluded.stderr).toBe("")
  })

  it("decides the 3 MiB limit before reading a 100 MB file: --source-dir exits 2, nothing sent, within the bound", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1" })
    const fd = fs.openSync(path.join(dir, "huge.bin"), "w")
    fs.ftruncateSync(fd, 100 * 1024 * 1024)
    fs.closeSync(fd)
    const before = await requests()
    const result = await cli(["versions", "create", actor, "0.9", "--source-dir", dir], { env, home })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("over the 3.0 MiB inline limit; largest: huge.bin (100.0 MiB on disk)")
    expect(await requests()).toBe(before)
    expect(result.millis).toBeLessThan(bound)
  })

  it("a dangling link and a link to /dev/zero that .gitignore lists are not looked at", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1", ".gitignore": "dangling\nzero\n" })
    fs.symlinkSync(path.join(dir, "nowhere"), path.join(dir, "dangling"))
    fs.symlinkSync("/dev/zero", path.join(dir, "zero"))
    const result = await cli(["versions", "push", actor, dir, "--version-number", "0.6", "--json"], { env, home })
    expect(result.stderr).toBe("")
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).sourceFiles.map((f: { name: string }) => f.name).sort()).toEqual([
      ".gitignore",
      "main.js"
    ])
    expect(result.millis).toBeLessThan(bound)
  })

  it("a socket is skipped with a warning; actor.json as a FIFO or a link to outside is refused", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1" })
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(path.join(dir, "sock"), resolve))
    try {
      const pushed = await cli(["versions", "push", actor, dir, "--version-number", "0.7"], { env, home })
      expect(pushed.code).toBe(0)
      expect(pushed.stderr).toBe("Warning: skipped sock: a socket, never opened.\n")
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
    fs.mkdirSync(path.join(dir, ".actor"))
    execFileSync("mkfifo", [path.join(dir, ".actor", "actor.json")])
    const before = await requests()
    const fifo = await cli(["versions", "push", actor, dir], { env, home })
    expect(fifo.code).toBe(2)
    expect(fifo.stderr).toContain("cannot read .actor/actor.json: it is a FIFO (named pipe), not a regular file")
    expect(fifo.millis).toBeLessThan(bound)
    fs.rmSync(path.join(dir, ".actor", "actor.json"))
    fs.symlinkSync("/etc/passwd", path.join(dir, ".actor", "actor.json"))
    const outside = await cli(["versions", "push", actor, dir], { env, home })
    expect(outside.code).toBe(2)
    expect(outside.stderr).toContain(".actor/actor.json is a symbolic link to outside the directory; not read")
    expect(outside.stderr).not.toContain("root:x:0:0")
    expect(await requests()).toBe(before)
  })
})
