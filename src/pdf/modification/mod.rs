//! What changed after each signature, and whether its signer allowed it (ISO 32000-2
//! §12.8.2.2 DocMDP, §12.8.2.4 FieldMDP, §12.7.5.5 signature field `/Lock`; ETSI EN 319 142-1
//! §5.4: DSS and document timestamps are allowed whatever the DocMDP level).
//!
//! [`diff`] compares two consecutive revisions object by object. The objects a revision
//! reaches from its catalog fall in two sets. *Drawn* objects are those reachable without
//! passing through `/AcroForm`, `/DSS`, `/Metadata`, `/Extensions`, a page's `/Annots` or an
//! annotation: a viewer draws the pages from them, so any change among them is level OTHER,
//! named after where the object sits (content stream of page 2, resources of page 1, page
//! tree, catalog entry). The catalog and the page dictionaries themselves are compared key by
//! key, so that a new `/Annots` entry or a DSS is not mistaken for a content change.
//! Everything else must be explained by walking the form fields, the annotations of each
//! page, the DSS and the metadata (and the trailer's `/Info`); each change found there gets a
//! kind and a level. A changed object that none of those walks explains but the document
//! still reaches is OTHER.
//!
//! Breaking a reference must not make a change disappear. Every object the previous revision
//! reached from its catalog that the new one redefines, frees or no longer reaches must be
//! explained as well: by a reported change of that drawn object, by the key-by-key comparison
//! of the catalog or page dictionary it is, or by the walk of the part that held it (the old
//! appearance of a filled field, a DSS array that was replaced). Otherwise it is OTHER, named
//! by where it sat in the previous revision: "page 1 is no longer drawn" for a page object
//! redefined as anything but a page dictionary (which cannot be compared key by key), "the
//! content stream of page 1 is no longer drawn" for what it drew. Objects the previous
//! revision did not reach either (orphans, shadow content not yet switched on) are ignored
//! until a revision reaches them.
//!
//! [`assess`] then applies, per signature, the DocMDP level and the FieldMDP locks in force
//! at each later revision: disallowed changes make the signature FAILED; allowed changes
//! that can hide signed content make it INDETERMINATE, never plain PASSED. Those are a
//! visible annotation other than a sticky note, an opaque field appearance, a visible
//! signature field that holds no verified signature, and a new signature, valid or not,
//! whose visible widget has an opaque appearance over what its page already drew (the page's
//! text, paths, images and forms, located generously from the content stream, and its
//! visible annotations). A signature widget that is invisible (empty `/Rect`, hidden) or
//! lies on a blank part of the page hides nothing.
//!
//! This follows pyHanko's difference analysis in spirit (protected structures, whitelisted
//! updates); see `issues show 3` and the fixtures under `testdata/pdf/` for the attack
//! families it answers: incremental saving, shadow hide / replace / hide-and-replace, evil
//! annotation and sneaky signature.

mod diff;
mod paint;
#[cfg(test)]
mod tests;

use super::{parse::Lock, revisions::Defect};
use crate::report::{Change, ChangeKind, Check, ModificationLevel, Step, SubIndication};

pub(crate) use self::diff::diff;

/// What [`assess`] needs to know about one signature.
#[derive(Clone, Debug)]
pub(crate) struct Signed {
    /// Field name, as reported.
    pub(crate) field: String,
    /// Revision the signed bytes end with.
    pub(crate) revision: Option<usize>,
    /// DocMDP `P` when this is a certification signature.
    pub(crate) docmdp: Option<u8>,
    pub(crate) lock: Option<Lock>,
    /// Its own checks all passed (before any later-revision check).
    pub(crate) passed: bool,
}

/// Structure defects as changes.
pub(crate) fn defect_changes(defects: &[Defect]) -> Vec<Change> {
    defects
        .iter()
        .map(|d| {
            let display = d.kind.can_change_display();
            Change {
                revision: d.revision,
                kind: ChangeKind::Structure,
                level: if display {
                    ModificationLevel::Other
                } else {
                    ModificationLevel::None
                },
                may_hide: !display,
                page: None,
                field: None,
                object: None,
                detail: d.detail.clone(),
            }
        })
        .collect()
}

