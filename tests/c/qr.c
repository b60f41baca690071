/*
 * The QR functions of the C ABI from C (include/docseal.h, docseal_qr_* and docseal_buffer_*):
 * verifying the testdata/qr fixtures (made by pycose + cbor2 + segno; the expected verdicts are
 * those of testdata/qr/manifest.json) from text and from images, issuing, printing, the
 * issue -> print -> verify round trip, and every error path. Run by tests/it/ffi.rs, also under
 * valgrind (every handle and buffer is freed).
 *
 *   lib=$(cargo metadata --format-version 1 --no-deps |
 *       python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/debug
 *   cc -std=c11 -Wall -Wextra -Werror -I include tests/c/qr.c \
 *      -L "$lib" -ldocseal -Wl,-rpath,"$lib" -o qr
 *   ./qr testdata
 */
#include "check.h"

/* Trust lists of testdata/qr/manifest.json. */
static const char *const VN1_TRUST[] = {"qr/certs/TEST-ONLY_vn1_es256.der",
                                        "qr/certs/TEST-ONLY_vn1_eddsa.der", NULL};
static const char *const COLLISION_TRUST[] = {"qr/certs/TEST-ONLY_vn1_es256.der",
                                              "qr/certs/TEST-ONLY_vn1_es256_b.der", NULL};
static const char *const HC1_TRUST[] = {"qr/certs/TEST-ONLY_hc1_dsc.der",
                                        "qr/certs/TEST-ONLY_hc1_dsc_test.der",
                                        "qr/certs/TEST-ONLY_hc1_dsc_vac.der", NULL};

/* A 32 x 32 white PNG (8-bit grey): a valid image without any QR code. */
static const uint8_t BLANK_PNG[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x20, 0x08, 0x00, 0x00, 0x00, 0x00, 0x56,
    0x11, 0x25, 0x28, 0x00, 0x00, 0x00, 0x16, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8,
    0x4f, 0x00, 0x30, 0x8c, 0x2a, 0x18, 0x55, 0x30, 0xaa, 0x60, 0xa4, 0x2a, 0x00, 0x00, 0x3f,
    0x68, 0xfc, 0x2e, 0xa9, 0x44, 0xd0, 0xc8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82};

/* Claims of a permit valid at AT (exp = AT + one year). */
static const char CLAIMS[] =
    u8"{\"iss\": \"VN-HCM-QH1\", \"iat\": 1899913600, \"exp\": 1931536000, \"nbf\": null,"
    u8" \"result\": {\"procedure_code\": \"1.009972\","
    u8" \"dossier_no\": \"000.00.01.H29-300316-0001\", \"decision_no\": \"123/GPXD\","
    u8" \"holder_name\": \"Nguyễn Văn An\","
    u8" \"holder_id_sha256\": "
    u8"\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
    u8" \"issuer_name\": \"Ủy ban nhân dân Quận 1\", \"issue_date\": \"2030-03-16\","
    u8" \"valid_until\": \"2031-03-16\","
    u8" \"document_sha256\": "
    u8"\"4e1081b208ef35593dbbcc95e1f0aae44099757017837ddccece2447627f1c45\","
    u8" \"url\": null}}";

static int sentinel_obj;
#define SENTINEL ((void *)&sentinel_obj)

/* ------------------------------------------------------------------------------------------ */
/* Helpers over the API                                                                        */

static docseal_qr_verifier *qr_verifier(const char *const *trust) {
    char err[ERR_CAP];
    char what[512];
    docseal_qr_verifier_builder *b = docseal_qr_verifier_builder_new();
    check(b != NULL, "docseal_qr_verifier_builder_new() != NULL");
    for (size_t i = 0; trust[i] != NULL; i++) {
        fresh(err);
        snprintf(what, sizeof what, "qr add_signers_path(%s)", trust[i]);
        expect_ok(what, docseal_qr_verifier_builder_add_signers_path(b, fixture(trust[i]), err,
                                                                      ERR_CAP),
                  err);
    }
    docseal_qr_verifier *v = NULL;
    fresh(err);
    expect_ok("docseal_qr_verifier_builder_build",
              docseal_qr_verifier_builder_build(b, &v, err, ERR_CAP), err);
    check(v != NULL, "docseal_qr_verifier_builder_build wrote a verifier");
    docseal_qr_verifier_builder_free(b);
    return v;
}

/* The JSON of a report: borrowed, NUL-terminated UTF-8, an array. */
static const char *json_of(const docseal_qr_report *r, const char *what) {
    char err[ERR_CAP];
    char line[512];
    const char *json = NULL;
    size_t len = 0;
    fresh(err);
    snprintf(line, sizeof line, "docseal_qr_report_json(%s)", what);
    expect_ok(line, docseal_qr_report_json(r, &json, &len, err, ERR_CAP), err);
    check_borrowed_text(line, json, len);
    snprintf(line, sizeof line, "%s: the JSON is an array", what);
    check(json[0] == '[' && json[len - 1] == ']', line);
    const char *again = NULL;
    size_t again_len = 0;
    fresh(err);
    expect_ok(line, docseal_qr_report_json(r, &again, &again_len, err, ERR_CAP), err);
    snprintf(line, sizeof line, "%s: the JSON is built once (same pointer twice)", what);
    check(again == json && again_len == len, line);
    return json;
}

