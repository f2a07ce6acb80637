# syntax=docker/dockerfile:1
# SIPAS service image: runs the migrations, then uvicorn. PostgreSQL through SIPAS_DATABASE_URL,
# e.g. postgresql+psycopg://sipas:secret@db:5432/sipas; SIPAS_SECRET_KEY must be set.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies in their own layer: only pyproject.toml decides whether it is rebuilt.
COPY pyproject.toml README.md ./
RUN mkdir app questionnaires sampling analysis migrations \
 && for p in app questionnaires sampling analysis migrations; do touch $p/__init__.py; done \
 && pip install . && pip uninstall -y sipas \
 && rm -rf app questionnaires sampling analysis migrations
COPY app ./app
COPY questionnaires ./questionnaires
COPY sampling ./sampling
COPY analysis ./analysis
COPY migrations ./migrations
RUN pip install --no-deps .

FROM python:3.11-slim
# pg_dump/pg_restore for `sipas db backup|restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin sipas
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    SIPAS_ENVIRONMENT=production \
    SIPAS_WORKERS=2
USER sipas
WORKDIR /home/sipas
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["sh", "-c", "sipas db upgrade && exec sipas serve --host 0.0.0.0 --port 8000 --workers \"$SIPAS_WORKERS\""]
