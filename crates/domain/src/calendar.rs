//! The production calendar (MISSION "The production calendar"): which local dates are working
//! days. Owns the concrete dated entries that override the weekly pattern (Saturday and Sunday
//! off), their expansion from the rules in `data/calendar/kazakhstan.toml`, the calendar's
//! content version (rule 10), and the day arithmetic the deadline rules count with.

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, OnceLock};

/// The embedded calendar rules of Kazakhstan, 2020 onwards.
const KAZAKHSTAN_TOML: &str = include_str!("../../../data/calendar/kazakhstan.toml");

/// What a dated entry makes of its date.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// No work: a holiday, a moved holiday, a transferred day off.
    #[default]
    DayOff,
    /// Work on a day that would otherwise be off (a working Saturday or Sunday).
    WorkingDay,
}

impl DayKind {
    /// The snake_case name, as stored and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::DayOff => "day_off",
            DayKind::WorkingDay => "working_day",
        }
    }
}

impl fmt::Display for DayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One concrete date that overrides the weekly pattern, with what it is and its legal basis,
/// in English (`name`, `source`: the fields every reader of the API has had) and in Kazakh and
/// Russian (`name_kk`, `source_kk`, `name_ru`, `source_ru`; empty when an administrator gave
/// none, never for a shipped entry).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CalendarEntry {
    pub date: Date,
    pub kind: DayKind,
    /// What the day is, e.g. "Nauryz meiramy, day 1 (moved from Sat 2026-03-21)".
    pub name: String,
    /// The legal basis: law, article, decree.
    pub source: String,
    #[serde(default)]
    pub name_kk: String,
    #[serde(default)]
    pub name_ru: String,
    #[serde(default)]
    pub source_kk: String,
    #[serde(default)]
    pub source_ru: String,
}

impl CalendarEntry {
    /// The name in `lang` (`kk`, `ru`, `en`), else Russian, Kazakh, English: never empty
    /// while any language has one.
    pub fn name_in(&self, lang: &str) -> &str {
        crate::localized::pick(lang, &self.name_kk, &self.name_ru, &self.name)
    }

    /// The legal source in `lang`, with the fallback of [`CalendarEntry::name_in`].
    pub fn source_in(&self, lang: &str) -> &str {
        crate::localized::pick(lang, &self.source_kk, &self.source_ru, &self.source)
    }
}

/// Why calendar rules could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// Not TOML, or not of the shape described at the top of the data file.
    #[error("calendar rules are not valid: {0}")]
    Toml(String),
    /// A value that should be a local date (`2025-01-05`) is not one.
    #[error("calendar rules: {field} must be a local date like 2025-01-05, got {value}")]
    NotADate { field: &'static str, value: String },
    /// A recurring holiday whose month and day never exist.
    #[error("calendar rules: holiday {name:?} has no valid month/day {month}/{day}")]
    InvalidDay { name: String, month: i8, day: i8 },
    /// The expansion years are reversed or outside 1..=9998.
    #[error("calendar rules: years {first}..={last} are not a valid range")]
    YearRange { first: i16, last: i16 },
}

/// The production calendar: the weekly pattern overridden by concrete dated entries.
///
/// Cloning is cheap (the data is shared), so a calendar can be handed to every request.
#[derive(Clone)]
pub struct ProductionCalendar {
    inner: Arc<Inner>,
}

struct Inner {
    entries: BTreeMap<Date, CalendarEntry>,
    version: String,
    /// Epoch day (days since 1970-01-01) of `working[0]`.
    table_start: i32,
    /// Whether each day from `table_start` is a working day, resolved once so that the hot
    /// path of deadline computation looks up a slice instead of a map.
    working: Vec<bool>,
    /// False when the entries span too many years for the dense table; then dates outside
    /// the table fall back to the map.
    table_complete: bool,
}

/// The dense table covers at most this many days (about 110 years); beyond, the map answers.
const MAX_TABLE_DAYS: i32 = 40_000;

