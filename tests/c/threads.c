/*
 * The C ABI's thread-safety promise (include/docseal.h: "A docseal_verifier and a
 * docseal_report may be used from several threads at once"): THREADS threads share ONE
 * verifier, each verifying sample_permit.pdf (VALID) and tampered_byte.pdf (INVALID) N times,
 * and all of them read ONE shared report at the same time (its texts are rendered lazily, so
 * the first calls race to create them). Run by tests/it/ffi.rs.
 *
 *   lib=$(cargo metadata --format-version 1 --no-deps |
 *       python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/debug
 *   cc -std=c11 -Wall -Wextra -Werror -pthread -I include tests/c/threads.c \
 *      -L "$lib" -ldocseal -Wl,-rpath,"$lib" -o threads
 *   ./threads testdata [N]
 */
#define _POSIX_C_SOURCE 200809L

#include "docseal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define DEFAULT_ROUNDS 20
#define AT ((int64_t)1900000000)
#define ERR_CAP 512

static const char SIGNER[] = u8"Nguyễn Văn An";

struct file {
    uint8_t *data;
    size_t len;
};

/* What every thread shares: all read-only after main() set it up. */
static const docseal_verifier *verifier;
static const docseal_report *shared_report;
static struct file permit, tampered;
static int rounds = DEFAULT_ROUNDS;
static pthread_barrier_t start;

/* What each thread found; main() reads it after pthread_join. */
struct worker {
    int id;
    int verified;
    int failed;
    char failure[ERR_CAP + 256];
    const char *text[2];
    size_t text_len[2];
    const char *json;
    size_t json_len;
};

static void die(const char *what) {
    fprintf(stderr, "FAIL - %s\n", what);
    exit(1);
}

static struct file read_file(const char *dir, const char *rel) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "FAIL - cannot open %s\n", path);
        exit(1);
    }
    struct file out = {NULL, 0};
    size_t cap = 0;
    for (;;) {
        if (out.len == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            uint8_t *grown = realloc(out.data, cap);
            if (grown == NULL) {
                die("out of memory");
            }
            out.data = grown;
        }
        size_t got = fread(out.data + out.len, 1, cap - out.len, f);
        out.len += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(f)) {
        die("read error");
    }
    fclose(f);
    return out;
}

/* Records the first failure of a worker; later ones are only counted. */
static void failure(struct worker *w, const char *what, docseal_status st, const char *err) {
    if (w->failed++ == 0) {
        snprintf(w->failure, sizeof w->failure, "%s: %s (%d) %s", what,
                 docseal_status_name((uint32_t)st), (int)st, err);
    }
}

/* Verifies `file` with the shared verifier and checks the verdict (and, if VALID, the signer). */
static void verify_once(struct worker *w, const struct file *file, const char *name,
                        docseal_verdict want) {
    char err[ERR_CAP] = "";
    docseal_report *r = NULL;
    docseal_status st = docseal_pdf_verify(verifier, file->data, file->len, AT, &r, err, ERR_CAP);
    if (st != DOCSEAL_STATUS_OK || r == NULL) {
        failure(w, name, st, err);
        return;
    }
    docseal_verdict verdict = (docseal_verdict)0x5A;
    st = docseal_report_verdict(r, &verdict, err, ERR_CAP);
    if (st != DOCSEAL_STATUS_OK || verdict != want) {
        char what[128];
        snprintf(what, sizeof what, "%s: verdict %d, want %d", name, (int)verdict, (int)want);
        failure(w, what, st, err);
    }
    size_t count = 0;
    st = docseal_report_signature_count(r, &count, err, ERR_CAP);
    if (st != DOCSEAL_STATUS_OK || count != 1) {
        failure(w, "signature_count != 1", st, err);
    }
    if (want == DOCSEAL_VERDICT_VALID) {
        const char *signer = NULL;
        size_t len = 0;
        st = docseal_report_signer(r, 0, &signer, &len, err, ERR_CAP);
        if (st != DOCSEAL_STATUS_OK || len != sizeof SIGNER - 1 || memcmp(signer, SIGNER, len)) {
            failure(w, "signer is not Nguyễn Văn An", st, err);
        }
    }
    docseal_report_free(r);
    w->verified++;
}

/* Reads the shared report: texts in both languages, JSON, verdict, signer. */
static void read_shared(struct worker *w) {
    char err[ERR_CAP] = "";
    for (uint32_t lang = 0; lang < 2; lang++) {
        /* Odd threads ask for English first, so both lazy texts are raced for. */
        uint32_t l = (uint32_t)w->id % 2 ? 1 - lang : lang;
        const char *text = NULL;
        size_t len = 0;
        docseal_status st = docseal_report_text(shared_report, l, &text, &len, err, ERR_CAP);
        if (st != DOCSEAL_STATUS_OK || text == NULL || strlen(text) != len) {
            failure(w, "docseal_report_text(shared report)", st, err);
            continue;
        }
        w->text[l] = text;
        w->text_len[l] = len;
    }
    docseal_status st = docseal_report_json(shared_report, &w->json, &w->json_len, err, ERR_CAP);
    if (st != DOCSEAL_STATUS_OK || w->json == NULL || w->json[0] != '{') {
        failure(w, "docseal_report_json(shared report)", st, err);
    }
    docseal_verdict verdict = (docseal_verdict)0x5A;
    st = docseal_report_verdict(shared_report, &verdict, err, ERR_CAP);
    if (st != DOCSEAL_STATUS_OK || verdict != DOCSEAL_VERDICT_VALID) {
        failure(w, "shared report verdict is not VALID", st, err);
    }
    const char *signer = NULL;
    size_t len = 0;
    st = docseal_report_signer(shared_report, 0, &signer, &len, err, ERR_CAP);
    if (st != DOCSEAL_STATUS_OK || len != sizeof SIGNER - 1 || memcmp(signer, SIGNER, len)) {
        failure(w, "shared report signer", st, err);
    }
}

