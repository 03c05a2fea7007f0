# Сообщения об ошибках API qyzmet — русский язык
# Идентификатор: "error-" + код ошибки, в котором "_" заменено на "-".
# $field — путь к полю запроса (например, applicant.iin, events[3].occurred_at).

## Формат запроса

error-malformed-json = Тело запроса не является корректным JSON ({ $detail }). Проверьте синтаксис и отправьте запрос повторно.
error-json-required = Тело запроса должно быть в формате JSON: укажите заголовок Content-Type: application/json.
error-invalid-value = Недопустимое значение в поле «{ $field }»: { $detail }. Проверьте тип и структуру значения.
error-required = Не заполнено обязательное поле «{ $field }».
error-payload-too-large = Тело запроса слишком велико. Разделите данные и отправьте их несколькими запросами.
error-batch-too-large = Слишком много событий в поле «{ $field }»: передано { $count }, а в одном запросе допускается не более { $limit }. Разделите их на несколько запросов.

## Доступ

error-unauthorized = Требуется действующий API-токен: передайте его в заголовке Authorization: Bearer <токен>.
error-admin-required = Это действие доступно только с токеном администратора.
error-outside-scope = Организация в поле «{ $field }» не входит в область действия токена: токен действует только для своей организации и нижестоящих организаций.

## Адреса и состояние сервера

error-not-found = По этому адресу ничего не найдено. Проверьте URL запроса.
error-method-not-allowed = Этот HTTP-метод не поддерживается по данному адресу.
error-internal = Произошла внутренняя ошибка, она зарегистрирована в журнале. Повторите попытку позже, а если ошибка повторяется, обратитесь в службу поддержки.
error-database-unavailable = База данных временно недоступна, данные не сохранены. Повторите запрос позже.

## Записи не найдены или уже заняты

error-application-not-found = Заявление с таким номером не найдено. Проверьте номер заявления.
error-service-not-found = Услуга не найдена. Проверьте код услуги.
error-organization-not-found = Организация не найдена. Проверьте код организации.
error-outage-not-found = Сбой с таким идентификатором не найден. Список сбоев: /api/v1/outages.
error-row-not-found = Запрошенная запись не найдена.
error-report-version-not-found = Сохранённого отчёта этой версии за этот месяц нет. Список версий: /api/v1/reports/violations/versions.
error-organization-code-taken = Организация с таким кодом уже существует (поле «{ $field }»). Укажите другой код.
error-organization-bin-taken = Организация с таким БИН уже зарегистрирована (поле «{ $field }»). Проверьте правильность БИН.
error-service-code-taken = Услуга с таким кодом уже существует (поле «{ $field }»). Укажите другой код.
error-external-id-taken = Значение поля «{ $field }» уже использовано для другого заявления. У каждого заявления должен быть свой внешний идентификатор.
error-event-id-conflict = Идентификатор события в поле «{ $field }» уже использован для события с другим содержанием. Для нового события укажите новый идентификатор, а при повторной отправке передайте то же содержание без изменений.
error-unknown-organization = Организация с кодом, указанным в поле «{ $field }», не найдена. Проверьте код организации.
error-unknown-service = Услуга с кодом, указанным в поле «{ $field }», не найдена. Проверьте код услуги.
error-unknown-term-variant = У услуги нет варианта срока, указанного в поле «{ $field }». Проверьте варианты срока этой услуги в реестре услуг.
error-unknown-information-system = В поле «{ $field }» указана незарегистрированная информационная система. Проверьте коды систем.
error-channel-not-offered = Услуга не оказывается через канал, указанный в поле «{ $field }».
error-executor-not-provider = Организация, указанная в поле «{ $field }», не оказывает эту услугу: выберите ответственную за услугу организацию или подведомственную ей.
error-search-number-invalid = { $field }: это не номер заявки — 13 цифр с контрольной цифрой; проверьте цифры.
error-search-tax-id-invalid = { $field }: это не действительный ИИН или БИН — 12 цифр с контрольной цифрой; проверьте цифры.
error-search-digits = { $field }: введите номер заявки (13 цифр), ИИН или БИН (12 цифр) или фамилию (только буквы).
error-search-too-short = { $field }: введите фамилию целиком (не менее 2 букв).

