# Rota: one image for web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=rota.settings

RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 rota

WORKDIR /app
COPY pyproject.toml README.md ./
COPY rota ./rota
COPY accounts ./accounts
COPY scheduling ./scheduling
COPY calendars ./calendars
RUN pip install .
COPY . .
# collectstatic needs settings but no database or secret of the real deployment.
RUN DEBUG=1 python manage.py collectstatic --noinput && mkdir -p /app/var/media && chown -R rota /app/var

USER rota
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
# Worker processes: WEB_CONCURRENCY (gunicorn's own variable), about one per CPU.
CMD ["gunicorn", "rota.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--threads", "4", "--access-logfile", "-"]
