"""Encryption at rest for personal data: AES-256-GCM with a key id per value.

A sealed value is a string ``v1.<key id>.<base64url(nonce | ciphertext+tag)>``.
The key id lets keys rotate: new data uses the active key, old data is still
read with the key it names. Associated data binds a ciphertext to the row and
column it belongs to, so a value copied into another row does not decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A value could not be decrypted (unknown key id, tampered, or wrong row)."""


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_key() -> str:
    """A new random 256-bit key, base64url encoded."""
    return _b64e(AESGCM.generate_key(bit_length=256))


@dataclass(frozen=True)
class KeyRing:
    """The keys the bot knows, and which one seals new data."""

    keys: dict[str, bytes]
    active: str

    def __post_init__(self) -> None:
        if self.active not in self.keys:
            raise ValueError(f"active key id {self.active!r} is not among the keys")
        for key_id, key in self.keys.items():
            if len(key) != 32:
                raise ValueError(f"key {key_id!r} is not 256 bits")
            if "." in key_id or not key_id:
                raise ValueError(f"invalid key id {key_id!r}")

    def spec(self) -> str:
        """``id:base64key,...``, the active key first (for KKS_ENCRYPTION_KEYS)."""
        order = [self.active, *(k for k in self.keys if k != self.active)]
        return ",".join(f"{k}:{_b64e(self.keys[k])}" for k in order)

    @classmethod
    def parse(cls, spec: str, active: str = "") -> KeyRing:
        """Parse ``id:base64key[,id:base64key]`` (the first is active by default)."""
        keys: dict[str, bytes] = {}
        for part in spec.split(","):
            part = part.strip()
            if not part:
                continue
            key_id, sep, encoded = part.partition(":")
            if not sep:
                raise ValueError("encryption keys must be written as id:base64key")
            keys[key_id.strip()] = _b64d(encoded.strip())
        if not keys:
            raise ValueError("no encryption keys given")
        return cls(keys, active or next(iter(keys)))


def load_or_create_key_file(path: Path) -> tuple[KeyRing, bool]:
    """Read the key file, creating it (owner-only) when it does not exist yet.

    Returns the key ring and whether the file was created just now.
    """
    created = False
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key_id = "k" + secrets.token_hex(3)
        content = json.dumps({"active": key_id, "keys": {key_id: generate_key()}}, indent=2)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content + "\n")
        created = True
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        os.chmod(path, 0o600)
    data = json.loads(path.read_text(encoding="utf-8"))
    keys = {key_id: _b64d(value) for key_id, value in data["keys"].items()}
    return KeyRing(keys, data["active"]), created


def write_key_file(path: Path, ring: KeyRing) -> None:
    """Replace the key file at once (a new file, owner-only, renamed over the old one)."""
    content = json.dumps({"active": ring.active,
                          "keys": {k: _b64e(v) for k, v in ring.keys.items()}}, indent=2)
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def with_new_key(ring: KeyRing) -> KeyRing:
    """The ring with a new random key, active for new data; the old keys still open."""
    key_id = "k" + secrets.token_hex(3)
    return KeyRing({**ring.keys, key_id: _b64d(generate_key())}, key_id)


class Cipher:
    """Seals and opens values with the key ring. ``reload`` (the key file's reader) lets
    a running bot follow a rotation: a value sealed with a key it does not know yet makes
    it read the ring again, and :meth:`refresh` (every minute) takes the new active key."""

    def __init__(self, ring: KeyRing, reload: Callable[[], KeyRing] | None = None) -> None:
        self._reload = reload
        self.use(ring)

    def use(self, ring: KeyRing) -> None:
        """Seal with this ring from now on (a restart with new keys, without one)."""
        self._ring = ring
        self._aead = {key_id: AESGCM(key) for key_id, key in ring.keys.items()}

    def refresh(self) -> bool:
        """Read the key ring again (key file mode); whether the active key changed."""
        if self._reload is None:
            return False
        before = self._ring.active
        self.use(self._reload())
        return self._ring.active != before

    @property
    def key_ids(self) -> list[str]:
        return list(self._ring.keys)

    def _lookup_key(self, key_id: str) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=b"kks-bot lookup").derive(self._ring.keys[key_id])

    def lookup_hash(self, value: str, key_id: str = "") -> str:
        """A keyed hash to find a row by a value that is not stored (a family's Telegram
        id): ``<key id>.<HMAC-SHA256>``, with a key derived from the active key."""
        key_id = key_id or self._ring.active
        digest = hmac.new(self._lookup_key(key_id), value.encode(), hashlib.sha256)
        return f"{key_id}.{digest.hexdigest()}"

    def lookup_hashes(self, value: str) -> list[str]:
        """The value's hash under every key (rows rotation has not reached yet)."""
        return [self.lookup_hash(value, key_id) for key_id in self._ring.keys]

    @property
    def active_key_id(self) -> str:
        return self._ring.active

    def seal(self, plaintext: bytes, aad: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        key_id = self._ring.active
        ciphertext = self._aead[key_id].encrypt(nonce, plaintext, aad.encode("utf-8"))
        return f"{VERSION}.{key_id}.{_b64e(nonce + ciphertext)}"

    def open(self, sealed: str, aad: str) -> bytes:
        try:
            version, key_id, payload = sealed.split(".", 2)
        except ValueError as exc:
            raise DecryptionError("not a sealed value") from exc
        if key_id not in self._aead and self._reload is not None:
            self.refresh()  # sealed by a rotation this process has not seen yet
        if version != VERSION or key_id not in self._aead:
            raise DecryptionError(f"unknown version or key id {key_id!r}")
        raw = _b64d(payload)
        try:
            return self._aead[key_id].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:],
                                              aad.encode("utf-8"))
        except Exception as exc:  # cryptography raises InvalidTag
            raise DecryptionError("value does not decrypt") from exc

    def seal_json(self, value: Any, aad: str) -> str:
        return self.seal(json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                         .encode("utf-8"), aad)

    def open_json(self, sealed: str, aad: str) -> Any:
        return json.loads(self.open(sealed, aad).decode("utf-8"))

    def key_id_of(self, sealed: str) -> str:
        return sealed.split(".", 2)[1]
