# qyzmet API error messages — English
# Message id: "error-" + the error code with "_" replaced by "-".
# $field is the request field path (e.g. applicant.iin, events[3].occurred_at).

## Request format

error-malformed-json = The request body is not valid JSON ({ $detail }). Check the syntax and send the request again.
error-json-required = The request body must be JSON: set the header Content-Type: application/json.
error-invalid-value = Invalid value in { $field }: { $detail }. Check the type and structure of the value.
error-required = { $field } is required.
error-payload-too-large = The request body is too large. Split the data and send it in several requests.
error-batch-too-large = Too many events in { $field }: { $count } were sent, but at most { $limit } are allowed in one request. Split them into several requests.

## Access

error-unauthorized = A valid API token is required: send it in the header Authorization: Bearer <token>.
error-admin-required = Only an administrator token may perform this action.
error-outside-scope = The organization in { $field } is outside your token's scope: a token acts only for its own organization and the organizations under it.

## Addresses and server state

error-not-found = Nothing was found at this address. Check the request URL.
error-method-not-allowed = This HTTP method is not allowed at this address.
error-internal = An internal error occurred and has been logged. Try again later, and if the error persists, contact support.
error-database-unavailable = The database is temporarily unavailable and nothing was saved. Repeat the request later.

## Records not found or already taken

error-application-not-found = No application with this number was found. Check the application number.
error-service-not-found = The service was not found. Check the service code.
error-organization-not-found = The organization was not found. Check the organization code.
error-outage-not-found = No outage with this id was found. List the outages at /api/v1/outages.
error-row-not-found = The requested record was not found.
error-report-version-not-found = This month has no stored report of that version. List the versions at /api/v1/reports/violations/versions.
error-organization-code-taken = An organization with this code already exists ({ $field }). Choose another code.
error-organization-bin-taken = An organization with this BIN is already registered ({ $field }). Check that the BIN is entered correctly.
error-service-code-taken = A service with this code already exists ({ $field }). Choose another code.
error-external-id-taken = The value of { $field } has already been used for a different application. Each application needs its own external identifier.
error-event-id-conflict = The event id in { $field } has already been used for an event with different content. Give a new event a new id; when retrying, send exactly the same content.
error-unknown-organization = There is no organization with the code given in { $field }. Check the organization code.
error-unknown-service = There is no service with the code given in { $field }. Check the service code.
error-unknown-term-variant = The service has no term variant given in { $field }. Check the term variants of this service in the service registry.
error-unknown-information-system = { $field } names an information system that is not registered. Check the system codes.
error-channel-not-offered = The service is not offered through the channel given in { $field }.
error-executor-not-provider = The organization given in { $field } does not deliver this service: choose the service's responsible organization or one under it.
error-search-number-invalid = { $field }: this is not an application number — 13 digits with a check digit; check the digits.
error-search-tax-id-invalid = { $field }: this is not a valid IIN or BIN — 12 digits with a check digit; check the digits.
error-search-digits = { $field }: type an application number (13 digits), an IIN or BIN (12 digits), or a surname (letters only).
error-search-too-short = { $field }: type the whole surname (2 letters or more).

## Field values

error-code-invalid = { $field } is not a valid code: use 1 to 64 characters (Latin letters A–Z, a–z, digits, '.', '_' or '-'), starting with a letter or a digit.
error-in-future = The time in { $field } is in the future (more than 5 minutes ahead of the server time). Check the date, the time and the time zone offset.
error-timestamp-invalid = { $field } is not a valid date and time: use RFC 3339 with a time zone offset, e.g. 2026-03-20T10:00:00+05:00.
error-date-invalid = { $field } is not a valid date: use the form YYYY-MM-DD, e.g. 2026-03-20.
error-empty = { $field } must not be empty.
error-too-long = { $field } is too long: it must not exceed { $max } characters.
error-enum-invalid = { $field } has a value that is not allowed: use one of { $allowed }.
error-unit-invalid = { $field } is not a valid unit of term: use minutes, hours, working_days or calendar_days.
error-amount-invalid = { $field } must be a whole number from 1 to { $max }.
error-working-hours-invalid = { $field } is not valid working hours: write them like 09:00-18:30, with the start before the end.
error-id-length = The IIN/BIN in { $field } must be exactly 12 digits.
error-id-not-digits = The IIN/BIN in { $field } must contain digits only, without spaces or other characters.
error-id-checksum = The IIN/BIN in { $field } is mistyped: its check digit (the 12th) does not match. Check the number against the document.
error-id-unissuable = The IIN/BIN in { $field } cannot exist: such numbers are never issued. Check the number against the document.
error-iin-or-bin-required = Give the applicant's IIN or BIN ({ $field }).
error-iin-and-bin = Give either the IIN or the BIN, not both ({ $field }).
error-limit-invalid = The page size in { $field } must be from 1 to { $max }.
error-cursor-invalid = The cursor in { $field } was not issued by this API. Start again from the first page, without a cursor.
error-month-invalid = { $field } must be a month written YYYY-MM (for example 2026-03), from 2000-01 to 2999-12.
error-feedback-id-conflict = This feedback id was already used for another answer. Give each answer its own id.
error-feedback-already-given = This application already has an answer to { $field }. One answer per application and question.
error-rating-out-of-range = { $field } must be a whole number from 1 to 5.
error-rating-or-survey = Give either a rating (1 to 5) or a survey answer (not_satisfied, partly, satisfied), not both and not neither.
error-year-invalid = { $field } must be a year from 2000 to 2999.
error-percent-invalid = { $field } must be a percentage from 0 to 100.
error-variant-invalid = { $field } is not a valid term variant code: use only lowercase Latin letters, digits and the underscore (_).
error-duplicate = The value in { $field } is repeated: values must not repeat.
error-uuid-invalid = { $field } must be a UUID, e.g. 3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c.
error-ends-before-start = The end in { $field } must be later than the start.
error-systems-required = Name the information systems affected by the outage in { $field }, or set all_systems to true.

