# yuncang: a static binary on a small Debian base, run as an unprivileged user.
#
#   docker build -t yuncang .
#   docker run --rm -p 8080:8080 -e YUNCANG_ADDR=0.0.0.0:8080 \
#     -e YUNCANG_DB=postgres://… -e YUNCANG_MASTER_KEY_FILE=/run/secrets/master \
#     -e YUNCANG_AUDIT_SIGNER_KEY_FILE=/run/secrets/audit-signer.key \
#     -v /srv/yuncang:/var/lib/yuncang yuncang serve
#
# See docs/deploy.md for keys, checkpoints, backups and TLS.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Pure Go throughout (modernc SQLite, pgx): no cgo, a static binary.
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/yuncang ./cmd/yuncang

FROM debian:bookworm-slim
# A CJK font for labels and reports, and CA roots for the alert webhook.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/yuncang --create-home yuncang
COPY --from=build /out/yuncang /usr/local/bin/yuncang
USER 10001:10001
WORKDIR /var/lib/yuncang
ENV YUNCANG_DATA=/var/lib/yuncang
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/yuncang"]
CMD ["serve"]
