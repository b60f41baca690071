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

use std::collections::{BTreeMap, HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId, xref::XrefEntry};

use super::{
    form::{Form, FormField},
    objects::{acroform, catalog, deref, dict, get},
    parse::Lock,
    revisions::{Defect, is_delimiter_or_blank, skip_literal_string},
};
use crate::{
    limits::Limits,
    report::{Change, ChangeKind, Check, ModificationLevel, Step, SubIndication},
};

/// Most objects one annotation's or field's subtree may have before it is counted as
/// changed without looking further (a real appearance has a few dozen).
const MAX_SUBTREE: usize = 4096;

/// Most changes listed for one revision; the rest are summed up in one line.
const MAX_CHANGES_PER_REVISION: usize = 64;

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

/// Every change from `old` (revision `revision - 1`) to `new` (revision `revision`, whose own
/// bytes start at `own_start`).
pub(crate) fn diff(
    old: &Document,
    new: &Document,
    revision: usize,
    own_start: usize,
    limits: &Limits,
) -> Vec<Change> {
    let mut d = Diff {
        old,
        new,
        revision,
        limits,
        changed: changed_objects(old, new),
        old_reach: reach(old),
        new_reach: reach(new),
        explained: HashSet::new(),
        accounted: HashSet::new(),
        out: Vec::new(),
    };
    d.planted(own_start);
    d.drawn_objects();
    d.catalog();
    let widgets = d.form();
    d.pages(&widgets);
    d.security_store_and_metadata();
    d.lost();
    d.unexplained();
    cap(d.out, revision)
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
        let allowed = allowed_level(failed[0].revision, signed);
        Check::fail(
            Step::LaterRevisions,
            SubIndication::HashFailure,
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

/// Where an object the catalog reaches sits, for naming its change. All but the last two are
/// drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Catalog,
    /// Under catalog entry number `n` of [`Reach::keys`].
    CatalogEntry(usize),
    PageTree,
    Page(usize),
    PageContent(usize),
    PageResources(usize),
    /// In the annotations of a page (not drawn as page content).
    Annotations(usize),
    /// Under a catalog entry that is walked rather than drawn (`/AcroForm`, `/DSS`,
    /// `/Metadata`, `/Extensions`), number `n` of [`Reach::keys`].
    Part(usize),
}

impl Role {
    /// Whether an object in this role is drawn as page content.
    fn is_drawn(self) -> bool {
        !matches!(self, Self::Annotations(_) | Self::Part(_))
    }
}

/// The objects one revision reaches from its catalog (back-links `/Parent` and `/P` not
/// followed), each with its role; drawn roles win over the others.
struct Reach {
    roles: HashMap<ObjectId, Role>,
    keys: Vec<String>,
    catalog: Option<ObjectId>,
    pages: HashMap<ObjectId, usize>,
}

impl Reach {
    /// The role of a drawn object.
    fn drawn(&self, id: &ObjectId) -> Option<Role> {
        self.roles.get(id).copied().filter(|r| r.is_drawn())
    }
}

struct Diff<'d> {
    old: &'d Document,
    new: &'d Document,
    revision: usize,
    limits: &'d Limits,
    /// Objects new in `new` or whose value differs from `old`, and objects freed.
    changed: Changed,
    old_reach: Reach,
    new_reach: Reach,
    /// Objects some walk accounted for: compared, or reported changed.
    explained: HashSet<ObjectId>,
    /// Objects of the previous revision that sat in a part some walk compared or reported
    /// (the old appearance of a filled field): no longer reaching them is explained.
    accounted: HashSet<ObjectId>,
    out: Vec<Change>,
}

#[derive(Default)]
struct Changed {
    modified: HashSet<ObjectId>,
    added: HashSet<ObjectId>,
    freed: HashSet<ObjectId>,
}

impl Changed {
    fn touches(&self, ids: &HashSet<ObjectId>) -> bool {
        ids.iter()
            .any(|id| self.modified.contains(id) || self.added.contains(id))
    }
}

