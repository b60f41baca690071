//! Plain-text rendering of a report for an officer, in Vietnamese (default) or English.

use std::fmt::Write as _;

use super::{
    Coverage, Indication, ModificationLevel, Name, Report, SignatureKind, SignatureReport, Step,
    SubIndication, deciding,
};

/// Language of the text rendering.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt.
    #[default]
    Vi,
    /// English.
    En,
}

/// Labels, in the order of the `Lang` variants.
struct Labels {
    verdict: &'static str,
    valid: &'static str,
    invalid: &'static str,
    indeterminate: &'static str,
    reason: &'static str,
    all_passed: &'static str,
    entire_file: &'static str,
    entire_revision: &'static str,
    partial: &'static str,
    unclear: &'static str,
    revision: &'static str,
    signature: &'static str,
    timestamp: &'static str,
    issuing_ca: &'static str,
    signer: &'static str,
    organization: &'static str,
    signing_time: &'static str,
    integrity: &'static str,
    intact: &'static str,
    not_intact: &'static str,
    not_checked: &'static str,
    signature_value: &'static str,
    verifies: &'static str,
    does_not_verify: &'static str,
    validity_at_signing: &'static str,
    yes: &'static str,
    no: &'static str,
    unknown: &'static str,
    cert_period: &'static str,
    coverage: &'static str,
    algorithms: &'static str,
    warnings: &'static str,
    unsigned_fields: &'static str,
    no_signatures: &'static str,
    document: &'static str,
    revisions: &'static str,
    modification: &'static str,
    changes: &'static str,
}

const VI: Labels = Labels {
    verdict: "Kết luận",
    valid: "HỢP LỆ",
    invalid: "KHÔNG HỢP LỆ",
    indeterminate: "CHƯA XÁC ĐỊNH ĐƯỢC",
    reason: "Chi tiết",
    all_passed: "mọi chữ ký đều đã được kiểm tra đầy đủ, hợp lệ và được tin cậy",
    entire_file: "toàn bộ tệp",
    entire_revision: "một phiên bản trước, KHÔNG gồm phần thêm sau",
    partial: "một phần tệp",
    unclear: "không xác định",
    revision: "phiên bản",
    signature: "Chữ ký",
    timestamp: "Dấu thời gian tài liệu",
    issuing_ca: "Tổ chức cấp chứng thư số",
    signer: "Người ký",
    organization: "Cơ quan, tổ chức quản lý",
    signing_time: "Thời điểm ký",
    integrity: "Toàn vẹn dữ liệu",
    intact: "nội dung không bị thay đổi sau khi ký",
    not_intact: "nội dung KHÔNG khớp với dữ liệu đã ký",
    not_checked: "chưa kiểm tra được",
    signature_value: "Giá trị chữ ký",
    verifies: "đúng với khóa công khai của người ký",
    does_not_verify: "KHÔNG đúng với khóa công khai của người ký",
    validity_at_signing: "Chứng thư số còn hiệu lực tại thời điểm ký",
    yes: "có",
    no: "không",
    unknown: "không rõ",
    cert_period: "Thời hạn chứng thư số",
    coverage: "Phạm vi ký",
    algorithms: "Thuật toán",
    warnings: "Lưu ý",
    unsigned_fields: "Ô chữ ký chưa ký",
    no_signatures: "Tài liệu không có chữ ký số.",
    document: "Tài liệu",
    revisions: "phiên bản",
    modification: "Thay đổi sau khi ký",
    changes: "Các thay đổi trong những phiên bản sau",
};

const EN: Labels = Labels {
    verdict: "Verdict",
    valid: "VALID",
    invalid: "INVALID",
    indeterminate: "INDETERMINATE",
    reason: "Reason",
    all_passed: "every signature was fully checked, valid and trusted",
    entire_file: "the entire file",
    entire_revision: "an earlier revision, NOT what was added after it",
    partial: "part of the file",
    unclear: "unclear",
    revision: "revision",
    signature: "Signature",
    timestamp: "Document timestamp",
    issuing_ca: "Issuing CA",
    signer: "Signer",
    organization: "Managing organization",
    signing_time: "Signing time",
    integrity: "Integrity",
    intact: "unchanged since signing",
    not_intact: "does NOT match the signed data",
    not_checked: "not checked",
    signature_value: "Signature value",
    verifies: "verifies with the signer's public key",
    does_not_verify: "does NOT verify with the signer's public key",
    validity_at_signing: "Certificate valid at signing time",
    yes: "yes",
    no: "no",
    unknown: "unknown",
    cert_period: "Certificate validity period",
    coverage: "Coverage",
    algorithms: "Algorithms",
    warnings: "Warnings",
    unsigned_fields: "Unsigned signature fields",
    no_signatures: "The document carries no digital signature.",
    document: "Document",
    revisions: "revision(s)",
    modification: "Changed after signing",
    changes: "Changes made by later revisions",
};

