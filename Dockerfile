# syntax=docker/dockerfile:1
# streamcogs: one Node 20 process running every bot of bots.yaml. docker-compose.yml runs it
# (two instances sharing Redis) behind nginx; docs/deployment.md, "Docker".

# 1. Dependencies, production only: tsx is a runtime dependency (cogs are TypeScript, loaded
#    as they are), so `--omit=dev` keeps it. The compilers are there in case a native module
#    (sqlite3) has no prebuilt binary for the platform; they stay in this stage.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 2. Runtime: no compilers, no npm cache, not root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY core ./core
COPY src ./src
COPY plugins ./plugins
RUN mkdir -p /app/data && chown node:node /app/data
# The image's unprivileged user (uid 1000). bots.yaml is mounted at /app/bots.yaml.
USER node
EXPOSE 8000
VOLUME ["/app/data"]
# /healthz on the app's own port (nginx does not expose /readyz or /metrics; neither does this).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains and exits 0 within 10 s (compose waits 15 s: stop_grace_period).
STOPSIGNAL SIGTERM
CMD ["node", "bin/streamcogs.js", "start"]