impl<'d> Diff<'d> {
    fn push(&mut self, kind: ChangeKind, level: ModificationLevel, detail: String) -> &mut Change {
        self.out.push(Change {
            revision: self.revision,
            kind,
            level,
            may_hide: false,
            page: None,
            field: None,
            object: None,
            detail,
        });
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// Objects this revision changes or adds but reads from the bytes of an earlier revision:
    /// a definition planted in signed bytes (inside `/Contents` padding, or unreferenced)
    /// and switched on later. Writers append what they change.
    fn planted(&mut self, own_start: usize) {
        let mut planted: Vec<(ObjectId, u32)> = self
            .changed
            .modified
            .iter()
            .chain(&self.changed.added)
            .filter_map(|id| match self.new.reference_table.get(id.0) {
                Some(XrefEntry::Normal { offset, .. }) if (*offset as usize) < own_start => {
                    Some((*id, *offset))
                }
                _ => None,
            })
            .collect();
        planted.sort_unstable();
        for (id, offset) in planted {
            let detail = format!(
                "revision {} points object {} {} at offset {offset}, inside the bytes of an earlier revision",
                self.revision, id.0, id.1
            );
            self.push(ChangeKind::Structure, ModificationLevel::Other, detail)
                .object = Some(format!("{} {}", id.0, id.1));
        }
    }

    /// Changed drawn objects other than the catalog and page dictionaries (those are
    /// compared key by key, and explained only once they have been).
    fn drawn_objects(&mut self) {
        let (old, new) = (&self.old_reach, &self.new_reach);
        let mut ids: Vec<(ObjectId, bool)> = self
            .changed
            .modified
            .iter()
            .chain(&self.changed.added)
            .map(|id| (*id, false))
            .chain(self.changed.freed.iter().map(|id| (*id, true)))
            .collect();
        ids.sort_unstable();
        let mut found = Vec::new();
        for (id, freed) in ids {
            let (reach, role) = match (old.drawn(&id), new.drawn(&id)) {
                (Some(role), _) => (old, role),
                (None, Some(role)) => (new, role),
                (None, None) => continue,
            };
            let is_dict = |r: &Reach| r.catalog == Some(id) || r.pages.contains_key(&id);
            if !freed && (is_dict(old) || is_dict(new)) {
                continue; // compared key by key
            }
            let (kind, what, page) = describe(reach, role);
            found.push((id, freed, kind, what, page));
        }
        for (id, freed, kind, what, page) in found {
            self.explained.insert(id);
            let (kind, verb) = if freed {
                (ChangeKind::ObjectFreed, "freed")
            } else if self.changed.added.contains(&id) {
                (kind, "added")
            } else {
                (kind, "changed")
            };
            let detail = format!(
                "revision {} {verb} {what} (object {} {})",
                self.revision, id.0, id.1
            );
            let change = self.push(kind, ModificationLevel::Other, detail);
            change.page = page;
            change.object = Some(format!("{} {}", id.0, id.1));
        }
    }

    /// Catalog entries, compared one by one.
    fn catalog(&mut self) {
        self.explained.extend(
            self.old_reach
                .catalog
                .into_iter()
                .chain(self.new_reach.catalog),
        );
        let (Some(old), Some(new)) = (catalog(self.old), catalog(self.new)) else {
            self.push(
                ChangeKind::Catalog,
                ModificationLevel::Other,
                format!("revision {} has no readable catalog", self.revision),
            );
            return;
        };
        for key in changed_keys(old, new) {
            let (kind, level) = match key.as_slice() {
                // Walked below.
                b"AcroForm" | b"DSS" | b"Metadata" => continue,
                b"Extensions" | b"Version" => {
                    if let Ok(before) = old.get(&key) {
                        self.accounted.extend(subtree(self.old, before));
                    }
                    (ChangeKind::Metadata, ModificationLevel::LtaUpdates)
                }
                b"Pages" => (ChangeKind::PageTree, ModificationLevel::Other),
                _ => (ChangeKind::Catalog, ModificationLevel::Other),
            };
            let detail = format!(
                "revision {} changed the catalog entry /{}",
                self.revision,
                String::from_utf8_lossy(&key)
            );
            self.push(kind, level, detail);
        }
    }

    /// The form: every terminal field compared with itself (same object) in the previous
    /// revision. Returns the widget annotations it accounted for.
    fn form(&mut self) -> HashSet<ObjectId> {
        let old = Form::walk(self.old, self.limits);
        let new = Form::walk(self.new, self.limits);
        let mut widgets = HashSet::new();
        // Form-level entries other than the field list (e.g. /XFA) change what is shown.
        if let (Some(o), Some(n)) = (acroform(self.old), acroform(self.new)) {
            for key in changed_keys(o, n) {
                if let Ok(before) = o.get(&key) {
                    // Reported below, or free to change: what it held before is accounted for.
                    self.accounted.extend(subtree(self.old, before));
                }
                if !matches!(
                    key.as_slice(),
                    b"Fields" | b"SigFlags" | b"DR" | b"DA" | b"NeedAppearances" | b"Q"
                ) {
                    let detail = format!(
                        "revision {} changed the form entry /{}",
                        self.revision,
                        String::from_utf8_lossy(&key)
                    );
                    self.push(ChangeKind::ObjectChanged, ModificationLevel::Other, detail);
                }
            }
        }
        self.explained.extend(acroform_ids(self.new));
        self.accounted.extend(acroform_ids(self.old));
        // A non-terminal node is only a container: its terminals are compared one by one.
        self.accounted.extend(old.nodes.iter().copied());
        for field in by_name(&new) {
            widgets.extend(field.widgets.iter().filter_map(|w| w.0));
            let tree = subtree(self.new, &field.object);
            let touched = self.changed.touches(&tree);
            self.explained.extend(tree.iter().copied());
            let before = old.get(&field.key);
            if let Some(before) = before {
                self.accounted.extend(subtree(self.old, &before.object));
            }
            if before.is_some() && !touched {
                continue;
            }
            self.field_change(&field.name, field, before);
        }
        let changed_nodes: Vec<ObjectId> = new
            .nodes
            .iter()
            .filter(|id| self.changed.modified.contains(id))
            .copied()
            .collect();
        for node in &changed_nodes {
            // Non-terminal nodes: only their /Kids may change (fields added under them).
            let (Some(o), Some(n)) = (dict(self.old, *node), dict(self.new, *node)) else {
                continue;
            };
            if changed_keys(o, n).iter().any(|k| k != b"Kids") {
                let detail = format!(
                    "revision {} changed a form field node (object {} {})",
                    self.revision, node.0, node.1
                );
                self.push(ChangeKind::ObjectChanged, ModificationLevel::Other, detail);
            }
            self.explained.insert(*node);
        }
        for field in by_name(&old).filter(|f| new.get(&f.key).is_none()) {
            self.accounted.extend(subtree(self.old, &field.object));
            let detail = format!(
                "revision {} removed the form field {}",
                self.revision, field.name
            );
            self.push(ChangeKind::ObjectChanged, ModificationLevel::Other, detail)
                .field = Some(field.name.clone());
        }
        widgets
    }

    /// One terminal field that is new or whose subtree changed.
    fn field_change(&mut self, name: &str, field: &FormField<'_>, before: Option<&FormField<'_>>) {
        let rev = self.revision;
        let shown = field.widgets.iter().any(|w| visible(self.new, w.1));
        let page = field
            .widgets
            .iter()
            .find_map(|w| w.0.and_then(|id| page_of(self.new, id)));
        let (kind, level, may_hide, detail) = if field.is_signature {
            let signed_before = before.is_some_and(|b| b.value.is_some());
            match (&field.value, signed_before) {
                (_, true) => (
                    ChangeKind::LockedField,
                    ModificationLevel::Other,
                    false,
                    format!("revision {rev} changed the signed signature field {name}"),
                ),
                (Some(v), false) if is_doc_timestamp(self.new, v) => (
                    ChangeKind::DocumentTimestamp,
                    ModificationLevel::LtaUpdates,
                    false,
                    format!("revision {rev} added the document timestamp {name}"),
                ),
                (Some(_), false) => (
                    ChangeKind::Signature,
                    ModificationLevel::FormFilling,
                    shown,
                    format!(
                        "revision {rev} added the signature {name}{}",
                        if shown {
                            " with a visible appearance"
                        } else {
                            ""
                        }
                    ),
                ),
                (None, false) => (
                    ChangeKind::EmptySignatureField,
                    ModificationLevel::FormFilling,
                    shown,
                    format!(
                        "revision {rev} {} the empty signature field {name}{}",
                        if before.is_some() { "changed" } else { "added" },
                        if shown {
                            ", which has a visible appearance"
                        } else {
                            ""
                        }
                    ),
                ),
            }
        } else if let Some(before) = before {
            match self.structural_field_change(field, before) {
                Some(key) => (
                    ChangeKind::ObjectChanged,
                    ModificationLevel::Other,
                    false,
                    format!("revision {rev} changed /{key} of the form field {name}"),
                ),
                None => {
                    let opaque = field.widgets.iter().any(|w| {
                        visible(self.new, w.1) && appearance_is_opaque(self.new, w.1, self.limits)
                    });
                    (
                        ChangeKind::FormFill,
                        ModificationLevel::FormFilling,
                        opaque,
                        format!(
                            "revision {rev} filled in the form field {name}{}",
                            if opaque {
                                " with an opaque appearance"
                            } else {
                                ""
                            }
                        ),
                    )
                }
            }
        } else {
            (
                ChangeKind::ObjectChanged,
                ModificationLevel::Other,
                false,
                format!("revision {rev} added the form field {name}"),
            )
        };
        let change = self.push(kind, level, detail);
        change.may_hide = may_hide;
        change.field = Some(name.to_owned());
        change.page = page;
        let newly_signed = field.value.is_some() && before.is_none_or(|b| b.value.is_none());
        if field.is_signature && newly_signed {
            self.covering(name, field, before);
        }
    }

    /// The visible widgets of the newly signed `field` whose appearance is opaque and covers
    /// what the previous revision drew on their page. Signing is allowed, but such an
    /// appearance can hide or replace signed content whoever signed it: its change has no
    /// `field`, so that [`apply_signers`] does not clear `may_hide` for a signature that passed
    /// (the signature's own change keeps the field, for the locks).
    fn covering(&mut self, name: &str, field: &FormField<'_>, before: Option<&FormField<'_>>) {
        let own: HashSet<ObjectId> = field
            .widgets
            .iter()
            .chain(before.into_iter().flat_map(|b| &b.widgets))
            .filter_map(|w| w.0)
            .collect();
        for (id, widget) in &field.widgets {
            let (Some(id), Some(r)) = (id, rect(self.new, widget)) else {
                continue;
            };
            if !visible(self.new, widget) || !appearance_is_opaque(self.new, widget, self.limits) {
                continue;
            }
            let Some(page) = page_of(self.new, *id) else {
                continue; // on no page: not drawn
            };
            if !self.drawn_under(page, r, &own) {
                continue;
            }
            let detail = format!(
                "revision {}: the signature {name} has an opaque appearance over signed content of page {page} at [{:.0} {:.0} {:.0} {:.0}]",
                self.revision, r[0], r[1], r[2], r[3]
            );
            let change = self.push(
                ChangeKind::Signature,
                ModificationLevel::FormFilling,
                detail,
            );
            change.may_hide = true;
            change.page = Some(page);
            change.object = Some(format!("{} {}", id.0, id.1));
        }
    }

    /// Whether `r` overlaps what the previous revision drew on page `page`: its content
    /// streams (see [`content_boxes`]) or a visible annotation other than `skip`. A page the
    /// previous revision did not have, or content that cannot be read, counts as drawn.
    fn drawn_under(&self, page: usize, r: [f32; 4], skip: &HashSet<ObjectId>) -> bool {
        let Some(page) = u32::try_from(page)
            .ok()
            .and_then(|n| self.old.get_pages().get(&n).copied())
            .and_then(|id| dict(self.old, id))
        else {
            return true;
        };
        let annotations = annots(self.old, page)
            .into_iter()
            .filter(|a| !matches!(a, Annot::Ref(id) if skip.contains(id)))
            .filter_map(|a| {
                let d = match &a {
                    Annot::Ref(id) => dict(self.old, *id)?,
                    Annot::Direct(d) => d,
                };
                rect(self.old, d).filter(|_| visible(self.old, d))
            });
        let Some(content) = content_boxes(self.old, page, self.limits) else {
            return true;
        };
        content
            .into_iter()
            .chain(annotations)
            .any(|b| overlap(b, r))
    }

    /// A key of the field or of one of its widgets, other than value and appearance, that
    /// changed (moving a widget or changing a field's flags is not filling it in).
    fn structural_field_change(
        &self,
        field: &FormField<'_>,
        before: &FormField<'_>,
    ) -> Option<String> {
        let free = |k: &[u8]| matches!(k, b"V" | b"AP" | b"AS" | b"Kids" | b"Parent" | b"P");
        let key = changed_keys(before.dict, field.dict)
            .into_iter()
            .find(|k| !free(k));
        if let Some(key) = key {
            return Some(String::from_utf8_lossy(&key).into_owned());
        }
        if field.widgets.len() != before.widgets.len() {
            return Some("Kids".to_owned());
        }
        field
            .widgets
            .iter()
            .zip(&before.widgets)
            .find_map(|(n, o)| {
                changed_keys(o.1, n.1)
                    .into_iter()
                    .find(|k| !free(k))
                    .map(|k| String::from_utf8_lossy(&k).into_owned())
            })
    }

    /// Page dictionaries key by key, then the annotations of each page.
    fn pages(&mut self, widgets: &HashSet<ObjectId>) {
        let old: Vec<ObjectId> = self.old.get_pages().into_values().collect();
        let new: Vec<ObjectId> = self.new.get_pages().into_values().collect();
        if old != new {
            let detail = format!(
                "revision {} changed the page tree ({} page(s) before, {} after{})",
                self.revision,
                old.len(),
                new.len(),
                if old.len() == new.len() {
                    ", pages replaced"
                } else {
                    ""
                }
            );
            self.push(ChangeKind::PageTree, ModificationLevel::Other, detail);
        }
        // A page still in the tree and still a page dictionary is accounted for: compared
        // below, or moved, which the page tree change reports. One that is not is `lost`.
        let kept: HashSet<&ObjectId> = new.iter().collect();
        for id in old.iter().filter(|id| kept.contains(id)) {
            if dict(self.old, *id).is_some() && dict(self.new, *id).is_some() {
                self.explained.insert(*id);
            }
        }
        for (i, (o, n)) in old
            .iter()
            .zip(&new)
            .enumerate()
            .filter(|(_, (o, n))| o == n)
        {
            let page = i + 1;
            let (Some(od), Some(nd)) = (dict(self.old, *o), dict(self.new, *n)) else {
                continue;
            };
            for key in changed_keys(od, nd).into_iter().filter(|k| k != b"Annots") {
                let (kind, what) = match key.as_slice() {
                    b"Contents" => (ChangeKind::PageContent, "the content stream".to_owned()),
                    b"Resources" => (ChangeKind::PageResources, "the resources".to_owned()),
                    other => (
                        ChangeKind::PageContent,
                        format!("/{}", String::from_utf8_lossy(other)),
                    ),
                };
                let detail = format!("revision {} changed {what} of page {page}", self.revision);
                self.push(kind, ModificationLevel::Other, detail).page = Some(page);
            }
            self.annotations(page, od, nd, widgets);
        }
    }

    fn annotations(
        &mut self,
        page: usize,
        old: &Dictionary,
        new: &Dictionary,
        widgets: &HashSet<ObjectId>,
    ) {
        if let Ok(Object::Reference(id)) = new.get(b"Annots") {
            self.explained.insert(*id);
        }
        if let Ok(Object::Reference(id)) = old.get(b"Annots") {
            self.accounted.insert(*id);
        }
        let old_list = annots(self.old, old);
        let new_list = annots(self.new, new);
        for removed in old_list.iter().filter(|a| !new_list.contains(a)) {
            self.accounted
                .extend(subtree(self.old, &annot_object(removed)));
            let detail = format!(
                "revision {} removed {} from page {page}",
                self.revision,
                annot_name(self.old, removed)
            );
            self.push(
                ChangeKind::AnnotationRemoved,
                ModificationLevel::Other,
                detail,
            )
            .page = Some(page);
        }
        for annot in &new_list {
            if matches!(annot, Annot::Ref(id) if widgets.contains(id)) {
                continue;
            }
            let obj = annot_object(annot);
            let tree = subtree(self.new, &obj);
            let added = !old_list.contains(annot);
            if !added && !self.changed.touches(&tree) {
                continue;
            }
            self.explained.extend(tree.iter().copied());
            if !added {
                self.accounted.extend(subtree(self.old, &obj));
            }
            let Some(d) = deref(self.new, &obj).and_then(|o| o.as_dict().ok()) else {
                continue;
            };
            let subtype = d
                .get(b"Subtype")
                .and_then(Object::as_name)
                .unwrap_or(b"(none)");
            // A sticky note's icon and a popup do not cover content; links draw nothing.
            let harmless = matches!(subtype, b"Text" | b"Popup" | b"Link");
            let may_hide = !harmless && visible(self.new, d);
            let detail = format!(
                "revision {} {} {} on page {page}{}",
                self.revision,
                if added { "added" } else { "changed" },
                annot_name(self.new, annot),
                if may_hide {
                    ", drawn over the signed page"
                } else {
                    ""
                }
            );
            let change = self.push(
                ChangeKind::Annotation,
                ModificationLevel::Annotations,
                detail,
            );
            change.page = Some(page);
            change.may_hide = may_hide;
            if let Annot::Ref(id) = annot {
                change.object = Some(format!("{} {}", id.0, id.1));
            }
        }
    }

    fn security_store_and_metadata(&mut self) {
        let entry = |doc: &'d Document, key: &[u8]| catalog(doc).and_then(|c| c.get(key).ok());
        let info = |doc: &'d Document| doc.trailer.get(b"Info").ok();
        self.part(
            entry(self.old, b"DSS"),
            entry(self.new, b"DSS"),
            ChangeKind::LtaUpdate,
            "the document security store (DSS)",
        );
        self.part(
            entry(self.old, b"Metadata"),
            entry(self.new, b"Metadata"),
            ChangeKind::Metadata,
            "the XMP metadata",
        );
        self.part(
            info(self.old),
            info(self.new),
            ChangeKind::Metadata,
            "the document information dictionary",
        );
    }

    /// One validation-data or metadata entry: changed when its value or subtree changed.
    fn part(
        &mut self,
        old: Option<&Object>,
        new: Option<&'d Object>,
        kind: ChangeKind,
        what: &str,
    ) {
        let tree = new.map(|o| subtree(self.new, o)).unwrap_or_default();
        let changed = old != new || self.changed.touches(&tree);
        self.explained.extend(tree);
        if let Some(old) = old {
            self.accounted.extend(subtree(self.old, old));
        }
        if changed {
            let detail = format!("revision {} updated {what}", self.revision);
            self.push(kind, ModificationLevel::LtaUpdates, detail);
        }
    }

    /// Objects the previous revision reached from its catalog that this one redefines, frees
    /// or no longer reaches, and that no walk explained: breaking a reference must not make a
    /// change disappear. One change per place they held in the previous revision.
    fn lost(&mut self) {
        let mut groups: BTreeMap<Role, Vec<(ObjectId, Fate)>> = BTreeMap::new();
        for (id, role) in &self.old_reach.roles {
            if self.explained.contains(id) || self.accounted.contains(id) {
                continue;
            }
            let fate = if self.changed.freed.contains(id) {
                Fate::Freed
            } else if self.changed.modified.contains(id) {
                Fate::Redefined
            } else if !self.new_reach.roles.contains_key(id) {
                Fate::Unreached
            } else {
                continue;
            };
            groups.entry(*role).or_default().push((*id, fate));
        }
        for (role, mut objects) in groups {
            objects.sort_unstable();
            self.explained.extend(objects.iter().map(|(id, _)| *id));
            let change = lost_change(&self.old_reach, self.revision, role, &objects);
            self.out.push(change);
        }
    }

    /// Changed objects no walk explained but the document still reaches.
    fn unexplained(&mut self) {
        let mut left: Vec<ObjectId> = self
            .changed
            .modified
            .iter()
            .chain(&self.changed.added)
            .filter(|id| !self.explained.contains(id))
            .copied()
            .collect();
        if left.is_empty() {
            return;
        }
        let reached = reachable(self.new);
        left.retain(|id| reached.contains(id));
        left.sort_unstable();
        for id in left {
            let verb = if self.changed.added.contains(&id) {
                "added"
            } else {
                "changed"
            };
            let detail = format!(
                "revision {} {verb} object {} {}, which the document uses",
                self.revision, id.0, id.1
            );
            self.push(ChangeKind::ObjectChanged, ModificationLevel::Other, detail)
                .object = Some(format!("{} {}", id.0, id.1));
        }
    }
}

/// What a revision did to an object the previous revision reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Fate {
    /// Defined again with another value.
    Redefined,
    Freed,
    /// Unchanged, but no longer reached from the catalog.
    Unreached,
}

