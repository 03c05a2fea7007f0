//! qyzmet's printed documents (ADR 0021): a paper package's label (Code 128) and the receipts
//! of an acceptance or a refusal (with the QR code of their seal). PDFs are written
//! with krilla, DejaVu Sans embedded and subset — the PDF's built-in fonts have no Kazakh
//! letters (ә ғ қ ң ө ұ ү һ і) — and codes are drawn as vector rectangles, sharp at any
//! printer's resolution. Pure: bytes in, bytes out; the server decides what to print.

use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use std::sync::LazyLock;

mod qr;
pub use qr::QrMatrix;

const SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

static REGULAR: LazyLock<Font> =
    LazyLock::new(|| Font::new(SANS.into(), 0).expect("DejaVu Sans is a font"));
static BOLD: LazyLock<Font> =
    LazyLock::new(|| Font::new(SANS_BOLD.into(), 0).expect("DejaVu Sans Bold is a font"));

/// Points in a millimetre.
const MM: f32 = 72.0 / 25.4;

/// Why a document could not be printed.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The text cannot be a Code 128 barcode (it is printable ASCII only).
    #[error("not a Code 128 text: {0}")]
    Barcode(String),
    /// The text is too long for a QR code.
    #[error("too long for a QR code: {0}")]
    Qr(String),
    #[error("writing the PDF: {0}")]
    Pdf(String),
}

/// The Code 128 modules of `text` (1 = bar), in the densest sets: digits in pairs as set C,
/// the rest as set B.
pub fn code128_modules(text: &str) -> Result<Vec<u8>, PrintError> {
    if text.is_empty() || !text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(PrintError::Barcode(text.into()));
    }
    // The longest run of digits at the end, of even length, goes in set C.
    let tail = text.bytes().rev().take_while(u8::is_ascii_digit).count() / 2 * 2;
    let (head, digits) = text.split_at(text.len() - tail);
    let mut data = String::new();
    if !head.is_empty() {
        data.push('Ɓ');
        data.push_str(head);
    }
    if !digits.is_empty() {
        data.push('Ć');
        data.push_str(digits);
    }
    barcoders::sym::code128::Code128::new(&data)
        .map(|c| c.encode())
        .map_err(|e| PrintError::Barcode(format!("{text}: {e}")))
}

/// Draws `modules` (1 = bar) as bars `module` points wide and `height` high from `(x, y)` (its
/// top-left corner).
fn bars(surface: &mut Surface<'_>, modules: &[u8], x: f32, y: f32, module: f32, height: f32) {
    let mut pb = PathBuilder::new();
    let mut i = 0;
    while i < modules.len() {
        if modules[i] == 1 {
            let start = i;
            while i < modules.len() && modules[i] == 1 {
                i += 1;
            }
            if let Some(r) = Rect::from_xywh(
                x + start as f32 * module,
                y,
                (i - start) as f32 * module,
                height,
            ) {
                pb.push_rect(r);
            }
        } else {
            i += 1;
        }
    }
    if let Some(path) = pb.finish() {
        surface.set_fill(Some(Fill::default()));
        surface.draw_path(&path);
    }
}

/// Draws the QR code of `text` (error correction M) as a square `size` points wide at `(x, y)`.
pub(crate) fn qr(
    surface: &mut Surface<'_>,
    text: &str,
    x: f32,
    y: f32,
    size: f32,
) -> Result<(), PrintError> {
    let code = QrMatrix::encode(text)?;
    let width = code.width();
    // Four modules of quiet zone on each side.
    let module = size / (width + 8) as f32;
    let mut pb = PathBuilder::new();
    for (row, col, len) in code.runs() {
        if let Some(r) = Rect::from_xywh(
            x + (col + 4) as f32 * module,
            y + (row + 4) as f32 * module,
            len as f32 * module,
            module,
        ) {
            pb.push_rect(r);
        }
    }
    if let Some(path) = pb.finish() {
        surface.set_fill(Some(Fill::default()));
        surface.draw_path(&path);
    }
    Ok(())
}

/// Writes `text` with its baseline's left end at `(x, y)`.
pub(crate) fn text(surface: &mut Surface<'_>, x: f32, y: f32, size: f32, bold: bool, text: &str) {
    let font = if bold { &*BOLD } else { &*REGULAR };
    surface.set_fill(Some(Fill::default()));
    surface.draw_text(
        Point::from_xy(x, y),
        font.clone(),
        size,
        text,
        false,
        TextDirection::Auto,
    );
}

