#!/usr/bin/env bash
# Installs the Debian packages cvisor needs, only those missing. Run by make;
# safe to run again.
#   tools/deps.sh         the build and the tests
#   tools/deps.sh bench   the peers `make bench` compares against (gVisor's
#                         runsc, PRoot); the tests never need them
set -euo pipefail
case ${1:-} in
'') packages=(musl-tools libseccomp-dev busybox-static bash-static perl) ;;
bench) packages=(runsc proot) ;;
*) echo "usage: tools/deps.sh [bench]" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
