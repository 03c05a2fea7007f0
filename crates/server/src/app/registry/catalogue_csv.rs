//! The catalogue file as CSV (issue 17, point 2): one row per record, so that a ministry
//! edits documents and grounds in a spreadsheet, and read back to the same file losslessly.
//!
//! The `record` column says what a row is: `catalogue` (the format; `data` holds the time of
//! export), `organization`, `information_system`, `service`, `terms` (one row per term
//! variant of a version of a service's terms), `passport` (one row per version: its state,
//! first day and act, and in `data` the rest of the passport as JSON), `document` and `ground`
//! (one row each, in the order of the passport's lists). Rows of a service name it in
//! `service`, rows of a version its number in `version`. Lists within a cell (`channels`,
//! `depends_on`) are separated by `;`. Written as UTF-8 with a byte-order mark, which Excel
//! needs to read UTF-8; read with or without it.

use super::catalogue_file::{
    CatalogueFile, OrganizationEntry, Origins, PassportEntry, PassportOrigin, Problem,
    ServiceEntry, SystemEntry, TermsEntry, FORMAT,
};
use super::organizations::Names;
use super::services::TermView;
use crate::app::AppError;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The columns, in the order written.
pub const COLUMNS: [&str; 39] = [
    "record",
    "service",
    "version",
    "code",
    "parent",
    "kind",
    "bin",
    "organization",
    "name_kk",
    "name_ru",
    "name_en",
    "working_hours",
    "signature_policy",
    "operator",
    "acceptance_day_counted",
    "channels",
    "depends_on",
    "effective_from",
    "legal_basis",
    "amount",
    "unit",
    "state",
    "valid_from",
    "approving_act",
    "list",
    "form",
    "copies",
    "who_kk",
    "who_ru",
    "who_en",
    "from_system",
    "requirements_kk",
    "requirements_ru",
    "requirements_en",
    "text_kk",
    "text_ru",
    "text_en",
    "legal_reference",
    "data",
];

/// The passport's lists that have rows of their own.
const LISTS: [&str; 3] = ["documents", "suspension_grounds", "refusal_grounds"];

type Row = HashMap<&'static str, String>;

fn texts(row: &mut Row, prefix: &'static [&'static str; 3], t: &Value) {
    for (col, lang) in prefix.iter().zip(["kk", "ru", "en"]) {
        row.insert(*col, t[lang].as_str().unwrap_or_default().to_string());
    }
}

const NAME: [&str; 3] = ["name_kk", "name_ru", "name_en"];
const WHO: [&str; 3] = ["who_kk", "who_ru", "who_en"];
const REQUIREMENTS: [&str; 3] = ["requirements_kk", "requirements_ru", "requirements_en"];
const TEXT: [&str; 3] = ["text_kk", "text_ru", "text_en"];

fn names(row: &mut Row, n: &Names) {
    row.insert("name_kk", n.kk.clone());
    row.insert("name_ru", n.ru.clone());
    row.insert("name_en", n.en.clone());
}

fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "catalogue csv");
    AppError::internal()
}

