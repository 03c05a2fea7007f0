# The administrator's forms (issue 4): the production calendar, outages, services and
# organizations. Every id here exists in kk and ru.

## Calendar
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
weekday-short-1 = Mon
weekday-short-2 = Tue
weekday-short-3 = Wed
weekday-short-4 = Thu
weekday-short-5 = Fri
weekday-short-6 = Sat
weekday-short-7 = Sun
calendar-working = working day
calendar-off = day off
calendar-years = Other years
calendar-hint = Saturday and Sunday are days off unless an entry says otherwise. Choose a day to add, change or remove its entry.
calendar-legend = Legend
calendar-legend-entry-off = day off by an entry (a holiday or a transfer)
calendar-legend-entry-working = working day by an entry (a transferred working day)
calendar-entries = Entries of { $value }
calendar-no-entries = This year has no entries: every day follows the weekly pattern.
calendar-actions = Actions
calendar-edit = Change
calendar-remove = Remove
calendar-form-title = Add or change a day
calendar-name-hint = What the day is, e.g. "Nauryz meiramy" or "Transfer of a day off".
calendar-source-hint = Required: the act that sets the day, e.g. "Decree of the Government No. 123 of 01.12.2025".
calendar-translations = The name and the legal source in Kazakh and Russian
calendar-translations-hint = Shown to readers of Kazakh and of Russian. The name and the legal source above are the English ones, shown wherever a translation is missing.
calendar-name-kk = Name in Kazakh
calendar-name-ru = Name in Russian
calendar-source-kk = Legal source in Kazakh
calendar-source-ru = Legal source in Russian
calendar-recompute-hint = Saving recomputes the planned dates of the pending applications that depend on this day; their old dates are kept with the reason.
calendar-save = Save the day
calendar-version = Calendar version
calendar-saved = Saved: { $date }. Pending applications recomputed: { $n }; of them with another planned date: { $changed }.
calendar-removed = The entry of { $date } is removed: the day follows the weekly pattern again. Pending applications recomputed: { $n }; of them with another planned date: { $changed }.

## Form errors said the form's way (the API's say them for JSON)
admin-error-timestamp-invalid = { $field }: enter a date and a time.
admin-error-date-invalid = { $field }: enter a date.
admin-error-enum-invalid = { $field }: choose a value from the list.
admin-error-systems-required = Mark "All systems" or choose the affected systems.

## Outages
outage-hint = Violations whose window an outage of a system the service depends on overlapped are counted apart as technical-cause violations. Times are Astana time.
outage-new = Register an outage
outage-time-hint = Leave the end empty while the outage goes on.
outage-systems-hint = Or choose the affected systems:
outage-operator-hint = Who runs the affected systems.
outage-register = Register the outage
outage-created = The outage is registered.
outage-ongoing = ongoing

## Registry: shared
code-hint = 1 to 64 characters: Latin letters, digits, '.', '_' or '-'; it cannot be changed later.
name-kk = Name in Kazakh
name-ru = Name in Russian
name-en = Name in English

## Organizations
org-new = New organization
org-parent = Parent organization
org-no-parent = None (top level)
org-bin = BIN
org-working-hours = Working hours
org-working-hours-hint = Like 09:00-18:30; empty means 09:00-18:00. Applications received after hours count from the next working day.
org-create = Create the organization
org-created = The organization is created.
org-children = Units under it
policy-required = Required
policy-optional = Optional
policy-off = Off
policy-required-long = Required: unsigned or failing events are refused
policy-optional-long = Optional: a signature is verified when there is one
policy-off-long = Off: signed data is refused
org-policy-legend = Signatures of this organization's events
org-policy-hint = Takes effect at once on this server and within 30 seconds on the others.
org-policy-save = Save the policy
org-policy-saved = The signature policy is saved.