/// Renders `report` for a person.
pub(super) fn render(report: &Report, lang: Lang) -> String {
    let l = match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}",
        l.verdict,
        verdict_label(
            l,
            report.indication,
            report.subindication,
            document_step(report),
            lang
        )
    );
    let reason = match report.indication {
        Indication::Passed => l.all_passed,
        _ => &report.reason,
    };
    let _ = writeln!(out, "{}: {reason}", l.reason);
    let _ = writeln!(
        out,
        "{}: {} byte, SHA-256 {}, {} {}",
        l.document,
        report.document.size,
        report.document.sha256,
        report.document.revisions,
        l.revisions
    );
    if report.signatures.is_empty() {
        let _ = writeln!(out, "{}", l.no_signatures);
    }
    for (i, sig) in report.signatures.iter().enumerate() {
        render_signature(&mut out, l, lang, (i + 1, report.document.revisions), sig);
    }
    if !report.changes.is_empty() {
        let _ = writeln!(out, "\n{}:", l.changes);
        for c in &report.changes {
            let _ = writeln!(out, "  - [{}] {}", level_name(c.level), c.detail);
        }
    }
    if !report.unsigned_fields.is_empty() {
        let names: Vec<String> = report.unsigned_fields.iter().map(Name::display).collect();
        let _ = writeln!(out, "\n{}: {}", l.unsigned_fields, names.join(", "));
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "\n{}:", l.warnings);
        for w in &report.warnings {
            let _ = writeln!(out, "  - {w}");
        }
    }
    out
}

fn render_signature(
    out: &mut String,
    l: &Labels,
    lang: Lang,
    (n, revisions): (usize, usize),
    sig: &SignatureReport,
) {
    let kind = match sig.kind {
        SignatureKind::Signature => l.signature,
        SignatureKind::DocTimestamp | SignatureKind::SignatureTimestamp => l.timestamp,
    };
    let opt = |name: Option<&Name>| name.map_or_else(|| l.unknown.to_owned(), Name::display);
    let _ = writeln!(out, "\n{kind} {n} ({}):", sig.field.display());
    let _ = writeln!(
        out,
        "  {}: {}",
        l.verdict,
        verdict_label(
            l,
            sig.indication,
            sig.subindication,
            deciding(&sig.checks).map(|c| c.step),
            lang
        )
    );
    if sig.subindication.is_some() {
        let _ = writeln!(out, "  {}: {}", l.reason, sig.reason);
    }
    let signer = sig.signer.as_ref();
    let field = |get: fn(&super::CertificateInfo) -> Option<&Name>| opt(signer.and_then(get));
    // `None`: not established (an unsupported or refused algorithm, an unparsable CMS),
    // which must never read as "does not match".
    let integrity = match sig.intact {
        Some(true) => l.intact,
        Some(false) => l.not_intact,
        None => l.not_checked,
    };
    let value = match sig.valid {
        Some(true) => l.verifies,
        Some(false) => l.does_not_verify,
        None => l.not_checked,
    };
    let at_signing = match sig.signer_valid_at_signing_time {
        Some(true) => l.yes,
        Some(false) => l.no,
        None => l.unknown,
    };
    for (label, value) in [
        (l.issuing_ca, field(|s| s.issuer_common_name.as_ref())),
        (l.signer, field(|s| s.common_name.as_ref())),
        (l.organization, field(|s| s.organization.as_ref())),
        (
            l.signing_time,
            sig.signing_time
                .map_or_else(|| l.unknown.to_owned(), |t| t.to_string()),
        ),
        (l.integrity, integrity.to_owned()),
        (l.signature_value, value.to_owned()),
        (l.validity_at_signing, at_signing.to_owned()),
    ] {
        let _ = writeln!(out, "  {label}: {value}");
    }
    if let Some(s) = signer {
        let _ = writeln!(
            out,
            "  {}: {} .. {}",
            l.cert_period, s.not_before, s.not_after
        );
    }
    let what = match sig.coverage {
        Coverage::EntireFile => l.entire_file,
        Coverage::EntireRevision => l.entire_revision,
        Coverage::ContiguousBlock => l.partial,
        Coverage::Unclear => l.unclear,
    };
    let coverage = match sig.covers_revision {
        Some(r) => format!("{what} ({} {r}/{revisions})", l.revision),
        None => what.to_owned(),
    };
    let _ = writeln!(out, "  {}: {coverage}", l.coverage);
    if let Some(level) = sig.modification {
        let _ = writeln!(out, "  {}: {}", l.modification, level_name(level));
    }
    let _ = writeln!(
        out,
        "  {}: {} / {}",
        l.algorithms,
        sig.digest_algorithm.as_deref().unwrap_or(l.unknown),
        sig.signature_algorithm.as_deref().unwrap_or(l.unknown)
    );
    if !sig.warnings.is_empty() {
        let _ = writeln!(out, "  {}:", l.warnings);
        for w in &sig.warnings {
            let _ = writeln!(out, "    - {w}");
        }
    }
}

