// TLS client connections with mbedTLS; see ctls.h. The socket is the caller's (non-blocking);
// mbedTLS reads and writes it through the two callbacks here. Name checks are mbedTLS's own;
// an IPv4 address is checked against the certificate's iPAddress names (RFC 5280 4.2.1.6),
// which mbedTLS 2.28 does not do itself.
#include "ctls.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

struct ctls_connection {
    int fd;
    int has_address;
    unsigned char address[4];
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config config;
    mbedtls_x509_crt ca;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context random;
};

static int ctls_send(void *context, const unsigned char *buffer, size_t size) {
    ctls_connection *c = context;
    ssize_t n = send(c->fd, buffer, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) return (int)n;
    return (errno == EAGAIN || errno == EINTR) ? MBEDTLS_ERR_SSL_WANT_WRITE : MBEDTLS_ERR_NET_SEND_FAILED;
}

static int ctls_receive(void *context, unsigned char *buffer, size_t size) {
    ctls_connection *c = context;
    ssize_t n = recv(c->fd, buffer, size, MSG_DONTWAIT);
    if (n >= 0) return (int)n;
    return (errno == EAGAIN || errno == EINTR) ? MBEDTLS_ERR_SSL_WANT_READ : MBEDTLS_ERR_NET_RECV_FAILED;
}

/// The leaf certificate must name the address among its iPAddress names.
static int ctls_verify(void *context, mbedtls_x509_crt *certificate, int depth, uint32_t *flags) {
    ctls_connection *c = context;
    if (depth != 0 || !c->has_address) return 0;
    for (const mbedtls_x509_sequence *name = &certificate->subject_alt_names; name != NULL; name = name->next) {
        if (name->buf.tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) && name->buf.len == 4 && memcmp(name->buf.p, c->address, 4) == 0) return 0;
    }
    *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    return 0;
}

static void ctls_say(int code, const char *what, char *error, size_t error_size) {
    char text[160];
    mbedtls_strerror(code, text, sizeof text);
    snprintf(error, error_size, "%s: %s", what, text);
}

ctls_connection *ctls_new(int fd, const char *ca_path, const char *host, char *error, size_t error_size) {
    ctls_connection *c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    c->fd = fd;
    c->has_address = inet_pton(AF_INET, host, c->address) == 1;
    mbedtls_ssl_init(&c->ssl);
    mbedtls_ssl_config_init(&c->config);
    mbedtls_x509_crt_init(&c->ca);
    mbedtls_entropy_init(&c->entropy);
    mbedtls_ctr_drbg_init(&c->random);
    int r = mbedtls_ctr_drbg_seed(&c->random, mbedtls_entropy_func, &c->entropy, (const unsigned char *)"baton", 5);
    if (r != 0) {
        ctls_say(r, "random numbers", error, error_size);
        ctls_free(c);
        return NULL;
    }
    struct stat info;
    int loaded = -1;
    if (stat(ca_path, &info) == 0) {
        loaded = S_ISDIR(info.st_mode) ? mbedtls_x509_crt_parse_path(&c->ca, ca_path) : mbedtls_x509_crt_parse_file(&c->ca, ca_path);
    }
    // A folder with some unreadable files still counts when it gave certificates.
    if (loaded < 0 || c->ca.version == 0) {
        snprintf(error, error_size, "no CA certificates in %s: HTTPS cannot be verified", ca_path);
        ctls_free(c);
        return NULL;
    }
    r = mbedtls_ssl_config_defaults(&c->config, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (r != 0) {
        ctls_say(r, "TLS set-up", error, error_size);
        ctls_free(c);
        return NULL;
    }
    mbedtls_ssl_conf_authmode(&c->config, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&c->config, &c->ca, NULL);
    mbedtls_ssl_conf_rng(&c->config, mbedtls_ctr_drbg_random, &c->random);
    mbedtls_ssl_conf_verify(&c->config, ctls_verify, c);
    mbedtls_ssl_conf_min_version(&c->config, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);  // TLS 1.2
    r = mbedtls_ssl_setup(&c->ssl, &c->config);
    // An address is checked by ctls_verify; a name by mbedTLS (SNI too).
    if (r == 0 && !c->has_address) r = mbedtls_ssl_set_hostname(&c->ssl, host);
    if (r != 0) {
        ctls_say(r, "TLS set-up", error, error_size);
        ctls_free(c);
        return NULL;
    }
    mbedtls_ssl_set_bio(&c->ssl, c, ctls_send, ctls_receive, NULL);
    return c;
}

int ctls_handshake(ctls_connection *c, char *error, size_t error_size) {
    int r = mbedtls_ssl_handshake(&c->ssl);
    if (r == 0) return 0;
    if (r == MBEDTLS_ERR_SSL_WANT_READ) return 1;
    if (r == MBEDTLS_ERR_SSL_WANT_WRITE) return 2;
    uint32_t flags = mbedtls_ssl_get_verify_result(&c->ssl);
    if (r == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED && flags != 0) {
        // The reason first and short: it is what a person at an 80-column console must see.
        const char *reason = NULL;
        if (flags & MBEDTLS_X509_BADCERT_EXPIRED) reason = "its certificate has expired";
        else if (flags & MBEDTLS_X509_BADCERT_FUTURE) reason = "its certificate is not valid yet (or this clock is wrong)";
        else if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) reason = "its certificate is not from a trusted CA";
        else if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) reason = "its certificate does not name this server";
        else if (flags & MBEDTLS_X509_BADCERT_REVOKED) reason = "its certificate was revoked";
        if (reason != NULL) {
            snprintf(error, error_size, "%s", reason);
        } else {
            char text[512];
            int n = mbedtls_x509_crt_verify_info(text, sizeof text, "", flags);
            for (int i = 0; i < n; i++) if (text[i] == '\n') text[i] = (i == n - 1) ? '\0' : ';';
            snprintf(error, error_size, "its certificate was refused: %s", text);
        }
        return -1;
    }
    ctls_say(r, "TLS handshake", error, error_size);
    return -1;
}

long ctls_read(ctls_connection *c, void *buffer, size_t size, char *error, size_t error_size) {
    int r = mbedtls_ssl_read(&c->ssl, buffer, size);
    if (r > 0) return r;
    if (r == 0 || r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) return 0;
    if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) return -2;
    ctls_say(r, "TLS read", error, error_size);
    return -1;
}

long ctls_write(ctls_connection *c, const void *buffer, size_t size, char *error, size_t error_size) {
    int r = mbedtls_ssl_write(&c->ssl, buffer, size);
    if (r > 0) return r;
    if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) return -2;
    ctls_say(r, "TLS write", error, error_size);
    return -1;
}

void ctls_free(ctls_connection *c) {
    if (c == NULL) return;
    mbedtls_ssl_free(&c->ssl);
    mbedtls_ssl_config_free(&c->config);
    mbedtls_x509_crt_free(&c->ca);
    mbedtls_ctr_drbg_free(&c->random);
    mbedtls_entropy_free(&c->entropy);
    free(c);
}
