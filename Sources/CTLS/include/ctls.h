// TLS client connections over a connected, non-blocking TCP socket, with mbedTLS (Debian's
// libmbedtls, linked statically): certificates verified against the CA certificates in a folder,
// the server's name or IPv4 address checked. Every symbol is prefixed ctls_.
#ifndef CTLS_H
#define CTLS_H
#include <stddef.h>

typedef struct ctls_connection ctls_connection;

/// A client for `fd`, trusting the certificates in `ca_path` (a folder or a file); `host` is a
/// name or an IPv4 address in dotted form. NULL with `error` filled when it cannot be set up.
ctls_connection *ctls_new(int fd, const char *ca_path, const char *host, char *error, size_t error_size);

/// 0 when the handshake is done; 1 when it waits for the socket to be readable, 2 writable;
/// -1 with `error` filled (a certificate's problem says which).
int ctls_handshake(ctls_connection *c, char *error, size_t error_size);

/// Bytes read (> 0), 0 at the peer's close, -2 when nothing is there yet, -1 with `error` filled.
long ctls_read(ctls_connection *c, void *buffer, size_t size, char *error, size_t error_size);

/// Bytes written (> 0), -2 when the socket has no room yet, -1 with `error` filled.
long ctls_write(ctls_connection *c, const void *buffer, size_t size, char *error, size_t error_size);

void ctls_free(ctls_connection *c);

#endif
