// The second round of an outside attack on `versions push`, each finding as a regression
// test through the built executable against the loopback emulator: links inside the
// directory that led around the exclude rules, a directory swapped for a link between the
// walk and the read, `.actor` as a link to outside, ~/.apify files that are FIFOs or devices,
// forged warning lines, write errors on stdout and misleading messages.
import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, makeHome, ownerToken, type Result, startEmulator, tempDir, writeTree } from "./helpers.js"

let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
const home = makeHome({})
const actor = "owner~attacked-actor"
const marker = "LEAKED-CONTENT-4b1d"

beforeAll(async () => {
  emulator = await startEmulator()
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
  expect((await cli(["actors", "create", "attacked-actor"])).code).toBe(0)
})
afterAll(() => emulator.close())

const killAfter = 20_000

/** The executable, killed after `killAfter`; stdout may go to a file descriptor instead of a pipe. */
const cli = (
  args: ReadonlyArray<string>,
  options: { readonly home?: string; readonly stdout?: number } = {}
): Promise<Result & { readonly millis: number }> =>
  new Promise((resolve, reject) => {
    const started = Date.now()
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: options.home ?? home, ...env },
      stdio: ["ignore", options.stdout ?? "pipe", "pipe"],
      timeout: killAfter,
      killSignal: "SIGKILL"
    })
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr, millis: Date.now() - started }))
  })

const storedFiles = async (version: string) =>
  JSON.parse((await cli(["versions", "get", actor, version, "--json"])).stdout).sourceFiles.map((
    f: { name: string }
  ) => f.name).sort()

