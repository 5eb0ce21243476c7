#!/usr/bin/env bash
# Build the Strikemap .deb with cargo-deb and list what it installs.
#
#   scripts/build-deb.sh [extra cargo-deb args...]   e.g. --fast, --no-strip
#
# Installs cargo-deb (`cargo install cargo-deb --locked`) when it is missing.
# Needs [package.metadata.deb] in the root Cargo.toml
# and, for Depends: $auto, dpkg-shlibdeps from Debian's dpkg-dev.
# Honours CARGO_TARGET_DIR; the .deb lands in <target>/debian/.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

if ! grep -q '^\[package\.metadata\.deb\]' Cargo.toml; then
    echo "error: Cargo.toml has no [package.metadata.deb] table" >&2
    exit 1
fi

if ! cargo deb --version >/dev/null 2>&1; then
    echo "cargo-deb not found; installing it with cargo install cargo-deb --locked" >&2
    cargo install cargo-deb --locked
fi

if ! command -v dpkg-shlibdeps >/dev/null 2>&1; then
    echo "warning: dpkg-shlibdeps not found (Debian package dpkg-dev);" \
         "Depends: \$auto will not list shared-library dependencies" >&2
fi

# cargo-deb prints the path of the package it wrote as the last line of stdout.
deb_path="$(cargo deb -p strikemap "$@" | tail -n 1)"
if [ ! -f "$deb_path" ]; then
    echo "error: cargo deb did not report a .deb path (got: '$deb_path')" >&2
    exit 1
fi

echo
echo "Built: $deb_path"
echo
echo "== dpkg-deb --info =="
dpkg-deb --info "$deb_path"
echo
echo "== dpkg -c =="
dpkg -c "$deb_path"
