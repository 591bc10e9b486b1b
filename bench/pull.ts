/**
 * Pull benchmark: `effect-apify versions pull` (the built executable) of a TARBALL version
 * holding 200 MB once inflated (20 files of 10 MB of compressible text, a zip of some 23 MB),
 * against a loopback emulator, into a new directory each time, in a child process.
 *
 * The version is made by `versions push` of the directory (over the inline limit it is zipped
 * and uploaded to the Actor's key-value store). Baselines in the same run, interleaved:
 * `node -e 0` and a pull of a one-file version. Each case's wall time (median) and peak
 * memory (max RSS, read in the child at exit with `process.resourceUsage()`) are printed, with
 * ratios to the baselines. Every pulled tree is compared with the pushed one (sizes).
 *
 * `--compare <bin.cjs>` measures another build of the executable too (e.g. one built from an
 * older commit in a git worktree), in the same interleaved runs.
 *
 * Usage: `npx tsx bench/pull.ts [--runs N] [--compare path/to/dist/bin.cjs]` (builds
 * packages/cli/dist when it is missing).
 */
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const cliDir = path.join(root, "packages", "cli")
const bin = path.join(cliDir, "dist", "bin.cjs")
const option = (name: string) => {
  const at = process.argv.indexOf(name)
  return at > 0 ? process.argv[at + 1] : undefined
}
const runs = Number(option("--runs") ?? 3)
const compare = option("--compare")

if (!fs.existsSync(bin)) spawnSync(process.execPath, [path.join(cliDir, "build.mjs")], { stdio: "inherit" })

const work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-apify-bench-pull-"))
const home = path.join(work, "home")
fs.mkdirSync(home)

const words = ("the quick brown fox jumps over lazy dog actor version build push pull zip file folder " +
  "stream memory bound error clear name input output apify effect layer service span test bench").split(" ")

/** 10 MB of lines of words drawn with a seeded generator: deflates some 8.5 to 1. */
const text = (seed: number): Buffer => {
  let state = seed
  const draw = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32
  const lines: Array<string> = []
  for (let size = 0, line = 0; size < 10_000_000; line++) {
    const next = `${line} ${Array.from({ length: 8 }, () => words[Math.floor(draw() * words.length)]).join(" ")}\n`
    lines.push(next)
    size += next.length
  }
  return Buffer.from(lines.join(""))
}

const writeActor = (dir: string): string => {
  fs.mkdirSync(path.join(dir, ".actor"), { recursive: true })
  fs.writeFileSync(path.join(dir, ".actor", "actor.json"), JSON.stringify({ version: "0.1" }))
  return dir
}
const bigDir = writeActor(path.join(work, "big"))
for (let file = 0; file < 20; file++) fs.writeFileSync(path.join(bigDir, `text${file}.txt`), text(file + 1))
const smallDir = writeActor(path.join(work, "small"))
const inflatedMb = fs.readdirSync(bigDir).reduce(
  (sum, name) => sum + (name.endsWith(".txt") ? fs.statSync(path.join(bigDir, name)).size : 0),
  0
) / 1e6

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
const actor = "owner~bench-pull"

// Peak memory: a preload that writes the child's own max RSS (KiB) at exit.
const preload = path.join(work, "max-rss.cjs")
fs.writeFileSync(
  preload,
  "process.on('exit', () => require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)))"
)
const rssFile = path.join(work, "rss.txt")

interface Case {
  readonly name: string
  /** the arguments, given a fresh directory to pull into */
  readonly args: (into: string) => ReadonlyArray<string>
  /** the files the pulled tree must hold, by name and size */
  readonly tree?: string
}
interface Sample {
  readonly ms: number
  readonly rssMb: number
}

const sizes = (dir: string): string =>
  JSON.stringify(
    fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort().map((name) => {
      const stat = fs.statSync(path.join(dir, name))
      return stat.isFile() ? `${name}:${stat.size}` : name
    })
  )

