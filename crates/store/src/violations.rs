//! The monthly violations report (000 §12). Its figures are kept per *cell*: an executing
//! organization and a service. Every view of the report — an organization's own figures, its
//! total over its sub-tree, a service's figures, any caller's sub-tree — is a sum of cells.
//!
//! [`Store::violation_cells`] reads a month that is over from its rollups (ADR 0009,
//! [`crate::rollup`]): the counts of due and on-time applications per cell, and the month's
//! other applications judged one by one by [`qyzmet_domain::violation::judge`] as of the
//! report's moment. [`Store::violation_cells_from_applications`] judges every application of
//! the month instead: the reference computation, which tests and the benchmark hold the
//! rollups to, and the way a month still in progress is computed. Either way an application
//! whose history was amended (a suspension, a resumption, another executor) is replayed up to
//! the report's moment and judged as it stood then ([`crate::amended`]).
//!
//! Reports are stored as versions (migration 0007): a generation whose cells differ from the
//! month's latest version is its next version; one that changes nothing stores nothing.
//! Versions are immutable. A revision recomputes a month as of its first version's moment, so
//! only what was late — events recorded afterwards about before, outages registered late —
//! makes a new version, not the passing of time.

use crate::amended::{load_amended, AsOf, Replay, AMENDED_LISTED, AMENDED_REFERENCE, NOT_AMENDED};
use crate::convert::{date, keys_query, ts, us};
use crate::error::{Result, StoreError};
use crate::models::{LocalizedName, Organization, Service};
use crate::{read_snapshot, with_db, Store};
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::ids::{OrgCode, ServiceCode};
use qyzmet_domain::violation::{judge, verdict, Case, Figures, Month, Outage, Verdict};
use qyzmet_domain::zone::{almaty, local_date};
use qyzmet_domain::ProductionCalendar;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// The violations report of a month as of a moment, over a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationsReport {
    pub month: Month,
    pub as_of: Timestamp,
    /// Every organization of the scope, in tree order (a parent before its children).
    pub organizations: Vec<OrganizationFigures>,
    /// Every service with an application due in the month in the scope, by code.
    pub services: Vec<ServiceFigures>,
    /// The stored version this is; `None` when computed on request.
    pub stored: Option<StoredVersion>,
}

/// An organization's row: the applications it executes itself, and with its sub-tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationFigures {
    pub code: OrgCode,
    /// Its name, for the files people read beside the code.
    pub name: LocalizedName,
    pub parent: Option<OrgCode>,
    pub path: String,
    pub own: Figures,
    pub total: Figures,
}

/// A service's row: its applications executed in the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFigures {
    pub code: ServiceCode,
    /// Its name, for the files people read beside the code.
    pub name: LocalizedName,
    pub figures: Figures,
}

/// The figures of the applications one organization executes of one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportCell {
    pub org_id: i64,
    pub service_id: i64,
    pub figures: Figures,
}

/// A stored version of a month's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVersion {
    pub month: Month,
    pub version: i64,
    pub as_of: Timestamp,
    pub generated_at: Timestamp,
    /// `schedule` (the job of the 1st), `demand` (asked for) or `revision` (late data).
    pub cause: String,
    /// `node:…` for the job, the actor for a demand.
    pub generated_by: String,
    /// When the month's first version was generated: the report's delivery.
    pub delivered_at: Timestamp,
}

/// A cell as stored: by codes, so a version reads the same whatever ids the rows have.
#[derive(Debug, Serialize, Deserialize)]
struct StoredCell {
    organization: String,
    service: String,
    figures: Figures,
}

/// The page size of the registry reads.
const PAGE: i64 = 500;

/// Every item of a registry list read in pages of [`PAGE`] by ascending id.
async fn every_page<T, Fut>(
    mut page: impl FnMut(i64) -> Fut,
    id: impl Fn(&T) -> i64,
) -> Result<Vec<T>>
where
    Fut: std::future::Future<Output = Result<Vec<T>>>,
{
    let mut all = vec![];
    let mut after = 0;
    loop {
        let items = page(after).await?;
        let full = items.len() as i64 == PAGE;
        if let Some(last) = items.last() {
            after = id(last);
        }
        all.extend(items);
        if !full {
            return Ok(all);
        }
    }
}

