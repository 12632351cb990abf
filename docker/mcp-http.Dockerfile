# syntax=docker/dockerfile:1
# The HTTP server as a container (the production shape: PostgreSQL and ClickHouse servers
# configured by URL, see docker/compose.yaml):
#   docker run --rm -p 8080:8080 \
#     -e TELEMETRYFLOW_MCP_POSTGRES_URL=postgres://... -e TELEMETRYFLOW_MCP_CLICKHOUSE_URL=http://... \
#     -e TELEMETRYFLOW_MCP_HTTP_PUBLIC_URL=https://mcp.example.com tfo-mcp-http
# Build from the repository root: docker build -f docker/mcp-http.Dockerfile -t tfo-mcp-http .

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY libs ./libs
COPY apps ./apps
COPY tools ./tools
COPY tsconfig.base.json tsconfig.json nx.json ./
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
# Inside a container the server binds every interface; it refuses to start that way
# without an auth method (API keys are on by default).
ENV NODE_ENV=production \
    TELEMETRYFLOW_MCP_SERVER_HOST=0.0.0.0 \
    TELEMETRYFLOW_MCP_SERVER_PORT=8080 \
    TELEMETRYFLOW_MCP_DATA_DIR=/data \
    TELEMETRYFLOW_MCP_FILES_ROOTS=/workspace \
    TELEMETRYFLOW_MCP_LOG_FORMAT=json
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/libs ./libs
COPY --from=build /src/apps/mcp-http ./apps/mcp-http
RUN mkdir -p /workspace /data && chown node:node /workspace /data
VOLUME /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "/app/apps/mcp-http/dist/main.js"]
