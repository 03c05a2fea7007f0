## Фронт-офис (001): отделы, окна, электронная очередь.

error-office-code-taken = Код отдела в поле «{ $field }» уже занят.
error-office-not-state-corp = Организация в поле «{ $field }» не является филиалом Государственной корпорации: отделы создаются только у филиалов.
error-office-not-found = Отдел не найден.
error-counter-number-taken = Окно с этим номером (поле «{ $field }») в отделе уже есть.
error-employee-has-counter = Сотрудник в поле «{ $field }» уже работает в другом окне.
error-unknown-employee = В поле «{ $field }» указан неизвестный сотрудник: нужен действующий оператор или руководитель филиала.
error-employee-outside-office = Сотрудник в поле «{ $field }» не относится к филиалу этого отдела.
error-counter-not-found = Окно не найдено.
error-not-your-counter = Это окно закреплено за другим сотрудником.
error-counter-busy = В окне уже вызван или обслуживается посетитель: сначала завершите обслуживание.
error-counter-not-open = Окно не открыто: откройте его, чтобы вызывать посетителей.
error-counter-has-no-ticket = В окне нет вызванного или обслуживаемого посетителя.
error-ticket-state-wrong = Это действие недоступно для талона в его текущем состоянии.
error-not-called-enough = Отметить неявку можно только после нескольких вызовов: вызовите посетителя ещё раз.
error-ticket-numbers-exhausted = Номера талонов на сегодня исчерпаны.
error-queue-live = Отдел работает в режиме живой очереди: талоны выдаются на месте.
error-office-closed = Отдел сейчас не принимает посетителей: талоны выдаются в часы работы.
error-ticket-not-found = Талон не найден.
error-ticket-not-waiting = Талона с таким номером в очереди сегодня нет.
error-ticket-number-invalid = В поле «{ $field }» нужен номер талона: буква и цифры, например A017.
error-too-many-tickets = Слишком много талонов с вашего адреса. Повторите через { $seconds } с.
error-unknown-counter = В поле «{ $field }» указано окно, которого в этом отделе нет.
error-queue-mode-unchanged = Отдел уже работает в этом режиме очереди.
error-unknown-application = Заявка в поле «{ $field }» не найдена.
error-application-number-invalid = В поле «{ $field }» нужен номер заявки.
error-overlap = Перерывы в поле «{ $field }» пересекаются.

request-field-address = адрес
request-field-schedule = график работы
request-field-schedule-source = правовое основание графика
request-field-weights = веса приоритетных групп
request-field-deadline-window-hours = окно «скоро просрочка», часов
request-field-calls-before-no-show = вызовов до неявки
request-field-average-service-minutes = среднее время обслуживания, минут
request-field-window = номер окна
request-field-purposes = назначения окна
request-field-services = услуги окна
request-field-employee = сотрудник
request-field-purpose = назначение визита
request-field-priority = приоритетная группа
request-field-ticket = номер талона
request-field-application = заявка
request-field-counter-id = окно

## Запись на приём (001 §12), повторы запросов, табло зала.
error-idempotency-key-invalid = Заголовок «{ $field }» должен содержать от 1 до { $max } видимых символов ASCII.
error-slot-full = Все места на это время в поле «{ $field }» уже заняты: выберите другое время.
error-slot-unknown = Отдел не принимает по записи на время в поле «{ $field }»: выберите время из списка свободных.
error-slot-past = Время в поле «{ $field }» уже прошло: выберите другое.
error-time-invalid = В поле «{ $field }» нужно время в виде ЧЧ:ММ, например 10:15.
error-outside-booking-horizon = Дата в поле «{ $field }» должна быть не раньше сегодняшней и не позже чем через { $days } дней.
error-booking-code-taken = Не удалось выдать код регистрации: повторите запись.
error-booking-not-found = Запись не найдена.
error-booking-not-standing = Запись уже отменена, использована или её время прошло.
error-booking-same-slot = Запись уже на это время (поле «{ $field }»).
error-booking-missed = Время записи прошло: возьмите обычный талон в киоске.
error-check-in-too-early = Зарегистрироваться по записи можно не раньше чем за час до приёма, с { $at }.
error-booking-code-invalid = В поле «{ $field }» нужен код регистрации из шести цифр.
error-too-many-requests = Слишком много запросов с вашего адреса. Повторите через { $seconds } с.

request-field-start = время приёма
request-field-contact = контакты
request-field-contact-email = электронная почта
request-field-contact-phone = телефон
request-field-contact-language = язык сообщений
request-field-Idempotency-Key = Idempotency-Key
