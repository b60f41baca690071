//! Entry points shared by `fuzz/` targets and `tests/it/fuzz_replay.rs`. Not a public API.

use x509_parser::{prelude::FromDer, x509::SubjectPublicKeyInfo};

use crate::{
    certs::CertificateSet,
    der::{Reader, tag},
    limits::Limits,
    pdf::PdfVerifier,
    report::{Indication, Step, SubIndication, Verdict},
    sigalg::{PublicKey, Scheme},
    time::ValidationTime,
};

/// Verifies arbitrary bytes as a PDF with small limits and checks the report's invariants:
/// it serializes, its verdict is derived from its checks, and nothing unverified is PASSED.
///
/// # Panics
/// When an invariant is broken: that is the bug the fuzzer is looking for.
pub fn pdf_verify(data: &[u8]) {
    let limits = Limits {
        max_pdf_bytes: 4 * 1024 * 1024,
        max_revisions: 32,
        max_signatures: 16,
        max_cms_bytes: 256 * 1024,
        max_decompressed_bytes: 8 * 1024 * 1024,
        max_path_signature_checks: 16,
        ..Limits::default()
    };
    let Ok(verifier) = PdfVerifier::builder().limits(limits).build() else {
        panic!("a verifier with no anchors always builds");
    };
    let Ok(at) = ValidationTime::from_unix(1_900_000_000) else {
        panic!("constant time in range");
    };
    let Ok(report) = verifier.verify(data, at) else {
        return;
    };
    assert!(report.to_json().is_ok(), "report must serialize");
    // No trust anchor was given: nothing may come out PASSED.
    assert_ne!(report.indication, Indication::Passed);
    assert_eq!(Verdict::from(report.indication), report.verdict);
    for sig in &report.signatures {
        assert!(!sig.trusted, "trusted without anchors");
        assert_ne!(sig.indication, Indication::Passed);
        // `intact` is established only by the digest comparison: a report that has it
        // must show the check that compared.
        if sig.intact.is_some() {
            assert!(
                sig.checks.iter().any(|c| c.step == Step::MessageDigest),
                "intact without a message-digest check"
            );
        }
    }
}

/// Splits arbitrary bytes into revisions and checks their structure: every revision is a
/// prefix of the file ending after its `%%EOF`, revisions come in file order, and every
/// defect names a revision that exists (or the bytes after the last one).
///
/// # Panics
/// When an invariant is broken.
pub fn pdf_revisions(data: &[u8]) {
    use crate::pdf::revisions;
    let Some(revs) = revisions::scan(data, 64) else {
        return;
    };
    for (i, rev) in revs.iter().enumerate() {
        assert!(
            rev.eof_end <= rev.end && rev.end <= data.len(),
            "revision ends in the file"
        );
        assert_eq!(&data[rev.eof_end - 5..rev.eof_end], b"%%EOF");
        assert!(
            i == 0 || revs[i - 1].end <= rev.eof_end,
            "revisions in file order"
        );
        let bytes =
            revisions::bytes(data, &revs, i + 1).unwrap_or_else(|| panic!("revision {i} exists"));
        assert_eq!(bytes.len(), rev.end, "a revision is a prefix");
    }
    assert!(revisions::bytes(data, &revs, revs.len() + 1).is_none());
    for defect in revisions::defects(data, &revs) {
        assert!(
            (1..=revs.len() + 1).contains(&defect.revision),
            "defect in a revision that exists"
        );
        assert!(!defect.detail.is_empty());
    }
}

/// Verifies arbitrary bytes as QR payload text with an empty trust list: the report must
/// serialize and can never be valid (no signer is trusted).
///
/// # Panics
/// When an invariant is broken.
pub fn qr_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(at) = ValidationTime::from_unix(1_900_000_000) else {
        panic!("constant time in range");
    };
    let report = crate::qr::QrVerifier::default().verify_text(text, at);
    assert!(
        serde_json::to_string(&report).is_ok(),
        "report must serialize"
    );
    assert!(!report.valid(), "valid without a trusted signer");
    assert!(
        report.stages.iter().filter(|s| !s.ok).count() <= 1,
        "stages stop at the first failure"
    );
}