impl fmt::Debug for ProductionCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProductionCalendar")
            .field("version", &self.inner.version)
            .field("entries", &self.inner.entries.len())
            .field("first", &self.inner.entries.keys().next())
            .field("last", &self.inner.entries.keys().next_back())
            .finish()
    }
}

impl ProductionCalendar {
    /// A calendar from concrete entries; for the same date the later entry wins.
    pub fn new(entries: impl IntoIterator<Item = CalendarEntry>) -> Self {
        let mut map = BTreeMap::new();
        for e in entries {
            map.insert(e.date, e);
        }
        let version = content_version(map.values());
        let (table_start, working, table_complete) =
            match (map.keys().next(), map.keys().next_back()) {
                (Some(&first), Some(&last)) => {
                    let (lo, hi) = (epoch_day(first), epoch_day(last));
                    let hi = hi.min(lo + MAX_TABLE_DAYS - 1);
                    let working = (lo..=hi)
                        .map(|n| match map.get(&date_from_epoch_day(n)) {
                            Some(e) => e.kind == DayKind::WorkingDay,
                            None => !is_weekend_epoch_day(n),
                        })
                        .collect();
                    (lo, working, hi == epoch_day(last))
                }
                _ => (0, Vec::new(), true),
            };
        ProductionCalendar {
            inner: Arc::new(Inner {
                entries: map,
                version,
                table_start,
                working,
                table_complete,
            }),
        }
    }

    /// The calendar of Kazakhstan expanded from the embedded `data/calendar/kazakhstan.toml`.
    /// Built once per process; later calls return a cheap clone of the shared data.
    pub fn kazakhstan() -> Self {
        static CAL: OnceLock<ProductionCalendar> = OnceLock::new();
        CAL.get_or_init(|| ProductionCalendar::new(Self::default_entries()))
            .clone()
    }

    /// The concrete entries expanded from the embedded rules, in date order: what seeds the
    /// calendar table of a new database.
    pub fn default_entries() -> Vec<CalendarEntry> {
        Self::expand(KAZAKHSTAN_TOML)
            .expect("the embedded data/calendar/kazakhstan.toml is valid (checked by tests)")
    }

    /// Expands calendar rules (the format of `data/calendar/kazakhstan.toml`) into concrete
    /// entries, one per date, in date order.
    pub fn expand(toml_text: &str) -> Result<Vec<CalendarEntry>, CalendarError> {
        let file: rules::CalendarFile =
            toml::from_str(toml_text).map_err(|e| CalendarError::Toml(e.to_string()))?;
        rules::expand(file)
    }

    /// Whether `d` is a working day: its entry if it has one, else Monday to Friday.
    pub fn is_working_day(&self, d: Date) -> bool {
        let inner = &*self.inner;
        let n = epoch_day(d);
        if let Some(w) = inner.table_lookup(n) {
            return w;
        }
        if !inner.table_complete {
            if let Some(e) = inner.entries.get(&d) {
                return e.kind == DayKind::WorkingDay;
            }
        }
        !is_weekend_epoch_day(n)
    }

    /// `d` if it is a working day, else the next working day after it.
    pub fn working_day_on_or_after(&self, d: Date) -> Date {
        date_from_epoch_day(self.working_on_or_after(epoch_day(d)))
    }

    /// The first working day strictly after `d`.
    pub fn next_working_day_after(&self, d: Date) -> Date {
        date_from_epoch_day(self.working_on_or_after(epoch_day(d).saturating_add(1)))
    }

    /// The `n`-th working day counting from `from` inclusive (MISSION rule 5). For `n = 0` no
    /// day is counted and the answer is the day before `from`.
    pub fn nth_working_day(&self, from: Date, n: u32) -> Date {
        date_from_epoch_day(self.nth_working(epoch_day(from), n))
    }

    /// How many working days lie in `[from, until)` (MISSION rule 9); 0 when `until <= from`.
    pub fn working_days_in(&self, from: Date, until: Date) -> u32 {
        self.working_days_between(epoch_day(from), epoch_day(until))
    }

