# syntax=docker/dockerfile:1
# The stdio server as a container:
#   docker run -i --rm -v "$PWD:/workspace" -v tfo-mcp-data:/data tfo-mcp-stdio
# The named volume keeps the embedded PostgreSQL and ClickHouse data (and the demo estate)
# across runs; without it every run starts from empty engines and loads the demo again.
# Build from the repository root: docker build -f docker/mcp-stdio.Dockerfile -t tfo-mcp-stdio .

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY libs ./libs
COPY apps ./apps
COPY tools ./tools
COPY tsconfig.base.json tsconfig.json nx.json ./
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    TELEMETRYFLOW_MCP_FILES_ROOTS=/workspace \
    TELEMETRYFLOW_MCP_DATA_DIR=/data \
    TELEMETRYFLOW_MCP_LOG_FORMAT=json
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/libs ./libs
COPY --from=build /src/apps/mcp-stdio ./apps/mcp-stdio
RUN mkdir -p /workspace /data && chown node:node /workspace /data
VOLUME /data
USER node
WORKDIR /workspace
ENTRYPOINT ["node", "/app/apps/mcp-stdio/dist/main.js"]
CMD ["serve"]