/* Verdict, symbol count and symbol verdicts of a report against what is expected. */
static void expect_report(const docseal_qr_report *r, const char *what, docseal_verdict want,
                          size_t want_symbols) {
    char err[ERR_CAP];
    char line[512];
    docseal_verdict verdict = (docseal_verdict)0x5A;
    fresh(err);
    snprintf(line, sizeof line, "docseal_qr_report_verdict(%s)", what);
    expect_ok(line, docseal_qr_report_verdict(r, &verdict, err, ERR_CAP), err);
    snprintf(line, sizeof line, "%s: verdict %d, want %d", what, (int)verdict, (int)want);
    check(verdict == want, line);
    size_t count = 0;
    fresh(err);
    snprintf(line, sizeof line, "docseal_qr_report_symbol_count(%s)", what);
    expect_ok(line, docseal_qr_report_symbol_count(r, &count, err, ERR_CAP), err);
    snprintf(line, sizeof line, "%s: %zu symbol(s), want %zu", what, count, want_symbols);
    check(count == want_symbols, line);
    for (size_t i = 0; i < count; i++) {
        docseal_verdict one = (docseal_verdict)0x5A;
        fresh(err);
        snprintf(line, sizeof line, "docseal_qr_report_symbol_verdict(%s, %zu)", what, i);
        expect_ok(line, docseal_qr_report_symbol_verdict(r, i, &one, err, ERR_CAP), err);
        snprintf(line, sizeof line, "%s: symbol %zu verdict %d, want %d", what, i, (int)one,
                 (int)want);
        check(one == want, line);
    }
}

static void expect_json_has(const char *json, const char *needle, const char *what) {
    char line[512];
    snprintf(line, sizeof line, "%s: the JSON has %s", what, needle);
    if (strstr(json, needle) == NULL) {
        fail(line, json);
    }
    pass(line);
}

static docseal_qr_report *verify_text_fixture(const docseal_qr_verifier *v, const char *rel) {
    char err[ERR_CAP];
    char what[512];
    size_t len;
    uint8_t *text = read_fixture(rel, &len);
    docseal_qr_report *r = NULL;
    fresh(err);
    snprintf(what, sizeof what, "docseal_qr_verify_text(%s)", rel);
    expect_ok(what, docseal_qr_verify_text(v, text, len, AT, &r, err, ERR_CAP), err);
    check(r != NULL, what);
    free(text);
    return r;
}

static docseal_qr_report *verify_image(const docseal_qr_verifier *v, const uint8_t *image,
                                       size_t len, const char *what) {
    char err[ERR_CAP];
    char line[512];
    docseal_qr_report *r = NULL;
    fresh(err);
    snprintf(line, sizeof line, "docseal_qr_verify_image(%s)", what);
    expect_ok(line, docseal_qr_verify_image(v, image, len, AT, &r, err, ERR_CAP), err);
    check(r != NULL, line);
    return r;
}

/* The bytes of a buffer; checks the NUL after them. */
static const uint8_t *buffer_bytes(const docseal_buffer *b, size_t *len, const char *what) {
    char err[ERR_CAP];
    char line[512];
    const uint8_t *data = NULL;
    fresh(err);
    snprintf(line, sizeof line, "docseal_buffer_data(%s)", what);
    expect_ok(line, docseal_buffer_data(b, &data, len, err, ERR_CAP), err);
    snprintf(line, sizeof line, "%s: %zu bytes followed by a NUL", what, *len);
    check(data != NULL && *len > 0 && data[*len] == 0, line);
    return data;
}

/* ------------------------------------------------------------------------------------------ */
/* The checks                                                                                  */

static void test_free_null(void) {
    docseal_qr_verifier_builder_free(NULL);
    docseal_qr_verifier_free(NULL);
    docseal_qr_report_free(NULL);
    docseal_qr_issuer_free(NULL);
    docseal_buffer_free(NULL);
    pass("docseal_qr_verifier_builder_free, _qr_verifier_free, _qr_report_free, "
         "_qr_issuer_free and _buffer_free of NULL are no-ops");
}