impl Fate {
    /// "object 3 0 {verb}".
    fn verb(self) -> &'static str {
        match self {
            Self::Redefined => "redefined",
            Self::Freed => "freed",
            Self::Unreached => "no longer reached",
        }
    }
}

/// The change for `objects` (sorted, at least one), which all held `role` in the previous
/// revision: "revision 3: page 1 is no longer drawn (object 3 0 redefined)".
fn lost_change(reach: &Reach, revision: usize, role: Role, objects: &[(ObjectId, Fate)]) -> Change {
    let (mut kind, mut what, page) = describe(reach, role);
    let page_dict = objects.iter().any(|(id, _)| reach.pages.contains_key(id));
    let all = |f: Fate| objects.iter().all(|(_, fate)| *fate == f);
    let state = if page_dict {
        // The page object itself: whatever became of it, the signed page is not drawn.
        kind = ChangeKind::PageTree;
        what = format!("page {}", page.unwrap_or_default());
        "is no longer drawn"
    } else if all(Fate::Redefined) {
        "was replaced"
    } else if all(Fate::Freed) {
        kind = ChangeKind::ObjectFreed;
        "was freed"
    } else if role.is_drawn() {
        "is no longer drawn"
    } else {
        "is no longer reached"
    };
    let name = |id: &ObjectId| format!("{} {}", id.0, id.1);
    let more = match objects.len() {
        n if n > 3 => format!(" and {} more", n - 3),
        _ => String::new(),
    };
    let list = match objects {
        [(id, fate)] => format!("object {} {}", name(id), fate.verb()),
        [(_, fate), ..] if objects.iter().all(|(_, f)| f == fate) => {
            let ids: Vec<String> = objects.iter().take(3).map(|(id, _)| name(id)).collect();
            format!("objects {}{more} {}", ids.join(", "), fate.verb())
        }
        _ => {
            let each: Vec<String> = objects
                .iter()
                .take(3)
                .map(|(id, fate)| format!("object {} {}", name(id), fate.verb()))
                .collect();
            format!("{}{more}", each.join(", "))
        }
    };
    Change {
        revision,
        kind,
        level: ModificationLevel::Other,
        may_hide: false,
        page,
        field: None,
        object: match objects {
            [(id, _)] => Some(name(id)),
            _ => None,
        },
        detail: format!("revision {revision}: {what} {state} ({list})"),
    }
}