/// The columns of an application the report judges (`a`: applications).
pub(crate) const CASE_COLUMNS: &str = "a.exec_org_id, a.service_id, a.planned_date, \
    a.deadline, a.effective_acceptance, a.actual_completion, a.suspended";

/// What the report reads of an application ([`CASE_COLUMNS`]).
#[derive(sqlx::FromRow)]
pub(crate) struct CaseRow {
    pub exec_org_id: i64,
    pub service_id: i64,
    planned_date: String,
    deadline: i64,
    effective_acceptance: i64,
    actual_completion: Option<i64>,
    suspended: bool,
}

impl CaseRow {
    /// The application as the domain judges it, its service depending on `depends_on`.
    pub(crate) fn case(&self, depends_on: &[String]) -> Result<Case> {
        Ok(Case {
            planned_date: date("planned_date", &self.planned_date)?,
            deadline: ts("deadline", self.deadline)?,
            effective_acceptance: ts("effective_acceptance", self.effective_acceptance)?,
            completed_at: self
                .actual_completion
                .map(|c| ts("actual_completion", c))
                .transpose()?,
            depends_on: depends_on.to_vec(),
            suspended: self.suspended,
        })
    }
}

/// An application behind a figure of the report, judged as of the report's moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgedApplication {
    pub number: i64,
    pub exec_org_id: i64,
    pub service_id: i64,
    pub planned_date: Date,
    pub deadline: Timestamp,
    pub completed_at: Option<Timestamp>,
    pub verdict: Verdict,
    /// `iin` or `bin`, the number, surname, name, patronymic.
    pub applicant: (String, String, String, String, Option<String>),
}

/// The applicant columns of a figure's application (`a`: applications).
const APPLICANT_COLUMNS: &str = "a.number, a.applicant_kind, a.applicant_id, a.last_name, \
    a.first_name, a.middle_name";

#[derive(sqlx::FromRow)]
struct ApplicantRow {
    number: i64,
    applicant_kind: String,
    applicant_id: String,
    last_name: String,
    first_name: String,
    middle_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct DrillRow {
    #[sqlx(flatten)]
    case: CaseRow,
    #[sqlx(flatten)]
    applicant: ApplicantRow,
}

/// An application behind a figure, judged as of `as_of`.
fn judged(
    a: ApplicantRow,
    exec_org_id: i64,
    service_id: i64,
    case: &Case,
    as_of: Timestamp,
    outages: &[Outage],
) -> JudgedApplication {
    JudgedApplication {
        number: a.number,
        exec_org_id,
        service_id,
        planned_date: case.planned_date,
        deadline: case.deadline,
        completed_at: case.completed_at.filter(|c| *c <= as_of),
        verdict: verdict(case, as_of, outages),
        applicant: (
            a.applicant_kind,
            a.applicant_id,
            a.last_name,
            a.first_name,
            a.middle_name,
        ),
    }
}

/// The month's bounds, each service's dependencies and the outages that may touch it, and
/// what replaying amended applications needs (`crate::amended`).
struct Judging {
    from: Timestamp,
    to: Timestamp,
    depends: HashMap<i64, Vec<String>>,
    outages: Vec<Outage>,
    calendar: ProductionCalendar,
    /// Every organization's key by code, and its path by key.
    org_ids: HashMap<String, i64>,
    org_paths: HashMap<i64, String>,
}

impl Judging {
    fn replay(&self) -> Replay<'_> {
        Replay {
            calendar: &self.calendar,
            depends: &self.depends,
            org_ids: &self.org_ids,
        }
    }
}

/// Counts amended applications as they stood at `as_of` into `cells`: those whose deadline
/// then fell in `month`, under their executor then.
fn count_amended(
    cells: &mut BTreeMap<(i64, i64), Figures>,
    amended: &[AsOf],
    month: Month,
    as_of: Timestamp,
    outages: &[Outage],
) {
    for a in amended {
        if let Some(verdict) = judge(&a.case, month, as_of, outages) {
            cells
                .entry((a.exec_org_id, a.service_id))
                .or_default()
                .count(&verdict);
        }
    }
}

/// A row of `violation_rollups`: executing organization, service, due, on time.
type RollupRow = (i64, i64, i64, i64);

