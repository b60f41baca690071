/*
 * The C ABI from C: every PDF function of include/docseal.h and the shared ones (version, status
 * names, panic boundary), its success path and every error path (STYLE.md §5); the QR functions
 * are in tests/c/qr.c. Run by tests/it/ffi.rs, also under valgrind (every handle is freed).
 *
 *   lib=$(cargo metadata --format-version 1 --no-deps |
 *       python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/debug
 *   cc -std=c11 -Wall -Wextra -Werror -I include tests/c/smoke.c \
 *      -L "$lib" -ldocseal -Wl,-rpath,"$lib" -o smoke
 *   ./smoke testdata [expected-version]
 *
 * One line per check; the first failure prints what went wrong and exits with status 1.
 */
#include "check.h"

/* Status and enum numbers are forever (STYLE.md §5): a renumbering fails to compile. */
_Static_assert(DOCSEAL_STATUS_OK == 0, "status number changed");
_Static_assert(DOCSEAL_STATUS_NULL_ARGUMENT == 100, "status number changed");
_Static_assert(DOCSEAL_STATUS_INVALID_UTF8 == 101, "status number changed");
_Static_assert(DOCSEAL_STATUS_INVALID_ARGUMENT == 102, "status number changed");
_Static_assert(DOCSEAL_STATUS_INDEX_OUT_OF_RANGE == 103, "status number changed");
_Static_assert(DOCSEAL_STATUS_NOT_FOUND == 104, "status number changed");
_Static_assert(DOCSEAL_STATUS_NOT_PDF == 200, "status number changed");
_Static_assert(DOCSEAL_STATUS_ENCRYPTED == 201, "status number changed");
_Static_assert(DOCSEAL_STATUS_BAD_CERTIFICATE == 202, "status number changed");
_Static_assert(DOCSEAL_STATUS_IO == 203, "status number changed");
_Static_assert(DOCSEAL_STATUS_BAD_IMAGE == 204, "status number changed");
_Static_assert(DOCSEAL_STATUS_NO_QR_CODE == 205, "status number changed");
_Static_assert(DOCSEAL_STATUS_BAD_KEY == 206, "status number changed");
_Static_assert(DOCSEAL_STATUS_BAD_CLAIMS == 207, "status number changed");
_Static_assert(DOCSEAL_STATUS_LIMIT == 300, "status number changed");
_Static_assert(DOCSEAL_STATUS_INTERNAL == 900, "status number changed");
_Static_assert(DOCSEAL_STATUS_PANIC == 901, "status number changed");
_Static_assert(DOCSEAL_VERDICT_VALID == 0, "verdict number changed");
_Static_assert(DOCSEAL_VERDICT_INVALID == 1, "verdict number changed");
_Static_assert(DOCSEAL_VERDICT_INDETERMINATE == 2, "verdict number changed");
_Static_assert(DOCSEAL_LANG_VI == 0, "lang number changed");
_Static_assert(DOCSEAL_LANG_EN == 1, "lang number changed");
_Static_assert(DOCSEAL_QR_FORMAT_PNG == 0, "QR format number changed");
_Static_assert(DOCSEAL_QR_FORMAT_SVG == 1, "QR format number changed");
_Static_assert(DOCSEAL_POLICY_PRACTICAL == 0, "policy number changed");
_Static_assert(DOCSEAL_POLICY_LEGAL == 1, "policy number changed");

/* ------------------------------------------------------------------------------------------ */
/* Helpers over the API                                                                        */

static docseal_report *verify_fixture(const docseal_verifier *v, const char *rel) {
    char err[ERR_CAP];
    char what[256];
    size_t len;
    uint8_t *pdf = read_fixture(rel, &len);
    docseal_report *report = NULL;
    fresh(err);
    docseal_status st = docseal_pdf_verify(v, pdf, len, AT, &report, err, ERR_CAP);
    free(pdf);
    snprintf(what, sizeof what, "docseal_pdf_verify(%s) is OK", rel);
    expect_ok(what, st, err);
    snprintf(what, sizeof what, "docseal_pdf_verify(%s) wrote a report", rel);
    check(report != NULL, what);
    return report;
}

static docseal_verdict verdict_of(const docseal_report *r, const char *rel) {
    char err[ERR_CAP];
    char what[256];
    docseal_verdict verdict = (docseal_verdict)0x5A;
    fresh(err);
    snprintf(what, sizeof what, "docseal_report_verdict(%s)", rel);
    expect_ok(what, docseal_report_verdict(r, &verdict, err, ERR_CAP), err);
    return verdict;
}

static void expect_verdict(const docseal_verifier *v, const char *rel, docseal_verdict want,
                           const char *want_name) {
    char what[256];
    docseal_report *r = verify_fixture(v, rel);
    docseal_verdict got = verdict_of(r, rel);
    snprintf(what, sizeof what, "%s: verdict is %s (got %d)", rel, want_name, (int)got);
    check(got == want, what);
    docseal_report_free(r);
}