/* Every text fixture of testdata/qr/manifest.json gets its verdict; the JSON names the stage. */
static void test_text_fixtures(void) {
    static const struct {
        const char *file;
        const char *const *trust;
        docseal_verdict verdict;
        const char *stage_json; /* the first failing stage, as in the JSON, or NULL */
    } cases[] = {
        {"qr/vn1_es256.txt", VN1_TRUST, DOCSEAL_VERDICT_VALID, NULL},
        {"qr/vn1_eddsa.txt", VN1_TRUST, DOCSEAL_VERDICT_VALID, NULL},
        {"qr/vn1_untagged.txt", VN1_TRUST, DOCSEAL_VERDICT_VALID, NULL},
        {"qr/vn1_kid_unprotected.txt", VN1_TRUST, DOCSEAL_VERDICT_VALID, NULL},
        {"qr/vn1_kid_collision.txt", COLLISION_TRUST, DOCSEAL_VERDICT_INVALID,
         "\"signature_ok\": false"},
        {"qr/vn1_bad_signature.txt", VN1_TRUST, DOCSEAL_VERDICT_INVALID,
         "\"signature_ok\": false"},
        {"qr/vn1_wrong_key.txt", VN1_TRUST, DOCSEAL_VERDICT_INDETERMINATE,
         "\"issuer_trusted\": false"},
        {"qr/vn1_expired.txt", VN1_TRUST, DOCSEAL_VERDICT_INVALID, "\"time_ok\": false"},
        {"qr/vn1_exp_boundary.txt", VN1_TRUST, DOCSEAL_VERDICT_INVALID, "\"time_ok\": false"},
        {"qr/vn1_not_yet.txt", VN1_TRUST, DOCSEAL_VERDICT_INVALID, "\"time_ok\": false"},
        {"qr/bad_prefix.txt", VN1_TRUST, DOCSEAL_VERDICT_INVALID, "\"prefix_ok\": false"},
        {"qr/bad_base45.txt", VN1_TRUST, DOCSEAL_VERDICT_INVALID, "\"base45_ok\": false"},
        {"qr/zlib_bomb.txt", VN1_TRUST, DOCSEAL_VERDICT_INVALID, "\"zlib_ok\": false"},
        {"qr/not_cose.txt", VN1_TRUST, DOCSEAL_VERDICT_INVALID, "\"cose_ok\": false"},
        {"qr/hc1_vaccination.txt", HC1_TRUST, DOCSEAL_VERDICT_VALID, NULL},
        {"qr/hc1_eku_forbids.txt", HC1_TRUST, DOCSEAL_VERDICT_INVALID,
         "\"key_usage_ok\": false"},
        {"qr/hc1_eku_allows.txt", HC1_TRUST, DOCSEAL_VERDICT_VALID, NULL},
    };
    const char *const *trusts[] = {VN1_TRUST, COLLISION_TRUST, HC1_TRUST};
    docseal_qr_verifier *verifiers[3];
    for (size_t t = 0; t < 3; t++) {
        verifiers[t] = qr_verifier(trusts[t]);
    }
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t t = 0;
        while (trusts[t] != cases[i].trust) {
            t++;
        }
        docseal_qr_report *r = verify_text_fixture(verifiers[t], cases[i].file);
        expect_report(r, cases[i].file, cases[i].verdict, 1);
        const char *json = json_of(r, cases[i].file);
        expect_json_has(json, "\"qr_decoded\": true", cases[i].file);
        expect_json_has(json, "\"qr_text\": null", cases[i].file);
        expect_json_has(json, cases[i].stage_json ? cases[i].stage_json : "\"key_usage_ok\": true",
                        cases[i].file);
        docseal_qr_report_free(r);
    }
    for (size_t t = 0; t < 3; t++) {
        docseal_qr_verifier_free(verifiers[t]);
    }
}

/* The PNG fixtures (segno renders) read and verify; the JSON carries the text read. */
static void test_image_fixtures(void) {
    static const struct {
        const char *file;
        int hc1;
    } cases[] = {
        {"qr/vn1_es256.png", 0},        {"qr/vn1_eddsa.png", 0},
        {"qr/vn1_untagged.png", 0},     {"qr/vn1_kid_unprotected.png", 0},
        {"qr/hc1_vaccination.png", 1},  {"qr/hc1_eku_allows.png", 1},
    };
    docseal_qr_verifier *vn1 = qr_verifier(VN1_TRUST);
    docseal_qr_verifier *hc1 = qr_verifier(HC1_TRUST);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        uint8_t *png = read_fixture(cases[i].file, &len);
        docseal_qr_report *r = verify_image(cases[i].hc1 ? hc1 : vn1, png, len, cases[i].file);
        expect_report(r, cases[i].file, DOCSEAL_VERDICT_VALID, 1);
        const char *json = json_of(r, cases[i].file);
        expect_json_has(json, cases[i].hc1 ? "\"qr_text\": \"HC1:" : "\"qr_text\": \"VN1:",
                        cases[i].file);
        docseal_qr_report_free(r);
        if (i == 0 || i == 4) {
            /* The other trust list does not know the signer: INDETERMINATE, not an error (once
             * per prefix: image decoding is slow under valgrind). */
            r = verify_image(cases[i].hc1 ? vn1 : hc1, png, len, cases[i].file);
            expect_report(r, cases[i].file, DOCSEAL_VERDICT_INDETERMINATE, 1);
            docseal_qr_report_free(r);
        }
        free(png);
    }
    docseal_qr_verifier_free(hc1);
    docseal_qr_verifier_free(vn1);
}

/* Trust given as bytes, and an empty trust list. */
static void test_builder_variants(void) {
    char err[ERR_CAP];
    size_t len;
    uint8_t *der = read_fixture("qr/certs/TEST-ONLY_vn1_es256.der", &len);
    docseal_qr_verifier_builder *b = docseal_qr_verifier_builder_new();
    docseal_qr_verifier *empty = NULL;
    fresh(err);
    expect_ok("qr build with an empty trust list",
              docseal_qr_verifier_builder_build(b, &empty, err, ERR_CAP), err);
    docseal_qr_report *r = verify_text_fixture(empty, "qr/vn1_es256.txt");
    expect_report(r, "vn1_es256.txt, empty trust list", DOCSEAL_VERDICT_INDETERMINATE, 1);
    docseal_qr_report_free(r);
    fresh(err);
    expect_ok("qr add_signers(vn1_es256 DER bytes)",
              docseal_qr_verifier_builder_add_signers(b, der, len, err, ERR_CAP), err);
    docseal_qr_verifier *v = NULL;
    fresh(err);
    expect_ok("qr build after add_signers", docseal_qr_verifier_builder_build(b, &v, err, ERR_CAP),
              err);
    r = verify_text_fixture(v, "qr/vn1_es256.txt");
    expect_report(r, "vn1_es256.txt, signer given as bytes", DOCSEAL_VERDICT_VALID, 1);
    docseal_qr_report_free(r);
    docseal_qr_verifier_free(v);
    docseal_qr_verifier_free(empty);
    docseal_qr_verifier_builder_free(b);
    free(der);
}