/// Applies the locks and the signatures' own results to the changes: a change to a locked
/// field becomes [`ChangeKind::LockedField`] (its level stays what the change is, the check
/// fails it); a visible signature whose own checks passed draws nothing unverified. An
/// opaque appearance over signed content is a change of its own, without a field, that
/// stays `may_hide` whoever signed it.
pub(crate) fn apply_signers(changes: &mut [Change], signed: &[Signed]) {
    for change in changes.iter_mut() {
        let Some(field) = change.field.clone() else {
            continue;
        };
        if change.kind == ChangeKind::Signature
            && signed.iter().any(|s| s.field == field && s.passed)
        {
            change.may_hide = false;
        }
        if !matches!(
            change.kind,
            ChangeKind::FormFill | ChangeKind::Signature | ChangeKind::EmptySignatureField
        ) {
            continue;
        }
        let locker = signed.iter().find(|s| {
            s.revision.is_some_and(|r| r < change.revision)
                && s.lock.as_ref().is_some_and(|l| l.fields.covers(&field))
        });
        if let Some(locker) = locker {
            change.kind = ChangeKind::LockedField;
            change.detail = format!(
                "{}, a field signature {} locked",
                change.detail, locker.field
            );
        }
    }
}

/// The modification level after `sig` and the check that judges it.
pub(crate) fn assess(
    sig: &Signed,
    changes: &[Change],
    signed: &[Signed],
) -> (Option<ModificationLevel>, Check) {
    let Some(covered) = sig.revision else {
        let check = Check::fail(
            Step::LaterRevisions,
            SubIndication::SigConstraintsFailure,
            "the signed bytes do not end with a revision, so later changes cannot be told apart",
        );
        return (None, check);
    };
    let mut level = ModificationLevel::None;
    let mut failed = Vec::new();
    let mut format = Vec::new();
    let mut hiding = Vec::new();
    for change in changes {
        let after = change.revision > covered;
        if change.kind == ChangeKind::Structure {
            match (change.may_hide, after) {
                (false, true) => format.push(change),
                _ => hiding.push(change),
            }
            level = level.max(change.level);
            continue;
        }
        if !after {
            continue;
        }
        level = level.max(change.level);
        let allowed = allowed_level(change.revision, signed);
        if change.level == ModificationLevel::Other
            || change.level > allowed
            || change.kind == ChangeKind::LockedField
        {
            failed.push(change);
        } else if change.may_hide {
            hiding.push(change);
        }
    }
    let list = |changes: &[&Change]| {
        let mut text: Vec<&str> = changes.iter().take(3).map(|c| c.detail.as_str()).collect();
        let more = changes.len().saturating_sub(3);
        let tail = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        text.dedup();
        format!("{}{tail}", text.join("; "))
    };
    let check = if !format.is_empty() {
        Check::fail(
            Step::LaterRevisions,
            SubIndication::FormatFailure,
            list(&format),
        )
    } else if !failed.is_empty() {
        // FAILED / FORMAT_FAILURE, as EU DSS reports DocMDP and FieldMDP violations: the bytes
        // this signature covers are intact (HASH_FAILURE would say they are not, and `intact`
        // would contradict it); what broke is a rule the signature set for the document after
        // it (EN 319 102-1 §5.2.2, format checking of the signature's container).
        let allowed = allowed_level(failed[0].revision, signed);
        Check::fail(
            Step::LaterRevisions,
            SubIndication::FormatFailure,
            format!(
                "{}: not allowed after this signature (allowed: up to {})",
                list(&failed),
                level_name(allowed)
            ),
        )
    } else if !hiding.is_empty() {
        Check::fail(
            Step::LaterRevisions,
            SubIndication::SigConstraintsFailure,
            format!(
                "{}: allowed, but it can hide or replace signed content",
                list(&hiding)
            ),
        )
    } else if level == ModificationLevel::None {
        Check::pass(
            Step::LaterRevisions,
            "nothing was changed after this signature",
        )
    } else {
        Check::pass(
            Step::LaterRevisions,
            format!(
                "later revisions only made allowed changes ({})",
                level_name(level)
            ),
        )
    };
    (Some(level), check)
}

/// The highest level allowed for changes in `revision`: the strictest DocMDP `P` set by a
/// signature applied before it (certification, or an approval `/Lock` with `/P`); without
/// one, approval signatures allow up to annotations.
fn allowed_level(revision: usize, signed: &[Signed]) -> ModificationLevel {
    let p = signed
        .iter()
        .filter(|s| s.revision.is_some_and(|r| r < revision))
        .filter_map(|s| {
            s.docmdp
                .into_iter()
                .chain(s.lock.as_ref().and_then(|l| l.p))
                .min()
        })
        .min();
    match p {
        Some(1) => ModificationLevel::LtaUpdates,
        Some(2) => ModificationLevel::FormFilling,
        _ => ModificationLevel::Annotations,
    }
}

fn level_name(level: ModificationLevel) -> &'static str {
    match level {
        ModificationLevel::None => "no change",
        ModificationLevel::LtaUpdates => "validation data and timestamps",
        ModificationLevel::FormFilling => "form filling and signing",
        ModificationLevel::Annotations => "form filling, signing and annotations",
        ModificationLevel::Other => "any change",
    }
}