/// The file as CSV.
pub fn write(file: &CatalogueFile) -> Result<Vec<u8>, AppError> {
    let mut rows: Vec<Row> = Vec::new();
    let row = |record: &str| -> Row { HashMap::from([("record", record.to_string())]) };
    let mut r = row("catalogue");
    r.insert("code", file.format.clone());
    r.insert("data", file.exported_at.clone().unwrap_or_default());
    rows.push(r);
    for o in &file.organizations {
        let mut r = row("organization");
        r.insert("code", o.code.clone());
        r.insert("parent", o.parent.clone().unwrap_or_default());
        r.insert("kind", o.kind.clone());
        r.insert("bin", o.bin.clone());
        names(&mut r, &o.name);
        r.insert("working_hours", o.working_hours.clone());
        r.insert(
            "signature_policy",
            o.signature_policy.clone().unwrap_or_default(),
        );
        rows.push(r);
    }
    for s in &file.information_systems {
        let mut r = row("information_system");
        r.insert("code", s.code.clone());
        names(&mut r, &s.name);
        r.insert("operator", s.operator.clone());
        rows.push(r);
    }
    for s in &file.services {
        let mut r = row("service");
        r.insert("service", s.code.clone());
        r.insert("organization", s.organization.clone());
        names(&mut r, &s.name);
        r.insert(
            "acceptance_day_counted",
            s.acceptance_day_counted.to_string(),
        );
        r.insert("channels", s.channels.join(";"));
        r.insert("depends_on", s.depends_on.join(";"));
        rows.push(r);
        for t in &s.terms {
            for v in &t.variants {
                let mut r = row("terms");
                r.insert("service", s.code.clone());
                r.insert("version", t.version.to_string());
                r.insert("effective_from", t.effective_from.clone());
                r.insert("legal_basis", t.legal_basis.clone());
                r.insert("code", v.variant.clone());
                r.insert("amount", v.amount.to_string());
                r.insert("unit", v.unit.clone());
                if let Some(n) = &v.name {
                    names(&mut r, n);
                }
                rows.push(r);
            }
        }
        for p in &s.passports {
            let mut body = serde_json::to_value(&p.passport).map_err(internal)?;
            let lists: Vec<Value> = LISTS
                .iter()
                .map(|l| body.as_object_mut().and_then(|m| m.remove(*l)))
                .map(Option::unwrap_or_default)
                .collect();
            let mut r = row("passport");
            r.insert("service", s.code.clone());
            r.insert("version", p.version.to_string());
            r.insert("state", p.state.clone());
            r.insert("valid_from", p.valid_from.clone().unwrap_or_default());
            r.insert("approving_act", p.approving_act.clone());
            r.insert("data", body.to_string());
            rows.push(r);
            let child = |record: &str| {
                let mut r = row(record);
                r.insert("service", s.code.clone());
                r.insert("version", p.version.to_string());
                r
            };
            for d in lists[0].as_array().into_iter().flatten() {
                let mut r = child("document");
                r.insert("code", d["code"].as_str().unwrap_or_default().into());
                texts(&mut r, &NAME, &d["name"]);
                r.insert("form", d["form"].as_str().unwrap_or_default().into());
                r.insert("copies", d["copies"].to_string());
                texts(&mut r, &WHO, &d["who"]);
                r.insert(
                    "from_system",
                    d["from_system"].as_str().unwrap_or_default().into(),
                );
                texts(&mut r, &REQUIREMENTS, &d["requirements"]);
                rows.push(r);
            }
            for (list, grounds) in [("suspension", &lists[1]), ("refusal", &lists[2])] {
                for g in grounds.as_array().into_iter().flatten() {
                    let mut r = child("ground");
                    r.insert("list", list.into());
                    r.insert("code", g["code"].as_str().unwrap_or_default().into());
                    texts(&mut r, &TEXT, &g["text"]);
                    r.insert(
                        "legal_reference",
                        g["legal_reference"].as_str().unwrap_or_default().into(),
                    );
                    rows.push(r);
                }
            }
        }
    }
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(COLUMNS).map_err(internal)?;
        for r in &rows {
            w.write_record(COLUMNS.iter().map(|c| r.get(c).map_or("", String::as_str)))
                .map_err(internal)?;
        }
        w.flush().map_err(internal)?;
    }
    Ok(out)
}

/// A row as read: its number as a spreadsheet shows it (the header is row 1) and its cells.
struct Read {
    at: String,
    cells: HashMap<String, String>,
}

impl Read {
    fn get(&self, column: &str) -> &str {
        self.cells.get(column).map_or("", |s| s.as_str())
    }

    fn opt(&self, column: &str) -> Option<String> {
        Some(self.get(column).to_string()).filter(|s| !s.is_empty())
    }

    fn names(&self, prefix: &str) -> Names {
        Names {
            kk: self.get(&format!("{prefix}_kk")).into(),
            ru: self.get(&format!("{prefix}_ru")).into(),
            en: self.get(&format!("{prefix}_en")).into(),
        }
    }

    fn texts(&self, prefix: &str) -> Value {
        let n = self.names(prefix);
        json!({"kk": n.kk, "ru": n.ru, "en": n.en})
    }

    fn problem(&self, field: &str, code: &str) -> Problem {
        Problem::new(self.at.clone(), AppError::invalid(field, code))
    }

    fn number(&self, field: &str) -> Result<i64, Problem> {
        self.get(field).trim().parse().map_err(|_| {
            Problem::new(
                self.at.clone(),
                AppError::invalid(field, "invalid_value").arg("detail", self.get(field)),
            )
        })
    }
}

