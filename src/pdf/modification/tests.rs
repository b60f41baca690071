//! Tests of the revision diff, the painted-area reading and the DocMDP/FieldMDP assessment.

use lopdf::{Dictionary, Document, Object, Stream, dictionary};

use super::{diff::*, paint::*, *};
use crate::{limits::Limits, pdf::parse::FieldSel};

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

fn change(revision: usize, kind: ChangeKind, level: ModificationLevel, may_hide: bool) -> Change {
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
        (Some(1), Some(SubIndication::FormatFailure)),
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
        Some(SubIndication::FormatFailure)
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
    let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
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
            dictionary! { "Type" => "Pages", "Kids" => vec![(3, 0).into()], "Count" => 1 }.into(),
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
        Some(SubIndication::FormatFailure)
    );
}
