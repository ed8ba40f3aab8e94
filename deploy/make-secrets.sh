#!/usr/bin/env bash
# Make every secret a GASPOL deployment needs, once, into DIR (default deploy/compose/secrets):
#   secrets.env                 passwords and keys given as environment (compose --env-file,
#                               the Kubernetes overlay's secretGenerator)
#   token-signing.pem           Ed25519 key of access tokens (IDENTITY_SIGNING_KEY_FILE)
#   previous-keys/              token keys being rotated out (IDENTITY_PREVIOUS_KEY_FILES)
#   certificate-signing.pem     Ed25519 key of permit certificates (CERTIFICATE_KEY_FILE)
#   mongodb-keyfile             the MongoDB replica set members' shared key
#   bank-partners/              a demo partner bank (replace with the real partners, BANK_API.md)
#   tls/                        a private CA and server certificates of RabbitMQ, MongoDB, MinIO
#                               (Kubernetes; or bring certificates from cert-manager instead)
# Existing files are kept, so running it again only adds what is missing. Needs openssl.
set -euo pipefail

DIR=${1:-"$(dirname "$0")/compose/secrets"}
NAMESPACE=${GASPOL_NAMESPACE:-gaspol}
TLS_DAYS=${GASPOL_TLS_DAYS:-397}

umask 077
mkdir -p "$DIR/bank-partners" "$DIR/tls" "$DIR/previous-keys"
chmod 700 "$DIR"
cd "$DIR"

# Containers run as uid 10001, not as the operator: the files are readable, the folder is not.
readable() { chmod 644 "$@"; }
missing() { [ ! -e "$1" ]; }
hex() { openssl rand -hex "$1"; }

if missing secrets.env; then
    cat > secrets.env <<ENV
RABBITMQ_PASSWORD=$(hex 24)
RABBITMQ_ERLANG_COOKIE=$(hex 32)
MONGO_PASSWORD=$(hex 24)
MINIO_ROOT_USER=gaspol
MINIO_ROOT_PASSWORD=$(hex 24)
IDENTITY_NIK_KEY=$(openssl rand -base64 32)
IDENTITY_NIK_LOOKUP_KEY=$(openssl rand -base64 32)
INTERNAL_TOKEN=$(hex 32)
GASPOL_ADMIN_PASSWORD=$(hex 12)
GRAFANA_ADMIN_PASSWORD=$(hex 12)
ENV
fi

for key in token-signing certificate-signing; do
    missing "$key.pem" && openssl genpkey -algorithm ed25519 -out "$key.pem"
done
missing mongodb-keyfile && openssl rand -base64 756 > mongodb-keyfile

if missing bank-partners/partners.yaml; then
    openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048 \
        -out bank-partners/bank-demo-private.pem 2>/dev/null
    openssl pkey -in bank-partners/bank-demo-private.pem -pubout -out bank-partners/bank-demo.pem
    cat > bank-partners/partners.yaml <<YAML
partners:
  - client_id: BANKDEMO01
    name: Bank Demo
    client_secret: $(hex 32)
    public_key_file: bank-demo.pem
    partner_service_id: "   88899"
    channel_id: "95221"
YAML
fi

if missing tls/ca.crt; then
    openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=GASPOL internal CA" \
        -keyout tls/ca.key -out tls/ca.crt 2>/dev/null
fi

# Server certificates name the in-cluster DNS names of every member and of the Service.
server_certificate() {
    local name=$1 sans
    sans="DNS:$name,DNS:$name.$NAMESPACE.svc,DNS:$name.$NAMESPACE.svc.cluster.local"
    sans="$sans,DNS:*.$name-headless.$NAMESPACE.svc,DNS:*.$name-headless.$NAMESPACE.svc.cluster.local"
    missing "tls/$name.crt" || return 0
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "tls/$name.key" \
        -out "tls/$name.csr" 2>/dev/null
    openssl x509 -req -in "tls/$name.csr" -CA tls/ca.crt -CAkey tls/ca.key -set_serial "0x$(hex 16)" \
        -days "$TLS_DAYS" -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$sans") \
        -out "tls/$name.crt" 2>/dev/null
    rm "tls/$name.csr"
    # mongod wants the certificate and its key in one file.
    cat "tls/$name.crt" "tls/$name.key" > "tls/$name.pem"
}
for name in rabbitmq mongodb minio; do server_certificate "$name"; done

# The CA's own key stays readable by the operator alone: no container needs it.
readable secrets.env ./*.pem mongodb-keyfile bank-partners/* tls/*.crt tls/*.pem tls/[!c]*.key
chmod 755 bank-partners tls previous-keys
echo "secrets in $DIR (keep them out of version control and back them up offline)"
