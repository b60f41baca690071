//! The revision diff: every change from one revision to the next, named and levelled (see
//! the module docs of [`super`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId, xref::XrefEntry};

use super::paint::{appearance_is_opaque, content_boxes, overlap, rect, visible};
use crate::pdf::{
    form::{Form, FormField},
    objects::{acroform, catalog, deref, dict, get},
};
use crate::{
    limits::Limits,
    report::{Change, ChangeKind, ModificationLevel},
};

/// Most objects one annotation's or field's subtree may have before it is counted as
/// changed without looking further (a real appearance has a few dozen).
const MAX_SUBTREE: usize = 4096;

/// Most changes listed for one revision; the rest are summed up in one line.
const MAX_CHANGES_PER_REVISION: usize = 64;

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

/// Where an object the catalog reaches sits, for naming its change. All but the last two are
/// drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Role {
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
pub(super) struct Reach {
    roles: HashMap<ObjectId, Role>,
    pub(super) keys: Vec<String>,
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
pub(super) enum Fate {
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
pub(super) fn lost_change(
    reach: &Reach,
    revision: usize,
    role: Role,
    objects: &[(ObjectId, Fate)],
) -> Change {
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
pub(super) fn reach(doc: &Document) -> Reach {
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
pub(super) fn walk<'d>(
    doc: &'d Document,
    r: &mut Reach,
    mut stack: Vec<(&'d Object, Role)>,
    drawn: bool,
) {
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
pub(super) fn reachable(doc: &Document) -> HashSet<ObjectId> {
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
pub(super) enum Annot {
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