## Stage machine (000 §6): stages never go back

error-outcome-required = Closing an application needs an outcome in { $field }: issued or refused.
error-outcome-not-allowed = An outcome ("{ $outcome }") is allowed only on the "closed" stage, not on "{ $stage }". Remove { $field } or record the "closed" stage.
error-reason-required = A refusal or a suspension needs a reason: fill in { $field }.
error-executor-required = A change of executor needs the new executor: fill in { $field }.
error-unknown-ground = The passport of the service the application was registered under has no ground given in { $field }: choose one of that passport's grounds for suspension or refusal.
error-ground-not-applicable = A ground ({ $field }) is given only with a suspension or a refusal. Remove it from this event.
error-before-acceptance = The event time ({ $at }) is before the application was accepted ({ $accepted_at }). Check { $field }.
error-already-recorded = The "{ $stage }" stage is already recorded for this application ({ $recorded_at }). Each stage is recorded only once.
error-after-closure = The application was closed at { $closed_at }; no event can be dated after its closure ({ $field }: { $at }).
error-out-of-order = The "{ $stage }" stage at { $at } conflicts with the "{ $conflicting_stage }" stage recorded at { $conflicting_at }: stages never go back. Check { $field }.
error-already-suspended = The application is already suspended at { $at } (since { $since }). Record a resumption first.
error-not-suspended = The application is not suspended at { $at }: there is nothing to resume.
error-after-completion = A suspension at { $at } is not possible: work on the application was completed at { $completed_at }.
error-precedes-recorded = The "{ $stage }" stage at { $at } would come before the recorded "{ $recorded }" event at { $recorded_at }, which cannot follow it. Check { $field }.
error-invalid-body = The request body does not have the expected shape: { $detail }.

# Signatures (issue 3)
error-signature-required = The organization's policy requires a signature: send the data as {"{"}"signed": …{"}"} or {"{"}"event": …, "signature": …{"}"}.
error-signature-malformed = The signature in { $field } cannot be read: { $detail }.
error-signature-invalid = The signature in { $field } does not match the signed data: the data was changed after signing or signed with another key.
error-signature-algorithm-unsupported = The signature algorithm { $oid } is not verified here (GOST needs the NCANode verifier, which is not configured).
error-certificate-untrusted = The signer's certificate does not chain to a trusted root: { $detail }.
error-certificate-expired = The certificate "{ $subject }" expired at { $at }, before the signing time.
error-certificate-not-yet-valid = The certificate "{ $subject }" is valid only from { $at }, after the signing time.
error-certificate-revoked = The signer's certificate (serial { $serial }) was revoked at { $at }.
error-certificate-revocation-unknown = The revocation status of the signer's certificate is unknown: { $detail }. Try again after the revocation list is refreshed.
error-signer-iin-mismatch = The signer's IIN is not the IIN of the employee named in { $field }.
error-signer-bin-mismatch = The signer's certificate belongs to another organization: its BIN is not the submitting organization's BIN.
error-signer-role-missing = The signer's certificate lacks the required role { $oid }.
error-signature-verifier-unavailable = The signature could not be checked: { $verifier } is unavailable ({ $detail }). Nothing was recorded; send it again later.
error-signature-not-accepted = Signatures are switched off for this organization: send the data unsigned, or ask an administrator to change the signature policy.
error-signature-content-invalid = The signed content in { $field } is not a JSON object: { $detail }.
error-number-mismatch = The application number in the signed event is not the one in the address.

