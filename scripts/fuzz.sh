#!/usr/bin/env bash
# Coverage-guided fuzzing of the embedded server's frame, message and msgpack parsers, bounded
# in time: `npm run fuzz -- [seconds per target]` (default 60). Needs a nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`). The stable, always-run version of this is
# crates/server/tests/random_input.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
  exit 2
fi
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "a nightly toolchain is needed: rustup toolchain install nightly" >&2
  exit 2
fi
for target in frame message msgpack; do
  echo "== fuzzing $target for ${secs}s"
  cargo +nightly fuzz run --fuzz-dir fuzz "$target" -- -max_total_time="$secs" -rss_limit_mb=4096
done
