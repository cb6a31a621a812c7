#!/usr/bin/env bash
# Installs dlib's face models (PyPI package face_recognition_models 0.3.0, CC0) into MODELS_DIR
# (default: models/ in the checkout) and checks every file's SHA-256, then builds the segmentation
# model (scripts/segmentation/install.sh). Safe to re-run: it does nothing when the files are there
# and intact.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
DIR=${MODELS_DIR:-$(pwd)/models}

declare -A SHA256=(
  [shape_predictor_5_face_landmarks.dat]=c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888
  [shape_predictor_68_face_landmarks.dat]=fbdc2cb80eb9aa7a758672cbfdda32ba6300efe9b6e6c7a299ff7e736b11b92f
  [dlib_face_recognition_resnet_model_v1.dat]=55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30
  [mmod_human_face_detector.dat]=4cb19393e2fbaf2b1609a9319ad5386618c886a6234ec1b971f3e87c85d87fe6
)
ARCHIVE_SHA256=b79bd200a88c87c9a9d446c990ae71c5a626d1f3730174e6d570157ff1d896cf

intact() {
  for name in "${!SHA256[@]}"; do
    [ -f "$DIR/$name" ] || return 1
    echo "${SHA256[$name]}  $DIR/$name" | sha256sum --check --status || return 1
  done
}

if intact; then
  bash scripts/segmentation/install.sh
  exit 0
fi
log "installing face models into $DIR (face_recognition_models 0.3.0 from PyPI, ~100 MB)"
python3 -m pip --version >/dev/null 2>&1 || ensure_packages python3-pip
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$STAGE" "face_recognition_models==0.3.0"
ARCHIVE="$STAGE/face_recognition_models-0.3.0.tar.gz"
echo "$ARCHIVE_SHA256  $ARCHIVE" | sha256sum --check --status || { log "face_recognition_models archive has an unexpected SHA-256"; exit 1; }
tar -xzf "$ARCHIVE" -C "$STAGE"
mkdir -p "$DIR"
for name in "${!SHA256[@]}"; do
  source_file="$STAGE/face_recognition_models-0.3.0/face_recognition_models/models/$name"
  echo "${SHA256[$name]}  $source_file" | sha256sum --check --status || { log "$name has an unexpected SHA-256"; exit 1; }
  # Copy beside the target, then rename, so an interrupted run never leaves a half-written model.
  cp "$source_file" "$DIR/.$name.partial"
  mv "$DIR/.$name.partial" "$DIR/$name"
done
intact || { log "face models in $DIR failed their SHA-256 check"; exit 1; }
log "face models installed and verified"
bash scripts/segmentation/install.sh