/* ------------------------------------------------------------------------------------------ */
/* The checks                                                                                  */

static void test_version(const char *expected) {
    const char *v = docseal_version();
    check(v != NULL && v[0] != '\0', "docseal_version() is a non-empty string");
    unsigned major, minor, patch;
    check(sscanf(v, "%u.%u.%u", &major, &minor, &patch) == 3,
          "docseal_version() looks like MAJOR.MINOR.PATCH");
    check(docseal_version() == v, "docseal_version() is static (same pointer twice)");
    if (expected != NULL) {
        char what[256];
        snprintf(what, sizeof what, "docseal_version() == \"%s\" (Cargo.toml), got \"%s\"",
                 expected, v);
        check(strcmp(v, expected) == 0, what);
    }
}

static void test_status_names(void) {
    static const struct {
        docseal_status status;
        const char *name;
    } names[] = {
#define NAME(s) {s, #s}
        NAME(DOCSEAL_STATUS_OK),
        NAME(DOCSEAL_STATUS_NULL_ARGUMENT),
        NAME(DOCSEAL_STATUS_INVALID_UTF8),
        NAME(DOCSEAL_STATUS_INVALID_ARGUMENT),
        NAME(DOCSEAL_STATUS_INDEX_OUT_OF_RANGE),
        NAME(DOCSEAL_STATUS_NOT_FOUND),
        NAME(DOCSEAL_STATUS_NOT_PDF),
        NAME(DOCSEAL_STATUS_ENCRYPTED),
        NAME(DOCSEAL_STATUS_BAD_CERTIFICATE),
        NAME(DOCSEAL_STATUS_IO),
        NAME(DOCSEAL_STATUS_BAD_IMAGE),
        NAME(DOCSEAL_STATUS_NO_QR_CODE),
        NAME(DOCSEAL_STATUS_BAD_KEY),
        NAME(DOCSEAL_STATUS_BAD_CLAIMS),
        NAME(DOCSEAL_STATUS_BELOW_LEGAL_MINIMUM),
        NAME(DOCSEAL_STATUS_LIMIT),
        NAME(DOCSEAL_STATUS_INTERNAL),
        NAME(DOCSEAL_STATUS_PANIC),
#undef NAME
    };
    char what[256];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *got = docseal_status_name((uint32_t)names[i].status);
        snprintf(what, sizeof what, "docseal_status_name(%d) == \"%s\"", (int)names[i].status,
                 names[i].name);
        check(got != NULL && strcmp(got, names[i].name) == 0, what);
    }
    check(strcmp(docseal_status_name(200), "DOCSEAL_STATUS_NOT_PDF") == 0,
          "docseal_status_name(200) == \"DOCSEAL_STATUS_NOT_PDF\"");
    static const uint32_t unknown[] = {1, 99, 105, 209, 12345, UINT32_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *got = docseal_status_name(unknown[i]);
        snprintf(what, sizeof what, "docseal_status_name(%lu) == \"DOCSEAL_STATUS_UNKNOWN\"",
                 (unsigned long)unknown[i]);
        check(got != NULL && strcmp(got, "DOCSEAL_STATUS_UNKNOWN") == 0, what);
    }
}

static void test_free_null(void) {
    docseal_verifier_builder_free(NULL);
    docseal_verifier_free(NULL);
    docseal_report_free(NULL);
    pass("docseal_verifier_builder_free(NULL), docseal_verifier_free(NULL), "
         "docseal_report_free(NULL) are no-ops");
}

