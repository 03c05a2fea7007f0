# The workstation (issue 4). Kazakh is the default language; every id here exists in kk and ru.

## Header and navigation
nav-skip = Skip to content
nav-label = Main menu
nav-inbox = Applications
nav-register = Register an application
nav-dashboard = Dashboard
nav-admin = Administration
nav-password = Change password
nav-sign-out = Sign out
nav-language = Language

## Roles
role-administrator = Administrator
role-analyst = Analyst
role-operator = Operator
role-supervisor = Supervisor

## Error pages
page-home = To the start page
page-forbidden-title = Access denied
page-forbidden-text = Your role does not allow this page or action. If you need it, ask an administrator.
page-not-found-title = Not found
page-not-found-text = There is no such page or application, or it is outside your organization.
page-csrf-title = The form has expired
page-csrf-text = The form was not accepted because it is stale or did not come from this site. Open the page again and repeat the action.
page-internal-title = Something went wrong
page-internal-text = The server could not complete the request. Nothing was changed. Try again in a minute.

## Signing in
sign-in-title = Sign in
sign-in-username = Username
sign-in-password = Password
sign-in-submit = Sign in
sign-in-invalid = Wrong username or password, or the account is locked for 15 minutes after repeated failed attempts, or blocked by an administrator. Try again later or ask an administrator.
sign-in-throttled = Too many sign-in attempts at once. Wait a few seconds and try again.

## Password
password-title = Change password
password-current = Current password
password-new = New password
password-repeat = Repeat the new password
password-rules = At least 12 characters; not your username, not one repeated character.
password-submit = Change password
password-changed = The password has been changed. Your other sessions were closed.
password-current-wrong = The current password is wrong.
password-mismatch = The new password and its repetition differ.
password-too-short = The password must have at least 12 characters.
password-weak = The password must not contain the username or be one repeated character.
password-forced = Your password was set by an administrator. Set your own password before you continue.
password-continue = Go to work
password-same = The new password must differ from the temporary one the administrator gave.

## Dates and durations
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
time-left-days = { $n ->
    [one] { $n } day left
   *[other] { $n } days left
}
time-left-hours = { $n ->
    [one] { $n } hour left
   *[other] { $n } hours left
}
time-overdue-days = { $n ->
    [one] overdue by { $n } day
   *[other] overdue by { $n } days
}
time-overdue-hours = { $n ->
    [one] overdue by { $n } hour
   *[other] overdue by { $n } hours
}
yes = yes
no = no

## Domain terms
stage-accepted = Accepted
stage-sent-for-execution = Sent for execution
stage-taken-into-work = Taken into work
stage-executed = Executed
stage-ready-for-issue = Ready for issue
stage-closed = Closed
outcome-issued = Issued
outcome-refused = Refused
channel-provider = At the provider
channel-state-corp = State Corporation front office
channel-portal = E-government portal
unit-minutes = minutes
unit-hours = hours
unit-working-days = working days
unit-calendar-days = calendar days
org-kind-central-state-body = Central state body
org-kind-department = Department
org-kind-territorial-unit = Territorial unit
org-kind-subordinate-organization = Subordinate organization
org-kind-local-executive-body = Local executive body
org-kind-state-corp-branch = State Corporation branch
org-kind-other-provider = Other provider
day-kind-day-off = Day off
day-kind-working-day = Working day
event-suspended = Suspended
event-resumed = Resumed
event-executor-changed = Executor changed
event-scanned = Package scanned
scan-to-provider = handed to the provider
scan-from-provider = received from the provider
scan-to-issue-desk = passed to the issue desk
scan-issued = issued to the applicant
scan-returned = returned to the provider unclaimed
rule-1 = Rule 1 (the term in force):
rule-2 = Rule 2 (local dates):
rule-3 = Rule 3 (working hours):
rule-4 = Rule 4 (counting starts):
rule-5 = Rule 5 (working days):
rule-6 = Rule 6 (calendar days):
rule-7 = Rule 7 (hours and minutes):
rule-8 = Rule 8 (due by the end of the day):
rule-9 = Rule 9 (suspensions):
rule-10 = Rule 10 (derivation):