/* Issue -> verify text; issue -> print PNG -> verify image; print SVG. */
static void test_issue_round_trip(const docseal_qr_issuer *issuer) {
    char err[ERR_CAP];
    docseal_buffer *text_buf = NULL;
    fresh(err);
    expect_ok("docseal_qr_issue(claims)",
              docseal_qr_issue(issuer, (const uint8_t *)CLAIMS, strlen(CLAIMS), &text_buf, err,
                               ERR_CAP),
              err);
    size_t text_len;
    const uint8_t *text = buffer_bytes(text_buf, &text_len, "issued text");
    check(text_len > 4 && memcmp(text, "VN1:", 4) == 0, "the issued text starts with VN1:");
    check(strlen((const char *)text) == text_len, "the issued text is a C string of its length");

    docseal_qr_verifier *v = qr_verifier(VN1_TRUST);
    docseal_qr_report *r = NULL;
    fresh(err);
    expect_ok("docseal_qr_verify_text(issued text)",
              docseal_qr_verify_text(v, text, text_len, AT, &r, err, ERR_CAP), err);
    expect_report(r, "issued text", DOCSEAL_VERDICT_VALID, 1);
    expect_json_has(json_of(r, "issued text"), u8"\"holder_name\": \"Nguyễn Văn An\"",
                    "issued text");
    docseal_qr_report_free(r);

    docseal_buffer *png_buf = NULL;
    fresh(err);
    expect_ok("docseal_qr_print(issued text, 4 dots, PNG)",
              docseal_qr_print(text, text_len, 4, DOCSEAL_QR_FORMAT_PNG, &png_buf, err, ERR_CAP),
              err);
    size_t png_len;
    const uint8_t *png = buffer_bytes(png_buf, &png_len, "printed PNG");
    check(png_len > 8 && memcmp(png, "\x89PNG", 4) == 0, "the printed PNG starts with \\x89PNG");
    r = verify_image(v, png, png_len, "printed PNG");
    expect_report(r, "printed PNG", DOCSEAL_VERDICT_VALID, 1);
    const char *json = json_of(r, "printed PNG");
    /* The text read back from the image is the issued text. */
    char needle[4096];
    snprintf(needle, sizeof needle, "\"qr_text\": \"%s\"", (const char *)text);
    expect_json_has(json, needle, "printed PNG (qr_text is the issued text)");
    docseal_qr_report_free(r);

    docseal_buffer *svg_buf = NULL;
    fresh(err);
    expect_ok("docseal_qr_print(issued text, 1 dot, SVG)",
              docseal_qr_print(text, text_len, 1, DOCSEAL_QR_FORMAT_SVG, &svg_buf, err, ERR_CAP),
              err);
    size_t svg_len;
    const uint8_t *svg = buffer_bytes(svg_buf, &svg_len, "printed SVG");
    check(strstr((const char *)svg, "<svg") != NULL && strlen((const char *)svg) == svg_len,
          "the printed SVG is a C string with an <svg element");
    fresh(err);
    docseal_qr_report *none = SENTINEL;
    expect_err("docseal_qr_verify_image(SVG bytes): not a PNG or JPEG",
               docseal_qr_verify_image(v, svg, svg_len, AT, &none, err, ERR_CAP),
               DOCSEAL_STATUS_BAD_IMAGE, err);
    check(none == SENTINEL, "verify_image(SVG) left *report_out untouched");

    docseal_buffer_free(svg_buf);
    docseal_buffer_free(png_buf);
    docseal_buffer_free(text_buf);
    docseal_qr_verifier_free(v);
}

