#!/usr/bin/env bash
# GPU check: builds LossPrism with the CUDA backend, runs the training benchmark at 256 px, then a short
# training run with the dashboard, and prints images/s, the ND4J backend and the convolution helper.
# Needs an NVIDIA GPU and driver, the CUDA 11.6 runtime and cuDNN 8 libraries on the library path (the
# jars bring libnd4jcuda but not CUDA itself; the nvidia/cuda:11.6.2-cudnn8-runtime image has both), a
# JDK 17, and Maven Central (about 600 MB of CUDA jars the first time: the build took 6 min 41 s with the
# download on a loaded 2-core machine). UNTESTED on a GPU: no GPU was available where it was written.
#
#   tools/gpu-check.sh [--steps 6] [--seconds 60]
set -euo pipefail
cd "$(dirname "$0")/.."

steps=6
seconds=60
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "usage: tools/gpu-check.sh [--steps N] [--seconds N]" >&2; exit 2 ;;
  esac
done

command -v nvidia-smi >/dev/null || { echo "gpu-check: nvidia-smi not found: no NVIDIA driver here" >&2; exit 1; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
out=target/gpu-check
mkdir -p "$out"

echo "== build with the CUDA backend (./mvnw -Pcuda package)"
./mvnw -B -q -ntp -Pcuda package -DskipTests -Dexec.skip=true

echo "== benchmark at 256 px, $steps steps"
java -jar target/lossprism.jar benchmark --sizes 256 --steps "$steps" | tee "$out/benchmark.txt"

echo "== training with the dashboard for $seconds s (256 px, seed configuration)"
port=18080
java -jar target/lossprism.jar --config config/seed-256.yaml --set http.port=$port \
  --set storage.dir="$out/storage" --set storage.resume=false >"$out/train.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/api/status" >/dev/null 2>&1 && break
  sleep 1
done
sleep "$seconds"
status=$(curl -fsS "http://127.0.0.1:$port/api/status" || echo '{}')
echo "status: $status"
kill $pid
wait $pid || true
trap - EXIT

echo "== summary"
grep -E 'backend|^ +256' "$out/benchmark.txt" || true
echo "dashboard run: $(echo "$status" | grep -o '"imagesPerSecond":[0-9.]*' || echo 'no imagesPerSecond')"
echo "convolution helper: $(awk '/^ +256/ {print $NF}' "$out/benchmark.txt") (CudnnConvolutionHelper expected)"
