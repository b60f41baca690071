/*
 * What the C tests of the ABI share (tests/c/smoke.c, tests/c/qr.c): one line per check, the
 * first failure prints what went wrong and exits with status 1; message-buffer checks;
 * reading testdata/ files. Everything is static inline: each test program is one translation
 * unit and uses what it needs.
 */
#ifndef DOCSEAL_TEST_CHECK_H
#define DOCSEAL_TEST_CHECK_H

#include "docseal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixed validation time of testdata/README.md: 2030-03-17T17:46:40Z. */
#define AT ((int64_t)1900000000)
/* Size of the message buffers; FILL marks bytes the library has not written. */
#define ERR_CAP 512
#define FILL '#'

static int checks;
static const char *testdata;

/* ------------------------------------------------------------------------------------------ */
/* Reporting                                                                                   */

static inline void pass(const char *what) {
    printf("ok %3d - %s\n", ++checks, what);
    fflush(stdout);
}

static inline void fail(const char *what, const char *detail) {
    fflush(stdout);
    fprintf(stderr, "FAIL %d - %s: %s\n", checks + 1, what, detail ? detail : "");
    exit(1);
}

static inline void check(int cond, const char *what) {
    if (!cond) {
        fail(what, "condition is false");
    }
    pass(what);
}

static inline void fresh(char *buf) { memset(buf, FILL, ERR_CAP); }

/* Whether `s[0..len)` is well-formed UTF-8 (no overlong, surrogate or truncated sequence). */
static inline int utf8_ok(const unsigned char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + n >= len) {
            return 0;
        }
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        i += n + 1;
    }
    return 1;
}

/* A status that must be OK; on failure the library's message is shown. */
static inline void expect_ok(const char *what, docseal_status got, const char *err) {
    if (got != DOCSEAL_STATUS_OK) {
        char detail[ERR_CAP + 128];
        snprintf(detail, sizeof detail, "%s (%d): %s", docseal_status_name((uint32_t)got),
                 (int)got, err ? err : "(no message buffer)");
        fail(what, detail);
    }
    pass(what);
}

/* A failing status: the expected one, with a non-empty, NUL-terminated UTF-8 message. */
static inline void expect_err(const char *what, docseal_status got, docseal_status want,
                       const char *err) {
    char detail[ERR_CAP + 256];
    if (got != want) {
        const char *nul = memchr(err, '\0', ERR_CAP);
        snprintf(detail, sizeof detail, "got %s (%d), want %s (%d); message: %.*s",
                 docseal_status_name((uint32_t)got), (int)got,
                 docseal_status_name((uint32_t)want), (int)want, nul ? ERR_CAP : 0, err);
        fail(what, detail);
    }
    const char *nul = memchr(err, '\0', ERR_CAP);
    if (nul == NULL) {
        fail(what, "message is not NUL-terminated within the buffer");
    }
    if (nul == err) {
        fail(what, "message is empty");
    }
    if (!utf8_ok((const unsigned char *)err, (size_t)(nul - err))) {
        fail(what, "message is not valid UTF-8");
    }
    snprintf(detail, sizeof detail, "%s -> %s \"%s\"", what, docseal_status_name((uint32_t)want),
             err);
    pass(detail);
}

/* ------------------------------------------------------------------------------------------ */
/* Files                                                                                       */

static inline const char *fixture(const char *rel) {
    static char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", testdata, rel);
    if (n < 0 || (size_t)n >= sizeof path) {
        fail(rel, "testdata path too long");
    }
    return path;
}

