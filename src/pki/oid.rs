//! Object identifiers used by the CMS, X.509 and RFC 3161 code, as DER content octets.
//!
//! Generated from dotted notation (the comment on each constant); compared byte for byte.

/// SHA-1 (legacy only): `1.3.14.3.2.26`.
pub(crate) const SHA1: &[u8] = &[0x2B, 0x0E, 0x03, 0x02, 0x1A];
/// SHA-224: `2.16.840.1.101.3.4.2.4`.
pub(crate) const SHA224: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04];
/// SHA-256: `2.16.840.1.101.3.4.2.1`.
pub(crate) const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
/// SHA-384: `2.16.840.1.101.3.4.2.2`.
pub(crate) const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
/// SHA-512: `2.16.840.1.101.3.4.2.3`.
pub(crate) const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
/// SHA3-256: `2.16.840.1.101.3.4.2.8`.
pub(crate) const SHA3_256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x08];
/// SHA3-384: `2.16.840.1.101.3.4.2.9`.
pub(crate) const SHA3_384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x09];
/// SHA3-512: `2.16.840.1.101.3.4.2.10`.
pub(crate) const SHA3_512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x0A];
/// rsaEncryption (PKCS #1): `1.2.840.113549.1.1.1`.
pub(crate) const RSA_ENCRYPTION: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
/// sha1WithRSAEncryption: `1.2.840.113549.1.1.5`.
pub(crate) const SHA1_WITH_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05];
/// sha256WithRSAEncryption: `1.2.840.113549.1.1.11`.
pub(crate) const SHA256_WITH_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B];
/// sha384WithRSAEncryption: `1.2.840.113549.1.1.12`.
pub(crate) const SHA384_WITH_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0C];
/// sha512WithRSAEncryption: `1.2.840.113549.1.1.13`.
pub(crate) const SHA512_WITH_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0D];
/// id-RSASSA-PSS: `1.2.840.113549.1.1.10`.
pub(crate) const RSASSA_PSS: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A];
/// id-mgf1: `1.2.840.113549.1.1.8`.
pub(crate) const MGF1: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x08];
/// id-ecPublicKey: `1.2.840.10045.2.1`.
pub(crate) const EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
/// ecdsa-with-SHA1: `1.2.840.10045.4.1`.
pub(crate) const ECDSA_WITH_SHA1: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01];
/// ecdsa-with-SHA256: `1.2.840.10045.4.3.2`.
pub(crate) const ECDSA_WITH_SHA256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];
/// ecdsa-with-SHA384: `1.2.840.10045.4.3.3`.
pub(crate) const ECDSA_WITH_SHA384: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03];
/// ecdsa-with-SHA512: `1.2.840.10045.4.3.4`.
pub(crate) const ECDSA_WITH_SHA512: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04];
/// secp256r1 (P-256): `1.2.840.10045.3.1.7`.
pub(crate) const P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
/// secp384r1 (P-384): `1.3.132.0.34`.
pub(crate) const P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];
/// Ed25519: `1.3.101.112`.
pub(crate) const ED25519: &[u8] = &[0x2B, 0x65, 0x70];
/// id-data: `1.2.840.113549.1.7.1`.
pub(crate) const DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01];
/// id-signedData: `1.2.840.113549.1.7.2`.
pub(crate) const SIGNED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];
/// id-ct-TSTInfo: `1.2.840.113549.1.9.16.1.4`.
pub(crate) const TST_INFO: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x04,
];
/// id-contentType: `1.2.840.113549.1.9.3`.
pub(crate) const CONTENT_TYPE: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x03];
/// id-messageDigest: `1.2.840.113549.1.9.4`.
pub(crate) const MESSAGE_DIGEST: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x04];
/// id-signingTime: `1.2.840.113549.1.9.5`.
pub(crate) const SIGNING_TIME: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x05];
/// id-aa-signingCertificate: `1.2.840.113549.1.9.16.2.12`.
pub(crate) const SIGNING_CERTIFICATE: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x02, 0x0C,
];
/// id-aa-signingCertificateV2: `1.2.840.113549.1.9.16.2.47`.
pub(crate) const SIGNING_CERTIFICATE_V2: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x02, 0x2F,
];
/// id-kp-timeStamping: `1.3.6.1.5.5.7.3.8`.
pub(crate) const EKU_TIME_STAMPING: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08];
/// subjectKeyIdentifier: `2.5.29.14`.
pub(crate) const EXT_SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1D, 0x0E];
/// keyUsage: `2.5.29.15`.
pub(crate) const EXT_KEY_USAGE: &[u8] = &[0x55, 0x1D, 0x0F];
/// subjectAltName: `2.5.29.17`.
pub(crate) const EXT_SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1D, 0x11];
/// basicConstraints: `2.5.29.19`.
pub(crate) const EXT_BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x13];
/// certificatePolicies: `2.5.29.32`.
pub(crate) const EXT_CERT_POLICIES: &[u8] = &[0x55, 0x1D, 0x20];
/// anyPolicy (RFC 5280 §4.2.1.4): `2.5.29.32.0`.
pub(crate) const ANY_POLICY: &[u8] = &[0x55, 0x1D, 0x20, 0x00];
/// policyMappings: `2.5.29.33`.
pub(crate) const EXT_POLICY_MAPPINGS: &[u8] = &[0x55, 0x1D, 0x21];
/// authorityKeyIdentifier: `2.5.29.35`.
pub(crate) const EXT_AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1D, 0x23];
/// policyConstraints: `2.5.29.36`.
pub(crate) const EXT_POLICY_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x24];
/// extKeyUsage: `2.5.29.37`.
pub(crate) const EXT_EXTENDED_KEY_USAGE: &[u8] = &[0x55, 0x1D, 0x25];
/// inhibitAnyPolicy: `2.5.29.54`.
pub(crate) const EXT_INHIBIT_ANY_POLICY: &[u8] = &[0x55, 0x1D, 0x36];
/// CN: `2.5.4.3`.
pub(crate) const AT_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
/// serialNumber: `2.5.4.5`.
pub(crate) const AT_SERIAL_NUMBER: &[u8] = &[0x55, 0x04, 0x05];
/// C: `2.5.4.6`.
pub(crate) const AT_COUNTRY: &[u8] = &[0x55, 0x04, 0x06];
/// L: `2.5.4.7`.
pub(crate) const AT_LOCALITY: &[u8] = &[0x55, 0x04, 0x07];
/// ST: `2.5.4.8`.
pub(crate) const AT_STATE: &[u8] = &[0x55, 0x04, 0x08];
/// O: `2.5.4.10`.
pub(crate) const AT_ORGANIZATION: &[u8] = &[0x55, 0x04, 0x0A];
/// OU: `2.5.4.11`.
pub(crate) const AT_ORGANIZATIONAL_UNIT: &[u8] = &[0x55, 0x04, 0x0B];
/// title: `2.5.4.12`.
pub(crate) const AT_TITLE: &[u8] = &[0x55, 0x04, 0x0C];
/// UID: `0.9.2342.19200300.100.1.1`.
pub(crate) const AT_UID: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x01];
/// emailAddress: `1.2.840.113549.1.9.1`.
pub(crate) const AT_EMAIL: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01];
/// id-aa-signatureTimeStampToken (RFC 3161 Appendix A): a timestamp over the signature value.
pub(crate) const SIGNATURE_TIME_STAMP_TOKEN: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x02, 0x0E,
];
/// adbe-revocationInfoArchival (ISO 32000-2 §12.8.3.3.2): CRLs and OCSP responses, signed.
pub(crate) const ADBE_REVOCATION_INFO: &[u8] =
    &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x2F, 0x01, 0x01, 0x08];
