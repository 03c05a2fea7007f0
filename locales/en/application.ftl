## The application page: where it stands against its deadline, and why (issue 16, B.4)
why-title = Deadline status
why-label-running = On time
why-label-nearing = Nearing the deadline
why-label-suspended = Suspended
why-label-overdue = Overdue
why-label-on-time = Completed on time
why-label-late = Completed late
why-running = Open and on time: stage 4 “{ $stage }” is due by { $deadline }; { $left }.
why-nearing = Open, nearing its deadline: stage 4 “{ $stage }” is due by { $deadline }; { $left }.
why-suspended = Suspended since { $since }: the clock is stopped, and the deadline moves when work resumes. Reason: { $reason }
why-suspended-late = The deadline { $deadline } had already been missed when it was suspended, by { $late }.
why-overdue = Overdue: stage 4 “{ $stage }” was due by { $deadline } and has not been reached; late by { $late }.
why-completed-on-time = Completed on time: stage “{ $stage }” was reached on { $at }, within the deadline { $deadline }.
why-completed-late = Completed late: stage “{ $stage }” was reached on { $at }, { $late } after the deadline { $deadline }.
why-closed = Closed on { $at }: { $outcome }.
why-reasons = What moved the deadline or explains it
why-suspended-now = The clock stands while the application is suspended; the time suspended is added to the term when work resumes.
why-planned-moved = The planned date was changed from { $from } to { $to }: { $reason }
why-outage = An outage of { $systems } from { $from } to { $to } overlapped the term. An outage does not move the deadline.
why-outage-open = An outage of { $systems } since { $from }, not yet ended, overlaps the term. An outage does not move the deadline.
why-outage-all = every information system
why-technical = The violation therefore has a technical cause and is counted apart in the monthly report.
why-nothing-moved = No suspension, change of the planned date or outage affected this deadline.
dist-calendar-days = { $n ->
    [one] { $n } calendar day
   *[other] { $n } calendar days
}
dist-hours = { $h } h { $m } min
dist-minutes = { $m } min
left-working-days = { $n ->
    [one] { $n } working day left after today
   *[other] { $n } working days left after today
}
left-calendar-days = { $n ->
    [one] { $n } calendar day left after today
   *[other] { $n } calendar days left after today
}
left-today = due by the end of today
left-time = { $time } left
band-label = Suspended
band-period = { $from } – { $until }
band-open = since { $from }, not resumed yet
band-by-completion = { $from } – { $until } (ended by the completion)
band-extension = added { $n } ({ $unit }) to the term
band-reason = Reason: { $reason }
band-note = On resumption: { $note }
band-ground = Under the service standard: { $ground }
band-sr = The clock of the term was stopped during this period.
history-registered = Registered (stage 1 “{ $stage }”): { $channel }, accepted at { $place }; planned date computed: { $planned }
history-registered-paper = documents on paper
history-registered-effective = counts as accepted at { $at }
why-suspensions-moved = Suspensions stopped the clock: the deadline moved by { $n } ({ $unit }).
dist-working-days = { $n ->
    [one] { $n } working day
   *[other] { $n } working days
}
dist-both = { $working } ({ $calendar })
dist-days-off = { $calendar }, on days off (no working day)