/* Every NULL handle, buffer and out-parameter, with out-parameters left untouched. */
static void test_null_arguments(docseal_qr_verifier_builder *b, const docseal_qr_verifier *v,
                                const docseal_qr_report *r, const docseal_qr_issuer *issuer,
                                const docseal_buffer *buf, const uint8_t *key, size_t key_len,
                                const uint8_t *cert, size_t cert_len) {
    char err[ERR_CAP];
    static const uint8_t byte = 'V';
    const char *path = fixture("qr/certs/TEST-ONLY_vn1_es256.der");
    char cert_path[4096];
    snprintf(cert_path, sizeof cert_path, "%s", path);

#define NULL_CASE(what, call)                                                                  \
    do {                                                                                       \
        fresh(err);                                                                            \
        expect_err(what, call, DOCSEAL_STATUS_NULL_ARGUMENT, err);                             \
    } while (0)

    NULL_CASE("qr add_signers(builder NULL)",
              docseal_qr_verifier_builder_add_signers(NULL, &byte, 1, err, ERR_CAP));
    NULL_CASE("qr add_signers(bytes NULL, len 5)",
              docseal_qr_verifier_builder_add_signers(b, NULL, 5, err, ERR_CAP));
    NULL_CASE("qr add_signers_path(builder NULL)",
              docseal_qr_verifier_builder_add_signers_path(NULL, cert_path, err, ERR_CAP));
    NULL_CASE("qr add_signers_path(path NULL)",
              docseal_qr_verifier_builder_add_signers_path(b, NULL, err, ERR_CAP));

    docseal_qr_verifier *v_out = SENTINEL;
    NULL_CASE("qr build(builder NULL)",
              docseal_qr_verifier_builder_build(NULL, &v_out, err, ERR_CAP));
    NULL_CASE("qr build(verifier_out NULL)",
              docseal_qr_verifier_builder_build(b, NULL, err, ERR_CAP));
    check(v_out == SENTINEL, "qr build(builder NULL) left *verifier_out untouched");

    docseal_qr_report *r_out = SENTINEL;
    NULL_CASE("qr_verify_text(verifier NULL)",
              docseal_qr_verify_text(NULL, &byte, 1, AT, &r_out, err, ERR_CAP));
    NULL_CASE("qr_verify_text(text NULL, len 5)",
              docseal_qr_verify_text(v, NULL, 5, AT, &r_out, err, ERR_CAP));
    NULL_CASE("qr_verify_text(report_out NULL)",
              docseal_qr_verify_text(v, &byte, 1, AT, NULL, err, ERR_CAP));
    NULL_CASE("qr_verify_image(verifier NULL)",
              docseal_qr_verify_image(NULL, BLANK_PNG, sizeof BLANK_PNG, AT, &r_out, err,
                                      ERR_CAP));
    NULL_CASE("qr_verify_image(image NULL, len 5)",
              docseal_qr_verify_image(v, NULL, 5, AT, &r_out, err, ERR_CAP));
    NULL_CASE("qr_verify_image(report_out NULL)",
              docseal_qr_verify_image(v, BLANK_PNG, sizeof BLANK_PNG, AT, NULL, err, ERR_CAP));
    check(r_out == SENTINEL, "qr_verify_* NULL cases left *report_out untouched");

    const char *s_out = SENTINEL;
    size_t len_out = 0xDEAD;
    NULL_CASE("qr_report_json(report NULL)",
              docseal_qr_report_json(NULL, &s_out, &len_out, err, ERR_CAP));
    NULL_CASE("qr_report_json(json_out NULL)",
              docseal_qr_report_json(r, NULL, &len_out, err, ERR_CAP));
    NULL_CASE("qr_report_json(len_out NULL)",
              docseal_qr_report_json(r, &s_out, NULL, err, ERR_CAP));
    check(s_out == SENTINEL && len_out == 0xDEAD,
          "qr_report_json NULL cases left the other out-parameter untouched");

    docseal_verdict verdict = (docseal_verdict)0x5A;
    NULL_CASE("qr_report_verdict(report NULL)",
              docseal_qr_report_verdict(NULL, &verdict, err, ERR_CAP));
    NULL_CASE("qr_report_verdict(verdict_out NULL)",
              docseal_qr_report_verdict(r, NULL, err, ERR_CAP));
    NULL_CASE("qr_report_symbol_verdict(report NULL)",
              docseal_qr_report_symbol_verdict(NULL, 0, &verdict, err, ERR_CAP));
    NULL_CASE("qr_report_symbol_verdict(verdict_out NULL)",
              docseal_qr_report_symbol_verdict(r, 0, NULL, err, ERR_CAP));
    check(verdict == (docseal_verdict)0x5A, "qr verdict NULL cases left *verdict_out untouched");
    size_t count = 0xDEAD;
    NULL_CASE("qr_report_symbol_count(report NULL)",
              docseal_qr_report_symbol_count(NULL, &count, err, ERR_CAP));
    NULL_CASE("qr_report_symbol_count(count_out NULL)",
              docseal_qr_report_symbol_count(r, NULL, err, ERR_CAP));
    check(count == 0xDEAD, "qr_report_symbol_count(report NULL) left *count_out untouched");

    docseal_qr_issuer *i_out = SENTINEL;
    NULL_CASE("qr_issuer_from_pkcs8(key NULL, len 5)",
              docseal_qr_issuer_from_pkcs8(NULL, 5, cert, cert_len, &i_out, err, ERR_CAP));
    NULL_CASE("qr_issuer_from_pkcs8(cert NULL, len 5)",
              docseal_qr_issuer_from_pkcs8(key, key_len, NULL, 5, &i_out, err, ERR_CAP));
    NULL_CASE("qr_issuer_from_pkcs8(issuer_out NULL)",
              docseal_qr_issuer_from_pkcs8(key, key_len, cert, cert_len, NULL, err, ERR_CAP));
    check(i_out == SENTINEL, "qr_issuer_from_pkcs8 NULL cases left *issuer_out untouched");

    docseal_buffer *b_out = SENTINEL;
    NULL_CASE("qr_issue(issuer NULL)",
              docseal_qr_issue(NULL, (const uint8_t *)CLAIMS, strlen(CLAIMS), &b_out, err,
                               ERR_CAP));
    NULL_CASE("qr_issue(claims NULL, len 5)",
              docseal_qr_issue(issuer, NULL, 5, &b_out, err, ERR_CAP));
    NULL_CASE("qr_issue(text_out NULL)",
              docseal_qr_issue(issuer, (const uint8_t *)CLAIMS, strlen(CLAIMS), NULL, err,
                               ERR_CAP));
    NULL_CASE("qr_print(text NULL, len 5)",
              docseal_qr_print(NULL, 5, 4, DOCSEAL_QR_FORMAT_PNG, &b_out, err, ERR_CAP));
    NULL_CASE("qr_print(image_out NULL)",
              docseal_qr_print(&byte, 1, 4, DOCSEAL_QR_FORMAT_PNG, NULL, err, ERR_CAP));
    check(b_out == SENTINEL, "qr_issue/qr_print NULL cases left the buffer out-parameter "
                             "untouched");

    const uint8_t *d_out = SENTINEL;
    len_out = 0xDEAD;
    NULL_CASE("buffer_data(buffer NULL)", docseal_buffer_data(NULL, &d_out, &len_out, err,
                                                              ERR_CAP));
    NULL_CASE("buffer_data(data_out NULL)", docseal_buffer_data(buf, NULL, &len_out, err,
                                                                ERR_CAP));
    NULL_CASE("buffer_data(len_out NULL)", docseal_buffer_data(buf, &d_out, NULL, err, ERR_CAP));
    check(d_out == SENTINEL && len_out == 0xDEAD,
          "buffer_data NULL cases left the other out-parameter untouched");
#undef NULL_CASE
}

