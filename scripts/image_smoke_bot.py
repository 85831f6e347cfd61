"""The image's smoke test, the bot's half: runs ``kks-bot`` from the image's own filesystem
(a chroot, as the image's non-root user, with the image's environment and working folder)
against the project's fake Bot API on this machine, and checks what a deployment needs:

1. ``kks-bot check`` (conversations and compiled catalogues in the image are valid);
2. ``kks-bot check --live`` (the database on the data volume, ``getMe`` on the Bot API);
3. ``kks-bot run`` answers a ``/start`` sent before it started with the welcome, in English
   (so the catalogues compiled at build time are the ones used);
4. ``/healthz`` answers, and so does the image's own HEALTHCHECK command run inside it;
5. ``/readyz`` answers 200 (database and outbox lease);
6. SIGTERM stops the bot cleanly (exit 0) within 30 seconds;
7. what the bot left on the data volume (the database) belongs to the image's user and is
   readable by nobody else.

scripts/image_smoke.sh builds and mounts the image and calls this with the host's .venv
(the fake server lives in tests/support, which the image does not carry)::

    .venv/bin/python scripts/image_smoke_bot.py --root MOUNTED_IMAGE --user UID:GID \
        --workdir /app --env-json "$(podman image inspect --format '{{json .Config.Env}}' IMG)" \
        --healthcheck-json "$(podman image inspect --format '{{json .Config.Healthcheck}}' IMG)" \
        --set KKS_ENCRYPTION_KEYS_FILE=/run/secrets/kks_keys --data HOST_FOLDER_ON_DATA

chroot shares the host's network, so the bot reaches the fake on 127.0.0.1. Exits 1 and
prints the bot's log when a check fails; the last line counts the checks (with --since, the
script's start in epoch seconds, the line before it gives the total time).
"""

from __future__ import annotations

import argparse
import json
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.fakebot import FakeBotApi, FakeBotApiServer

USER = 4242
# The second sentence of the welcome to a new user, in English: the image's catalogue.
WELCOME = "I speak Dutch, English and Arabic."
IMAGE_HEALTH_PORT = 8080  # KKS_HEALTH_LISTEN in the Dockerfile and its HEALTHCHECK


class SmokeError(Exception):
    pass


def say(text: str) -> None:
    sys.stdout.write(f"image smoke: {text}\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Image:
    """Runs commands inside the mounted image as its user, with exactly the given env."""

    def __init__(self, root: str, user: str, workdir: str, env: dict[str, str]) -> None:
        self.root, self.user, self.workdir, self.env = root, user, workdir, env

    def command(self, *argv: str) -> list[str]:
        return ["chroot", f"--userspec={self.user}", self.root, "env", "-C", self.workdir, *argv]

    def run(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(*argv), env=self.env,  # noqa: S603
                              capture_output=True, text=True,
                              timeout=timeout, check=False)


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=4) as response:  # noqa: S310 - http only
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", required=True, help="the image's mounted filesystem")
    parser.add_argument("--user", required=True, help="UID:GID of the image's USER")
    parser.add_argument("--workdir", default="/app")
    parser.add_argument("--env-json", required=True, help="the image's Config.Env (JSON)")
    parser.add_argument("--healthcheck-json", required=True,
                        help="the image's Config.Healthcheck (JSON)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting given to the bot, as a deployment would")
    parser.add_argument("--data", required=True, help="the host folder bound on the volume")
    parser.add_argument("--since", type=float, help="epoch seconds the smoke test started")
    args = parser.parse_args()

    env = dict(item.split("=", 1) for item in json.loads(args.env_json))
    env.update(item.split("=", 1) for item in args.set)
    env.setdefault("HOME", "/data")
    healthcheck = (json.loads(args.healthcheck_json) or {}).get("Test") or []
    passed = 0
    log = Path(tempfile.mkdtemp(prefix="kks-image-bot.")) / "bot.log"
    try:
        # The HEALTHCHECK asks the port the image listens on; here the bot listens on a free
        # port of the host's loopback instead (chroot shares the network), the check follows.
        listen = env.get("KKS_HEALTH_LISTEN", "")
        if not listen.endswith(f":{IMAGE_HEALTH_PORT}"):
            raise SmokeError(f"KKS_HEALTH_LISTEN in the image is {listen!r}, "
                             f"the HEALTHCHECK asks port {IMAGE_HEALTH_PORT}")
        if healthcheck[:1] != ["CMD"] or \
                f"127.0.0.1:{IMAGE_HEALTH_PORT}/healthz" not in " ".join(healthcheck):
            raise SmokeError(f"unexpected HEALTHCHECK in the image: {healthcheck}")
        port = free_port()
        env["KKS_HEALTH_LISTEN"] = f"127.0.0.1:{port}"
        probe = [part.replace(f":{IMAGE_HEALTH_PORT}/", f":{port}/") for part in healthcheck[1:]]
        image = Image(args.root, args.user, args.workdir, env)

        started = time.monotonic()
        done = image.run("kks-bot", "check")
        if done.returncode != 0:
            raise SmokeError(f"kks-bot check exited {done.returncode}:\n{done.stdout}{done.stderr}")
        passed += 1
        say(f"kks-bot check: ok ({time.monotonic() - started:.1f} s): "
            + (done.stdout.strip().splitlines() or [""])[-1])

        api = FakeBotApi()
        with FakeBotApiServer(api) as server:
            env.update({"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": server.url,
                        "KKS_POLL_TIMEOUT": "5"})
            started = time.monotonic()
            done = image.run("kks-bot", "check", "--live")
            if done.returncode != 0 or "Bot API: ok" not in done.stdout:
                raise SmokeError(f"kks-bot check --live exited {done.returncode}:\n"
                                 f"{done.stdout}{done.stderr}")
            passed += 1
            say(f"kks-bot check --live: ok ({time.monotonic() - started:.1f} s)")

            api.push_text(USER, "/start", language_code="en", first_name="Smoke")
            started = time.monotonic()
            with log.open("w") as out:
                bot = subprocess.Popen(image.command("kks-bot", "run"), env=env,  # noqa: S603
                                       stdout=out, stderr=subprocess.STDOUT)
            try:
                passed += run_checks(api, bot, port, probe, image, started)
            finally:
                if bot.poll() is None:
                    bot.kill()
                    bot.wait()
        check_volume(Path(args.data), int(args.user.split(":")[0]))
        passed += 1
    except (SmokeError, subprocess.TimeoutExpired) as exc:
        say(f"FAILED: {exc}")
        if log.exists() and log.stat().st_size:
            say("the bot's log (last 60 lines):")
            sys.stdout.write("\n".join(log.read_text(errors="replace").splitlines()[-60:]) + "\n")
        say(f"{passed} passed, 1 failed")
        return 1
    finally:
        log.unlink(missing_ok=True)
        log.parent.rmdir()
    if args.since:
        say(f"total {time.time() - args.since:.0f} s")
    say(f"{passed} passed, 0 failed")
    return 0