/// Builds a path from the DER certificate `leaf` to `anchors` at Unix time `at`, for tests of
/// path building on real certificates: `"ok: A → B → C"` (with `"; <issue>"` when a time or
/// algorithm issue remains), or `"error: <why>"`.
pub fn chain_report(
    leaf: &[u8],
    intermediates: &CertificateSet,
    anchors: &CertificateSet,
    at: i64,
) -> String {
    use crate::{pdf::chain, x509};
    let cert = match x509::parse(leaf) {
        Ok(c) => c,
        Err(e) => return format!("error: {e}"),
    };
    let candidates: Vec<chain::Candidate<'_>> = [(intermediates, false), (anchors, true)]
        .into_iter()
        .flat_map(|(set, anchor)| set.entries().iter().map(move |e| (e, anchor)))
        .filter_map(|(e, anchor)| {
            Some(chain::Candidate {
                cert: x509::parse(&e.der).ok()?,
                der: &e.der,
                anchor,
            })
        })
        .collect();
    match chain::build(&cert, leaf, &candidates, at, &Limits::default()) {
        Ok(path) => {
            let names: Vec<String> = std::iter::once(&cert)
                .chain(
                    path.links
                        .iter()
                        .filter(|&&i| candidates[i].der != leaf)
                        .map(|&i| &candidates[i].cert),
                )
                .map(|c| x509::short_name(c.subject()))
                .collect();
            let issue = chain::check_time(&cert, at)
                .err()
                .or(path.time_issue)
                .or(path.weak_issue)
                .map(|e| format!("; {e}"))
                .unwrap_or_default();
            format!("ok: {}{issue}", names.join(" → "))
        }
        Err(e) => format!("error: {e}"),
    }
}

/// Normalizes arbitrary bytes as a scanned page with small limits (2,048 pixels a side, 16 MiB,
/// 4 pages) and checks each report: it serializes, the skew is within the searched range, the
/// orientation is a quarter turn with a confidence in 0..1, and the image is the size the report
/// says. Every page of a multi-page TIFF goes through; the page count never passes the limit.
/// An input of odd length also runs binarization.
///
/// # Panics
/// When an invariant is broken.
pub fn scan_pipeline(data: &[u8]) {
    use crate::scan::{Cleanup, ScanOptions, normalize_loaded, pages};
    let options = ScanOptions {
        max_image_side: 2048,
        max_alloc_bytes: 16 * 1024 * 1024,
        max_pages: 4,
        cleanup: if data.len() % 2 == 1 {
            Cleanup::Binarize
        } else {
            Cleanup::None
        },
        ..ScanOptions::default()
    };
    let Ok(loaded) = pages(data, &options) else {
        return;
    };
    let mut count = 0u32;
    for loaded in loaded {
        count += 1;
        assert!(count <= options.max_pages + 1, "more pages than the limit");
        let Ok(page) = loaded.and_then(|l| normalize_loaded(&l, &options, &mut |_| {})) else {
            continue;
        };
        let r = &page.report;
        assert!(serde_json::to_string(r).is_ok(), "report must serialize");
        assert!(
            r.skew_deg.abs() <= f64::from(options.max_skew_deg) + 1e-9,
            "skew {} outside the searched range",
            r.skew_deg
        );
        assert!(matches!(r.orientation_deg, 0 | 90 | 180 | 270));
        assert!((0.0..=1.0).contains(&r.orientation_confidence));
        assert_eq!([page.image.width(), page.image.height()], r.output_size);
    }
}

/// Verifies one signature value the way a CMS SignerInfo's is checked (RFC 5652 §5.6), for
/// outside test vectors (`tests/it/wycheproof.rs`): `spki` is a DER SubjectPublicKeyInfo
/// (RFC 5280 §4.1.2.7) read as a certificate's key is, `signature_algorithm` a DER
/// AlgorithmIdentifier read as a SignerInfo's `signatureAlgorithm` is (with its parameters,
/// e.g. RSASSA-PSS-params, RFC 4055 §3.1), and both go through the same `Scheme::verify`.
///
/// # Errors
/// The subindication a report would carry and why: `CryptoConstraintsFailure` when the
/// algorithm, parameters or key are outside what docseal verifies, `FormatFailure` when
/// they are malformed, `SigCryptoFailure` when the signature does not verify.
pub fn verify_signature(
    spki: &[u8],
    signature_algorithm: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), (SubIndication, String)> {
    let format = |what: &str| (SubIndication::FormatFailure, what.to_owned());
    let mut outer = Reader::new(signature_algorithm, 0, 4);
    let alg = outer
        .expect(tag::SEQUENCE, "signatureAlgorithm")
        .map_err(|_| format("signature AlgorithmIdentifier"))?;
    if !outer.is_empty() {
        return Err(format("bytes after the signature AlgorithmIdentifier"));
    }
    let mut ar = alg.reader();
    let oid = ar
        .expect(tag::OID, "signature algorithm OID")
        .map_err(|_| format("signature algorithm OID"))?
        .content;
    let params = if ar.is_empty() {
        None
    } else {
        Some(
            ar.any()
                .map_err(|_| format("signature parameters"))?
                .content,
        )
    };
    let failed = |e: crate::sigalg::AlgError| (e.sub_indication(), e.to_string());
    let scheme = Scheme::from_oid(oid, params, None).map_err(failed)?;
    let spki = match SubjectPublicKeyInfo::from_der(spki) {
        Ok(([], spki)) => spki,
        _ => return Err(format("SubjectPublicKeyInfo")),
    };
    let key = PublicKey::from_spki(
        spki.algorithm.algorithm.as_bytes(),
        spki.algorithm.parameters.as_ref().map(|p| p.data),
        &spki.subject_public_key.data,
    )
    .map_err(failed)?;
    scheme.verify(&key, message, signature).map_err(failed)
}
