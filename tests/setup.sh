#!/bin/bash
# Set-up on a fresh Debian 12 machine (as root): install what skillc and its
# tests need, then configure and build skillc in build/.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
	meson ninja-build pkg-config binutils gcc g++ clang libclang-rt-14-dev
	libyaml-dev libpcre2-dev libzip-dev zlib1g-dev check
	python3 python3-jsonschema python3-yaml valgrind cmark-gfm pandoc make
	clang-format
	python3-docx python3-uno libreoffice-writer-nogui poppler-utils
	fonts-noto-cjk fonts-noto-color-emoji
	cmake man-db groff-base
	gettext locales
)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if ((${#missing[@]})); then
	if [ "$(id -u)" != 0 ]; then
		echo "tests/setup.sh: run as root to install: ${missing[*]}" >&2
		exit 2
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

# The cases run in Chinese too (LANG=zh_CN.UTF-8): the locale must exist.
if ! locale -a 2>/dev/null | grep -qix 'zh_CN.utf-\?8'; then
	if [ "$(id -u)" != 0 ]; then
		echo "tests/setup.sh: run as root to make the zh_CN.UTF-8 locale" >&2
		exit 2
	fi
	localedef -i zh_CN -f UTF-8 zh_CN.UTF-8
fi

[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null