/* The sample permit: every accessor on a VALID report. */
static void test_sample_permit(const docseal_verifier *v) {
    char err[ERR_CAP];
    docseal_report *r = verify_fixture(v, "pdf/sample_permit.pdf");

    check(verdict_of(r, "sample_permit.pdf") == DOCSEAL_VERDICT_VALID,
          "sample_permit.pdf: verdict is DOCSEAL_VERDICT_VALID");

    size_t count = 0xDEAD;
    fresh(err);
    expect_ok("docseal_report_signature_count(sample_permit.pdf)",
              docseal_report_signature_count(r, &count, err, ERR_CAP), err);
    check(count == 1, "sample_permit.pdf: signature_count == 1");

    static const char want_signer[] = u8"Nguyễn Văn An";
    const char *name = NULL;
    size_t name_len = 0xDEAD;
    fresh(err);
    expect_ok("docseal_report_signer(sample_permit.pdf, 0)",
              docseal_report_signer(r, 0, &name, &name_len, err, ERR_CAP), err);
    check(name != NULL && name_len == sizeof want_signer - 1 &&
              memcmp(name, want_signer, name_len) == 0,
          u8"sample_permit.pdf: signer 0 is \"Nguyễn Văn An\" (UTF-8 bytes and length)");

    const char *json = NULL;
    size_t json_len = 0;
    fresh(err);
    expect_ok("docseal_report_json(sample_permit.pdf)",
              docseal_report_json(r, &json, &json_len, err, ERR_CAP), err);
    check_borrowed_text("report JSON", json, json_len);
    check(json_len > 0 && json[0] == '{', "report JSON is non-empty and starts with '{'");
    const char *sv = strstr(json, "\"schema_version\": 2");
    check(sv != NULL && (sv[19] < '0' || sv[19] > '9'),
          "report JSON contains \"schema_version\": 2");
    check(strstr(json, "Nguy\xe1\xbb\x85n V\xc4\x83n An") != NULL,
          "report JSON carries the signer's name as UTF-8");
    const char *json_again = NULL;
    size_t json_len_again = 0;
    fresh(err);
    expect_ok("docseal_report_json again",
              docseal_report_json(r, &json_again, &json_len_again, err, ERR_CAP), err);
    check(json_len_again == json_len && memcmp(json_again, json, json_len) == 0 &&
              memcmp(json, "{", 1) == 0,
          "report JSON: a second call gives the same text, the first one is still readable");

    const char *vi = NULL, *en = NULL;
    size_t vi_len = 0, en_len = 0;
    fresh(err);
    expect_ok("docseal_report_text(sample_permit.pdf, DOCSEAL_LANG_VI)",
              docseal_report_text(r, DOCSEAL_LANG_VI, &vi, &vi_len, err, ERR_CAP), err);
    check_borrowed_text("Vietnamese text", vi, vi_len);
    check(strstr(vi, u8"HỢP LỆ") != NULL, u8"Vietnamese text contains \"HỢP LỆ\"");
    check(strstr(vi, u8"KHÔNG HỢP LỆ") == NULL,
          u8"Vietnamese text does not contain \"KHÔNG HỢP LỆ\"");
    check(strstr(vi, want_signer) != NULL, "Vietnamese text names the signer");
    fresh(err);
    expect_ok("docseal_report_text(sample_permit.pdf, DOCSEAL_LANG_EN)",
              docseal_report_text(r, DOCSEAL_LANG_EN, &en, &en_len, err, ERR_CAP), err);
    check_borrowed_text("English text", en, en_len);
    check(strstr(en, "VALID") != NULL && strstr(en, "INVALID") == NULL,
          "English text contains \"VALID\" and not \"INVALID\"");
    check(en_len != vi_len || memcmp(en, vi, en_len) != 0,
          "English and Vietnamese texts differ");
    const char *vi_again = NULL;
    size_t vi_len_again = 0;
    fresh(err);
    expect_ok("docseal_report_text(DOCSEAL_LANG_VI) again",
              docseal_report_text(r, DOCSEAL_LANG_VI, &vi_again, &vi_len_again, err, ERR_CAP),
              err);
    check(vi_len_again == vi_len && memcmp(vi_again, vi, vi_len) == 0 &&
              strlen(vi) == vi_len,
          "Vietnamese text: a second call gives the same text, the first one is still readable");

    docseal_report_free(r);
    pass("docseal_report_free(sample_permit report)");
}

