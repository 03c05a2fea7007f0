//! Acceptances at the counter and their receipts (001 §7–8, §14–17, §22; ADR 0021;
//! migration 0026). A complete, consented package is registered by the same transaction as
//! every registration ([`Store::register`]), which also writes the acceptance, the consents,
//! the receipt and the counter's action (001 §21); an incomplete one writes the acceptance
//! refused and its refusal receipt, and no application. A retried acceptance (the same
//! `request_key` at the office) returns the first.

use crate::convert::{date, parse, ts, us};
use crate::error::{Result, StoreError};
use crate::models::Application;
use crate::Store;
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::front_office::receipt::ReceiptKind;
use qyzmet_domain::ids::ApplicationNumber;
use serde::Serialize;
use sqlx::Row;

/// A consent (001 §7, §8): which, where it was given, its id there and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consent {
    /// `personal_data` (001 §8) or `protected_data` (001 §7).
    pub kind: String,
    /// Where it was given: `paper`, `egov_sms`, `digital_signature`, …
    pub source: String,
    /// Its id there (the signed form's number, the SMS's id).
    pub source_id: String,
    pub given_at: Timestamp,
}

/// A consent as recorded for an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentRecord {
    #[serde(flatten)]
    pub consent: Consent,
    pub recorded_at: Timestamp,
    pub actor: String,
}

/// What an acceptance at the counter writes beside the application (or instead of it).
#[derive(Debug, Clone)]
pub struct NewAcceptance {
    /// The public id of the acceptance.
    pub public_id: String,
    /// The client's key: a retry with it returns the first acceptance.
    pub request_key: String,
    pub office_id: i64,
    pub office_code: String,
    pub counter_id: Option<i64>,
    pub ticket_id: Option<i64>,
    pub employee_id: Option<i64>,
    pub service_code: String,
    pub passport_version: i64,
    /// JSON: how the applicant or the representative was identified (personal data).
    pub identification: String,
    /// JSON: the documents received and the checklist's verdict.
    pub documents: String,
    pub consents: Vec<Consent>,
    /// The receipt it gives.
    pub receipt: NewReceipt,
    /// The receipt sent to the applicant electronically (001 §15.5: electronic by default),
    /// written to the outbox in the acceptance's transaction; `{number}` and `{issue_date}` in
    /// the subject and body are filled from the registration.
    pub notices: Vec<ReceiptNotice>,
}

/// The electronic receipt to one address of the applicant.
#[derive(Debug, Clone)]
pub struct ReceiptNotice {
    /// `email` or `sms`.
    pub channel: &'static str,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// A receipt to write; its application's number and issue date come from the registration.
#[derive(Debug, Clone)]
pub struct NewReceipt {
    pub id: String,
    pub kind: ReceiptKind,
    /// `kk` or `ru` (001 §16).
    pub language: String,
    /// The documents' codes, in the passport's order.
    pub accepted: Vec<String>,
    pub missing: Vec<String>,
    /// JSON: the rest as printed (the employee's name, the service, the documents' names).
    pub body: String,
}

/// What a scan of a package needs to know (see [`Store::package_facts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFacts {
    /// How many of the two consents are on record.
    pub consents: i64,
    /// Where the package is: the office of its last scan, else the office that accepted it.
    pub at_office: Option<String>,
    /// Whether the office named in the scan exists.
    pub named_exists: bool,
}

/// A receipt as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Receipt {
    pub id: String,
    pub kind: ReceiptKind,
    pub application: Option<ApplicationNumber>,
    pub office: String,
    pub language: String,
    pub applied_at: Timestamp,
    pub issue_date: Option<Date>,
    pub accepted: Vec<String>,
    pub missing: Vec<String>,
    pub body: serde_json::Value,
    pub issued_at: Timestamp,
    /// The acceptance it was given at.
    pub acceptance: String,
    /// The application's organizations' paths (scoping), when accepted; the office's
    /// organization's path.
    #[serde(skip)]
    pub paths: Vec<String>,
}

/// What an acceptance came to.
#[derive(Debug, Clone)]
pub struct AcceptanceOutcome {
    pub public_id: String,
    pub application: Option<Application>,
    pub receipt: Receipt,
    /// False when a retry found the first acceptance.
    pub created: bool,
}

