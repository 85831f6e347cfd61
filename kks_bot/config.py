"""Configuration from the environment (and an optional ``.env`` file).

Every setting has a safe default for trying the bot on a laptop: an SQLite file in
``KKS_DATA_DIR`` and a key file outside it (``KKS_KEY_FILE``, by default in the user's
configuration folder), so that a copy of the data folder does not carry its own key. The
bot refuses a key inside the data folder (the Docker image's ``/data`` included) and, in
production (PostgreSQL), to start without a configured key (``KKS_ENCRYPTION_KEYS``, or
``KKS_ENCRYPTION_KEYS_FILE`` for a container secret).
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_LOCALES = ("nl", "en", "ar")


class Settings(BaseSettings):
    """All settings; environment variables are the names in upper case."""

    model_config = SettingsConfigDict(env_prefix="KKS_", env_file=".env", extra="ignore")

    data_dir: Path = Path("kks-data")
    database_url: str = ""
    # "id:base64key[,id2:base64key2]"; the first is used for new data unless
    # encryption_key_id names another. Or the same text in a file (a container secret).
    # Neither: the key file (created at the first start; embedded mode).
    encryption_keys: SecretStr = SecretStr("")
    encryption_keys_file: Path | None = None
    key_file_path: Path | None = Field(
        default=None, validation_alias=AliasChoices("KKS_KEY_FILE", "key_file_path"))
    encryption_key_id: str = ""
    draft_ttl_days: int = Field(default=14, ge=1, le=365)
    draft_warning_days: int = Field(default=2, ge=0, le=30)
    delete_answer_messages: bool = True
    default_locale: str = "nl"
    timezone: str = "Europe/Amsterdam"
    log_level: str = "INFO"

    telegram_bot_token: SecretStr = Field(
        default=SecretStr(""),
        validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "KKS_TELEGRAM_BOT_TOKEN"),
    )
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org",
        validation_alias=AliasChoices("TELEGRAM_API_BASE_URL", "KKS_TELEGRAM_API_BASE_URL"),
    )
    poll_timeout: int = Field(default=25, ge=0, le=50)
    # Case content one side wrote to the other (questions, answers, reasons, sparring,
    # meeting details) is deleted from the chat after this many hours (Telegram lets a
    # bot delete its messages for 48 hours); the whole history stays in the case.
    chat_ttl_hours: int = Field(default=24, ge=1, le=47)
    # Retention (services/retention.py; the reasons are in docs/privacy.md).
    retention_outbox_hours: int = Field(default=72, ge=49, le=24 * 30)
    retention_invitation_days: int = Field(default=30, ge=1, le=365)
    retention_scheduled_days: int = Field(default=30, ge=1, le=365)
    retention_spar_days: int = Field(default=90, ge=7, le=730)
    retention_closed_case_days: int = Field(default=183, ge=28, le=3650)
    retention_audit_days: int = Field(default=5 * 365 + 1, ge=365, le=20 * 365)
    # Messages a second to one chat after a short burst. Telegram asks for about one;
    # a test against a fake Bot API may go faster.
    outbox_chat_rate: float = Field(default=1.0, gt=0, le=30)
    # A user who writes faster than their replies can go out (this many waiting for
    # their chat) is asked once to slow down; what they send meanwhile is not read.
    flood_pending: int = Field(default=20, ge=3, le=1000)
    # The factsheet: counts below this are shown as "<5" (services/figures).
    figures_threshold: int = Field(default=5, ge=1, le=100)
    # Webhook mode (instead of polling): the public URL Telegram posts updates to, where
    # this process listens (host:port, usually behind a TLS reverse proxy), and the
    # secret Telegram sends back in X-Telegram-Bot-Api-Secret-Token.
    webhook_url: str = ""
    webhook_listen: str = Field(default="127.0.0.1:8080", pattern=r"^[^:]+:\d{1,5}$")
    webhook_secret: SecretStr = SecretStr("")
    # The Mini App: the public HTTPS address where this process serves case content
    # (behind the same reverse proxy as the webhook; it listens on KKS_WEBHOOK_LISTEN).
    # Empty: case content is shown in the chat, behind the same PIN.
    web_url: str = Field(default="", pattern=r"^(https://[^\s?#]+[^/\s?#])?$")
    # /healthz, /readyz and /metrics: on the webhook's or the Mini App's listener, and
    # when polling without either, on this address (the Docker image sets it).
    health_listen: str = Field(default="", pattern=r"^([^:]+:\d{1,5})?$")
    # A session for case content (Mini App or chat) ends after this much idle time, and
    # at the latest after this many hours.
    session_idle_minutes: int = Field(default=15, ge=1, le=240)
    session_max_hours: int = Field(default=8, ge=1, le=24)
    # Administrators (Telegram user ids, comma separated) manage coordinators.
    admin_ids: str = Field(default="", pattern=r"^[\d,\s]*$")
    # The bot's @username, for invitation links (t.me/<bot>?start=<token>).
    bot_username: str = ""
    invitation_ttl_days: int = Field(default=7, ge=1, le=60)
    # how often the dispatcher looks for due reminders and nudges (seconds)
    dispatch_seconds: float = Field(default=15.0, gt=0, le=300)
    # family reminders before a meeting, in hours ("48,2": two days and two hours before)
    reminder_hours: str = Field(default="48,2", pattern=r"^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$")
    view_ttl_hours: int = Field(default=12, ge=1, le=168)
    # SMTP for the official copy to the municipalities' secure mailboxes (STARTTLS).
    # Empty host: no mail is sent.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_sender: str = ""
    smtp_ca_file: str = ""  # trust a private CA for the SMTP server

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.default_locale not in SUPPORTED_LOCALES:
            raise ValueError(f"KKS_DEFAULT_LOCALE must be one of {SUPPORTED_LOCALES}")
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / 'kks.sqlite3'}"
        if self.webhook_url and not re.fullmatch(
                r"[A-Za-z0-9_-]{16,256}", self.webhook_secret.get_secret_value()):
            raise ValueError(
                "KKS_WEBHOOK_SECRET is required with KKS_WEBHOOK_URL: 16 to 256 letters, "
                "digits, _ or - (for example: python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))')")
        configured = self.encryption_keys.get_secret_value() or self.encryption_keys_file
        if self.is_postgres and not configured:
            raise ValueError(
                "KKS_ENCRYPTION_KEYS is required with PostgreSQL: the key must come from "
                "your secret store (or KKS_ENCRYPTION_KEYS_FILE, a mounted secret), not "
                "from a file next to the bot. Generate one with: kks-bot keys generate"
            )
        if not self.encryption_keys.get_secret_value():
            key = self.encryption_keys_file or self.key_file
            if _inside(key, self.data_dir):
                raise ValueError(
                    f"the encryption key {key} is inside the data folder {self.data_dir}: "
                    "whoever copies the folder (a backup, a volume) could read everything. "
                    "Keep it elsewhere (KKS_KEY_FILE), or give the keys as a secret "
                    "(KKS_ENCRYPTION_KEYS_FILE=/run/secrets/..., or KKS_ENCRYPTION_KEYS)")
        return self

    @property
    def admins(self) -> set[int]:
        return {int(part) for part in self.admin_ids.replace(" ", "").split(",") if part}

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    @property
    def draft_ttl(self) -> timedelta:
        return timedelta(days=self.draft_ttl_days)

    @property
    def key_file(self) -> Path:
        """Where the embedded mode keeps its key: outside the data folder."""
        if self.key_file_path:
            return self.key_file_path
        config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        return Path(config) / "kks-bot" / "encryption-keys.json"

    @property
    def legacy_key_file(self) -> Path:
        """Where earlier versions put it (moved out at the next start)."""
        return self.data_dir / "encryption-keys.json"

    @property
    def bot_base_url(self) -> str:
        """The URL python-telegram-bot puts the token behind: ``<base>/bot``."""
        return self.telegram_api_base_url.rstrip("/") + "/bot"


def _inside(path: Path, folder: Path) -> bool:
    return path.expanduser().resolve().is_relative_to(folder.expanduser().resolve())