/// id-ri-ocsp-response (RFC 5940 §2.1): an OCSP response as CMS other revocation info.
pub(crate) const RI_OCSP_RESPONSE: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x10, 0x02];
/// id-pkix-ocsp-basic (RFC 6960 §4.2.1).
pub(crate) const OCSP_BASIC: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01];

/// Dotted notation of DER-encoded OID content, for messages (`"?"`-terminated when malformed).
pub(crate) fn dotted(bytes: &[u8]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut value: u64 = 0;
    for (i, b) in bytes.iter().enumerate() {
        if value > (u64::MAX >> 7) {
            parts.push("?".to_owned());
            break;
        }
        value = (value << 7) | u64::from(b & 0x7F);
        if b & 0x80 == 0 {
            if parts.is_empty() && i < bytes.len() {
                let (first, second) = match value {
                    0..=39 => (0, value),
                    40..=79 => (1, value - 40),
                    _ => (2, value - 80),
                };
                parts.push(first.to_string());
                parts.push(second.to_string());
            } else {
                parts.push(value.to_string());
            }
            value = 0;
        }
    }
    if bytes.last().is_some_and(|b| b & 0x80 != 0) {
        parts.push("?".to_owned());
    }
    parts.join(".")
}

/// Short name of a known OID, else its dotted notation.
pub(crate) fn name(bytes: &[u8]) -> String {
    KNOWN
        .iter()
        .find(|(oid, _)| *oid == bytes)
        .map_or_else(|| dotted(bytes), |(_, name)| (*name).to_owned())
}

