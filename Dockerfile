# Runyard's container image; how to run it is in docs/operations.md.
#
#   docker build -t runyard .
#   docker run --rm -v runyard-data:/data runyard keys create --name admin   # once: the key to use
#   docker run -d --name runyard -p 7700:7700 -v runyard-data:/data runyard
#
# Stage `build` installs the workspace and compiles the server (apps/server/dist/cli.mjs) and
# the console (apps/console/dist), then drops the development dependencies. The final stage
# adds Debian's bubblewrap (the agent's sandbox) and tini (PID 1: forwards signals, reaps
# orphans), runs as an unprivileged user, and keeps all state in the volume /data: the
# embedded PostgreSQL (the single-container default) and the server-managed workspaces.

FROM node:20-bookworm-slim AS build
# pnpm 12 would try to record the packageManager pin in the lockfile and fail frozen installs
# (scripts/bootstrap.mjs sets the same); CI=true: no prompts, no progress bars.
ENV CI=true \
    pnpm_config_pm_on_fail=ignore \
    TURBO_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1
RUN npm i -g pnpm@12.21.0
WORKDIR /app
# Dependencies first (only the lockfile and the patches pnpm applies to them: patchedDependencies
# in pnpm-workspace.yaml), so that source changes reuse this layer.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY patches ./patches
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline \
 && pnpm build \
 && pnpm prune --prod --ignore-scripts

FROM node:20-bookworm-slim
# Exact Debian versions are not pinned: bookworm's security updates replace them, and the base
# image tag already fixes the release.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 runyard \
 && useradd --system --uid 10001 --gid runyard --create-home --home-dir /home/runyard --shell /usr/sbin/nologin runyard \
 && mkdir -p /data \
 && chown runyard:runyard /data \
 && ln -s /app/docker/entrypoint.sh /usr/local/bin/runyard
WORKDIR /app
# Owned by root: the server cannot change its own code; it writes only to /data.
COPY --from=build /app /app
# No NODE_OPTIONS: `npm start` gives the server no Node flags either (apps/server/bin/node-flags.mjs:
# a V8 flag costs Node's code cache for its built-in modules; a test keeps them equal). RUNYARD_HOST: a container is reached through its published port; the
# server still refuses a non-loopback address until an API key exists (README, Security).
ENV NODE_ENV=production \
    RUNYARD_HOST=0.0.0.0 \
    RUNYARD_PORT=7700 \
    RUNYARD_DATA_DIR=/data \
    RUNYARD_WORKSPACES_DIR=/data/workspaces
USER runyard
VOLUME ["/data"]
EXPOSE 7700
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "/app/docker/healthcheck.mjs"]
# -s: tini reaps orphans also when it is not PID 1 (`docker run --init`, the tests).
ENTRYPOINT ["/usr/bin/tini", "-s", "--", "/app/docker/entrypoint.sh"]
CMD ["start"]
