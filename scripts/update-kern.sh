#!/usr/bin/env bash
# Refreshes the vendored KERN UX design system (@kern-ux/native, EUPL-1.2)
# under static/vendor/kern from the npm registry. Run by hand when upgrading;
# the app itself never fetches anything at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${1:-$(cat static/vendor/kern/VERSION 2>/dev/null || echo 2.7.2)}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@kern-ux/native@${VERSION}" >/dev/null && tar xzf ./*.tgz)
target=static/vendor/kern
rm -rf "$target"
mkdir -p "$target/fonts"
cp "$work/package/dist/kern.min.css" "$target/"
cp "$work/package/dist/fonts/fira-sans.css" "$target/fonts/"
cp -r "$work/package/dist/fonts/fira-sans" "$target/fonts/"
cp "$work/package/LICENSE.md" "$target/LICENSE.md"
echo "$VERSION" > "$target/VERSION"
echo "KERN UX ${VERSION} vendored into ${target}"