## Значения полей

error-code-invalid = Недопустимый код в поле «{ $field }»: код должен содержать от 1 до 64 символов (латинские буквы A–Z, a–z, цифры, «.», «_» или «-») и начинаться с буквы или цифры.
error-in-future = Время в поле «{ $field }» находится в будущем (более чем на 5 минут позже времени сервера). Проверьте дату, время и смещение часового пояса.
error-timestamp-invalid = Неверный формат даты и времени в поле «{ $field }»: используйте RFC 3339 со смещением часового пояса, например 2026-03-20T10:00:00+05:00.
error-date-invalid = Неверная дата в поле «{ $field }»: используйте формат ГГГГ-ММ-ДД, например 2026-03-20.
error-empty = Поле «{ $field }» не должно быть пустым.
error-too-long = Значение поля «{ $field }» слишком длинное: допустимое число символов — не более { $max }.
error-enum-invalid = Недопустимое значение поля «{ $field }»: допустимые значения — { $allowed }.
error-unit-invalid = Недопустимая единица срока в поле «{ $field }»: укажите minutes, hours, working_days или calendar_days.
error-amount-invalid = Значение поля «{ $field }» должно быть целым числом от 1 до { $max }.
error-working-hours-invalid = Неверно указано рабочее время в поле «{ $field }»: используйте формат 09:00-18:30, начало должно быть раньше окончания.
error-id-length = ИИН/БИН в поле «{ $field }» должен состоять ровно из 12 цифр.
error-id-not-digits = ИИН/БИН в поле «{ $field }» должен содержать только цифры, без пробелов и других знаков.
error-id-checksum = ИИН/БИН в поле «{ $field }» введён с ошибкой: контрольная (12-я) цифра не совпадает. Сверьте номер с документом.
error-id-unissuable = ИИН/БИН в поле «{ $field }» не может существовать: такие номера не выдаются. Сверьте номер с документом.
error-iin-or-bin-required = Укажите ИИН или БИН услугополучателя (поле «{ $field }»).
error-iin-and-bin = Укажите либо ИИН, либо БИН, но не оба сразу (поле «{ $field }»).
error-limit-invalid = Размер страницы в параметре «{ $field }» должен быть от 1 до { $max }.
error-cursor-invalid = Курсор в параметре «{ $field }» не был выдан этим API. Начните заново с первой страницы, без курсора.
error-month-invalid = «{ $field }» должно быть месяцем в виде ГГГГ-ММ (например, 2026-03), от 2000-01 до 2999-12.
error-feedback-id-conflict = Этот идентификатор отзыва уже использован для другого ответа. Дайте каждому ответу свой идентификатор.
error-feedback-already-given = По этой заявке уже есть ответ на вопрос «{ $field }». Один ответ на заявку и вопрос.
error-rating-out-of-range = «{ $field }» должно быть целым числом от 1 до 5.
error-rating-or-survey = Укажите либо оценку (1–5), либо ответ анкеты (not_satisfied, partly, satisfied) — одно из двух.
error-year-invalid = «{ $field }» должно быть годом от 2000 до 2999.
error-percent-invalid = «{ $field }» должно быть процентом от 0 до 100.
error-variant-invalid = Недопустимый код варианта срока в поле «{ $field }»: используйте только строчные латинские буквы, цифры и знак подчёркивания (_).
error-duplicate = Значение в поле «{ $field }» повторяется: значения не должны повторяться.
error-uuid-invalid = Значение поля «{ $field }» должно быть UUID, например 3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c.
error-ends-before-start = Время окончания в поле «{ $field }» должно быть позже времени начала.
error-systems-required = Укажите информационные системы, затронутые сбоем, в поле «{ $field }» или установите all_systems в значение true.

