#!/usr/bin/env bash
# The Docker image, built and smoke-tested on a machine without a container engine (CI).
#   bash scripts/image_smoke.sh        (as root; after scripts/test.sh made .venv)
#
# 1. A stand-in for python:3.11-slim from Debian's packages: debootstrap bookworm, Debian's
#    python3.11 in a venv at /usr/local (python and pip where the official image has them),
#    imported as localhost/kks-base. The official image cannot be pulled here.
# 2. podman build --isolation chroot --build-arg BASE=localhost/kks-base: the Dockerfile as it
#    is, every RUN step included.
# 3. The image's filesystem mounted (podman image mount), a writable folder bound on its /data
#    volume, the key as a secret file outside it (/run/secrets/kks_keys), and then, with
#    chroot --userspec as the image's user (10001), scripts/image_smoke_bot.py: kks-bot check,
#    check --live, /start answered over the fake Bot API, /healthz and the HEALTHCHECK,
#    /readyz, a clean stop on SIGTERM, the volume's files owned by that user.
#
# Everything lives in one temporary folder (podman's storage too) that is removed at the end.
# KKS_IMAGE_CACHE=DIR keeps the stand-in base's tarball there between runs (a developer's
# shortcut; CI builds it anew). KKS_DEBIAN_MIRROR overrides the Debian mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
step_started=$started