/* A builder can build several verifiers, and trust anchors can come as DER bytes. */
static void test_builder_variants(void) {
    char err[ERR_CAP];
    size_t len;

    /* DER bytes read in C. */
    docseal_verifier_builder *b = docseal_verifier_builder_new();
    check(b != NULL, "docseal_verifier_builder_new() != NULL");
    uint8_t *der = read_fixture("pki/anchor.der", &len);
    fresh(err);
    expect_ok("add_trust_anchors(pki/anchor.der bytes)",
              docseal_verifier_builder_add_trust_anchors(b, der, len, err, ERR_CAP), err);
    free(der);
    fresh(err);
    expect_ok("add_intermediates_path(pki/intermediate.pem)",
              docseal_verifier_builder_add_intermediates_path(
                  b, fixture("pki/intermediate.pem"), err, ERR_CAP),
              err);
    uint8_t *pem = read_fixture("pki/intermediate.pem", &len);
    fresh(err);
    expect_ok("add_intermediates(pki/intermediate.pem bytes)",
              docseal_verifier_builder_add_intermediates(b, pem, len, err, ERR_CAP), err);
    free(pem);
    docseal_verifier *v1 = NULL, *v2 = NULL;
    fresh(err);
    expect_ok("build (1st) from a DER anchor", docseal_verifier_builder_build(b, &v1, err, ERR_CAP),
              err);
    fresh(err);
    expect_ok("build (2nd) from the same builder: it stays usable",
              docseal_verifier_builder_build(b, &v2, err, ERR_CAP), err);
    check(v1 != NULL && v2 != NULL && v1 != v2, "two builds give two distinct verifiers");
    docseal_verifier_builder_free(b);
    pass("builder freed while its verifiers live on");
    expect_verdict(v1, "pdf/sample_permit.pdf", DOCSEAL_VERDICT_VALID, "VALID (DER anchor)");
    expect_verdict(v2, "pdf/sample_permit.pdf", DOCSEAL_VERDICT_VALID, "VALID (2nd verifier)");
    docseal_verifier_free(v1);
    docseal_verifier_free(v2);

    /* No anchor: nothing is trusted. */
    b = docseal_verifier_builder_new();
    docseal_verifier *empty = NULL;
    fresh(err);
    expect_ok("build from an empty builder",
              docseal_verifier_builder_build(b, &empty, err, ERR_CAP), err);
    expect_verdict(empty, "pdf/sample_permit.pdf", DOCSEAL_VERDICT_INDETERMINATE,
                   "INDETERMINATE (no trust anchor)");
    docseal_verifier_free(empty);

    /* Nothing is added on error: a good PEM certificate followed by a broken one. */
    uint8_t *good = read_fixture("pki/anchor.pem", &len);
    static const char broken[] =
        "\n-----BEGIN CERTIFICATE-----\nTUlJQm9ndXM=\n-----END CERTIFICATE-----\n";
    uint8_t *bundle = malloc(len + sizeof broken);
    if (bundle == NULL) {
        fail("bundle", "out of memory");
    }
    memcpy(bundle, good, len);
    memcpy(bundle + len, broken, sizeof broken - 1);
    fresh(err);
    expect_err("add_trust_anchors(anchor.pem + a broken PEM certificate)",
               docseal_verifier_builder_add_trust_anchors(b, bundle, len + sizeof broken - 1, err,
                                                          ERR_CAP),
               DOCSEAL_STATUS_BAD_CERTIFICATE, err);
    free(bundle);
    free(good);
    docseal_verifier *partial = NULL;
    fresh(err);
    expect_ok("build after the failed add",
              docseal_verifier_builder_build(b, &partial, err, ERR_CAP), err);
    expect_verdict(partial, "pdf/sample_permit.pdf", DOCSEAL_VERDICT_INDETERMINATE,
                   "INDETERMINATE (the failed bundle added nothing)");
    docseal_verifier_free(partial);
    docseal_verifier_builder_free(b);
}

/* Every NULL handle, buffer and out-parameter, with out-parameters left untouched. */
static void test_null_arguments(docseal_verifier_builder *b, const docseal_verifier *v,
                                const docseal_report *r) {
    char err[ERR_CAP];
    static const uint8_t byte = 0;
    static int sentinel_obj;
    void *const sentinel = &sentinel_obj;
    const char *anchor = fixture("pki/anchor.pem");
    char anchor_path[4096];
    snprintf(anchor_path, sizeof anchor_path, "%s", anchor);

#define NULL_CASE(what, call)                                                                  \
    do {                                                                                       \
        fresh(err);                                                                            \
        expect_err(what, call, DOCSEAL_STATUS_NULL_ARGUMENT, err);                             \
    } while (0)

    NULL_CASE("add_trust_anchors(builder NULL)",
              docseal_verifier_builder_add_trust_anchors(NULL, &byte, 1, err, ERR_CAP));
    NULL_CASE("add_trust_anchors(bytes NULL, len 5)",
              docseal_verifier_builder_add_trust_anchors(b, NULL, 5, err, ERR_CAP));
    NULL_CASE("add_trust_path(builder NULL)",
              docseal_verifier_builder_add_trust_path(NULL, anchor_path, err, ERR_CAP));
    NULL_CASE("add_trust_path(path NULL)",
              docseal_verifier_builder_add_trust_path(b, NULL, err, ERR_CAP));
    NULL_CASE("add_intermediates(builder NULL)",
              docseal_verifier_builder_add_intermediates(NULL, &byte, 1, err, ERR_CAP));
    NULL_CASE("add_intermediates(bytes NULL, len 5)",
              docseal_verifier_builder_add_intermediates(b, NULL, 5, err, ERR_CAP));
    NULL_CASE("add_intermediates_path(builder NULL)",
              docseal_verifier_builder_add_intermediates_path(NULL, anchor_path, err, ERR_CAP));
    NULL_CASE("add_intermediates_path(path NULL)",
              docseal_verifier_builder_add_intermediates_path(b, NULL, err, ERR_CAP));

    docseal_verifier *v_out = sentinel;
    NULL_CASE("build(builder NULL)", docseal_verifier_builder_build(NULL, &v_out, err, ERR_CAP));
    check(v_out == sentinel, "build(builder NULL) left *verifier_out untouched");
    NULL_CASE("build(verifier_out NULL)", docseal_verifier_builder_build(b, NULL, err, ERR_CAP));

    docseal_report *r_out = sentinel;
    NULL_CASE("pdf_verify(verifier NULL)",
              docseal_pdf_verify(NULL, &byte, 1, AT, &r_out, err, ERR_CAP));
    NULL_CASE("pdf_verify(pdf NULL, len 5)",
              docseal_pdf_verify(v, NULL, 5, AT, &r_out, err, ERR_CAP));
    NULL_CASE("pdf_verify(report_out NULL)",
              docseal_pdf_verify(v, &byte, 1, AT, NULL, err, ERR_CAP));
    check(r_out == sentinel, "pdf_verify NULL cases left *report_out untouched");

    const char *s_out = sentinel;
    size_t len_out = 0xDEAD;
    NULL_CASE("report_json(report NULL)",
              docseal_report_json(NULL, &s_out, &len_out, err, ERR_CAP));
    NULL_CASE("report_json(json_out NULL)", docseal_report_json(r, NULL, &len_out, err, ERR_CAP));
    NULL_CASE("report_json(len_out NULL)", docseal_report_json(r, &s_out, NULL, err, ERR_CAP));
    NULL_CASE("report_text(report NULL)",
              docseal_report_text(NULL, DOCSEAL_LANG_VI, &s_out, &len_out, err, ERR_CAP));
    NULL_CASE("report_text(text_out NULL)",
              docseal_report_text(r, DOCSEAL_LANG_EN, NULL, &len_out, err, ERR_CAP));
    NULL_CASE("report_text(len_out NULL)",
              docseal_report_text(r, DOCSEAL_LANG_VI, &s_out, NULL, err, ERR_CAP));
    NULL_CASE("report_signer(report NULL)",
              docseal_report_signer(NULL, 0, &s_out, &len_out, err, ERR_CAP));
    NULL_CASE("report_signer(name_out NULL)",
              docseal_report_signer(r, 0, NULL, &len_out, err, ERR_CAP));
    NULL_CASE("report_signer(len_out NULL)",
              docseal_report_signer(r, 0, &s_out, NULL, err, ERR_CAP));
    check(s_out == sentinel && len_out == 0xDEAD,
          "json/text/signer NULL cases left the other out-parameter untouched");

    docseal_verdict verdict = (docseal_verdict)0x5A;
    NULL_CASE("report_verdict(report NULL)", docseal_report_verdict(NULL, &verdict, err, ERR_CAP));
    NULL_CASE("report_verdict(verdict_out NULL)", docseal_report_verdict(r, NULL, err, ERR_CAP));
    check(verdict == (docseal_verdict)0x5A,
          "report_verdict(report NULL) left *verdict_out untouched");

    size_t count = 0xDEAD;
    NULL_CASE("report_signature_count(report NULL)",
              docseal_report_signature_count(NULL, &count, err, ERR_CAP));
    NULL_CASE("report_signature_count(count_out NULL)",
              docseal_report_signature_count(r, NULL, err, ERR_CAP));
    check(count == 0xDEAD, "report_signature_count(report NULL) left *count_out untouched");
#undef NULL_CASE
}

