#!/usr/bin/env bash
# Make sure RabbitMQ answers on the AMQP port: install it (Debian), start it, wait until it is up.
set -euo pipefail

AMQP_URI=${AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/}
WAIT_SECONDS=${RABBITMQ_WAIT_SECONDS:-90}
# Debian keeps the RabbitMQ commands in /usr/sbin, which is not on a normal user's PATH.
PATH="$PATH:/usr/sbin:/sbin"

say() { echo "rabbitmq: $*"; }
fail() { echo "rabbitmq: error: $*" >&2; exit 1; }

# host and port out of amqp://user:pass@host:port/vhost
address=${AMQP_URI#*://}
address=${address##*@}
address=${address%%/*}
HOST=${address%%:*}
PORT=5672
[ "$address" != "$HOST" ] && PORT=${address##*:}
HOST=${HOST:-127.0.0.1}

answers() {
    timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$PORT" 2>/dev/null
}

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        fail "need root (or sudo) to run: $*"
    fi
}

install_rabbitmq() {
    command -v apt-get >/dev/null \
        || fail "rabbitmq-server is not installed and apt-get is not available: install RabbitMQ"
    say "rabbitmq-server is not installed: installing it with apt-get"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
}

wait_until_answers() {
    local waited=0 hint=${1:-}
    until answers; do
        if [ "$waited" -ge "$WAIT_SECONDS" ]; then
            fail "nothing answers on $HOST:$PORT after ${WAIT_SECONDS}s$hint"
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

if answers; then
    exit 0
fi

case "$HOST" in
    127.0.0.1 | localhost | ::1) ;;
    *)  # Someone else's broker: nothing to install or start here, only wait for it.
        say "waiting for $HOST:$PORT"
        wait_until_answers
        exit 0 ;;
esac

command -v rabbitmq-server >/dev/null || install_rabbitmq
# The Debian package may have started it already (where an init system runs).
if ! answers; then
    say "starting rabbitmq-server"
    as_root rabbitmq-server -detached
fi
wait_until_answers " (logs: /var/log/rabbitmq/)"
say "ready on $HOST:$PORT"
