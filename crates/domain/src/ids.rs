//! Validated identifiers: IIN and BIN (MISSION "IIN and BIN"), the public application number
//! with its Damm check digit, and the service and organization codes. A value of these types
//! is valid by construction: the only ways in are the parsing constructors.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

// ---------------------------------------------------------------------------------------------
// IIN / BIN
// ---------------------------------------------------------------------------------------------

/// First-round weights of the IIN/BIN check digit. Note that weight 11 is 0 modulo 11: the
/// 11th digit only matters when the first round yields 10 (a property of the official rule).
const WEIGHTS_1: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/// Second-round weights, used when the first round yields 10.
const WEIGHTS_2: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit of an IIN/BIN prefix (the first 11 digits, as values 0–9), or `None` when
/// the prefix is never issued (both rounds yield 10). Digits above 9 are taken modulo 10.
pub fn check_digit(prefix: &[u8; 11]) -> Option<u8> {
    let round = |weights: &[u32; 11]| -> u32 {
        prefix
            .iter()
            .zip(weights)
            .map(|(&d, &w)| u32::from(d % 10) * w)
            .sum::<u32>()
            % 11
    };
    let first = round(&WEIGHTS_1);
    if first < 10 {
        return Some(first as u8);
    }
    let second = round(&WEIGHTS_2);
    (second < 10).then_some(second as u8)
}

/// Which kind of 12-digit tax identifier a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdKind {
    /// Individual identification number (ЖСН / ИИН).
    Iin,
    /// Business identification number (БСН / БИН).
    Bin,
}

impl IdKind {
    /// `"iin"` or `"bin"`.
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Iin => "iin",
            IdKind::Bin => "bin",
        }
    }
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a valid IIN or BIN (the hard rules). Messages never repeat the whole
/// number, so they are safe to log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Not exactly 12 characters.
    #[error("expected 12 digits, found {found} characters")]
    Length { found: usize },
    /// A character that is not an ASCII digit, at a 1-based position.
    #[error("character {position} is not a digit")]
    NotDigits { position: usize },
    /// The 12th digit does not match the checksum of the first 11.
    #[error("check digit is {found}, expected {expected}")]
    Checksum { found: u8, expected: u8 },
    /// The first 11 digits yield 10 in both checksum rounds: such numbers are never issued.
    #[error("the first 11 digits give a checksum of 10 in both rounds: never issued")]
    Unissuable,
}

impl IdError {
    /// A stable machine code: `length`, `not_digits`, `checksum` or `unissuable`.
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Length { .. } => "length",
            IdError::NotDigits { .. } => "not_digits",
            IdError::Checksum { .. } => "checksum",
            IdError::Unissuable => "unissuable",
        }
    }
}

/// A soft check that failed: the number is valid (the checksum holds) but its structure is
/// unusual. Since 2013 IIN dates and sex digits are not guaranteed, so these never refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdWarning {
    /// IIN digits 1–6 are not a valid YYMMDD date.
    BirthDate,
    /// IIN 7th digit (century and sex) is not 1–6.
    CenturyDigit { digit: u8 },
    /// BIN digits 3–4 (registration month) are not 01–12.
    RegistrationMonth { month: u8 },
    /// BIN 5th digit (type) is not 4, 5 or 6.
    TypeDigit { digit: u8 },
    /// BIN 6th digit (division) is not 0–3.
    DivisionDigit { digit: u8 },
}

impl IdWarning {
    /// A stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            IdWarning::BirthDate => "birth_date",
            IdWarning::CenturyDigit { .. } => "century_digit",
            IdWarning::RegistrationMonth { .. } => "registration_month",
            IdWarning::TypeDigit { .. } => "type_digit",
            IdWarning::DivisionDigit { .. } => "division_digit",
        }
    }
}

