//! The steps of a catalogue load that concern one service's versions: its terms and its
//! passport (`catalogue_io`), as macros expanded inside the load's transaction on either
//! backend.

/// Loads the versions of service `$id`'s terms from `$item.terms` inside `$tx`: a version
/// stored as given is left; one stored otherwise is a conflict (`terms_version_differs`); a
/// new one must follow the latest (`terms_version_out_of_order`), dated not before it.
macro_rules! load_terms {
    ($tx:expr, $id:expr, $created:expr, $item:expr, $actor:expr, $now:expr, $report:expr, $problems:expr) => {{
        use $crate::catalogue_io::LoadProblem;
        let versions = sqlx::query(
            "SELECT version, effective_from, legal_basis FROM service_term_versions \
             WHERE service_id = $1 ORDER BY version",
        )
        .bind($id)
        .fetch_all(&mut *$tx)
        .await?;
        let rows = sqlx::query(
            "SELECT version, variant, amount, unit, name_kk, name_ru, name_en FROM service_terms \
             WHERE service_id = $1 ORDER BY version, position",
        )
        .bind($id)
        .fetch_all(&mut *$tx)
        .await?;
        let mut latest: i64 = 0;
        let mut latest_from = String::new();
        for v in &versions {
            latest = sqlx::Row::try_get(v, "version")?;
            latest_from = sqlx::Row::try_get(v, "effective_from")?;
        }
        let first = latest;
        for t in &$item.terms {
            let code = &$item.service.code;
            let stored = versions
                .iter()
                .find(|v| sqlx::Row::try_get::<i64, _>(*v, "version").ok() == Some(t.version));
            if let Some(v) = stored {
                let mut variants = Vec::new();
                for r in rows
                    .iter()
                    .filter(|r| sqlx::Row::try_get::<i64, _>(*r, "version").ok() == Some(t.version))
                {
                    variants.push($crate::models::TermVariant {
                        variant: sqlx::Row::try_get(r, "variant")?,
                        term: $crate::rows::term(
                            sqlx::Row::try_get(r, "amount")?,
                            &sqlx::Row::try_get::<String, _>(r, "unit")?,
                        )?,
                        name: $crate::models::LocalizedName {
                            kk: sqlx::Row::try_get(r, "name_kk")?,
                            ru: sqlx::Row::try_get(r, "name_ru")?,
                            en: sqlx::Row::try_get(r, "name_en")?,
                        },
                    });
                }
                let same = sqlx::Row::try_get::<String, _>(v, "effective_from")?
                    == t.effective_from.to_string()
                    && sqlx::Row::try_get::<String, _>(v, "legal_basis")? == t.legal_basis
                    && variants == t.terms;
                if same {
                    $report.term_versions.add(false, false);
                } else {
                    $problems.push(
                        LoadProblem::new(&t.at, "terms", "terms_version_differs")
                            .arg("service", code)
                            .arg("version", t.version),
                    );
                }
                continue;
            }
            if t.version != latest + 1
                || latest_from.as_str() > t.effective_from.to_string().as_str()
            {
                $problems.push(
                    LoadProblem::new(&t.at, "version", "terms_version_out_of_order")
                        .arg("service", code)
                        .arg("version", t.version),
                );
                continue;
            }
            let mut qb = sqlx::QueryBuilder::new($crate::registry::TERMS_INSERT);
            qb.push_values(t.terms.iter().enumerate(), |mut b, (i, v)| {
                b.push_bind($id)
                    .push_bind(t.version)
                    .push_bind(i as i64)
                    .push_bind(v.variant.clone())
                    .push_bind(i64::from(v.term.amount))
                    .push_bind(v.term.unit.as_str())
                    .push_bind($crate::convert::us($now))
                    .push_bind(v.name.kk.clone())
                    .push_bind(v.name.ru.clone())
                    .push_bind(v.name.en.clone());
            });
            qb.build().execute(&mut *$tx).await?;
            $crate::registry_edit::record_version!(
                $tx,
                $id,
                t.version,
                t.effective_from,
                &t.legal_basis,
                $actor,
                $now
            );
            latest = t.version;
            latest_from = t.effective_from.to_string();
            $report.term_versions.add(true, false);
        }
        if latest != first || $created {
            sqlx::query("UPDATE services SET terms_version = $1 WHERE id = $2")
                .bind(latest)
                .bind($id)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use load_terms;

/// Loads the versions of service `$id`'s passport from `$item.passports` inside `$tx`: a
/// published version stored as given is left, one stored otherwise is a conflict
/// (`passport_version_differs`, naming the service and the version); a new one must come after
/// every stored version (`passport_version_out_of_order`), in force after the latest; the
/// draft is written over the stored draft of the same number.
macro_rules! load_passports {
    ($tx:expr, $id:expr, $item:expr, $actor:expr, $now:expr, $report:expr, $problems:expr) => {{
        use $crate::catalogue_io::LoadProblem;
        let mut stored: Vec<(i64, String, Option<String>, String, String)> = Vec::new();
        for r in sqlx::query(
            "SELECT version, state, valid_from, approving_act, body FROM service_passports \
             WHERE service_id = $1 ORDER BY version",
        )
        .bind($id)
        .fetch_all(&mut *$tx)
        .await?
        {
            stored.push((
                sqlx::Row::try_get(&r, "version")?,
                sqlx::Row::try_get(&r, "state")?,
                sqlx::Row::try_get(&r, "valid_from")?,
                sqlx::Row::try_get(&r, "approving_act")?,
                sqlx::Row::try_get(&r, "body")?,
            ));
        }
        let mut max_version = stored.iter().map(|s| s.0).max().unwrap_or(0);
        let mut last_from: Option<String> = stored.iter().filter_map(|s| s.2.clone()).max();
        let has_draft = stored.iter().any(|s| s.1 == "draft");
        let code = &$item.service.code;
        for p in &$item.passports {
            let body = serde_json::to_string(&p.passport).map_err(|e| {
                $crate::error::StoreError::Corrupt {
                    column: "service_passports.body",
                    detail: e.to_string(),
                }
            })?;
            let old = stored.iter().find(|s| s.0 == p.version);
            let same_body = |b: &str| {
                serde_json::from_str::<qyzmet_domain::passport::Passport>(b).ok().as_ref()
                    == Some(&p.passport)
            };
            let differs = || {
                LoadProblem::new(&p.at, "passport", "passport_version_differs")
                    .arg("service", code)
                    .arg("version", p.version)
            };
            let out_of_order = || {
                LoadProblem::new(&p.at, "version", "passport_version_out_of_order")
                    .arg("service", code)
                    .arg("version", p.version)
            };
            match (&p.publication, old) {
                (Some(publ), Some(o)) => {
                    let same = o.1 == "published"
                        && o.2.as_deref() == Some(publ.valid_from.to_string().as_str())
                        && o.3 == publ.approving_act
                        && same_body(&o.4);
                    if same {
                        $report.passport_versions.add(false, false);
                    } else {
                        $problems.push(differs());
                    }
                }
                (Some(publ), None) => {
                    let from = publ.valid_from.to_string();
                    if p.version <= max_version || last_from.as_ref().is_some_and(|l| *l >= from) {
                        $problems.push(out_of_order());
                        continue;
                    }
                    sqlx::query(
                        "INSERT INTO service_passports (service_id, version, state, valid_from, \
                         approving_act, body, created_by, created_at, updated_by, updated_at, \
                         published_by, published_at) \
                         VALUES ($1, $2, 'published', $3, $4, $5, $6, $7, $6, $7, $6, $7)",
                    )
                    .bind($id)
                    .bind(p.version)
                    .bind(&from)
                    .bind(&publ.approving_act)
                    .bind(&body)
                    .bind($actor)
                    .bind($crate::convert::us($now))
                    .execute(&mut *$tx)
                    .await?;
                    max_version = p.version;
                    last_from = Some(from);
                    $report.passport_versions.add(true, false);
                }
                (None, Some(o)) => {
                    if o.1 != "draft" {
                        $problems.push(differs());
                    } else if same_body(&o.4) {
                        $report.passport_versions.add(false, false);
                    } else {
                        sqlx::query(
                            "UPDATE service_passports SET body = $1, revision = revision + 1, \
                             updated_by = $2, updated_at = $3 WHERE service_id = $4 AND state = 'draft'",
                        )
                        .bind(&body)
                        .bind($actor)
                        .bind($crate::convert::us($now))
                        .bind($id)
                        .execute(&mut *$tx)
                        .await?;
                        $report.passport_versions.add(false, true);
                    }
                }
                (None, None) => {
                    if has_draft || p.version <= max_version {
                        $problems.push(out_of_order());
                        continue;
                    }
                    sqlx::query(
                        "INSERT INTO service_passports (service_id, version, state, body, \
                         created_by, created_at, updated_by, updated_at) \
                         VALUES ($1, $2, 'draft', $3, $4, $5, $4, $5)",
                    )
                    .bind($id)
                    .bind(p.version)
                    .bind(&body)
                    .bind($actor)
                    .bind($crate::convert::us($now))
                    .execute(&mut *$tx)
                    .await?;
                    max_version = p.version;
                    $report.passport_versions.add(true, false);
                }
            }
        }
    }};
}
pub(crate) use load_passports;
