# TAP helpers for the shell tests. Source from a tests/*.t script.
# CVISOR: the binary under test (make asan points it at the sanitized one).
set -u
cd "$(dirname "$0")/.." || exit 1
TOP=$PWD
CVISOR=${CVISOR:-$TOP/build/cvisor}
case $CVISOR in /*) ;; *) CVISOR=$TOP/$CVISOR ;; esac
# Under build/, not /tmp: the guest has a tmpfs of its own at /tmp.
mkdir -p "$TOP/build"
TMP=$(mktemp -d "$TOP/build/tmp.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
tap_n=0

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); echo "not ok $tap_n - $*"; }
# check DESC CMD...: ok if the command succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
diag() { sed 's/^/# /' >&2; }
done_testing() { echo "1..$tap_n"; }

# cvisor run with a time bound; a hang is a failure, never a stuck suite.
cv() { timeout 60 "$CVISOR" "$@"; }

# A host directory beside a guest's root that no guest may touch: $canary
# holds a file; canary_snapshot prints its listing and contents, to compare
# before and after.
canary_setup() {
	canary=$TMP/outside
	mkdir -p "$canary"
	echo original >"$canary/file"
}
canary_snapshot() { (cd "$canary" && find . -printf '%p %s %T@ %m\n' | sort; cat file); }