impl fmt::Display for IdWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdWarning::BirthDate => f.write_str("digits 1-6 are not a valid YYMMDD birth date"),
            IdWarning::CenturyDigit { digit } => {
                write!(f, "7th digit (century and sex) is {digit}, expected 1-6")
            }
            IdWarning::RegistrationMonth { month } => {
                write!(
                    f,
                    "digits 3-4 (registration month) are {month:02}, expected 01-12"
                )
            }
            IdWarning::TypeDigit { digit } => write!(
                f,
                "5th digit (entity type) is {digit}, expected 4 (resident), 5 (non-resident) \
                 or 6 (individual entrepreneur in a joint enterprise)"
            ),
            IdWarning::DivisionDigit { digit } => {
                write!(f, "6th digit (division) is {digit}, expected 0-3")
            }
        }
    }
}

/// Twelve ASCII digits.
type Digits = [u8; 12];

/// Reads exactly 12 ASCII digits (no trimming, no separators).
fn read_digits(s: &str) -> Result<Digits, IdError> {
    if let Some(position) = s.chars().position(|c| !c.is_ascii_digit()) {
        return Err(IdError::NotDigits {
            position: position + 1,
        });
    }
    <Digits>::try_from(s.as_bytes()).map_err(|_| IdError::Length { found: s.len() })
}

/// The value (0–9) of the `i`-th digit, 0-based.
fn digit(d: &Digits, i: usize) -> u8 {
    d[i] - b'0'
}

/// Checks the hard rule: the check digit.
fn verify_checksum(d: &Digits) -> Result<(), IdError> {
    let mut prefix = [0u8; 11];
    for (p, &b) in prefix.iter_mut().zip(d.iter()) {
        *p = b - b'0';
    }
    match check_digit(&prefix) {
        None => Err(IdError::Unissuable),
        Some(expected) if expected == digit(d, 11) => Ok(()),
        Some(expected) => Err(IdError::Checksum {
            found: digit(d, 11),
            expected,
        }),
    }
}

/// The kind by structure: the 5th digit is 4, 5 or 6 for a BIN (entity type) and 0–3 for an
/// IIN (tens of the birth day); anything else is treated as an IIN with a warning.
fn classify(d: &Digits) -> IdKind {
    if matches!(digit(d, 4), 4..=6) {
        IdKind::Bin
    } else {
        IdKind::Iin
    }
}

fn two(d: &Digits, i: usize) -> u8 {
    digit(d, i) * 10 + digit(d, i + 1)
}

/// The century of an IIN birth date from its 7th digit.
fn century(d: &Digits) -> Option<i16> {
    match digit(d, 6) {
        1 | 2 => Some(1800),
        3 | 4 => Some(1900),
        5 | 6 => Some(2000),
        _ => None,
    }
}

fn date_in(century: i16, d: &Digits) -> Option<Date> {
    let year = century + i16::from(two(d, 0));
    Date::new(year, two(d, 2) as i8, two(d, 4) as i8).ok()
}

fn iin_birth_date(d: &Digits) -> Option<Date> {
    century(d).and_then(|c| date_in(c, d))
}

fn iin_warnings(d: &Digits) -> Vec<IdWarning> {
    let mut out = Vec::new();
    let date_ok = match century(d) {
        Some(c) => date_in(c, d).is_some(),
        // Unknown century: the date is plausible if it exists in some century (29 Feb of
        // year 00 exists in 2000 but not in 1900).
        None => date_in(2000, d).is_some() || date_in(1900, d).is_some(),
    };
    if !date_ok {
        out.push(IdWarning::BirthDate);
    }
    if century(d).is_none() {
        out.push(IdWarning::CenturyDigit { digit: digit(d, 6) });
    }
    out
}

fn bin_warnings(d: &Digits) -> Vec<IdWarning> {
    let mut out = Vec::new();
    let month = two(d, 2);
    if !(1..=12).contains(&month) {
        out.push(IdWarning::RegistrationMonth { month });
    }
    if !matches!(digit(d, 4), 4..=6) {
        out.push(IdWarning::TypeDigit { digit: digit(d, 4) });
    }
    if digit(d, 5) > 3 {
        out.push(IdWarning::DivisionDigit { digit: digit(d, 5) });
    }
    out
}

fn digits_str(d: &Digits) -> &str {
    // The invariant is 12 ASCII digits, so this never fails; no panic path regardless.
    std::str::from_utf8(d).unwrap_or("")
}

