//! The monthly violations report (000 §12) computed straight from the applications: every
//! application whose deadline falls in the month is judged by
//! [`qyzmet_domain::violation::judge`] and counted for its executing organization (own
//! figures; totals roll up the hierarchy) and its service.
//!
//! This reads every application of the month, so it is the reference computation; the
//! report's figures must always equal it.

use crate::convert::{date, path_end, ts, us};
use crate::error::{Result, StoreError};
use crate::models::{Organization, Service};
use crate::{with_db, Store};
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::ids::{OrgCode, ServiceCode};
use qyzmet_domain::violation::{judge, Case, Figures, Month, Outage};
use qyzmet_domain::zone::almaty;
use std::collections::HashMap;

/// The violations report of a month as of a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationsReport {
    pub month: Month,
    pub as_of: Timestamp,
    /// Every organization of the scope, in tree order (a parent before its children).
    pub organizations: Vec<OrganizationFigures>,
    /// Every service of the scope's organizations that had an application due, by code.
    pub services: Vec<ServiceFigures>,
}

/// An organization's row: the applications it executes itself, and with its sub-tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationFigures {
    pub code: OrgCode,
    pub parent: Option<OrgCode>,
    pub path: String,
    pub own: Figures,
    pub total: Figures,
}

/// A service's row: its applications executed in the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFigures {
    pub code: ServiceCode,
    pub figures: Figures,
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

/// What the report reads of an application.
#[derive(sqlx::FromRow)]
struct MonthRow {
    exec_org_id: i64,
    service_id: i64,
    planned_date: String,
    deadline: i64,
    effective_acceptance: i64,
    actual_completion: Option<i64>,
    suspended: bool,
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
    /// The violations report of `month` as of `as_of`, over the applications executed in the
    /// sub-tree `within` (every organization when `None`).
    #[tracing::instrument(skip_all, fields(month = %month))]
    pub async fn violations_report(
        &self,
        month: Month,
        as_of: Timestamp,
        within: Option<&str>,
    ) -> Result<ViolationsReport> {
        let from = start_of(month.first_day())?;
        let to = start_of(month.end())?;
        let organizations = self.every_organization(within).await?;
        let services = self.every_service().await?;
        let outages: Vec<Outage> = self
            .outages_before(to)
            .await?
            .into_iter()
            .map(|o| Outage {
                start: o.started_at,
                end: o.ended_at,
                all_systems: o.all_systems,
                systems: o.systems,
            })
            .collect();
        let depends: HashMap<i64, &Service> = services.iter().map(|s| (s.id, s)).collect();

        let rows: Vec<MonthRow> = with_db!(self, |read, _write| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT a.exec_org_id, a.service_id, a.planned_date, a.deadline, \
                 a.effective_acceptance, a.actual_completion, a.suspended FROM applications a \
                 WHERE a.deadline >= ",
            );
            qb.push_bind(us(from))
                .push(" AND a.deadline < ")
                .push_bind(us(to));
            if let Some(path) = within {
                qb.push(" AND a.exec_path >= ")
                    .push_bind(path.to_string())
                    .push(" AND a.exec_path < ")
                    .push_bind(path_end(path));
            }
            qb.build_query_as().fetch_all(read).await?
        });
        let mut own: HashMap<i64, Figures> = HashMap::new();
        let mut by_service: HashMap<i64, Figures> = HashMap::new();
        for row in rows {
            let case = Case {
                planned_date: date("planned_date", &row.planned_date)?,
                deadline: ts("deadline", row.deadline)?,
                effective_acceptance: ts("effective_acceptance", row.effective_acceptance)?,
                completed_at: row
                    .actual_completion
                    .map(|c| ts("actual_completion", c))
                    .transpose()?,
                depends_on: depends
                    .get(&row.service_id)
                    .map(|s| s.depends_on.clone())
                    .unwrap_or_default(),
                suspended: row.suspended,
            };
            let Some(verdict) = judge(&case, month, as_of, &outages) else {
                continue;
            };
            own.entry(row.exec_org_id).or_default().count(&verdict);
            by_service
                .entry(row.service_id)
                .or_default()
                .count(&verdict);
        }

        // Totals: each organization's own figures added to itself and every ancestor in the
        // scope (the path lists the ancestors' ids).
        let mut total: HashMap<i64, Figures> = HashMap::new();
        for org in &organizations {
            let Some(f) = own.get(&org.id) else { continue };
            for id in org.path.split('/').filter_map(|s| s.parse::<i64>().ok()) {
                total.entry(id).or_default().add(f);
            }
        }
        let mut rows: Vec<OrganizationFigures> = organizations
            .iter()
            .map(|o| OrganizationFigures {
                code: o.code.clone(),
                parent: o.parent_code.clone(),
                path: o.path.clone(),
                own: own.get(&o.id).copied().unwrap_or_default(),
                total: total.get(&o.id).copied().unwrap_or_default(),
            })
            .collect();
        rows.sort_by(|a, b| a.path.cmp(&b.path));
        let mut services: Vec<ServiceFigures> = by_service
            .into_iter()
            .filter_map(|(id, figures)| {
                depends.get(&id).map(|s| ServiceFigures {
                    code: s.code.clone(),
                    figures,
                })
            })
            .collect();
        services.sort_by(|a, b| a.code.as_str().cmp(b.code.as_str()));
        Ok(ViolationsReport {
            month,
            as_of,
            organizations: rows,
            services,
        })
    }

    async fn every_organization(&self, within: Option<&str>) -> Result<Vec<Organization>> {
        every_page(|after| self.organizations(within, after, PAGE), |o| o.id).await
    }

    async fn every_service(&self) -> Result<Vec<Service>> {
        every_page(|after| self.services(None, after, PAGE), |s| s.id).await
    }

    /// Every outage that began before `to` (the windows of a month's applications end by
    /// then; they may begin long before the month).
    async fn outages_before(&self, to: Timestamp) -> Result<Vec<crate::models::Outage>> {
        let mut all = vec![];
        let mut before = None;
        loop {
            let page = self.outages(None, Some(to), before, PAGE).await?;
            let full = page.len() as i64 == PAGE;
            before = page.last().map(|o| o.id);
            all.extend(page);
            if !full {
                return Ok(all);
            }
        }
    }
}