/* Input errors: each gives its status and leaves the out-parameter untouched. */
static void test_input_errors(docseal_qr_verifier_builder *b, const docseal_qr_verifier *v,
                              const docseal_qr_report *r, const docseal_qr_issuer *issuer,
                              const uint8_t *key, size_t key_len, const uint8_t *cert,
                              size_t cert_len) {
    char err[ERR_CAP];
    static const uint8_t garbage[] = "this is not a certificate \x01\x02\x03\xff";
    static const uint8_t bad_utf8[] = "VN1:\xff\xfe";

    fresh(err);
    expect_err("qr add_signers(garbage)",
               docseal_qr_verifier_builder_add_signers(b, garbage, sizeof garbage, err, ERR_CAP),
               DOCSEAL_STATUS_BAD_CERTIFICATE, err);
    fresh(err);
    expect_err("qr add_signers(NULL, 0): holds no certificate",
               docseal_qr_verifier_builder_add_signers(b, NULL, 0, err, ERR_CAP),
               DOCSEAL_STATUS_BAD_CERTIFICATE, err);
    fresh(err);
    expect_err("qr add_signers_path(missing file)",
               docseal_qr_verifier_builder_add_signers_path(
                   b, fixture("qr/certs/no-such-signer.der"), err, ERR_CAP),
               DOCSEAL_STATUS_IO, err);
    fresh(err);
    expect_err("qr add_signers_path(qr/vn1_es256.txt): not a certificate",
               docseal_qr_verifier_builder_add_signers_path(b, fixture("qr/vn1_es256.txt"), err,
                                                            ERR_CAP),
               DOCSEAL_STATUS_BAD_CERTIFICATE, err);
    fresh(err);
    expect_err("qr add_signers_path(invalid UTF-8 path)",
               docseal_qr_verifier_builder_add_signers_path(b, "qr/\xff\xfe.der", err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_UTF8, err);

    docseal_qr_report *r_out = SENTINEL;
    fresh(err);
    expect_err("qr_verify_text(invalid UTF-8)",
               docseal_qr_verify_text(v, bad_utf8, sizeof bad_utf8 - 1, AT, &r_out, err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_UTF8, err);
    static const int64_t bad_times[] = {INT64_MAX, INT64_MIN, 300000000000LL};
    for (size_t i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++) {
        fresh(err);
        expect_err("qr_verify_text(at out of range)",
                   docseal_qr_verify_text(v, (const uint8_t *)"VN1:", 4, bad_times[i], &r_out, err,
                                          ERR_CAP),
                   DOCSEAL_STATUS_INVALID_ARGUMENT, err);
        fresh(err);
        expect_err("qr_verify_image(at out of range)",
                   docseal_qr_verify_image(v, BLANK_PNG, sizeof BLANK_PNG, bad_times[i], &r_out,
                                           err, ERR_CAP),
                   DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    }
    fresh(err);
    expect_err("qr_verify_image(garbage bytes)",
               docseal_qr_verify_image(v, garbage, sizeof garbage, AT, &r_out, err, ERR_CAP),
               DOCSEAL_STATUS_BAD_IMAGE, err);
    fresh(err);
    expect_err("qr_verify_image(NULL, 0): empty input",
               docseal_qr_verify_image(v, NULL, 0, AT, &r_out, err, ERR_CAP),
               DOCSEAL_STATUS_BAD_IMAGE, err);
    fresh(err);
    expect_err("qr_verify_image(a PNG cut in half)",
               docseal_qr_verify_image(v, BLANK_PNG, sizeof BLANK_PNG / 2, AT, &r_out, err,
                                       ERR_CAP),
               DOCSEAL_STATUS_BAD_IMAGE, err);
    fresh(err);
    expect_err("qr_verify_image(blank 32 x 32 PNG)",
               docseal_qr_verify_image(v, BLANK_PNG, sizeof BLANK_PNG, AT, &r_out, err, ERR_CAP),
               DOCSEAL_STATUS_NO_QR_CODE, err);
    check(r_out == SENTINEL, "qr_verify_* input errors left *report_out untouched");

    /* A text that is not a payload is a report (INVALID at the prefix), not an error. */
    fresh(err);
    docseal_qr_report *empty = NULL;
    expect_ok("qr_verify_text(NULL, 0): the empty text",
              docseal_qr_verify_text(v, NULL, 0, AT, &empty, err, ERR_CAP), err);
    expect_report(empty, "the empty text", DOCSEAL_VERDICT_INVALID, 1);
    expect_json_has(json_of(empty, "the empty text"), "\"prefix_ok\": false", "the empty text");
    docseal_qr_report_free(empty);

    docseal_verdict verdict = (docseal_verdict)0x5A;
    fresh(err);
    expect_err("qr_report_symbol_verdict(index 1) of a 1-symbol report",
               docseal_qr_report_symbol_verdict(r, 1, &verdict, err, ERR_CAP),
               DOCSEAL_STATUS_INDEX_OUT_OF_RANGE, err);
    fresh(err);
    expect_err("qr_report_symbol_verdict(index SIZE_MAX)",
               docseal_qr_report_symbol_verdict(r, SIZE_MAX, &verdict, err, ERR_CAP),
               DOCSEAL_STATUS_INDEX_OUT_OF_RANGE, err);
    check(verdict == (docseal_verdict)0x5A, "symbol_verdict(out of range) left *verdict_out "
                                            "untouched");

    /* Keys and certificates. */
    docseal_qr_issuer *i_out = SENTINEL;
    fresh(err);
    expect_err("qr_issuer_from_pkcs8(garbage key)",
               docseal_qr_issuer_from_pkcs8(garbage, sizeof garbage, cert, cert_len, &i_out, err,
                                            ERR_CAP),
               DOCSEAL_STATUS_BAD_KEY, err);
    fresh(err);
    expect_err("qr_issuer_from_pkcs8(empty key)",
               docseal_qr_issuer_from_pkcs8(NULL, 0, cert, cert_len, &i_out, err, ERR_CAP),
               DOCSEAL_STATUS_BAD_KEY, err);
    static const char sec1[] = "-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n";
    fresh(err);
    expect_err("qr_issuer_from_pkcs8(PEM without a PRIVATE KEY block)",
               docseal_qr_issuer_from_pkcs8((const uint8_t *)sec1, strlen(sec1), cert, cert_len,
                                            &i_out, err, ERR_CAP),
               DOCSEAL_STATUS_BAD_KEY, err);
    size_t other_len;
    uint8_t *other = read_fixture("qr/keys/TEST-ONLY_vn1_es256_b.key.pem", &other_len);
    fresh(err);
    expect_err("qr_issuer_from_pkcs8(vn1_es256_b key, vn1_es256 certificate): not its key",
               docseal_qr_issuer_from_pkcs8(other, other_len, cert, cert_len, &i_out, err,
                                            ERR_CAP),
               DOCSEAL_STATUS_BAD_KEY, err);
    free(other);
    uint8_t *ed = read_fixture("qr/keys/TEST-ONLY_vn1_eddsa.key.pem", &other_len);
    fresh(err);
    expect_err("qr_issuer_from_pkcs8(Ed25519 key, P-256 certificate): not its key",
               docseal_qr_issuer_from_pkcs8(ed, other_len, cert, cert_len, &i_out, err, ERR_CAP),
               DOCSEAL_STATUS_BAD_KEY, err);
    free(ed);
    fresh(err);
    expect_err("qr_issuer_from_pkcs8(garbage certificate)",
               docseal_qr_issuer_from_pkcs8(key, key_len, garbage, sizeof garbage, &i_out, err,
                                            ERR_CAP),
               DOCSEAL_STATUS_BAD_CERTIFICATE, err);
    check(i_out == SENTINEL, "qr_issuer_from_pkcs8 errors left *issuer_out untouched");

    /* Claims. */
    static const struct {
        const char *json;
        const char *what;
    } bad_claims[] = {
        {"", "qr_issue(empty claims)"},
        {"{\"iss\": \"VN\"", "qr_issue(truncated JSON)"},
        {"[1, 2]", "qr_issue(claims not an object)"},
        {"{\"iss\": \"VN\"}", "qr_issue(claims without exp)"},
        {"{\"exp\": \"soon\"}", "qr_issue(exp not a number)"},
        {"{\"exp\": 1931536000, \"reslut\": {}}", "qr_issue(a misspelt key)"},
        {"{\"exp\": 1931536000, \"result\": {\"procedure_code\": \"1\", \"dossier_no\": \"2\","
         " \"decision_no\": \"3\", \"holder_name\": \"A\", \"holder_id_sha256\": \"xyz\","
         " \"issuer_name\": \"B\", \"issue_date\": \"2030-03-16\", \"valid_until\": null,"
         " \"document_sha256\": \"00\", \"url\": null}}",
         "qr_issue(a digest that is not 64 hex digits)"},
    };
    docseal_buffer *b_out = SENTINEL;
    for (size_t i = 0; i < sizeof bad_claims / sizeof bad_claims[0]; i++) {
        fresh(err);
        expect_err(bad_claims[i].what,
                   docseal_qr_issue(issuer, (const uint8_t *)bad_claims[i].json,
                                    strlen(bad_claims[i].json), &b_out, err, ERR_CAP),
                   DOCSEAL_STATUS_BAD_CLAIMS, err);
    }
    static const uint8_t bad_json_utf8[] = "{\"iss\": \"\xff\", \"exp\": 1}";
    fresh(err);
    expect_err("qr_issue(claims not UTF-8)",
               docseal_qr_issue(issuer, bad_json_utf8, sizeof bad_json_utf8 - 1, &b_out, err,
                                ERR_CAP),
               DOCSEAL_STATUS_INVALID_UTF8, err);

    /* Printing. */
    fresh(err);
    expect_err("qr_print(dots 0)",
               docseal_qr_print((const uint8_t *)"VN1:", 4, 0, DOCSEAL_QR_FORMAT_PNG, &b_out, err,
                                ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    fresh(err);
    expect_err("qr_print(dots 33)",
               docseal_qr_print((const uint8_t *)"VN1:", 4, 33, DOCSEAL_QR_FORMAT_SVG, &b_out, err,
                                ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    fresh(err);
    expect_err("qr_print(dots UINT32_MAX)",
               docseal_qr_print((const uint8_t *)"VN1:", 4, UINT32_MAX, DOCSEAL_QR_FORMAT_PNG,
                                &b_out, err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    fresh(err);
    expect_err("qr_print(format 2)",
               docseal_qr_print((const uint8_t *)"VN1:", 4, 4, 2, &b_out, err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_ARGUMENT, err);
    fresh(err);
    expect_err("qr_print(invalid UTF-8)",
               docseal_qr_print(bad_utf8, sizeof bad_utf8 - 1, 4, DOCSEAL_QR_FORMAT_PNG, &b_out,
                                err, ERR_CAP),
               DOCSEAL_STATUS_INVALID_UTF8, err);
    static char long_text[8001];
    memset(long_text, 'A', sizeof long_text - 1);
    fresh(err);
    expect_err("qr_print(8000 characters): does not fit a QR code",
               docseal_qr_print((const uint8_t *)long_text, sizeof long_text - 1, 4,
                                DOCSEAL_QR_FORMAT_PNG, &b_out, err, ERR_CAP),
               DOCSEAL_STATUS_LIMIT, err);
    check(b_out == SENTINEL, "qr_issue/qr_print errors left the buffer out-parameter untouched");
}

/* The message buffer of a QR call: a claims error naming a Vietnamese value. */
static const docseal_qr_issuer *cut_issuer;

static docseal_status issue_vietnamese_exp(char *err_buf, size_t err_len) {
    static const char claims[] = u8"{\"exp\": \"ngày mai, Hà Nội, Việt Nam\"}";
    docseal_buffer *out = NULL;
    docseal_status st = docseal_qr_issue(cut_issuer, (const uint8_t *)claims, strlen(claims),
                                         &out, err_buf, err_len);
    docseal_buffer_free(out); /* NULL unless it unexpectedly succeeded */
    return st;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s TESTDATA_DIR\n", argv[0]);
        return 2;
    }
    testdata = argv[1];
    char err[ERR_CAP];

    test_free_null();
    test_text_fixtures();
    test_image_fixtures();
    test_builder_variants();

    size_t key_len, cert_len;
    uint8_t *key = read_fixture("qr/keys/TEST-ONLY_vn1_es256.key.pem", &key_len);
    uint8_t *cert = read_fixture("qr/certs/TEST-ONLY_vn1_es256.der", &cert_len);
    docseal_qr_issuer *issuer = NULL;
    fresh(err);
    expect_ok("docseal_qr_issuer_from_pkcs8(vn1_es256 PEM key, DER certificate)",
              docseal_qr_issuer_from_pkcs8(key, key_len, cert, cert_len, &issuer, err, ERR_CAP),
              err);
    check(issuer != NULL, "docseal_qr_issuer_from_pkcs8 wrote an issuer");
    test_issue_round_trip(issuer);

    docseal_qr_verifier_builder *b = docseal_qr_verifier_builder_new();
    docseal_qr_verifier *v = qr_verifier(VN1_TRUST);
    docseal_qr_report *r = verify_text_fixture(v, "qr/vn1_es256.txt");
    docseal_buffer *buf = NULL;
    fresh(err);
    expect_ok("docseal_qr_print(VN1:, PNG) for the NULL tests",
              docseal_qr_print((const uint8_t *)"VN1:", 4, 4, DOCSEAL_QR_FORMAT_PNG, &buf, err,
                               ERR_CAP),
              err);
    test_null_arguments(b, v, r, issuer, buf, key, key_len, cert, cert_len);
    test_input_errors(b, v, r, issuer, key, key_len, cert, cert_len);
    cut_issuer = issuer;
    expect_message_cuts("qr_issue(exp is a Vietnamese string)", issue_vietnamese_exp,
                        DOCSEAL_STATUS_BAD_CLAIMS);

    /* The failed calls above changed nothing: the builder still builds an empty trust list. */
    docseal_qr_verifier *v2 = NULL;
    fresh(err);
    expect_ok("qr build again after every failed builder call",
              docseal_qr_verifier_builder_build(b, &v2, err, ERR_CAP), err);
    docseal_qr_report *r2 = verify_text_fixture(v2, "qr/vn1_es256.txt");
    expect_report(r2, "vn1_es256.txt, failed calls added nothing",
                  DOCSEAL_VERDICT_INDETERMINATE, 1);

    docseal_qr_report_free(r2);
    docseal_qr_verifier_free(v2);
    docseal_buffer_free(buf);
    docseal_qr_report_free(r);
    docseal_qr_verifier_free(v);
    docseal_qr_verifier_builder_free(b);
    docseal_qr_issuer_free(issuer);
    free(cert);
    free(key);
    pass("every handle and buffer freed");
    printf("all %d checks passed\n", checks);
    return 0;
}