## Этапы (000 §6): этапы не идут в обратном порядке

error-outcome-required = Для закрытия заявления укажите результат в поле «{ $field }»: issued (выдано) или refused (отказано).
error-outcome-not-allowed = Результат («{ $outcome }») указывается только на этапе «closed», а не на этапе «{ $stage }». Уберите поле «{ $field }» или зарегистрируйте этап «closed».
error-reason-required = Для отказа или приостановления необходимо указать причину: заполните поле «{ $field }».
error-executor-required = Для смены исполнителя укажите нового исполнителя в поле «{ $field }».
error-unknown-ground = В паспорте услуги, по которому зарегистрировано заявление, нет основания, указанного в поле «{ $field }»: выберите основание из перечня оснований для приостановления или отказа этого паспорта.
error-ground-not-applicable = Основание (поле «{ $field }») указывается только при приостановлении или отказе. Уберите его для этого события.
error-before-acceptance = Время события ({ $at }) раньше времени принятия заявления ({ $accepted_at }). Проверьте поле «{ $field }».
error-already-recorded = Этап «{ $stage }» уже зарегистрирован по этому заявлению ({ $recorded_at }). Каждый этап регистрируется только один раз.
error-after-closure = Заявление закрыто { $closed_at }, поэтому событие не может быть датировано позже закрытия (в поле «{ $field }» указано { $at }).
error-out-of-order = Этап «{ $stage }» ({ $at }) противоречит этапу «{ $conflicting_stage }», зарегистрированному { $conflicting_at }: этапы не идут в обратном порядке. Проверьте поле «{ $field }».
error-already-suspended = На момент { $at } заявление уже приостановлено (с { $since }). Сначала зарегистрируйте возобновление.
error-not-suspended = На момент { $at } заявление не приостановлено: возобновлять нечего.
error-after-completion = Приостановление на момент { $at } невозможно: работа по заявлению завершена { $completed_at }.
error-precedes-recorded = Этап «{ $stage }» ({ $at }) оказался бы раньше зарегистрированного события «{ $recorded }» ({ $recorded_at }), которое не может следовать за ним. Проверьте поле «{ $field }».
error-invalid-body = Тело запроса имеет неверную структуру: { $detail }.

# Подписи (задача 3)
error-signature-required = Политика организации требует подписи: отправьте данные как {"{"}"signed": …{"}"} или {"{"}"event": …, "signature": …{"}"}.
error-signature-malformed = Подпись в поле «{ $field }» не читается: { $detail }.
error-signature-invalid = Подпись в поле «{ $field }» не соответствует подписанным данным: данные изменены после подписания или подписаны другим ключом.
error-signature-algorithm-unsupported = Алгоритм подписи { $oid } здесь не проверяется (для ГОСТ нужен верификатор NCANode, он не настроен).
error-certificate-untrusted = Сертификат подписанта не восходит к доверенному корневому сертификату: { $detail }.
error-certificate-expired = Срок действия сертификата «{ $subject }» истёк { $at }, до времени подписания.
error-certificate-not-yet-valid = Сертификат «{ $subject }» действует только с { $at }, после времени подписания.
error-certificate-revoked = Сертификат подписанта (серийный номер { $serial }) отозван { $at }.
error-certificate-revocation-unknown = Статус отзыва сертификата подписанта неизвестен: { $detail }. Повторите после обновления списка отозванных сертификатов.
error-signer-iin-mismatch = ИИН подписанта не совпадает с ИИН сотрудника, указанным в поле «{ $field }».
error-signer-bin-mismatch = Сертификат подписанта принадлежит другой организации: его БИН не совпадает с БИН организации-отправителя.
error-signer-role-missing = В сертификате подписанта нет требуемой роли { $oid }.
error-signature-verifier-unavailable = Подпись не удалось проверить: { $verifier } недоступен ({ $detail }). Ничего не записано; отправьте повторно позже.
error-signature-not-accepted = Подписи для этой организации отключены: отправьте данные без подписи или попросите администратора изменить политику подписи.
error-signature-content-invalid = Подписанное содержимое в поле «{ $field }» не является объектом JSON: { $detail }.
error-number-mismatch = Номер заявки в подписанном событии не совпадает с номером в адресе запроса.

