//! Entry points shared by `fuzz/` targets and `tests/it/fuzz_replay.rs`. Not a public API.

use x509_parser::{prelude::FromDer, x509::SubjectPublicKeyInfo};

use crate::{
    certs::CertificateSet,
    limits::Limits,
    pdf::PdfVerifier,
    pdf::indication::Indicated as _,
    pki::{
        der::{Reader, tag},
        sigalg::{PublicKey, Scheme},
    },
    report::{Indication, Step, SubIndication, Verdict},
    time::ValidationTime,
};

/// The test PKI's root (`testdata/pki/anchor.der`) and the CRLs of its CAs
/// (`testdata/pki/crl`): what lets the genuine seeds pass, so that an invariant about PASSED
/// can fail.
const ANCHOR: &[u8] = include_bytes!("../testdata/pki/anchor.der");
const CRLS: [&[u8]; 4] = [
    include_bytes!("../testdata/pki/crl/root-g1.crl"),
    include_bytes!("../testdata/pki/crl/issuing-g1.crl"),
    include_bytes!("../testdata/pki/crl/root-g2.crl"),
    include_bytes!("../testdata/pki/crl/issuing-g2.crl"),
];

/// Verifies arbitrary bytes as a PDF with small limits, once with the test PKI's anchor and
/// CRLs (under which the genuine seeds pass) and once without any anchor, and checks the
/// reports: they serialize, verdicts are derived from the checks, a PASSED signature is
/// intact, valid and trusted with a signer and a path ending at the anchor, nothing is PASSED
/// or trusted without an anchor, and trust changes neither how many signatures there are nor
/// whether each is intact and valid.
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
    let Ok(at) = ValidationTime::from_unix(1_900_000_000) else {
        panic!("constant time in range");
    };
    let mut trusting = PdfVerifier::builder()
        .limits(limits)
        .add_trust_anchors_der(&[ANCHOR.to_vec()]);
    for crl in CRLS {
        trusting = trusting.add_crl_der(crl.to_vec());
    }
    let (Ok(trusting), Ok(bare)) = (
        trusting.build(),
        PdfVerifier::builder().limits(limits).build(),
    ) else {
        panic!("the test anchor is a certificate");
    };
    let (trusted, untrusted) = match (trusting.verify(data, at), bare.verify(data, at)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(_), Err(_)) => return,
        (a, b) => panic!(
            "trust anchors changed whether the file can be evaluated: {:?} / {:?}",
            a.err(),
            b.err()
        ),
    };
    let anchor_sha256 =
        crate::pki::x509::hex(ring::digest::digest(&ring::digest::SHA256, ANCHOR).as_ref());
    for report in [&trusted, &untrusted] {
        assert!(report.to_json().is_ok(), "report must serialize");
        assert_eq!(Verdict::from(report.indication), report.verdict);
        for sig in &report.signatures {
            // `intact` is established only by the digest comparison: a report that has it
            // must show the check that compared.
            if sig.intact.is_some() {
                assert!(
                    sig.checks.iter().any(|c| c.step == Step::MessageDigest),
                    "intact without a message-digest check"
                );
            }
            if sig.indication == Indication::Passed {
                assert!(
                    sig.intact == Some(true) && sig.valid == Some(true) && sig.trusted,
                    "PASSED but not all three"
                );
                let Some(signer) = &sig.signer else {
                    panic!("PASSED without a signer certificate");
                };
                let root = sig.chain.last().unwrap_or(signer);
                assert_eq!(
                    root.sha256, anchor_sha256,
                    "PASSED without a path to the anchor"
                );
            }
        }
    }
    assert!(
        report_ok_without_anchor(&untrusted),
        "PASSED or trusted without an anchor"
    );
    assert_eq!(trusted.signatures.len(), untrusted.signatures.len());
    for (a, b) in trusted.signatures.iter().zip(&untrusted.signatures) {
        assert_eq!(
            (a.intact, a.valid),
            (b.intact, b.valid),
            "trust changed integrity"
        );
    }
}

/// Nothing in a report made without trust anchors may be PASSED or trusted.
fn report_ok_without_anchor(report: &crate::report::Report) -> bool {
    report.indication != Indication::Passed
        && report
            .signatures
            .iter()
            .all(|s| !s.trusted && s.indication != Indication::Passed)
}

