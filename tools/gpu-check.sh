#!/usr/bin/env bash
# GPU check: builds LossPrism with the CUDA backend, runs the training benchmark at 256 px, then a short
# training run with the dashboard, and prints images/s, the ND4J backend and the convolution helper.
# Needs an NVIDIA GPU and driver, a JDK 17, the CUDA 11 runtime libraries that ND4J 1.0.0-M2.1's
# nd4j-cuda-11.6 links against (libcublas.so.11, libcusolver.so.11) and cuDNN 8 (libcudnn.so.8) on the
# library path (the jars bring libnd4jcuda, 906 MB unpacked, but not CUDA itself; the
# nvidia/cuda:11.6.2-cudnn8-runtime image has them), and Maven Central for the build (about 600 MB of CUDA
# jars the first time: 6 min 41 s with the download on a loaded 2-core machine), unless --no-build finds
# a CUDA build in target/ already (build it where Maven Central is reachable and copy the folder).
# A preflight checks all of that first and names what is missing, before anything is downloaded.
# Never run to the end on a GPU yet: the one GPU machine lent so far (an H200 with CUDA 13.0, cuDNN 9
# and no JDK, no network) failed the preflight; see docs/performance.md, "GPU".
#
#   tools/gpu-check.sh [--steps 6] [--seconds 60] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

steps=6
seconds=60
build=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --no-build) build=no; shift ;;
    *) echo "usage: tools/gpu-check.sh [--steps N] [--seconds N] [--no-build]" >&2; exit 2 ;;
  esac
done

echo "== preflight"
missing=()
command -v nvidia-smi >/dev/null || missing+=("nvidia-smi (no NVIDIA driver here)")
if command -v java >/dev/null; then
  java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [ "${java_major:-0}" -ge 17 ] 2>/dev/null || missing+=("a JDK 17 or later (java is ${java_major:-unknown})")
else
  missing+=("java (a JDK 17 or later)")
fi
# A library the dynamic loader finds: in its cache or in a folder of LD_LIBRARY_PATH.
has_lib() {
  ldconfig -p 2>/dev/null | grep -qE "[[:space:]]$1 " && return 0
  local dir
  IFS=: read -ra dirs <<<"${LD_LIBRARY_PATH:-}"
  for dir in "${dirs[@]}"; do [ -n "$dir" ] && [ -e "$dir/$1" ] && return 0; done
  return 1
}
for lib in libcublas.so.11 libcusolver.so.11 libcudnn.so.8; do
  has_lib "$lib" || missing+=("$lib (CUDA 11 / cuDNN 8, which nd4j-cuda-11.6 links against)")
done
if [ "$build" = no ]; then
  ls target/lib/nd4j-cuda-11.6-*.jar >/dev/null 2>&1 || missing+=("a CUDA build in target/ (--no-build: run ./mvnw -Pcuda package -DskipTests where Maven Central is reachable)")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "gpu-check: this machine cannot run the CUDA backend; missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo "  present: $(ldconfig -p 2>/dev/null | grep -oE 'lib(cublas|cusolver|cudnn)\.so\.[0-9]+' | sort -u | tr '\n' ' ')" >&2
  exit 1
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
out=target/gpu-check
mkdir -p "$out"

if [ "$build" = yes ]; then
  echo "== build with the CUDA backend (./mvnw -Pcuda package)"
  ./mvnw -B -q -ntp -Pcuda package -DskipTests -Dexec.skip=true
fi

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