    /// The entry of `d`, if the calendar has one.
    pub fn entry(&self, d: Date) -> Option<&CalendarEntry> {
        self.inner.entries.get(&d)
    }

    /// All entries in date order.
    pub fn entries(&self) -> impl Iterator<Item = &CalendarEntry> {
        self.inner.entries.values()
    }

    /// A deterministic hash of the entries (FNV-1a 64, 16 hex digits), recorded with every
    /// derived deadline (MISSION rule 10); any change of any entry changes it.
    pub fn version(&self) -> &str {
        &self.inner.version
    }

    // --- epoch-day arithmetic for the hot path (crate-internal) ---

    pub(crate) fn is_working_epoch_day(&self, n: i32) -> bool {
        match self.inner.table_lookup(n) {
            Some(w) => w,
            None => self.is_working_day(date_from_epoch_day(n)),
        }
    }

    pub(crate) fn working_on_or_after(&self, mut n: i32) -> i32 {
        while !self.is_working_epoch_day(n) && n < MAX_EPOCH_DAY {
            n += 1;
        }
        n
    }

    pub(crate) fn nth_working(&self, from: i32, n: u32) -> i32 {
        let mut day = from.saturating_sub(1);
        let mut left = n;
        while left > 0 && day < MAX_EPOCH_DAY {
            day += 1;
            if self.is_working_epoch_day(day) {
                left -= 1;
            }
        }
        day
    }

    pub(crate) fn working_days_between(&self, from: i32, until: i32) -> u32 {
        let mut count = 0;
        for n in from..until {
            if self.is_working_epoch_day(n) {
                count += 1;
            }
        }
        count
    }
}

impl Inner {
    #[inline]
    fn table_lookup(&self, n: i32) -> Option<bool> {
        let i = usize::try_from(n.checked_sub(self.table_start)?).ok()?;
        self.working.get(i).copied()
    }
}

/// FNV-1a 64 over every field of every entry, in date order, with separators so that no two
/// different entry lists hash the same bytes.
fn content_version<'a>(entries: impl Iterator<Item = &'a CalendarEntry>) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(PRIME);
        }
    };
    for e in entries {
        feed(e.date.to_string().as_bytes());
        feed(&[0x1f]);
        feed(e.kind.as_str().as_bytes());
        feed(&[0x1f]);
        feed(e.name.as_bytes());
        feed(&[0x1f]);
        feed(e.source.as_bytes());
        for text in [&e.name_kk, &e.name_ru, &e.source_kk, &e.source_ru] {
            feed(&[0x1f]);
            feed(text.as_bytes());
        }
        feed(&[0x1e]);
    }
    format!("{h:016x}")
}

// --- epoch days: days since 1970-01-01, so that iterating dates is integer arithmetic ---

/// Epoch day of `Date::MAX` (9999-12-31); iteration never goes past it.
const MAX_EPOCH_DAY: i32 = 2_932_896;
/// Epoch day of `Date::MIN` (-9999-01-01).
const MIN_EPOCH_DAY: i32 = -4_371_587;

/// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
pub(crate) fn epoch_day(d: Date) -> i32 {
    let (m, day) = (i32::from(d.month()), i32::from(d.day()));
    let y = i32::from(d.year()) - i32::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of an epoch day, clamped to jiff's date range (H. Hinnant's `civil_from_days`).
pub(crate) fn date_from_epoch_day(n: i32) -> Date {
    let z = n.clamp(MIN_EPOCH_DAY, MAX_EPOCH_DAY) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i32::from(month <= 2);
    // The clamp keeps year within -9999..=9999, month 1..=12, day valid for the month.
    Date::new(year as i16, month as i8, day as i8).expect("clamped epoch day is a valid date")
}

/// Saturday or Sunday (1970-01-01 was a Thursday).
pub(crate) fn is_weekend_epoch_day(n: i32) -> bool {
    matches!(n.rem_euclid(7), 2 | 3)
}

