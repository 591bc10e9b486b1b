/**
 * Push benchmark: `effect-apify versions push` (the built executable) against a loopback
 * emulator, in a child process each time:
 *
 * - **refused inline**: `versions create --source-dir` of a directory holding a 100 MB file and
 *   10,000 small files. It must end with exit code 2 and name the 100 MB file among the
 *   largest, without reading it (the inline limit is decided from sizes on disk).
 * - **zipped**: `versions push` of the same directory: over the inline limit, it is zipped
 *   (streamed), uploaded to the Actor's key-value store and made a TARBALL version (exit 0).
 * - **zipped, changed, without `--force`**: the same push as a user makes it after editing one
 *   small file: the version's zip is downloaded and compared with the directory first, then
 *   the directory zipped and uploaded.
 * - **zipped, unchanged, without `--force`**: the same push again, nothing edited: the
 *   version's zip is downloaded, every entry inflated and compared by SHA-256, and nothing is
 *   sent (exit 0, "is unchanged" on stderr).
 * - **under the limit**: 10,000 small files (text and binary, 100 folders) totalling less
 *   than 3 MiB as sent. The push must succeed (exit 0) and the version hold every file; and
 *   the same after editing one file, without `--force` (the version's files compared first).
 * - **200 MB**: 20 files of random (incompressible) bytes, zipped and uploaded as TARBALL.
 * - **a large .gitignore**: 2,000 files under a `.gitignore` of 20,000 names and 20,000
 *   `*.ext` lines (each file was tested against every line: 45 s).
 *
 * Every push but the changed and unchanged ones is given `--force`, so that a repeated push is
 * measured, not skipped as unchanged.
 *
 * Baselines measured in the same run, interleaved: `node -e 0`, `effect-apify --version` (Node
 * plus the CLI's code, no work) and a push of a directory holding only `.actor/actor.json` to
 * a version of its own. Each case's wall time (median) and peak memory (the child's own peak
 * resident memory, VmHWM, read in the child at exit: on Linux, getrusage's maxRSS keeps the
 * peak of the process it was spawned from, this one, across exec) are printed as absolute
 * figures and as ratios to both baselines, with the load average. Targets: peak RSS under 150 MB and
 * wall time under 5 s for the 100 MB and 10,000-file cases; peak RSS under 200 MB for 200 MB.
 *
 * Usage: `npx tsx bench/push.ts [--runs N]` (builds packages/cli/dist when it is missing).
 */
import { spawn, spawnSync } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const cliDir = path.join(root, "packages", "cli")
const bin = path.join(cliDir, "dist", "bin.cjs")
const runsArg = process.argv.indexOf("--runs")
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5
interface Target {
  readonly rssMb: number
  readonly ms?: number
}

if (!fs.existsSync(bin)) {
  spawnSync(process.execPath, [path.join(cliDir, "build.mjs")], { stdio: "inherit" })
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-apify-bench-push-"))
const home = path.join(work, "home")
fs.mkdirSync(home)

const writeActor = (dir: string): string => {
  fs.mkdirSync(path.join(dir, ".actor"), { recursive: true })
  fs.writeFileSync(path.join(dir, ".actor", "actor.json"), JSON.stringify({ version: "0.1" }))
  return dir
}

/** 10,000 small files in 100 folders: 9,000 text of 200 bytes, 1,000 binary of 150 bytes. */
const writeSmallFiles = (dir: string): void => {
  const text = "x".repeat(199) + "\n"
  const binary = Buffer.alloc(150, 0xfe)
  for (let folder = 0; folder < 100; folder++) {
    const sub = path.join(dir, `src${folder}`)
    fs.mkdirSync(sub)
    for (let i = 0; i < 100; i++) {
      if (i % 10 === 0) fs.writeFileSync(path.join(sub, `blob${i}.bin`), binary)
      else fs.writeFileSync(path.join(sub, `file${i}.js`), text)
    }
  }
}

/** A 100 MB file of real (not sparse) bytes. */
const writeHugeFile = (file: string): void => {
  const chunk = Buffer.alloc(1024 * 1024, 0x61)
  const fd = fs.openSync(file, "w")
  for (let i = 0; i < 100; i++) fs.writeSync(fd, chunk)
  fs.closeSync(fd)
}

/** 200 MB of random bytes in 20 files: nothing for the zip to squeeze. */
const writeRandomFiles = (dir: string): void => {
  const chunk = Buffer.alloc(1024 * 1024)
  for (let file = 0; file < 20; file++) {
    const fd = fs.openSync(path.join(dir, `random${file}.bin`), "w")
    for (let i = 0; i < 10; i++) fs.writeSync(fd, crypto.randomFillSync(chunk))
    fs.closeSync(fd)
  }
}

const emptyDir = writeActor(path.join(work, "empty"))
const underDir = writeActor(path.join(work, "under"))
writeSmallFiles(underDir)
const overDir = writeActor(path.join(work, "over"))
writeSmallFiles(overDir)
writeHugeFile(path.join(overDir, "huge.dat"))
const randomDir = writeActor(path.join(work, "random"))
writeRandomFiles(randomDir)
/** 2,000 files under a .gitignore of 20,000 names and 20,000 `*.ext` lines (was 45 s: every file against every line). */
const ignoreDir = writeActor(path.join(work, "big-gitignore"))
for (let i = 0; i < 2000; i++) fs.writeFileSync(path.join(ignoreDir, `f${i}.js`), "1\n")
fs.writeFileSync(
  path.join(ignoreDir, ".gitignore"),
  Array.from({ length: 20_000 }, (_, i) => `name${i}.txt\n*.x${i}`).join("\n") + "\n"
)

const emulator = spawn(process.execPath, [bin, "emulator", "--port", "0"], {
  env: { ...process.env, HOME: home },
  stdio: ["ignore", "pipe", "inherit"]
})
const banner = await new Promise<Array<string>>((resolve) => {
  const lines: Array<string> = []
  const reader = createInterface({ input: emulator.stdout })
  reader.on("line", (line) => {
    lines.push(line)
    if (lines.length === 2) {
      reader.close()
      resolve(lines)
    }
  })
})
const env = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  APIFY_API_BASE_URL: banner[0] ?? "",
  APIFY_TOKEN: (banner[1] ?? "").replace(/^token: /, "")
}
const actor = "owner~bench-push"

