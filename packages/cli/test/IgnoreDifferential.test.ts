// Differential tests: the files `versions push` would send, against git's own answer
// (`git ls-files --others --exclude-standard`) on 500 random trees from a seed, with nested
// .gitignore files (negations, directory patterns, anchors, case, `**`, escapes), plus the
// fixed rules of the contract (node_modules never, storage at the root never, .actor/ always);
// then, with a root .actorignore added, against Apify's CLI's way of combining the two (its
// `getActorLocalFilePaths`, apify/apify-cli src/lib/utils.ts, restated in `apifyCli` below).
import * as Effect from "effect/Effect"
import ignore from "ignore"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as SourceDirectory from "../src/SourceDirectory.js"
import { tempDir } from "./helpers.js"

const seed = 20261202
const trees = 500

const random = (state: { s: number }) => () => {
  // mulberry32
  state.s = (state.s + 0x6d2b79f5) | 0
  let t = Math.imul(state.s ^ (state.s >>> 15), 1 | state.s)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const dirNames = ["a", "b", "A", "lib", "src", "d.d", "deep"]
const fileNames = ["x.txt", "X.TXT", "keep.log", "a.log", "b.js", "#x", "!x", "a b", "f1", "a", "lib", "Read.md"]
const patterns = [
  "*.log",
  "!keep.log",
  "*.TXT",
  "x.txt",
  "/a",
  "a/",
  "b/",
  "**/lib",
  "lib/**",
  "src/**/b.js",
  "\\#x",
  "\\!x",
  "!a",
  "!lib/",
  "d*",
  "!*.txt",
  "a b",
  "?.txt",
  "[ab].js",
  "/src/b.js",
  "**/x.txt",
  "deep/**/f1",
  "!/A",
  "*.md",
  "!Read.md",
  "a/**",
  "#comment",
  ""
]

const makeTree = (root: string, next: () => number): void => {
  const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(next() * items.length)]!
  const dirs = [""]
  for (let i = 0; i < 1 + Math.floor(next() * 5); i++) {
    const parent = pick(dirs)
    const dir = parent === "" ? pick(dirNames) : `${parent}/${pick(dirNames)}`
    if (!dirs.includes(dir)) dirs.push(dir)
  }
  for (const dir of dirs) fs.mkdirSync(path.join(root, dir), { recursive: true })
  for (let i = 0; i < 3 + Math.floor(next() * 8); i++) {
    const file = path.join(root, pick(dirs), pick(fileNames))
    if (!fs.existsSync(file)) fs.writeFileSync(file, "x")
  }
  for (const dir of dirs) {
    if (next() < 0.5) continue
    const lines = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(patterns))
    const file = path.join(root, dir, ".gitignore")
    if (!fs.existsSync(file) || fs.statSync(file).isFile()) fs.writeFileSync(file, lines.join("\n") + "\n")
  }
  if (next() < 0.2) {
    fs.mkdirSync(path.join(root, "node_modules", "m"), { recursive: true })
    fs.writeFileSync(path.join(root, "node_modules", "m", "i.js"), "x")
  }
  if (next() < 0.2) {
    fs.mkdirSync(path.join(root, "storage"), { recursive: true })
    fs.writeFileSync(path.join(root, "storage", "s.json"), "{}")
  }
  if (next() < 0.3) {
    fs.mkdirSync(path.join(root, ".actor"), { recursive: true })
    fs.writeFileSync(path.join(root, ".actor", "actor.json"), "{}")
    fs.writeFileSync(path.join(root, ".actor", "a.log"), "x")
  }
}

const filesBelow = (root: string, rel: string): Array<string> =>
  fs.existsSync(path.join(root, rel))
    ? fs.readdirSync(path.join(root, rel), { recursive: true, encoding: "utf8" })
      .map((name) => `${rel}/${name}`)
      .filter((name) => fs.statSync(path.join(root, name)).isFile())
    : []

const actorIgnorePatterns = [
  "*.log",
  "!keep.log",
  "!*.log",
  "lib",
  "!lib/",
  "!lib/keep.log",
  "*.txt",
  "!**/x.txt",
  "!a/",
  "a/**",
  "!deep/**",
  "!src/*.js",
  "!/a",
  "d*",
  "!d*/f1",
  "!?.txt",
  "!b",
  "b/",
  "\\!x",
  "!\\#x",
  "# comment",
  "  *.md  ",
  "!Read.md",
  ""
]

