#!/usr/bin/env bash
# Installs the Debian packages SkinLive needs: everything the app, the benchmarks and the test suite load (a test,
# NativeDependencyClosureTests, holds this list to what the build loads). Idempotent: returns at once when
# everything is present. Packages are installed without Recommends, so each one the closure needs is named here.
set -euo pipefail

packages=(
  # GL: headless EGL (Mesa llvmpipe), GLES, window + input; GLFW opens GL and the X extensions at run time
  libglfw3 libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri libgl1 libx11-6 libxrandr2 libxcursor1 libxinerama1 libxi6
  # sources: video files and camera fallback, JPEG/MJPEG decode
  ffmpeg libturbojpeg0
  # overlay text and report charts (SkiaSharp's libSkiaSharp.so needs fontconfig)
  libfontconfig1 fonts-dejavu-core
  # windowed tests and screenshots
  xvfb xauth
  # tests only: the signal tests send signals with kill (procps)
  procps
  # V4L2 ABI probe (a test compiles it with gcc)
  gcc libc6-dev linux-libc-dev
  # benchmarks only (skinlive-bench's OpenCvSharp peer and its tests): libOpenCvSharpExtern.so needs GTK 3;
  # the shipping app never loads it
  libgtk-3-0
  # training recipe and its tests, PIL parity fixtures (run with /usr/bin/python3); the app does not need them
  python3-pil python3-numpy python3-torch python3-torchvision python3-onnx
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
