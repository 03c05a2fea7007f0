//! Counters (windows) of an office: what each serves, the employee working at it (001 §6:
//! their full name and position on its screen) and whether it is open.

use super::queue_action;
use crate::convert::{join, list, ts, unique_to_conflict, us};
use crate::error::{Result, StoreError};
use crate::{with_db, Store};
use jiff::Timestamp;
use qyzmet_domain::front_office::Purpose;
use serde::Serialize;

/// Whether a counter is calling visitors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CounterState {
    Closed,
    Open,
    Paused,
}

impl CounterState {
    pub fn as_str(self) -> &'static str {
        match self {
            CounterState::Closed => "closed",
            CounterState::Open => "open",
            CounterState::Paused => "paused",
        }
    }

    pub fn parse(s: &str) -> Option<CounterState> {
        match s {
            "closed" => Some(CounterState::Closed),
            "open" => Some(CounterState::Open),
            "paused" => Some(CounterState::Paused),
            _ => None,
        }
    }
}

/// A counter, with the employee at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counter {
    pub id: i64,
    pub office_id: i64,
    pub office: String,
    pub number: i64,
    pub purposes: Vec<Purpose>,
    /// Service codes; empty = every service.
    pub services: Vec<String>,
    pub takes_bookings: bool,
    pub state: CounterState,
    pub user_id: Option<i64>,
    /// The employee's full name and position (001 §6), empty when nobody works at it.
    pub employee_name: String,
    pub employee_position: String,
    pub updated_at: Timestamp,
}

/// A counter to create, checked by the caller.
#[derive(Debug, Clone)]
pub struct NewCounter {
    pub number: i64,
    pub purposes: Vec<Purpose>,
    pub services: Vec<String>,
    pub takes_bookings: bool,
    pub user_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct CounterRow {
    id: i64,
    office_id: i64,
    office: String,
    number: i64,
    purposes: String,
    services: String,
    takes_bookings: bool,
    state: String,
    user_id: Option<i64>,
    employee_name: Option<String>,
    employee_position: Option<String>,
    updated_at: i64,
}

impl CounterRow {
    fn into_model(self) -> Result<Counter> {
        let corrupt = |column: &'static str, v: &str| StoreError::Corrupt {
            column,
            detail: v.to_string(),
        };
        let purposes = list(&self.purposes)
            .iter()
            .map(|p| Purpose::parse(p).ok_or_else(|| corrupt("counters.purposes", p)))
            .collect::<Result<_>>()?;
        Ok(Counter {
            id: self.id,
            office_id: self.office_id,
            office: self.office,
            number: self.number,
            purposes,
            services: list(&self.services),
            takes_bookings: self.takes_bookings,
            state: CounterState::parse(&self.state)
                .ok_or_else(|| corrupt("counters.state", &self.state))?,
            user_id: self.user_id,
            employee_name: self.employee_name.unwrap_or_default(),
            employee_position: self.employee_position.unwrap_or_default(),
            updated_at: ts("counters.updated_at", self.updated_at)?,
        })
    }
}

const SELECT: &str = "SELECT c.id, c.office_id, f.code AS office, c.number, c.purposes, \
    c.services, c.takes_bookings, c.state, c.user_id, u.full_name AS employee_name, \
    u.position AS employee_position, c.updated_at FROM counters c \
    JOIN offices f ON f.id = c.office_id LEFT JOIN users u ON u.id = c.user_id";

/// Returns `counter_busy` from the function when counter `$id` has a visitor called or in
/// service (read in `$tx`).
macro_rules! refuse_if_busy {
    ($tx:expr, $id:expr) => {
        let busy: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM tickets WHERE counter_id = $1 AND state IN ('called', 'serving') LIMIT 1",
        )
        .bind($id)
        .fetch_optional(&mut *$tx)
        .await?;
        if busy.is_some() {
            return Err(StoreError::Conflict {
                code: "counter_busy",
                field: None,
            });
        }
    };
}

/// The office of counter `$id` (read in `$tx`); `NotFound("counter")` from the function when
/// there is no such counter.
macro_rules! office_of_counter {
    ($tx:expr, $id:expr) => {{
        let office_id: i64 = sqlx::query_scalar("SELECT office_id FROM counters WHERE id = $1")
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound("counter"))?;
        office_id
    }};
}
pub(crate) use office_of_counter;

/// Counter `$id` as it is in `$tx`.
macro_rules! counter_by_id {
    ($tx:expr, $id:expr) => {
        sqlx::query_as::<_, CounterRow>(&format!("{SELECT} WHERE c.id = $1"))
            .bind($id)
            .fetch_one(&mut *$tx)
            .await?
            .into_model()?
    };
}

