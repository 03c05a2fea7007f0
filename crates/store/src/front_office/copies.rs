//! Certified electronic copies of originals (001 §17; migration 0031): the file an employee
//! scanned from an original the applicant presented, kept with the application, once per
//! content (its SHA-256): a retry of the same file answers the first copy.

use crate::convert::{ts, us};
use crate::error::{Result, StoreError};
use crate::models::Scope;
use crate::Store;
use jiff::Timestamp;
use qyzmet_domain::ids::ApplicationNumber;
use sqlx::Row;

/// A copy to keep.
#[derive(Debug, Clone)]
pub struct NewCopy {
    pub id: String,
    pub document_code: String,
    pub media_type: &'static str,
    pub content: Vec<u8>,
    pub sha256: String,
    pub employee_id: Option<i64>,
}

/// A copy kept (without its content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyRecord {
    pub id: String,
    pub number: ApplicationNumber,
    pub document_code: String,
    pub media_type: String,
    pub sha256: String,
    pub size: i64,
    pub employee: Option<String>,
    pub made_at: Timestamp,
}

const COPY_SELECT: &str = "SELECT c.id, a.number, c.document_code, c.media_type, c.sha256, \
     c.size, u.full_name AS employee, c.made_at, a.accept_path, a.exec_path \
     FROM certified_copies c JOIN applications a ON a.id = c.app_id \
     LEFT JOIN users u ON u.id = c.employee_id";

#[derive(sqlx::FromRow)]
struct CopyRow {
    id: String,
    number: i64,
    document_code: String,
    media_type: String,
    sha256: String,
    size: i64,
    employee: Option<String>,
    made_at: i64,
    accept_path: String,
    exec_path: String,
}

impl CopyRow {
    fn seen_by(&self, scope: &Scope) -> bool {
        scope.sees(&self.accept_path, &self.exec_path)
    }

    fn into_record(self) -> Result<CopyRecord> {
        Ok(CopyRecord {
            id: self.id,
            number: crate::rows::number(self.number)?,
            document_code: self.document_code,
            media_type: self.media_type,
            sha256: self.sha256,
            size: self.size,
            employee: self.employee.filter(|n| !n.is_empty()),
            made_at: ts("certified_copies.made_at", self.made_at)?,
        })
    }
}

impl Store {
    /// Keeps a certified copy of the application `number` (within `scope`); the same content
    /// again answers the first copy and `false`.
    pub async fn keep_copy(
        &self,
        number: ApplicationNumber,
        scope: &Scope,
        c: &NewCopy,
        actor: &str,
        now: Timestamp,
    ) -> Result<(CopyRecord, bool)> {
        crate::with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let app = sqlx::query(
                "SELECT id, accept_path, exec_path FROM applications WHERE number = $1",
            )
            .bind(number.as_i64())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("application"))?;
            let (accept, exec): (String, String) =
                (app.try_get("accept_path")?, app.try_get("exec_path")?);
            if !scope.sees(&accept, &exec) {
                return Err(StoreError::NotFound("application"));
            }
            let app_id: i64 = app.try_get("id")?;
            let inserted = sqlx::query(
                "INSERT INTO certified_copies (id, app_id, document_code, media_type, content, \
                 sha256, size, employee_id, actor, made_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
            )
            .bind(&c.id)
            .bind(app_id)
            .bind(&c.document_code)
            .bind(c.media_type)
            .bind(&c.content)
            .bind(&c.sha256)
            .bind(i64::try_from(c.content.len()).unwrap_or(i64::MAX))
            .bind(c.employee_id)
            .bind(actor)
            .bind(us(now))
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            let r = sqlx::query_as::<_, CopyRow>(&format!(
                "{COPY_SELECT} WHERE c.app_id = $1 AND c.sha256 = $2"
            ))
            .bind(app_id)
            .bind(&c.sha256)
            .fetch_one(&mut *tx)
            .await?
            .into_record()?;
            tx.commit().await?;
            Ok((r, inserted))
        })
    }

    /// The certified copies of the application `number` (within `scope`), oldest first.
    pub async fn copies(
        &self,
        number: ApplicationNumber,
        scope: &Scope,
    ) -> Result<Vec<CopyRecord>> {
        crate::with_db!(self, |read, _write| {
            let rows = sqlx::query_as::<_, CopyRow>(&format!(
                "{COPY_SELECT} WHERE a.number = $1 ORDER BY c.made_at, c.id"
            ))
            .bind(number.as_i64())
            .fetch_all(read)
            .await?;
            rows.into_iter()
                .filter(|r| r.seen_by(scope))
                .map(CopyRow::into_record)
                .collect()
        })
    }

    /// A certified copy with its content, if `scope` sees its application.
    pub async fn copy_content(
        &self,
        id: &str,
        scope: &Scope,
    ) -> Result<Option<(CopyRecord, Vec<u8>)>> {
        crate::with_db!(self, |read, _write| {
            let row = sqlx::query_as::<_, CopyRow>(&format!("{COPY_SELECT} WHERE c.id = $1"))
                .bind(id)
                .fetch_optional(read)
                .await?;
            match row {
                Some(r) if r.seen_by(scope) => {
                    let content: Vec<u8> =
                        sqlx::query_scalar("SELECT content FROM certified_copies WHERE id = $1")
                            .bind(id)
                            .fetch_one(read)
                            .await?;
                    Ok(Some((r.into_record()?, content)))
                }
                _ => Ok(None),
            }
        })
    }
}
