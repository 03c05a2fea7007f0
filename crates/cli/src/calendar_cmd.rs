//! `qyzmet calendar …`: the deadline calculator and the calendar's entries.

use crate::DbArgs;
use clap::Subcommand;
use qyzmet_domain::calendar::CalendarEntry;
use qyzmet_domain::ProductionCalendar;
use qyzmet_server::app::registry::calendar::{
    self as api, CalendarEntryRequest, DeadlineQuery, DeadlineView,
};
use qyzmet_server::app::validate;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Compute a planned date and deadline (prints JSON).
    Deadline {
        /// Acceptance moment, RFC 3339 with offset.
        #[arg(long)]
        accepted_at: String,
        /// Term amount.
        #[arg(long)]
        term: i64,
        /// working-days, calendar-days, hours or minutes.
        #[arg(long)]
        unit: String,
        /// The service standard counts the acceptance day.
        #[arg(long)]
        acceptance_day_counted: bool,
        /// Accepted by the State Corporation with documents on paper (001 §25).
        #[arg(long)]
        paper_via_state_corp: bool,
        /// Provider working hours, e.g. 09:00-18:30 (default 09:00-18:00).
        #[arg(long)]
        working_hours: Option<String>,
        /// Use the calendar stored in this database instead of the shipped one.
        #[arg(long)]
        database: Option<String>,
    },
    /// List the entries of a year (from the database).
    List {
        #[arg(long)]
        year: i16,
        /// The language of the names and sources: kk, ru or en (a missing translation falls
        /// back to Russian, then Kazakh, then English).
        #[arg(long, default_value = "en")]
        lang: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set a day off or a working day; recomputes dependent planned dates.
    Set {
        /// YYYY-MM-DD
        date: String,
        /// day-off or working-day
        #[arg(long)]
        kind: String,
        #[arg(long)]
        name: String,
        /// The legal basis.
        #[arg(long)]
        source: String,
        /// The name in Kazakh (`--name` is the English one).
        #[arg(long)]
        name_kk: Option<String>,
        /// The name in Russian.
        #[arg(long)]
        name_ru: Option<String>,
        /// The legal basis in Kazakh.
        #[arg(long)]
        source_kk: Option<String>,
        /// The legal basis in Russian.
        #[arg(long)]
        source_ru: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Remove a day's entry (back to the weekly pattern); recomputes dependent planned dates.
    Remove {
        date: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(cmd: CalendarCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        CalendarCommand::Deadline {
            accepted_at,
            term,
            unit,
            acceptance_day_counted,
            paper_via_state_corp,
            working_hours,
            database,
        } => {
            let calendar = match database {
                Some(url) => {
                    let cfg = DbArgs {
                        database: Some(url),
                        config: None,
                    }
                    .config()?;
                    let store = qyzmet_server::open_store(&cfg).await?;
                    ProductionCalendar::new(store.calendar_entries().await?)
                }
                None => ProductionCalendar::kazakhstan(),
            };
            let q = DeadlineQuery {
                accepted_at,
                term,
                unit,
                acceptance_day_counted,
                paper_via_state_corp,
                working_hours,
            };
            match DeadlineView::compute(&q, &calendar) {
                Ok(view) => {
                    println!("{}", serde_json::to_string_pretty(&view)?);
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => crate::refused(&e),
            }
        }
        CalendarCommand::List { year, lang, db } => {
            let lang = qyzmet_server::i18n::Lang::from_code(&lang)
                .ok_or_else(|| anyhow::anyhow!("--lang must be kk, ru or en, not {lang:?}"))?;
            let store = qyzmet_server::open_store(&db.config()?).await?;
            for e in store
                .calendar_entries()
                .await?
                .into_iter()
                .filter(|e| e.date.year() == year)
            {
                println!(
                    "{}\t{}\t{}\t{}",
                    e.date,
                    e.kind.as_str(),
                    e.name_in(lang.code()),
                    e.source_in(lang.code())
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        CalendarCommand::Set {
            date,
            kind,
            name,
            source,
            name_kk,
            name_ru,
            source_kk,
            source_ru,
            db,
        } => {
            // The API's checks: the same text and date rules, the same messages.
            let req = CalendarEntryRequest {
                kind: kind.replace('-', "_"),
                name,
                source,
                name_kk,
                name_ru,
                source_kk,
                source_ru,
            };
            match api::entry(&date, &req) {
                Ok(entry) => edit(db, entry.date, Some(entry)).await,
                Err(e) => crate::refused(&e),
            }
        }
        CalendarCommand::Remove { date, db } => match validate::date("date", &date) {
            Ok(date) => edit(db, date, None).await,
            Err(e) => crate::refused(&e),
        },
    }
}

async fn edit(
    db: DbArgs,
    date: jiff::civil::Date,
    entry: Option<CalendarEntry>,
) -> anyhow::Result<ExitCode> {
    let cfg = db.config()?;
    let store = qyzmet_server::open_store(&cfg).await?;
    let r = store
        .edit_calendar(
            date,
            entry.as_ref(),
            "cli",
            jiff::Timestamp::now(),
            cfg.nearing_fraction,
        )
        .await?;
    println!("{}", serde_json::to_string_pretty(&r)?);
    Ok(ExitCode::SUCCESS)
}
