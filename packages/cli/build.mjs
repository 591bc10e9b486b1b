// Builds the `effect-apify` executable: one CommonJS bundle (dist/main.cjs) and a small
// launcher (dist/bin.cjs) that compiles the bundle with a V8 code cache, so that a start
// does not pay for parsing and compiling the bundle again. The cache is made here by a
// first `--help` run and rewritten by the launcher whenever V8 rejects it (another Node).
//
// Usage: node build.mjs [--no-cache]
import * as esbuild from "esbuild"
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const dist = path.join(here, "dist")

const writeAtomic = (file, data, mode) => {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  fs.writeFileSync(tmp, data, mode === undefined ? undefined : { mode })
  fs.renameSync(tmp, file)
}

export const build = async ({ cache = true, quiet = false } = {}) => {
  const started = Date.now()
  fs.mkdirSync(dist, { recursive: true })
  const result = await esbuild.build({
    entryPoints: [path.join(here, "src", "bin.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // The workspace's packages from their sources ("module" is esbuild's default, kept).
    conditions: ["@effect-apify/source", "module"],
    // UndiciHttpClient's layer imports undici when built; the CLI never builds it (it sends
    // over node:http), so undici (about 540 KB minified) stays out of the bundle.
    external: ["undici"],
    minify: true,
    legalComments: "none",
    write: false,
    outfile: path.join(dist, "main.cjs"),
    logLevel: "warning",
    metafile: true
  })
  const bundle = result.outputFiles[0].contents
  const hash = createHash("sha256").update(bundle).digest("hex").slice(0, 16)
  const launcher = `#!/usr/bin/env node
"use strict"
// effect-apify launcher: runs main.cjs with a V8 code cache (see packages/cli/build.mjs).
const fs = require("node:fs")
const path = require("node:path")
const vm = require("node:vm")
const Module = require("node:module")
const file = path.join(__dirname, "main.cjs")
const source = fs.readFileSync(file, "utf8")
const useCache = process.env.EFFECT_APIFY_CODE_CACHE !== "0"
// Next to the bundle, or in the user's own cache directory when the bundle's is read-only
// (never a shared directory such as /tmp: a planted cache would run as code).
const cacheName = "main-${hash}-" + process.version + "-" + process.arch + ".v8cache"
const userCache = path.join(
  process.env.XDG_CACHE_HOME || path.join(require("node:os").homedir(), ".cache"),
  "effect-apify"
)
const cacheFiles = [path.join(__dirname, cacheName), path.join(userCache, cacheName)]
let cachedData
if (useCache) {
  for (const candidate of cacheFiles) {
    try {
      cachedData = fs.readFileSync(candidate)
      break
    } catch {}
  }
}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData })
if (useCache && (cachedData === undefined || script.cachedDataRejected)) {
  process.once("exit", () => {
    const data = script.createCachedData()
    for (const candidate of cacheFiles) {
      try {
        if (candidate !== cacheFiles[0]) fs.mkdirSync(path.dirname(candidate), { recursive: true })
        const tmp = candidate + "." + process.pid + ".tmp"
        fs.writeFileSync(tmp, data)
        fs.renameSync(tmp, candidate)
        return
      } catch {}
    }
  })
}
const mod = { exports: {}, id: file, filename: file, loaded: false }
script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, __dirname)
`
  for (const name of fs.readdirSync(dist)) {
    if (name.endsWith(".v8cache") || name.endsWith(".tmp")) fs.rmSync(path.join(dist, name), { force: true })
  }
  writeAtomic(path.join(dist, "main.cjs"), bundle)
  writeAtomic(path.join(dist, "bin.cjs"), launcher, 0o755)
  fs.writeFileSync(path.join(dist, "meta.json"), JSON.stringify(result.metafile))
  if (cache) {
    spawnSync(process.execPath, [path.join(dist, "bin.cjs"), "--help"], {
      stdio: "ignore",
      env: { ...process.env, EFFECT_APIFY_WARM_CACHE: process.env.EFFECT_APIFY_WARM_CACHE ?? "1" }
    })
  }
  if (!quiet) {
    console.log(
      `built dist/bin.cjs + dist/main.cjs (${(bundle.length / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms`
    )
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build({ cache: !process.argv.includes("--no-cache") })
}
