#!/usr/bin/env bash
# Packs every package, installs the tarballs with npm into a fresh project outside the
# workspace, type-checks and runs a small program against the emulator layer, and runs the
# installed `effect-apify` binary: `--help`, then one command against a loopback emulator.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/effect-apify-pack.XXXXXX")"
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
pnpm() { npx -y pnpm@10 "$@"; }

echo "== build and pack"
cd "$root"
pnpm -r --filter './packages/*' run build >/dev/null
mkdir -p "$work/tarballs"
for dir in packages/domain packages/api packages/emulator packages/cli; do
  (cd "$dir" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
ls "$work/tarballs"

echo "== install into a fresh project with npm"
mkdir -p "$work/app"
cd "$work/app"
cp "$root/scripts/pack-smoke/program.ts" program.ts
cat > package.json <<'JSON'
{ "name": "pack-smoke-app", "private": true, "type": "module" }
JSON
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true,
    "exactOptionalPropertyTypes": true, "skipLibCheck": false, "types": ["node"], "outDir": "out"
  },
  "files": ["program.ts"]
}
JSON
npm install --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz typescript@5.9 @types/node@20

echo "== type-check and run the program"
npx tsc -p tsconfig.json
out="$(node out/program.js)"
echo "$out"
[ "$out" = "0.1:GIT_REPO" ] || { echo "unexpected program output: $out" >&2; exit 1; }

echo "== the installed CLI"
npx effect-apify --help >/dev/null
npx effect-apify emulator --port 0 --token pack-smoke-token >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 100); do
  url="$(head -n 1 "$work/emulator.out" 2>/dev/null || true)"
  case "$url" in http://127.0.0.1:*) break ;; esac
  sleep 0.1
done
case "$url" in http://127.0.0.1:*) ;; *) echo "the emulator did not print its URL" >&2; cat "$work/emulator.err" >&2; exit 1 ;; esac
created="$(npx effect-apify actors create pack-smoke-cli --base-url "$url" --token pack-smoke-token --json)"
echo "$created" | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>{const a=JSON.parse(s);if(a.name!=="pack-smoke-cli"){console.error("unexpected",s);process.exit(1)}console.log("created",a.username+"~"+a.name)})'
echo "pack smoke: ok"
