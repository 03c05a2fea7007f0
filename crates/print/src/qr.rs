//! QR codes (error correction M, 15 % of a code may be lost), encoded once here for every face
//! that shows one: the receipts' seal and rating link in PDFs, the kiosk's ticket and the
//! counter's tablet as SVG. `fast_qr` encodes: the `qrcode` crate spent 2–3 ms of a
//! receipt's 7 ms choosing the mask (BENCHMARKS.md, issue 19); this one takes a tenth of it.

use crate::PrintError;

/// The modules of an encoded QR code, without its quiet zone.
pub struct QrMatrix {
    code: fast_qr::QRCode,
}

impl QrMatrix {
    /// Encodes `text` as bytes at error correction M; too long a text is an error.
    pub fn encode(text: &str) -> Result<Self, PrintError> {
        fast_qr::QRBuilder::new(text.as_bytes())
            .ecl(fast_qr::ECL::M)
            .build()
            .map(|code| Self { code })
            .map_err(|e| PrintError::Qr(e.to_string()))
    }

    /// Modules on a side (21 for version 1 up to 177 for version 40).
    pub fn width(&self) -> usize {
        self.code.size
    }

    /// Whether the module at `(row, col)` is dark.
    fn dark(&self, row: usize, col: usize) -> bool {
        self.code.data[row * self.code.size + col].value()
    }

    /// The dark runs row by row: `(row, first column, length)`. Dark modules side by side are
    /// one rectangle: the same pixels in a third of the shapes.
    pub fn runs(&self) -> Vec<(usize, usize, usize)> {
        let width = self.width();
        let mut runs = vec![];
        for row in 0..width {
            let mut col = 0;
            while col < width {
                if !self.dark(row, col) {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < width && self.dark(row, col) {
                    col += 1;
                }
                runs.push((row, start, col - start));
            }
        }
        runs
    }

    /// The code as an inline SVG, `size` pixels on a side, dark on white with four modules of
    /// quiet zone on each side; edges kept crisp for scanners.
    pub fn svg(&self, size: u32) -> String {
        let side = self.width() + 8;
        let mut path = String::with_capacity(self.width() * self.width());
        for (row, col, len) in self.runs() {
            path.push_str(&format!("M{} {}h{len}v1h-{len}z", col + 4, row + 4));
        }
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="{size}" height="{size}" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_link_is_a_small_code_and_its_runs_cover_only_dark_modules() {
        let code = QrMatrix::encode("https://qyzmet.example/rate/QZT2.a0").unwrap();
        assert!((21..=41).contains(&code.width()), "width {}", code.width());
        let runs = code.runs();
        // The top-left finder pattern: a full dark row of seven modules first.
        assert_eq!(runs[0], (0, 0, 7));
        for (row, col, len) in runs {
            assert!((col..col + len).all(|c| code.dark(row, c)));
            assert!(col + len == code.width() || !code.dark(row, col + len));
        }
    }

    #[test]
    fn too_long_a_text_is_refused() {
        assert!(matches!(
            QrMatrix::encode(&"x".repeat(5000)),
            Err(PrintError::Qr(_))
        ));
    }

    #[test]
    fn the_svg_has_its_size_and_one_path() {
        let svg = QrMatrix::encode("QZR1.test").unwrap().svg(160);
        assert!(svg.contains(r#"width="160" height="160""#), "{svg}");
        assert_eq!(svg.matches("<path").count(), 1);
    }
}
