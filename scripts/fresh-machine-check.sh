#!/usr/bin/env bash
# Runs the README's two commands, exactly as written, on a new minimal Debian 12 that has nothing but the .NET SDK:
# the reference machine of DESIGN.md §6. Packages that a developer's machine keeps from earlier manual installs
# (GTK once hid a missing dependency) cannot help here.
#
#   scripts/fresh-machine-check.sh [--rebuild-base] [--keep] [--only run|test]
#
# How: a Debian 12 minbase root is made once with debootstrap and cached; every check copies it, so each run
# starts fresh (bootstrap.sh's installs never persist). The host's .NET SDK is bind-mounted read-only (with the
# SDK's own Debian dependencies installed in the base, as the SDK's package would), a clean clone of this checkout's
# HEAD goes in, and the two commands run inside with a clean environment. Downloaded .deb and NuGet files are
# cached between runs (they are the same bytes a new machine downloads). Needs root (debootstrap, chroot, mounts);
# re-runs itself through sudo otherwise. Prints PASS/FAIL per command and the time taken; exit 0 only if both pass.
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
if [[ $(id -u) -ne 0 && " $* " != *" -h "* && " $* " != *" --help "* ]]; then
  exec sudo -E "$0" "$@"
fi

rebuild_base=0 keep=0 only=""
while (($#)); do
  case $1 in
    --rebuild-base) rebuild_base=1 ;;
    --keep) keep=1 ;;
    --only) only=${2:?--only needs run or test}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "fresh-machine-check: unknown option '$1' (see --help)." >&2; exit 2 ;;
  esac
  shift
done
if [[ -n $only && $only != run && $only != test ]]; then
  echo "fresh-machine-check: --only takes run or test, not '$only'." >&2
  exit 2
fi

repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)

cache=${SKINLIVE_FRESH_CACHE:-/var/cache/skinlive-fresh-machine}
base=$cache/debian12-base
mirror=${SKINLIVE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
mkdir -p "$cache/apt-archives" "$cache/nuget"

started=$SECONDS
say() { printf 'fresh-machine-check: %s (%ds)\n' "$*" $((SECONDS - started)); }

if ((rebuild_base)) || [[ ! -f $base/.skinlive-base-ready ]]; then
  command -v debootstrap > /dev/null || {
    say "installing debootstrap on the host"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap > /dev/null
  }
  rm -rf "$base"
  say "debootstrap --variant=minbase bookworm into $base"
  debootstrap --variant=minbase --cache-dir="$cache/apt-archives" bookworm "$base" "$mirror" > "$cache/debootstrap.log" 2>&1 ||
    { echo "fresh-machine-check: debootstrap failed; see $cache/debootstrap.log" >&2; exit 1; }
  # What the .NET SDK's own Debian package depends on (a machine "with only the .NET SDK" has these), nothing else.
  cp /etc/resolv.conf "$base/etc/resolv.conf"
  chroot "$base" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    ca-certificates libicu72 libssl3 zlib1g libstdc++6 libgcc-s1 > "$cache/base-packages.log" 2>&1 ||
    { echo "fresh-machine-check: installing the SDK's dependencies failed; see $cache/base-packages.log" >&2; exit 1; }
  chroot "$base" apt-get clean
  touch "$base/.skinlive-base-ready"
fi

work=$(mktemp -d "$cache/run.XXXXXX")
root=$work/root
mounts=()
cleanup() {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2> /dev/null || true; done
  if ((keep)); then echo "fresh-machine-check: kept $root" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
bind() { # bind SRC DEST [ro]
  mkdir -p "$2"
  mount --bind "$1" "$2"
  mounts+=("$2")
  if [[ ${3:-} == ro ]]; then mount -o remount,bind,ro "$2"; fi
}

say "copying the base root"
cp -a "$base" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This workplace reaches package registries through an egress proxy with its own CA: a machine here has it in its
# trust store whatever is installed, so the copy gets it too. It is the network's, not the project's.
if compgen -G '/usr/local/share/ca-certificates/*.crt' > /dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates > /dev/null 2>&1
fi
git clone --quiet "$repo" "$root/src/skinlive"
say "clean clone of $(git -C "$repo" rev-parse --short HEAD) at /src/skinlive"

bind /proc "$root/proc"
bind /sys "$root/sys"
bind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/dev/shm"
mounts+=("$root/dev/shm")
bind "$dotnet_root" "$root/usr/share/dotnet" ro
ln -sf /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"
bind "$cache/apt-archives" "$root/var/cache/apt/archives"
bind "$cache/nuget" "$root/root/.nuget/packages"

inside() {
  chroot "$root" env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ${NUGET_CERT_REVOCATION_MODE:+NUGET_CERT_REVOCATION_MODE=$NUGET_CERT_REVOCATION_MODE} \
    bash -c "cd /src/skinlive && $1"
}

declare -A result
check() { # check NAME COMMAND
  local name=$1 command=$2 log=$cache/$1.log t0=$SECONDS
  say "$name: $command"
  if inside "$command" > "$log" 2>&1; then result[$name]=PASS; else result[$name]=FAIL; fi
  printf 'fresh-machine-check: %s %s in %ds (log: %s)\n' "${result[$name]}" "$name" $((SECONDS - t0)) "$log"
  tail -n 4 "$log" | sed 's/^/    /'
}

readme=$repo/README.md
run_command=$(grep -m1 -E '^    scripts/bootstrap.sh && dotnet run ' "$readme" | sed 's/^ *//')
test_command=$(grep -m1 -E '^    scripts/bootstrap.sh && dotnet test ' "$readme" | sed 's/^ *//')
if [[ -z $run_command || -z $test_command ]]; then
  echo "fresh-machine-check: README.md no longer holds the run and test commands this check runs." >&2
  exit 1
fi

[[ $only == test ]] || check run "$run_command"
[[ $only == run ]] || check test "$test_command"

status=0
for name in "${!result[@]}"; do [[ ${result[$name]} == PASS ]] || status=1; done
say "done: $(for n in run test; do [[ -n ${result[$n]:-} ]] && printf '%s %s  ' "$n" "${result[$n]}"; done)"
exit $status