/// Cells keyed by (organization, service), as a list in that order.
fn into_cells(cells: BTreeMap<(i64, i64), Figures>) -> Vec<ReportCell> {
    cells
        .into_iter()
        .map(|((org_id, service_id), figures)| ReportCell {
            org_id,
            service_id,
            figures,
        })
        .collect()
}

/// The instant a local date begins in Asia/Almaty.
fn start_of(date: Date) -> Result<Timestamp> {
    date.to_zoned(almaty().clone())
        .map(|z| z.timestamp())
        .map_err(|e| StoreError::Corrupt {
            column: "month",
            detail: e.to_string(),
        })
}

impl Store {
    /// The violations report of `month` as of `as_of`, computed now from the applications,
    /// over the applications executed in the sub-tree `within` (all when `None`).
    #[tracing::instrument(skip_all, fields(month = %month))]
    pub async fn violations_report(
        &self,
        month: Month,
        as_of: Timestamp,
        within: Option<&str>,
    ) -> Result<ViolationsReport> {
        let cells = self.violation_cells(month, as_of).await?;
        self.assemble(month, as_of, &cells, within, None).await
    }

    /// What judging `month` needs besides its applications.
    async fn judging(&self, month: Month) -> Result<Judging> {
        let from = start_of(month.first_day())?;
        let to = start_of(month.end())?;
        let depends = self
            .every_service()
            .await?
            .into_iter()
            .map(|s| (s.id, s.depends_on))
            .collect();
        let outages = self.outages_before(to).await?;
        let entries = self.calendar_entries().await?;
        let calendar = if entries.is_empty() {
            ProductionCalendar::kazakhstan()
        } else {
            ProductionCalendar::new(entries)
        };
        let orgs = self.every_organization(None).await?;
        Ok(Judging {
            from,
            to,
            depends,
            outages,
            calendar,
            org_ids: orgs.iter().map(|o| (o.code.to_string(), o.id)).collect(),
            org_paths: orgs.into_iter().map(|o| (o.id, o.path)).collect(),
        })
    }

    /// The cells of `month` as of `as_of`. Once the month is over (`as_of` at or after its
    /// end) they are read from the rollups (ADR 0009, `crate::rollup`): the counts of due
    /// and on-time applications, and the month's other applications judged one by one.
    /// Before, from every application of the month
    /// ([`Store::violation_cells_from_applications`]).
    #[tracing::instrument(skip_all, fields(month = %month))]
    pub async fn violation_cells(&self, month: Month, as_of: Timestamp) -> Result<Vec<ReportCell>> {
        let judging = self.judging(month).await?;
        if as_of >= judging.to {
            self.rolled_up_cells(month, as_of, &judging).await
        } else {
            self.judged_cells(month, as_of, &judging).await
        }
    }

    /// The reference computation of the cells of `month` as of `as_of`: every application
    /// whose deadline falls in the month, judged one by one. Tests and the benchmark hold
    /// the rollups to it.
    pub async fn violation_cells_from_applications(
        &self,
        month: Month,
        as_of: Timestamp,
    ) -> Result<Vec<ReportCell>> {
        let judging = self.judging(month).await?;
        self.judged_cells(month, as_of, &judging).await
    }

    async fn judged_cells(
        &self,
        month: Month,
        as_of: Timestamp,
        judging: &Judging,
    ) -> Result<Vec<ReportCell>> {
        let postgres = self.backend_name() == "postgres";
        let (rows, amended): (Vec<CaseRow>, _) = with_db!(self, |read, _write| {
            let mut tx = read_snapshot!(read, postgres);
            let rows = sqlx::query_as(&format!(
                "SELECT {CASE_COLUMNS} FROM applications a \
                 WHERE a.deadline >= $1 AND a.deadline < $2 AND {NOT_AMENDED}"
            ))
            .bind(us(judging.from))
            .bind(us(judging.to))
            .fetch_all(&mut *tx)
            .await?;
            let ids: Vec<i64> = sqlx::query_scalar(AMENDED_REFERENCE)
                .bind(us(judging.from))
                .bind(us(judging.to))
                .fetch_all(&mut *tx)
                .await?;
            let amended = load_amended!(tx, &ids)?;
            tx.commit().await?;
            (rows, amended)
        });
        let amended = judging.replay().as_of(amended.0, amended.1, as_of)?;
        let mut cells: BTreeMap<(i64, i64), Figures> = BTreeMap::new();
        count_amended(&mut cells, &amended, month, as_of, &judging.outages);
        let none = vec![];
        for row in rows {
            let case = row.case(judging.depends.get(&row.service_id).unwrap_or(&none))?;
            if let Some(verdict) = judge(&case, month, as_of, &judging.outages) {
                cells
                    .entry((row.exec_org_id, row.service_id))
                    .or_default()
                    .count(&verdict);
            }
        }
        Ok(into_cells(cells))
    }

