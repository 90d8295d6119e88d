# syntax=docker/dockerfile:1

# Build a static binary: no cgo, no paths of the build machine in it.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/salespulse/pulse.Version=${VERSION}" \
      -o /out/pulse ./cmd/pulse \
 && mkdir -p /out/data

# Distroless static: CA certificates for Slack's TLS, no shell, no package
# manager. The binary carries its own zone database (time/tzdata).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pulse /pulse
# The volume's mount point is owned by the non-root user, so a fresh named
# volume is writable by pulse.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
ENV PULSE_DB_PATH=/data/pulse.db \
    PULSE_HTTP_ADDR=:8080
EXPOSE 8080
# distroless has no curl or wget: pulse asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/pulse", "healthcheck"]
ENTRYPOINT ["/pulse"]
CMD ["run"]