/// "9001******17": the first four and last two digits, for logs.
fn mask(d: &Digits) -> String {
    let s = digits_str(d);
    format!("{}******{}", &s[..4], &s[10..])
}

macro_rules! tax_id_type {
    ($name:ident, $kind:expr, $warnings:ident, $doc:literal) => {
        #[doc = $doc]
        ///
        /// `Display` shows the digits (for API payloads and documents); `Debug` shows only the
        /// masked form so that a stray `{:?}` in a log line does not leak personal data.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Digits);

        impl $name {
            /// Parses exactly 12 ASCII digits with a valid check digit. No trimming.
            pub fn parse(s: &str) -> Result<Self, IdError> {
                let d = read_digits(s)?;
                verify_checksum(&d)?;
                Ok($name(d))
            }

            /// The 12 digits.
            pub fn as_str(&self) -> &str {
                digits_str(&self.0)
            }

            /// The form for logs: first four and last two digits, e.g. "9001******17".
            pub fn masked(&self) -> String {
                mask(&self.0)
            }

            /// Soft checks that failed (never a reason to refuse).
            pub fn warnings(&self) -> Vec<IdWarning> {
                $warnings(&self.0)
            }

            /// The kind of this identifier.
            pub fn kind(&self) -> IdKind {
                $kind
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.masked())
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

tax_id_type!(
    Iin,
    IdKind::Iin,
    iin_warnings,
    "An individual identification number (ЖСН / ИИН): 12 digits with a valid check digit."
);
tax_id_type!(
    Bin,
    IdKind::Bin,
    bin_warnings,
    "A business identification number (БСН / БИН): 12 digits with a valid check digit."
);

impl Iin {
    /// The birth date encoded in digits 1–7, when the century digit is 1–6 and the date
    /// exists. Not guaranteed for numbers issued since 2013.
    pub fn birth_date(&self) -> Option<Date> {
        iin_birth_date(&self.0)
    }
}

/// An IIN or a BIN, told apart by the 5th digit (4, 5, 6: BIN; otherwise IIN).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum TaxId {
    /// An individual's number.
    Iin(Iin),
    /// A legal entity's number.
    Bin(Bin),
}

impl TaxId {
    /// Parses 12 digits with a valid check digit and classifies them by the 5th digit.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let d = read_digits(s)?;
        verify_checksum(&d)?;
        Ok(match classify(&d) {
            IdKind::Iin => TaxId::Iin(Iin(d)),
            IdKind::Bin => TaxId::Bin(Bin(d)),
        })
    }

    /// Which kind it is.
    pub fn kind(&self) -> IdKind {
        match self {
            TaxId::Iin(_) => IdKind::Iin,
            TaxId::Bin(_) => IdKind::Bin,
        }
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        match self {
            TaxId::Iin(i) => i.as_str(),
            TaxId::Bin(b) => b.as_str(),
        }
    }

    /// The form for logs, e.g. "9001******17".
    pub fn masked(&self) -> String {
        match self {
            TaxId::Iin(i) => i.masked(),
            TaxId::Bin(b) => b.masked(),
        }
    }

    /// Soft checks that failed.
    pub fn warnings(&self) -> Vec<IdWarning> {
        match self {
            TaxId::Iin(i) => i.warnings(),
            TaxId::Bin(b) => b.warnings(),
        }
    }
}

impl From<Iin> for TaxId {
    fn from(i: Iin) -> Self {
        TaxId::Iin(i)
    }
}

impl From<Bin> for TaxId {
    fn from(b: Bin) -> Self {
        TaxId::Bin(b)
    }
}

impl fmt::Display for TaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TaxId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl AsRef<str> for TaxId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Serialize for TaxId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TaxId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The result of checking a string as an IIN or BIN: the JSON printed by `qyzmet iin check`.
/// `reason` and each warning read "code: sentence", e.g. "checksum: check digit is 6,
/// expected 7"; the code before the colon is stable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdCheck {
    /// The hard rules hold (12 digits, issuable prefix, matching check digit).
    pub valid: bool,
    /// The kind by structure, whenever the input is 12 digits (even with a bad checksum).
    pub kind: Option<IdKind>,
    /// Soft checks that failed, for any 12-digit input.
    pub warnings: Vec<String>,
    /// Why it is not valid; `None` when valid.
    pub reason: Option<String>,
}