rule-1-text = the service's term: { $term }.
rule-2-text = received { $received }, Asia/Almaty time.
rule-3-text = accepted { $accepted }: a receipt after working hours or on a day off counts from the next working day.
rule-4-text = counting starts on { $date }.
rule-5-text = { $term } counted, days off skipped: planned date { $planned }.
rule-6-text = { $term } counted; a planned date on a day off moves to the next working day: { $planned }.
rule-7-text = { $accepted } plus { $term }: due { $deadline }.
rule-8-text = due by the end of the planned date: { $deadline }.
rule-9-text = suspensions lengthen the term by { $n } ({ $unit }).
rule-10-text = this derivation.

# How a planned date was derived, sentence by sentence (the domain's notes, crates/domain/src/note.rs)
note-term = term: { $amount } { $unit }
note-received = received { $received }, Astana time
note-within = received { $date } at { $time }, within the working hours of a working day ({ $hours }): accepted then
note-before-start = received { $date } at { $time }, before the working day starts at { $start }: accepted { $accepted } at { $accepted_time }
note-after-end = received { $date } at { $time }, at or after the end of the working hours ({ $end }): accepted { $accepted } at { $accepted_time }
note-day-off = received { $date } at { $time }, on a day off: accepted { $accepted } at { $accepted_time }
note-paper = accepted by the State Corporation with the documents carried on paper, so the day of acceptance never counts: counting starts { $start }
note-counted = the service standard counts the day of acceptance: counting starts { $start }
note-not-counted = the day of acceptance is not counted: counting starts { $start }
note-suspended-days = suspensions ({ $n }) lengthened the term by { $days } ({ $unit })
note-no-day = a term of 0 counts no day: the planned date is the day of acceptance
note-working-days = { $n } working days counted from { $start }, { $skipped } days off skipped: planned { $planned }
note-calendar-day-working = calendar day { $n } counted from { $start } is { $planned }, a working day: it is the planned date
note-calendar-day-off = calendar day { $n } counted from { $start } is { $last }, a day off: planned the next working day, { $planned }
note-due = due by the end of the planned date: { $planned } 23:59:59, Astana time
note-elapsed = effective acceptance { $accepted } plus { $amount } { $unit }: due { $deadline }; planned date { $planned }
note-elapsed-suspended = effective acceptance { $accepted } plus { $amount } { $unit } and { $seconds } s suspended: due { $deadline }; planned date { $planned }
note-suspended-time = suspensions ({ $n }) lengthened the term by the time suspended: { $seconds } s (about { $minutes } min)

# Why a planned date moved: a change of the production calendar
deadline-change-day-off = the production calendar made { $day } a day off{ $name }
deadline-change-working-day = the production calendar made { $day } a working day{ $name }
deadline-change-removed = the production calendar's entry for { $day } was removed: the weekly pattern applies
deadline-change-shipped-day-off = the production calendar shipped with the system was corrected: { $day } is a day off{ $name }
deadline-change-shipped-working-day = the production calendar shipped with the system was corrected: { $day } is a working day{ $name }
deadline-change-shipped-removed = the production calendar shipped with the system was corrected: the weekly pattern applies to { $day }