# Файлы отчёта о нарушениях (CSV, Excel)
report-caption = Нарушения сроков, { $month } ({ $month_name }), по состоянию на { $as_of }
report-row = Строка
report-row-own = организация, собственные
report-row-total = организация, всего
report-row-service = услуга
report-row-totals = все, итого
report-code = Код
report-parent = Вышестоящая
report-own = Собственные
report-total = Всего
report-due = Со сроком в месяце
report-on-time = В срок
report-violations = Нарушения
report-technical = В т. ч. технические
report-open-overdue = Открытые просроченные
report-overdue-days = Дней просрочки
report-sheet-organizations = Организации
report-sheet-services = Услуги
report-name = Наименование
report-on-time-percent = % в срок
report-totals = Итого
month-year = { $month } { $year } г.

# Файлы таблицы показателей качества (CSV, Excel; 003, приложение)
quality-caption = Показатели качества и эффективности услуги { $service }, { $year }, по состоянию на { $as_of }
quality-sheet = Показатели
quality-code = Показатель
quality-indicator = Наименование
quality-normative = Нормативное значение, %
quality-target = Целевое значение на следующий год, %
quality-current = Текущее значение, %
quality-numerator = Учтено
quality-denominator = Из
quality-indicator-1-1 = % (доля) случаев предоставления услуги в установленный срок с момента сдачи документов
quality-indicator-2-1 = % (доля) получателей, удовлетворённых качеством процесса предоставления услуги
quality-indicator-3-1 = % (доля) получателей, удовлетворённых качеством и информацией о порядке предоставления услуги
quality-indicator-3-2 = % (доля) услуг, информация о которых доступна в электронном формате
quality-indicator-4-1 = % (доля) получателей, удовлетворённых порядком обжалования
quality-indicator-5-1 = % (доля) получателей, удовлетворённых вежливостью персонала

# Input hygiene (issue 15): text and moments refused at the edge. The offending character is
# named by its position and code point, never shown (the value may be personal data).
error-text-control-character = Поле «{ $field }»: символ { $position } ({ $code_point }) — управляющий символ или перевод строки, которые это поле не принимает. Удалите его и отправьте запрос повторно.
error-text-bidi-control = Поле «{ $field }»: символ { $position } ({ $code_point }) — управляющий символ направления текста (встраивание, переопределение или изоляция), из-за которого текст может отображаться не так, как записан. Удалите его и отправьте запрос повторно.
error-text-noncharacter = Поле «{ $field }»: символ { $position } ({ $code_point }) — несимвол Юникода, который не может входить в текст. Удалите его и отправьте запрос повторно.
error-text-invisible = В поле «{ $field }» нет ни одного видимого символа: оно состоит только из пробелов, символов нулевой ширины или других невидимых символов.
error-offset-invalid = В поле «{ $field }» указано смещение от UTC { $offset }, которое не используется ни в одном часовом поясе: допустимы смещения от -12:00 до +14:00 в целых минутах.
error-date-out-of-range = Значение поля «{ $field }» вне поддерживаемых дат: с { $min } по { $max }.
error-before-calendar = Значение поля «{ $field }» раньше { $first }, первого дня производственного календаря: до этой даты срок рассчитать нельзя.
error-value-not-storable = Значение запроса не может быть сохранено: база данных его отклонила. Проверьте текст на управляющие символы.

## Path parameters (issue 15: the OpenAPI contract)
error-path-invalid = Параметр «{ $field }» в адресе недопустим: его нельзя прочитать в ожидаемом виде. Проверьте URL запроса.

