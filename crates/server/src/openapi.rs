//! The OpenAPI 3 description of the provider API and a self-contained docs page (no
//! external scripts: government networks are often closed).

use crate::api;
use axum::response::Html;
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "qyzmet provider API", version = "1", description = "Monitoring of public-service delivery: \
        registration of applications, stage events (000 §6), outages (000 §12), the production calendar. \
        Errors are {\"error\": {code, message, field}} with the message in the Accept-Language (kk, ru, en)."),
    paths(
        api::registry::create_organization, api::registry::list_organizations,
        api::registry::update_organization, api::registry::show_organization,
        api::registry::create_service, api::registry::list_services, api::registry::change_terms,
        api::applications::register, api::applications::show, api::applications::list,
        api::events::post_one, api::events::post_batch,
        api::outages::create, api::outages::list, api::outages::update,
        api::calendar::entries, api::calendar::deadline, api::calendar::put_entry, api::calendar::delete_entry,
        api::reports::violations, api::reports::versions, api::reports::generate,
        api::reports::compare, api::reports::applications,
        api::quality::post_feedback, api::quality::show, api::quality::set_target,
    ),
    modifiers(&BearerAuth),
    tags((name = "registry"), (name = "applications"), (name = "events"), (name = "outages"), (name = "calendar"), (name = "reports"), (name = "quality"))
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A readable page of the endpoints, their parameters and responses, from the same document.
pub async fn docs_page() -> Html<String> {
    let doc = ApiDoc::openapi();
    let mut body = String::new();
    for (path, item) in doc.paths.paths.iter() {
        let ops = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            body.push_str(&format!(
                "<section><h2><span class=m>{method}</span> <code>{}</code></h2>",
                escape(path)
            ));
            if let Some(s) = &op.summary {
                body.push_str(&format!("<p>{}</p>", escape(s)));
            }
            if let Some(d) = &op.description {
                body.push_str(&format!("<p>{}</p>", escape(d)));
            }
            if let Some(params) = &op.parameters {
                body.push_str("<table><tr><th>parameter</th><th>in</th><th>description</th></tr>");
                for p in params {
                    body.push_str(&format!(
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                        escape(&p.name),
                        match p.parameter_in {
                            utoipa::openapi::path::ParameterIn::Path => "path",
                            utoipa::openapi::path::ParameterIn::Query => "query",
                            utoipa::openapi::path::ParameterIn::Header => "header",
                            utoipa::openapi::path::ParameterIn::Cookie => "cookie",
                        },
                        escape(p.description.as_deref().unwrap_or(""))
                    ));
                }
                body.push_str("</table>");
            }
            body.push_str("<ul>");
            for (status, resp) in op.responses.responses.iter() {
                let desc = match resp {
                    utoipa::openapi::RefOr::T(r) => r.description.clone(),
                    utoipa::openapi::RefOr::Ref(r) => r.ref_location.clone(),
                };
                body.push_str(&format!(
                    "<li><b>{}</b> {}</li>",
                    escape(status),
                    escape(&desc)
                ));
            }
            body.push_str("</ul></section>");
        }
    }
    Html(format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>qyzmet API</title>\
         <style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}\
         section{{border-top:1px solid #ccc;padding:.5rem 0}}.m{{background:#124;color:#fff;padding:0 .4rem;border-radius:3px}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}}</style></head>\
         <body><h1>qyzmet provider API v1</h1><p>Machine-readable: <a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI 3). \
         Authenticate with <code>Authorization: Bearer &lt;token&gt;</code>; choose the language of error messages with \
         <code>Accept-Language: kk | ru | en</code>.</p>{body}</body></html>"
    ))
}
