/*
 * The verifier builder from C: resource limits (docseal_limits), the Vietnamese trust profile
 * and its load report, listing and removing trust anchors, and the default of the
 * timestamp-authority anchors; each function's success path and error paths. Run by
 * tests/it/ffi.rs, also under valgrind (every handle and buffer is freed).
 *
 *   ./builder testdata VN_DIR
 *
 * VN_DIR holds the real Vietnamese roots (../shared/trust/vn); "-" when it is absent, and the
 * checks that need them say they are skipped.
 */
#include "check.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

static docseal_verifier *build(docseal_verifier_builder *b, const char *what) {
    char err[ERR_CAP];
    docseal_verifier *v = NULL;
    fresh(err);
    expect_ok(what, docseal_verifier_builder_build(b, &v, err, ERR_CAP), err);
    return v;
}

/* Verifies a fixture: the status, and the verdict when the status is OK. */
static docseal_status verify(const docseal_verifier *v, const char *rel, docseal_verdict *verdict,
                             char *err) {
    size_t len;
    uint8_t *pdf = read_fixture(rel, &len);
    docseal_report *r = NULL;
    fresh(err);
    docseal_status st = docseal_pdf_verify(v, pdf, len, AT, &r, err, ERR_CAP);
    free(pdf);
    if (st == DOCSEAL_STATUS_OK) {
        char e2[ERR_CAP];
        fresh(e2);
        expect_ok("docseal_report_verdict", docseal_report_verdict(r, verdict, e2, ERR_CAP), e2);
        docseal_report_free(r);
    }
    return st;
}

static void expect_verdict(const docseal_verifier *v, const char *rel, docseal_verdict want,
                           const char *what) {
    char err[ERR_CAP];
    docseal_verdict got = DOCSEAL_VERDICT_INDETERMINATE;
    expect_ok(what, verify(v, rel, &got, err), err);
    char line[512];
    snprintf(line, sizeof line, "%s: verdict %d (got %d)", what, (int)want, (int)got);
    check(got == want, line);
}

/* A buffer's text, copied (NUL-terminated); the buffer is freed. */
static char *take_text(docseal_buffer *buf, const char *what) {
    char err[ERR_CAP];
    const uint8_t *data = NULL;
    size_t len = 0;
    fresh(err);
    expect_ok(what, docseal_buffer_data(buf, &data, &len, err, ERR_CAP), err);
    check_borrowed_text(what, (const char *)data, len);
    char *copy = malloc(len + 1);
    if (copy == NULL) {
        fail(what, "out of memory");
    }
    memcpy(copy, data, len + 1);
    docseal_buffer_free(buf);
    return copy;
}

static char *list_anchors(const docseal_verifier_builder *b, const char *what) {
    char err[ERR_CAP];
    docseal_buffer *json = NULL;
    fresh(err);
    expect_ok(what, docseal_verifier_builder_list_trust_anchors(b, &json, err, ERR_CAP), err);
    check(json != NULL, "list_trust_anchors wrote a buffer");
    return take_text(json, what);
}

