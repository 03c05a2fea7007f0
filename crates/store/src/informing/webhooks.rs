//! Webhooks: the addresses where organizations' systems take the events of their
//! applications (every event, signed; see the server's `informing::webhook`).

use crate::convert::{ts, unique_to_conflict, us};
use crate::error::{Result, StoreError};
use crate::{with_db, Store};
use jiff::Timestamp;
use qyzmet_domain::ids::OrgCode;
use serde::Serialize;

/// A registered webhook (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Webhook {
    pub id: i64,
    pub organization: String,
    pub url: String,
    pub active: bool,
    pub created_by: String,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct WebhookRow {
    id: i64,
    organization: String,
    url: String,
    active: bool,
    created_by: String,
    created_at: i64,
}

impl WebhookRow {
    fn into_model(self) -> Result<Webhook> {
        Ok(Webhook {
            id: self.id,
            organization: self.organization,
            url: self.url,
            active: self.active,
            created_by: self.created_by,
            created_at: ts("webhooks.created_at", self.created_at)?,
        })
    }
}

const SELECT: &str = "SELECT w.id, o.code AS organization, w.url, w.active, w.created_by, \
    w.created_at FROM webhooks w JOIN organizations o ON o.id = w.organization_id";

impl Store {
    /// Registers a webhook of `organization` (audited). The same URL twice for one
    /// organization is a conflict.
    pub async fn create_webhook(
        &self,
        organization: &OrgCode,
        url: &str,
        secret: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<Webhook> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let org_id: i64 = sqlx::query_scalar("SELECT id FROM organizations WHERE code = $1")
                .bind(organization.as_ref())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::Invalid {
                    code: "unknown_organization",
                    field: "organization",
                })?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO webhooks (organization_id, url, secret, active, created_by, created_at) \
                 VALUES ($1, $2, $3, TRUE, $4, $5) RETURNING id",
            )
            .bind(org_id)
            .bind(url)
            .bind(secret)
            .bind(actor)
            .bind(us(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| unique_to_conflict(e, "webhook_exists", "url"))?;
            crate::audit_in!(
                tx,
                now,
                actor,
                "webhook.create",
                id.to_string(),
                format!("{} {url}", organization.as_ref())
            );
            let hook = sqlx::query_as::<_, WebhookRow>(&format!("{SELECT} WHERE w.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?
                .into_model()?;
            tx.commit().await?;
            Ok(hook)
        })
    }

    /// The webhooks of organizations under `path` (all with `None`), newest first.
    pub async fn webhooks(&self, path: Option<&str>) -> Result<Vec<Webhook>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query_as::<_, WebhookRow>(&format!(
                "{SELECT} WHERE ($1 IS NULL OR substr(o.path, 1, length($1)) = $1) \
                 ORDER BY w.id DESC"
            ))
            .bind(path)
            .fetch_all(read)
            .await?;
            rows.into_iter().map(WebhookRow::into_model).collect()
        })
    }

    /// Stops posting to a webhook of an organization under `path` (audited); its undelivered
    /// messages stay in the outbox and are not sent.
    pub async fn deactivate_webhook(
        &self,
        id: i64,
        path: Option<&str>,
        actor: &str,
        now: Timestamp,
    ) -> Result<Webhook> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let found = sqlx::query_as::<_, WebhookRow>(&format!(
                "{SELECT} WHERE w.id = $1 AND ($2 IS NULL OR substr(o.path, 1, length($2)) = $2)"
            ))
            .bind(id)
            .bind(path)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("webhook"))?;
            sqlx::query("UPDATE webhooks SET active = FALSE WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE outbox SET state = 'dead', last_error = 'webhook removed', updated_at = $2 \
                 WHERE webhook_id = $1 AND state IN ('pending', 'failed')",
            )
            .bind(id)
            .bind(us(now))
            .execute(&mut *tx)
            .await?;
            crate::audit_in!(
                tx,
                now,
                actor,
                "webhook.deactivate",
                id.to_string(),
                found.url.clone()
            );
            tx.commit().await?;
            let mut hook = found.into_model()?;
            hook.active = false;
            Ok(hook)
        })
    }
}
