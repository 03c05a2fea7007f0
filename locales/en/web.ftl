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
sign-in-invalid = Wrong username or password.
sign-in-locked = The account is locked for 15 minutes after repeated failed attempts. Try again later or ask an administrator.

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

## Registration
register-title = Register an application
register-service-hint = Type the code or a word of the name and pick from the list.
register-submit = Register
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
action-suspend = Suspend
label-suspension-reason = Legal reason for the suspension
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