/// Parses arbitrary bytes as the CMS SignedData of a PDF signature (RFC 5652 §5) with a small
/// depth limit, and checks what the parser hands to verification: every slice lies within the
/// input, the signed attributes are kept as sent, more depth never refuses what less depth
/// accepted, trailing zero padding changes nothing, the certificate limit holds; embedded OCSP
/// responses, CRLs and `adbe-revocationInfoArchival` values go through the revocation parsers.
///
/// # Panics
/// When an invariant is broken.
pub fn cms_parse(data: &[u8]) {
    use crate::pki::{cms, revocation};
    const DEPTH: usize = 16;
    const CERTS: usize = 8;
    let Ok(sd) = cms::parse(data, DEPTH, CERTS) else {
        return;
    };
    let input = data.as_ptr_range();
    let within = |s: &[u8], what: &str| {
        let r = s.as_ptr_range();
        assert!(
            input.start <= r.start && r.end <= input.end,
            "{what} lies outside the input"
        );
    };
    within(sd.econtent_type, "eContentType");
    match &sd.econtent {
        Some(std::borrow::Cow::Borrowed(c)) => within(c, "eContent"),
        Some(std::borrow::Cow::Owned(c)) => assert!(c.len() < data.len(), "eContent too long"),
        None => {}
    }
    assert!(sd.certificates.len() <= CERTS, "certificate limit");
    for der in sd.certificates.iter().chain(&sd.crls).chain(&sd.ocsps) {
        within(der, "certificate or revocation data");
        assert_eq!(der.first(), Some(&0x30), "a SEQUENCE");
    }
    for der in &sd.ocsps {
        let _ = revocation::unreadable(der, revocation::Kind::Ocsp);
    }
    let signer = &sd.signer;
    match signer.sid {
        cms::SignerId::IssuerSerial { issuer, serial } => {
            within(issuer, "issuer");
            within(serial, "serial");
        }
        cms::SignerId::KeyId(id) => within(id, "subjectKeyIdentifier"),
    }
    for (part, what) in [
        (signer.digest_oid, "digest algorithm"),
        (signer.signature_oid, "signature algorithm"),
        (signer.signature, "signature"),
    ]
    .into_iter()
    .chain(signer.signature_params.map(|p| (p, "parameters")))
    {
        within(part, what);
    }
    if let Some(attrs) = &signer.signed_attrs {
        within(attrs.raw(), "signed attributes");
        let signed = attrs.signed_bytes();
        assert_eq!(
            signed.len(),
            attrs.raw().len(),
            "signed attributes re-encoded"
        );
        assert_eq!(
            signed.first(),
            Some(&0x31),
            "signed attributes tagged as a SET"
        );
        assert_eq!(
            signed[1..],
            attrs.raw()[1..],
            "signed attributes re-encoded"
        );
        for (oid, values) in attrs.all() {
            within(oid, "attribute type");
            for v in values {
                within(v.raw, "attribute value");
                if *oid == crate::pki::oid::ADBE_REVOCATION_INFO {
                    for item in revocation::archival(v) {
                        within(item.der, "archived revocation data");
                        let _ = revocation::unreadable(item.der, item.kind);
                    }
                }
            }
        }
    }
    for (oid, value) in &signer.unsigned {
        within(oid, "unsigned attribute type");
        within(value.raw, "unsigned attribute value");
    }
    let deeper = cms::parse(data, DEPTH * 2, CERTS)
        .unwrap_or_else(|e| panic!("refused with more depth: {e}"));
    assert_eq!(deeper.certificates, sd.certificates);
    let mut padded = data.to_vec();
    padded.extend_from_slice(&[0; 8]);
    let padded = cms::parse(&padded, DEPTH, CERTS)
        .unwrap_or_else(|e| panic!("refused after zero padding: {e}"));
    assert_eq!(padded.certificates.len(), sd.certificates.len());
    assert_eq!(padded.signer.signature, signer.signature);
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
    use crate::pki::{chain, x509};
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
        assert!((0.0..=1.0).contains(&r.skew_confidence));
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
    let failed = |e: crate::pki::sigalg::AlgError| (e.sub_indication(), e.to_string());
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
