# syntax=docker/dockerfile:1
# vitd-cds: multi-stage build. `build` compiles the service, the SMART app and the sandbox page
# (and is also the image of the one-shot `seed` service in docker-compose.yml, which needs tsx);
# `runtime` has production dependencies only and runs as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && node sandbox/build.mjs

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    CDS_DATABASE_URL=sqlite:/app/data/feedback.sqlite
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
# Sources and data files (cards/, code sets, demo patients), then the build outputs.
COPY . .
COPY --from=build /app/dist ./dist
COPY --from=build /app/launch/dist ./launch/dist
COPY --from=build /app/sandbox/dist ./sandbox/dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server.js"]
