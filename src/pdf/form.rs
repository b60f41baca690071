//! The form fields of one revision (ISO 32000-2 §12.7.4): one walker over `/AcroForm /Fields`,
//! used both to list the signature fields and by the revision diff.
//!
//! A field node with kids that have a `/T` is a container; any other node is a terminal field,
//! and its kids (if any) are its widget annotations. Fields are keyed by object id, so two
//! fields with the same fully qualified name stay two fields (a form may hold them, and a
//! diff keyed by name would let one hide the other's changes). The walk is iterative and
//! bounded by [`Limits::max_field_depth`]; a node deeper than that is skipped and the limit is
//! kept in [`Form::limit`] for the caller to report. Each node is visited once, so reference
//! cycles end the walk.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::{
    PdfError,
    objects::{acroform, deref, get, text},
};
use crate::limits::Limits;

/// How a field is told apart from the others of its revision and matched with itself in the
/// previous one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum FieldKey {
    /// An indirect field dictionary: its object id.
    Object(ObjectId),
    /// A field dictionary written inline in its parent's `/Kids` or in `/Fields`: its
    /// nearest indirect container and its position in the walk, which is as stable as the
    /// container is.
    Inline(Option<ObjectId>, usize),
}

/// A terminal form field.
#[derive(Debug)]
pub(crate) struct FormField<'d> {
    /// Identity within the revision.
    pub(crate) key: FieldKey,
    /// Fully qualified name (`parent.child`), `(unnamed)` when no node on the way has a `/T`.
    pub(crate) name: String,
    /// The field as an object: a reference, or a copy of an inline dictionary.
    pub(crate) object: Object,
    /// The field dictionary.
    pub(crate) dict: &'d Dictionary,
    /// The nearest indirect object holding the field (itself when indirect).
    pub(crate) container: Option<ObjectId>,
    /// Its `/FT`, inherited, is `/Sig`.
    pub(crate) is_signature: bool,
    /// `/V`, unless absent or null.
    pub(crate) value: Option<&'d Object>,
    /// Its widget annotations: the field itself when merged with its widget, else its kids.
    pub(crate) widgets: Vec<(Option<ObjectId>, &'d Dictionary)>,
    /// Found through a page's widget annotation, not through `/AcroForm /Fields`.
    pub(crate) orphan_widget: bool,
}

/// The form of one revision.
#[derive(Debug, Default)]
pub(crate) struct Form<'d> {
    /// Terminal fields: those under `/AcroForm /Fields` in document order, then (after
    /// [`Form::add_orphan_widgets`]) those only a page's widget reaches.
    pub(crate) terminals: Vec<FormField<'d>>,
    /// Non-terminal field nodes (indirect).
    pub(crate) nodes: Vec<ObjectId>,
    /// The first limit the walk met; the nodes beyond it were skipped.
    pub(crate) limit: Option<PdfError>,
    visited: HashSet<ObjectId>,
}

/// A field node still to visit: object, nearest indirect container, parent name, inherited
/// `/FT`, depth.
type Pending<'d> = (
    &'d Object,
    Option<ObjectId>,
    Option<String>,
    Option<&'d [u8]>,
    usize,
);

impl<'d> Form<'d> {
    /// Walks `/AcroForm /Fields`.
    pub(crate) fn walk(doc: &'d Document, limits: &Limits) -> Self {
        let mut form = Self::default();
        let list = acroform(doc)
            .and_then(|f| get(doc, f, b"Fields"))
            .and_then(|f| f.as_array().ok());
        for field in list.into_iter().flatten() {
            form.tree(doc, limits, field, false);
        }
        form
    }

    /// Adds the signature fields reached only through a page's widget annotation (a form
    /// that does not list a field a viewer still shows): from each such widget, up its
    /// `/Parent` chain to the top of its field tree, then down that tree.
    pub(crate) fn add_orphan_widgets(&mut self, doc: &'d Document, limits: &Limits) {
        for (_, page_id) in doc.get_pages() {
            let annots = doc
                .get_dictionary(page_id)
                .ok()
                .and_then(|p| get(doc, p, b"Annots"))
                .and_then(|a| a.as_array().ok());
            for annot in annots.into_iter().flatten() {
                let Ok((Some(id), Object::Dictionary(dict))) = doc.dereference(annot) else {
                    continue;
                };
                if self.visited.contains(&id)
                    || dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Widget")
                {
                    continue;
                }
                let mut top = annot;
                let mut top_id = id;
                for _ in 0..limits.max_field_depth {
                    let parent = deref(doc, top)
                        .and_then(|t| t.as_dict().ok())
                        .and_then(|d| d.get(b"Parent").ok());
                    match parent {
                        Some(p @ Object::Reference(pid)) if !self.visited.contains(pid) => {
                            top = p;
                            top_id = *pid;
                        }
                        _ => break,
                    }
                }
                if !self.visited.contains(&top_id) {
                    self.tree(doc, limits, top, true);
                }
            }
        }
    }

