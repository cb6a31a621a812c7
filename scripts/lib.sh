# Shared helpers for the setup and test scripts. Sourced, not run.
set -euo pipefail

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*  (install sudo or run as root)"; return 1; fi
}

# Installs the Debian packages that are missing; does nothing when all are there.
ensure_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_swift() {
  if ! command -v swift >/dev/null; then
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
      [ -x "$candidate/swift" ] && export PATH="$candidate:$PATH" && return 0
    done
    log "Swift 6.1 or newer is required: put the toolchain's usr/bin on PATH (https://swift.org/install/linux/)"
    return 1
  fi
}

# A TCP port on loopback that nothing listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Libraries the imaging engine links: libvips (decode/encode), dlib (faces) and OpenBLAS under it,
# OpenCV's dnn (the segmentation network) and ximgproc (the guided filter, in the contrib package).
IMAGING_PACKAGES=(pkg-config libvips-dev libdlib-dev libopenblas-dev liblapack-dev libopencv-dev libopencv-dnn-dev libopencv-contrib-dev
  zlib1g-dev python3 python3-pip python3-venv unzip)

# A throwaway PostgreSQL 15 cluster in DIR on a free loopback port (fsync off: its data is disposable).
# Sets PG_URL to its admin connection URL. Stop it with stop_postgres DIR.
PG_BIN=/usr/lib/postgresql/15/bin
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
start_postgres() {
  local dir=$1 user port
  user=$(id -un)
  port=$(free_port)
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then user=postgres; chown postgres "$dir"; fi
  run_pg "$PG_BIN/initdb" -D "$dir" -U "$user" --auth=trust -E UTF8 >/dev/null
  run_pg "$PG_BIN/pg_ctl" -D "$dir" -w -l "$dir/server.log" \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=600" start >/dev/null
  PG_URL="postgres://$user@127.0.0.1:$port/postgres"
}
stop_postgres() {
  [ -f "$1/postmaster.pid" ] && run_pg "$PG_BIN/pg_ctl" -D "$1" -m immediate stop >/dev/null 2>&1 || true
}

# The Python tools for the test servers (aiosmtpd for SMTP, moto for S3), in a virtualenv beside the
# build, made once; sets VENV.
ensure_test_server_tools() {
  VENV="$ROOT/.build/test-venv"
  if ! "$VENV/bin/python" -c 'import aiosmtpd, moto' 2>/dev/null; then
    log "preparing the test servers (aiosmtpd for SMTP, moto for S3)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "aiosmtpd==1.4.6" "moto[server]==5.1.4"
  fi
}

# prepare_processes [BIN_DIR] EXTRA_PACKAGES…: what the scripts that run `headshot` as separate processes
# (faults.sh, scaleout.sh) need first: the packages, Swift, the models and the test servers' tools; sets
# MODELS_DIR, and BIN to BIN_DIR or else to the debug build (built here).
prepare_processes() {
  local bin_dir=$1; shift
  ensure_packages postgresql-15 postgresql-client-15 python3 python3-venv openssl curl "$@" "${IMAGING_PACKAGES[@]}"
  ensure_swift
  bash scripts/models.sh
  ensure_test_server_tools
  export MODELS_DIR=${MODELS_DIR:-$ROOT/models}
  if [ -n "$bin_dir" ]; then BIN=$bin_dir; else swift build --product headshot; BIN=$(swift build --show-bin-path); fi
}

# start_smtp_relay DIR USER PASSWORD LOGFILE: the SMTP test server (Tests/Support/smtp_server.py: STARTTLS
# with a self-signed certificate for localhost and 127.0.0.1, login as USER, each message kept as JSON in
# DIR/mail). Sets RELAY_PORT, RELAY_LOGIN_PORT and RELAY_PLAIN_PORT (kept when set, so that a restart
# listens where it did), RELAY_CERT and RELAY_PID.
start_smtp_relay() {
  local dir=$1 user=$2 password=$3 logfile=$4
  RELAY_CERT="$dir/smtp.crt"
  [ -f "$RELAY_CERT" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$dir/smtp.key" -out "$RELAY_CERT" 2>/dev/null
  RELAY_PORT=${RELAY_PORT:-$(free_port)}; RELAY_LOGIN_PORT=${RELAY_LOGIN_PORT:-$(free_port)}; RELAY_PLAIN_PORT=${RELAY_PLAIN_PORT:-$(free_port)}
  mkdir -p "$dir/mail"
  rm -f "$dir/mail/ready"
  "$VENV/bin/python" Tests/Support/smtp_server.py --port "$RELAY_PORT" --login-only-port "$RELAY_LOGIN_PORT" \
    --plain-port "$RELAY_PLAIN_PORT" --cert "$RELAY_CERT" --key "$dir/smtp.key" --maildir "$dir/mail" \
    --user "$user" --password "$password" >>"$logfile" 2>&1 &
  RELAY_PID=$!
  for _ in $(seq 100); do [ -f "$dir/mail/ready" ] && return 0; sleep 0.1; done
  return 1
}

# Starts moto (an S3-compatible server) on a free loopback port, logging to $1; sets S3_PID and S3_ENDPOINT.
start_moto() {
  local port
  port=$(free_port)
  "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$1" 2>&1 &
  S3_PID=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done
  S3_ENDPOINT="http://127.0.0.1:$port"
}