## Services
service-new = New service
service-create = Create the service
service-created = The service is created.
terms-hint = The first variant is the default; leave the rows you do not need empty. Variant codes: lowercase Latin letters, digits and '_'.
term-row = Variant
term-variant = Variant code
term-amount = Amount
term-unit = Unit
service-acceptance-day-counted = The acceptance day is counted
service-acceptance-day-hint = Only when the service standard says so; otherwise counting starts the next day.
service-systems-hint = Information systems whose outages make a late application a technical-cause violation.
service-updated = Updated
service-variants = Term variants
service-terms-version = version { $value }
service-default-variant = default
service-change-terms = Change the terms
service-change-terms-hint = Saving makes a new version of the variants; applications already registered keep the terms they were registered under.
service-save-terms = Save the terms
service-terms-changed = The terms are changed: new registrations use the new version.
outage-edit = Change the outage
outage-edit-link = Change
outage-save = Save the changes
outage-updated = The outage is changed. The stored violations reports it touches are being revised.
outage-cancel = Back to the outages
col-actions = Actions

## Users (issue 16, B.6)
col-status = Status
col-last-sign-in = Last sign-in
user-status-active = Active
user-status-blocked = Blocked
user-status-locked = Locked for now
user-never = not yet signed in
user-search = Search users
user-search-words = Username or full name
user-search-submit = Find
user-count = Found: { $n }
user-full-name = Full name
user-position = Position
user-password-state = Password
user-must-change-password = To be changed at the next sign-in
user-profile = Profile
user-profile-save = Save the profile
user-role-title = Role and organization
user-no-organization = — no organization —
user-role-save = Save the role
user-access = Access
user-block-reason = Reason for blocking
user-block-hint = The user cannot sign in, and their open sessions end at once.
user-block = Block
user-block-confirm = Block the user { $name }? All their sessions end at once.
user-unblock-hint = Once unblocked, the user can sign in with their own password again.
user-unblock = Unblock
user-unlock-hint = Lifts the lock after failed sign-ins and clears their count.
user-unlock = Unlock
user-reset-title = Password reset
user-reset-hint = A temporary password is generated and shown once. The user replaces it at the next sign-in; their open sessions end at once.
user-reset = Generate a temporary password
user-reset-confirm = Reset the password of { $name }? The old password stops working and their sessions end.
user-password-shown-once = The temporary password is below; it is shown only now. Give it to the user by a safe way.
user-done-profile = The profile has been saved.
user-done-role = The role and organization have been saved.
user-done-block = The user has been blocked and their sessions closed.
user-done-unblock = The user has been unblocked.
user-done-unlock = The lock has been lifted.
user-done-password = The password has been reset and the sessions closed.
token-revoke-confirm = Revoke the token { $name }? The systems that use it lose access within 30 seconds.
# Editing the registry (organizations and services)
org-edit = Edit the organization
org-edit-hint = The code and the parent organization cannot be changed: the place of an organization in the tree decides what its staff, API tokens and reports cover. To move a unit, create it under its new parent.
org-edit-save = Save the changes
org-edited = The organization is saved.
org-search-label = Find an organization
org-search-hint = By code, BIN or part of the name in any language; capital and small letters are the same.
service-search-label = Find a service
service-search-hint = By code or part of the name in any language; capital and small letters are the same.
search-submit = Find
search-clear = Show all
search-found = { $n ->
    [0] Nothing was found.
    [one] One found.
   *[other] { $n } found.
}
form-problem = The form was not saved
admin-stale-revision = Someone else saved changes to this record after you opened the form, and nothing of yours was saved. The values now stored are shown on this page; your changes are kept in the form. Compare them and save again.
service-edit = Edit the service
service-edit-hint = The code cannot be changed. The terms change above, as a new version with its effective date and legal basis.
service-edit-save = Save the changes
service-edited = The service is saved.
service-provider-hint = Can be changed only while no application of the service is registered.
service-provider-fixed = Applications of this service are registered, so its provider can no longer change: each application was accepted and is executed within the provider's organizations.
service-terms-history = History of the terms
service-version = Version
service-effective-from = In force from
service-effective-from-hint = The day from which new registrations use these terms: today or later. Empty means today. Applications registered before keep their terms.
service-legal-basis = Legal basis
service-legal-basis-hint = The act that changed the terms: its name, number and date.
service-version-status = Status
service-version-in-force = in force
service-version-pending = from its date
service-version-earlier = earlier
