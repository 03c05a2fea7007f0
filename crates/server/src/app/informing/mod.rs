//! Informing (000 §2): the applicant's contact taken at registration, the outbox that
//! administrators watch and retry, and the webhooks organizations register for their
//! systems. Delivery itself is the server's job (`crate::informing`).

pub mod contact;
pub mod outbox;
pub mod webhooks;
