//! Files sent to a client, shared by the two HTTP faces (the API and the workstation): a
//! report or an annex as a download with its type and name, a PDF shown inline.

use crate::app::monitoring::reports::ReportFormat;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The bytes of a report file as a response: its content type and, but for JSON, a download
/// named `{stem}.{extension}`.
pub fn attachment(bytes: Vec<u8>, format: ReportFormat, stem: &str) -> Response {
    let mut response = (
        [(header::CONTENT_TYPE, format.content_type().to_string())],
        bytes,
    )
        .into_response();
    if format != ReportFormat::Json {
        let disposition = format!("attachment; filename=\"{stem}.{}\"", format.extension());
        if let Ok(v) = disposition.parse() {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, v);
        }
    }
    response
}

/// A PDF answered inline, named for saving.
pub fn pdf_response(pdf: Vec<u8>, name: &str) -> Response {
    let disposition = format!("inline; filename=\"{name}.pdf\"");
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        pdf,
    )
        .into_response()
}
