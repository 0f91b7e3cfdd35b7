# syntax=docker/dockerfile:1
# vitd-cds: multi-stage build.
#   build   — every dependency (dev included); compiles the service (dist/), the SMART app (launch/dist/) and
#             the sandbox bundles (sandbox/dist/). Also the image of the one-shot `seed` service in
#             docker-compose.yml (it needs tsx).
#   sandbox — the demo image (`cds` in docker-compose.yml): the build stage's tree as it is, because the
#             sandbox bundle keeps its packages external (sandbox/build.mjs: packages: "external") and needs
#             sandbox-only devDependencies (@medplum/*) at run time. A development tool: never deploy it.
#   runtime — the production image and the default target (last stage): production dependencies only
#             (`npm ci --omit=dev`), only what `node dist/server.js` reads (dist/, cards/, the SMART app's pages
#             and bundles), no sources, no sandbox, no build tools; runs as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# .npmrc (legacy-peer-deps) is part of how package-lock.json was made: npm ci needs it to accept the lock file.
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
# npm run build = tsc (dist/) + launch/build.mjs (launch/dist/) + sandbox/build.mjs (sandbox/dist/).
RUN npm run build

FROM node:20-bookworm-slim AS sandbox
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    CDS_DATABASE_URL=sqlite:/app/data/feedback.sqlite
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "sandbox/dist/main.cjs"]

FROM node:20-bookworm-slim AS runtime
# MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (V8's GC and compiler threads, libuv's pool) an arena
# of its own and keeps their freed memory; with two, RSS after a 5-minute soak stays within 10 % of its level
# after warm-up (docs/benchmarks.md, "Memory"; the benchmark runs the service with the same setting).
ENV NODE_ENV=production \
    PORT=3000 \
    MALLOC_ARENA_MAX=2 \
    CDS_DATABASE_URL=sqlite:/app/data/feedback.sqlite
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force
# What the compiled service reads at run time: card wording (dist/render requires ../../cards/*.json), the SMART
# app's pages (dist/smart serves ../../launch/*.html, app.css, favicon.ico, patterns/*.html) and its bundles (launch/dist/).
COPY cards/*.json ./cards/
COPY launch/launch.html launch/index.html launch/app.css launch/favicon.ico ./launch/
COPY launch/patterns/*.html ./launch/patterns/
COPY --from=build /app/dist ./dist
COPY --from=build /app/launch/dist ./launch/dist
# /app/data: the SQLite feedback store of a single-instance deployment; replicas use CDS_DATABASE_URL=postgres://…
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness only (no dependency asked); orchestrators use /readyz for routing (docs/operations.md).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server.js"]