/// A package's label (001 §15.9), 100 × 50 mm: its lines of text (the first in bold), then the
/// Code 128 barcode of `code` with the code in digits beneath, for a keyboard-wedge reader.
pub fn label(code: &str, lines: &[&str]) -> Result<Vec<u8>, PrintError> {
    let modules = code128_modules(code)?;
    let (width, height) = (100.0 * MM, 50.0 * MM);
    let mut document = Document::new();
    let mut page = document.start_page_with(
        PageSettings::from_wh(width, height).ok_or_else(|| PrintError::Pdf("page".into()))?,
    );
    let mut surface = page.surface();
    let mut y = 6.0 * MM;
    for (i, line) in lines.iter().take(3).enumerate() {
        let size = if i == 0 { 11.0 } else { 8.5 };
        y += size * 1.25;
        text(&mut surface, 5.0 * MM, y, size, i == 0, line);
    }
    // Ten modules of quiet zone each side; the bars fill what is left, at least 0.25 mm each.
    let module = ((width - 10.0 * MM) / (modules.len() + 20) as f32).max(0.25 * MM);
    let left = (width - module * modules.len() as f32) / 2.0;
    let top = y + 3.0 * MM;
    let bar_height = 14.0 * MM;
    bars(&mut surface, &modules, left, top, module, bar_height);
    text(
        &mut surface,
        left,
        top + bar_height + 4.0 * MM,
        9.0,
        false,
        code,
    );
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| PrintError::Pdf(format!("{e:?}")))
}

/// A receipt to print (001 §15.5–6), its words already in the applicant's language.
#[derive(Debug, Clone)]
pub struct Receipt<'a> {
    /// "Құжаттарды қабылдау туралы қолхат", "Расписка об отказе в приёме документов".
    pub title: &'a str,
    /// Label and value: the application's number, the office, the employee, the date and time
    /// of the application, the date of issue.
    pub fields: &'a [(&'a str, &'a str)],
    /// The heading of the list, and its items: the documents accepted, or those missing.
    pub list_title: &'a str,
    pub items: &'a [&'a str],
    /// The sealed token the QR code carries, and the words beneath it (how to verify).
    pub seal: &'a str,
    pub seal_caption: &'a str,
    /// The link where the applicant rates the visit (001 §18) and the words beside its QR
    /// code, when there is one.
    pub rating: Option<(&'a str, &'a str)>,
}

/// Splits `s` into lines of at most `width` characters, at spaces where it can.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A receipt on an A4 page: its title, its fields, its numbered list, and the QR code of its
/// seal at the foot with the words on verifying it.
pub fn receipt(r: &Receipt<'_>) -> Result<Vec<u8>, PrintError> {
    let (width, height) = (210.0 * MM, 297.0 * MM);
    let mut document = Document::new();
    let mut page = document.start_page_with(
        PageSettings::from_wh(width, height).ok_or_else(|| PrintError::Pdf("page".into()))?,
    );
    let mut surface = page.surface();
    let left = 20.0 * MM;
    let mut y = 25.0 * MM;
    for line in wrap(r.title, 60) {
        text(&mut surface, left, y, 15.0, true, &line);
        y += 20.0;
    }
    y += 8.0;
    for (label, value) in r.fields {
        text(&mut surface, left, y, 10.0, true, label);
        for line in wrap(value, 50) {
            text(&mut surface, left + 62.0 * MM, y, 10.0, false, &line);
            y += 14.0;
        }
        y += 2.0;
    }
    y += 10.0;
    text(&mut surface, left, y, 11.0, true, r.list_title);
    y += 16.0;
    for (i, item) in r.items.iter().enumerate() {
        for (j, line) in wrap(item, 80).into_iter().enumerate() {
            let mark = if j == 0 {
                format!("{}.", i + 1)
            } else {
                String::new()
            };
            text(&mut surface, left, y, 10.0, false, &mark);
            text(&mut surface, left + 8.0 * MM, y, 10.0, false, &line);
            y += 14.0;
        }
    }
    let size = 45.0 * MM;
    let mut top = (height - 20.0 * MM - size).max(y + 10.0);
    if let Some((link, caption)) = r.rating {
        let small = 30.0 * MM;
        let rtop = (top - 8.0 * MM - small).max(y + 10.0);
        qr(&mut surface, link, left, rtop, small)?;
        let mut cy = rtop + 6.0 * MM;
        for line in wrap(caption, 70) {
            text(&mut surface, left + small + 5.0 * MM, cy, 9.0, false, &line);
            cy += 12.0;
        }
        top = top.max(rtop + small + 8.0 * MM);
    }
    qr(&mut surface, r.seal, left, top, size)?;
    let mut cy = top + 6.0 * MM;
    for line in wrap(r.seal_caption, 55) {
        text(&mut surface, left + size + 5.0 * MM, cy, 9.0, false, &line);
        cy += 12.0;
    }
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| PrintError::Pdf(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_at_the_end_go_in_pairs() {
        let a = code128_modules("QZ2612000000429").unwrap();
        let b = code128_modules("QZ2612000000428").unwrap();
        assert_ne!(a, b);
        // Start, data, check and stop symbols are 11 modules each, the stop 13.
        assert_eq!((a.len() - 13) % 11, 0, "{}", a.len());
        assert!(code128_modules("").is_err());
        assert!(code128_modules("Қ1").is_err());
    }

    #[test]
    fn long_words_wrap_at_spaces() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("", 6), Vec::<String>::new());
    }
}
