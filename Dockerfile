# Gatehouse image: build TypeScript with dev dependencies, run with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY *.ts ./
COPY cluster cluster
COPY config config
COPY cli cli
COPY plugins plugins
COPY routes routes
COPY schemas schemas
COPY migrations migrations
COPY types types
COPY scripts scripts
COPY conf conf
# tsc, then the bundled dist/server.js and the embedded database's seed (scripts/).
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    GF_PATHS_DATA=/var/lib/gatehouse \
    GF_PATHS_PLUGINS=/var/lib/gatehouse/plugins
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
COPY conf conf
COPY ui ui
# `docker compose exec gatehouse gatehouse …` runs the CLI with the container's GF_ variables.
RUN chmod +x dist/cli.js && ln -s /app/dist/cli.js /usr/local/bin/gatehouse \
 && mkdir -p /var/lib/gatehouse && chown node:node /var/lib/gatehouse
USER node
VOLUME /var/lib/gatehouse
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.GF_SERVER_HTTP_PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server.js"]
