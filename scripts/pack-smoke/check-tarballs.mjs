// Checks packed tarballs as a registry would serve them: every entry point the manifest
// names (exports, main, types, bin) is a file in the tarball, the README is there, and no
// dependency range is one only a workspace can read (`workspace:`, `link:`, `file:`).
//
// Usage: node check-tarballs.mjs <tarball>...
import { execFileSync } from "node:child_process"
import * as path from "node:path"

const problems = []
// Our own export condition for the workspace's sources is not for users: not checked.
const ownCondition = "@effect-apify/source"

const targets = (exportsField) => {
  if (typeof exportsField === "string") return [exportsField]
  if (exportsField === null || typeof exportsField !== "object") return []
  return Object.entries(exportsField).flatMap(([key, value]) => (key === ownCondition ? [] : targets(value)))
}

for (const tarball of process.argv.slice(2)) {
  const name = path.basename(tarball)
  const files = new Set(execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean))
  const manifest = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }))
  const has = (file) => files.has(`package/${path.posix.normalize(file)}`)
  const entries = [
    ...targets(manifest.exports),
    ...[manifest.main, manifest.types].filter((file) => file !== undefined),
    ...Object.values(typeof manifest.bin === "string" ? { bin: manifest.bin } : manifest.bin ?? {})
  ]
  if (manifest.exports === undefined) problems.push(`${name}: no "exports"`)
  for (const entry of entries) if (!has(entry)) problems.push(`${name}: "${entry}" is named but not in the tarball`)
  if (!has("README.md")) problems.push(`${name}: no README.md`)
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"]) {
    for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|link|file|catalog):/.test(range)) problems.push(`${name}: ${field} ${dependency}@"${range}"`)
    }
  }
  console.log(`${name}: ${files.size} files, entry points ${entries.join(", ")}`)
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem)
  process.exit(1)
}