/// Keeps the first changes of a revision and sums up the rest in one line of the worst level.
fn cap(mut out: Vec<Change>, revision: usize) -> Vec<Change> {
    if out.len() > MAX_CHANGES_PER_REVISION {
        let rest = out.split_off(MAX_CHANGES_PER_REVISION - 1);
        let worst = rest
            .iter()
            .map(|c| c.level)
            .max()
            .unwrap_or(ModificationLevel::None);
        out.push(Change {
            revision,
            kind: ChangeKind::ObjectChanged,
            level: worst,
            may_hide: rest.iter().any(|c| c.may_hide),
            page: None,
            field: None,
            object: None,
            detail: format!("revision {revision} made {} more change(s)", rest.len()),
        });
    }
    out
}

fn describe(reach: &Reach, role: Role) -> (ChangeKind, String, Option<usize>) {
    match role {
        Role::Catalog => (ChangeKind::Catalog, "the catalog".to_owned(), None),
        Role::CatalogEntry(k) => (
            ChangeKind::Catalog,
            format!("an object under the catalog entry /{}", reach.keys[k]),
            None,
        ),
        Role::PageTree => (ChangeKind::PageTree, "a page tree node".to_owned(), None),
        Role::Page(p) => (
            ChangeKind::PageContent,
            format!("an object page {p} uses"),
            Some(p),
        ),
        Role::PageContent(p) => (
            ChangeKind::PageContent,
            format!("the content stream of page {p}"),
            Some(p),
        ),
        Role::PageResources(p) => (
            ChangeKind::PageResources,
            format!("a resource (font, image or form) of page {p}"),
            Some(p),
        ),
        Role::Annotations(p) => (
            ChangeKind::AnnotationRemoved,
            format!("an annotation of page {p}"),
            Some(p),
        ),
        Role::Part(k) => (
            ChangeKind::ObjectChanged,
            format!("an object under the catalog entry /{}", reach.keys[k]),
            None,
        ),
    }
}

/// Objects whose value differs between the two revisions, new ones and freed ones.
fn changed_objects(old: &Document, new: &Document) -> Changed {
    let mut changed = Changed::default();
    for (id, obj) in &new.objects {
        match old.objects.get(id) {
            None => {
                changed.added.insert(*id);
            }
            Some(_) if same_entry(old, new, *id) => {}
            Some(before) if same(before, obj) => {}
            Some(_) => {
                changed.modified.insert(*id);
            }
        }
    }
    changed.freed = old
        .objects
        .keys()
        .filter(|id| !new.objects.contains_key(id))
        .copied()
        .collect();
    changed
}

/// Both revisions read the object from the same offset: the same bytes.
fn same_entry(old: &Document, new: &Document, id: ObjectId) -> bool {
    match (old.reference_table.get(id.0), new.reference_table.get(id.0)) {
        (
            Some(XrefEntry::Normal {
                offset: a,
                generation: ga,
            }),
            Some(XrefEntry::Normal {
                offset: b,
                generation: gb,
            }),
        ) => a == b && ga == gb && *ga == id.1,
        _ => false,
    }
}

/// Value equality, streams compared by dictionary and data (not by file position).
fn same(a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::Stream(a), Object::Stream(b)) => a.dict == b.dict && a.content == b.content,
        _ => a == b,
    }
}

/// Keys whose values differ between two dictionaries (references compared by id).
fn changed_keys(old: &Dictionary, new: &Dictionary) -> Vec<Vec<u8>> {
    let mut keys: Vec<Vec<u8>> = new
        .iter()
        .filter(|(k, v)| old.get(k).ok() != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    keys.extend(
        old.iter()
            .filter(|(k, _)| !new.has(k))
            .map(|(k, _)| k.clone()),
    );
    keys
}

/// The objects `doc` reaches from its catalog and their roles: first the drawn ones (see the
/// module docs), then the annotations of each page and the walked catalog entries.
fn reach(doc: &Document) -> Reach {
    let pages: HashMap<ObjectId, usize> = doc
        .get_pages()
        .into_iter()
        .map(|(n, id)| (id, usize::try_from(n).unwrap_or(usize::MAX)))
        .collect();
    let mut r = Reach {
        roles: HashMap::new(),
        keys: Vec::new(),
        catalog: None,
        pages,
    };
    let Ok(root) = doc.trailer.get(b"Root") else {
        return r;
    };
    if let Object::Reference(id) = root {
        r.catalog = Some(*id);
        r.roles.insert(*id, Role::Catalog);
    }
    let cat = deref(doc, root).and_then(|c| c.as_dict().ok());
    let mut drawn: Vec<(&Object, Role)> = Vec::new();
    let mut parts = Vec::new();
    for (key, value) in cat.into_iter().flat_map(Dictionary::iter) {
        let walked = matches!(
            key.as_slice(),
            b"AcroForm" | b"DSS" | b"Metadata" | b"Extensions"
        );
        let role = if key.as_slice() == b"Pages" {
            Role::PageTree
        } else {
            r.keys.push(String::from_utf8_lossy(key).into_owned());
            let k = r.keys.len() - 1;
            if walked {
                parts.push((value, Role::Part(k)));
                continue;
            }
            Role::CatalogEntry(k)
        };
        drawn.push((value, role));
    }
    walk(doc, &mut r, drawn, true);
    let mut pages: Vec<(ObjectId, usize)> = r.pages.iter().map(|(id, n)| (*id, *n)).collect();
    pages.sort_unstable_by_key(|(_, n)| *n);
    let mut annotations: Vec<(&Object, Role)> = pages
        .into_iter()
        .filter_map(|(id, n)| Some((dict(doc, id)?.get(b"Annots").ok()?, Role::Annotations(n))))
        .collect();
    // The first role an object gets is its role: the annotations of a page (widgets
    // included) before the form; a stack pops its last item first.
    annotations.reverse();
    parts.reverse();
    walk(doc, &mut r, annotations, false);
    walk(doc, &mut r, parts, false);
    r
}

/// Gives every object reached from `stack` that has no role yet the role it was reached
/// with; `drawn` walks do not enter annotations.
fn walk<'d>(doc: &'d Document, r: &mut Reach, mut stack: Vec<(&'d Object, Role)>, drawn: bool) {
    while let Some((obj, role)) = stack.pop() {
        let (obj, role) = match obj {
            Object::Reference(id) => {
                let role = match r.pages.get(id) {
                    Some(p) if drawn => Role::Page(*p),
                    _ => role,
                };
                if r.roles.contains_key(id) {
                    continue;
                }
                let Ok(target) = doc.get_object(*id) else {
                    continue;
                };
                if drawn && is_annotation(target) {
                    continue;
                }
                r.roles.insert(*id, role);
                (target, role)
            }
            other => (other, role),
        };
        match obj {
            Object::Array(items) => stack.extend(items.iter().map(|i| (i, role))),
            Object::Dictionary(d) => push_entries(&mut stack, d, role),
            Object::Stream(s) => push_entries(&mut stack, &s.dict, role),
            _ => {}
        }
    }
}

fn push_entries<'a>(stack: &mut Vec<(&'a Object, Role)>, d: &'a Dictionary, role: Role) {
    for (key, value) in d.iter() {
        let child = match (role, key.as_slice()) {
            (_, b"Parent" | b"P") => continue,
            (Role::Page(_), b"Annots") => continue,
            (Role::Page(p), b"Contents") => Role::PageContent(p),
            (Role::Page(p), b"Resources") => Role::PageResources(p),
            _ => role,
        };
        stack.push((value, child));
    }
}