    /// The cells of a month that is over, from its rollups: the rows of due and on-time
    /// counts, and its cases judged as of `as_of` — read in one snapshot.
    async fn rolled_up_cells(
        &self,
        month: Month,
        as_of: Timestamp,
        judging: &Judging,
    ) -> Result<Vec<ReportCell>> {
        let postgres = self.backend_name() == "postgres";
        let month_text = month.to_string();
        let (counts, cases, amended): (Vec<RollupRow>, Vec<CaseRow>, _) =
            with_db!(self, |read, _write| {
                let mut tx = read_snapshot!(read, postgres);
                let counts = sqlx::query_as(
                    "SELECT exec_org_id, service_id, due, on_time FROM violation_rollups \
                     WHERE month = $1 AND due <> 0",
                )
                .bind(&month_text)
                .fetch_all(&mut *tx)
                .await?;
                let cases = sqlx::query_as(&format!(
                    "SELECT {CASE_COLUMNS} FROM violation_cases c \
                     JOIN applications a ON a.id = c.app_id WHERE c.month = $1"
                ))
                .bind(&month_text)
                .fetch_all(&mut *tx)
                .await?;
                let ids: Vec<i64> = sqlx::query_scalar(AMENDED_LISTED)
                    .bind(&month_text)
                    .fetch_all(&mut *tx)
                    .await?;
                let amended = load_amended!(tx, &ids)?;
                tx.commit().await?;
                (counts, cases, amended)
            });
        let amended = judging.replay().as_of(amended.0, amended.1, as_of)?;
        let mut cells: BTreeMap<(i64, i64), Figures> = counts
            .into_iter()
            .map(|(org, service, due, on_time)| {
                (
                    (org, service),
                    Figures {
                        due,
                        on_time,
                        ..Figures::default()
                    },
                )
            })
            .collect();
        let none = vec![];
        for row in cases {
            let case = row.case(judging.depends.get(&row.service_id).unwrap_or(&none))?;
            let verdict = judge(&case, month, as_of, &judging.outages).ok_or_else(|| {
                StoreError::Corrupt {
                    column: "violation_cases.month",
                    detail: format!("an application due outside {month}"),
                }
            })?;
            // The rollup counted it as due already.
            let mut judged = Figures::default();
            judged.count(&verdict);
            judged.due = 0;
            cells
                .entry((row.exec_org_id, row.service_id))
                .or_default()
                .add(&judged);
        }
        count_amended(&mut cells, &amended, month, as_of, &judging.outages);
        Ok(into_cells(cells))
    }

    /// The report's views summed from `cells`, over the sub-tree `within`.
    async fn assemble(
        &self,
        month: Month,
        as_of: Timestamp,
        cells: &[ReportCell],
        within: Option<&str>,
        stored: Option<StoredVersion>,
    ) -> Result<ViolationsReport> {
        let organizations = self.every_organization(within).await?;
        let services = self.every_service().await?;
        let in_scope: HashMap<i64, &Organization> =
            organizations.iter().map(|o| (o.id, o)).collect();
        let mut own: HashMap<i64, Figures> = HashMap::new();
        let mut by_service: HashMap<i64, Figures> = HashMap::new();
        for c in cells.iter().filter(|c| in_scope.contains_key(&c.org_id)) {
            own.entry(c.org_id).or_default().add(&c.figures);
            by_service.entry(c.service_id).or_default().add(&c.figures);
        }
        // Totals: each organization's own figures added to itself and every ancestor (the
        // path lists the ancestors' ids).
        let mut total: HashMap<i64, Figures> = HashMap::new();
        for (id, f) in &own {
            for ancestor in in_scope[id]
                .path
                .split('/')
                .filter_map(|s| s.parse::<i64>().ok())
            {
                total.entry(ancestor).or_default().add(f);
            }
        }
        let mut rows: Vec<OrganizationFigures> = organizations
            .iter()
            .map(|o| OrganizationFigures {
                code: o.code.clone(),
                name: o.name.clone(),
                parent: o.parent_code.clone(),
                path: o.path.clone(),
                own: own.get(&o.id).copied().unwrap_or_default(),
                total: total.get(&o.id).copied().unwrap_or_default(),
            })
            .collect();
        rows.sort_by(|a, b| a.path.cmp(&b.path));
        let mut services: Vec<ServiceFigures> = services
            .iter()
            .filter_map(|s| {
                by_service.get(&s.id).map(|f| ServiceFigures {
                    code: s.code.clone(),
                    name: s.name.clone(),
                    figures: *f,
                })
            })
            .collect();
        services.sort_by(|a, b| a.code.as_str().cmp(b.code.as_str()));
        Ok(ViolationsReport {
            month,
            as_of,
            organizations: rows,
            services,
            stored,
        })
    }