fn split(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads a CSV into the file and where each of its records is; or every problem found.
pub fn read(bytes: &[u8]) -> Result<(CatalogueFile, Origins), Vec<Problem>> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let malformed = |at: String, e: csv::Error| {
        Problem::new(
            at,
            AppError::rejected("malformed_csv").arg("detail", e.to_string()),
        )
    };
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => return Err(vec![malformed("row 1".into(), e)]),
    };
    let mut problems = Vec::new();
    for c in &header {
        if !COLUMNS.contains(&c.as_str()) {
            problems.push(Problem::new(
                "row 1",
                AppError::invalid(c.clone(), "csv_column_unknown"),
            ));
        }
    }
    if !header.iter().any(|c| c == "record") {
        problems.push(Problem::new(
            "row 1",
            AppError::invalid("record", "required"),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let at = format!("row {}", i + 2);
        match rec {
            Ok(rec) => rows.push(Read {
                at,
                cells: header
                    .iter()
                    .cloned()
                    .zip(rec.iter().map(str::to_string))
                    .collect(),
            }),
            Err(e) => problems.push(malformed(at, e)),
        }
    }
    let mut file = CatalogueFile {
        format: String::new(),
        exported_at: None,
        organizations: vec![],
        information_systems: vec![],
        services: vec![],
    };
    let mut origins = Origins::default();
    let mut services: HashMap<String, usize> = HashMap::new();
    // Organizations, systems and services first: the other rows name them.
    for r in &rows {
        match r.get("record") {
            "catalogue" => {
                file.format = r.get("code").to_string();
                file.exported_at = r.opt("data");
            }
            "organization" => {
                origins.organizations.push(r.at.clone());
                file.organizations.push(OrganizationEntry {
                    code: r.get("code").into(),
                    parent: r.opt("parent"),
                    kind: r.get("kind").into(),
                    bin: r.get("bin").into(),
                    name: r.names("name"),
                    working_hours: r.get("working_hours").into(),
                    signature_policy: r.opt("signature_policy"),
                });
            }
            "information_system" => {
                origins.systems.push(r.at.clone());
                file.information_systems.push(SystemEntry {
                    code: r.get("code").into(),
                    name: r.names("name"),
                    operator: r.get("operator").into(),
                });
            }
            "service" => {
                let adc = match r.get("acceptance_day_counted").trim() {
                    "true" | "1" => true,
                    "false" | "0" | "" => false,
                    other => {
                        problems.push(Problem::new(
                            r.at.clone(),
                            AppError::invalid("acceptance_day_counted", "invalid_value")
                                .arg("detail", other),
                        ));
                        continue;
                    }
                };
                services.insert(r.get("service").to_string(), file.services.len());
                origins.services.push(r.at.clone());
                origins.terms.push(vec![]);
                origins.passports.push(vec![]);
                file.services.push(ServiceEntry {
                    code: r.get("service").into(),
                    organization: r.get("organization").into(),
                    name: r.names("name"),
                    acceptance_day_counted: adc,
                    channels: split(r.get("channels")),
                    depends_on: split(r.get("depends_on")),
                    terms: vec![],
                    passports: vec![],
                });
            }
            "terms" | "passport" | "document" | "ground" => {}
            _ => problems.push(r.problem("record", "csv_record_unknown")),
        }
    }
    // Each passport's body as JSON, its lists filled from their rows.
    let mut bodies: Vec<Vec<Map<String, Value>>> = vec![vec![]; file.services.len()];
    let mut versions: HashMap<(usize, i64), usize> = HashMap::new();
    for r in &rows {
        let kind = r.get("record");
        if !matches!(kind, "terms" | "passport" | "document" | "ground") {
            continue;
        }
        let Some(&i) = services.get(r.get("service")) else {
            problems.push(r.problem("service", "unknown_service"));
            continue;
        };
        let version = match r.number("version") {
            Ok(v) => v,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let s = &mut file.services[i];
        match kind {
            "terms" => {
                let amount = match r.number("amount") {
                    Ok(a) => a,
                    Err(p) => {
                        problems.push(p);
                        continue;
                    }
                };
                let name = r.names("name");
                let variant = TermView {
                    variant: r.get("code").into(),
                    amount,
                    unit: r.get("unit").into(),
                    name: (!(name.kk.is_empty() && name.ru.is_empty() && name.en.is_empty()))
                        .then_some(name),
                };
                match s.terms.iter_mut().find(|t| t.version == version) {
                    Some(t) => t.variants.push(variant),
                    None => {
                        origins.terms[i].push(r.at.clone());
                        s.terms.push(TermsEntry {
                            version,
                            effective_from: r.get("effective_from").into(),
                            legal_basis: r.get("legal_basis").into(),
                            variants: vec![variant],
                        });
                    }
                }
            }
            "passport" => {
                let data = match r.get("data").trim() {
                    "" => Ok(Value::Object(Map::new())),
                    d => serde_json::from_str::<Value>(d),
                };
                let Ok(Value::Object(body)) = data else {
                    problems.push(r.problem("data", "csv_data_invalid"));
                    continue;
                };
                if versions.insert((i, version), s.passports.len()).is_some() {
                    problems.push(r.problem("version", "duplicate"));
                    continue;
                }
                origins.passports[i].push(PassportOrigin {
                    at: r.at.clone(),
                    csv: true,
                    ..Default::default()
                });
                bodies[i].push(body);
                s.passports.push(PassportEntry {
                    version,
                    state: r.get("state").into(),
                    valid_from: r.opt("valid_from"),
                    approving_act: r.get("approving_act").into(),
                    // Filled from the body once every row is read.
                    passport: Default::default(),
                });
            }
            _ => {
                let Some(&j) = versions.get(&(i, version)) else {
                    problems.push(r.problem("version", "csv_passport_row_missing"));
                    continue;
                };
                let origin = &mut origins.passports[i][j];
                let (list, item) = if kind == "document" {
                    let copies = r.get("copies").trim();
                    let mut d = json!({"code": r.get("code"), "name": r.texts("name"),
                        "who": r.texts("who"), "requirements": r.texts("requirements"),
                        "from_system": r.opt("from_system")});
                    if !r.get("form").is_empty() {
                        d["form"] = json!(r.get("form"));
                    }
                    if !copies.is_empty() {
                        d["copies"] = copies
                            .parse::<u64>()
                            .map_or_else(|_| json!(copies), |n| json!(n));
                    }
                    origin.documents.push(r.at.clone());
                    ("documents", d)
                } else {
                    let list = match r.get("list") {
                        "suspension" => {
                            origin.suspension_grounds.push(r.at.clone());
                            "suspension_grounds"
                        }
                        "refusal" => {
                            origin.refusal_grounds.push(r.at.clone());
                            "refusal_grounds"
                        }
                        _ => {
                            problems.push(r.problem("list", "csv_ground_list_unknown"));
                            continue;
                        }
                    };
                    let g = json!({"code": r.get("code"), "text": r.texts("text"),
                        "legal_reference": r.get("legal_reference")});
                    (list, g)
                };
                let body = &mut bodies[i][j];
                match body.entry(list).or_insert_with(|| json!([])) {
                    Value::Array(a) => a.push(item),
                    other => *other = json!([item]),
                }
            }
        }
    }
    for (i, s) in file.services.iter_mut().enumerate() {
        for (j, p) in s.passports.iter_mut().enumerate() {
            let mut body = std::mem::take(&mut bodies[i][j]);
            for l in LISTS {
                body.entry(l).or_insert_with(|| json!([]));
            }
            match serde_path_to_error::deserialize(Value::Object(body)) {
                Ok(passport) => p.passport = passport,
                Err(e) => {
                    let path = e.path().to_string();
                    let detail = e.into_inner().to_string();
                    let origin = &origins.passports[i][j];
                    let (at, column) = if path == "." {
                        (origin.at.clone(), "data".to_string())
                    } else {
                        origin.locate(&path)
                    };
                    let err = match detail
                        .strip_prefix("missing field `")
                        .and_then(|r| r.split('`').next())
                    {
                        Some(name) if column.is_empty() => AppError::invalid(name, "required"),
                        Some(name) => AppError::invalid(format!("{column}.{name}"), "required"),
                        None => AppError::invalid(column, "invalid_value").arg("detail", detail),
                    };
                    problems.push(Problem::new(at, err));
                }
            }
        }
    }
    if file.format.is_empty() {
        problems.insert(
            0,
            Problem::new(
                "row 2",
                AppError::invalid("record", "csv_catalogue_row_missing").arg("format", FORMAT),
            ),
        );
    }
    if problems.is_empty() {
        Ok((file, origins))
    } else {
        Err(problems)
    }
}
