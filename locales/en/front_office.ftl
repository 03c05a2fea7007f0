## Front office (001): offices, counters, the electronic queue.

error-office-code-taken = The office code in "{ $field }" is taken.
error-office-not-state-corp = The organization in "{ $field }" is not a State Corporation branch: offices are created only under branches.
error-office-not-found = Office not found.
error-counter-number-taken = The office already has a counter with this window number ("{ $field }").
error-employee-has-counter = The employee in "{ $field }" already works at another counter.
error-unknown-employee = "{ $field }" names an unknown employee: an active operator or supervisor of the branch is needed.
error-employee-outside-office = The employee in "{ $field }" does not belong to this office's branch.
error-counter-not-found = Counter not found.
error-not-your-counter = This counter is assigned to another employee.
error-counter-busy = A visitor is called or being served at this counter: finish first.
error-counter-not-open = The counter is not open: open it to call visitors.
error-counter-has-no-ticket = No visitor is called or served at this counter.
error-ticket-state-wrong = This action is not available for the ticket in its current state.
error-not-called-enough = A no-show can be marked only after several calls: call the visitor again.
error-ticket-numbers-exhausted = Today's ticket numbers are used up.
error-queue-live = The office runs the live queue: tickets are issued on site.
error-office-closed = The office is not receiving visitors now: tickets are issued during opening hours.
error-ticket-not-found = Ticket not found.
error-ticket-not-waiting = No ticket of that number waits today.
error-ticket-number-invalid = "{ $field }" needs a ticket number: a letter and digits, e.g. A017.
error-too-many-tickets = Too many tickets from your address. Try again in { $seconds } s.
error-unknown-counter = "{ $field }" names a counter this office does not have.
error-queue-mode-unchanged = The office already runs this queue mode.
error-unknown-application = The application in "{ $field }" was not found.
error-application-number-invalid = "{ $field }" needs an application number.
error-overlap = The breaks in "{ $field }" overlap.

request-field-address = address
request-field-schedule = schedule
request-field-schedule-source = legal source of the schedule
request-field-weights = priority group weights
request-field-deadline-window-hours = "about to be overdue" window, hours
request-field-calls-before-no-show = calls before a no-show
request-field-average-service-minutes = average service time, minutes
request-field-window = window number
request-field-purposes = counter purposes
request-field-services = counter services
request-field-employee = employee
request-field-purpose = purpose of the visit
request-field-priority = priority group
request-field-ticket = ticket number
request-field-application = application
request-field-counter-id = counter

## Booking a visit (001 §12), retried requests, the hall display.
error-idempotency-key-invalid = The “{ $field }” header must hold 1 to { $max } visible ASCII characters.
error-slot-full = Every place at the time in “{ $field }” is taken: choose another time.
error-slot-unknown = The office takes no booking at the time in “{ $field }”: choose a time from the free slots.
error-slot-past = The time in “{ $field }” has passed: choose another.
error-time-invalid = “{ $field }” needs a time as HH:MM, e.g. 10:15.
error-outside-booking-horizon = The date in “{ $field }” must be today or within { $days } days.
error-booking-code-taken = No check-in code could be drawn: book again.
error-booking-not-found = No such booking.
error-booking-not-standing = The booking was cancelled, used, or its time has passed.
error-booking-same-slot = The booking is already at that time (“{ $field }”).
error-booking-missed = The booked time has passed: take a regular ticket at the kiosk.
error-check-in-too-early = Check-in opens an hour before the visit, at { $at }.
error-booking-code-invalid = “{ $field }” needs the six-digit check-in code.
error-too-many-requests = Too many requests from your address. Try again in { $seconds } s.

request-field-start = visit time
request-field-contact = contact
request-field-contact-email = e-mail
request-field-contact-phone = phone
request-field-contact-language = language of messages
request-field-Idempotency-Key = Idempotency-Key
