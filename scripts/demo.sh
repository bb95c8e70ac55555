#!/usr/bin/env bash
# The main job: build the bundled Demo program and debug it through a scripted cordbg
# session: a breakpoint in its loop, its Debugger.Break(), modules and threads, the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
out=tests/out/Demo
if [ ! -f "$out/Demo.dll" ] || [ -n "$(find tests/programs/Demo -newer "$out/Demo.dll" -type f -not -path '*/obj/*' -not -path '*/bin/*' | head -n 1)" ]; then
    echo "== building tests/programs/Demo"
    dotnet build tests/programs/Demo/Demo.csproj -c Debug -o "$out" --nologo -v q >/dev/null
fi
# The loop body's line, found by its marker rather than by number.
line=$(grep -n '@mark:fib' tests/programs/Demo/Program.cs | cut -d: -f1)
cmds=("break Program.cs:$line" run "info breakpoints" "delete 1" continue "info modules" "info threads" continue)
printf '== cordbg --batch'; printf " -ex '%s'" "${cmds[@]}"; printf ' %s\n' "$out/Demo.dll"
args=()
for c in "${cmds[@]}"; do args+=(-ex "$c"); done
exec build/cordbg --batch "${args[@]}" "$out/Demo.dll"
