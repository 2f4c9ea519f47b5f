#!/usr/bin/env bash
# Shared by run.sh and test.sh: install missing Debian packages, then configure and build.

# Everything Annotune builds and tests with, all from Debian 12 (Qt Charts' CMake package needs
# the OpenGL development package, which qt6-charts-dev does not pull in). Debian's PyTorch (the same
# 1.13 as libtorch-dev) is the reference train_bench measures against, and torchvision exports the
# TorchScript backbone the engine tests import.
ANNOTUNE_PACKAGES=(
  cmake g++ make pkg-config ccache
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-image-formats-plugins libqt6svg6
  # libtorch's dense layers run on the system BLAS: OpenBLAS (OpenMP build, like libtorch's own
  # threads) is ~10x faster than the reference BLAS that libtorch-dev pulls in by default.
  # libdnnl-dev: the headers of oneDNN, which libtorch's convolutions already run on (libdnnl2).
  libtorch-dev libopenblas0-openmp libdnnl-dev libopencv-dev libspdlog-dev libsqlite3-dev libcli11-dev libsimdjson-dev
  libpoppler-qt6-dev libtesseract-dev tesseract-ocr tesseract-ocr-eng qpdf
  fonts-dejavu-core
  python3-torch python3-torchvision
)

annotune_install() {
  local missing=() pkg
  for pkg in "${ANNOTUNE_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

annotune_build() {
  # ccache keys on paths relative to the checkout, so any clone reuses the cache.
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
  cmake --build build -j"$jobs"
}