say() { printf 'image smoke: %s\n' "$*"; }
step() {  # the time since the last step, then what comes next
  local now
  now=$(date +%s)
  say "$1 ($((now - step_started)) s)"
  step_started=$now
}
fail() { say "FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root (podman's storage, debootstrap, mounts, chroot)"
[ -x .venv/bin/python ] || fail "no .venv here: scripts/test.sh makes it"

export DEBIAN_FRONTEND=noninteractive
needed=""
for pkg in podman debootstrap; do
  dpkg -s "$pkg" >/dev/null 2>&1 || needed="$needed $pkg"
done
if [ -n "$needed" ]; then
  say "installing$needed"
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $needed >/dev/null
fi

work=$(mktemp -d /tmp/kks-image.XXXXXX)
podman=(podman --root "$work/storage" --runroot "$work/run")
image=localhost/kks-bot:smoke
root=""
mounts=()  # mount points under the image's root, in the order they were mounted
driver_pid=""

cleanup() {
  local code=$? i
  trap - EXIT INT TERM
  if [ -n "$driver_pid" ] && kill -0 "$driver_pid" 2>/dev/null; then
    kill "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null || true
  done
  if [ -n "$root" ]; then
    "${podman[@]}" image unmount --all >/dev/null 2>&1 || true
  fi
  "${podman[@]}" rmi --all --force >/dev/null 2>&1 || true
  # podman's overlay driver binds its own folder; it lets go on the rmi, or here.
  umount "$work/storage/overlay" 2>/dev/null || true
  # Remove the folder only when nothing is mounted under it any more.
  if grep -q " $work/" /proc/self/mounts; then
    say "left $work: still mounted:" >&2
    grep " $work/" /proc/self/mounts >&2 || true
  else
    rm -rf "$work"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. the stand-in base -----------------------------------------------------------------
base_tar="$work/kks-base.tar"
# The cache key: what goes into the base (this script's recipe and the machine's CAs).
recipe_key=$(cat "$0" /usr/local/share/ca-certificates/*.crt 2>/dev/null | sha256sum | cut -c1-16)
cached="${KKS_IMAGE_CACHE:+$KKS_IMAGE_CACHE/kks-base-$recipe_key.tar}"
if [ -n "$cached" ] && [ -f "$cached" ]; then
  cp "$cached" "$base_tar"
  step "stand-in base from $cached"
else
  rootfs="$work/rootfs"
  mirror=${KKS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 30 "$work/debootstrap.log" >&2; fail "debootstrap"; }
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  # This workplace reaches PyPI through a proxy whose CA the host trusts: the stand-in trusts
  # what the host trusts (the official base does not need it, and does not get it).
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$rootfs/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  fi
  chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive /bin/sh -euc '
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends python3.11 python3.11-venv ca-certificates
      update-ca-certificates >/dev/null
      python3.11 -m venv /usr/local
      rm -f /usr/local/bin/activate* /usr/local/bin/Activate.ps1
      /usr/local/bin/python -m pip --version
      apt-get clean
      rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* /usr/share/info/*
      : >/etc/resolv.conf' >"$work/base.log" 2>&1 ||
    { tail -n 30 "$work/base.log" >&2; fail "the stand-in base's Python"; }
  tar -C "$rootfs" -cf "$base_tar" .
  rm -rf "$rootfs"
  if [ -n "$cached" ]; then
    mkdir -p "$KKS_IMAGE_CACHE"
    cp "$base_tar" "$cached"
  fi
  step "stand-in base: debootstrap bookworm, $(grep -m1 "^pip " "$work/base.log")"
fi
"${podman[@]}" import --quiet \
  --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' \
  "$base_tar" localhost/kks-base >/dev/null
rm -f "$base_tar"

# --- 2. the image ------------------------------------------------------------------------
# --format docker keeps the HEALTHCHECK (the OCI format has no place for it).
"${podman[@]}" build --isolation chroot --format docker --build-arg BASE=localhost/kks-base \
  --tag "$image" --file Dockerfile . >"$work/build.log" 2>&1 ||
  { tail -n 40 "$work/build.log" >&2; fail "podman build"; }
size=$("${podman[@]}" image inspect --format '{{.Size}}' "$image")
base_size=$("${podman[@]}" image inspect --format '{{.Size}}' localhost/kks-base)
step "built $image: $((size / 1000000)) MB (the stand-in base: $((base_size / 1000000)) MB)"

inspect() { "${podman[@]}" image inspect --format "$1" "$image"; }
user=$(inspect '{{.Config.User}}')
workdir=$(inspect '{{.Config.WorkingDir}}')
volumes=$(inspect '{{json .Config.Volumes}}')
[ "$volumes" = '{"/data":{}}' ] || fail "the image's volumes are $volumes, not /data"

# --- 3. its filesystem, as its user --------------------------------------------------------
root=$("${podman[@]}" image mount "$image")
[ -d "$root/data" ] || fail "podman image mount gave $root"
ids=$(awk -F: -v name="$user" '$1 == name || $3 == name { print $3 ":" $4; exit }' \
  "$root/etc/passwd")
[ -n "$ids" ] || fail "the image's USER $user is not in its /etc/passwd"
[ "${ids%%:*}" = 10001 ] || fail "the image's user $user is uid ${ids%%:*}, not 10001"

mount_on() {  # mount_on TARGET mount-args...: mounts on a folder under the image's root
  local target=$1
  shift
  mount "$@" "$target"
  mounts+=("$target")
}
mount_on "$root/proc" -t proc proc
mount_on "$root/dev" -t tmpfs -o mode=0755,nosuid tmpfs
mknod -m 0666 "$root/dev/null" c 1 3
mknod -m 0666 "$root/dev/zero" c 1 5
mknod -m 0666 "$root/dev/random" c 1 8
mknod -m 0666 "$root/dev/urandom" c 1 9
mkdir "$root/dev/shm"
mount_on "$root/dev/shm" -t tmpfs -o mode=1777,nosuid,nodev tmpfs
mount_on "$root/tmp" -t tmpfs -o mode=1777,nosuid,nodev tmpfs
mount_on "$root/run" -t tmpfs -o mode=0755,nosuid,nodev tmpfs
data="$work/data"
mkdir -m 0700 "$data"
chown "$ids" "$data"
mount_on "$root/data" --bind "$data"
# The key as a secret file outside the volume, as compose.yaml mounts it.
mkdir -p "$root/run/secrets"
chroot --userspec="$ids" "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin \
  kks-bot keys generate >"$root/run/secrets/kks_keys"
chown "$ids" "$root/run/secrets/kks_keys"
chmod 0400 "$root/run/secrets/kks_keys"
step "mounted at $root, /data bound on $data, running as $user ($ids)"

.venv/bin/python scripts/image_smoke_bot.py --root "$root" --user "$ids" --workdir "$workdir" \
  --env-json "$(inspect '{{json .Config.Env}}')" \
  --healthcheck-json "$(inspect '{{json .Config.Healthcheck}}')" \
  --set KKS_ENCRYPTION_KEYS_FILE=/run/secrets/kks_keys \
  --data "$data" --since "$started" &
driver_pid=$!
wait "$driver_pid"
driver_pid=""