impl Store {
    /// Adds a counter to an office (audited). A number the office has, or an employee who
    /// works at another counter already, is a conflict.
    pub async fn create_counter(
        &self,
        office_id: i64,
        c: &NewCounter,
        actor: &str,
        now: Timestamp,
    ) -> Result<Counter> {
        let purposes: Vec<&str> = c.purposes.iter().map(|p| p.as_str()).collect();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO counters (office_id, number, purposes, services, takes_bookings, \
                 user_id, state, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'closed', $7, $7) RETURNING id",
            )
            .bind(office_id)
            .bind(c.number)
            .bind(join(&purposes))
            .bind(join(&c.services))
            .bind(c.takes_bookings)
            .bind(c.user_id)
            .bind(us(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| {
                let taken_by_user = matches!(&e, sqlx::Error::Database(d)
                    if d.message().contains("user_id") || d.constraint() == Some("counters_one_per_user"));
                if taken_by_user {
                    unique_to_conflict(e, "employee_has_counter", "user_id")
                } else {
                    unique_to_conflict(e, "counter_number_taken", "window")
                }
            })?;
            queue_action!(
                tx,
                office_id,
                None::<i64>,
                Some(id),
                "counter.create",
                actor,
                now,
                format!("number {}", c.number)
            );
            let counter = counter_by_id!(tx, id);
            tx.commit().await?;
            Ok(counter)
        })
    }

    /// The counters of an office, by number.
    pub async fn counters(&self, office_id: i64) -> Result<Vec<Counter>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query_as::<_, CounterRow>(&format!(
                "{SELECT} WHERE c.office_id = $1 ORDER BY c.number"
            ))
            .bind(office_id)
            .fetch_all(read)
            .await?;
            rows.into_iter().map(CounterRow::into_model).collect()
        })
    }

    /// One counter by id.
    pub async fn counter(&self, id: i64) -> Result<Option<Counter>> {
        with_db!(self, |read, _write| {
            sqlx::query_as::<_, CounterRow>(&format!("{SELECT} WHERE c.id = $1"))
                .bind(id)
                .fetch_optional(read)
                .await?
                .map(CounterRow::into_model)
                .transpose()
        })
    }

    /// The counter an employee works at, if any.
    pub async fn counter_of_user(&self, user_id: i64) -> Result<Option<Counter>> {
        with_db!(self, |read, _write| {
            sqlx::query_as::<_, CounterRow>(&format!("{SELECT} WHERE c.user_id = $1"))
                .bind(user_id)
                .fetch_optional(read)
                .await?
                .map(CounterRow::into_model)
                .transpose()
        })
    }

    /// Opens, pauses or closes a counter (recorded, 001 §21). A counter with a visitor called
    /// or being served cannot close.
    pub async fn set_counter_state(
        &self,
        id: i64,
        state: CounterState,
        actor: &str,
        now: Timestamp,
    ) -> Result<Counter> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let office_id = office_of_counter!(tx, id);
            if state == CounterState::Closed {
                refuse_if_busy!(tx, id);
            }
            sqlx::query("UPDATE counters SET state = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(state.as_str())
                .bind(us(now))
                .execute(&mut *tx)
                .await?;
            queue_action!(
                tx,
                office_id,
                None::<i64>,
                Some(id),
                format!("counter.{}", state.as_str()),
                actor,
                now,
                String::new()
            );
            let counter = counter_by_id!(tx, id);
            tx.commit().await?;
            Ok(counter)
        })
    }

    /// Puts `user_id` at counter `id` (none: nobody), recorded (001 §21). The counter must have
    /// nobody called or in service (the visit stays with who began it); an employee working at
    /// another counter is a conflict.
    pub async fn set_counter_employee(
        &self,
        id: i64,
        user_id: Option<i64>,
        actor: &str,
        now: Timestamp,
    ) -> Result<Counter> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let office_id = office_of_counter!(tx, id);
            refuse_if_busy!(tx, id);
            sqlx::query("UPDATE counters SET user_id = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(user_id)
                .bind(us(now))
                .execute(&mut *tx)
                .await
                .map_err(|e| unique_to_conflict(e, "employee_has_counter", "employee"))?;
            queue_action!(
                tx,
                office_id,
                None::<i64>,
                Some(id),
                "counter.employee",
                actor,
                now,
                user_id.map_or_else(String::new, |u| format!("user {u}"))
            );
            let counter = counter_by_id!(tx, id);
            tx.commit().await?;
            Ok(counter)
        })
    }
}
