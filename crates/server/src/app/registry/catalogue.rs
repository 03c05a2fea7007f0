//! The public catalogue of services (issue 17): every service with a passport in force,
//! searched by name in any of the three languages, forgiving of word endings
//! (`qyzmet_domain::catalogue`), and filtered by organization, channel and life situation.
//! No sign-in: what it shows is what the passports publish.
//!
//! Each node keeps the catalogue in memory with the day and the stamp it was read at
//! (`Store::catalogue_stamp`, a generation the writing transactions bump), checks the stamp on
//! every search (one row) and reads the catalogue again only when it changed — a service or
//! an organization edited, a passport written — or on a new day, which may bring a version
//! into force.

use crate::app::{now, AppError};
use crate::state::AppState;
use qyzmet_domain::catalogue::{query_words, score, words};
use qyzmet_domain::passport::LifeSituation;
use qyzmet_store::{CatalogueService, CatalogueStamp};
use std::sync::{Arc, RwLock};

/// A service of the catalogue with the words of its names, ready to be searched.
#[derive(Debug, Clone)]
pub struct Entry {
    pub service: CatalogueService,
    /// The words of its name in Kazakh, Russian and English.
    words: [Vec<String>; 3],
}

impl Entry {
    fn of(service: CatalogueService) -> Entry {
        let n = &service.name;
        let words = [words(&n.kk), words(&n.ru), words(&n.en)];
        Entry { service, words }
    }

    /// The best score of the query's words against the name in any language.
    fn score(&self, query: &[String]) -> Option<u32> {
        self.words.iter().filter_map(|w| score(query, w)).max()
    }
}

/// The catalogue as read on a day at a stamp.
type Held = (jiff::civil::Date, CatalogueStamp, Arc<Vec<Entry>>);

/// The catalogue a node holds, and the day and stamp it was read at.
#[derive(Default)]
pub struct CatalogueCache {
    held: RwLock<Option<Held>>,
}

impl CatalogueCache {
    fn get(&self, day: jiff::civil::Date, stamp: CatalogueStamp) -> Option<Arc<Vec<Entry>>> {
        let held = self.held.read().unwrap_or_else(|p| p.into_inner());
        held.as_ref()
            .filter(|(d, s, _)| *d == day && *s == stamp)
            .map(|(_, _, e)| e.clone())
    }

    fn put(&self, day: jiff::civil::Date, stamp: CatalogueStamp, entries: Arc<Vec<Entry>>) {
        *self.held.write().unwrap_or_else(|p| p.into_inner()) = Some((day, stamp, entries));
    }
}

/// Every service of the catalogue today, by code.
pub async fn entries(state: &AppState) -> Result<Arc<Vec<Entry>>, AppError> {
    let day = qyzmet_domain::zone::local_date(now());
    let stamp = state.store.catalogue_stamp().await?;
    if let Some(held) = state.catalogue.get(day, stamp) {
        return Ok(held);
    }
    let read = state.store.catalogue(day).await?;
    let entries = Arc::new(read.into_iter().map(Entry::of).collect::<Vec<_>>());
    state.catalogue.put(day, stamp, entries.clone());
    Ok(entries)
}

/// What a visitor asks the catalogue.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// Words of the name, in any language.
    pub text: String,
    /// Services whose provider is this organization or one under it.
    pub organization: Option<String>,
    /// Services offered through this channel (`provider`, `state_corp`, `portal`).
    pub channel: Option<String>,
    pub situation: Option<LifeSituation>,
}

/// The services that answer `search`, best first (then by code); every one when it asks
/// nothing.
pub async fn search(state: &AppState, search: &Search) -> Result<Vec<Entry>, AppError> {
    let all = entries(state).await?;
    let query = query_words(&search.text);
    let within = match &search.organization {
        Some(code) => Some(
            all.iter()
                .find(|e| &e.service.provider_code == code)
                .map(|e| e.service.provider_path.clone())
                .or(organization_path(state, code).await?)
                .ok_or_else(|| AppError::invalid("organization", "unknown_organization"))?,
        ),
        None => None,
    };
    let mut found: Vec<(u32, &Entry)> = all
        .iter()
        .filter(|e| {
            within
                .as_ref()
                .is_none_or(|p| e.service.provider_path.starts_with(p.as_str()))
        })
        .filter(|e| {
            search
                .channel
                .as_ref()
                .is_none_or(|c| e.service.channels.contains(c))
        })
        .filter(|e| {
            search
                .situation
                .is_none_or(|s| e.service.passport.life_situations.contains(&s))
        })
        .filter_map(|e| e.score(&query).map(|s| (s, e)))
        .collect();
    found.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.service.code.cmp(&b.1.service.code))
    });
    Ok(found.into_iter().map(|(_, e)| e.clone()).collect())
}

async fn organization_path(state: &AppState, code: &str) -> Result<Option<String>, AppError> {
    let Ok(code) = qyzmet_domain::ids::OrgCode::parse(code) else {
        return Ok(None);
    };
    Ok(state.store.organization(&code).await?.map(|o| o.path))
}

/// One service of the catalogue, by code.
pub async fn service(state: &AppState, code: &str) -> Result<Entry, AppError> {
    entries(state)
        .await?
        .iter()
        .find(|e| e.service.code == code)
        .cloned()
        .ok_or_else(|| AppError::not_found("service_not_found"))
}

/// The organizations at the top of the tree (ministries, akimats) that provide a service of
/// the catalogue themselves or through one under them: what a visitor filters by.
pub async fn providers(state: &AppState) -> Result<Vec<qyzmet_store::Organization>, AppError> {
    let all = entries(state).await?;
    let mut roots = state.store.root_organizations().await?;
    roots.retain(|o| {
        all.iter()
            .any(|e| e.service.provider_path.starts_with(o.path.as_str()))
    });
    Ok(roots)
}
