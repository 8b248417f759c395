# Sourced by the CLI tests: $1 is the neardup binary, $2 the source tree.
set -euo pipefail
neardup="$1"
src="$2"
corpus="$src/corpora/news"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_exit CODE CMD...: runs CMD, fails unless it exits with CODE; stderr goes to $work/stderr.
expect_exit() {
  local want="$1"
  shift
  local got=0
  "$@" >"$work/stdout" 2>"$work/stderr" || got=$?
  [ "$got" -eq "$want" ] || { cat "$work/stderr" >&2; fail "$* exited $got, expected $want"; }
}

# json_number FILE KEY: the first number after "KEY": in FILE (enough for eval's fixed format).
json_number() {
  grep -o "\"$2\": [-0-9.e]*" "$1" | head -n 1 | sed 's/.*: //'
}