## Поля словами (issue 16): путь поля запроса, как его называет сообщение; член `field`
## ответа API хранит сам путь.
request-field-item = { $label } (запись № { $n })
request-field-applicant-iin = ИИН заявителя
request-field-applicant-bin = БИН заявителя
request-field-applicant-last-name = фамилия заявителя
request-field-applicant-first-name = имя заявителя
request-field-applicant-middle-name = отчество заявителя
request-field-applicant = заявитель
request-field-service-code = услуга
request-field-service = услуга
request-field-term-variant = вариант срока
request-field-channel = канал подачи
request-field-channels = каналы подачи
request-field-acceptance-place = место приёма
request-field-executor = исполнитель
request-field-executor-person = сотрудник-исполнитель
request-field-accepted-at = время приёма
request-field-external-id = внешний идентификатор
request-field-occurred-at = время события
request-field-events = события
request-field-event = событие
request-field-id = идентификатор
request-field-type = тип события
request-field-stage = этап
request-field-outcome = результат
request-field-reason = причина
request-field-ground = основание
request-field-number = номер заявки
request-field-signed = подписанные данные
request-field-signature = подпись
request-field-date = дата
request-field-kind = вид
request-field-office = офис
request-field-barcode = штрихкод пакета
request-field-name = наименование
request-field-name-kk = наименование на казахском языке
request-field-name-ru = наименование на русском языке
request-field-name-en = наименование на английском языке
request-field-source = правовое основание
request-field-source-kk = правовое основание на казахском языке
request-field-source-ru = правовое основание на русском языке
request-field-code = код
request-field-parent = вышестоящая организация
request-field-bin = БИН
request-field-working-hours = рабочее время
request-field-organization = организация
request-field-depends-on = информационные системы, от которых зависит услуга
request-field-terms = варианты срока
request-field-terms-variant = код варианта срока
request-field-terms-amount = продолжительность срока
request-field-terms-unit = единица срока
request-field-acceptance-day-counted = учитывается ли день приёма
request-field-signature-policy = правило подписи
request-field-systems = информационные системы
request-field-started-at = начало
request-field-ended-at = окончание
request-field-description = описание
request-field-operator = оператор
request-field-month = месяц
request-field-year = год
request-field-format = формат файла
request-field-figure = показатель
request-field-version = версия
request-field-limit = размер страницы
request-field-q = поиск
request-field-cursor = курсор страницы
request-field-sort = порядок сортировки
request-field-accepted-from = начало периода приёма
request-field-accepted-to = конец периода приёма
request-field-planned-from = начало периода плановых дат
request-field-planned-to = конец периода плановых дат
request-field-rating = оценка
request-field-survey = ответ на опрос
request-field-question = вопрос
request-field-label = метка
request-field-scope = область