pub(crate) const RECEIPT_SELECT: &str =
    "SELECT r.id, r.kind, r.number, r.office_code, r.language, \
    r.applied_at, r.issue_date, r.accepted, r.missing, r.body, r.issued_at, \
    ac.public_id AS acceptance, o.path AS office_path, a.accept_path, a.exec_path \
    FROM receipts r JOIN acceptances ac ON ac.id = r.acceptance_id \
    JOIN offices f ON f.id = ac.office_id JOIN organizations o ON o.id = f.organization_id \
    LEFT JOIN applications a ON a.id = r.app_id";

pub(crate) fn receipt_of(row: &impl ReceiptRow) -> Result<Receipt> {
    row.receipt()
}

/// Reads a receipt from either backend's row.
pub(crate) trait ReceiptRow {
    fn receipt(&self) -> Result<Receipt>;
}

macro_rules! receipt_row {
    ($row:ty) => {
        impl ReceiptRow for $row {
            fn receipt(&self) -> Result<Receipt> {
                let kind: String = self.try_get("kind")?;
                let number: Option<i64> = self.try_get("number")?;
                let issue: Option<String> = self.try_get("issue_date")?;
                let body: String = self.try_get("body")?;
                let list = |s: String| -> Vec<String> {
                    s.split(',')
                        .filter(|c| !c.is_empty())
                        .map(str::to_string)
                        .collect()
                };
                let mut paths = vec![self.try_get::<String, _>("office_path")?];
                for col in ["accept_path", "exec_path"] {
                    if let Some(p) = self.try_get::<Option<String>, _>(col)? {
                        paths.push(p);
                    }
                }
                Ok(Receipt {
                    id: self.try_get("id")?,
                    kind: ReceiptKind::parse(&kind).ok_or(StoreError::Corrupt {
                        column: "receipts.kind",
                        detail: kind.clone(),
                    })?,
                    application: number.map(crate::rows::number).transpose()?,
                    office: self.try_get("office_code")?,
                    language: self.try_get("language")?,
                    applied_at: ts("receipts.applied_at", self.try_get("applied_at")?)?,
                    issue_date: issue.map(|d| date("receipts.issue_date", &d)).transpose()?,
                    accepted: list(self.try_get("accepted")?),
                    missing: list(self.try_get("missing")?),
                    body: parse("receipts.body", &body)?,
                    issued_at: ts("receipts.issued_at", self.try_get("issued_at")?)?,
                    acceptance: self.try_get("acceptance")?,
                    paths,
                })
            }
        }
    };
}
receipt_row!(sqlx::sqlite::SqliteRow);
receipt_row!(sqlx::postgres::PgRow);

