//! Plain and signed submissions: the signatures of a batch are checked off the async threads
//! (a verification costs tens of microseconds, a new signer's chain milliseconds).

use crate::app::{AppError, Caller};
use crate::signing::{Opened, Submission};
use crate::state::AppState;
use jiff::Timestamp;
use serde::Serialize;

/// A typed command (a workstation form, a command line) as the plain submission it is: it then
/// takes the one path every submission takes (the signature policy, the checks, the decoding).
pub fn plain<T: Serialize>(command: &T) -> Result<Submission, AppError> {
    serde_json::to_value(command)
        .map(Submission::Plain)
        .map_err(|_| AppError::internal())
}

/// Checks the signatures of submissions off the async threads (a verification costs tens of
/// microseconds, a new signer's chain milliseconds).
pub async fn open_all(
    state: &AppState,
    caller: &Caller,
    submissions: Vec<Submission>,
    now: Timestamp,
) -> Result<Vec<Result<Opened, AppError>>, AppError> {
    let signer = caller.signer.clone();
    let signing = state.signing.clone();
    let any_signed = submissions
        .iter()
        .any(|s| !matches!(s, Submission::Plain(_)));
    let run = move || {
        submissions
            .into_iter()
            .map(|s| signing.open(s, signer.as_ref(), now))
            .collect::<Vec<_>>()
    };
    if any_signed {
        tokio::task::spawn_blocking(run)
            .await
            .map_err(|_| AppError::internal())
    } else {
        Ok(run())
    }
}
