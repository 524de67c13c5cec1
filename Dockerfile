# scrgraph API image: `docker compose up` (see docker-compose.yml), or
#   docker build -t scrgraph . && docker run -p 127.0.0.1:8000:8000 scrgraph
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Only what the package needs is copied (not `COPY . .`): the work tree may hold local state
# such as .neo4j-local/ (store + password file), node_modules/ or var/ that must not end up in
# an image. Keep this list in step with [tool.setuptools.packages.find] in pyproject.toml.
COPY pyproject.toml README.md ./
COPY scrgraph ./scrgraph
COPY graph_schema ./graph_schema
COPY graph_store ./graph_store
COPY loaders ./loaders
COPY gql_api ./gql_api
COPY queries ./queries

RUN pip install . \
    && useradd --create-home --uid 10001 scrgraph \
    && mkdir -p /app/var \
    && chown scrgraph /app/var

USER scrgraph
EXPOSE 8000

CMD ["scrgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