/// A three-letter English weekday, for entry names and derivation notes.
pub(crate) fn weekday_abbr(d: Date) -> &'static str {
    match d.weekday() {
        Weekday::Monday => "Mon",
        Weekday::Tuesday => "Tue",
        Weekday::Wednesday => "Wed",
        Weekday::Thursday => "Thu",
        Weekday::Friday => "Fri",
        Weekday::Saturday => "Sat",
        Weekday::Sunday => "Sun",
    }
}

/// The weekday as Kazakh and Russian abbreviate it, for the names of expanded entries.
fn weekday_abbr_kk_ru(d: Date) -> (&'static str, &'static str) {
    match d.weekday() {
        Weekday::Monday => ("дс", "пн"),
        Weekday::Tuesday => ("сс", "вт"),
        Weekday::Wednesday => ("ср", "ср"),
        Weekday::Thursday => ("бс", "чт"),
        Weekday::Friday => ("жм", "пт"),
        Weekday::Saturday => ("сб", "сб"),
        Weekday::Sunday => ("жс", "вс"),
    }
}

/// A date as Kazakh and Russian write it: `24.03.2026`.
fn dotted(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())
}

/// The rules file and its expansion into concrete entries.
mod rules {
    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct CalendarFile {
        first_year: i16,
        last_year: i16,
        #[serde(default)]
        holiday: Vec<HolidayRule>,
        #[serde(default)]
        dated_holiday: Vec<DatedHoliday>,
        #[serde(default)]
        transfer: Vec<Transfer>,
        #[serde(default, rename = "override")]
        overrides: Vec<Override>,
    }

    fn yes() -> bool {
        true
    }