## Inbox and lists
inbox-title = Applications
inbox-caption = Applications of your organization
inbox-empty = No applications match.
list-title = Applications
col-number = Number
col-service = Service
col-applicant = Applicant
col-stage = Stage
col-accepted = Accepted
col-planned = Planned date
col-time-left = Time left
badge-overdue = Overdue
badge-nearing = Nearing
badge-suspended = Suspended
filter-stage = Stage
filter-any = Any
filter-service = Service code
filter-planned-from = Planned from
filter-planned-to = Planned to
filter-flags = Flags
filter-pending = Not completed
filter-overdue = Overdue
filter-nearing = Nearing the deadline
filter-apply = Apply
filter-reset = Reset
filter-executor = Executor
filter-organization = Organization
filter-accepted-from = Accepted from
filter-accepted-to = Accepted before
filter-sort = Order
sort-newest = Newest first
sort-due = Due first
filter-completed-from = Completed from
filter-completed-to = Completed before
filter-deadline-from = Deadline from
filter-deadline-to = Deadline before
pager-label = Pages
pager-first = First page
pager-next = Next page
pager-prev = Previous page
pager-page = Page { $n }
list-total = { $n ->
    [one] { $shown } application
   *[other] { $shown } applications
}
list-total-more = More than { $shown } applications: narrow the list with the search or the filters.
search-label = Search
search-hint = Application number, IIN/BIN or surname
filter-organization-any = All organizations in my view
filter-accepted-on-from = Accepted from (date)
filter-accepted-on-to = Accepted to (date, inclusive)

## Registration
register-title = Register an application
register-service-hint = Type the code or a word of the name and pick from the list.
register-submit = Register
label-term-variant = Term
label-executor-org = Executing organization
register-executor-hint = Only the service's responsible organization and those under it deliver it.
register-choose-service = Choose the service first: its term, the organizations that deliver it and its channels appear here.
register-service-required = Choose the service from the list: type its code or a word of its name.
form-problems = There is a problem
label-service-code = Service
label-tax-id = Applicant's IIN or BIN
label-last-name = Last name
label-first-name = First name
label-middle-name = Middle name (if any)
label-channel = Channel
label-paper = Documents on paper
label-accepted-at = Accepted at
tax-id-valid-iin = A valid IIN (an individual).
tax-id-valid-bin = A valid BIN (a legal entity).

## Application page
application-title = Application
application-registered = The application is registered. Its number and planned date are below.
application-deadline = Deadline
application-timeline = Stages
timeline-planned = planned
timeline-actual = actual
application-actions = Actions
action-when-hint = Happened earlier? Set the time
label-occurred-at = When it happened (empty: now)
action-close = Close the application
label-outcome = Result
label-refusal-reason = Reason (required for a refusal)
action-close-submit = Close
confirm-close-issued = Close the application as issued? This cannot be undone.
confirm-close-refused = Close the application as refused? This cannot be undone.
action-suspend = Suspend
label-suspension-reason = Legal reason for the suspension
label-suspension-ground = Ground for the suspension in the service standard
label-refusal-ground = Ground for the refusal in the service standard (required for a refusal)
ground-choose = — choose a ground —
ground-refusal-hint = A ground is recorded with a refusal only, not with an issue.
action-suspend-submit = Suspend
action-resume = Resume
label-note = Note
action-resume-submit = Resume
action-reassign = Reassign the executor
label-executor = New executing organization (code)
label-executor-person = Executing official
action-reassign-submit = Reassign
application-data = Application data
field-service = Service
field-iin = IIN
field-bin = BIN
field-applicant = Applicant
field-channel = Channel
field-paper = On paper
field-acceptance-place = Accepted at
field-executor = Executor
field-accepted-at = Received
field-effective-acceptance = Accepted (after working hours)
field-external-id = Provider system's id
field-planned-date = Planned date
field-deadline = Deadline
application-derivation = How the planned date was derived
derivation-term = Term
derivation-counting-starts = Counting starts
derivation-calendar = Production calendar version
derivation-changes = Changes of the planned date
application-history = History
history-when = When
history-what = Event
history-reason = Reason or note
history-recorded = Recorded
history-actor = By
actor-token = API token #{ $n }
application-back = Back to the list