let pulls = 0
const measure = (c: Case): Sample => {
  const into = path.join(work, `pulled-${pulls++}`)
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, ["--require", preload, ...c.args(into)], {
    env: { ...env, BENCH_RSS_FILE: rssFile },
    encoding: "utf8"
  })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0) throw new Error(`${c.name}: exit code ${result.status}: ${result.stderr.slice(0, 400)}`)
  if (c.tree !== undefined && sizes(into) !== c.tree) throw new Error(`${c.name}: the pulled tree differs`)
  fs.rmSync(into, { recursive: true, force: true })
  return { ms, rssMb: Number(fs.readFileSync(rssFile, "utf8")) / 1024 }
}

const median = (xs: ReadonlyArray<number>): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!

const cli = (args: ReadonlyArray<string>) => {
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: "utf8" })
  if (result.status !== 0) throw new Error(`${args.join(" ")}: ${result.stderr}`)
  return result.stdout
}

try {
  cli(["actors", "create", "bench-pull"])
  const pushed = cli(["versions", "push", actor, bigDir, "--version-number", "0.1"])
  if (!/ zip, /.test(pushed)) throw new Error(`the push did not make a TARBALL version: ${pushed}`)
  cli(["versions", "push", actor, smallDir, "--version-number", "0.2"])
  const pull = (executable: string, version: string) => (into: string) => [
    executable,
    "versions",
    "pull",
    actor,
    version,
    into
  ]
  const cases: ReadonlyArray<Case> = [
    { name: "node -e 0", args: () => ["-e", "0"] },
    { name: "pull, one file (SOURCE_FILES)", args: pull(bin, "0.2") },
    { name: "pull 200 MB (TARBALL)", args: pull(bin, "0.1"), tree: sizes(bigDir) },
    ...(compare === undefined ? [] : [
      { name: `pull 200 MB (TARBALL), --compare`, args: pull(path.resolve(compare), "0.1"), tree: sizes(bigDir) }
    ])
  ]
  for (const c of cases) measure(c) // warm up (file cache, code cache) and check the trees
  const samples = cases.map(() => [] as Array<Sample>)
  const loads: Array<number> = []
  for (let i = 0; i < runs; i++) {
    loads.push(os.loadavg()[0]!)
    cases.forEach((c, j) => samples[j]!.push(measure(c)))
  }
  const figures = cases.map((_, j) => ({
    ms: median(samples[j]!.map((s) => s.ms)),
    rssMb: Math.max(...samples[j]!.map((s) => s.rssMb))
  }))
  const [node, small] = [figures[0]!, figures[1]!]
  console.log(
    `effect-apify versions pull, ${runs} runs each, Node ${process.version}, ${os.cpus().length} CPUs, load average ${
      Math.min(...loads).toFixed(2)
    }-${Math.max(...loads).toFixed(2)} (1 min); TARBALL: ${inflatedMb.toFixed(0)} MB inflated, 20 files`
  )
  console.log(
    `${"case".padEnd(36)} ${"median".padStart(9)} ${"peak RSS".padStart(10)} ${"/node".padStart(6)} ${
      "/1 file".padStart(8)
    } ${"over 1 file".padStart(12)}`
  )
  cases.forEach((c, j) => {
    const f = figures[j]!
    console.log(
      `${c.name.padEnd(36)} ${`${f.ms.toFixed(0)} ms`.padStart(9)} ${`${f.rssMb.toFixed(1)} MB`.padStart(10)} ${
        `${(f.rssMb / node.rssMb).toFixed(2)}x`.padStart(6)
      } ${`${(f.rssMb / small.rssMb).toFixed(2)}x`.padStart(8)} ${
        `${(f.rssMb - small.rssMb).toFixed(1)} MB`.padStart(12)
      }`
    )
  })
} finally {
  emulator.kill("SIGINT")
  fs.rmSync(work, { recursive: true, force: true })
}