interface Case {
  readonly name: string
  readonly args: ReadonlyArray<string>
  readonly exitCode: number
  /** what the output must show */
  readonly check?: (stdout: string, stderr: string) => string | undefined
  readonly target?: Target
  /** run before each measurement */
  readonly before?: () => void
}
const push = (dir: string) => [bin, "versions", "push", actor, dir, "--force"]
const tarball = (stdout: string): string | undefined =>
  / zip, /.test(stdout) ? undefined : `the push does not report a zip (TARBALL version): ${stdout.slice(0, 400)}`
const cases: ReadonlyArray<Case> = [
  { name: "node -e 0", args: ["-e", "0"], exitCode: 0 },
  { name: "effect-apify --version", args: [bin, "--version"], exitCode: 0 },
  { name: "push, only actor.json", args: [...push(emptyDir), "--version-number", "0.6"], exitCode: 0 },
  {
    name: "create 100 MB + 10,000 files (refused)",
    args: [bin, "versions", "create", actor, "0.3", "--source-dir", overDir],
    exitCode: 2,
    target: { rssMb: 150, ms: 5000 },
    check: (_, stderr) =>
      stderr.includes("over the 3.0 MiB inline limit; largest: huge.dat (100.0 MiB on disk)")
        ? undefined
        : `the error does not name huge.dat as the largest file: ${stderr.slice(0, 400)}`
  },
  {
    name: "push 100 MB + 10,000 files (zip)",
    args: [...push(overDir), "--version-number", "0.4"],
    exitCode: 0,
    target: { rssMb: 150, ms: 5000 },
    check: tarball
  },
  {
    name: "push 100 MB + 10,000, changed (zip)",
    args: [bin, "versions", "push", actor, overDir, "--version-number", "0.4"],
    exitCode: 0,
    target: { rssMb: 150, ms: 5000 },
    before: () => fs.writeFileSync(path.join(overDir, "src0", "file1.js"), `// edited ${crypto.randomUUID()}\n`),
    check: tarball
  },
  {
    name: "push 100 MB + 10,000, unchanged (zip)",
    args: [bin, "versions", "push", actor, overDir, "--version-number", "0.4"],
    exitCode: 0,
    target: { rssMb: 150, ms: 5000 },
    check: (stdout, stderr) =>
      stdout === "" && stderr.includes("is unchanged: nothing sent")
        ? undefined
        : `the push is not skipped as unchanged: ${(stdout + stderr).slice(0, 400)}`
  },
  {
    name: "push 10,000 files (under)",
    args: push(underDir),
    exitCode: 0,
    target: { rssMb: 150, ms: 5000 },
    check: (stdout) =>
      stdout.includes(": 10001 files,") ? undefined : `the push does not report 10001 files: ${stdout.slice(0, 400)}`
  },
  {
    name: "push 10,000 files, changed",
    args: [bin, "versions", "push", actor, underDir],
    exitCode: 0,
    target: { rssMb: 150, ms: 5000 },
    before: () => fs.writeFileSync(path.join(underDir, "src0", "file1.js"), `// edited ${crypto.randomUUID()}\n`),
    check: (stdout) =>
      stdout.includes(": 10001 files,") ? undefined : `the push does not report 10001 files: ${stdout.slice(0, 400)}`
  },
  {
    name: "push 200 MB random (zip)",
    args: [...push(randomDir), "--version-number", "0.5"],
    exitCode: 0,
    target: { rssMb: 200 },
    check: tarball
  },
  {
    name: "push 2,000 files, 40k-line ignore",
    args: [...push(ignoreDir), "--version-number", "0.2"],
    exitCode: 0,
    check: (stdout) =>
      stdout.includes(": 2002 files,") ? undefined : `the push does not report 2002 files: ${stdout.slice(0, 400)}`
  }
]