# The violations report's files (CSV, Excel)
report-caption = Deadline violations, { $month } ({ $month_name }), as of { $as_of }
report-row = Row
report-row-own = organization, own
report-row-total = organization, total
report-row-service = service
report-row-totals = all, total
report-code = Code
report-parent = Parent
report-own = Own
report-total = Total
report-due = Due in the month
report-on-time = On time
report-violations = Violations
report-technical = Of which technical
report-open-overdue = Open and overdue
report-overdue-days = Overdue days
report-sheet-organizations = Organizations
report-sheet-services = Services
report-name = Name
report-on-time-percent = % on time
report-totals = Total
month-year = { $month } { $year }

# The quality annex table's files (CSV, Excel; 003 annex)
quality-caption = Quality and efficiency indicators of service { $service }, { $year }, as of { $as_of }
quality-sheet = Indicators
quality-code = Indicator
quality-indicator = Name
quality-normative = Normative value, %
quality-target = Target for the next year, %
quality-current = Current value, %
quality-numerator = Counted
quality-denominator = Out of
quality-indicator-1-1 = % of cases delivered within the term from the submission of documents (timeliness)
quality-indicator-2-1 = % of applicants satisfied with the quality of the process
quality-indicator-3-1 = % of applicants satisfied with the quality of and the information on the procedure
quality-indicator-3-2 = % of services whose information is available electronically
quality-indicator-4-1 = % of applicants satisfied with the complaint procedure
quality-indicator-5-1 = % of applicants satisfied with the courtesy of staff

# Input hygiene (issue 15): text and moments refused at the edge. The offending character is
# named by its position and code point, never shown (the value may be personal data).
error-text-control-character = { $field }: character { $position } ({ $code_point }) is a control character or a line break, which this field does not take. Remove it and send again.
error-text-bidi-control = { $field }: character { $position } ({ $code_point }) is a bidirectional embedding, override or isolate, which could make the text display as something else. Remove it and send again.
error-text-noncharacter = { $field }: character { $position } ({ $code_point }) is a Unicode noncharacter, never part of a text. Remove it and send again.
error-text-invisible = { $field } has no visible character: it is made only of spaces, zero-width or other invisible characters.
error-offset-invalid = { $field } has the UTC offset { $offset }, which no time zone uses: offsets run from -12:00 to +14:00, in whole minutes.
error-date-out-of-range = { $field } is outside the supported dates, { $min } to { $max }.
error-before-calendar = { $field } is before { $first }, the first day of the production calendar: no deadline can be computed before it.
error-value-not-storable = A value of the request cannot be stored: the database refused it. Check its text for control characters.

## Path parameters (issue 15: the OpenAPI contract)
error-path-invalid = The { $field } parameter in the address is not valid: it cannot be read in the expected form. Check the request URL.

## Fields in words (issue 16): a field path of the request as the message names it; the
## API's `field` member keeps the path itself.
request-field-item = { $label } (item { $n })
request-field-applicant-iin = the applicant's IIN
request-field-applicant-bin = the applicant's BIN
request-field-applicant-last-name = the applicant's surname
request-field-applicant-first-name = the applicant's first name
request-field-applicant-middle-name = the applicant's patronymic
request-field-applicant = the applicant
request-field-service-code = the service
request-field-service = the service
request-field-term-variant = the term variant
request-field-channel = the channel of submission
request-field-channels = the channels of submission
request-field-acceptance-place = the place of acceptance
request-field-executor = the executor
request-field-executor-person = the executing employee
request-field-accepted-at = the time of acceptance
request-field-external-id = the external identifier
request-field-occurred-at = the time of the event
request-field-events = the events
request-field-event = the event
request-field-id = the identifier
request-field-type = the type of event
request-field-stage = the stage
request-field-outcome = the outcome
request-field-reason = the reason
request-field-ground = the ground
request-field-number = the application number
request-field-signed = the signed data
request-field-signature = the signature
request-field-date = the date
request-field-kind = the kind
request-field-office = the office
request-field-barcode = the package's barcode
request-field-name = the name
request-field-name-kk = the name in Kazakh
request-field-name-ru = the name in Russian
request-field-name-en = the name in English
request-field-source = the legal source
request-field-source-kk = the legal source in Kazakh
request-field-source-ru = the legal source in Russian
request-field-code = the code
request-field-parent = the parent organization
request-field-bin = the BIN
request-field-working-hours = the working hours
request-field-organization = the organization
request-field-depends-on = the information systems the service depends on
request-field-terms = the term variants
request-field-terms-variant = the code of the term variant
request-field-terms-amount = the length of the term
request-field-terms-unit = the unit of the term
request-field-acceptance-day-counted = whether the day of acceptance counts
request-field-signature-policy = the signature policy
request-field-systems = the information systems
request-field-started-at = the start
request-field-ended-at = the end
request-field-description = the description
request-field-operator = the operator
request-field-month = the month
request-field-year = the year
request-field-format = the file format
request-field-figure = the figure
request-field-version = the version
request-field-limit = the page size
request-field-q = the search
request-field-cursor = the page cursor
request-field-sort = the sort order
request-field-accepted-from = the start of the acceptance period
request-field-accepted-to = the end of the acceptance period
request-field-planned-from = the start of the planned-date period
request-field-planned-to = the end of the planned-date period
request-field-rating = the rating
request-field-survey = the survey answer
request-field-question = the question
request-field-label = the label
request-field-scope = the scope

