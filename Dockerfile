# syntax=docker/dockerfile:1
# App image shared by the API (default CMD) and the worker (compose overrides the command).

# Install from the lockfile in its own stage so dependency layers are cached independently of source edits.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force

# Strip host-only directories here so a host node_modules (maybe another OS's native addons) never reaches the image.
FROM node:20-bookworm-slim AS source
WORKDIR /src
COPY . .
RUN rm -rf node_modules .git .data .tools .env

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=source --chown=node:node /src ./
# Run unprivileged; the node user ships with the official image.
USER node
EXPOSE 3000 9464
CMD ["npx", "tsx", "api/main.ts"]
