//! Where a page paints and whether an appearance can hide it: content streams read for
//! their painted boxes (ISO 32000-2 §8), annotation rectangles and visibility.

use lopdf::{Dictionary, Document, Object};

use crate::limits::Limits;
use crate::pdf::{
    objects::{deref, get},
    revisions::{is_delimiter_or_blank, skip_literal_string},
};

pub(super) fn rect(doc: &Document, d: &Dictionary) -> Option<[f32; 4]> {
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
pub(super) fn visible(doc: &Document, d: &Dictionary) -> bool {
    let flags = get(doc, d, b"F").and_then(|f| f.as_i64().ok()).unwrap_or(0);
    let hidden = flags & (2 | 32) != 0;
    let area = rect(doc, d).is_some_and(|r| (r[2] - r[0]).abs() > 0.5 && (r[3] - r[1]).abs() > 0.5);
    !hidden && area
}

/// Whether two rectangles (`[x1 y1 x2 y2]`, either corner order) share more than a sliver.
pub(super) fn overlap(a: [f32; 4], b: [f32; 4]) -> bool {
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
pub(super) fn concat(a: &Matrix, b: &Matrix) -> Matrix {
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
pub(super) fn content_boxes(
    doc: &Document,
    page: &Dictionary,
    limits: &Limits,
) -> Option<Vec<[f32; 4]>> {
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
pub(super) fn resources<'d>(doc: &'d Document, page: &'d Dictionary) -> Option<&'d Dictionary> {
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
pub(super) struct Painter {
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
    pub(super) boxes: Vec<[f32; 4]>,
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
    pub(super) fn new() -> Self {
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
    pub(super) fn apply(
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
pub(super) fn appearance_is_opaque(doc: &Document, widget: &Dictionary, limits: &Limits) -> bool {
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
pub(super) fn paints_areas(content: &[u8]) -> bool {
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
