# syntax=docker/dockerfile:1

# Build stage: dev dependencies (TypeScript) and compilers live here only.
FROM node:22-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary fits the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build \
 && npm prune --omit=dev

# Runtime stage: production dependencies and compiled code, no compilers, no sources.
FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
# The disk mount point, owned by the unprivileged user: an empty named volume mounted here
# takes this ownership. data/ is the local fallback (a warning, lost with the container).
RUN mkdir -p /opt/render/project/persistent /app/data \
 && chown node:node /opt/render/project/persistent /app/data
# The code stays owned by root: the app process cannot modify itself.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
USER node
EXPOSE 3000
# fetch is built into Node 22: no curl in a slim image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 here; the server handles SIGTERM itself (drains requests, closes the database).
CMD ["node", "dist/src/main.js"]
