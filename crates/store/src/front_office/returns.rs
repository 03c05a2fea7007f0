//! Registers of unclaimed results returned to their providers (001 §20; migration 0030): the
//! register is planned first — the results due for return, in one transaction, once per the
//! office's `request_key` — and then each item is settled by its `returned` scan (made by the
//! caller through the scan writer): `returned`, or `skipped` when the package left the shelf
//! meanwhile. A retry finds the plan and settles what is left; the scans' ids are derived, so
//! none is made twice.

use crate::convert::{date, ts, us};
use crate::error::{Result, StoreError};
use crate::Store;
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::ids::ApplicationNumber;
use sqlx::Row;

/// A register to plan.
#[derive(Debug, Clone)]
pub struct NewReturnRegister {
    pub public_id: String,
    pub request_key: String,
    pub office_id: i64,
    pub on: Date,
    pub employee_id: Option<i64>,
    /// The results due for return: each with its provider's organization code.
    pub items: Vec<(ApplicationNumber, String)>,
}

/// A result on a register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnItem {
    pub number: ApplicationNumber,
    pub service: String,
    pub executor: String,
    /// `planned`, `returned` or `skipped`.
    pub state: String,
    pub event_id: Option<String>,
}

/// A register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnRegister {
    pub public_id: String,
    pub office_id: i64,
    pub office_code: String,
    /// The office's organization's path (who may read it).
    pub office_path: String,
    pub on: Date,
    pub employee: Option<String>,
    pub actor: String,
    pub at: Timestamp,
    pub items: Vec<ReturnItem>,
}

const REGISTER_SELECT: &str = "SELECT r.id, r.public_id, r.office_id, o.code AS office_code, \
     og.path AS office_path, r.on_date, u.full_name AS employee, r.actor, r.at \
     FROM return_registers r JOIN offices o ON o.id = r.office_id \
     JOIN organizations og ON og.id = o.organization_id \
     LEFT JOIN users u ON u.id = r.employee_id";

macro_rules! register_in {
    ($conn:expr, $where:expr, $bind:expr) => {{
        let found = sqlx::query(&format!("{REGISTER_SELECT} WHERE {}", $where))
            .bind($bind)
            .fetch_optional(&mut *$conn)
            .await?;
        match found {
            None => None,
            Some(row) => {
                let id: i64 = row.try_get("id")?;
                let items = sqlx::query(
                    "SELECT a.number, s.code AS service, i.executor, i.state, i.event_id \
                     FROM return_register_items i JOIN applications a ON a.id = i.app_id \
                     JOIN services s ON s.id = a.service_id WHERE i.register_id = $1 \
                     ORDER BY a.number",
                )
                .bind(id)
                .fetch_all(&mut *$conn)
                .await?
                .iter()
                .map(|r| {
                    Ok(ReturnItem {
                        number: crate::rows::number(r.try_get("number")?)?,
                        service: r.try_get("service")?,
                        executor: r.try_get("executor")?,
                        state: r.try_get("state")?,
                        event_id: r.try_get("event_id")?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
                Some(ReturnRegister {
                    public_id: row.try_get("public_id")?,
                    office_id: row.try_get("office_id")?,
                    office_code: row.try_get("office_code")?,
                    office_path: row.try_get("office_path")?,
                    on: date(
                        "return_registers.on_date",
                        &row.try_get::<String, _>("on_date")?,
                    )?,
                    employee: row
                        .try_get::<Option<String>, _>("employee")?
                        .filter(|n| !n.is_empty()),
                    actor: row.try_get("actor")?,
                    at: ts("return_registers.at", row.try_get("at")?)?,
                    items,
                })
            }
        }
    }};
}

/// The unique index two plans with one key race on.
const REGISTER_RACES: &[&str] = &["return_registers_office_id_request_key_key"];

impl Store {
    /// Plans a register (its items `planned`), or finds the one planned with the same key at
    /// the office; `true` when this call planned it.
    pub async fn plan_return_register(
        &self,
        n: &NewReturnRegister,
        actor: &str,
        now: Timestamp,
    ) -> Result<(ReturnRegister, bool)> {
        crate::contention::retrying!(
            "plan_return_register",
            REGISTER_RACES,
            self.plan_return_register_once(n, actor, now)
        )
    }

    async fn plan_return_register_once(
        &self,
        n: &NewReturnRegister,
        actor: &str,
        now: Timestamp,
    ) -> Result<(ReturnRegister, bool)> {
        crate::with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let prior = sqlx::query(
                "SELECT public_id FROM return_registers WHERE office_id = $1 AND request_key = $2",
            )
            .bind(n.office_id)
            .bind(&n.request_key)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(p) = prior {
                let id: String = p.try_get("public_id")?;
                let r = register_in!(tx, "r.public_id = $1", id)
                    .ok_or(StoreError::NotFound("return register"))?;
                return Ok((r, false));
            }
            let id: i64 = sqlx::query(
                "INSERT INTO return_registers (public_id, request_key, office_id, on_date, \
                 employee_id, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&n.public_id)
            .bind(&n.request_key)
            .bind(n.office_id)
            .bind(n.on.to_string())
            .bind(n.employee_id)
            .bind(actor)
            .bind(us(now))
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            for (number, executor) in &n.items {
                sqlx::query(
                    "INSERT INTO return_register_items (register_id, app_id, executor, state) \
                     SELECT $1, a.id, $3, 'planned' FROM applications a WHERE a.number = $2",
                )
                .bind(id)
                .bind(number.as_i64())
                .bind(executor)
                .execute(&mut *tx)
                .await?;
            }
            crate::front_office::queue_action!(
                tx,
                n.office_id,
                None::<i64>,
                None::<i64>,
                "return_register",
                actor,
                now,
                format!("{} {} items", n.public_id, n.items.len())
            );
            let r = register_in!(tx, "r.public_id = $1", n.public_id.clone())
                .ok_or(StoreError::NotFound("return register"))?;
            tx.commit().await?;
            Ok((r, true))
        })
    }

    /// Settles a register's items: each `returned` (with its scan's id) or `skipped`.
    pub async fn settle_return_items(
        &self,
        public_id: &str,
        settled: &[(ApplicationNumber, &'static str, Option<String>)],
    ) -> Result<ReturnRegister> {
        crate::with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            for (number, state, event) in settled {
                sqlx::query(
                    "UPDATE return_register_items SET state = $1, event_id = $2 \
                     WHERE register_id = (SELECT id FROM return_registers WHERE public_id = $3) \
                     AND app_id = (SELECT id FROM applications WHERE number = $4)",
                )
                .bind(*state)
                .bind(event)
                .bind(public_id)
                .bind(number.as_i64())
                .execute(&mut *tx)
                .await?;
            }
            let r = register_in!(tx, "r.public_id = $1", public_id.to_string())
                .ok_or(StoreError::NotFound("return register"))?;
            tx.commit().await?;
            Ok(r)
        })
    }

    /// A register by its public id.
    pub async fn return_register(&self, public_id: &str) -> Result<Option<ReturnRegister>> {
        crate::with_db!(self, |read, _write| {
            let mut conn = read.acquire().await?;
            Ok(register_in!(
                conn,
                "r.public_id = $1",
                public_id.to_string()
            ))
        })
    }
}