/* How many times `needle` occurs in `text`. */
static int count(const char *text, const char *needle) {
    int n = 0;
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

/* ------------------------------------------------------------------------------------------ */
/* Limits                                                                                      */

static void test_limits(void) {
    char err[ERR_CAP];
    docseal_limits limits;
    memset(&limits, 0xAB, sizeof limits);
    fresh(err);
    expect_ok("docseal_limits_init(&limits, sizeof limits)",
              docseal_limits_init(&limits, sizeof limits, err, ERR_CAP), err);
    check(limits.struct_size == sizeof limits, "init sets struct_size");
    check(limits.max_pdf_bytes == 512u * 1024 * 1024, "default max_pdf_bytes is 512 MiB");
    check(limits.max_revisions == 256 && limits.max_signatures == 256,
          "default max_revisions and max_signatures are 256");
    check(limits.max_der_depth == 32 && limits.max_path_length == 8 &&
              limits.max_policy_nodes == 1000 && limits.max_compared_bytes == 1024ull * 1024 * 1024,
          "the other defaults are those of docseal::limits::Limits");

    docseal_limits untouched;
    memset(&untouched, 0x5A, sizeof untouched);
    fresh(err);
    expect_err("docseal_limits_init(NULL)", docseal_limits_init(NULL, sizeof limits, err, ERR_CAP),
               DOCSEAL_STATUS_NULL_ARGUMENT, err);
    fresh(err);
    expect_err("docseal_limits_init with struct_size 8 (below the first version)",
               docseal_limits_init(&untouched, 8, err, ERR_CAP), DOCSEAL_STATUS_INVALID_ARGUMENT,
               err);
    fresh(err);
    expect_err("docseal_limits_init with a struct_size larger than the library knows",
               docseal_limits_init(&untouched, sizeof untouched + 8, err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    check(untouched.struct_size != 8 && untouched.max_revisions != 256,
          "limits are untouched on error");

    /* A limit the sample permit exceeds: verify returns DOCSEAL_STATUS_LIMIT. */
    docseal_verifier_builder *b = docseal_verifier_builder_new();
    fresh(err);
    expect_ok("add_trust_path(pki/anchor.pem)",
              docseal_verifier_builder_add_trust_path(b, fixture("pki/anchor.pem"), err, ERR_CAP),
              err);
    limits.max_pdf_bytes = 100;
    fresh(err);
    expect_ok("set_limits(max_pdf_bytes = 100)",
              docseal_verifier_builder_set_limits(b, &limits, err, ERR_CAP), err);
    docseal_verifier *small = build(b, "build with max_pdf_bytes = 100");
    docseal_verdict verdict;
    char verr[ERR_CAP];
    expect_err("verify sample_permit.pdf beyond max_pdf_bytes",
               verify(small, "pdf/sample_permit.pdf", &verdict, verr), DOCSEAL_STATUS_LIMIT, verr);
    check(strstr(verr, "100") != NULL, "the limit message names the configured maximum");
    docseal_verifier_free(small);

    /* Errors change nothing: the small limit stays. */
    docseal_limits bad = limits;
    bad.struct_size = 4;
    bad.max_pdf_bytes = 1u << 30;
    fresh(err);
    expect_err("set_limits with struct_size 4", docseal_verifier_builder_set_limits(b, &bad, err,
                                                                                  ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    bad.struct_size = sizeof bad + 16;
    fresh(err);
    expect_err("set_limits with a struct_size from a newer header",
               docseal_verifier_builder_set_limits(b, &bad, err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    fresh(err);
    expect_err("set_limits(builder NULL)",
               docseal_verifier_builder_set_limits(NULL, &limits, err, ERR_CAP),
               DOCSEAL_STATUS_NULL_ARGUMENT, err);
    fresh(err);
    expect_err("set_limits(limits NULL)", docseal_verifier_builder_set_limits(b, NULL, err,
                                                                            ERR_CAP),
               DOCSEAL_STATUS_NULL_ARGUMENT, err);
    small = build(b, "build after the failed set_limits");
    expect_err("the failed set_limits left max_pdf_bytes = 100",
               verify(small, "pdf/sample_permit.pdf", &verdict, verr), DOCSEAL_STATUS_LIMIT, verr);
    docseal_verifier_free(small);

    /* Back to the defaults. */
    fresh(err);
    expect_ok("docseal_limits_init again", docseal_limits_init(&limits, sizeof limits, err,
                                                               ERR_CAP),
              err);
    fresh(err);
    expect_ok("set_limits(defaults)", docseal_verifier_builder_set_limits(b, &limits, err, ERR_CAP),
              err);
    docseal_verifier *v = build(b, "build with the default limits");
    expect_verdict(v, "pdf/sample_permit.pdf", DOCSEAL_VERDICT_VALID,
                   "sample_permit.pdf with the default limits");
    docseal_verifier_free(v);
    docseal_verifier_builder_free(b);
}

/* ------------------------------------------------------------------------------------------ */
/* Listing and removing trust anchors                                                          */

static void test_list_and_remove(void) {
    char err[ERR_CAP];
    docseal_verifier_builder *b = docseal_verifier_builder_new();
    char *empty = list_anchors(b, "list_trust_anchors of a new builder");
    check(strcmp(empty, "[]") == 0, "a new builder has no trust anchor: []");
    free(empty);

    fresh(err);
    expect_ok("add_trust_path(pki/anchor.pem)",
              docseal_verifier_builder_add_trust_path(b, fixture("pki/anchor.pem"), err, ERR_CAP),
              err);
    fresh(err);
    expect_ok("add_trust_path(pki/anchor.pem) again",
              docseal_verifier_builder_add_trust_path(b, fixture("pki/anchor.pem"), err, ERR_CAP),
              err);
    fresh(err);
    expect_ok("add_trust_path(pki/root-g2.pem)",
              docseal_verifier_builder_add_trust_path(b, fixture("pki/root-g2.pem"), err, ERR_CAP),
              err);
    char *json = list_anchors(b, "list_trust_anchors after two adds of one anchor and another");
    check(count(json, "\"sha256\"") == 2, "adding appends, and a duplicate is listed once");
    check(strstr(json, "\"common_name\"") != NULL && strstr(json, "\"not_after\"") != NULL,
          "each anchor is listed with its name and validity");

    /* The first anchor's fingerprint, in the openssl form (upper case with colons). */
    const char *at = strstr(json, "\"sha256\": \"");
    check(at != NULL, "the listing holds a sha256 field");
    at += strlen("\"sha256\": \"");
    char hex[65], colons[3 * 32];
    memcpy(hex, at, 64);
    hex[64] = '\0';
    for (int i = 0; i < 32; i++) {
        char c0 = hex[2 * i], c1 = hex[2 * i + 1];
        colons[3 * i] = (char)(c0 >= 'a' ? c0 - 'a' + 'A' : c0);
        colons[3 * i + 1] = (char)(c1 >= 'a' ? c1 - 'a' + 'A' : c1);
        colons[3 * i + 2] = i == 31 ? '\0' : ':';
    }
    free(json);

    fresh(err);
    expect_ok("remove_trust_anchor(AB:CD:... form of the first anchor)",
              docseal_verifier_builder_remove_trust_anchor(b, colons, err, ERR_CAP), err);
    json = list_anchors(b, "list_trust_anchors after the removal");
    check(count(json, "\"sha256\"") == 1 && strstr(json, hex) == NULL,
          "the removed anchor is gone, the other one stays");
    free(json);
    docseal_verifier *v = build(b, "build without the removed anchor");
    expect_verdict(v, "pdf/sample_permit.pdf", DOCSEAL_VERDICT_INDETERMINATE,
                   "sample_permit.pdf without its anchor");
    docseal_verifier_free(v);

    fresh(err);
    expect_err("remove_trust_anchor of an anchor no longer there",
               docseal_verifier_builder_remove_trust_anchor(b, hex, err, ERR_CAP),
               DOCSEAL_STATUS_NOT_FOUND, err);
    fresh(err);
    expect_err("remove_trust_anchor(\"31fa\")",
               docseal_verifier_builder_remove_trust_anchor(b, "31fa", err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    fresh(err);
    expect_err("remove_trust_anchor(invalid UTF-8)",
               docseal_verifier_builder_remove_trust_anchor(b, "\xff\xfe", err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_UTF8, err);
    fresh(err);
    expect_err("remove_trust_anchor(sha256 NULL)",
               docseal_verifier_builder_remove_trust_anchor(b, NULL, err, ERR_CAP),
               DOCSEAL_STATUS_NULL_ARGUMENT, err);
    fresh(err);
    expect_err("remove_trust_anchor(builder NULL)",
               docseal_verifier_builder_remove_trust_anchor(NULL, hex, err, ERR_CAP),
               DOCSEAL_STATUS_NULL_ARGUMENT, err);
    docseal_buffer *out = NULL;
    fresh(err);
    expect_err("list_trust_anchors(builder NULL)",
               docseal_verifier_builder_list_trust_anchors(NULL, &out, err, ERR_CAP),
               DOCSEAL_STATUS_NULL_ARGUMENT, err);
    fresh(err);
    expect_err("list_trust_anchors(json_out NULL)",
               docseal_verifier_builder_list_trust_anchors(b, NULL, err, ERR_CAP),
               DOCSEAL_STATUS_NULL_ARGUMENT, err);
    check(out == NULL, "json_out untouched on error");
    docseal_verifier_builder_free(b);
}

/* ------------------------------------------------------------------------------------------ */
/* The Vietnamese trust profile                                                                */

static void test_trust_profile(const char *vn_dir) {
    char err[ERR_CAP];
    docseal_verifier_builder *b = docseal_verifier_builder_new();
    docseal_buffer *load = NULL;

    fresh(err);
    expect_err("add_trust_profile(\"xx\"): unknown profile",
               docseal_verifier_builder_add_trust_profile(b, "xx", fixture("pki"), &load, err,
                                                          ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    check(strstr(err, "vn") != NULL, "the message names the known profiles");
    fresh(err);
    expect_err("add_trust_profile(\"vn\", a missing directory)",
               docseal_verifier_builder_add_trust_profile(b, "vn", fixture("no/such/dir"), &load,
                                                          err, ERR_CAP),
               DOCSEAL_STATUS_IO, err);
    fresh(err);
    expect_err("add_trust_profile(\"vn\", testdata/pki: no Vietnamese root)",
               docseal_verifier_builder_add_trust_profile(b, "vn", fixture("pki"), &load, err,
                                                          ERR_CAP),
               DOCSEAL_STATUS_NOT_FOUND, err);
    check(strstr(err, "missing") != NULL, "the message lists the missing roots");
    fresh(err);
    expect_err("add_trust_profile(builder NULL)",
               docseal_verifier_builder_add_trust_profile(NULL, "vn", fixture("pki"), &load, err,
                                                          ERR_CAP),
               DOCSEAL_STATUS_NULL_ARGUMENT, err);
    fresh(err);
    expect_err("add_trust_profile(name NULL)",
               docseal_verifier_builder_add_trust_profile(b, NULL, fixture("pki"), &load, err,
                                                          ERR_CAP),
               DOCSEAL_STATUS_NULL_ARGUMENT, err);
    fresh(err);
    expect_err("add_trust_profile(dir NULL)",
               docseal_verifier_builder_add_trust_profile(b, "vn", NULL, &load, err, ERR_CAP),
               DOCSEAL_STATUS_NULL_ARGUMENT, err);
    fresh(err);
    expect_err("add_trust_profile(name not UTF-8)",
               docseal_verifier_builder_add_trust_profile(b, "\xff", fixture("pki"), &load, err,
                                                          ERR_CAP),
               DOCSEAL_STATUS_INVALID_UTF8, err);
    check(load == NULL, "load_out untouched on error");
    char *json = list_anchors(b, "list_trust_anchors after the failed loads");
    check(strcmp(json, "[]") == 0, "the failed loads added nothing");
    free(json);

    if (strcmp(vn_dir, "-") == 0) {
        pass("skipped: the real Vietnamese roots (../shared/trust/vn) are absent");
        docseal_verifier_builder_free(b);
        return;
    }
    fresh(err);
    expect_ok("add_trust_profile(\"vn\", shared/trust/vn)",
              docseal_verifier_builder_add_trust_profile(b, "vn", vn_dir, &load, err, ERR_CAP),
              err);
    check(load != NULL, "add_trust_profile wrote a load report");
    char *report = take_text(load, "the load report");
    check(strstr(report, "\"profile\": \"vn\"") != NULL, "load report: profile vn");
    check(strstr(report, "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7") !=
                  NULL &&
              strstr(report, "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8") !=
                  NULL,
          "load report: both pinned roots are found");
    check(strstr(report, "\"missing\": []") != NULL, "load report: no root missing");
    check(count(report, "\"issuer_common_name\"") >= 2,
          "load report: the CA certificates there are listed as intermediates");
    check(strstr(report, "\"refused\"") != NULL, "load report: lists the refused certificates");
    free(report);
    json = list_anchors(b, "list_trust_anchors after the vn profile");
    check(count(json, "\"sha256\"") == 2 && strstr(json, "Vietnam National Root CA") != NULL,
          "the two pinned roots are the trust anchors");
    free(json);
    fresh(err);
    expect_ok("add_trust_profile again with load_out NULL",
              docseal_verifier_builder_add_trust_profile(b, "vn", vn_dir, NULL, err, ERR_CAP), err);
    json = list_anchors(b, "list_trust_anchors after loading the profile twice");
    check(count(json, "\"sha256\"") == 2, "loading twice adds no duplicate");
    free(json);
    docseal_verifier_builder_free(b);
}

/* ------------------------------------------------------------------------------------------ */
/* Timestamp-authority anchors                                                                 */

static docseal_verifier *tsa_verifier(const char *tsa, const char *what) {
    char err[ERR_CAP];
    docseal_verifier_builder *b = docseal_verifier_builder_new();
    fresh(err);
    expect_ok("add_trust_path(pki/anchor.pem)",
              docseal_verifier_builder_add_trust_path(b, fixture("pki/anchor.pem"), err, ERR_CAP),
              err);
    fresh(err);
    expect_ok("add_crls_path(pki/crl)",
              docseal_verifier_builder_add_crls_path(b, fixture("pki/crl"), err, ERR_CAP), err);
    if (tsa != NULL) {
        fresh(err);
        expect_ok("add_tsa_path", docseal_verifier_builder_add_tsa_path(b, fixture(tsa), err,
                                                                        ERR_CAP),
                  err);
    }
    docseal_verifier *v = build(b, what);
    docseal_verifier_builder_free(b);
    return v;
}

static void test_tsa_default(void) {
    /* The TSA of this file chains to anchor.pem; its timestamp is the expired signer's proof
     * of existence. */
    const char *pdf = "pdf/expired_signer_2025_timestamped.pdf";
    docseal_verifier *v = tsa_verifier(NULL, "build without TSA anchors");
    expect_verdict(v, pdf, DOCSEAL_VERDICT_VALID,
                   "no TSA anchor: the signers' anchors serve for the timestamp");
    docseal_verifier_free(v);
    v = tsa_verifier("pki/root-g2.pem", "build with TSA anchor root-g2 only");
    expect_verdict(v, pdf, DOCSEAL_VERDICT_INDETERMINATE,
                   "TSA anchors given: only they serve (the TSA is not under root-g2)");
    docseal_verifier_free(v);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s TESTDATA_DIR VN_DIR|-\n", argv[0]);
        return 2;
    }
    testdata = argv[1];
    test_limits();
    test_list_and_remove();
    test_trust_profile(argv[2]);
    test_tsa_default();
    printf("%d checks passed\n", checks);
    return 0;
}
