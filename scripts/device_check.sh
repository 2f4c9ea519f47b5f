#!/usr/bin/env bash
# Checks the engine against another libtorch, typically an official CUDA build on a GPU machine
# that has no Qt or OpenCV installed:
#   1. compiles every training/engine source against that libtorch (syntax and API only),
#   2. builds tests/training/device_check from the engine's torch-only sources (the models, the
#      update step) and runs it on --device.
# The project's headers come from the checkout; Qt, OpenCV, spdlog and fmt headers from this
# machine's /usr/include or from a tarball made with --pack-headers on a machine that has them.
#
#   scripts/device_check.sh --pack-headers FILE.tar.xz        (on a Debian machine with the packages)
#   scripts/device_check.sh [--torch DIR] [--headers FILE.tar.xz] [--device cuda|cpu] [--steps N]
#                           [--abi 0|1] [--jobs N] [--no-syntax] [--throughput]
# --torch: a libtorch folder (include/, lib/) or the torch folder of a Python installation; by
# default that of python3's torch. --abi: _GLIBCXX_USE_CXX11_ABI of that libtorch; by default read
# from python3's torch, else 1.
set -euo pipefail
cd "$(dirname "$0")/.."

torch_dir="" headers="" device=cuda steps=60 abi="" jobs=$(nproc) syntax=1 extra=()
while [ $# -gt 0 ]; do
    case "$1" in
    --pack-headers)
        out=$(realpath -m "$2")
        (cd /usr/include && tar -cJf "$out" x86_64-linux-gnu/qt6/QtCore x86_64-linux-gnu/qt6/QtGui \
            x86_64-linux-gnu/qt6/QtConcurrent opencv4 spdlog fmt)
        echo "headers: $out ($(du -h "$out" | cut -f1))"
        exit 0 ;;
    --torch) torch_dir=$2; shift ;;
    --headers) headers=$2; shift ;;
    --device) device=$2; shift ;;
    --steps) steps=$2; shift ;;
    --abi) abi=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --no-syntax) syntax=0 ;;
    --throughput) extra+=(--throughput) ;;
    *) echo "device_check.sh: unknown argument $1" >&2; exit 1 ;;
    esac
    shift
done

if [ -z "$torch_dir" ]; then
    torch_dir=$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))' 2>/dev/null) ||
        { echo "device_check.sh: no --torch given and python3 has no torch" >&2; exit 1; }
fi
[ -d "$torch_dir/include/torch" ] && [ -d "$torch_dir/lib" ] ||
    { echo "device_check.sh: $torch_dir: not a libtorch folder (no include/torch or lib)" >&2; exit 1; }
if [ -z "$abi" ]; then
    abi=$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))' 2>/dev/null || echo 1)
fi

work=$(mktemp -d /tmp/annotune-device-check.XXXXXX)
inc=/usr/include
if [ -n "$headers" ]; then
    tar -xJf "$headers" -C "$work"
    inc=$work
fi
qt=$inc/x86_64-linux-gnu/qt6
[ -f "$qt/QtCore/QString" ] || { echo "device_check.sh: no Qt headers under $qt" >&2; exit 1; }

cxx=${CXX:-g++}
flags=(-std=c++20 -O2 -fPIC -D_GLIBCXX_USE_CXX11_ABI="$abi" -DQT_NO_DEBUG -DANNOTUNE_VERSION=\"device-check\" -DQT_NO_KEYWORDS -DQT_NO_CAST_FROM_BYTEARRAY -I. -I"$qt" -I"$qt/QtCore" -I"$qt/QtGui"
       -I"$qt/QtConcurrent" -I"$inc/opencv4" $([ "$inc" = /usr/include ] || echo "-I$inc") -isystem "$torch_dir/include"
       -isystem "$torch_dir/include/torch/csrc/api/include" -Wno-deprecated-declarations)
echo "compiler: $($cxx --version | head -1)"
echo "libtorch: $torch_dir (C++11 ABI $abi)"
status=0