    /// Computes `month` and stores it as its next version when its cells differ from the
    /// latest one's. The first version is computed as of `now`; later ones as of the first
    /// one's moment (a revision). Returns the latest version and whether it is new.
    #[tracing::instrument(skip_all, fields(month = %month, cause))]
    pub async fn generate_violations_report(
        &self,
        month: Month,
        now: Timestamp,
        cause: &str,
        generated_by: &str,
    ) -> Result<(StoredVersion, bool)> {
        let versions = self.violation_report_versions(month).await?;
        let as_of = versions.first().map_or(now, |v| v.as_of);
        let cells = self.violation_cells(month, as_of).await?;
        let orgs: HashMap<i64, String> = self
            .every_organization(None)
            .await?
            .into_iter()
            .map(|o| (o.id, o.code.to_string()))
            .collect();
        let services: HashMap<i64, String> = self
            .every_service()
            .await?
            .into_iter()
            .map(|s| (s.id, s.code.to_string()))
            .collect();
        let mut stored: Vec<StoredCell> = cells
            .iter()
            .map(|c| StoredCell {
                organization: orgs.get(&c.org_id).cloned().unwrap_or_default(),
                service: services.get(&c.service_id).cloned().unwrap_or_default(),
                figures: c.figures,
            })
            .collect();
        stored.sort_by(|a, b| (&a.organization, &a.service).cmp(&(&b.organization, &b.service)));
        let json = serde_json::to_string(&stored).map_err(|e| StoreError::Corrupt {
            column: "violation_reports.cells",
            detail: e.to_string(),
        })?;
        let hash = hex::encode(Sha256::digest(json.as_bytes()));
        let month_text = month.to_string();
        let inserted = with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let latest = sqlx::query(
                "SELECT version, cells_hash FROM violation_reports WHERE month = $1 \
                 ORDER BY version DESC LIMIT 1",
            )
            .bind(&month_text)
            .fetch_optional(&mut *tx)
            .await?;
            let (next, same) = match &latest {
                Some(r) => (
                    r.try_get::<i64, _>("version")? + 1,
                    r.try_get::<String, _>("cells_hash")? == hash,
                ),
                None => (1, false),
            };
            if same {
                tx.rollback().await?;
                false
            } else {
                let done = sqlx::query(
                    "INSERT INTO violation_reports (month, version, as_of, generated_at, cause, \
                     generated_by, cells, cells_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&month_text)
                .bind(next)
                .bind(us(as_of))
                .bind(us(now))
                .bind(cause)
                .bind(generated_by)
                .bind(&json)
                .bind(&hash)
                .execute(&mut *tx)
                .await;
                match done {
                    Ok(_) => {
                        tx.commit().await?;
                        true
                    }
                    // Another node stored this version meanwhile: theirs stands.
                    Err(sqlx::Error::Database(db)) if db.is_unique_violation() => false,
                    Err(e) => return Err(e.into()),
                }
            }
        });
        let latest = self
            .violation_report_versions(month)
            .await?
            .pop()
            .ok_or(StoreError::NotFound("report_version"))?;
        Ok((latest, inserted))
    }

    /// The stored versions of `month`, oldest first.
    pub async fn violation_report_versions(&self, month: Month) -> Result<Vec<StoredVersion>> {
        let rows = with_db!(self, |read, _write| {
            sqlx::query(
                "SELECT version, as_of, generated_at, cause, generated_by FROM violation_reports \
                 WHERE month = $1 ORDER BY version",
            )
            .bind(month.to_string())
            .fetch_all(read)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get::<i64, _>("version")?,
                    r.try_get::<i64, _>("as_of")?,
                    r.try_get::<i64, _>("generated_at")?,
                    r.try_get::<String, _>("cause")?,
                    r.try_get::<String, _>("generated_by")?,
                ))
            })
            .collect::<Result<Vec<_>>>()?
        });
        let delivered_at = match rows.first() {
            Some(first) => ts("violation_reports.generated_at", first.2)?,
            None => return Ok(vec![]),
        };
        rows.into_iter()
            .map(|(version, as_of, generated_at, cause, generated_by)| {
                Ok(StoredVersion {
                    month,
                    version,
                    as_of: ts("violation_reports.as_of", as_of)?,
                    generated_at: ts("violation_reports.generated_at", generated_at)?,
                    cause,
                    generated_by,
                    delivered_at,
                })
            })
            .collect()
    }

    /// A stored version of `month` (the latest when `version` is `None`), over the sub-tree
    /// `within`; `None` when the month has no such version.
    pub async fn stored_violations_report(
        &self,
        month: Month,
        version: Option<i64>,
        within: Option<&str>,
    ) -> Result<Option<ViolationsReport>> {
        let versions = self.violation_report_versions(month).await?;
        let Some(meta) = (match version {
            Some(v) => versions.into_iter().find(|m| m.version == v),
            None => versions.into_iter().last(),
        }) else {
            return Ok(None);
        };
        let json: String = with_db!(self, |read, _write| {
            sqlx::query("SELECT cells FROM violation_reports WHERE month = $1 AND version = $2")
                .bind(month.to_string())
                .bind(meta.version)
                .fetch_one(read)
                .await?
                .try_get("cells")?
        });
        let stored: Vec<StoredCell> =
            serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
                column: "violation_reports.cells",
                detail: e.to_string(),
            })?;
        let orgs: HashMap<String, i64> = self
            .every_organization(None)
            .await?
            .into_iter()
            .map(|o| (o.code.to_string(), o.id))
            .collect();
        let services: HashMap<String, i64> = self
            .every_service()
            .await?
            .into_iter()
            .map(|s| (s.code.to_string(), s.id))
            .collect();
        let corrupt = |what: &str| StoreError::Corrupt {
            column: "violation_reports.cells",
            detail: format!("unknown {what}"),
        };
        let cells = stored
            .into_iter()
            .map(|c| {
                Ok(ReportCell {
                    org_id: *orgs
                        .get(&c.organization)
                        .ok_or_else(|| corrupt("organization"))?,
                    service_id: *services.get(&c.service).ok_or_else(|| corrupt("service"))?,
                    figures: c.figures,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let as_of = meta.as_of;
        self.assemble(month, as_of, &cells, within, Some(meta))
            .await
            .map(Some)
    }

    /// The applications of `month` executed in the sub-tree `exec_path` (only by that
    /// organization when `exact`), of one service if given, each judged as of `as_of`, in
    /// number order: what every figure of the report counts.
    pub async fn violation_applications(
        &self,
        month: Month,
        as_of: Timestamp,
        exec_path: Option<&str>,
        exact: bool,
        service_id: Option<i64>,
    ) -> Result<Vec<JudgedApplication>> {
        let judging = self.judging(month).await?;
        let (from, to) = (judging.from, judging.to);
        let postgres = self.backend_name() == "postgres";
        let (rows, amended, applicants): (Vec<DrillRow>, _, Vec<ApplicantRow>) =
            with_db!(self, |read, _write| {
                let mut tx = read_snapshot!(read, postgres);
                let mut qb = sqlx::QueryBuilder::new(format!(
                    "SELECT {CASE_COLUMNS}, {APPLICANT_COLUMNS} FROM applications a \
                 WHERE {NOT_AMENDED} AND a.deadline >= "
                ));
                qb.push_bind(us(from))
                    .push(" AND a.deadline < ")
                    .push_bind(us(to));
                match (exec_path, exact) {
                    (Some(path), true) => {
                        qb.push(" AND a.exec_path = ").push_bind(path.to_string());
                    }
                    (Some(path), false) => {
                        qb.push(" AND a.exec_path >= ")
                            .push_bind(path.to_string())
                            .push(" AND a.exec_path < ")
                            .push_bind(crate::convert::path_end(path));
                    }
                    (None, _) => {}
                }
                if let Some(id) = service_id {
                    qb.push(" AND a.service_id = ").push_bind(id);
                }
                let rows = qb.build_query_as().fetch_all(&mut *tx).await?;
                let ids: Vec<i64> = sqlx::query_scalar(AMENDED_REFERENCE)
                    .bind(us(from))
                    .bind(us(to))
                    .fetch_all(&mut *tx)
                    .await?;
                let amended = load_amended!(tx, &ids)?;
                let mut applicants = vec![];
                let head =
                    format!("SELECT {APPLICANT_COLUMNS} FROM applications a WHERE a.id IN (");
                for chunk in ids.chunks(crate::ingest::CHUNK) {
                    applicants.extend(
                        keys_query(&head, chunk, ")")
                            .build_query_as()
                            .fetch_all(&mut *tx)
                            .await?,
                    );
                }
                tx.commit().await?;
                (rows, amended, applicants)
            });
        let mut applicants: HashMap<i64, ApplicantRow> =
            applicants.into_iter().map(|a| (a.number, a)).collect();
        // The executor's place in the tree, as the figures' organization filter reads it.
        let executed_in = |org_id: i64| {
            let Some(path) = exec_path else { return true };
            let Some(at) = judging.org_paths.get(&org_id) else {
                return false;
            };
            if exact {
                at == path
            } else {
                at.as_str() >= path && at.as_str() < crate::convert::path_end(path).as_str()
            }
        };
        let none = vec![];
        let mut out = rows
            .into_iter()
            .map(|r| {
                let case = r
                    .case
                    .case(judging.depends.get(&r.case.service_id).unwrap_or(&none))?;
                Ok(judged(
                    r.applicant,
                    r.case.exec_org_id,
                    r.case.service_id,
                    &case,
                    as_of,
                    &judging.outages,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        for a in judging.replay().as_of(amended.0, amended.1, as_of)? {
            let due_then = month.contains(local_date(a.case.deadline));
            if !due_then
                || !executed_in(a.exec_org_id)
                || service_id.is_some_and(|s| s != a.service_id)
            {
                continue;
            }
            let applicant = applicants
                .remove(&a.number)
                .ok_or(StoreError::NotFound("application"))?;
            out.push(judged(
                applicant,
                a.exec_org_id,
                a.service_id,
                &a.case,
                as_of,
                &judging.outages,
            ));
        }
        out.sort_by_key(|j| j.number);
        Ok(out)
    }

    /// The months that have a stored report, newest first, at most `limit`.
    pub async fn reported_months(&self, limit: i64) -> Result<Vec<Month>> {
        let months: Vec<String> = with_db!(self, |read, _write| {
            sqlx::query_scalar(
                "SELECT DISTINCT month FROM violation_reports ORDER BY month DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(read)
            .await?
        });
        months
            .iter()
            .map(|m| {
                m.parse().map_err(|_| StoreError::Corrupt {
                    column: "violation_reports.month",
                    detail: m.clone(),
                })
            })
            .collect()
    }

    /// Every organization (of the sub-tree `within`), read in pages.
    pub async fn every_organization(&self, within: Option<&str>) -> Result<Vec<Organization>> {
        every_page(|after| self.organizations(within, after, PAGE), |o| o.id).await
    }

    /// Every service, read in pages.
    pub async fn every_service(&self) -> Result<Vec<Service>> {
        every_page(|after| self.services(None, after, PAGE), |s| s.id).await
    }

    /// Every outage that began before `to` (the windows of a month's applications end by
    /// then; they may begin long before the month), as the domain judges them.
    pub(crate) async fn outages_before(&self, to: Timestamp) -> Result<Vec<Outage>> {
        let mut all = vec![];
        let mut before = None;
        loop {
            let page = self.outages(None, Some(to), before, PAGE).await?;
            let full = page.len() as i64 == PAGE;
            before = page.last().map(|o| o.id);
            all.extend(page.into_iter().map(|o| Outage {
                start: o.started_at,
                end: o.ended_at,
                all_systems: o.all_systems,
                systems: o.systems,
            }));
            if !full {
                return Ok(all);
            }
        }
    }
}