/** Git's own list of the files it does not ignore, below `repo`, by tree. */
const gitListing = (repo: string, globalConfig = "/dev/null"): Map<string, Array<string>> => {
  const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: globalConfig, GIT_CONFIG_NOSYSTEM: "1", HOME: repo }
  execFileSync("git", ["init", "-q"], { cwd: repo, env: gitEnv })
  const listed = execFileSync("git", ["ls-files", "-z", "--others", "--exclude-standard"], {
    cwd: repo,
    env: gitEnv,
    maxBuffer: 64 * 1024 * 1024
  }).toString("utf8").split("\0").filter((name) => name !== "")
  const byTree = new Map<string, Array<string>>()
  for (const name of listed) {
    const slash = name.indexOf("/")
    const tree = name.slice(0, slash)
    byTree.set(tree, [...(byTree.get(tree) ?? []), name.slice(slash + 1)])
  }
  return byTree
}

const fixedExcluded = (name: string): boolean => name.split("/").includes("node_modules") || name.startsWith("storage/")

/**
 * What Apify's CLI pushes (`getActorLocalFilePaths`): every file but the fixed excludes; less
 * what git ignores; less what a non-negated .actorignore line matches (the `ignore` package's
 * `ignores`, parents included); plus, whatever the rest says, what a `!` line matches with the
 * `!` removed; plus .actor/. Lines are trimmed; matching here is case-sensitive, as ours (Apify's
 * CLI ignores case).
 */
const apifyCli = (root: string, notIgnoredByGit: ReadonlyArray<string>): Array<string> => {
  const all = filesBelow(root, "").map((name) => name.slice(1)).filter((name) => !fixedExcluded(name))
  const text = fs.existsSync(path.join(root, ".actorignore"))
    ? fs.readFileSync(path.join(root, ".actorignore"), "utf8")
    : ""
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"))
  const exclude = ignore({ ignorecase: false }).add(lines.filter((line) => !line.startsWith("!")))
  const force = ignore({ ignorecase: false }).add(
    lines.filter((line) => line.startsWith("!")).map((line) => line.slice(1))
  )
  const kept = all.filter((name) => notIgnoredByGit.includes(name) && !exclude.ignores(name))
  const forced = all.filter((name) => force.ignores(name) || name.startsWith(".actor/"))
  return [...new Set([...kept, ...forced])].sort()
}