/// Checks a string (surrounding whitespace ignored) as an IIN or BIN, explaining the verdict.
pub fn check(s: &str) -> IdCheck {
    let d = match read_digits(s.trim()) {
        Ok(d) => d,
        Err(e) => {
            return IdCheck {
                valid: false,
                kind: None,
                warnings: Vec::new(),
                reason: Some(format!("{}: {e}", e.code())),
            }
        }
    };
    let kind = classify(&d);
    let warnings = match kind {
        IdKind::Iin => iin_warnings(&d),
        IdKind::Bin => bin_warnings(&d),
    };
    let reason = verify_checksum(&d)
        .err()
        .map(|e| format!("{}: {e}", e.code()));
    IdCheck {
        valid: reason.is_none(),
        kind: Some(kind),
        warnings: warnings
            .iter()
            .map(|w| format!("{}: {w}", w.code()))
            .collect(),
        reason,
    }
}

// ---------------------------------------------------------------------------------------------
// Application number
// ---------------------------------------------------------------------------------------------

/// The Damm quasigroup of order 10 (weakly totally anti-symmetric): detects every
/// single-digit error and every adjacent transposition.
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// Runs the Damm quasigroup over digit values (0–9); the interim digit.
fn damm(digits: impl IntoIterator<Item = u8>) -> u8 {
    digits
        .into_iter()
        .fold(0u8, |acc, d| DAMM[usize::from(acc)][usize::from(d % 10)])
}

/// The decimal digits of `n`, most significant first, padded to `N` digits.
fn decimal<const N: usize>(mut n: u64) -> [u8; N] {
    let mut out = [0u8; N];
    for slot in out.iter_mut().rev() {
        *slot = (n % 10) as u8;
        n /= 10;
    }
    out
}

/// Exclusive upper bound of an application-number body (12 digits).
const BODY_LIMIT: u64 = 1_000_000_000_000;

/// Why a string is not an application number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Not 13 digits (separators not counted).
    #[error("expected 13 digits, found {found}")]
    Length { found: usize },
    /// A character other than a digit, '-' or a space, at a 1-based position.
    #[error("character {position} is not a digit, '-' or a space")]
    InvalidCharacter { position: usize },
    /// The digits fail the check digit: a mistyped number.
    #[error("the check digit does not match: the number is mistyped")]
    CheckDigit,
}

impl NumberError {
    /// A stable machine code: `length`, `invalid_character` or `check_digit`.
    pub fn code(&self) -> &'static str {
        match self {
            NumberError::Length { .. } => "length",
            NumberError::InvalidCharacter { .. } => "invalid_character",
            NumberError::CheckDigit => "check_digit",
        }
    }
}

/// The public number of an application: a 12-digit body (drawn at random by the caller, so a
/// mistyped number almost never exists) and a Damm check digit, 13 digits in all. The body may
/// start with 0; the value is stored as the 13-digit integer `body * 10 + check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ApplicationNumber(i64);

impl ApplicationNumber {
    /// The number with body `body` (< 10^12) and its check digit.
    pub fn from_body(body: u64) -> Option<Self> {
        if body >= BODY_LIMIT {
            return None;
        }
        let check = damm(decimal::<12>(body));
        // body < 10^12, so body * 10 + 9 < 10^13 < i64::MAX.
        Some(ApplicationNumber((body * 10 + u64::from(check)) as i64))
    }

    /// Parses 13 digits, optionally grouped with '-' or spaces ("1234-5678-9012-3"),
    /// rejecting a wrong check digit. Surrounding whitespace is ignored.
    pub fn parse(s: &str) -> Result<Self, NumberError> {
        let mut value: u64 = 0;
        let mut count = 0usize;
        for (i, c) in s.trim().chars().enumerate() {
            match c {
                '0'..='9' => {
                    count += 1;
                    if count <= 13 {
                        value = value * 10 + u64::from(c as u8 - b'0');
                    }
                }
                '-' | ' ' => {}
                _ => return Err(NumberError::InvalidCharacter { position: i + 1 }),
            }
        }
        if count != 13 {
            return Err(NumberError::Length { found: count });
        }
        if damm(decimal::<13>(value)) != 0 {
            return Err(NumberError::CheckDigit);
        }
        Ok(ApplicationNumber(value as i64))
    }

