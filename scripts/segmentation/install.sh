#!/usr/bin/env bash
# Builds the person-segmentation model into MODELS_DIR: MediaPipe's selfie segmentation (Apache-2.0),
# taken from the PyPI wheel mediapipe==0.10.14 and converted to ONNX by tflite_to_onnx.py, because
# OpenCV's dnn module reads ONNX but not TFLite. The wheel, the TFLite file and the converted ONNX are
# each checked against a SHA-256, so the conversion is reproduced byte for byte on every machine.
# Safe to re-run: it does nothing when the ONNX file is there and intact.
source "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.."
DIR=${MODELS_DIR:-$(pwd)/models}
NAME=selfie_segmentation.onnx
ONNX_SHA256=d932e6480dba7ac07961e69712d25eb667bb3c2332a6cce432d9b03a20009b06
TFLITE_SHA256=9ee168ec7c8f2a16c56fe8e1cfbc514974cbbb7e434051b455635f1bd1462f5c
WHEEL=mediapipe-0.10.14-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
WHEEL_SHA256=a807328339e7356fda0bb14df12fedbf1d33bdf81649c5f8666b0026b1cc30b4
# The converter's own dependencies, pinned: a different onnx or numpy could serialise differently.
CONVERTER_PACKAGES=(tflite==2.18.0 flatbuffers==25.12.19 onnx==1.23.2 numpy==2.4.6 protobuf==7.36.2 ml_dtypes==0.6.0 typing_extensions==4.16.0)

[ -f "$DIR/$NAME" ] && echo "$ONNX_SHA256  $DIR/$NAME" | sha256sum --check --status && exit 0
log "building the segmentation model into $DIR (MediaPipe selfie segmentation from PyPI, converted to ONNX)"
ensure_packages python3-venv unzip
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
# The wheel is fetched by exact file name (any Python can download it; only the model is used).
python3 -m pip download --quiet --no-deps --only-binary :all: --python-version 3.11 --implementation cp \
  --platform manylinux2014_x86_64 --dest "$STAGE" "mediapipe==0.10.14"
echo "$WHEEL_SHA256  $STAGE/$WHEEL" | sha256sum --check --status || { log "$WHEEL has an unexpected SHA-256"; exit 1; }
unzip -q -o "$STAGE/$WHEEL" mediapipe/modules/selfie_segmentation/selfie_segmentation.tflite -d "$STAGE"
TFLITE="$STAGE/mediapipe/modules/selfie_segmentation/selfie_segmentation.tflite"
echo "$TFLITE_SHA256  $TFLITE" | sha256sum --check --status || { log "selfie_segmentation.tflite has an unexpected SHA-256"; exit 1; }

VENV=${CONVERTER_VENV:-$(pwd)/.build/converter-venv}
if ! "$VENV/bin/python" -c 'import tflite, onnx' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --no-deps "${CONVERTER_PACKAGES[@]}"
fi
"$VENV/bin/python" scripts/segmentation/tflite_to_onnx.py "$TFLITE" "$STAGE/$NAME"
echo "$ONNX_SHA256  $STAGE/$NAME" | sha256sum --check --status || {
  log "the converted $NAME does not match its SHA-256 ($(sha256sum "$STAGE/$NAME" | cut -c1-64)); did tflite_to_onnx.py change?"
  exit 1
}
mkdir -p "$DIR"
cp "$STAGE/$NAME" "$DIR/.$NAME.partial"
mv "$DIR/.$NAME.partial" "$DIR/$NAME"
log "segmentation model built and verified"