/// Every object `doc` reaches from its trailer (back-links `/Parent` and `/P` not followed).
fn reachable(doc: &Document) -> HashSet<ObjectId> {
    let mut seen = HashSet::new();
    let mut stack: Vec<&Object> = doc
        .trailer
        .iter()
        .filter(|(k, _)| k.as_slice() != b"Prev")
        .map(|(_, v)| v)
        .collect();
    while let Some(obj) = stack.pop() {
        let obj = match obj {
            Object::Reference(id) => {
                if !seen.insert(*id) {
                    continue;
                }
                match doc.get_object(*id) {
                    Ok(o) => o,
                    Err(_) => continue,
                }
            }
            other => other,
        };
        children(obj, &mut stack, b"");
    }
    seen
}

/// The objects reachable from `root` (itself included when indirect), at most
/// [`MAX_SUBTREE`]. Back-links (`/P`, `/Parent`), FieldMDP's `/Data` and the catalog and page
/// tree are not entered: they belong to the document, not to the annotation or field.
fn subtree(doc: &Document, root: &Object) -> HashSet<ObjectId> {
    let mut seen = HashSet::new();
    let mut stack = vec![root];
    while let Some(obj) = stack.pop() {
        let obj = match obj {
            Object::Reference(id) => {
                if seen.len() >= MAX_SUBTREE || seen.contains(id) {
                    continue;
                }
                let Ok(target) = doc.get_object(*id) else {
                    continue;
                };
                let kind = target
                    .as_dict()
                    .ok()
                    .and_then(|d| d.get(b"Type").and_then(Object::as_name).ok());
                if matches!(kind, Some(b"Catalog" | b"Pages" | b"Page")) {
                    continue;
                }
                seen.insert(*id);
                target
            }
            other => other,
        };
        children(obj, &mut stack, b"Data");
    }
    seen
}

/// Pushes the values of `obj` (array items, dictionary entries except back-links and `skip`).
fn children<'a>(obj: &'a Object, stack: &mut Vec<&'a Object>, skip: &[u8]) {
    let entries = |d: &'a Dictionary, stack: &mut Vec<&'a Object>| {
        stack.extend(
            d.iter()
                .filter(|(k, _)| !matches!(k.as_slice(), b"Parent" | b"P") && k.as_slice() != skip)
                .map(|(_, v)| v),
        );
    };
    match obj {
        Object::Array(items) => stack.extend(items.iter()),
        Object::Dictionary(d) => entries(d, stack),
        Object::Stream(s) => entries(&s.dict, stack),
        _ => {}
    }
}

/// An annotation dictionary: `/Type /Annot`, or a `/Subtype` with a `/Rect`.
fn is_annotation(obj: &Object) -> bool {
    let Ok(d) = obj.as_dict() else {
        return false;
    };
    d.get(b"Type").and_then(Object::as_name).ok() == Some(b"Annot")
        || (d.has(b"Subtype") && d.has(b"Rect"))
}

/// One entry of a page's `/Annots`.
#[derive(Clone, Debug, PartialEq)]
enum Annot {
    Ref(ObjectId),
    Direct(Dictionary),
}

fn annots(doc: &Document, page: &Dictionary) -> Vec<Annot> {
    let list = get(doc, page, b"Annots").and_then(|a| a.as_array().ok());
    list.into_iter()
        .flatten()
        .filter_map(|a| match a {
            Object::Reference(id) => Some(Annot::Ref(*id)),
            Object::Dictionary(d) => Some(Annot::Direct(d.clone())),
            _ => None,
        })
        .collect()
}

/// An entry of `/Annots` as an object, to walk from.
fn annot_object(annot: &Annot) -> Object {
    match annot {
        Annot::Ref(id) => Object::Reference(*id),
        Annot::Direct(d) => Object::Dictionary(d.clone()),
    }
}

/// "a FreeText annotation at [x1 y1 x2 y2]".
fn annot_name(doc: &Document, annot: &Annot) -> String {
    let d = match annot {
        Annot::Ref(id) => dict(doc, *id),
        Annot::Direct(d) => Some(d),
    };
    let Some(d) = d else {
        return "an annotation".to_owned();
    };
    let subtype = d
        .get(b"Subtype")
        .and_then(Object::as_name)
        .map_or("untyped".into(), String::from_utf8_lossy);
    let rect = rect(doc, d).map_or(String::new(), |r| {
        format!(" at [{:.0} {:.0} {:.0} {:.0}]", r[0], r[1], r[2], r[3])
    });
    format!("a {subtype} annotation{rect}")
}

fn rect(doc: &Document, d: &Dictionary) -> Option<[f32; 4]> {
    four(doc, d, b"Rect")
}

