#!/usr/bin/env bash
# The main job: build the bundled Demo program and debug it through a scripted cordbg
# session (launch, stop at its Debugger.Break(), list modules and threads, run to the end).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
out=tests/out/Demo
if [ ! -f "$out/Demo.dll" ] || [ -n "$(find tests/programs/Demo -newer "$out/Demo.dll" -type f -not -path '*/obj/*' -not -path '*/bin/*' | head -n 1)" ]; then
    echo "== building tests/programs/Demo"
    dotnet build tests/programs/Demo/Demo.csproj -c Debug -o "$out" --nologo -v q >/dev/null
fi
echo "== cordbg --batch -ex run -ex 'info modules' -ex 'info threads' -ex continue $out/Demo.dll"
exec build/cordbg --batch \
    -ex run \
    -ex 'info modules' \
    -ex 'info threads' \
    -ex continue \
    "$out/Demo.dll"
