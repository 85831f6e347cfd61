# KKS-bot: the Telegram bot, as a non-root user, catalogues compiled at build time.
# The base is named by digest (python:3.11-slim, Python 3.11.16 on Debian trixie, the
# multi-architecture index digest; see README "Deployment" for where it came from and how to
# move it). CI builds on a stand-in from Debian's packages: --build-arg BASE=localhost/kks-base
# (scripts/image_smoke.sh).
ARG BASE=python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7
FROM ${BASE} AS app

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    KKS_DATA_DIR=/data KKS_LOCALES_DIR=/app/locales KKS_HEALTH_LISTEN=0.0.0.0:8080
WORKDIR /app

# The official PDF copy is set in DejaVu Sans (Latin and Arabic).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# The locked set first, by version and hash (requirements/app.txt, written by scripts/lock.sh);
# a layer of its own, so a change in the code does not install it again.
COPY requirements/app.txt ./requirements/app.txt
RUN pip install --require-hashes -r requirements/app.txt

COPY pyproject.toml README.md babel.cfg ./
COPY kks_bot ./kks_bot
COPY conversations ./conversations
COPY locales ./locales
COPY scripts/i18n.py ./scripts/i18n.py

RUN pip install --no-deps --no-build-isolation . \
 && pip check \
 && python scripts/i18n.py compile \
 && python -m kks_bot check \
 && useradd --system --uid 10001 --home-dir /data --create-home kks \
 && chown -R kks /data

USER kks
VOLUME ["/data"]
# Webhook mode (KKS_WEBHOOK_URL, KKS_WEBHOOK_SECRET): listen on all interfaces of the
# container, KKS_WEBHOOK_LISTEN=0.0.0.0:8080, behind your TLS reverse proxy.
EXPOSE 8080
# TELEGRAM_BOT_TOKEN, KKS_DATABASE_URL and the keys come from your secret store: the keys as
# KKS_ENCRYPTION_KEYS, or mounted as a secret with KKS_ENCRYPTION_KEYS_FILE=/run/secrets/...
# The bot refuses a key file inside /data (the volume, which is also this user's home): a
# copy of the volume must not carry its own key.
# /healthz answers while the process runs (on the webhook's listener in webhook mode:
# KKS_WEBHOOK_LISTEN=0.0.0.0:8080); /readyz and /metrics are there for the orchestrator.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
CMD ["kks-bot", "run"]
