# The portal's production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

# WeasyPrint renders with Pango; fonts come from static/fonts, so no font packages are needed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

# DEBUG=0 here too, so that a stray .env (read by the settings) can never switch it on.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0 \
    STATIC_MANIFEST=1 \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/media

# A home directory, because fontconfig (under WeasyPrint) keeps its cache there.
RUN useradd --create-home --uid 1000 portal

WORKDIR /app
# The production lock only (no test tools); installed before the code so the layer is cached.
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
# The key only lets the settings load for this step; the real one comes at run time.
RUN SECRET_KEY=build-only-throwaway-key-0123456789abcdef python manage.py collectstatic --noinput

# The code stays root's; only var/ (media, beat's schedule) is writable by the portal user.
RUN mkdir -p /app/var/media && chown -R portal:portal /app/var
USER portal

EXPOSE 8000
# 120 s: spreadsheet imports in the admin run inside the request; PDFs are made by the worker.
CMD ["gunicorn", "khuyencong.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "120", "--access-logfile", "-"]