    /// A holiday recurring on a month and day.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct HolidayRule {
        name: String,
        #[serde(default)]
        name_kk: String,
        #[serde(default)]
        name_ru: String,
        month: i8,
        day: i8,
        /// Whether a Saturday/Sunday occurrence moves the day off (Law "On holidays" art. 5).
        #[serde(default = "yes")]
        moves: bool,
        valid_from: Option<i16>,
        valid_until: Option<i16>,
        source: String,
        #[serde(default)]
        source_kk: String,
        #[serde(default)]
        source_ru: String,
    }

    /// A holiday on one concrete date (lunar holidays).
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct DatedHoliday {
        date: toml::value::Datetime,
        name: String,
        #[serde(default)]
        name_kk: String,
        #[serde(default)]
        name_ru: String,
        #[serde(default)]
        moves: bool,
        source: String,
        #[serde(default)]
        source_kk: String,
        #[serde(default)]
        source_ru: String,
    }

    /// A transfer: `day_off_from` becomes a working day, `day_off_to` a day off.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Transfer {
        day_off_from: toml::value::Datetime,
        day_off_to: toml::value::Datetime,
        source: String,
        #[serde(default)]
        source_kk: String,
        #[serde(default)]
        source_ru: String,
    }

    /// One concrete entry, applied last.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Override {
        date: toml::value::Datetime,
        kind: DayKind,
        name: String,
        #[serde(default)]
        name_kk: String,
        #[serde(default)]
        name_ru: String,
        source: String,
        #[serde(default)]
        source_kk: String,
        #[serde(default)]
        source_ru: String,
    }

    /// A text in English, Kazakh and Russian.
    #[derive(Clone, Default)]
    struct Text3 {
        en: String,
        kk: String,
        ru: String,
    }

    impl Text3 {
        fn of(en: &str, kk: &str, ru: &str) -> Self {
            Text3 {
                en: en.to_string(),
                kk: kk.to_string(),
                ru: ru.to_string(),
            }
        }

        /// Each language's text joined with the same language's of `other` by `sep`.
        fn join(&mut self, sep: &str, other: &Text3) {
            for (mine, theirs) in [
                (&mut self.en, &other.en),
                (&mut self.kk, &other.kk),
                (&mut self.ru, &other.ru),
            ] {
                *mine = format!("{mine}{sep}{theirs}");
            }
        }
    }

    /// The entry of `date`, named `name` on the legal basis `source`.
    fn entry(date: Date, kind: DayKind, name: Text3, source: Text3) -> CalendarEntry {
        CalendarEntry {
            date,
            kind,
            name: name.en,
            source: source.en,
            name_kk: name.kk,
            name_ru: name.ru,
            source_kk: source.kk,
            source_ru: source.ru,
        }
    }

    /// A holiday occurrence on a concrete date, before moving.
    struct Holiday {
        name: Text3,
        source: Text3,
        moves: bool,
    }

    fn local_date(field: &'static str, v: &toml::value::Datetime) -> Result<Date, CalendarError> {
        let bad = || CalendarError::NotADate {
            field,
            value: v.to_string(),
        };
        match (v.date, v.time, v.offset) {
            (Some(d), None, None) => {
                let year = i16::try_from(d.year).map_err(|_| bad())?;
                Date::new(year, d.month as i8, d.day as i8).map_err(|_| bad())
            }
            _ => Err(bad()),
        }
    }

    fn add_holiday(map: &mut BTreeMap<Date, Holiday>, date: Date, h: Holiday) {
        match map.get_mut(&date) {
            // Two holidays on one date: one day off, named after both.
            Some(existing) => {
                existing.name.join(" / ", &h.name);
                existing.source.join("; ", &h.source);
                existing.moves |= h.moves;
            }
            None => {
                map.insert(date, h);
            }
        }
    }

    /// "(Sat; does not move)" in each language.
    fn not_moved(name: &Text3, date: Date) -> Text3 {
        let (kk, ru) = weekday_abbr_kk_ru(date);
        Text3 {
            en: format!("{} ({}; does not move)", name.en, weekday_abbr(date)),
            kk: format!("{} ({kk}; ауыстырылмайды)", name.kk),
            ru: format!("{} ({ru}; не переносится)", name.ru),
        }
    }

    /// "(Sat; day off moved to Tue 2026-03-24)" in each language.
    fn moved_to(name: &Text3, date: Date, target: Date) -> Text3 {
        let ((kk, ru), (tkk, tru)) = (weekday_abbr_kk_ru(date), weekday_abbr_kk_ru(target));
        let t = dotted(target);
        Text3 {
            en: format!(
                "{} ({}; day off moved to {} {})",
                name.en,
                weekday_abbr(date),
                weekday_abbr(target),
                target
            ),
            kk: format!(
                "{} ({kk}; демалыс күні {t} ({tkk}) күніне ауыстырылды)",
                name.kk
            ),
            ru: format!("{} ({ru}; выходной перенесён на {tru} {t})", name.ru),
        }
    }

    /// "(moved from Sat 2026-03-21)" in each language.
    fn moved_from(name: &Text3, date: Date) -> Text3 {
        let (kk, ru) = weekday_abbr_kk_ru(date);
        let d = dotted(date);
        Text3 {
            en: format!("{} (moved from {} {})", name.en, weekday_abbr(date), date),
            kk: format!("{} ({d} ({kk}) күнінен ауыстырылған)", name.kk),
            ru: format!("{} (перенесён с {ru} {d})", name.ru),
        }
    }

    /// The legal basis of a moved day off: the holiday's, and art. 5 of the Law "On holidays".
    fn moved_source(source: &Text3) -> Text3 {
        let mut s = source.clone();
        s.join(
            "; ",
            &Text3::of(
                "Law No. 267-II, art. 5 (a holiday on a Saturday or Sunday moves the day off to the next working day)",
                "№ 267-II Заң, 5-бап (сенбіге немесе жексенбіге сәйкес келген мереке демалыс күнін келесі жұмыс күніне ауыстырады)",
                "Закон № 267-II, ст. 5 (праздник, совпавший с субботой или воскресеньем, переносит выходной на следующий рабочий день)",
            ),
        );
        s
    }

    pub(super) fn expand(file: CalendarFile) -> Result<Vec<CalendarEntry>, CalendarError> {
        let (first, last) = (file.first_year, file.last_year);
        if first > last || first < 1 || last > 9998 {
            return Err(CalendarError::YearRange { first, last });
        }

        // 1. Holiday occurrences in the years covered.
        let mut holidays: BTreeMap<Date, Holiday> = BTreeMap::new();
        for rule in &file.holiday {
            // Valid in some year at all (29 Feb only in leap years)?
            if Date::new(2000, rule.month, rule.day).is_err() {
                return Err(CalendarError::InvalidDay {
                    name: rule.name.clone(),
                    month: rule.month,
                    day: rule.day,
                });
            }
            let from = rule.valid_from.unwrap_or(first).max(first);
            let until = rule.valid_until.unwrap_or(last).min(last);
            for year in from..=until {
                if let Ok(date) = Date::new(year, rule.month, rule.day) {
                    let h = Holiday {
                        name: Text3::of(&rule.name, &rule.name_kk, &rule.name_ru),
                        source: Text3::of(&rule.source, &rule.source_kk, &rule.source_ru),
                        moves: rule.moves,
                    };
                    add_holiday(&mut holidays, date, h);
                }
            }
        }
        for dh in &file.dated_holiday {
            let date = local_date("dated_holiday.date", &dh.date)?;
            let h = Holiday {
                name: Text3::of(&dh.name, &dh.name_kk, &dh.name_ru),
                source: Text3::of(&dh.source, &dh.source_kk, &dh.source_ru),
                moves: dh.moves,
            };
            add_holiday(&mut holidays, date, h);
        }

        // 2. Holidays are days off; on a Saturday or Sunday a moving one moves the day off to
        //    the next weekday that is neither a holiday nor an already moved day off
        //    (Law "On holidays" art. 5). Holidays are visited in date order, so Nauryz 2026 gives
        //    Sat 21 -> Tue 24 and Sun 22 -> Wed 25 past the holiday Mon 23.
        let mut out: Vec<CalendarEntry> = Vec::with_capacity(holidays.len() * 2);
        let mut moved: BTreeSet<Date> = BTreeSet::new();
        for (&date, h) in &holidays {
            let n = epoch_day(date);
            if !is_weekend_epoch_day(n) {
                out.push(entry(
                    date,
                    DayKind::DayOff,
                    h.name.clone(),
                    h.source.clone(),
                ));
                continue;
            }
            if !h.moves {
                out.push(entry(
                    date,
                    DayKind::DayOff,
                    not_moved(&h.name, date),
                    h.source.clone(),
                ));
                continue;
            }
            let mut t = n + 1;
            loop {
                let td = date_from_epoch_day(t);
                if !is_weekend_epoch_day(t) && !holidays.contains_key(&td) && !moved.contains(&td) {
                    break;
                }
                t += 1;
            }
            let target = date_from_epoch_day(t);
            moved.insert(target);
            out.push(entry(
                date,
                DayKind::DayOff,
                moved_to(&h.name, date, target),
                h.source.clone(),
            ));
            out.push(entry(
                target,
                DayKind::DayOff,
                moved_from(&h.name, date),
                moved_source(&h.source),
            ));
        }

        // 3. Transfers of days off by decree or order.
        for tr in &file.transfer {
            let from = local_date("transfer.day_off_from", &tr.day_off_from)?;
            let to = local_date("transfer.day_off_to", &tr.day_off_to)?;
            let source = Text3::of(&tr.source, &tr.source_kk, &tr.source_ru);
            let ((fkk, fru), (tkk, tru)) = (weekday_abbr_kk_ru(from), weekday_abbr_kk_ru(to));
            let working = Text3 {
                en: format!(
                    "Working day (day off transferred to {} {})",
                    weekday_abbr(to),
                    to
                ),
                kk: format!(
                    "Жұмыс күні (демалыс күні {} ({tkk}) күніне ауыстырылды)",
                    dotted(to)
                ),
                ru: format!("Рабочий день (выходной перенесён на {tru} {})", dotted(to)),
            };
            out.push(entry(from, DayKind::WorkingDay, working, source.clone()));
            let off = Text3 {
                en: format!("Day off (transferred from {} {})", weekday_abbr(from), from),
                kk: format!(
                    "Демалыс күні ({} ({fkk}) күнінен ауыстырылған)",
                    dotted(from)
                ),
                ru: format!("Выходной день (перенесён с {fru} {})", dotted(from)),
            };
            out.push(entry(to, DayKind::DayOff, off, source));
        }

        // 4. Single overrides, last.
        for o in &file.overrides {
            out.push(entry(
                local_date("override.date", &o.date)?,
                o.kind,
                Text3::of(&o.name, &o.name_kk, &o.name_ru),
                Text3::of(&o.source, &o.source_kk, &o.source_ru),
            ));
        }

        // One entry per date, the later step winning, in date order.
        let mut by_date = BTreeMap::new();
        for e in out {
            by_date.insert(e.date, e);
        }
        Ok(by_date.into_values().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn epoch_days_round_trip() {
        assert_eq!(epoch_day(date(1970, 1, 1)), 0);
        assert_eq!(epoch_day(Date::MAX), MAX_EPOCH_DAY);
        assert_eq!(epoch_day(Date::MIN), MIN_EPOCH_DAY);
        let mut d = date(2019, 12, 25);
        for _ in 0..3000 {
            let n = epoch_day(d);
            assert_eq!(date_from_epoch_day(n), d);
            assert_eq!(
                is_weekend_epoch_day(n),
                matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
            );
            d = d.tomorrow().unwrap();
        }
        assert_eq!(date_from_epoch_day(i32::MAX), Date::MAX);
        assert_eq!(date_from_epoch_day(i32::MIN), Date::MIN);
    }

    #[test]
    fn embedded_rules_expand() {
        let entries = ProductionCalendar::default_entries();
        assert!(entries.len() > 100);
        assert!(entries.windows(2).all(|w| w[0].date < w[1].date));
        assert!(entries
            .iter()
            .all(|e| !e.name.is_empty() && !e.source.is_empty()));
    }

    /// Issue 16 (B.8): every shipped entry is named, with its legal source, in Kazakh and
    /// Russian (and English), so no reader of the calendar meets a day in a language not theirs.
    #[test]
    fn every_shipped_entry_has_kazakh_and_russian_names_and_sources() {
        let entries = ProductionCalendar::default_entries();
        let mut missing = Vec::new();
        for e in &entries {
            for (what, text) in [
                ("name (kk)", &e.name_kk),
                ("name (ru)", &e.name_ru),
                ("name (en)", &e.name),
                ("source (kk)", &e.source_kk),
                ("source (ru)", &e.source_ru),
                ("source (en)", &e.source),
            ] {
                if text.trim().is_empty() {
                    missing.push(format!("{} {what}", e.date));
                }
            }
        }
        assert!(missing.is_empty(), "entries without a text: {missing:?}");
        // A moved day off is named in each language after the holiday that moved it.
        let moved = ProductionCalendar::kazakhstan()
            .entry(date(2026, 3, 24))
            .cloned()
            .expect("Tue 24 March 2026 is a moved day off");
        assert!(moved.name_ru.contains("Наурыз"), "{}", moved.name_ru);
        assert!(moved.name_ru.contains("21.03.2026"), "{}", moved.name_ru);
        assert!(moved.name_kk.contains("21.03.2026"), "{}", moved.name_kk);
        assert_eq!(moved.name_in("ru"), moved.name_ru);
        assert_eq!(moved.source_in("kk"), moved.source_kk);
        assert_eq!(moved.name_in("en"), moved.name);
    }

    #[test]
    fn a_missing_translation_falls_back_to_russian_then_kazakh_then_english() {
        let e = CalendarEntry {
            date: date(2026, 3, 10),
            name: "Holiday".into(),
            source: "Order".into(),
            name_ru: "Праздник".into(),
            ..CalendarEntry::default()
        };
        assert_eq!(e.name_in("kk"), "Праздник");
        assert_eq!(e.name_in("en"), "Holiday");
        assert_eq!(e.source_in("kk"), "Order");
    }

    #[test]
    fn later_entry_wins_and_changes_version() {
        let d = date(2026, 3, 10);
        let off = CalendarEntry {
            date: d,
            kind: DayKind::DayOff,
            name: "a".into(),
            source: "s".into(),
            ..CalendarEntry::default()
        };
        let on = CalendarEntry {
            kind: DayKind::WorkingDay,
            ..off.clone()
        };
        let cal = ProductionCalendar::new([off.clone(), on.clone()]);
        assert!(cal.is_working_day(d));
        assert_eq!(cal.entry(d), Some(&on));
        let cal2 = ProductionCalendar::new([on, off]);
        assert!(!cal2.is_working_day(d));
        assert_ne!(cal.version(), cal2.version());
        assert_eq!(cal.version().len(), 16);
    }

    #[test]
    fn empty_calendar_is_the_weekly_pattern() {
        let cal = ProductionCalendar::new([]);
        assert!(cal.is_working_day(date(2026, 3, 23)));
        assert!(!cal.is_working_day(date(2026, 3, 21)));
        assert_eq!(
            cal.working_day_on_or_after(date(2026, 3, 21)),
            date(2026, 3, 23)
        );
        assert_eq!(cal.nth_working_day(date(2026, 3, 20), 2), date(2026, 3, 23));
        assert_eq!(cal.nth_working_day(date(2026, 3, 20), 0), date(2026, 3, 19));
        assert_eq!(cal.working_days_in(date(2026, 3, 20), date(2026, 3, 24)), 2);
        assert_eq!(cal.working_days_in(date(2026, 3, 24), date(2026, 3, 20)), 0);
    }

    #[test]
    fn sparse_entries_beyond_the_dense_table_still_answer() {
        let e = |d: Date, kind| CalendarEntry {
            date: d,
            kind,
            name: "x".into(),
            source: "y".into(),
            ..CalendarEntry::default()
        };
        let cal = ProductionCalendar::new([
            e(date(1900, 1, 1), DayKind::DayOff),
            e(date(2200, 1, 1), DayKind::DayOff),
        ]);
        assert!(!cal.is_working_day(date(1900, 1, 1)));
        assert!(!cal.is_working_day(date(2200, 1, 1))); // a Wednesday, off by its entry
        assert!(cal.is_working_day(date(2200, 1, 2)));
    }

    #[test]
    fn expand_rejects_bad_rules() {
        assert!(matches!(
            ProductionCalendar::expand("first_year = 2026\nlast_year = 2020\n"),
            Err(CalendarError::YearRange { .. })
        ));
        assert!(matches!(
            ProductionCalendar::expand(
                "first_year = 2026\nlast_year = 2026\n[[holiday]]\nname='x'\nmonth=2\nday=30\nsource='s'\n"
            ),
            Err(CalendarError::InvalidDay { .. })
        ));
        assert!(matches!(
            ProductionCalendar::expand(
                "first_year = 2026\nlast_year = 2026\n[[override]]\ndate=2026-01-01T10:00:00\nkind='day_off'\nname='x'\nsource='s'\n"
            ),
            Err(CalendarError::NotADate { .. })
        ));
        assert!(matches!(
            ProductionCalendar::expand("first_year = 2026\nlast_year = 2026\nbogus = 1\n"),
            Err(CalendarError::Toml(_))
        ));
    }

    #[test]
    fn override_applies_last() {
        let text = "first_year = 2026\nlast_year = 2026\n\
            [[holiday]]\nname='H'\nmonth=3\nday=10\nsource='law'\n\
            [[override]]\ndate=2026-03-10\nkind='working_day'\nname='worked'\nsource='order'\n";
        let entries = ProductionCalendar::expand(text).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].kind, DayKind::WorkingDay);
        assert_eq!(entries[0].source, "order");
    }

    #[test]
    fn day_kind_serde_snake_case() {
        assert_eq!(
            serde_json::to_string(&DayKind::DayOff).unwrap(),
            "\"day_off\""
        );
        assert_eq!(
            serde_json::from_str::<DayKind>("\"working_day\"").unwrap(),
            DayKind::WorkingDay
        );
    }
}