## Dashboard
dashboard-title = Dashboard
dashboard-by-stage = Applications by stage
dashboard-by-organization = Open applications by executing organization
dashboard-by-service = Open applications by service
dashboard-trail = Organization hierarchy
dashboard-all = All organizations
dashboard-drill = Show its units
dashboard-scope-national = Figures of the whole country.
dashboard-scope-organization = Every figure is of the applications executed by this organization and its units:
dashboard-scope-all = the whole country
dashboard-headline = Headline figures
dashboard-open-overdue = Open and overdue
dashboard-nearing = Open, nearing the deadline
dashboard-on-time-month = Completed on time this month: { $on_time } of { $completed }
chart-title = Applications per day over the last 90 days
chart-accepted = accepted
chart-completed = completed
chart-overdue = overdue
col-code = Code
col-name = Name
col-open = Open
col-overdue = Overdue
col-nearing = Nearing

## Administration
admin-title = Administration
admin-organizations = Organizations
admin-services = Services
admin-users = Users
admin-tokens = API tokens
admin-calendar = Production calendar
admin-outages = Outages
col-kind = Kind
col-signature-policy = Signature policy
col-provider = Provider
col-terms = Terms
col-channels = Channels
col-depends-on = Depends on
col-username = Username
col-role = Role
col-organization = Organization
col-language = Language
col-created = Created
col-label = Label
col-scope = Scope
col-revoked = Revoked
col-date = Date
col-source = Legal source
col-started = Started
col-ended = Ended
col-systems = Systems
col-operator = Operator
col-description = Description
user-new = New user
user-password = Initial password
user-org-hint = Operators and supervisors need their organization's code; administrators and analysts none.
user-create = Create the user
user-created = User { $name } created.
user-error-role = Choose a role.
user-error-organization = No organization has this code.
user-error-username = The username must have 3 to 64 characters: Latin letters, digits, '.', '_' or '-'.
user-error-org-required = Operators and supervisors work for an organization: give its code.
user-error-org-not-allowed = Administrators and analysts see every organization: leave the organization empty.
user-error-taken = This username is taken.
token-new = New token
token-admin = Administrator (every organization)
token-create = Create the token
token-revoke = Revoke
token-shown-once = Copy the token now: it is shown only this once and cannot be recovered.
token-error-organization = No organization has this code.
token-error-scope = Give an organization, or mark the token as an administrator's (not both).
outages-none = No outages recorded.
outage-all-systems = All systems

## API errors of the workstation's roles
error-read-only = Your role can only read data, not change it.
error-supervisor-required = Only a supervisor can reassign the executor.

