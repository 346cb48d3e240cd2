#!/usr/bin/env bash
# Installs the Debian packages SkinLive needs. Idempotent: returns at once when everything is present.
set -euo pipefail

packages=(
  # GL: headless EGL (Mesa llvmpipe), GLES, window + input
  libglfw3 libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri
  # sources: video files and camera fallback, JPEG/MJPEG decode
  ffmpeg libturbojpeg0
  # windowed tests and screenshots, overlay font
  xvfb xauth fonts-dejavu-core
  # V4L2 ABI probe
  gcc libc6-dev linux-libc-dev
  # training recipe and PIL parity fixtures (run with /usr/bin/python3)
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
