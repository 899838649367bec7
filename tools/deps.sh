#!/usr/bin/env bash
# Installs the Debian packages cvisor needs, only those missing. Run by make;
# safe to run again.
#   tools/deps.sh         the build and the tests
#   tools/deps.sh bench   the peers `make bench` compares against (gVisor's
#                         runsc, PRoot); the tests never need them
set -euo pipefail
case ${1:-} in
# clang: the libFuzzer harnesses (tools/fuzz), built and run briefly by
# make test too.
'') packages=(musl-tools libseccomp-dev busybox-static bash-static perl clang) ;;
bench) packages=(runsc proot) ;;
*) echo "usage: tools/deps.sh [bench]" >&2; exit 2 ;;
esac
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
install() {
	echo "deps: installing $*"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] || install "${missing[@]}"
[ -z "${1:-}" ] || exit 0
# libFuzzer ships apart from clang in Debian: libclang-rt-N-dev for clang N.
rt=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)
if [ "$rt" = libclang_rt.fuzzer-x86_64.a ] || [ ! -e "$rt" ]; then
	major=$(clang -dumpversion | cut -d. -f1)
	install "libclang-rt-$major-dev"
fi