/// The level as in the JSON (`FORM_FILLING`): short, and the same in both languages.
fn level_name(level: ModificationLevel) -> &'static str {
    match level {
        ModificationLevel::None => "NONE",
        ModificationLevel::LtaUpdates => "LTA_UPDATES",
        ModificationLevel::FormFilling => "FORM_FILLING",
        ModificationLevel::Annotations => "ANNOTATIONS",
        ModificationLevel::Other => "OTHER",
    }
}

/// The step of the check that decided the document's verdict: a document check, else that
/// of the first signature with the document's result (as `Report::derive` picks it).
fn document_step(report: &Report) -> Option<Step> {
    let own = deciding(&report.checks).filter(|c| {
        c.result
            .is_some_and(|s| s.indication() == report.indication)
    });
    own.or_else(|| {
        report
            .signatures
            .iter()
            .find(|s| s.indication == report.indication && s.subindication == report.subindication)
            .and_then(|s| deciding(&s.checks))
    })
    .map(|c| c.step)
}

/// The verdict word, with the subindication explained and named; `step` is the step of the
/// deciding check.
fn verdict_label(
    l: &Labels,
    indication: Indication,
    sub: Option<SubIndication>,
    step: Option<Step>,
    lang: Lang,
) -> String {
    let word = match indication {
        Indication::Passed => l.valid,
        Indication::Failed => l.invalid,
        Indication::Indeterminate => l.indeterminate,
    };
    match sub {
        Some(s) => format!("{word} ({}; {})", explain(s, step, lang), etsi_name(s)),
        None => word.to_owned(),
    }
}

/// The ETSI name of a subindication, as it appears in JSON.
fn etsi_name(s: SubIndication) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn explain(s: SubIndication, step: Option<Step>, lang: Lang) -> &'static str {
    use SubIndication::*;
    // A change after signing that the signer did not allow is FORMAT_FAILURE (the signature's
    // container broke the rules it set: EN 319 102-1 §5.2.2 format checking, as EU DSS maps
    // DocMDP and FieldMDP), but to a person it is a change, not a malformed signature.
    if s == FormatFailure && step == Some(Step::LaterRevisions) {
        return match lang {
            Lang::Vi => "tài liệu đã bị sửa đổi sau khi ký theo cách người ký không cho phép",
            Lang::En => "changed after signing in a way the signer did not allow",
        };
    }
    match (s, lang) {
        (FormatFailure, Lang::Vi) => "cấu trúc chữ ký sai",
        (FormatFailure, Lang::En) => "malformed signature",
        (HashFailure, Lang::Vi) => "nội dung đã bị thay đổi sau khi ký",
        (HashFailure, Lang::En) => "content changed after signing",
        (SigCryptoFailure, Lang::Vi) => "giá trị chữ ký không đúng",
        (SigCryptoFailure, Lang::En) => "signature value does not verify",
        (SigConstraintsFailure, Lang::Vi) => "có dữ liệu được thêm sau khi ký",
        (SigConstraintsFailure, Lang::En) => "data added after signing",
        (ChainConstraintsFailure, Lang::Vi) => "chứng thư số không được phép dùng để ký",
        (ChainConstraintsFailure, Lang::En) => "certificate not allowed for this use",
        (CryptoConstraintsFailure, Lang::Vi) => "thuật toán yếu hoặc không được hỗ trợ",
        (CryptoConstraintsFailure, Lang::En) => "weak or unsupported algorithm",
        (NotYetValid, Lang::Vi) => "chứng thư số chưa có hiệu lực",
        (NotYetValid, Lang::En) => "certificate not yet valid",
        (OutOfBoundsNoPoe, Lang::Vi) => "chứng thư số đã hết hạn",
        (OutOfBoundsNoPoe, Lang::En) => "certificate expired",
        (NoSigningCertificateFound, Lang::Vi) => "không tìm thấy chứng thư số của người ký",
        (NoSigningCertificateFound, Lang::En) => "signer's certificate not found",
        (NoCertificateChainFound, Lang::Vi) => "không có chuỗi chứng thực tới CA gốc tin cậy",
        (NoCertificateChainFound, Lang::En) => "no chain to a trusted root",
        (SignedDataNotFound, Lang::Vi) => "không có chữ ký",
        (SignedDataNotFound, Lang::En) => "no signature",
        (Revoked, Lang::Vi) => "chứng thư số đã bị thu hồi trước khi ký",
        (Revoked, Lang::En) => "certificate revoked before signing",
        (RevokedNoPoe, Lang::Vi) => {
            "chứng thư số đã bị thu hồi, không chứng minh được thời điểm ký"
        }
        (RevokedNoPoe, Lang::En) => "certificate revoked, signing time not proven",
        (TryLater, Lang::Vi) => "chưa kiểm tra được tình trạng thu hồi chứng thư số",
        (TryLater, Lang::En) => "revocation status could not be checked",
    }
}