/* The message buffer: cut on a UTF-8 boundary and NUL-terminated; NULL and 0 accepted. */
static docseal_verifier_builder *cut_builder;
static char cut_missing[4096];

static docseal_status add_missing_trust_path(char *err_buf, size_t err_len) {
    return docseal_verifier_builder_add_trust_path(cut_builder, cut_missing, err_buf, err_len);
}

static void test_message_buffer(docseal_verifier_builder *b) {
    /* A missing file whose name is Vietnamese, so the message has multi-byte characters. */
    cut_builder = b;
    snprintf(cut_missing, sizeof cut_missing, "%s/%s", testdata,
             u8"không có tệp này/chứng thư.pem");
    expect_message_cuts("add_trust_path(missing Vietnamese-named file)", add_missing_trust_path,
                        DOCSEAL_STATUS_IO);
    check(docseal_verifier_builder_add_trust_path(NULL, NULL, NULL, 0) ==
              DOCSEAL_STATUS_NULL_ARGUMENT,
          "every pointer NULL: DOCSEAL_STATUS_NULL_ARGUMENT without a message buffer");
}

/* Input errors: each gives its status and leaves the out-parameter untouched. */
static void test_input_errors(docseal_verifier_builder *b, const docseal_verifier *v,
                              const docseal_report *r) {
    char err[ERR_CAP];
    static int sentinel_obj;
    void *const sentinel = &sentinel_obj;
    size_t len;

    uint8_t *text = read_fixture("pdf/not_a_pdf.pdf", &len);
    docseal_report *r_out = sentinel;
    fresh(err);
    expect_err("pdf_verify(pdf/not_a_pdf.pdf)",
               docseal_pdf_verify(v, text, len, AT, &r_out, err, ERR_CAP), DOCSEAL_STATUS_NOT_PDF,
               err);
    check(r_out == sentinel, "pdf_verify(not_a_pdf.pdf) left *report_out untouched");
    fresh(err);
    expect_err("pdf_verify(pdf NULL, len 0): empty input",
               docseal_pdf_verify(v, NULL, 0, AT, &r_out, err, ERR_CAP), DOCSEAL_STATUS_NOT_PDF,
               err);
    check(r_out == sentinel, "pdf_verify(empty) left *report_out untouched");
    check(docseal_pdf_verify(v, text, len, AT, &r_out, NULL, 0) == DOCSEAL_STATUS_NOT_PDF &&
              r_out == sentinel,
          "pdf_verify(not_a_pdf.pdf) with err_buf NULL: DOCSEAL_STATUS_NOT_PDF");
    free(text);

    uint8_t *pdf = read_fixture("pdf/sample_permit.pdf", &len);
    static const int64_t bad_times[] = {INT64_MAX, INT64_MIN, -1000000000000LL, 300000000000LL};
    for (size_t i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++) {
        char what[256];
        snprintf(what, sizeof what, "pdf_verify(sample_permit.pdf, at %lld): time out of range",
                 (long long)bad_times[i]);
        fresh(err);
        expect_err(what, docseal_pdf_verify(v, pdf, len, bad_times[i], &r_out, err, ERR_CAP),
                   DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    }
    check(r_out == sentinel, "pdf_verify(time out of range) left *report_out untouched");
    free(pdf);

    static const uint8_t garbage[] = "this is not a certificate \x01\x02\x03\xff";
    fresh(err);
    expect_err("add_trust_anchors(garbage bytes)",
               docseal_verifier_builder_add_trust_anchors(b, garbage, sizeof garbage, err,
                                                          ERR_CAP),
               DOCSEAL_STATUS_BAD_CERTIFICATE, err);
    fresh(err);
    expect_err("add_intermediates(garbage bytes)",
               docseal_verifier_builder_add_intermediates(b, garbage, sizeof garbage, err,
                                                          ERR_CAP),
               DOCSEAL_STATUS_BAD_CERTIFICATE, err);
    fresh(err);
    expect_err("add_trust_anchors(bytes NULL, len 0): holds no certificate",
               docseal_verifier_builder_add_trust_anchors(b, NULL, 0, err, ERR_CAP),
               DOCSEAL_STATUS_BAD_CERTIFICATE, err);
    fresh(err);
    expect_err("add_trust_path(pdf/not_a_pdf.pdf): not a certificate",
               docseal_verifier_builder_add_trust_path(b, fixture("pdf/not_a_pdf.pdf"), err,
                                                       ERR_CAP),
               DOCSEAL_STATUS_BAD_CERTIFICATE, err);

    fresh(err);
    expect_err("add_trust_path(missing file)",
               docseal_verifier_builder_add_trust_path(b, fixture("pki/no-such-anchor.pem"), err,
                                                       ERR_CAP),
               DOCSEAL_STATUS_IO, err);
    fresh(err);
    expect_err("add_intermediates_path(missing file)",
               docseal_verifier_builder_add_intermediates_path(
                   b, fixture("pki/no-such-intermediate.pem"), err, ERR_CAP),
               DOCSEAL_STATUS_IO, err);

    static const char bad_utf8[] = "pki/\xff\xfe-anchor.pem";
    fresh(err);
    expect_err("add_trust_path(invalid UTF-8 path)",
               docseal_verifier_builder_add_trust_path(b, bad_utf8, err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_UTF8, err);
    fresh(err);
    expect_err("add_intermediates_path(invalid UTF-8 path)",
               docseal_verifier_builder_add_intermediates_path(b, "\xc3\x28", err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_UTF8, err);

    const char *s_out = sentinel;
    size_t len_out = 0xDEAD;
    fresh(err);
    expect_err("report_text(lang 7)",
               docseal_report_text(r, 7, &s_out, &len_out, err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    fresh(err);
    expect_err("report_text(lang UINT32_MAX)",
               docseal_report_text(r, UINT32_MAX, &s_out, &len_out, err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    check(s_out == sentinel && len_out == 0xDEAD,
          "report_text(bad lang) left *text_out and *len_out untouched");
    fresh(err);
    expect_err("report_signer(index 5) of a 1-signature report",
               docseal_report_signer(r, 5, &s_out, &len_out, err, ERR_CAP),
               DOCSEAL_STATUS_INDEX_OUT_OF_RANGE, err);
    fresh(err);
    expect_err("report_signer(index 1) of a 1-signature report",
               docseal_report_signer(r, 1, &s_out, &len_out, err, ERR_CAP),
               DOCSEAL_STATUS_INDEX_OUT_OF_RANGE, err);
    fresh(err);
    expect_err("report_signer(index SIZE_MAX)",
               docseal_report_signer(r, SIZE_MAX, &s_out, &len_out, err, ERR_CAP),
               DOCSEAL_STATUS_INDEX_OUT_OF_RANGE, err);
    check(s_out == sentinel && len_out == 0xDEAD,
          "report_signer(out of range) left *name_out and *len_out untouched");
}

/* A panic is caught at the boundary; the process and the handles stay usable. */
static void test_panic(const docseal_verifier *v) {
    char err[ERR_CAP];
    fresh(err);
    expect_err("docseal_internal_panic_test()", docseal_internal_panic_test(err, ERR_CAP),
               DOCSEAL_STATUS_PANIC, err);
    check(strstr(err, "panic") != NULL, "the panic message contains \"panic\"");
    check(docseal_internal_panic_test(NULL, 0) == DOCSEAL_STATUS_PANIC,
          "docseal_internal_panic_test(NULL, 0) == DOCSEAL_STATUS_PANIC");
    memset(err, FILL, sizeof err);
    check(docseal_internal_panic_test(err, 8) == DOCSEAL_STATUS_PANIC && strlen(err) == 7 &&
              err[8] == FILL,
          "docseal_internal_panic_test(buf, 8): message cut to 7 bytes + NUL");
    pass("the process is still alive after three caught panics");
    expect_verdict(v, "pdf/sample_permit.pdf", DOCSEAL_VERDICT_VALID,
                   "VALID (verifier still usable after the panics)");
}

/* A verifier with the test anchor and the test CRLs (directory, then one CRL as bytes). */
static docseal_verifier *verifier_with_crls(void) {
    char err[ERR_CAP];
    docseal_verifier_builder *b = docseal_verifier_builder_new();
    fresh(err);
    expect_ok("add_trust_path(pki/anchor.pem)",
              docseal_verifier_builder_add_trust_path(b, fixture("pki/anchor.pem"), err, ERR_CAP),
              err);
    fresh(err);
    expect_ok("add_tsa_path(pki/anchor.pem)",
              docseal_verifier_builder_add_tsa_path(b, fixture("pki/anchor.pem"), err, ERR_CAP), err);
    fresh(err);
    expect_ok("add_crls_path(pki/crl)",
              docseal_verifier_builder_add_crls_path(b, fixture("pki/crl"), err, ERR_CAP), err);
    size_t len;
    uint8_t *crl = read_fixture("pki/crl/issuing-g1.crl", &len);
    fresh(err);
    expect_ok("add_crls(issuing-g1.crl bytes)",
              docseal_verifier_builder_add_crls(b, crl, len, err, ERR_CAP), err);
    expect_err("add_ocsp(a CRL is not an OCSP response)",
               docseal_verifier_builder_add_ocsp(b, crl, len, err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    free(crl);
    expect_err("add_crls_path(missing)",
               docseal_verifier_builder_add_crls_path(b, fixture("pki/no-such-dir"), err, ERR_CAP),
               DOCSEAL_STATUS_IO, err);
    expect_err("set_policy(7)", docseal_verifier_builder_set_policy(b, 7, err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    fresh(err);
    expect_ok("set_policy(PRACTICAL)",
              docseal_verifier_builder_set_policy(b, DOCSEAL_POLICY_PRACTICAL, err, ERR_CAP), err);
    docseal_verifier *v = NULL;
    fresh(err);
    expect_ok("build with CRLs", docseal_verifier_builder_build(b, &v, err, ERR_CAP), err);
    docseal_verifier_builder_free(b);
    return v;
}

/* docseal_pdf_revision_length: the signed revision is a prefix; out-of-range is an error that
 * leaves the out-parameter untouched. */
static void test_revision_length(void) {
    char err[ERR_CAP];
    size_t len;
    uint8_t *pdf = read_fixture("pdf/incremental_update.pdf", &len);
    size_t rev = 0xDEAD;
    fresh(err);
    expect_ok("pdf_revision_length(incremental_update, 2)",
              docseal_pdf_revision_length(pdf, len, 2, &rev, err, ERR_CAP), err);
    check(rev > 0 && rev < len, "revision 2 is a proper prefix");
    docseal_verifier *v = verifier_with_crls();
    docseal_report *r = NULL;
    fresh(err);
    expect_ok("verify the extracted revision", docseal_pdf_verify(v, pdf, rev, AT, &r, err, ERR_CAP),
              err);
    check(verdict_of(r, "revision 2 of incremental_update") == DOCSEAL_VERDICT_VALID,
          "the extracted revision is VALID (its revocation status from the supplied CRLs)");
    docseal_report_free(r);
    docseal_verifier_free(v);
    size_t untouched = 0xDEAD;
    expect_err("pdf_revision_length(n = 9)",
               docseal_pdf_revision_length(pdf, len, 9, &untouched, err, ERR_CAP),
               DOCSEAL_STATUS_INDEX_OUT_OF_RANGE, err);
    check(untouched == 0xDEAD, "out-of-range left *len_out untouched");
    expect_err("pdf_revision_length(len_out NULL)",
               docseal_pdf_revision_length(pdf, len, 2, NULL, err, ERR_CAP),
               DOCSEAL_STATUS_NULL_ARGUMENT, err);
    free(pdf);
}

/* docseal_scan_normalize: a 150-dpi permit page comes back upright as a PNG with its report;
 * the legal-minimum refusal, bad flags, a low output resolution, non-images and NULL outputs
 * are errors that leave the outputs untouched. */
static void test_scan(void) {
    char err[ERR_CAP];
    size_t len;
    uint8_t *page = read_fixture("scan/pages/rot90_skew_m3_3.jpg", &len);
    docseal_buffer *png = NULL, *json = NULL;
    fresh(err);
    expect_ok("scan_normalize(rot90 page, 300 dpi)",
              docseal_scan_normalize(page, len, 300, 0, &png, &json, err, ERR_CAP), err);
    const uint8_t *data = NULL;
    size_t data_len = 0;
    fresh(err);
    expect_ok("buffer_data(png)", docseal_buffer_data(png, &data, &data_len, err, ERR_CAP), err);
    check(data_len > 8 && memcmp(data, "\x89PNG", 4) == 0, "the page is a PNG");
    fresh(err);
    expect_ok("buffer_data(json)", docseal_buffer_data(json, &data, &data_len, err, ERR_CAP), err);
    check(strstr((const char *)data, "\"orientation_deg\":90") != NULL,
          "the report found the quarter turn");
    check(strstr((const char *)data, "https://dichvucong.example.vn/v/HCM-QH1-2030-000123") != NULL,
          "the report has the page's QR text");
    docseal_buffer_free(png);
    docseal_buffer_free(json);
    docseal_buffer *untouched = (docseal_buffer *)0x1;
    expect_err("scan_normalize(150 dpi, refuse low dpi)",
               docseal_scan_normalize(page, len, 0, DOCSEAL_SCAN_REFUSE_LOW_DPI, &untouched, &json,
                                      err, ERR_CAP),
               DOCSEAL_STATUS_BELOW_LEGAL_MINIMUM, err);
    check(untouched == (docseal_buffer *)0x1, "refusal left *png_out untouched");
    expect_err("scan_normalize(output 100 dpi)",
               docseal_scan_normalize(page, len, 100, 0, &png, &json, err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    expect_err("scan_normalize(unknown flag)",
               docseal_scan_normalize(page, len, 0, 64, &png, &json, err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    expect_err("scan_normalize(json_out NULL)",
               docseal_scan_normalize(page, len, 0, 0, &png, NULL, err, ERR_CAP),
               DOCSEAL_STATUS_NULL_ARGUMENT, err);
    static const uint8_t text[] = "not an image";
    expect_err("scan_normalize(not an image)",
               docseal_scan_normalize(text, sizeof text, 0, 0, &png, &json, err, ERR_CAP),
               DOCSEAL_STATUS_BAD_IMAGE, err);
    free(page);
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s TESTDATA_DIR [EXPECTED_VERSION]\n", argv[0]);
        return 2;
    }
    testdata = argv[1];
    char err[ERR_CAP];

    test_version(argc == 3 ? argv[2] : NULL);
    test_status_names();
    test_free_null();

    docseal_verifier_builder *b = docseal_verifier_builder_new();
    check(b != NULL, "docseal_verifier_builder_new() != NULL");
    fresh(err);
    expect_ok("add_trust_path(pki/anchor.pem)",
              docseal_verifier_builder_add_trust_path(b, fixture("pki/anchor.pem"), err, ERR_CAP),
              err);
    docseal_verifier *v = NULL;
    fresh(err);
    expect_ok("docseal_verifier_builder_build", docseal_verifier_builder_build(b, &v, err, ERR_CAP),
              err);
    check(v != NULL, "docseal_verifier_builder_build wrote a verifier");

    test_sample_permit(v);
    expect_verdict(v, "pdf/tampered_byte.pdf", DOCSEAL_VERDICT_INVALID, "DOCSEAL_VERDICT_INVALID");
    expect_verdict(v, "pdf/rogue_root.pdf", DOCSEAL_VERDICT_INDETERMINATE,
                   "DOCSEAL_VERDICT_INDETERMINATE");
    test_builder_variants();
    test_revision_length();
    test_scan();

    docseal_report *r = verify_fixture(v, "pdf/sample_permit.pdf");
    test_null_arguments(b, v, r);
    test_message_buffer(b);
    test_input_errors(b, v, r);
    test_panic(v);

    /* The failed calls above changed nothing: the builder still builds a working verifier. */
    docseal_verifier *v2 = NULL;
    fresh(err);
    expect_ok("build again after every failed builder call",
              docseal_verifier_builder_build(b, &v2, err, ERR_CAP), err);
    expect_verdict(v2, "pdf/sample_permit.pdf", DOCSEAL_VERDICT_VALID,
                   "VALID (failed calls added nothing to the builder)");

    docseal_report_free(r);
    docseal_verifier_free(v2);
    docseal_verifier_free(v);
    docseal_verifier_builder_free(b);
    pass("every handle freed");
    printf("all %d checks passed\n", checks);
    return 0;
}