/// Writes an acceptance, its consents, its receipt and the counter's action inside `$tx`;
/// `$app` is the registered application (internal id, number, planned date), if any.
macro_rules! write_acceptance {
    ($tx:expr, $acc:expr, $service_id:expr, $app:expr, $actor:expr, $now:expr) => {{
        let acc: &$crate::front_office::NewAcceptance = $acc;
        let app: Option<(i64, qyzmet_domain::ids::ApplicationNumber, String)> = $app;
        let outcome = if app.is_some() { "accepted" } else { "refused" };
        let id: i64 = sqlx::query(
            "INSERT INTO acceptances (public_id, request_key, office_id, counter_id, ticket_id, \
             employee_id, actor, service_id, passport_version, app_id, outcome, identification, \
             documents, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             RETURNING id",
        )
        .bind(&acc.public_id)
        .bind(&acc.request_key)
        .bind(acc.office_id)
        .bind(acc.counter_id)
        .bind(acc.ticket_id)
        .bind(acc.employee_id)
        .bind($actor)
        .bind($service_id)
        .bind(acc.passport_version)
        .bind(app.as_ref().map(|a| a.0))
        .bind(outcome)
        .bind(&acc.identification)
        .bind(&acc.documents)
        .bind($crate::convert::us($now))
        .fetch_one(&mut *$tx)
        .await?
        .try_get("id")?;
        if let Some((app_id, _, _)) = &app {
            for c in &acc.consents {
                sqlx::query(
                    "INSERT INTO application_consents (app_id, kind, source, source_id, given_at, \
                     recorded_at, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(*app_id)
                .bind(&c.kind)
                .bind(&c.source)
                .bind(&c.source_id)
                .bind($crate::convert::us(c.given_at))
                .bind($crate::convert::us($now))
                .bind($actor)
                .execute(&mut *$tx)
                .await?;
            }
        }
        let r = &acc.receipt;
        sqlx::query(
            "INSERT INTO receipts (id, acceptance_id, kind, app_id, number, office_code, language, \
             applied_at, issue_date, accepted, missing, body, issued_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(&r.id)
        .bind(id)
        .bind(r.kind.as_str())
        .bind(app.as_ref().map(|a| a.0))
        .bind(app.as_ref().map(|a| a.1.as_i64()))
        .bind(&acc.office_code)
        .bind(&r.language)
        .bind($crate::convert::us($now))
        .bind(app.as_ref().map(|a| a.2.clone()))
        .bind(r.accepted.join(","))
        .bind(r.missing.join(","))
        .bind(&r.body)
        .bind($crate::convert::us($now))
        .execute(&mut *$tx)
        .await?;
        for m in &acc.notices {
            let fill = |s: &str| match &app {
                Some((_, n, d)) => s.replace("{number}", &n.to_string()).replace("{issue_date}", d),
                None => s.to_string(),
            };
            sqlx::query(
                "INSERT INTO outbox (key, channel, app_id, recipient, subject, body, state, \
                 attempts, next_attempt_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7, $7) ON CONFLICT (key) DO NOTHING",
            )
            .bind(format!("receipt:{}:{}", r.id, m.channel))
            .bind(m.channel)
            .bind(app.as_ref().map(|a| a.0))
            .bind(&m.recipient)
            .bind(fill(&m.subject))
            .bind(fill(&m.body))
            .bind($crate::convert::us($now))
            .execute(&mut *$tx)
            .await?;
        }
        crate::front_office::queue_action!(
            $tx,
            acc.office_id,
            acc.ticket_id,
            acc.counter_id,
            if app.is_some() { "acceptance.accept" } else { "acceptance.refuse" },
            $actor,
            $now,
            match &app {
                Some((_, n, _)) => format!("{} {n}", acc.public_id),
                None => acc.public_id.clone(),
            }
        );
    }};
}
pub(crate) use write_acceptance;

/// The receipt `$id`, read inside `$tx`.
macro_rules! receipt_in {
    ($tx:expr, $id:expr) => {{
        let row = sqlx::query(&format!(
            "{} WHERE r.id = $1",
            $crate::front_office::acceptances::RECEIPT_SELECT
        ))
        .bind($id)
        .fetch_one(&mut *$tx)
        .await?;
        $crate::front_office::acceptances::receipt_of(&row)
    }};
}
pub(crate) use receipt_in;

/// The acceptance already made with `$key` at `$office`, as its outcome.
macro_rules! prior_acceptance {
    ($tx:expr, $office:expr, $key:expr) => {{
        let found = sqlx::query(&format!(
            "{} WHERE ac.office_id = $1 AND ac.request_key = $2",
            $crate::front_office::acceptances::RECEIPT_SELECT
        ))
        .bind($office)
        .bind($key)
        .fetch_optional(&mut *$tx)
        .await?;
        match found {
            Some(row) => {
                let receipt = $crate::front_office::acceptances::receipt_of(&row)?;
                let application = match receipt.application {
                    Some(n) => Some(
                        sqlx::query_as::<_, crate::rows::AppRow>(&format!(
                            "{} WHERE a.number = $1",
                            crate::rows::APP_SELECT
                        ))
                        .bind(n.as_i64())
                        .fetch_one(&mut *$tx)
                        .await?
                        .into_model()?,
                    ),
                    None => None,
                };
                Some($crate::front_office::AcceptanceOutcome {
                    public_id: receipt.acceptance.clone(),
                    application,
                    receipt,
                    created: false,
                })
            }
            None => None,
        }
    }};
}
pub(crate) use prior_acceptance;

impl Store {
    /// Writes a refused acceptance and its refusal receipt (001 §15.6): no application.
    pub async fn refuse_acceptance(
        &self,
        acc: &NewAcceptance,
        actor: &str,
        now: Timestamp,
    ) -> Result<AcceptanceOutcome> {
        crate::with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            if let Some(prior) = prior_acceptance!(tx, acc.office_id, &acc.request_key) {
                return Ok(prior);
            }
            let service_id: i64 = sqlx::query("SELECT id FROM services WHERE code = $1")
                .bind(&acc.service_code)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::Invalid {
                    code: "unknown_service",
                    field: "service_code",
                })?
                .try_get("id")?;
            write_acceptance!(tx, acc, service_id, None, actor, now);
            let receipt = receipt_in!(tx, &acc.receipt.id)?;
            tx.commit().await?;
            Ok(AcceptanceOutcome {
                public_id: acc.public_id.clone(),
                application: None,
                receipt,
                created: true,
            })
        })
    }

    /// A receipt by its id.
    pub async fn receipt(&self, id: &str) -> Result<Option<Receipt>> {
        crate::with_db!(self, |read, _write| {
            let row = sqlx::query(&format!("{RECEIPT_SELECT} WHERE r.id = $1"))
                .bind(id)
                .fetch_optional(read)
                .await?;
            row.map(|r| receipt_of(&r)).transpose()
        })
    }

    /// How the applicant or the representative was identified at the acceptance `public_id`
    /// (JSON; personal data) with the paths of who may read it — the office's organization,
    /// the application's — and the application's number, if one was registered.
    pub async fn acceptance_identification(
        &self,
        public_id: &str,
    ) -> Result<Option<(String, Vec<String>, Option<ApplicationNumber>)>> {
        crate::with_db!(self, |read, _write| {
            let row = sqlx::query(
                "SELECT ac.identification, o.path AS office_path, a.accept_path, a.exec_path, \
                 a.number \
                 FROM acceptances ac JOIN offices f ON f.id = ac.office_id \
                 JOIN organizations o ON o.id = f.organization_id \
                 LEFT JOIN applications a ON a.id = ac.app_id WHERE ac.public_id = $1",
            )
            .bind(public_id)
            .fetch_optional(read)
            .await?;
            match row {
                None => Ok(None),
                Some(r) => {
                    let mut paths = vec![r.try_get::<String, _>("office_path")?];
                    for col in ["accept_path", "exec_path"] {
                        if let Some(p) = r.try_get::<Option<String>, _>(col)? {
                            paths.push(p);
                        }
                    }
                    let number = r
                        .try_get::<Option<i64>, _>("number")?
                        .map(crate::rows::number)
                        .transpose()?;
                    Ok(Some((r.try_get("identification")?, paths, number)))
                }
            }
        })
    }

    /// The acceptance receipt of an application, if it was accepted at a counter.
    pub async fn receipt_of_application(
        &self,
        number: ApplicationNumber,
    ) -> Result<Option<Receipt>> {
        crate::with_db!(self, |read, _write| {
            let row = sqlx::query(&format!("{RECEIPT_SELECT} WHERE r.number = $1"))
                .bind(number.as_i64())
                .fetch_optional(read)
                .await?;
            row.map(|r| receipt_of(&r)).transpose()
        })
    }

    /// Whether the application `number` exists and `scope` sees it: `None` if not, else
    /// whether it has a paper package (accepted at the State Corporation on paper).
    pub async fn application_reach(
        &self,
        number: ApplicationNumber,
        scope: &crate::models::Scope,
    ) -> Result<Option<bool>> {
        crate::with_db!(self, |read, _write| {
            let row = sqlx::query(
                "SELECT accept_path, exec_path, paper, channel FROM applications WHERE number = $1",
            )
            .bind(number.as_i64())
            .fetch_optional(read)
            .await?;
            Ok(match row {
                Some(r)
                    if scope.sees(
                        &r.try_get::<String, _>("accept_path")?,
                        &r.try_get::<String, _>("exec_path")?,
                    ) =>
                {
                    Some(
                        r.try_get::<bool, _>("paper")?
                            && r.try_get::<String, _>("channel")? == "state_corp",
                    )
                }
                _ => None,
            })
        })
    }

    /// What a scan of the package of application `number` needs to know, in one read: `None`
    /// when the application does not exist, `scope` does not see it, or it has no package;
    /// else how many of the two consents are on record, where the package is (the office of
    /// its last scan, else the office that accepted it), and whether the office `named` exists.
    pub async fn package_facts(
        &self,
        number: ApplicationNumber,
        scope: &crate::models::Scope,
        named: Option<&str>,
    ) -> Result<Option<PackageFacts>> {
        crate::with_db!(self, |read, _write| {
            let row = sqlx::query(
                "SELECT a.accept_path, a.exec_path, a.paper, a.channel, \
                 (SELECT COUNT(*) FROM application_consents c WHERE c.app_id = a.id) AS consents, \
                 COALESCE(\
                  (SELECT e.office FROM events e WHERE e.app_id = a.id AND e.kind = 'scanned' \
                   ORDER BY e.seq DESC LIMIT 1), \
                  (SELECT f.code FROM acceptances ac JOIN offices f ON f.id = ac.office_id \
                   WHERE ac.app_id = a.id)) AS at_office, \
                 (SELECT o.code FROM offices o WHERE o.code = $2) AS named \
                 FROM applications a WHERE a.number = $1",
            )
            .bind(number.as_i64())
            .bind(named.unwrap_or(""))
            .fetch_optional(read)
            .await?;
            let Some(r) = row else { return Ok(None) };
            let seen = scope.sees(
                &r.try_get::<String, _>("accept_path")?,
                &r.try_get::<String, _>("exec_path")?,
            );
            let package = r.try_get::<bool, _>("paper")?
                && r.try_get::<String, _>("channel")? == "state_corp";
            if !(seen && package) {
                return Ok(None);
            }
            Ok(Some(PackageFacts {
                consents: r.try_get("consents")?,
                at_office: r.try_get("at_office")?,
                named_exists: r.try_get::<Option<String>, _>("named")?.is_some(),
            }))
        })
    }

    /// The consents recorded for an application.
    pub async fn consents(&self, number: ApplicationNumber) -> Result<Vec<ConsentRecord>> {
        crate::with_db!(self, |read, _write| {
            let rows = sqlx::query(
                "SELECT c.kind, c.source, c.source_id, c.given_at, c.recorded_at, c.actor \
                 FROM application_consents c JOIN applications a ON a.id = c.app_id \
                 WHERE a.number = $1 ORDER BY c.kind",
            )
            .bind(number.as_i64())
            .fetch_all(read)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(ConsentRecord {
                        consent: Consent {
                            kind: r.try_get("kind")?,
                            source: r.try_get("source")?,
                            source_id: r.try_get("source_id")?,
                            given_at: ts("application_consents.given_at", r.try_get("given_at")?)?,
                        },
                        recorded_at: ts(
                            "application_consents.recorded_at",
                            r.try_get("recorded_at")?,
                        )?,
                        actor: r.try_get("actor")?,
                    })
                })
                .collect()
        })
    }

    /// Records consents for an application (the caller has checked its scope); a kind already
    /// on record is kept as it was (a retry, or the same consent given twice). Returns the
    /// consents on record.
    pub async fn add_consents(
        &self,
        number: ApplicationNumber,
        consents: &[Consent],
        actor: &str,
        now: Timestamp,
    ) -> Result<Vec<ConsentRecord>> {
        crate::with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let app_id: i64 = sqlx::query("SELECT id FROM applications WHERE number = $1")
                .bind(number.as_i64())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("application"))?
                .try_get("id")?;
            for c in consents {
                sqlx::query(
                    "INSERT INTO application_consents (app_id, kind, source, source_id, given_at, \
                     recorded_at, actor) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (app_id, kind) DO NOTHING",
                )
                .bind(app_id)
                .bind(&c.kind)
                .bind(&c.source)
                .bind(&c.source_id)
                .bind(us(c.given_at))
                .bind(us(now))
                .bind(actor)
                .execute(&mut *tx)
                .await?;
            }
            crate::audit_in!(
                tx,
                now,
                actor,
                "application.consents",
                number.to_string(),
                consents
                    .iter()
                    .map(|c| c.kind.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.consents(number).await
    }
}