# User administration (issue 16, B.6)
error-user-not-found = The user was not found.
error-username-invalid = { $field } must have 3 to 64 characters: Latin letters, digits, '.', '_' or '-'.
error-cannot-block-self = You cannot block your own account: another administrator has to.
error-cannot-demote-self = You cannot take the administrator's role from yourself: another administrator has to.
error-cannot-reset-self = Change your own password on the "Change password" page: a reset is for other users.
error-organization-required = Operators and supervisors work for an organization: give the organization.
error-organization-not-allowed = Administrators and analysts see every organization: leave the organization empty.
error-password-too-short = The password must have at least 12 characters.
error-password-weak = The password must not contain the username or be one repeated character.
request-field-full-name = the full name
request-field-position = the position
request-field-role = the role
request-field-password = the password
request-field-username = the username
request-field-revision = the revision
request-field-effective-from = the date the terms take effect
request-field-legal-basis = the legal basis
error-stale-revision = The record was changed after the revision sent in { $field }: nothing was saved. Read it again and send the edit with its current revision.
error-service-has-applications = Applications of this service are registered, so { $field } can no longer change: each was accepted and is executed within the provider's organizations.
error-effective-from-past = { $field } cannot be earlier than today ({ $today }): applications already registered keep the terms they were registered under.
error-effective-before-latest = { $field } cannot be earlier than the date of the latest version of the terms: versions take effect in the order they are recorded.
error-scan-already = This package was already scanned as "{ $scan }": the scan is recorded once.
error-scan-out-of-order = The package cannot be scanned as "{ $scan }" now; next may come: { $expected }.
error-not-a-package = This is not a qyzmet package label (QZ and 13 digits with a valid check digit).
error-package-not-found = No such document package within your reach: the application was not accepted on paper at the State Corporation, or it is outside your organization.
error-consent-missing = The application cannot be sent without the applicant's consent to { $lacking ->
    [both] the use of personal data and of legally protected data
    [personal_data] the use of personal data
   *[protected_data] the use of legally protected data
}: record it first.
error-consent-repeated = { $field }: this consent is already given above.
error-unknown-document = { $field }: the service's passport has no such document.
error-document-from-system = { $field }: this document is obtained from an information system; the applicant is never asked for it.
error-document-repeated = { $field }: this document is already listed above.
error-document-count = { $field } must be at least 1.
error-not-conditional = { $field } is not a document asked only of some applicants: it applies to everyone.
error-no-passport = The service has no passport in force today: its documents cannot be checked ({ $field }).
error-counter-not-of-office = { $field }: no such counter in this office.
error-ticket-not-of-office = { $field }: no such ticket in this office.
error-power-of-attorney-expired = The power of attorney expired on { $valid_until } ({ $field }).
error-request-key-used = { $field } was used for an acceptance that was refused: use a new key.
error-receipt-not-found = No such receipt within your reach.
error-not-at-issue-desk = The result cannot be issued: the package is not at the issue desk ({ $whereabouts }).
error-representative-required = A legal entity's result is issued only to a representative with a power of attorney ({ $field }).
error-not-the-applicant = The IIN on the document is not the applicant's ({ $field }): the result is not issued.
error-already-issued = This application's result was issued already ({ $field }).
error-rating-link-invalid = The rating link is not valid: open it again from the receipt's QR code.
error-already-rated = This visit was rated already: it can be rated once.
error-nothing-to-return = Nothing is due for return on { $on }.
error-return-register-not-found = No such return register within your reach.
error-scan-key-used = { $field } was used for another scan of this package: use a new key.
error-acceptance-not-found = No such acceptance within your reach.
error-copy-not-found = No such certified copy within your reach.
error-not-state-corp = The application was not accepted at the State Corporation ({ $field }): copies are certified there only.
error-media-type-unsupported = { $field }: only a PDF, PNG or JPEG file is taken.
error-base64-invalid = { $field }: a file in base64 is expected.
error-file-too-large = { $field }: the file must be at most { $max_mb } MB.