describe("ignore rules against git", () => {
  it(`match git ls-files on ${trees} random trees (seed ${seed})`, async () => {
    const repo = tempDir("effect-apify-gitdiff-")
    const next = random({ s: seed })
    for (let i = 0; i < trees; i++) {
      fs.mkdirSync(path.join(repo, `t${i}`))
      makeTree(path.join(repo, `t${i}`), next)
    }
    const byTree = gitListing(repo)
    const differences: Array<string> = []
    for (let i = 0; i < trees; i++) {
      const root = path.join(repo, `t${i}`)
      const fromGit = (byTree.get(`t${i}`) ?? []).filter((name) => !fixedExcluded(name) && !name.startsWith(".actor/"))
      const expected = [...new Set([...fromGit, ...filesBelow(root, ".actor")])].sort()
      const collected = await Effect.runPromise(SourceDirectory.collect(root))
      const actual = collected.entries.map((e) => e.name).sort()
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        differences.push(`t${i}: push ${JSON.stringify(actual)} git ${JSON.stringify(expected)}`)
      }
    }
    expect(differences.slice(0, 5)).toEqual([])
    expect(differences.length).toBe(0)
  }, 60_000)

  it(`.actorignore combines with .gitignore as in Apify's CLI on ${trees} trees (seed ${seed + 1})`, async () => {
    const repo = tempDir("effect-apify-actorignore-")
    const next = random({ s: seed + 1 })
    for (let i = 0; i < trees; i++) {
      const root = path.join(repo, `t${i}`)
      fs.mkdirSync(root)
      makeTree(root, next)
      const lines = Array.from(
        { length: 1 + Math.floor(next() * 5) },
        () => actorIgnorePatterns[Math.floor(next() * actorIgnorePatterns.length)]!
      )
      if (next() < 0.9) {
        fs.writeFileSync(path.join(root, ".actorignore"), lines.join(next() < 0.2 ? "\r\n" : "\n") + "\n")
      }
    }
    const byTree = gitListing(repo)
    const differences: Array<string> = []
    let forcedIn = 0
    let excludedByActorIgnore = 0
    for (let i = 0; i < trees; i++) {
      const root = path.join(repo, `t${i}`)
      const fromGit = byTree.get(`t${i}`) ?? []
      const expected = apifyCli(root, fromGit)
      forcedIn += expected.filter((name) => !fromGit.includes(name) && !name.startsWith(".actor/")).length
      excludedByActorIgnore += fromGit.filter((name) => !fixedExcluded(name) && !expected.includes(name)).length
      const collected = await Effect.runPromise(SourceDirectory.collect(root))
      const actual = collected.entries.map((e) => e.name).sort()
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        differences.push(`t${i}: push ${JSON.stringify(actual)} apify ${JSON.stringify(expected)}`)
      }
    }
    expect(differences.slice(0, 5)).toEqual([])
    expect(differences.length).toBe(0)
    console.log(`[actorignore] ${forcedIn} files forced in over .gitignore, ${excludedByActorIgnore} left out`)
    expect(forcedIn).toBeGreaterThan(40) // both kinds of line are exercised
    expect(excludedByActorIgnore).toBeGreaterThan(40)
  }, 60_000)

  it(`match git with rules from outside the pushed directory on ${trees / 5} trees (seed ${seed + 2})`, async () => {
    // The pushed directories are below a work tree whose root .gitignore, .git/info/exclude
    // and core.excludesFile (from GIT_CONFIG_GLOBAL) hold random patterns, some naming the
    // trees by path; some trees' .gitignore is a link, which git does not read.
    const repo = tempDir("effect-apify-gitparent-")
    const next = random({ s: seed + 2 })
    const pick = () => patterns[Math.floor(next() * patterns.length)]!
    const outsidePatterns = [...patterns, "t1*/a/", "/t2*/x.txt", "**/deep/f1", "t*/lib/b.js", "!t3*/keep.log"]
    const lines = (n: number) =>
      Array.from({ length: n }, () => outsidePatterns[Math.floor(next() * outsidePatterns.length)]!)
    execFileSync("git", ["init", "-q"], { cwd: repo, env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" } })
    fs.writeFileSync(path.join(repo, ".gitignore"), lines(6).join("\n") + "\n")
    fs.writeFileSync(path.join(repo, ".git", "info", "exclude"), lines(4).join("\n") + "\n")
    const excludes = path.join(repo, "..", `${path.basename(repo)}-excludes`)
    fs.writeFileSync(excludes, lines(3).join("\n") + "\n")
    const globalConfig = path.join(repo, "..", `${path.basename(repo)}-gitconfig`)
    fs.writeFileSync(globalConfig, `[core]\n\texcludesFile = ${excludes}\n`)
    let linked = 0
    for (let i = 0; i < trees / 5; i++) {
      const root = path.join(repo, `t${i}`)
      fs.mkdirSync(root)
      makeTree(root, next)
      if (next() < 0.3) {
        fs.writeFileSync(path.join(root, "patterns.txt"), [pick(), pick(), "x.txt", "*.js"].join("\n") + "\n")
        fs.rmSync(path.join(root, ".gitignore"), { force: true })
        fs.symlinkSync("patterns.txt", path.join(root, ".gitignore"))
        linked++
      }
    }
    const byTree = gitListing(repo, globalConfig)
    const saved = {
      GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL,
      GIT_CONFIG_NOSYSTEM: process.env.GIT_CONFIG_NOSYSTEM
    }
    process.env.GIT_CONFIG_GLOBAL = globalConfig
    process.env.GIT_CONFIG_NOSYSTEM = "1"
    const differences: Array<string> = []
    try {
      for (let i = 0; i < trees / 5; i++) {
        const root = path.join(repo, `t${i}`)
        const fromGit = (byTree.get(`t${i}`) ?? []).filter((name) =>
          !fixedExcluded(name) && !name.startsWith(".actor/")
        )
        const expected = [...new Set([...fromGit, ...filesBelow(root, ".actor")])].sort()
        const collected = await Effect.runPromise(SourceDirectory.collect(root))
        const actual = collected.entries.map((e) => e.name).sort()
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          differences.push(`t${i}: push ${JSON.stringify(actual)} git ${JSON.stringify(expected)}`)
        }
      }
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key]
        else process.env[key] = value
      }
    }
    expect(linked).toBeGreaterThan(10)
    expect(differences.slice(0, 5)).toEqual([])
    expect(differences.length).toBe(0)
  }, 60_000)
})
