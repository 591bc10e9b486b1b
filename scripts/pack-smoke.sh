#!/usr/bin/env bash
# Packs every package twice, with `pnpm pack` and with `npm pack` (each runs the package's
# `prepack` build), and for each set of tarballs:
# - checks the manifests: entry points that exist in the tarball, no `workspace:` range;
# - installs them into a fresh npm project with exactly the install lines of README.md (read
#   from it here, the package names replaced by the tarballs);
# - type-checks (`"skipLibCheck": false`) and runs the README's example (also read from
#   README.md) against the installed CLI's loopback emulator, as the README says to try it:
#   the first run creates the Actor, the second fails with one `Error:` line and exit code 1;
# - type-checks and runs a program against the emulator's in-memory layer, with `@types/ws`
#   taken away (our declarations must not need it).
# Nothing it starts outlives it: every command it starts carries a marker in its environment
# (`marked`), and the script fails if a process with the marker is left at the end.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/effect-apify-pack.XXXXXX")"
marker="effect-apify-pack-smoke-$$-$RANDOM"
marked() { env EFFECT_APIFY_PACK_SMOKE="$marker" "$@"; }
emulator_pid=""

# The processes carrying the marker (this script itself does not).
leftovers() {
  local environ pid
  for environ in /proc/[0-9]*/environ; do
    if { tr '\0' '\n' <"$environ"; } 2>/dev/null | grep -qx "EFFECT_APIFY_PACK_SMOKE=$marker"; then
      pid="${environ#/proc/}"
      echo "${pid%/environ}"
    fi
  done
}
stop_emulator() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=""
  fi
}
cleanup() {
  local status=$?
  stop_emulator
  local left
  left="$(leftovers)"
  if [ -n "$left" ]; then
    echo "pack smoke: processes it started are still running:" >&2
    for pid in $left; do echo "  $pid $({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null)" >&2; done
    kill $left 2>/dev/null || true
    status=1
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

npm_bin="$(command -v npm)"
node_bin="$(command -v node)"
pnpm() { marked npx -y pnpm@10 "$@"; }
npm() { marked "$npm_bin" "$@"; }
node() { marked "$node_bin" "$@"; }
packages=(domain api emulator cli) # in dependency order: a build reads its dependencies' dist/

echo "== the README's install lines and example"
# The lines of the sh block after <!-- pack-smoke: install -->, the ts block after <!-- pack-smoke: example -->.
block() { awk -v mark="<!-- pack-smoke: $1 -->" '$0 == mark { found = 1; next } found && /^```/ { if (inside) exit; inside = 1; next } inside { print }' "$root/README.md"; }
install_lines="$(block install)"
example="$(block example)"
[ -n "$install_lines" ] || { echo "README.md has no sh block after <!-- pack-smoke: install -->" >&2; exit 1; }
[ -n "$example" ] || { echo "README.md has no ts block after <!-- pack-smoke: example -->" >&2; exit 1; }
echo "$install_lines"

for packer in pnpm npm; do
  echo
  echo "== pack with $packer"
  tarballs="$work/$packer/tarballs"
  mkdir -p "$tarballs"
  for name in "${packages[@]}"; do
    if [ "$packer" = pnpm ]; then
      (cd "$root/packages/$name" && pnpm pack --pack-destination "$tarballs" >/dev/null)
    else
      (cd "$root/packages/$name" && npm pack --silent --pack-destination "$tarballs" >/dev/null)
    fi
  done
  ls "$tarballs"
  node "$root/scripts/pack-smoke/check-tarballs.mjs" "$tarballs"/*.tgz

  echo "== install with the README's lines into a fresh npm project"
  app="$work/$packer/app"
  mkdir -p "$app"
  cd "$app"
  npm init -y >/dev/null
  npm pkg set type=module
  tarball() { echo "$tarballs/effect-apify-$1-0.1.0.tgz"; }
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    for name in "${packages[@]}"; do
      line="${line//@effect-apify\/$name/$(tarball "$name")}"
    done
    echo "\$ $line"
    marked bash -c "$line"
  done <<<"$install_lines"
  # The tools to check it with (not part of what a user installs to use the library).
  npm install --save-dev --no-audit --no-fund --loglevel=error typescript@5.9 @types/node@20

  echo "== type-check and run the README's example against the installed CLI's emulator"
  printf '%s\n' "$example" >main.ts
  cat >tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true,
    "exactOptionalPropertyTypes": true, "skipLibCheck": false, "types": ["node"], "outDir": "out"
  },
  "files": ["main.ts"]
}
JSON
  marked npx tsc -p tsconfig.json
  # The CLI as `npm install -g @effect-apify/cli` would have it: its own directory.
  cli="$work/$packer/cli"
  mkdir -p "$cli"
  (cd "$cli" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$(tarball cli)")
  bin="$cli/node_modules/@effect-apify/cli/dist/bin.cjs"
  [ -x "$cli/node_modules/.bin/effect-apify" ] || { echo "the CLI tarball installs no effect-apify bin" >&2; exit 1; }
  node "$bin" --help >/dev/null
  # The server itself (node), not a wrapper: so that stopping it stops the server.
  env EFFECT_APIFY_PACK_SMOKE="$marker" HOME="$work/$packer" "$node_bin" "$bin" emulator --port 0 >"$work/$packer/emulator.out" 2>"$work/$packer/emulator.err" &
  emulator_pid=$!
  url=""
  for _ in $(seq 1 100); do
    url="$(head -n 1 "$work/$packer/emulator.out" 2>/dev/null || true)"
    case "$url" in http://127.0.0.1:*) break ;; esac
    sleep 0.1
  done
  case "$url" in http://127.0.0.1:*) ;; *) echo "the emulator did not print its URL" >&2; cat "$work/$packer/emulator.err" >&2; exit 1 ;; esac
  token="$(sed -n 's/^token: //p' "$work/$packer/emulator.out")"
  run_example() { APIFY_API_BASE_URL="$url" APIFY_TOKEN="$token" node out/main.js >"$work/$packer/out" 2>"$work/$packer/err"; }
  run_example || { echo "the README's example failed:" >&2; cat "$work/$packer/out" "$work/$packer/err" >&2; exit 1; }
  echo "first run: $(cat "$work/$packer/out")"
  grep -qx 'owner~my-actor has 1 version(s): 0.1' "$work/$packer/out" || { echo "unexpected output" >&2; exit 1; }
  code=0
  run_example || code=$?
  echo "second run (exit $code): $(cat "$work/$packer/err")"
  [ "$code" = 1 ] || { echo "expected exit code 1, got $code" >&2; exit 1; }
  [ "$(wc -l <"$work/$packer/err")" = 1 ] && grep -q '^Error: .*actor-name-not-unique' "$work/$packer/err" \
    || { echo "expected one 'Error: ... actor-name-not-unique' line on stderr" >&2; cat "$work/$packer/err" >&2; exit 1; }
  [ ! -s "$work/$packer/out" ] || { echo "unexpected output on stdout" >&2; exit 1; }
  stop_emulator

  echo "== the emulator's in-memory layer, without @types/ws"
  npm install --save-dev --no-audit --no-fund --loglevel=error "$(tarball emulator)"
  cp "$root/scripts/pack-smoke/program.ts" program.ts
  mv node_modules/@types/ws "$work/$packer/types-ws"
  marked npx tsc --target ES2022 --module NodeNext --moduleResolution NodeNext --strict \
    --exactOptionalPropertyTypes --skipLibCheck false --types node --outDir out program.ts
  mv "$work/$packer/types-ws" node_modules/@types/ws
  out="$(node out/program.js)"
  [ "$out" = "0.1:GIT_REPO" ] || { echo "unexpected program output: $out" >&2; exit 1; }
  echo "program: $out"
done

echo
echo "pack smoke: ok (pnpm pack and npm pack)"