    /// The terminal field with this key.
    pub(crate) fn get(&self, key: &FieldKey) -> Option<&FormField<'d>> {
        self.terminals.iter().find(|f| &f.key == key)
    }

    /// Walks the field tree under `root` (depth first, kids in order).
    fn tree(&mut self, doc: &'d Document, limits: &Limits, root: &'d Object, orphan: bool) {
        let mut stack: Vec<Pending<'d>> = vec![(root, None, None, None, 0)];
        while let Some((obj, container, parent, ft, depth)) = stack.pop() {
            if depth > limits.max_field_depth {
                self.limit.get_or_insert(PdfError::Limit {
                    what: "form field nesting",
                    max: limits.max_field_depth as u64,
                });
                continue;
            }
            let id = match obj {
                Object::Reference(id) if !self.visited.insert(*id) => continue,
                Object::Reference(id) => Some(*id),
                _ => None,
            };
            let Some(dict) = deref(doc, obj).and_then(|o| o.as_dict().ok()) else {
                continue;
            };
            let container = id.or(container);
            let own = dict
                .get(b"T")
                .ok()
                .and_then(|t| t.as_str().ok())
                .map(|t| text(t).display());
            let name = match (parent, own) {
                (Some(p), Some(t)) => Some(format!("{p}.{t}")),
                (None, Some(t)) => Some(t),
                (p, None) => p,
            };
            let ft = dict.get(b"FT").and_then(Object::as_name).ok().or(ft);
            let kids: Vec<&'d Object> = get(doc, dict, b"Kids")
                .and_then(|k| k.as_array().ok())
                .into_iter()
                .flatten()
                .collect();
            let is_field = |k: &&Object| {
                deref(doc, k)
                    .and_then(|k| k.as_dict().ok())
                    .is_some_and(|k| k.has(b"T"))
            };
            if kids.iter().any(is_field) {
                self.nodes.extend(id);
                // Kids without /T under a container are not fields (ISO 32000-2 §12.7.4.1):
                // they are skipped, as a viewer does.
                stack.extend(
                    kids.into_iter()
                        .filter(is_field)
                        .rev()
                        .map(|k| (k, container, name.clone(), ft, depth + 1)),
                );
                continue;
            }
            let mut widgets = Vec::new();
            for kid in kids {
                let kid_id = match kid {
                    Object::Reference(i) => Some(*i),
                    _ => None,
                };
                if let Some(k) = deref(doc, kid).and_then(|k| k.as_dict().ok()) {
                    self.visited.extend(kid_id);
                    widgets.push((kid_id, k));
                }
            }
            if widgets.is_empty() && dict.has(b"Rect") {
                widgets.push((id, dict));
            }
            let key = match id {
                Some(id) => FieldKey::Object(id),
                None => FieldKey::Inline(container, self.terminals.len()),
            };
            self.terminals.push(FormField {
                key,
                name: name.unwrap_or_else(|| "(unnamed)".to_owned()),
                object: id.map_or_else(|| Object::Dictionary(dict.clone()), Object::Reference),
                dict,
                container,
                is_signature: ft == Some(b"Sig".as_slice()),
                value: dict.get(b"V").ok().filter(|v| !matches!(v, Object::Null)),
                widgets,
                orphan_widget: orphan,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use lopdf::dictionary;

    use super::*;

    /// A form with two text fields of the same name and a signature field whose widget is a
    /// separate kid.
    fn document() -> Document {
        let mut doc = Document::with_version("1.7");
        let widget = doc.add_object(dictionary! { "Subtype" => "Widget", "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()] });
        let sig = doc
            .add_object(dictionary! { "FT" => "Sig", "T" => Object::string_literal("sig"), "Kids" => vec![widget.into()] });
        let a1 = doc.add_object(
            dictionary! { "FT" => "Tx", "T" => Object::string_literal("a"), "V" => "one" },
        );
        let a2 = doc.add_object(
            dictionary! { "FT" => "Tx", "T" => Object::string_literal("a"), "V" => "two" },
        );
        let form =
            doc.add_object(dictionary! { "Fields" => vec![a1.into(), a2.into(), sig.into()] });
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "AcroForm" => form });
        doc.trailer.set("Root", catalog);
        doc
    }

    #[test]
    fn fields_with_one_name_stay_apart_and_widgets_are_not_fields() {
        let doc = document();
        let form = Form::walk(&doc, &Limits::default());
        let names: Vec<&str> = form.terminals.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a", "a", "sig"]);
        assert_ne!(form.terminals[0].key, form.terminals[1].key);
        let sig = &form.terminals[2];
        assert!(sig.is_signature);
        assert_eq!(sig.widgets.len(), 1);
        assert!(form.limit.is_none());
    }

    #[test]
    fn nesting_beyond_the_limit_is_reported_not_followed() {
        let mut doc = Document::with_version("1.7");
        let mut kid =
            doc.add_object(dictionary! { "FT" => "Sig", "T" => Object::string_literal("leaf") });
        for depth in 0..10 {
            kid = doc
                .add_object(dictionary! { "T" => Object::string_literal(format!("n{depth}")), "Kids" => vec![kid.into()] });
        }
        let form = doc.add_object(dictionary! { "Fields" => vec![kid.into()] });
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "AcroForm" => form });
        doc.trailer.set("Root", catalog);
        let limits = Limits {
            max_field_depth: 4,
            ..Limits::default()
        };
        let walked = Form::walk(&doc, &limits);
        assert!(walked.terminals.is_empty());
        assert!(matches!(
            walked.limit,
            Some(PdfError::Limit {
                what: "form field nesting",
                max: 4
            })
        ));
    }
}
