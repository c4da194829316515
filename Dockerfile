# Chaser: one slim image for the HTTP server (Slack events, Teams messages, health checks) and the
# `chaser` command line. Run several replicas against one PostgreSQL database
# (CHASER_DATABASE_URL=postgresql://...); the default SQLite file lives on the /data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# An unprivileged user owns the data directory; nothing runs as root.
RUN groupadd --system --gid 10001 chaser \
 && useradd --system --uid 10001 --gid chaser --home-dir /app --shell /usr/sbin/nologin chaser \
 && mkdir -p /app /data \
 && chown chaser:chaser /data

WORKDIR /app

# The project, installed from the repository (dependencies from pyproject.toml).
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY scheduler ./scheduler
COPY store ./store
RUN pip install . && rm -rf /app/build

USER chaser:chaser

ENV CHASER_DATABASE_URL=sqlite:////data/chaser.db \
    CHASER_HOST=0.0.0.0 \
    CHASER_PORT=3978 \
    CHASER_LOG_JSON=true

VOLUME ["/data"]
EXPOSE 3978

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('CHASER_PORT', '3978'), timeout=4)"]

# Bring the schema up to date (a no-op when it already is), then serve.
CMD ["sh", "-c", "chaser db upgrade && exec chaser serve --host 0.0.0.0"]
