# newsmirror in a container (docs/deploy.md, "Docker"). Two stages: the Go
# toolchain builds a static binary (CGO_ENABLED=0; the SQLite driver,
# modernc.org/sqlite, is pure Go); the runtime image holds that binary, git
# (newsmirror commits and pushes with it), CA certificates and busybox's
# wget for the health check, and runs as an unprivileged user.
#
#   docker build -t newsmirror .
#   docker run -d -p 8080:8080 -v newsmirror:/var/lib/newsmirror \
#     -v "$PWD/newsmirror.yaml:/etc/newsmirror/newsmirror.yaml:ro" newsmirror
#
# The default command is the hit counter (serve); "run --every 2h" or
# "sync" run the mirror itself (see docs/deploy.md for their health check).

ARG GO_VERSION=1.26
ARG ALPINE_VERSION=3.22

FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/newsmirror ./cmd/newsmirror

FROM alpine:${ALPINE_VERSION} AS runtime
RUN apk add --no-cache git ca-certificates openssh-client \
 && addgroup -S -g 10001 newsmirror \
 && adduser -S -D -H -u 10001 -G newsmirror -h /var/lib/newsmirror -s /sbin/nologin newsmirror \
 && install -d -o newsmirror -g newsmirror -m 0750 /var/lib/newsmirror \
 && install -d -m 0755 /etc/newsmirror
COPY --from=build /out/newsmirror /usr/local/bin/newsmirror
# The mirror repository and its state database (output.dir, e.g.
# /var/lib/newsmirror/mirror). git and ssh read HOME.
VOLUME ["/var/lib/newsmirror"]
WORKDIR /var/lib/newsmirror
ENV HOME=/var/lib/newsmirror \
    GIT_CONFIG_NOSYSTEM=1 \
    NEWSMIRROR_HEALTH_URL=http://127.0.0.1:8080/healthz
USER 10001:10001
EXPOSE 8080
# serve answers /healthz on serve.addr; "run --metrics-addr :9090" answers
# it there: set NEWSMIRROR_HEALTH_URL to match.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD wget -q -O /dev/null "$NEWSMIRROR_HEALTH_URL" || exit 1
ENTRYPOINT ["/usr/local/bin/newsmirror"]
CMD ["serve", "-c", "/etc/newsmirror/newsmirror.yaml"]