# User administration (issue 16, B.6)
error-user-not-found = Пользователь не найден.
error-username-invalid = { $field }: от 3 до 64 символов — латинские буквы, цифры, «.», «_» или «-».
error-cannot-block-self = Нельзя заблокировать собственную учётную запись: это должен сделать другой администратор.
error-cannot-demote-self = Нельзя снять с себя роль администратора: это должен сделать другой администратор.
error-cannot-reset-self = Свой пароль меняйте на странице «Сменить пароль»: сброс — для других пользователей.
error-organization-required = Операторы и руководители работают в организации: укажите организацию.
error-organization-not-allowed = Администраторы и аналитики видят все организации: оставьте организацию пустой.
error-password-too-short = Пароль должен содержать не менее 12 символов.
error-password-weak = Пароль не должен содержать имя пользователя или состоять из одного повторяющегося символа.
request-field-full-name = ФИО
request-field-position = должность
request-field-role = роль
request-field-password = пароль
request-field-username = имя пользователя
request-field-revision = ревизия
request-field-effective-from = дата вступления сроков в силу
request-field-legal-basis = правовое основание
error-stale-revision = Запись изменена после ревизии, указанной в поле «{ $field }»: ничего не сохранено. Прочитайте её снова и отправьте изменение с текущей ревизией.
error-service-has-applications = По услуге уже зарегистрированы заявки, поэтому поле «{ $field }» изменить нельзя: каждая заявка принята и исполняется в организациях услугодателя.
error-effective-from-past = Поле «{ $field }» не может быть раньше сегодняшнего дня ({ $today }): уже зарегистрированные заявки сохраняют сроки, под которыми они зарегистрированы.
error-effective-before-latest = Поле «{ $field }» не может быть раньше даты последней версии сроков: версии вступают в силу в порядке их записи.
error-scan-already = Этот пакет уже отсканирован как «{ $scan }»: сканирование регистрируется один раз.
error-scan-out-of-order = Пакет сейчас нельзя отсканировать как «{ $scan }»; допустимо далее: { $expected }.
error-not-a-package = Это не этикетка пакета qyzmet (QZ и 13 цифр с верной контрольной цифрой).
error-package-not-found = Пакет документов не найден в пределах ваших полномочий: заявление не принято на бумаге в Госкорпорации либо относится к другой организации.
error-consent-missing = Заявление нельзя направить без согласия услугополучателя на { $lacking ->
    [both] использование персональных данных и сведений, составляющих охраняемую законом тайну
    [personal_data] использование персональных данных
   *[protected_data] использование сведений, составляющих охраняемую законом тайну
}: сначала зарегистрируйте его.
error-consent-repeated = { $field }: это согласие уже указано выше.
error-unknown-document = { $field }: в паспорте услуги нет такого документа.
error-document-from-system = { $field }: этот документ получается из информационной системы, его не требуют от услугополучателя.
error-document-repeated = { $field }: этот документ уже указан выше.
error-document-count = { $field }: не меньше 1.
error-not-conditional = { $field }: документ требуется от всех услугополучателей, его нельзя отметить как неприменимый.
error-no-passport = У услуги нет действующего паспорта: документы проверить нельзя ({ $field }).
error-counter-not-of-office = { $field }: в этом офисе нет такого окна.
error-ticket-not-of-office = { $field }: в этом офисе нет такого талона.
error-power-of-attorney-expired = Срок доверенности истёк { $valid_until } ({ $field }).
error-request-key-used = { $field } уже использован для приёма, в котором отказано: нужен новый ключ.
error-receipt-not-found = Расписка не найдена в пределах ваших полномочий.
error-not-at-issue-desk = Результат нельзя выдать: пакет не в зоне выдачи ({ $whereabouts }).
error-representative-required = Результат юридического лица выдаётся только представителю по доверенности ({ $field }).
error-not-the-applicant = ИИН в документе не совпадает с ИИН услугополучателя в заявлении ({ $field }): результат не выдаётся.
error-already-issued = Результат по этому заявлению уже выдан ({ $field }).
error-rating-link-invalid = Ссылка для оценки недействительна: откройте её заново по QR-коду расписки.
error-already-rated = Этот визит уже оценён: оценку можно дать один раз.
error-nothing-to-return = На { $on } нет результатов, подлежащих возврату.
error-return-register-not-found = Реестр возврата не найден в пределах ваших полномочий.
error-scan-key-used = { $field } использован для другого сканирования этого пакета: нужен новый ключ.
error-acceptance-not-found = Приём не найден в пределах ваших полномочий.
error-copy-not-found = Заверенная копия не найдена в пределах ваших полномочий.
error-not-state-corp = Заявление принято не в Государственной корпорации ({ $field }): копию заверяют только там.
error-media-type-unsupported = { $field }: принимается только файл PDF, PNG или JPEG.
error-base64-invalid = { $field }: ожидается файл в base64.
error-file-too-large = { $field }: файл не должен превышать { $max_mb } МБ.