def check_volume(data: Path, uid: int) -> None:
    database = data / "kks.sqlite3"
    if not database.is_file():
        raise SmokeError(f"no database on the data volume: {sorted(data.iterdir())}")
    for path in [data, *data.rglob("*")]:
        info = path.stat()
        if info.st_uid != uid:
            raise SmokeError(f"{path} on the data volume belongs to uid {info.st_uid}")
        if path != data and info.st_mode & 0o077:
            raise SmokeError(f"{path} on the data volume is open to others: "
                             f"{oct(info.st_mode & 0o777)}")
    say(f"data volume: {len(list(data.rglob('*')))} file(s), all the image user's, owner-only")


def run_checks(api: FakeBotApi, bot: subprocess.Popen[bytes], port: int, probe: list[str],
               image: Image, started: float) -> int:
    """/start answered, /healthz, the HEALTHCHECK, /readyz, a clean stop: checks passed."""
    def replied(current: FakeBotApi) -> bool:
        return bool(current.all_bot_messages(USER)) or bot.poll() is not None

    if not api.wait_for(replied, timeout=120) or bot.poll() is not None:
        raise SmokeError(f"no answer to /start (the bot exited: {bot.poll()})")
    first = api.all_bot_messages(USER)[0].text or ""
    if WELCOME not in first:
        raise SmokeError(f"the answer to /start is not the English welcome: {first[:300]!r}")
    say(f"/start answered with the welcome in {time.monotonic() - started:.1f} s "
        "(cold start, the update waiting)")

    healthz = http_status(f"http://127.0.0.1:{port}/healthz")
    if healthz != 200:
        raise SmokeError(f"/healthz answered {healthz}")
    done = image.run(*probe, timeout=30)
    if done.returncode != 0:
        raise SmokeError(f"the image's HEALTHCHECK failed ({done.returncode}): {done.stderr}")
    say("/healthz: 200; the image's HEALTHCHECK command, run inside it: ok")

    deadline = time.monotonic() + 60
    while (ready := http_status(f"http://127.0.0.1:{port}/readyz")) != 200:
        if time.monotonic() > deadline or bot.poll() is not None:
            raise SmokeError(f"/readyz answered {ready}")
        time.sleep(0.5)
    say("/readyz: 200")

    bot.send_signal(signal.SIGTERM)
    try:
        code = bot.wait(timeout=30)
    except subprocess.TimeoutExpired:
        raise SmokeError("the bot did not stop within 30 s of SIGTERM") from None
    if code != 0:
        raise SmokeError(f"the bot exited {code} on SIGTERM")
    say("SIGTERM: stopped cleanly")
    return 5


if __name__ == "__main__":
    raise SystemExit(main())
