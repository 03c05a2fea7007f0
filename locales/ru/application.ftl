## The application page: where it stands against its deadline, and why (issue 16, B.4)
why-title = Соблюдение срока
why-label-running = В срок
why-label-nearing = Срок подходит
why-label-suspended = Приостановлено
why-label-overdue = Просрочено
why-label-on-time = Исполнено в срок
why-label-late = Исполнено с нарушением срока
why-running = Открыто, в срок: этап 4 «{ $stage }» должен быть пройден до { $deadline }; { $left }.
why-nearing = Открыто, срок подходит: этап 4 «{ $stage }» должен быть пройден до { $deadline }; { $left }.
why-suspended = Приостановлено с { $since }: срок не течёт и продлится, когда работа возобновится. Основание: { $reason }
why-suspended-late = К моменту приостановления срок { $deadline } уже был нарушен — на { $late }.
why-overdue = Просрочено: этап 4 «{ $stage }» должен был быть пройден до { $deadline } и не пройден; просрочка — { $late }.
why-completed-on-time = Исполнено в срок: этап «{ $stage }» пройден { $at }, до срока { $deadline }.
why-completed-late = Исполнено с нарушением срока: этап «{ $stage }» пройден { $at }, на { $late } позже срока { $deadline }.
why-closed = Закрыто { $at }: { $outcome }.
why-reasons = Что сдвинуло срок или объясняет его нарушение
why-suspended-now = Пока заявка приостановлена, срок не течёт; время приостановления добавится к сроку при возобновлении.
why-planned-moved = Плановая дата изменена с { $from } на { $to }: { $reason }
why-outage = Сбой { $systems } с { $from } по { $to } пришёлся на срок заявки. Сбой не сдвигает срок.
why-outage-open = Сбой { $systems } с { $from }, ещё не устранён, приходится на срок заявки. Сбой не сдвигает срок.
why-outage-all = всех информационных систем
why-technical = Поэтому нарушение относится к нарушениям по техническим причинам и учитывается в ежемесячном отчёте отдельно.
why-nothing-moved = Приостановлений, изменений плановой даты и сбоев, влияющих на этот срок, не было.
dist-calendar-days = { $n ->
    [one] { $n } календарный день
    [few] { $n } календарных дня
    [many] { $n } календарных дней
   *[other] { $n } календарного дня
}
dist-hours = { $h } ч { $m } мин
dist-minutes = { $m } мин
left-working-days = { $n ->
    [one] после сегодняшнего дня остался { $n } рабочий день
    [few] после сегодняшнего дня осталось { $n } рабочих дня
    [many] после сегодняшнего дня осталось { $n } рабочих дней
   *[other] после сегодняшнего дня осталось { $n } рабочего дня
}
left-calendar-days = { $n ->
    [one] после сегодняшнего дня остался { $n } календарный день
    [few] после сегодняшнего дня осталось { $n } календарных дня
    [many] после сегодняшнего дня осталось { $n } календарных дней
   *[other] после сегодняшнего дня осталось { $n } календарного дня
}
left-today = срок истекает в конце сегодняшнего дня
left-time = осталось { $time }
band-label = Приостановлено
band-period = { $from } – { $until }
band-open = с { $from }, ещё не возобновлено
band-by-completion = { $from } – { $until } (завершено исполнением)
band-extension = добавило к сроку { $n } ({ $unit })
band-reason = Основание: { $reason }
band-note = При возобновлении: { $note }
band-ground = По стандарту услуги: { $ground }
band-sr = В этот период срок не тёк.
history-registered = Зарегистрировано (этап 1 «{ $stage }»): { $channel }, место приёма { $place }; рассчитана плановая дата: { $planned }
history-registered-paper = документы на бумаге
history-registered-effective = считается принятым { $at }
why-suspensions-moved = Приостановления останавливали течение срока: срок сдвинулся на { $n } ({ $unit }).
dist-working-days = { $n ->
    [one] { $n } рабочий день
    [few] { $n } рабочих дня
    [many] { $n } рабочих дней
   *[other] { $n } рабочего дня
}
dist-both = { $working } ({ $calendar })
dist-days-off = { $calendar }, в выходные (ни одного рабочего дня)
