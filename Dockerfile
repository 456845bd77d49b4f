# The build stage has the dev dependencies and bundles src/ into dist/; the
# runtime stage (the last, and the default target) has production dependencies
# and dist/ only, and runs as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# Development tools on the build stage's dependencies, for deploy/docker-compose.yml:
# the example subgraph and `npm run compose`. Never part of the production image.
FROM build AS tools
COPY examples ./examples
RUN mkdir /supergraph && chown node:node /supergraph
USER node

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY scripts/nodeFlags.sh ./scripts/
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm (exec: sh leaves): SIGTERM from `docker stop` must reach the server for a graceful
# shutdown. Its heap is sized to the container's memory limit (scripts/nodeFlags.sh, as npm start does).
CMD ["sh", "-c", "exec node $(sh scripts/nodeFlags.sh) dist/main.js"]