describe("versions push after the second attack", () => {
  it("a link inside never leads around the rules: not into .git, node_modules, storage or an ignored file", async () => {
    const dir = writeTree(tempDir(), {
      ".actor/actor.json": JSON.stringify({ version: "0.1" }),
      ".gitignore": ".env\n/lib/secret.txt\nignored/\n",
      ".env": `TOKEN=${marker}`,
      "main.js": "1",
      "lib/ok.js": "2",
      "lib/secret.txt": marker,
      "ignored/a.txt": marker,
      "node_modules/m/index.js": marker,
      "storage/key_value_stores/default/INPUT.json": marker
    })
    execFileSync("git", ["init", "-q", dir])
    fs.writeFileSync(path.join(dir, ".git", "config"), `[remote "origin"]\n\turl = https://user:${marker}@x/r\n`)
    const link = (target: string, name: string) => fs.symlinkSync(target, path.join(dir, name))
    link(".env", "readme.txt")
    link(".git", "gitdir")
    link(".git/config", "cfg")
    link("node_modules", "nm")
    link("storage", "st")
    link("ignored", "notignored")
    link("ignored/a.txt", "a.txt")
    link("lib", "lib2")
    link("lib/ok.js", "ok-link.js")
    const pushed = await cli(["versions", "push", actor, dir])
    expect(pushed.code).toBe(0)
    for (const name of ["readme.txt", "gitdir", "cfg", "nm", "st", "notignored", "a.txt", "lib2/secret.txt"]) {
      expect(pushed.stderr).toMatch(new RegExp(`^Warning: skipped ${name.replace(".", "\\.")}: `, "m"))
    }
    expect(pushed.stderr).toContain("Warning: skipped gitdir: a symbolic link to .git, inside .git; not followed.")
    expect(pushed.stderr).toContain("Warning: skipped readme.txt: a symbolic link to .env, left out by .gitignore")
    expect(JSON.stringify(await emulator.run(emulator.server.emulator.snapshot))).not.toContain(marker)
    expect(await storedFiles("0.1")).toEqual(
      [".actor", ".actor/actor.json", ".gitignore", "lib", "lib/ok.js", "lib2", "lib2/ok.js", "main.js", "ok-link.js"]
    )
  })

  it("a directory swapped for a link to outside between the walk and the reads leaks nothing", async () => {
    const outside = tempDir("effect-apify-swap-outside-")
    const dir = writeTree(tempDir(), { ".actor/actor.json": JSON.stringify({ version: "0.2" }) })
    for (let i = 0; i < 2000; i++) {
      writeTree(dir, { [`sub/f${i}.txt`]: "inside" })
      writeTree(outside, { [`f${i}.txt`]: marker })
    }
    fs.symlinkSync(outside, path.join(dir, "swap"))
    // Swaps sub and the link to outside every 5 ms (two renames each way, microseconds apart).
    const swapper = spawn(process.execPath, [
      "-e",
      `const fs = require("fs"); const [s, l, t] = process.argv.slice(1)
       const nap = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)
       for (;;) { try { fs.renameSync(s, t); fs.renameSync(l, s); nap(); fs.renameSync(s, l); fs.renameSync(t, s); nap() } catch {} }`,
      path.join(dir, "sub"),
      path.join(dir, "swap"),
      path.join(dir, "tmp")
    ], { stdio: "ignore" })
    try {
      let failed = 0
      for (let run = 0; run < 12; run++) {
        const result = await cli(["versions", "push", actor, dir, "--dry-run", "--json"])
        expect(result.stdout + result.stderr).not.toContain(marker)
        if (result.code !== 0) {
          failed++
          expect(result.code).toBe(2)
        }
      }
      console.log(`[swap] ${failed} of 12 runs refused a file that changed while being read`)
    } finally {
      swapper.kill("SIGKILL")
    }
  }, 120_000)

  it("a .actor linked to outside is refused (exit 2); a bad actor.json is not quoted", async () => {
    const outside = writeTree(tempDir("effect-apify-outside-"), { "actor.json": `{"version": "${marker}` })
    const dir = writeTree(tempDir(), { "main.js": "1" })
    fs.symlinkSync(outside, path.join(dir, ".actor"))
    const linked = await cli(["versions", "push", actor, dir, "--dry-run"])
    expect(linked.code).toBe(2)
    expect(linked.stderr).toContain(".actor is a symbolic link to outside the directory; not read")
    expect(linked.stdout + linked.stderr).not.toContain(marker)
    fs.rmSync(path.join(dir, ".actor"))
    writeTree(dir, { ".actor/actor.json": `{"version": ${marker}}` })
    const bad = await cli(["versions", "push", actor, dir, "--dry-run"])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(".actor/actor.json is not valid JSON at line 1, column 13")
    expect(bad.stdout + bad.stderr).not.toContain(marker.slice(0, 8))
  })

  it("~/.apify/secrets.json as a FIFO or auth.json as /dev/zero: exit 2 at once, nothing read", async () => {
    const dir = writeTree(tempDir(), {
      ".actor/actor.json": JSON.stringify({ version: "0.3", environmentVariables: { A: "@a" } })
    })
    const fifoHome = makeHome({})
    execFileSync("mkfifo", [path.join(fifoHome, ".apify", "secrets.json")])
    const fifo = await cli(["versions", "push", actor, dir, "--dry-run"], { home: fifoHome })
    expect(fifo.code).toBe(2)
    expect(fifo.stderr).toContain("secrets.json: it is a FIFO (named pipe), not a regular file")
    expect(fifo.millis).toBeLessThan(10_000)
    const zeroHome = makeHome({})
    fs.symlinkSync("/dev/zero", path.join(zeroHome, ".apify", "auth.json"))
    const zero = await new Promise<Result & { millis: number }>((resolve, reject) => {
      const started = Date.now()
      const child = spawn(process.execPath, [bin, "actors", "list"], {
        env: { PATH: process.env.PATH ?? "", HOME: zeroHome, APIFY_API_BASE_URL: emulator.url },
        stdio: ["ignore", "pipe", "pipe"],
        timeout: killAfter,
        killSignal: "SIGKILL"
      })
      let stderr = ""
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
      child.on("error", reject)
      child.on("close", (code) => resolve({ code, stdout: "", stderr, millis: Date.now() - started }))
    })
    expect(zero.code).toBe(2)
    expect(zero.stderr).toContain("auth.json: it is a character device, not a regular file")
  })

  it("names git takes for its .git folder are never pushed, as versions pull refuses them", async () => {
    const dir = writeTree(tempDir(), {
      "main.js": "1",
      ".GIT/config": "s",
      "git~1/config": "s",
      ".Git. /config": "s",
      "src/.gIt/hooks/pre-commit": "s",
      "x.git/keep": "k",
      ".gitkeep": "k"
    })
    const result = await cli(["versions", "push", actor, dir, "--dry-run", "--json"])
    expect(result.code).toBe(0)
    const names = (JSON.parse(result.stdout) as { sourceFiles: ReadonlyArray<{ name: string }> }).sourceFiles
      .map((file) => file.name)
      .sort()
    expect(names).toEqual([".gitkeep", "main.js", "x.git", "x.git/keep"])
  })

  it("a line break in a file name cannot forge a warning line", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1" })
    execFileSync("mkfifo", [path.join(dir, "x\nWarning: skipped main.js: forged")])
    const result = await cli(["versions", "push", actor, dir, "--dry-run"])
    // a control character in a name is refused (versions pull could not write it back), shown escaped on one line
    expect(result.code).toBe(2)
    expect(result.stderr.split("\n")).toHaveLength(2)
    expect(result.stderr).toContain("the file name x\\nWarning: skipped main.js: forged holds a control character")
  })

  it("a failed write to stdout exits 1 with one line; a reader going away does not", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1" })
    const full = fs.openSync("/dev/full", "w")
    try {
      const result = await cli(["versions", "push", actor, dir, "--dry-run", "--json"], { stdout: full })
      expect(result.code).toBe(1)
      expect(result.stderr).toBe("Error: cannot write the output: no space left on device.\n")
    } finally {
      fs.closeSync(full)
    }
    // 2 MB of JSON into a reader that stops after one byte: EPIPE, quiet, exit 0.
    writeTree(dir, { "big.txt": "x".repeat(2_000_000) })
    const piped = execFileSync(
      "bash",
      [
        "-c",
        `"${process.execPath}" "${bin}" versions push ${actor} "${dir}" --dry-run --json | head -c 1; echo " \${PIPESTATUS[0]}"`
      ],
      { env: { PATH: process.env.PATH ?? "", HOME: home, ...env }, stdio: ["ignore", "pipe", "pipe"] }
    ).toString()
    expect(piped).toBe("{ 0\n")
  })

  // root reads a directory of mode 000 all the same
  it.skipIf(process.getuid?.() === 0)("names an unreadable directory as such", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1", "locked/a.txt": "x", "locked/.gitignore": "b\n" })
    fs.chmodSync(path.join(dir, "locked"), 0)
    try {
      const locked = await cli(["versions", "push", actor, dir, "--dry-run"])
      expect(locked.code).toBe(2)
      expect(locked.stderr).toContain("cannot read the directory locked: permission denied")
    } finally {
      fs.chmodSync(path.join(dir, "locked"), 0o755)
    }
  })

  it("shortens a long path, in plain words; gives exact bytes just over the limit", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1" })
    // 20 nested directories of 250-character names: a path past the system's 4,096 bytes.
    execFileSync(process.execPath, [
      "-e",
      `const fs = require("fs"); process.chdir(process.argv[1])
       for (let i = 0; i < 20; i++) { fs.mkdirSync("${"d".repeat(250)}"); process.chdir("${"d".repeat(250)}") }
       fs.writeFileSync("f.txt", "x")`,
      dir
    ])
    const long = await cli(["versions", "push", actor, dir, "--dry-run"])
    expect(long.code).toBe(2)
    expect(long.stderr).toContain("the path is too long for the system")
    expect(long.stderr.split("\n")[0]!.length).toBeLessThan(300)
    expect(long.stderr).not.toContain("d".repeat(200))
    expect(long.stderr).not.toContain("ENAMETOOLONG")
    const over = writeTree(tempDir(), { "a.txt": "x".repeat(3 * 1024 * 1024 + 3) })
    const result = await cli(["versions", "create", actor, "0.1", "--source-dir", over])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("total 3,145,731 bytes as sent, over the 3,145,728-byte inline limit")
    const zipped = await cli(["versions", "push", actor, over, "--dry-run"])
    expect(zipped.code).toBe(0)
    expect(zipped.stdout).toContain("would upload a zip of 1 file (3.0 MiB, 3,145,731 bytes on disk)")
  })
})
