#!/usr/bin/env bash
# Fuzzes one untrusted input of SkinLive with AFL++ and SharpFuzz for N minutes (not run in CI).
#   scripts/fuzz.sh TARGET MINUTES      TARGET: jpeg, manifest, config, csv or v4l2
# Builds fuzz/SkinLive.Fuzz into fuzz/out/TARGET/build, instruments SkinLive's own assemblies there, seeds the
# queue from fuzz/corpus/TARGET and leaves AFL++'s findings in fuzz/out/TARGET/findings (crashes/, hangs/).
# Replay one input:  dotnet fuzz/out/TARGET/build/SkinLive.Fuzz.dll TARGET < FILE
set -euo pipefail
cd "$(dirname "$0")/.."

targets="jpeg manifest config csv v4l2"
target="${1:-}"
minutes="${2:-}"
if [[ ! " $targets " =~ " $target " ]] || [[ ! "$minutes" =~ ^[0-9]+$ ]] || (( minutes < 1 )); then
  echo "usage: scripts/fuzz.sh TARGET MINUTES   (TARGET: ${targets// /, })" >&2
  exit 2
fi

if ! command -v afl-fuzz >/dev/null; then
  echo "fuzz.sh: installing AFL++ (Debian package afl++)" >&2
  sudo_cmd=""
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq afl++ >/dev/null
fi

# The SharpFuzz instrumenter is a local dotnet tool (fuzz/.config/dotnet-tools.json).
(cd fuzz && dotnet tool restore >/dev/null)

out="$PWD/fuzz/out/$target"
build="$out/build"
rm -rf "$build"
mkdir -p "$out"
if ! dotnet build fuzz/SkinLive.Fuzz -c Release -o "$build" -nologo >"$out/build.log" 2>&1; then
  tail -n 30 "$out/build.log" >&2
  exit 1
fi
# Only SkinLive's own code is instrumented (skinlive.dll is the app): coverage of the runtime and libraries would
# drown AFL's map.
for assembly in SkinLive.Core SkinLive.Inference skinlive; do
  (cd fuzz && dotnet sharpfuzz "$build/$assembly.dll")
done

findings="$out/findings"
rm -rf "$findings"
mkdir -p "$findings"
echo "fuzz.sh: $target for $minutes min; findings in $findings" >&2

# .NET is not an AFL-compiled binary (SKIP_BIN_CHECK); its start-up is slow (-t); its heap is large (-m none).
# AFL++ stops by itself after -V seconds; nice keeps a shared machine usable.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export DOTNET_TieredPGO=0
status=0
nice -n 19 afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -t 10000 -m none -V $((minutes * 60)) \
  -- dotnet "$build/SkinLive.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 || status=$?

stats="$findings/default/fuzzer_stats"
if [[ ! -f "$stats" ]]; then
  echo "fuzz.sh: afl-fuzz did not start (exit $status); see $out/afl.log" >&2
  tail -n 30 "$out/afl.log" >&2
  exit 1
fi

crashes=$(find "$findings/default/crashes" -type f -name 'id:*' | wc -l)
hangs=$(find "$findings/default/hangs" -type f -name 'id:*' | wc -l)
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|bitmap_cvg|saved_crashes|saved_hangs) ' "$stats"
echo "fuzz.sh: $target: $crashes crashes, $hangs hangs"
if (( crashes > 0 || hangs > 0 )); then
  echo "fuzz.sh: replay with: dotnet $build/SkinLive.Fuzz.dll $target < $findings/default/crashes/<file>" >&2
  exit 1
fi