    /// The stored integer (13 digits including the check digit).
    pub fn as_i64(self) -> i64 {
        self.0
    }

    /// Rebuilds a number from its stored integer, validating range and check digit.
    pub fn from_i64(v: i64) -> Option<Self> {
        let u = u64::try_from(v).ok()?;
        (u < BODY_LIMIT * 10 && damm(decimal::<13>(u)) == 0).then_some(ApplicationNumber(v))
    }

    /// The 12-digit body.
    pub fn body(self) -> u64 {
        self.0 as u64 / 10
    }

    /// The check digit.
    pub fn check_digit(self) -> u8 {
        (self.0 % 10) as u8
    }

    /// Grouped for reading aloud and printing: "XXXX-XXXX-XXXX-X".
    pub fn formatted(self) -> String {
        let s = self.to_string();
        format!("{}-{}-{}-{}", &s[0..4], &s[4..8], &s[8..12], &s[12..])
    }
}

impl fmt::Display for ApplicationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}", self.0)
    }
}

impl FromStr for ApplicationNumber {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ApplicationNumber {
    type Error = NumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ApplicationNumber> for String {
    fn from(n: ApplicationNumber) -> Self {
        n.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Service and organization codes
// ---------------------------------------------------------------------------------------------

/// Longest allowed code.
pub const CODE_MAX_LEN: usize = 64;

/// Why a string is not a service or organization code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// The empty string.
    #[error("the code is empty")]
    Empty,
    /// Longer than 64 characters.
    #[error("the code has {len} characters, at most 64 are allowed")]
    TooLong { len: usize },
    /// The first character is not a letter or digit.
    #[error("the code must start with a letter or digit")]
    MustStartAlphanumeric,
    /// A character outside [A-Za-z0-9._-], at a 1-based position.
    #[error("character {position} ({ch:?}) is not allowed: use A-Z, a-z, 0-9, '.', '_', '-'")]
    InvalidCharacter { position: usize, ch: char },
}

impl CodeError {
    /// A stable machine code: `empty`, `too_long`, `must_start_alphanumeric` or
    /// `invalid_character`.
    pub fn code(&self) -> &'static str {
        match self {
            CodeError::Empty => "empty",
            CodeError::TooLong { .. } => "too_long",
            CodeError::MustStartAlphanumeric => "must_start_alphanumeric",
            CodeError::InvalidCharacter { .. } => "invalid_character",
        }
    }
}

fn validate_code(s: &str) -> Result<(), CodeError> {
    let first = s.chars().next().ok_or(CodeError::Empty)?;
    if let Some((i, ch)) = s
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(CodeError::InvalidCharacter {
            position: i + 1,
            ch,
        });
    }
    // Only ASCII is left, so bytes are characters.
    if s.len() > CODE_MAX_LEN {
        return Err(CodeError::TooLong { len: s.len() });
    }
    if !first.is_ascii_alphanumeric() {
        return Err(CodeError::MustStartAlphanumeric);
    }
    Ok(())
}

macro_rules! code_type {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        ///
        /// 1–64 characters of [A-Za-z0-9._-], starting with a letter or digit; case-sensitive.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Validates and wraps a code (no trimming).
            pub fn parse(s: &str) -> Result<Self, CodeError> {
                validate_code(s)?;
                Ok($name(s.to_owned()))
            }

            /// The code.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = CodeError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = CodeError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                validate_code(&s)?;
                Ok($name(s))
            }
        }

        impl From<$name> for String {
            fn from(c: $name) -> Self {
                c.0
            }
        }
    };
}

code_type!(
    ServiceCode,
    "The code of a public service in the registry (e.g. \"archive-certificate\")."
);
code_type!(
    OrgCode,
    "The code of an organization (a state body, a provider, a State Corporation office)."
);