/* Reads a whole testdata/ file; the caller frees the result. */
static inline uint8_t *read_fixture(const char *rel, size_t *len_out) {
    const char *path = fixture(rel);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fail(path, "cannot open");
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *data = malloc(cap);
    if (data == NULL) {
        fail(path, "out of memory");
    }
    for (;;) {
        if (len == cap) {
            cap *= 2;
            uint8_t *grown = realloc(data, cap);
            if (grown == NULL) {
                fail(path, "out of memory");
            }
            data = grown;
        }
        size_t got = fread(data + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(f)) {
        fail(path, "read error");
    }
    fclose(f);
    *len_out = len;
    return data;
}

/* A borrowed text: NUL at [len], no NUL before it, valid UTF-8. */
static inline void check_borrowed_text(const char *what, const char *text, size_t len) {
    char line[256];
    snprintf(line, sizeof line, "%s: non-NULL", what);
    check(text != NULL, line);
    snprintf(line, sizeof line, "%s: NUL-terminated at its length (%zu bytes)", what, len);
    check(text[len] == '\0' && strlen(text) == len, line);
    snprintf(line, sizeof line, "%s: valid UTF-8", what);
    check(utf8_ok((const unsigned char *)text, len), line);
}

/* A call that fails with one status and one message, given only the message buffer. */
typedef docseal_status (*failing_call)(char *err_buf, size_t err_len);

/* The message buffer of a failing call: with every err_len from 1 to the message's length + 1
 * the message is a NUL-terminated prefix, cut on a UTF-8 character boundary, with nothing
 * written past err_len; err_len 0 and err_buf NULL are accepted. The message must hold
 * multi-byte characters (so that some cut falls inside one). */
static inline void expect_message_cuts(const char *what, failing_call call, docseal_status want) {
    char line[512];
    char full[ERR_CAP];
    fresh(full);
    snprintf(line, sizeof line, "%s, full message", what);
    expect_err(line, call(full, ERR_CAP), want, full);
    size_t full_len = strlen(full);
    snprintf(line, sizeof line, "%s: the full message is longer than 16 bytes", what);
    check(full_len > 16, line);
    snprintf(line, sizeof line, "%s: the full message fits the buffer", what);
    check(full_len < ERR_CAP - 1, line);

    char buf[ERR_CAP + 8];
    memset(buf, FILL, sizeof buf);
    docseal_status st = call(buf, 8);
    snprintf(line, sizeof line, "%s, 8-byte buffer: status is still %s", what,
             docseal_status_name((uint32_t)want));
    check(st == want, line);
    snprintf(line, sizeof line, "%s, 8-byte buffer: message is NUL-terminated within 8 bytes",
             what);
    check(memchr(buf, '\0', 8) != NULL, line);
    snprintf(line, sizeof line, "%s, 8-byte buffer: message is a prefix of the full message",
             what);
    check(strlen(buf) <= 7 && strncmp(buf, full, strlen(buf)) == 0, line);
    snprintf(line, sizeof line, "%s, 8-byte buffer: nothing written past byte 8", what);
    check(buf[8] == FILL && buf[9] == FILL && buf[ERR_CAP - 1] == FILL, line);

    /* Every size from 1 to the full length + 1: a prefix, at most 3 bytes short, whole chars. */
    int all_ok = 1, saw_utf8_cut = 0;
    for (size_t cap = 1; cap <= full_len + 1; cap++) {
        memset(buf, FILL, sizeof buf);
        st = call(buf, cap);
        const char *nul = memchr(buf, '\0', cap);
        size_t got = nul ? (size_t)(nul - buf) : cap;
        size_t want_max = cap - 1 < full_len ? cap - 1 : full_len;
        int ok = st == want && nul != NULL && got <= want_max && want_max - got <= 3 &&
                 memcmp(buf, full, got) == 0 && ((unsigned char)full[got] & 0xC0) != 0x80 &&
                 buf[cap] == FILL && utf8_ok((const unsigned char *)buf, got);
        if (got < want_max) {
            saw_utf8_cut = 1;
        }
        if (!ok) {
            fprintf(stderr, "  err_len %zu: got %zu bytes \"%s\"\n", cap, got, nul ? buf : "");
            all_ok = 0;
        }
    }
    snprintf(line, sizeof line,
             "%s: every err_len from 1 to full+1: a NUL-terminated prefix cut on a UTF-8 "
             "character boundary, nothing written past err_len",
             what);
    check(all_ok, line);
    snprintf(line, sizeof line,
             "%s: some err_len fell inside a multi-byte character and was cut before it", what);
    check(saw_utf8_cut, line);

    memset(buf, FILL, sizeof buf);
    st = call(buf, 0);
    snprintf(line, sizeof line, "%s, err_len 0: status returned, buffer untouched", what);
    check(st == want && buf[0] == FILL, line);
    snprintf(line, sizeof line, "%s, err_buf NULL, err_len 0: accepted, status returned", what);
    check(call(NULL, 0) == want, line);
    snprintf(line, sizeof line, "%s, err_buf NULL, err_len 64: accepted, status returned", what);
    check(call(NULL, 64) == want, line);
}

#endif /* DOCSEAL_TEST_CHECK_H */