## The violations report's page (000 §12) and the quality annex (003 annex)
nav-reports = Violations report
nav-quality = Service quality
page-bad-request-title = The request cannot be answered
page-bad-request-text = The address has a value that is not allowed. Check it and try again.
dashboard-report = The monthly report of deadline violations, by organization and by service
report-title = Deadline violations report
report-month = Month
report-show = Show
report-intro = The applications whose deadline fell in the month, by executing organization and by service, as the rules for entering stage data into the monitoring information system require (paragraph 12).
report-help-link = How the figures are counted
report-version = Version
report-version-n = version { $n }
report-version-latest = the latest stored version (computed now when there is none)
report-as-of = Figures as of
report-generated-at = Generated
report-delivered-at = Delivered
report-delivered-late = Delivered after the 15th
report-delivered-on-time = Delivered by the 15th
report-due-by = Due by
report-newer = A later version of this month exists:
report-live-title = Not a stored report.
report-live-text = This month has no stored version: the figures below are computed now, as of { $value }, and change as data arrives.
report-versions = Versions
report-downloads = Download
report-download-xlsx = Excel (.xlsx)
report-download-csv = CSV
report-download-json = JSON
report-cause-schedule = generated on the 1st
report-cause-demand = generated on demand
report-cause-revision = revised after late data
report-by-organization = Violations by organization
report-chart-organizations = Violations by top-level organization (each with its units)
report-chart-units = Violations in the units of { $name }
report-chart-own = { $name }: its own applications
report-chart-services = Violations by service
report-chart-services-hint = { $n ->
    [0] No service has a violation in this month.
   *[other] The chart shows the { $n } services with the most violations (at most 15); the table below lists every service.
}
report-chart-trend = Violations over 12 months
report-trend-hint = Each month's latest stored version; a month without a stored report is marked as missing, not as zero.
report-chart-empty = No violations.
report-chart-bar = { $name }: { $violations } violations, of which technical { $technical }
report-chart-value = { $violations } (technical { $technical })
report-chart-missing = { $name }: no stored report
report-no-report = no stored report
report-organizations = Organizations
report-table-hint = In tree order: each organization's own figures (the applications it executes) and its total with every unit below it. Each figure opens the list of applications behind it.
report-drill = Show its units in the chart
report-services = Services
report-quality = Quality indicators
report-quality-link = Annex table
report-no-services = No service had an application due in this month.
report-help-title = How the figures are counted
report-help-month-term = The month of a violation
report-help-month = An application belongs to the report of the month in which its deadline falls (the local date, Asia/Almaty). An extension or a suspension that moved the deadline moves the application to the month of its new deadline.
report-help-on-time = Completed (stage 4 "executed" or a later one first reached) at or before the deadline.
report-help-violation = Completed after the deadline, or not completed when the report is computed although the deadline has passed. An application whose deadline has not passed yet, or that is suspended at that moment, is counted in "Due in the month" only.
report-help-technical = A violation for a technical reason: an outage of an information system the service depends on (or of every system) overlapped the application's window, from its effective acceptance to its deadline. Administrators register outages with their start, end and the systems affected.
report-help-open-overdue = Of the violations, those still not completed at the report's moment.
report-help-overdue-days = For each violation, the local date of completion (or of the report's moment, while it is open) minus the planned date, never below 0; the figure is their sum.
report-help-own-total = An organization's own figures count the applications it executes; its total adds every organization below it. A service's figures count its applications.
report-help-as-of = The figures are computed as of { $value } (Asia/Almaty time): an application open at that moment with its deadline passed is a violation, its overdue days counted up to that date.
report-help-versions = A stored version never changes. Data that arrives late for a closed month makes a new version, computed as of the first version's moment; the earlier versions are kept and can be opened above. The report is due by the 15th of the next month; it is delivered when its first version is generated.
report-version-invalid = The version must be a whole number from 1. The month's versions are listed on the report's page.
report-version-missing = The report of { $month } has no stored version { $n }.
report-format-invalid = The file format must be xlsx, csv or json.
report-figure-invalid = Choose one of the report's figures: due in the month, on time, violations, of which technical, or open and overdue.
report-list-title = Applications behind a figure of the report
report-back = Back to the report
report-list-count = Applications counted
report-list-masked = Applicants are masked for your role: the IIN or BIN keeps its first six digits, the names their initials.
report-figure = Figure
report-all-organizations = All organizations
report-scope-own = its own applications
report-scope-total = with its units
report-completed = Completed
report-verdict = Verdict
report-verdict-on-time = on time
report-verdict-running = still running
report-verdict-violation = violation
report-badge-technical = technical
report-badge-open = open
quality-title = Quality indicators
quality-year = Year
quality-intro = The annex of the service's standard (the model standard of a public service, paragraphs 19–20): each indicator's normative value and next year's target, set by administrators, and its current value in the year, computed now.
quality-counted = Counted from
quality-counted-value = { $numerator } of { $denominator }
quality-counted-hint = 1.1 counts the applications whose deadline fell in the year and that are decided (completed, or open past the deadline); 2.1, 3.1, 4.1 and 5.1 the applicants' answers (a rating of 4 or 5, or "satisfied", is satisfied); 3.2 whether the service can be applied for on the portal.
quality-services-hint = Each service's quality indicators (the annex of the model standard of a public service) for this year; another year can be chosen on its page.
quality-download-xlsx = Excel (.xlsx)
quality-download-csv = CSV
quality-format-invalid = The file format must be xlsx or csv.

# Issue 15: the database unreachable (a page answered 503).
page-unavailable-title = The database is unavailable
page-unavailable-text = The database is temporarily unavailable. Nothing was changed. Try again in a minute.
