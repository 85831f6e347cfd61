"""``kks-bot keys rotate [--resume]`` and ``kks-bot keys retire <id>`` (services/keys.py)."""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from .audit import audit
from .config import Settings
from .crypto import KeyRing, load_or_create_key_file, with_new_key, write_key_file
from .runtime import build, load_keys
from .services import keys


def _file_mode(settings: Settings) -> bool:
    return not (settings.encryption_keys.get_secret_value() or settings.encryption_keys_file)


async def run_keys(settings: Settings, args: argparse.Namespace) -> int:
    if args.action == "retire":
        return await _retire(settings, args.key_id)
    if _file_mode(settings) and not args.resume:
        ring, _created = load_keys(settings)
        ring = with_new_key(ring)
        write_key_file(settings.key_file, ring)
        print(f"New key {ring.active} in {settings.key_file}: it seals new data from now "  # noqa: T201
              "on (a running bot takes it within a minute).")
    runtime = await build(settings)
    cipher = runtime.env.cipher
    try:
        total = await keys.still_to_do(runtime.sessions, cipher)
        print(f"Re-sealing {total} value(s) under key {cipher.active_key_id}; stopped, "  # noqa: T201
              "it goes on where it was with: kks-bot keys rotate --resume")
        with tqdm(total=total, unit="value", file=sys.stderr, disable=None) as bar:
            done = await keys.rotate(runtime.sessions, cipher, batch=args.batch,
                                     pause=args.pause, progress=bar.update)
        async with runtime.sessions() as session, session.begin():
            audit(session, runtime.clock.now(), 0, "keys_rotated",
                  detail=f"{cipher.active_key_id}:{done}")
        print(f"Done: {done} value(s) re-sealed; every value is under key "  # noqa: T201
              f"{cipher.active_key_id}.")
        for key_id in cipher.key_ids:
            if key_id != cipher.active_key_id:
                print(f"Key {key_id} opens {await keys.using(runtime.sessions, key_id)} "  # noqa: T201
                      f"value(s); remove it with: kks-bot keys retire {key_id}")
        return 0
    finally:
        await runtime.close()


async def _retire(settings: Settings, key_id: str) -> int:
    runtime = await build(settings)
    try:
        cipher = runtime.env.cipher
        if key_id not in cipher.key_ids:
            print(f"no key {key_id}")  # noqa: T201
            return 2
        if key_id == cipher.active_key_id:
            print(f"{key_id} is the active key: rotate first")  # noqa: T201
            return 2
        left = await keys.using(runtime.sessions, key_id)
        if left:
            print(f"{left} value(s) still need {key_id}: run kks-bot keys rotate --resume")  # noqa: T201
            return 1
        if not _file_mode(settings):
            print(f"No value needs {key_id}: take it out of KKS_ENCRYPTION_KEYS and "  # noqa: T201
                  "restart.")
            return 0
        ring, _created = load_or_create_key_file(settings.key_file)
        kept = KeyRing({k: v for k, v in ring.keys.items() if k != key_id}, ring.active)
        write_key_file(settings.key_file, kept)
        async with runtime.sessions() as session, session.begin():
            audit(session, runtime.clock.now(), 0, "key_retired", detail=key_id)
        print(f"Key {key_id} removed from {settings.key_file}.")  # noqa: T201
        return 0
    finally:
        await runtime.close()
