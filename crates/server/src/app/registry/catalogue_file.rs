//! The catalogue file's shape (issue 17, point 2): what an export writes and an import reads
//! (JSON; `catalogue_csv` maps it to rows), where each record was found, and a problem of one.
//! Read by `catalogue_io` (export, import), `catalogue_csv` and `catalogue_check`.

use super::organizations::Names;
use super::services::TermView;
use crate::app::AppError;
use qyzmet_domain::passport::Passport;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The format this version writes and reads.
pub const FORMAT: &str = "qyzmet-catalogue/1";

/// The largest file an import reads (the API's limit on its body).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// A catalogue file.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFile {
    /// `qyzmet-catalogue/1`.
    #[schema(pattern = "^qyzmet-catalogue/1$")]
    pub format: String,
    /// When it was exported (not read by an import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<String>,
    /// Parents before their children.
    #[serde(default)]
    pub organizations: Vec<OrganizationEntry>,
    #[serde(default)]
    pub information_systems: Vec<SystemEntry>,
    #[serde(default)]
    pub services: Vec<ServiceEntry>,
}

/// An organization of the catalogue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationEntry {
    #[schema(schema_with = crate::app::schema::code)]
    pub code: String,
    #[serde(default)]
    #[schema(schema_with = crate::app::schema::opt_code)]
    pub parent: Option<String>,
    #[schema(schema_with = crate::app::schema::org_kind)]
    pub kind: String,
    #[schema(pattern = "^[0-9]{12}$")]
    pub bin: String,
    pub name: Names,
    /// e.g. "09:00-18:30".
    pub working_hours: String,
    /// `required`, `optional` (the default) or `off`.
    #[serde(default)]
    pub signature_policy: Option<String>,
}

/// An information system of the catalogue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemEntry {
    pub code: String,
    pub name: Names,
    #[serde(default)]
    pub operator: String,
}

/// A service of the catalogue with its versions.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceEntry {
    #[schema(schema_with = crate::app::schema::code)]
    pub code: String,
    #[schema(schema_with = crate::app::schema::code)]
    pub organization: String,
    pub name: Names,
    #[serde(default)]
    pub acceptance_day_counted: bool,
    #[schema(schema_with = crate::app::schema::channels)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// Every version of its terms, 1, 2, … in order.
    #[schema(min_items = 1)]
    pub terms: Vec<TermsEntry>,
    /// Every version of its passport in order: the published ones, then the draft if any.
    #[serde(default)]
    pub passports: Vec<PassportEntry>,
}

/// A version of a service's terms.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsEntry {
    #[schema(minimum = 1)]
    pub version: i64,
    #[schema(format = Date)]
    pub effective_from: String,
    #[serde(default)]
    pub legal_basis: String,
    #[schema(min_items = 1)]
    pub variants: Vec<TermView>,
}

/// A version of a service's passport.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PassportEntry {
    #[schema(minimum = 1)]
    pub version: i64,
    /// `published` or `draft`.
    #[schema(pattern = "^(draft|published)$")]
    pub state: String,
    /// The first day in force (published versions).
    #[serde(default)]
    #[schema(format = Date)]
    pub valid_from: Option<String>,
    /// The act that approved it (published versions).
    #[serde(default)]
    pub approving_act: String,
    pub passport: Passport,
}

/// Where each record of a file is, as its reader names it: a JSON path or a CSV row; and,
/// for a CSV, where each document and ground of a passport is.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    pub organizations: Vec<String>,
    pub systems: Vec<String>,
    pub services: Vec<String>,
    pub terms: Vec<Vec<String>>,
    pub passports: Vec<Vec<PassportOrigin>>,
}

/// Where a passport version is, and (CSV) the rows of its documents and grounds.
#[derive(Debug, Clone, Default)]
pub struct PassportOrigin {
    pub at: String,
    /// A CSV's: the rest of the passport is its row's `data` column.
    pub csv: bool,
    pub documents: Vec<String>,
    pub suspension_grounds: Vec<String>,
    pub refusal_grounds: Vec<String>,
}

impl PassportOrigin {
    /// Where a problem of the passport at `field` (`documents[2].name.kk`) is, and the field
    /// there: for a CSV, the row of that document and its column (`name_kk`); else the
    /// version's place and `passport.` + the path.
    pub fn locate(&self, field: &str) -> (String, String) {
        for (list, rows) in [
            ("documents", &self.documents),
            ("suspension_grounds", &self.suspension_grounds),
            ("refusal_grounds", &self.refusal_grounds),
        ] {
            let Some(rest) = field.strip_prefix(list).and_then(|r| r.strip_prefix('[')) else {
                continue;
            };
            let Some((i, rest)) = rest.split_once(']') else {
                continue;
            };
            if let Some(row) = i.parse::<usize>().ok().and_then(|i| rows.get(i)) {
                let column = rest.trim_start_matches('.').replace('.', "_");
                return (row.clone(), column);
            }
        }
        let prefix = if self.csv { "data" } else { "passport" };
        (self.at.clone(), format!("{prefix}.{field}"))
    }
}

impl Origins {
    /// The JSON paths of a file's records.
    pub fn json(file: &CatalogueFile) -> Origins {
        let services = &file.services;
        Origins {
            organizations: (0..file.organizations.len())
                .map(|i| format!("organizations[{i}]"))
                .collect(),
            systems: (0..file.information_systems.len())
                .map(|i| format!("information_systems[{i}]"))
                .collect(),
            services: (0..services.len())
                .map(|i| format!("services[{i}]"))
                .collect(),
            terms: services
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    (0..s.terms.len())
                        .map(|j| format!("services[{i}].terms[{j}]"))
                        .collect()
                })
                .collect(),
            passports: services
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    (0..s.passports.len())
                        .map(|j| PassportOrigin {
                            at: format!("services[{i}].passports[{j}]"),
                            ..Default::default()
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// One problem of an import: where (a JSON path or a CSV row) and the refusal (its field,
/// code and message arguments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: String,
    pub error: AppError,
}

impl Problem {
    pub fn new(at: impl Into<String>, error: AppError) -> Self {
        Problem {
            at: at.into(),
            error,
        }
    }
}