const KNOWN: &[(&[u8], &str)] = &[
    (SHA1, "SHA-1"),
    (SHA224, "SHA-224"),
    (SHA256, "SHA-256"),
    (SHA384, "SHA-384"),
    (SHA512, "SHA-512"),
    (SHA3_256, "SHA3-256"),
    (SHA3_384, "SHA3-384"),
    (SHA3_512, "SHA3-512"),
    (RSA_ENCRYPTION, "rsaEncryption"),
    (SHA1_WITH_RSA, "sha1WithRSAEncryption"),
    (SHA256_WITH_RSA, "sha256WithRSAEncryption"),
    (SHA384_WITH_RSA, "sha384WithRSAEncryption"),
    (SHA512_WITH_RSA, "sha512WithRSAEncryption"),
    (RSASSA_PSS, "id-RSASSA-PSS"),
    (MGF1, "id-mgf1"),
    (EC_PUBLIC_KEY, "id-ecPublicKey"),
    (ECDSA_WITH_SHA1, "ecdsa-with-SHA1"),
    (ECDSA_WITH_SHA256, "ecdsa-with-SHA256"),
    (ECDSA_WITH_SHA384, "ecdsa-with-SHA384"),
    (ECDSA_WITH_SHA512, "ecdsa-with-SHA512"),
    (P256, "secp256r1"),
    (P384, "secp384r1"),
    (ED25519, "Ed25519"),
    (DATA, "id-data"),
    (SIGNED_DATA, "id-signedData"),
    (TST_INFO, "id-ct-TSTInfo"),
    (CONTENT_TYPE, "id-contentType"),
    (MESSAGE_DIGEST, "id-messageDigest"),
    (SIGNING_TIME, "id-signingTime"),
    (SIGNING_CERTIFICATE, "id-aa-signingCertificate"),
    (SIGNING_CERTIFICATE_V2, "id-aa-signingCertificateV2"),
    (EKU_TIME_STAMPING, "id-kp-timeStamping"),
    (EXT_SUBJECT_KEY_ID, "subjectKeyIdentifier"),
    (EXT_KEY_USAGE, "keyUsage"),
    (EXT_SUBJECT_ALT_NAME, "subjectAltName"),
    (EXT_BASIC_CONSTRAINTS, "basicConstraints"),
    (EXT_CERT_POLICIES, "certificatePolicies"),
    (ANY_POLICY, "anyPolicy"),
    (EXT_POLICY_MAPPINGS, "policyMappings"),
    (EXT_AUTHORITY_KEY_ID, "authorityKeyIdentifier"),
    (EXT_POLICY_CONSTRAINTS, "policyConstraints"),
    (EXT_EXTENDED_KEY_USAGE, "extKeyUsage"),
    (EXT_INHIBIT_ANY_POLICY, "inhibitAnyPolicy"),
    (AT_COMMON_NAME, "CN"),
    (AT_SERIAL_NUMBER, "serialNumber"),
    (AT_COUNTRY, "C"),
    (AT_LOCALITY, "L"),
    (AT_STATE, "ST"),
    (AT_ORGANIZATION, "O"),
    (AT_ORGANIZATIONAL_UNIT, "OU"),
    (AT_TITLE, "title"),
    (AT_UID, "UID"),
    (AT_EMAIL, "emailAddress"),
    (SIGNATURE_TIME_STAMP_TOKEN, "signatureTimeStampToken"),
    (ADBE_REVOCATION_INFO, "adbe-revocationInfoArchival"),
    (OCSP_BASIC, "id-pkix-ocsp-basic"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_round_trip() {
        assert_eq!(dotted(SHA256), "2.16.840.1.101.3.4.2.1");
        assert_eq!(dotted(AT_UID), "0.9.2342.19200300.100.1.1");
        assert_eq!(dotted(SIGNING_CERTIFICATE_V2), "1.2.840.113549.1.9.16.2.47");
        assert_eq!(name(&[0x2A, 0x03]), "1.2.3");
        assert_eq!(name(P384), "secp384r1");
        assert_eq!(dotted(ANY_POLICY), "2.5.29.32.0");
        assert_eq!(dotted(EXT_POLICY_MAPPINGS), "2.5.29.33");
        assert_eq!(dotted(EXT_POLICY_CONSTRAINTS), "2.5.29.36");
        assert_eq!(dotted(EXT_INHIBIT_ANY_POLICY), "2.5.29.54");
    }
}