// Peak memory: a preload that writes the child's own peak resident memory (KiB) at exit:
// VmHWM, where /proc has it (else maxRSS, which may be this process's own peak).
const preload = path.join(work, "max-rss.cjs")
fs.writeFileSync(
  preload,
  `process.on("exit", () => {
    const fs = require("fs")
    const status = fs.existsSync("/proc/self/status") ? fs.readFileSync("/proc/self/status", "utf8") : ""
    const hwm = /VmHWM:\\s+(\\d+) kB/.exec(status)
    fs.writeFileSync(process.env.BENCH_RSS_FILE, hwm === null ? String(process.resourceUsage().maxRSS) : hwm[1])
  })`
)
const rssFile = path.join(work, "rss.txt")

interface Sample {
  readonly ms: number
  readonly rssMb: number
}
const measure = (c: Case): Sample => {
  c.before?.()
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, ["--require", preload, ...c.args], {
    env: { ...env, BENCH_RSS_FILE: rssFile },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024
  })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== c.exitCode) {
    throw new Error(`${c.name}: exit code ${result.status}, expected ${c.exitCode}: ${result.stderr.slice(0, 400)}`)
  }
  const problem = c.check?.(result.stdout, result.stderr)
  if (problem !== undefined) throw new Error(`${c.name}: ${problem}`)
  return { ms, rssMb: Number(fs.readFileSync(rssFile, "utf8")) / 1024 }
}

const median = (xs: ReadonlyArray<number>): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!

try {
  const created = spawnSync(process.execPath, [bin, "actors", "create", "bench-push"], { env, encoding: "utf8" })
  if (created.status !== 0) throw new Error(`actors create failed: ${created.stderr}`)
  for (const c of cases) measure(c) // warm up (file cache, code cache) and check exit codes
  const samples = cases.map(() => [] as Array<Sample>)
  const loads: Array<number> = []
  for (let i = 0; i < runs; i++) {
    loads.push(os.loadavg()[0]!)
    cases.forEach((c, j) => samples[j]!.push(measure(c)))
  }
  const version = spawnSync(process.execPath, [bin, "versions", "get", actor, "0.1", "--json"], {
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024
  })
  const files = (JSON.parse(version.stdout) as { sourceFiles: Array<{ format?: string }> }).sourceFiles
    .filter((f) => f.format !== undefined).length
  if (files !== 10_001) throw new Error(`the pushed version holds ${files} files, expected 10,001`)

  const figures = cases.map((_, j) => ({
    ms: median(samples[j]!.map((s) => s.ms)),
    rssMb: Math.max(...samples[j]!.map((s) => s.rssMb))
  }))
  const [node, empty] = [figures[0]!, figures[2]!]
  console.log(
    `effect-apify versions push, ${runs} runs each, Node ${process.version}, ${os.cpus().length} CPUs, load average ${
      Math.min(...loads).toFixed(2)
    }-${Math.max(...loads).toFixed(2)} (1 min)`
  )
  console.log(
    `${"case".padEnd(40)} ${"exit".padStart(4)} ${"median".padStart(10)} ${"/node".padStart(7)} ${
      "/empty".padStart(7)
    } ${"peak RSS".padStart(10)} ${"/node".padStart(7)} ${"/empty".padStart(7)}`
  )
  cases.forEach((c, j) => {
    const f = figures[j]!
    console.log(
      `${c.name.padEnd(40)} ${String(c.exitCode).padStart(4)} ${`${f.ms.toFixed(0)} ms`.padStart(10)} ${
        `${(f.ms / node.ms).toFixed(2)}x`.padStart(7)
      } ${`${(f.ms / empty.ms).toFixed(2)}x`.padStart(7)} ${`${f.rssMb.toFixed(1)} MB`.padStart(10)} ${
        `${(f.rssMb / node.rssMb).toFixed(2)}x`.padStart(7)
      } ${`${(f.rssMb / empty.rssMb).toFixed(2)}x`.padStart(7)}`
    )
  })
  let met = true
  cases.forEach((c, j) => {
    if (c.target === undefined) return
    const f = figures[j]!
    const ok = f.rssMb < c.target.rssMb && (c.target.ms === undefined || f.ms < c.target.ms)
    met &&= ok
    const time = c.target.ms === undefined ? "" : ` (target < ${c.target.ms / 1000} s)`
    const each = samples[j]!.map((sample) => sample.rssMb.toFixed(1)).join(", ")
    console.log(
      `${c.name}: peak RSS ${f.rssMb.toFixed(1)} MB (target < ${c.target.rssMb}; runs ${each}), ${
        f.ms.toFixed(0)
      } ms${time}: ${ok ? "met" : "NOT met"}`
    )
  })
  process.exitCode = met ? 0 : 1
} finally {
  emulator.kill("SIGINT")
  fs.rmSync(work, { recursive: true, force: true })
}