if [ "$syntax" = 1 ]; then
    echo "== every engine source against this libtorch"
    for src in training/engine/*.cpp; do
        ( $cxx "${flags[@]}" -fsyntax-only "$src" > "$work/$(basename "$src").log" 2>&1 || echo fail > "$work/$(basename "$src").failed" ) &
        while [ "$(jobs -r | wc -l)" -ge "$jobs" ]; do sleep 0.2; done
    done
    wait
    for src in training/engine/*.cpp; do
        name=$(basename "$src")
        if [ -f "$work/$name.failed" ]; then
            echo "  $src: FAILED"; grep -m 20 -E "error" "$work/$name.log" || tail -20 "$work/$name.log"; status=1
        else
            echo "  $src: ok"
        fi
    done
fi

echo "== device_check"
sources=(tests/training/device_check.cpp training/engine/detector.cpp training/engine/detectorruntime.cpp
         training/engine/extractor.cpp training/engine/pagefeatures.cpp training/engine/step.cpp training/engine/fusedadamw.cpp
         training/engine/backbone.cpp training/engine/activations.cpp training/engine/detectorplan.cpp
         training/engine/winogradconv.cpp training/engine/inferencelinear.cpp)
objects=()
for src in "${sources[@]}"; do
    obj=$work/$(basename "$src" .cpp).o
    objects+=("$obj")
    $cxx "${flags[@]}" -c "$src" -o "$obj" &
done
wait
for obj in "${objects[@]}"; do
    [ -f "$obj" ] || { echo "device_check.sh: $obj was not built" >&2; exit 1; }
done
libs=(-ltorch -ltorch_cpu -lc10)
[ -f "$torch_dir/lib/libtorch_cuda.so" ] && libs+=(-ltorch_cuda -lc10_cuda)
# The models' sources reference Qt (and the logger) only on paths the check never takes: imported
# backbone files, page text. Each symbol that neither the objects nor libtorch and its dependencies
# define gets a stub that aborts if called. libtorch_cuda must stay linked although nothing names it
# (it registers the CUDA kernels).
closure=$(for l in "${libs[@]}"; do f=$torch_dir/lib/lib${l#-l}.so; echo "$f"; ldd "$f" | awk '{for (i = 1; i <= NF; ++i) if ($i ~ /^\//) print $i}'; done | sort -u)
nm -D --defined-only $closure 2>/dev/null | awk 'NF >= 3 {print $3}' | sed 's/@.*//' | sort -u > "$work/provided"
nm --defined-only "${objects[@]}" | awk 'NF >= 3 {print $3}' | sort -u > "$work/own"
nm -u "${objects[@]}" | awk '$1 == "U" {print $2}' | sed 's/@.*//' | sort -u | comm -23 - "$work/provided" | comm -23 - "$work/own" | grep -v -x -e _GLOBAL_OFFSET_TABLE_ -e __dso_handle > "$work/missing" || true
link=(-L"$torch_dir/lib" -Wl,-rpath,"$torch_dir/lib" -Wl,--copy-dt-needed-entries -Wl,--no-as-needed "${libs[@]}" -Wl,--as-needed -lpthread)
if [ -s "$work/missing" ]; then
    echo "stubs for $(wc -l < "$work/missing") symbols outside libtorch (Qt, logging), never called by the check"
    { echo '#include <stdio.h>'; echo '#include <stdlib.h>'
      while read -r sym; do echo "void $sym(void) { fputs(\"device_check: called a stub: $sym\\n\", stderr); abort(); }"; done < "$work/missing"
    } > "$work/stubs.c"
    gcc -shared -fPIC -w -o "$work/libdevicecheckstubs.so" "$work/stubs.c"
    link+=(-L"$work" -Wl,-rpath,"$work" -ldevicecheckstubs)
fi
$cxx "${objects[@]}" -o "$work/device_check" "${link[@]}"
"$work/device_check" --device "$device" --steps "$steps" "${extra[@]}" || status=$?
[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
exit $status