/// A rectangle entry (`/Rect`, `/BBox`): four numbers.
fn four(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<[f32; 4]> {
    let r = get(doc, d, key)?.as_array().ok()?;
    let mut out = [0.0; 4];
    for (slot, v) in out.iter_mut().zip(r) {
        *slot = v.as_float().ok()?;
    }
    (r.len() == 4).then_some(out)
}

/// Whether an annotation is drawn: not Hidden or NoView (flags 2 and 32), a non-empty
/// rectangle.
fn visible(doc: &Document, d: &Dictionary) -> bool {
    let flags = get(doc, d, b"F").and_then(|f| f.as_i64().ok()).unwrap_or(0);
    let hidden = flags & (2 | 32) != 0;
    let area = rect(doc, d).is_some_and(|r| (r[2] - r[0]).abs() > 0.5 && (r[3] - r[1]).abs() > 0.5);
    !hidden && area
}

/// Whether two rectangles (`[x1 y1 x2 y2]`, either corner order) share more than a sliver.
fn overlap(a: [f32; 4], b: [f32; 4]) -> bool {
    let span = |lo1: f32, hi1: f32, lo2: f32, hi2: f32| {
        hi1.max(lo1).min(hi2.max(lo2)) - lo1.min(hi1).max(lo2.min(hi2))
    };
    span(a[0], a[2], b[0], b[2]) > 0.5 && span(a[1], a[3], b[1], b[3]) > 0.5
}

/// Most content-stream operations read to find where a page draws; beyond, the page is taken
/// to be drawn everywhere (a text page has a few thousand).
const MAX_CONTENT_OPERATIONS: usize = 200_000;

/// Deepest `q` nesting followed; deeper, the page is taken to be drawn everywhere (ISO
/// 32000-1 Annex C gave 28 as a viewer's limit).
const MAX_GRAPHICS_DEPTH: usize = 64;

/// Most page tree levels climbed for inherited resources (lopdf's own page tree limit).
const MAX_PAGE_TREE_DEPTH: usize = 256;

/// An affine transformation `[a b c d e f]` (ISO 32000-2 §8.3.4).
type Matrix = [f32; 6];

/// The identity transformation.
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b`: a point is a row vector, `p' = p × a × b` (ISO 32000-2 §8.3.4).
fn concat(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

/// The point `(x, y)` mapped by `m`.
fn transform(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

/// The bounding box of some points.
fn bounds(points: impl IntoIterator<Item = (f32, f32)>) -> [f32; 4] {
    points
        .into_iter()
        .fold([f32::MAX, f32::MAX, f32::MIN, f32::MIN], |b, (x, y)| {
            [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)]
        })
}

/// The bounding box, in the space `m` maps to, of a rectangle of `m`'s space.
fn map_box(m: &Matrix, b: [f32; 4]) -> [f32; 4] {
    bounds(
        [(b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3])].map(|(x, y)| transform(m, x, y)),
    )
}

/// Where a page's content streams paint, as boxes in default user space, generously: a
/// path by the bounding box of its points, a string by one em per byte from 0.3 em below
/// the baseline to 1.2 em above (room for stacked Vietnamese marks), an image by its unit
/// square, a form XObject by its `/BBox`. Clipping is ignored. `None` when it cannot be told
/// (unreadable content, a shading painted over the clip, too many operations): the caller
/// then assumes the whole page is drawn.
fn content_boxes(doc: &Document, page: &Dictionary, limits: &Limits) -> Option<Vec<[f32; 4]>> {
    let streams: Vec<&Object> = match get(doc, page, b"Contents") {
        None => return Some(Vec::new()),
        Some(Object::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    let mut data = Vec::new();
    for stream in streams {
        let Some(Object::Stream(stream)) = deref(doc, stream) else {
            return None;
        };
        let left = limits.max_decompressed_bytes.checked_sub(data.len())?;
        data.extend(stream.get_plain_content_with_limit(left).ok()?);
        data.push(b'\n'); // streams of one page split only between tokens
    }
    let xobjects = resources(doc, page)
        .and_then(|r| get(doc, r, b"XObject"))
        .and_then(|x| x.as_dict().ok());
    let mut p = Painter::new();
    for (n, op) in lopdf::content::Content::decode_iter(&data).enumerate() {
        if n >= MAX_CONTENT_OPERATIONS {
            return None;
        }
        p.apply(&op.ok()?, |name| {
            let form = xobjects.and_then(|x| get(doc, x, name))?.as_stream().ok()?;
            let bbox = four(doc, &form.dict, b"BBox")?;
            let m = get(doc, &form.dict, b"Matrix")
                .and_then(|m| matrix(m.as_array().ok()?))
                .unwrap_or(IDENTITY);
            Some(map_box(&m, bbox))
        })?;
    }
    Some(p.boxes)
}

/// A page's `/Resources`, inherited through `/Parent` (ISO 32000-2 §7.7.3.4).
fn resources<'d>(doc: &'d Document, page: &'d Dictionary) -> Option<&'d Dictionary> {
    let mut node = page;
    for _ in 0..MAX_PAGE_TREE_DEPTH {
        if let Some(r) = get(doc, node, b"Resources").and_then(|r| r.as_dict().ok()) {
            return Some(r);
        }
        node = get(doc, node, b"Parent")?.as_dict().ok()?;
    }
    None
}

/// A matrix operand: six numbers.
fn matrix(items: &[Object]) -> Option<Matrix> {
    let mut m = IDENTITY;
    if items.len() != 6 {
        return None;
    }
    for (slot, v) in m.iter_mut().zip(items) {
        *slot = v.as_float().ok()?;
    }
    Some(m)
}

/// The graphics and text state [`content_boxes`] follows (ISO 32000-2 §8.4, §9.3, §9.4).
struct Painter {
    /// Current transformation matrix.
    ctm: Matrix,
    /// What `q` saved: the matrix and the text state parameters.
    saved: Vec<(Matrix, TextState)>,
    /// Points of the path under construction, in default user space.
    path: Vec<(f32, f32)>,
    /// Text matrix and text line matrix.
    tm: Matrix,
    tlm: Matrix,
    text: TextState,
    boxes: Vec<[f32; 4]>,
}

/// The text state parameters that move or size a string (ISO 32000-2 §9.3).
#[derive(Clone, Copy)]
struct TextState {
    size: f32,
    leading: f32,
    /// Horizontal scaling, as a factor.
    scale: f32,
}

impl Painter {
    /// The state at the start of a page: identity matrix, no path, no text state.
    fn new() -> Self {
        Self {
            ctm: IDENTITY,
            saved: Vec::new(),
            path: Vec::new(),
            tm: IDENTITY,
            tlm: IDENTITY,
            text: TextState {
                size: 0.0,
                leading: 0.0,
                scale: 1.0,
            },
            boxes: Vec::new(),
        }
    }

    /// Follows one operation; `None` when the page must be taken as drawn everywhere.
    /// `form` gives the box a named XObject paints in its own space, if it is a form.
    fn apply(
        &mut self,
        op: &lopdf::content::Operation,
        form: impl Fn(&[u8]) -> Option<[f32; 4]>,
    ) -> Option<()> {
        let nums: Vec<f32> = op
            .operands
            .iter()
            .filter_map(|o| o.as_float().ok())
            .collect();
        let num = |i: usize| nums.get(i).copied().unwrap_or(0.0);
        match op.operator.as_str() {
            "q" if self.saved.len() >= MAX_GRAPHICS_DEPTH => return None,
            "q" => self.saved.push((self.ctm, self.text)),
            "Q" => {
                if let Some((ctm, text)) = self.saved.pop() {
                    (self.ctm, self.text) = (ctm, text);
                }
            }
            "cm" => self.ctm = concat(&matrix(&op.operands)?, &self.ctm),
            "m" | "l" | "c" | "v" | "y" => {
                let ctm = self.ctm;
                self.path
                    .extend(nums.chunks_exact(2).map(|p| transform(&ctm, p[0], p[1])));
            }
            "re" => {
                let b = [num(0), num(1), num(0) + num(2), num(1) + num(3)];
                let b = map_box(&self.ctm, b);
                self.path.extend([(b[0], b[1]), (b[2], b[3])]);
            }
            "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" if !self.path.is_empty() => {
                self.boxes.push(bounds(self.path.drain(..)));
            }
            "n" => self.path.clear(),
            "sh" => return None,
            "Do" => {
                let name = op.operands.first()?.as_name().ok()?;
                let inner = form(name).unwrap_or([0.0, 0.0, 1.0, 1.0]);
                self.boxes.push(map_box(&self.ctm, inner));
            }
            "BI" => self.boxes.push(map_box(&self.ctm, [0.0, 0.0, 1.0, 1.0])),
            "BT" => (self.tm, self.tlm) = (IDENTITY, IDENTITY),
            "Tf" => self.text.size = num(0).abs(),
            "TL" => self.text.leading = num(0),
            "Tz" => self.text.scale = num(0) / 100.0,
            "Td" => self.next_line(num(0), num(1)),
            "TD" => {
                self.text.leading = -num(1);
                self.next_line(num(0), num(1));
            }
            "Tm" => {
                self.tlm = matrix(&op.operands)?;
                self.tm = self.tlm;
            }
            "T*" => self.next_line(0.0, -self.text.leading),
            "'" | "\"" => {
                self.next_line(0.0, -self.text.leading);
                self.strings(&op.operands);
            }
            "Tj" | "TJ" => self.strings(&op.operands),
            _ => {}
        }
        Some(())
    }

    /// `Td`: the start of the next line, offset from the start of the current one.
    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = concat(&[1.0, 0.0, 0.0, 1.0, tx, ty], &self.tlm);
        self.tm = self.tlm;
    }

    /// The strings of a text-showing operator, with the positioning numbers of `TJ`.
    fn strings(&mut self, operands: &[Object]) {
        for operand in operands {
            match operand {
                Object::String(bytes, _) => self.show(bytes.len()),
                Object::Array(items) => {
                    for item in items {
                        match item {
                            Object::String(bytes, _) => self.show(bytes.len()),
                            other => {
                                let adjust = other.as_float().unwrap_or(0.0);
                                self.advance(-adjust / 1000.0 * self.text.size);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A string of `bytes` bytes at the text position: a box of one em per byte.
    fn show(&mut self, bytes: usize) {
        let size = self.text.size;
        let width = bytes as f32 * size;
        let trm = concat(&self.tm, &self.ctm);
        let glyphs = [0.0, -0.3 * size, width * self.text.scale, 1.2 * size];
        self.boxes.push(map_box(&trm, glyphs));
        self.advance(width);
    }

    /// Moves the text position right by `by` unscaled text space units.
    fn advance(&mut self, by: f32) {
        let by = by * self.text.scale;
        self.tm = concat(&[1.0, 0.0, 0.0, 1.0, by, 0.0], &self.tm);
    }
}

/// Whether the normal appearance of a widget paints areas (fills, images, shadings) rather
/// than only text and strokes: such an appearance can hide what is under it.
fn appearance_is_opaque(doc: &Document, widget: &Dictionary, limits: &Limits) -> bool {
    let Some(normal) = get(doc, widget, b"AP")
        .and_then(|ap| ap.as_dict().ok())
        .and_then(|ap| get(doc, ap, b"N"))
    else {
        return false;
    };
    let streams: Vec<&Object> = match normal {
        Object::Dictionary(states) => states.iter().map(|(_, v)| v).collect(),
        other => vec![other],
    };
    streams.into_iter().any(|s| match deref(doc, s) {
        Some(Object::Stream(stream)) => {
            match stream.get_plain_content_with_limit(limits.max_decompressed_bytes) {
                Ok(content) => paints_areas(&content),
                // An appearance we cannot read is assumed to paint.
                Err(_) => true,
            }
        }
        _ => false,
    })
}

/// Whether a content stream has an area-painting operator (ISO 32000-2 §8.5.3 fills, §8.7.4.2
/// `sh`, §8.8 `Do` and inline images).
fn paints_areas(content: &[u8]) -> bool {
    let token_end = |from: usize| {
        from + content[from..]
            .iter()
            .take_while(|c| !is_delimiter_or_blank(**c))
            .count()
    };
    let mut i = 0;
    while i < content.len() {
        i = match content[i] {
            b'(' => skip_literal_string(content, i).unwrap_or(content.len()),
            b'%' => memchr::memchr2(b'\n', b'\r', &content[i..]).map_or(content.len(), |e| i + e),
            // A name: `/f` is not an operator.
            b'/' => token_end(i + 1),
            c if is_delimiter_or_blank(c) => i + 1,
            _ => {
                let end = token_end(i);
                let operator = &content[i..end];
                if matches!(
                    operator,
                    b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" | b"sh" | b"Do" | b"BI"
                ) {
                    return true;
                }
                end
            }
        };
    }
    false
}

/// A form's terminal fields in the order changes are listed: by name, then in document order.
fn by_name<'f, 'd>(form: &'f Form<'d>) -> impl Iterator<Item = &'f FormField<'d>> {
    let mut fields: Vec<&FormField<'d>> = form.terminals.iter().collect();
    fields.sort_by(|a, b| a.name.cmp(&b.name));
    fields.into_iter()
}

fn is_doc_timestamp(doc: &Document, value: &Object) -> bool {
    deref(doc, value)
        .and_then(|v| v.as_dict().ok())
        .and_then(|v| v.get(b"Type").and_then(Object::as_name).ok())
        == Some(b"DocTimeStamp")
}

/// The 1-based page whose `/Annots` lists annotation `id` (through `/P` first).
fn page_of(doc: &Document, id: ObjectId) -> Option<usize> {
    let pages = doc.get_pages();
    let by_p = dict(doc, id)
        .and_then(|d| d.get(b"P").ok())
        .and_then(|p| p.as_reference().ok());
    pages
        .iter()
        .find(|(_, page)| {
            Some(**page) == by_p
                || dict(doc, **page).is_some_and(|p| annots(doc, p).contains(&Annot::Ref(id)))
        })
        .and_then(|(n, _)| usize::try_from(*n).ok())
}

/// The ids of the form dictionary and of its field list, when indirect.
fn acroform_ids(doc: &Document) -> Vec<ObjectId> {
    let mut ids = Vec::new();
    if let Some(Object::Reference(id)) = catalog(doc).and_then(|c| c.get(b"AcroForm").ok()) {
        ids.push(*id);
    }
    if let Some(Object::Reference(id)) = acroform(doc).and_then(|f| f.get(b"Fields").ok()) {
        ids.push(*id);
    }
    ids
}

#[cfg(test)]
mod tests {
    use lopdf::{Stream, dictionary};

    use super::*;
    use crate::pdf::parse::FieldSel;

    #[test]
    fn area_painting_operators_are_found_outside_strings_and_names() {
        assert!(paints_areas(b"1 1 1 rg 0 0 100 20 re f"));
        assert!(paints_areas(b"q /Im1 Do Q"));
        assert!(!paints_areas(b"BT /F1 12 Tf (f B re f) Tj ET"));
        assert!(!paints_areas(
            b"/Tx BMC q BT /f 12 Tf 2 5 Td (123) Tj ET Q EMC"
        ));
        assert!(!paints_areas(b"0 0 m 10 10 l S % f"));
    }

    fn signed(revision: usize, docmdp: Option<u8>) -> Signed {
        Signed {
            field: format!("S{revision}"),
            revision: Some(revision),
            docmdp,
            lock: None,
            passed: true,
        }
    }

    fn change(
        revision: usize,
        kind: ChangeKind,
        level: ModificationLevel,
        may_hide: bool,
    ) -> Change {
        Change {
            revision,
            kind,
            level,
            may_hide,
            page: Some(1),
            field: Some("f".into()),
            object: None,
            detail: format!("revision {revision} did something"),
        }
    }

    #[test]
    fn docmdp_levels_decide_what_is_allowed() {
        let fill = change(
            3,
            ChangeKind::FormFill,
            ModificationLevel::FormFilling,
            false,
        );
        for (p, want) in [
            (Some(1), Some(SubIndication::HashFailure)),
            (Some(2), None),
            (Some(3), None),
            (None, None),
        ] {
            let sigs = [signed(2, p)];
            let (level, check) = assess(&sigs[0], std::slice::from_ref(&fill), &sigs);
            assert_eq!(level, Some(ModificationLevel::FormFilling));
            assert_eq!(check.result, want, "P={p:?}");
        }
        let note = change(
            3,
            ChangeKind::Annotation,
            ModificationLevel::Annotations,
            true,
        );
        let sigs = [signed(2, Some(3))];
        assert_eq!(
            assess(&sigs[0], std::slice::from_ref(&note), &sigs)
                .1
                .result,
            Some(SubIndication::SigConstraintsFailure)
        );
        let other = change(3, ChangeKind::PageContent, ModificationLevel::Other, false);
        assert_eq!(
            assess(&sigs[0], &[other], &sigs).1.result,
            Some(SubIndication::HashFailure)
        );
        // Changes made before the signature do not count against it.
        let early = change(2, ChangeKind::PageContent, ModificationLevel::Other, false);
        let (level, check) = assess(&sigs[0], &[early], &sigs);
        assert_eq!((level, check.result), (Some(ModificationLevel::None), None));
    }

    /// A one-page document: catalog 1 0, page tree 2 0, page 3 0 drawing "So: 123" at
    /// (60, 672) with content stream 4 0 and font 5 0, and a DSS 6 0 with a `/Certs` array
    /// 7 0.
    fn one_page() -> Document {
        let mut doc = Document::with_version("1.7");
        let font =
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
        let content = b"BT /F1 12 Tf 1 0 0 1 60 672 Tm (So: 123) Tj ET".to_vec();
        let page = dictionary! {
            "Type" => "Page",
            "Parent" => (2, 0),
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => (5, 0) } },
            "Contents" => (4, 0),
        };
        let objects: [(u32, Object); 7] = [
            (
                1,
                dictionary! { "Type" => "Catalog", "Pages" => (2, 0), "DSS" => (6, 0) }.into(),
            ),
            (
                2,
                dictionary! { "Type" => "Pages", "Kids" => vec![(3, 0).into()], "Count" => 1 }
                    .into(),
            ),
            (3, page.into()),
            (4, Stream::new(Dictionary::new(), content).into()),
            (5, font.into()),
            (6, dictionary! { "Certs" => (7, 0) }.into()),
            (7, Object::Array(Vec::new())),
        ];
        for (n, obj) in objects {
            doc.objects.insert((n, 0), obj);
        }
        doc.trailer.set("Root", (1, 0));
        doc
    }

    fn changes(old: &Document, new: &Document) -> Vec<Change> {
        diff(old, new, 3, usize::MAX, &Limits::default())
    }

    fn others(changes: &[Change]) -> Vec<&str> {
        changes
            .iter()
            .filter(|c| c.level == ModificationLevel::Other)
            .map(|c| c.detail.as_str())
            .collect()
    }

    #[test]
    fn a_page_redefined_as_a_reference_to_itself_is_no_longer_drawn() {
        let old = one_page();
        let mut new = one_page();
        new.objects.insert((3, 0), Object::Reference((3, 0)));
        let found = changes(&old, &new);
        let page = found
            .iter()
            .find(|c| c.kind == ChangeKind::PageTree)
            .expect("the lost page is reported");
        assert_eq!(page.level, ModificationLevel::Other);
        assert_eq!(page.page, Some(1));
        assert_eq!(
            page.detail,
            "revision 3: page 1 is no longer drawn (object 3 0 redefined)"
        );
        assert!(
            others(&found).contains(
                &"revision 3: the content stream of page 1 is no longer drawn (object 4 0 no longer reached)"
            ),
            "{found:?}"
        );
    }

    #[test]
    fn a_reference_broken_in_the_parent_loses_the_page() {
        let old = one_page();
        let mut new = one_page();
        let kids: Object =
            dictionary! { "Type" => "Pages", "Kids" => vec![(99, 0).into()], "Count" => 1 }.into();
        new.objects.insert((2, 0), kids);
        let found = others(&changes(&old, &new)).join("\n");
        assert!(
            found.contains("revision 3: page 1 is no longer drawn (object 3 0 no longer reached)"),
            "{found}"
        );
        assert!(found.contains("a resource (font, image or form) of page 1 is no longer drawn (object 5 0 no longer reached)"), "{found}");
        let many = [(1, 0), (2, 0), (4, 0), (9, 0)].map(|id| (id, Fate::Unreached));
        let reach = reach(&old);
        let change = lost_change(&reach, 3, Role::PageResources(1), &many);
        assert_eq!(
            change.detail,
            "revision 3: a resource (font, image or form) of page 1 is no longer drawn (objects 1 0, 2 0, 4 0 and 1 more no longer reached)"
        );
        let mixed = [((1, 0), Fate::Redefined), ((2, 0), Fate::Freed)];
        let dss = reach.keys.iter().position(|k| k == "DSS").expect("a DSS");
        let change = lost_change(&reach, 3, Role::Part(dss), &mixed);
        assert_eq!(
            change.detail,
            "revision 3: an object under the catalog entry /DSS is no longer reached (object 1 0 redefined, object 2 0 freed)"
        );
    }

    #[test]
    fn replaced_validation_data_and_orphans_are_explained() {
        let old = one_page();
        let mut new = one_page();
        // A DSS update that replaces its /Certs array by a new object: the old one is no
        // longer reached, and the DSS walk explains it.
        new.objects
            .insert((6, 0), dictionary! { "Certs" => (8, 0) }.into());
        new.objects
            .insert((8, 0), Object::Array(vec![(9, 0).into()]));
        new.objects.insert(
            (9, 0),
            Stream::new(Dictionary::new(), b"cert".to_vec()).into(),
        );
        // An object no revision reaches may change freely.
        let mut old_with_orphan = old.clone();
        old_with_orphan.objects.insert((20, 0), Object::Integer(1));
        new.objects.insert((20, 0), Object::Integer(2));
        let found = changes(&old_with_orphan, &new);
        assert_eq!(others(&found), Vec::<&str>::new());
        assert!(found.iter().any(|c| c.kind == ChangeKind::LtaUpdate));
    }

    /// `one_page` with a form of these fields (object number, dictionary).
    fn with_form(fields: &[(u32, Dictionary)]) -> Document {
        let mut doc = one_page();
        for (n, field) in fields {
            doc.objects.insert((*n, 0), field.clone().into());
        }
        let list: Vec<Object> = fields.iter().map(|(n, _)| (*n, 0).into()).collect();
        let catalog = dictionary! {
            "Type" => "Catalog", "Pages" => (2, 0), "DSS" => (6, 0),
            "AcroForm" => dictionary! { "Fields" => list },
        };
        doc.objects.insert((1, 0), catalog.into());
        doc
    }

    #[test]
    fn a_signature_field_named_like_a_text_field_is_a_new_signature() {
        // Fields are matched by object, not by name: a countersignature in a new field that
        // happens to share a filled text field's name is an added signature, not a change to
        // "the signed signature field" (which keying by name made of it).
        let text = dictionary! { "FT" => "Tx", "T" => Object::string_literal("x"), "V" => Object::string_literal("a") };
        let sig = dictionary! { "FT" => "Sig", "T" => Object::string_literal("x"), "V" => (12, 0) };
        let old = with_form(&[(10, text.clone())]);
        let mut new = with_form(&[(10, text), (11, sig)]);
        new.objects
            .insert((12, 0), dictionary! { "Type" => "Sig" }.into());
        let found = changes(&old, &new);
        assert_eq!(others(&found), Vec::<&str>::new(), "{found:?}");
        let added = found
            .iter()
            .find(|c| c.kind == ChangeKind::Signature)
            .expect("the new signature is listed");
        assert_eq!(added.level, ModificationLevel::FormFilling);
        assert_eq!(added.detail, "revision 3 added the signature x");
    }

    /// `one_page` plus, in the new revision, a signature field `Signature2` whose widget 10 0
    /// lies at `rect` with an opaque appearance (white box and text) and is listed in page 1's
    /// `/Annots`.
    fn signed_over(rect: [i64; 4], opaque: bool) -> (Document, Document) {
        let old = one_page();
        let mut new = one_page();
        let paint: &[u8] = if opaque {
            b"q 1 1 1 rg 0 0 145 26 re f Q BT /F1 10 Tf 5 9 Td (So: 450) Tj ET"
        } else {
            b"BT /F1 10 Tf 5 9 Td (Signed) Tj ET"
        };
        let ap = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form" },
            paint.to_vec(),
        );
        let widget = dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Sig",
            "T" => Object::string_literal("Signature2"), "V" => (11, 0), "F" => 4, "P" => (3, 0),
            "Rect" => rect.iter().map(|v| Object::Integer(*v)).collect::<Vec<_>>(),
            "AP" => dictionary! { "N" => (12, 0) },
        };
        new.objects.insert((10, 0), widget.into());
        new.objects
            .insert((11, 0), dictionary! { "Type" => "Sig" }.into());
        new.objects.insert((12, 0), ap.into());
        let mut page = one_page().get_dictionary((3, 0)).expect("page").clone();
        page.set("Annots", vec![Object::Reference((10, 0))]);
        new.objects.insert((3, 0), page.into());
        let catalog = dictionary! {
            "Type" => "Catalog", "Pages" => (2, 0), "DSS" => (6, 0),
            "AcroForm" => dictionary! { "Fields" => vec![(10, 0).into()], "SigFlags" => 3 },
        };
        new.objects.insert((1, 0), catalog.into());
        (old, new)
    }

    #[test]
    fn an_opaque_signature_over_signed_text_may_hide_it_even_when_valid() {
        let (old, new) = signed_over([55, 664, 200, 690], true);
        let mut found = changes(&old, &new);
        let sigs = [
            signed(2, Some(2)),
            Signed {
                field: "Signature2".into(),
                ..signed(3, None)
            },
        ];
        apply_signers(&mut found, &sigs);
        let cover: Vec<&Change> = found.iter().filter(|c| c.may_hide).collect();
        assert_eq!(cover.len(), 1, "{found:?}");
        assert_eq!(cover[0].kind, ChangeKind::Signature);
        assert_eq!(cover[0].object.as_deref(), Some("10 0"));
        assert!(
            cover[0]
                .detail
                .contains("opaque appearance over signed content of page 1")
        );
        let (level, check) = assess(&sigs[0], &found, &sigs);
        assert_eq!(level, Some(ModificationLevel::FormFilling));
        assert_eq!(check.result, Some(SubIndication::SigConstraintsFailure));
        // The covering signature itself covers the whole file.
        assert_eq!(assess(&sigs[1], &found, &sigs).1.result, None);
    }

    #[test]
    fn signatures_that_cover_nothing_or_paint_no_area_hide_nothing() {
        let sigs = [
            signed(2, Some(2)),
            Signed {
                field: "Signature2".into(),
                ..signed(3, None)
            },
        ];
        for (rect, opaque) in [
            ([60, 300, 535, 322], true),  // a blank part of the page
            ([0, 0, 0, 0], true),         // invisible
            ([55, 664, 200, 690], false), // text only
        ] {
            let (old, new) = signed_over(rect, opaque);
            let mut found = changes(&old, &new);
            apply_signers(&mut found, &sigs);
            assert!(
                found.iter().all(|c| !c.may_hide),
                "{rect:?} {opaque}: {found:?}"
            );
            assert_eq!(
                assess(&sigs[0], &found, &sigs).1.result,
                None,
                "{rect:?} {opaque}"
            );
        }
    }

    #[test]
    fn content_boxes_follow_matrices_text_and_paths() {
        let boxes = |content: &[u8]| {
            let mut p = Painter::new();
            for op in lopdf::content::Content::decode_iter(content) {
                p.apply(&op.expect("operation"), |_| Some([0.0, 0.0, 10.0, 10.0]))?;
            }
            Some(p.boxes)
        };
        assert_eq!(
            boxes(b"q 2 0 0 2 10 10 cm 5 5 20 10 re f Q 0 0 m 1 1 l n"),
            Some(vec![[20.0, 20.0, 60.0, 40.0]])
        );
        let text = boxes(b"BT /F1 10 Tf 100 200 Td (ab) Tj [(c) -1000 (d)] TJ ET").expect("text");
        assert_eq!(text[0], [100.0, 197.0, 120.0, 212.0]);
        assert_eq!(text[1], [120.0, 197.0, 130.0, 212.0]);
        assert_eq!(text[2], [140.0, 197.0, 150.0, 212.0]);
        assert_eq!(
            boxes(b"q 1 0 0 1 50 50 cm /Fm1 Do Q"),
            Some(vec![[50.0, 50.0, 60.0, 60.0]])
        );
        assert_eq!(boxes(b"/Sh1 sh"), None);
        assert!(overlap([0.0, 0.0, 10.0, 10.0], [10.0, 10.0, 0.0, 5.0]));
        assert!(!overlap([0.0, 0.0, 10.0, 10.0], [10.2, 0.0, 20.0, 10.0]));
    }

    #[test]
    fn the_permit_is_drawn_under_its_number_not_in_its_blank_note_area() {
        let pdf = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/pdf/unsigned.pdf"
        ))
        .expect("fixture");
        let doc = Document::load_mem(&pdf).expect("loads");
        let page = doc.get_pages()[&1];
        let page = doc.get_dictionary(page).expect("page");
        let boxes = content_boxes(&doc, page, &Limits::default()).expect("readable");
        // The boxes of testdata/gen/make_pdfs.py: OVER_NUMBER_BOX and NOTE_BOX.
        assert!(
            boxes
                .iter()
                .any(|b| overlap(*b, [55.0, 664.0, 200.0, 690.0]))
        );
        assert!(
            !boxes
                .iter()
                .any(|b| overlap(*b, [60.0, 300.0, 535.0, 322.0])),
            "{boxes:?}"
        );
    }

    #[test]
    fn locks_turn_form_filling_into_a_locked_change() {
        let mut sigs = [signed(2, None)];
        sigs[0].lock = Some(Lock {
            fields: FieldSel::Include(vec!["f".into()]),
            p: None,
        });
        let mut changes = [change(
            3,
            ChangeKind::FormFill,
            ModificationLevel::FormFilling,
            false,
        )];
        apply_signers(&mut changes, &sigs);
        assert_eq!(changes[0].kind, ChangeKind::LockedField);
        assert_eq!(
            assess(&sigs[0], &changes, &sigs).1.result,
            Some(SubIndication::HashFailure)
        );
    }
}