static void *work(void *arg) {
    struct worker *w = arg;
    pthread_barrier_wait(&start);
    read_shared(w);
    for (int i = 0; i < rounds; i++) {
        verify_once(w, &permit, "sample_permit.pdf", DOCSEAL_VERDICT_VALID);
        verify_once(w, &tampered, "tampered_byte.pdf", DOCSEAL_VERDICT_INVALID);
        if (i == rounds / 2) {
            read_shared(w); /* again, while the others verify */
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s TESTDATA_DIR [ROUNDS]\n", argv[0]);
        return 2;
    }
    if (argc == 3) {
        rounds = atoi(argv[2]);
        if (rounds < 1) {
            die("ROUNDS must be at least 1");
        }
    }
    char err[ERR_CAP] = "";
    char anchor[4096];
    snprintf(anchor, sizeof anchor, "%s/pki/anchor.pem", argv[1]);
    permit = read_file(argv[1], "pdf/sample_permit.pdf");
    tampered = read_file(argv[1], "pdf/tampered_byte.pdf");

    docseal_verifier_builder *b = docseal_verifier_builder_new();
    docseal_verifier *v = NULL;
    if (docseal_verifier_builder_add_trust_path(b, anchor, err, ERR_CAP) != DOCSEAL_STATUS_OK ||
        docseal_verifier_builder_build(b, &v, err, ERR_CAP) != DOCSEAL_STATUS_OK) {
        fprintf(stderr, "FAIL - building the verifier: %s\n", err);
        return 1;
    }
    docseal_verifier_builder_free(b);
    verifier = v;
    docseal_report *shared = NULL;
    if (docseal_pdf_verify(v, permit.data, permit.len, AT, &shared, err, ERR_CAP) !=
        DOCSEAL_STATUS_OK) {
        fprintf(stderr, "FAIL - verifying the shared report: %s\n", err);
        return 1;
    }
    shared_report = shared; /* no text read yet: the threads race to render it */

    struct worker workers[THREADS];
    pthread_t tids[THREADS];
    memset(workers, 0, sizeof workers);
    if (pthread_barrier_init(&start, NULL, THREADS) != 0) {
        die("pthread_barrier_init");
    }
    for (int i = 0; i < THREADS; i++) {
        workers[i].id = i;
        if (pthread_create(&tids[i], NULL, work, &workers[i]) != 0) {
            die("pthread_create");
        }
    }
    for (int i = 0; i < THREADS; i++) {
        if (pthread_join(tids[i], NULL) != 0) {
            die("pthread_join");
        }
    }
    pthread_barrier_destroy(&start);

    int failed = 0;
    for (int i = 0; i < THREADS; i++) {
        struct worker *w = &workers[i];
        if (w->failed) {
            fprintf(stderr, "FAIL - thread %d: %d failure(s), first: %s\n", i, w->failed,
                    w->failure);
            failed = 1;
            continue;
        }
        if (w->verified != 2 * rounds) {
            fprintf(stderr, "FAIL - thread %d verified %d files, want %d\n", i, w->verified,
                    2 * rounds);
            failed = 1;
            continue;
        }
        printf("ok - thread %d: %d verifications (VALID/INVALID as expected), shared report "
               "read twice\n",
               i, w->verified);
    }
    if (failed) {
        return 1;
    }
    /* Every thread saw the same shared texts and JSON (compared by content, not by address). */
    for (int l = 0; l < 2; l++) {
        for (int i = 1; i < THREADS; i++) {
            if (workers[i].text_len[l] != workers[0].text_len[l] ||
                memcmp(workers[i].text[l], workers[0].text[l], workers[0].text_len[l]) != 0) {
                fprintf(stderr, "FAIL - thread %d read a different %s text of the shared report\n",
                        i, l ? "English" : "Vietnamese");
                return 1;
            }
        }
    }
    for (int i = 1; i < THREADS; i++) {
        if (workers[i].json_len != workers[0].json_len ||
            memcmp(workers[i].json, workers[0].json, workers[0].json_len) != 0) {
            fprintf(stderr, "FAIL - thread %d read a different JSON of the shared report\n", i);
            return 1;
        }
    }
    printf("ok - all %d threads read identical Vietnamese (%zu bytes) and English (%zu bytes) "
           "texts and JSON (%zu bytes) from the shared report\n",
           THREADS, workers[0].text_len[0], workers[0].text_len[1], workers[0].json_len);
    if (strstr(workers[0].text[0], u8"HỢP LỆ") == NULL) {
        die("the shared Vietnamese text lacks \"HỢP LỆ\"");
    }
    printf("ok - the shared Vietnamese text contains \"HỢP LỆ\"\n");

    docseal_report_free(shared);
    docseal_verifier_free(v);
    free(permit.data);
    free(tampered.data);
    printf("all %d threads passed (%d verifications in total)\n", THREADS, THREADS * 2 * rounds);
    return 0;
}
