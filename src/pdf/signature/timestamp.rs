//! The signature timestamp of a signature (RFC 3161 token in the unsigned attributes) and
//! the proof of existence it gives (ETSI EN 319 102-1 §5.4).

use crate::{
    pki::oid,
    report::{Check, Indication, Name, SignatureReport, Step, SubIndication},
    time::{ValidationTime, rfc3339},
};

use super::{CmsChecks, timestamp_token};

impl CmsChecks<'_> {
    /// Verifies the signature timestamp tokens; the first that passes gives the proof of
    /// existence, and the path is then judged at its genTime (ETSI EN 319 102-1 §5.6.2.1,
    /// past signature validation, simplified: one timestamp, no timestamp chains).
    pub(super) fn timestamps(&mut self) {
        let tokens: Vec<&[u8]> = self
            .sd
            .signer
            .unsigned
            .iter()
            .filter(|(oid, _)| *oid == oid::SIGNATURE_TIME_STAMP_TOKEN)
            .map(|(_, value)| value.raw)
            .collect();
        if tokens.is_empty() {
            return;
        }
        let mut reports: Vec<SignatureReport> = tokens
            .iter()
            .take(8)
            .map(|token| timestamp_token(&self.ctx, token, self.sd.signer.signature))
            .collect();
        let best = reports
            .iter()
            .position(|r| r.indication == Indication::Passed)
            .unwrap_or(0);
        let token = reports.swap_remove(best);
        let gen_time = token.signing_time.map(ValidationTime::unix);
        let check = match (token.indication, gen_time) {
            (Indication::Passed, Some(t)) if t > self.ctx.at => {
                self.report.warnings.push(format!(
                    "the signature timestamp ({}) is later than the validation time: it proves nothing about that time",
                    rfc3339(t)
                ));
                Check::pass(
                    Step::SignatureTimestamp,
                    "the signature timestamp is later than the validation time and is not relied on",
                )
            }
            (Indication::Passed, Some(t)) => {
                self.poe = Some(t);
                self.at = t;
                Check::pass(
                    Step::SignatureTimestamp,
                    format!(
                        "a timestamp by {} proves the signature existed at {}",
                        token
                            .signer
                            .as_ref()
                            .and_then(|s| s.common_name.as_ref())
                            .map_or("a trusted TSA".to_owned(), Name::display),
                        rfc3339(t)
                    ),
                )
            }
            // The token's imprint is over another value, or its own signature fails: the
            // unsigned attribute was tampered with.
            (Indication::Failed, _) => Check::fail(
                Step::SignatureTimestamp,
                token.subindication.unwrap_or(SubIndication::FormatFailure),
                format!("the signature timestamp is not valid: {}", token.reason),
            ),
            _ => {
                self.report.warnings.push(format!(
                    "the signature timestamp could not be verified ({}); it proves nothing",
                    token.reason
                ));
                Check::pass(
                    Step::SignatureTimestamp,
                    "the signature timestamp is not relied on (see the warnings)",
                )
            }
        };
        self.report.timestamp = Some(Box::new(token));
        self.push(check);
    }
}
