# Рабочее место (задача 4).

## Header and navigation
nav-skip = Перейти к содержимому
nav-label = Главное меню
nav-inbox = Заявки
nav-register = Зарегистрировать заявку
nav-dashboard = Мониторинг
nav-admin = Администрирование
nav-password = Сменить пароль
nav-sign-out = Выйти
nav-language = Язык

## Roles
role-administrator = Администратор
role-analyst = Аналитик
role-operator = Оператор
role-supervisor = Руководитель

## Error pages
page-home = На начальную страницу
page-forbidden-title = Доступ запрещён
page-forbidden-text = Ваша роль не позволяет открыть эту страницу или выполнить это действие. Если это нужно для работы, обратитесь к администратору.
page-not-found-title = Не найдено
page-not-found-text = Такой страницы или заявки нет, либо она относится к другой организации.
page-csrf-title = Форма устарела
page-csrf-text = Форма не принята: она устарела или отправлена не с этого сайта. Откройте страницу заново и повторите действие.
page-internal-title = Что-то пошло не так
page-internal-text = Сервер не смог выполнить запрос. Ничего не изменено. Повторите через минуту.

## Signing in
sign-in-title = Вход
sign-in-username = Имя пользователя
sign-in-password = Пароль
sign-in-submit = Войти
sign-in-invalid = Неверное имя пользователя или пароль, либо учётная запись временно заблокирована на 15 минут после нескольких неудачных попыток или заблокирована администратором. Повторите позже или обратитесь к администратору.
sign-in-throttled = Слишком много попыток входа. Подождите несколько секунд и повторите.

## Password
password-title = Смена пароля
password-current = Текущий пароль
password-new = Новый пароль
password-repeat = Повторите новый пароль
password-rules = Не менее 12 символов; не должен содержать имя пользователя и состоять из одного повторяющегося символа.
password-submit = Сменить пароль
password-changed = Пароль изменён. Остальные ваши сеансы закрыты.
password-current-wrong = Текущий пароль указан неверно.
password-mismatch = Новый пароль и его повтор не совпадают.
password-too-short = Пароль должен содержать не менее 12 символов.
password-weak = Пароль не должен содержать имя пользователя или состоять из одного повторяющегося символа.
password-forced = Ваш пароль задан администратором. Чтобы продолжить работу, сначала задайте свой пароль.
password-continue = Перейти к работе
password-same = Новый пароль должен отличаться от временного, выданного администратором.

## Dates and durations
month-short-1 = янв
month-short-2 = фев
month-short-3 = мар
month-short-4 = апр
month-short-5 = мая
month-short-6 = июн
month-short-7 = июл
month-short-8 = авг
month-short-9 = сен
month-short-10 = окт
month-short-11 = ноя
month-short-12 = дек
time-left-days = { $n ->
    [one] остался { $n } день
    [few] осталось { $n } дня
    [many] осталось { $n } дней
   *[other] осталось { $n } дня
}
time-left-hours = { $n ->
    [one] остался { $n } час
    [few] осталось { $n } часа
    [many] осталось { $n } часов
   *[other] осталось { $n } часа
}
time-overdue-days = { $n ->
    [one] просрочено на { $n } день
    [few] просрочено на { $n } дня
    [many] просрочено на { $n } дней
   *[other] просрочено на { $n } дня
}
time-overdue-hours = { $n ->
    [one] просрочено на { $n } час
    [few] просрочено на { $n } часа
    [many] просрочено на { $n } часов
   *[other] просрочено на { $n } часа
}
yes = да
no = нет

## Domain terms
stage-accepted = Принята
stage-sent-for-execution = Направлена на исполнение
stage-taken-into-work = Принята в работу
stage-executed = Исполнена
stage-ready-for-issue = Готова к выдаче
stage-closed = Закрыта
outcome-issued = Выдан результат
outcome-refused = Отказ
channel-provider = У услугодателя
channel-state-corp = ЦОН Госкорпорации
channel-portal = Портал электронного правительства
unit-minutes = минут
unit-hours = часов
unit-working-days = рабочих дней
unit-calendar-days = календарных дней
org-kind-central-state-body = Центральный государственный орган
org-kind-department = Ведомство
org-kind-territorial-unit = Территориальное подразделение
org-kind-subordinate-organization = Подведомственная организация
org-kind-local-executive-body = Местный исполнительный орган
org-kind-state-corp-branch = Филиал Госкорпорации
org-kind-other-provider = Иной услугодатель
day-kind-day-off = Выходной
day-kind-working-day = Рабочий день
event-suspended = Приостановлена
event-resumed = Возобновлена
event-executor-changed = Сменён исполнитель
event-scanned = Пакет отсканирован
scan-to-provider = передан услугодателю
scan-from-provider = получен от услугодателя
scan-to-issue-desk = передан в зону выдачи
scan-issued = выдан услугополучателю
scan-returned = возвращён услугодателю как невостребованный
rule-1 = Правило 1 (действующий срок):
rule-2 = Правило 2 (местные даты):
rule-3 = Правило 3 (рабочее время):
rule-4 = Правило 4 (начало отсчёта):
rule-5 = Правило 5 (рабочие дни):
rule-6 = Правило 6 (календарные дни):
rule-7 = Правило 7 (часы и минуты):
rule-8 = Правило 8 (до конца дня):
rule-9 = Правило 9 (приостановления):
rule-10 = Правило 10 (расчёт):

rule-1-text = срок оказания услуги: { $term }.
rule-2-text = поступила { $received } по времени Астаны (Asia/Almaty).
rule-3-text = принята { $accepted }: поступившая после окончания рабочего времени или в выходной день принимается следующим рабочим днём.
rule-4-text = отсчёт начинается { $date }.
rule-5-text = отсчитано { $term } без выходных: плановая дата { $planned }.
rule-6-text = отсчитано { $term }; плановая дата, выпавшая на выходной, переносится на следующий рабочий день: { $planned }.
rule-7-text = { $accepted } плюс { $term }: срок { $deadline }.
rule-8-text = срок — до конца плановой даты: { $deadline }.
rule-9-text = приостановления продлили срок на { $n } ({ $unit }).
rule-10-text = настоящий расчёт.

# How a planned date was derived, sentence by sentence (the domain's notes, crates/domain/src/note.rs)
note-term = срок: { $amount } { $unit }
note-received = поступила { $received } по времени Астаны
note-within = поступила { $date } в { $time }, в рабочее время рабочего дня ({ $hours }): принята тогда же
note-before-start = поступила { $date } в { $time }, до начала рабочего дня в { $start }: принята { $accepted } в { $accepted_time }
note-after-end = поступила { $date } в { $time }, в конце рабочего времени ({ $end }) или позже: принята { $accepted } в { $accepted_time }
note-day-off = поступила { $date } в { $time }, в выходной день: принята { $accepted } в { $accepted_time }
note-paper = принята Государственной корпорацией с документами на бумаге, поэтому день приёма не учитывается: отсчёт начинается { $start }
note-counted = стандарт услуги учитывает день приёма: отсчёт начинается { $start }
note-not-counted = день приёма не учитывается: отсчёт начинается { $start }
note-suspended-days = приостановления ({ $n }) продлили срок на { $days } ({ $unit })
note-no-day = при сроке 0 не отсчитывается ни одного дня: плановая дата — день приёма
note-working-days = отсчитано рабочих дней: { $n } начиная с { $start }, пропущено выходных: { $skipped }; плановая дата { $planned }
note-calendar-day-working = календарный день { $n } начиная с { $start } — { $planned }, рабочий день: это и есть плановая дата
note-calendar-day-off = календарный день { $n } начиная с { $start } — { $last }, выходной: плановая дата — следующий рабочий день, { $planned }
note-due = срок — до конца плановой даты: { $planned } 23:59:59 по времени Астаны
note-elapsed = фактический приём { $accepted } плюс { $amount } { $unit }: срок { $deadline }; плановая дата { $planned }
note-elapsed-suspended = фактический приём { $accepted } плюс { $amount } { $unit } и { $seconds } с приостановления: срок { $deadline }; плановая дата { $planned }
note-suspended-time = приостановления ({ $n }) продлили срок на время приостановления: { $seconds } с (около { $minutes } мин)

# Why a planned date moved: a change of the production calendar
deadline-change-day-off = в производственном календаре { $day } стал выходным днём{ $name }
deadline-change-working-day = в производственном календаре { $day } стал рабочим днём{ $name }
deadline-change-removed = запись производственного календаря о дне { $day } удалена: действует обычная рабочая неделя
deadline-change-shipped-day-off = производственный календарь, поставляемый с системой, исправлен: { $day } — выходной день{ $name }
deadline-change-shipped-working-day = производственный календарь, поставляемый с системой, исправлен: { $day } — рабочий день{ $name }
deadline-change-shipped-removed = производственный календарь, поставляемый с системой, исправлен: для дня { $day } действует обычная рабочая неделя

## Inbox and lists
inbox-title = Заявки
inbox-caption = Заявки вашей организации
inbox-empty = Заявок по этим условиям нет.
list-title = Заявки
col-number = Номер
col-service = Услуга
col-applicant = Заявитель
col-stage = Этап
col-accepted = Принята
col-planned = Плановая дата
col-time-left = Осталось
badge-overdue = Просрочена
badge-nearing = Срок истекает
badge-suspended = Приостановлена
filter-stage = Этап
filter-any = Любой
filter-service = Код услуги
filter-planned-from = Плановая дата с
filter-planned-to = Плановая дата по
filter-flags = Признаки
filter-pending = Не исполнена
filter-overdue = Просрочена
filter-nearing = Срок истекает
filter-apply = Применить
filter-reset = Сбросить
filter-executor = Исполнитель
filter-organization = Организация
filter-accepted-from = Принята с
filter-accepted-to = Принята до
filter-sort = Порядок
sort-newest = Сначала новые
sort-due = Сначала с ближайшим сроком
filter-completed-from = Исполнена с
filter-completed-to = Исполнена до
filter-deadline-from = Срок с
filter-deadline-to = Срок до
pager-label = Страницы
pager-first = Первая страница
pager-next = Следующая страница
pager-prev = Предыдущая страница
pager-page = Страница { $n }
list-total = { $n ->
    [one] { $shown } заявка
    [few] { $shown } заявки
   *[other] { $shown } заявок
}
list-total-more = Более { $shown } заявок: сузьте список поиском или фильтрами.
search-label = Поиск
search-hint = Номер заявки, ИИН/БИН или фамилия
filter-organization-any = Все организации в моём доступе
filter-accepted-on-from = Принята с (дата)
filter-accepted-on-to = Принята по (дата включительно)

## Registration
register-title = Регистрация заявки
register-service-hint = Введите код или слово из названия и выберите из списка.
register-submit = Зарегистрировать
label-term-variant = Срок
label-executor-org = Организация-исполнитель
register-executor-hint = Услугу оказывают только ответственная за неё организация и подведомственные ей.
register-choose-service = Сначала выберите услугу: здесь появятся её срок, организации, которые её оказывают, и каналы подачи.
register-service-required = Выберите услугу из списка: введите её код или слово из названия.
form-problems = Есть ошибки
label-service-code = Услуга
label-tax-id = ИИН или БИН заявителя
label-last-name = Фамилия
label-first-name = Имя
label-middle-name = Отчество (при наличии)
label-channel = Канал подачи
label-paper = Документы на бумаге
label-accepted-at = Время приёма
tax-id-valid-iin = Верный ИИН (физическое лицо).
tax-id-valid-bin = Верный БИН (юридическое лицо).

## Application page
application-title = Заявка
application-registered = Заявка зарегистрирована. Её номер и плановая дата указаны ниже.
application-deadline = Срок
application-timeline = Этапы
timeline-planned = план
timeline-actual = факт
application-actions = Действия
action-when-hint = Произошло раньше? Укажите время
label-occurred-at = Когда произошло (пусто: сейчас)
action-close = Закрыть заявку
label-outcome = Результат
label-refusal-reason = Причина (обязательна при отказе)
action-close-submit = Закрыть
confirm-close-issued = Закрыть заявку с результатом «Выдан результат»? Отменить это нельзя.
confirm-close-refused = Закрыть заявку с отказом? Отменить это нельзя.
action-suspend = Приостановить
label-suspension-reason = Основание приостановления
label-suspension-ground = Основание приостановления по стандарту услуги
label-refusal-ground = Основание отказа по стандарту услуги (обязательно при отказе)
ground-choose = — выберите основание —
ground-refusal-hint = Основание записывается только при отказе, при выдаче — нет.
action-suspend-submit = Приостановить
action-resume = Возобновить
label-note = Примечание
action-resume-submit = Возобновить
action-reassign = Сменить исполнителя
label-executor = Новая организация-исполнитель (код)
label-executor-person = Ответственный исполнитель
action-reassign-submit = Сменить
application-data = Сведения о заявке
field-service = Услуга
field-iin = ИИН
field-bin = БИН
field-applicant = Заявитель
field-channel = Канал подачи
field-paper = На бумаге
field-acceptance-place = Место приёма
field-executor = Исполнитель
field-accepted-at = Поступила
field-effective-acceptance = Принята (с учётом рабочего времени)
field-external-id = Идентификатор в системе услугодателя
field-planned-date = Плановая дата
field-deadline = Срок исполнения
application-derivation = Как рассчитана плановая дата
derivation-term = Срок
derivation-counting-starts = Начало отсчёта
derivation-calendar = Версия производственного календаря
derivation-changes = Изменения плановой даты
application-history = История
history-when = Когда
history-what = Событие
history-reason = Причина или примечание
history-recorded = Записано
history-actor = Кем
actor-token = токен API № { $n }
application-back = К списку

## Dashboard
dashboard-title = Мониторинг
dashboard-by-stage = Заявки по этапам
dashboard-by-organization = Неисполненные заявки по исполнителям
dashboard-by-service = Неисполненные заявки по услугам
dashboard-trail = Иерархия организаций
dashboard-all = Все организации
dashboard-drill = Показать подразделения
dashboard-scope-national = Показатели по всей стране.
dashboard-scope-organization = Все показатели — по заявкам, которые исполняют эта организация и её подразделения:
dashboard-scope-all = вся страна
dashboard-headline = Главные показатели
dashboard-open-overdue = Открыты и просрочены
dashboard-nearing = Открыты, срок на исходе
dashboard-on-time-month = Исполнено в срок в этом месяце: { $on_time } из { $completed }
chart-title = Заявки по дням за последние 90 дней
chart-accepted = принято
chart-completed = исполнено
chart-overdue = просрочено
col-code = Код
col-name = Наименование
col-open = В работе
col-overdue = Просрочено
col-nearing = Срок истекает

## Administration
admin-title = Администрирование
admin-organizations = Организации
admin-services = Услуги
admin-users = Пользователи
admin-tokens = Токены API
admin-calendar = Производственный календарь
admin-outages = Сбои
col-kind = Вид
col-signature-policy = Политика подписи
col-provider = Услугодатель
col-terms = Сроки
col-channels = Каналы
col-depends-on = Зависит от
col-username = Имя пользователя
col-role = Роль
col-organization = Организация
col-language = Язык
col-created = Создан
col-label = Метка
col-scope = Область
col-revoked = Отозван
col-date = Дата
col-source = Правовое основание
col-started = Начало
col-ended = Окончание
col-systems = Системы
col-operator = Оператор
col-description = Описание
user-new = Новый пользователь
user-password = Начальный пароль
user-org-hint = Операторам и руководителям нужен код их организации; администраторам и аналитикам — нет.
user-create = Создать пользователя
user-created = Пользователь { $name } создан.
user-error-role = Выберите роль.
user-error-organization = Организации с таким кодом нет.
user-error-username = Имя пользователя: от 3 до 64 символов — латинские буквы, цифры, '.', '_' или '-'.
user-error-org-required = Операторы и руководители работают в организации: укажите её код.
user-error-org-not-allowed = Администраторы и аналитики видят все организации: оставьте организацию пустой.
user-error-taken = Это имя пользователя занято.
token-new = Новый токен
token-admin = Администратор (все организации)
token-create = Создать токен
token-revoke = Отозвать
token-shown-once = Скопируйте токен сейчас: он показывается только один раз и не может быть восстановлен.
token-error-organization = Организации с таким кодом нет.
token-error-scope = Укажите организацию или отметьте токен как административный (не то и другое вместе).
outages-none = Сбоев не зарегистрировано.
outage-all-systems = Все системы

## API errors of the workstation's roles
error-read-only = Ваша роль позволяет только просматривать данные, но не изменять их.
error-supervisor-required = Сменить исполнителя может только руководитель.

## Страница отчёта о нарушениях (000 §12) и таблица показателей качества (003, приложение)
nav-reports = Отчёт о нарушениях
nav-quality = Качество услуг
page-bad-request-title = Запрос не может быть выполнен
page-bad-request-text = В адресе недопустимое значение. Проверьте его и повторите.
dashboard-report = Ежемесячный отчёт о нарушениях сроков по организациям и услугам
report-title = Отчёт о нарушениях сроков
report-month = Месяц
report-show = Показать
report-intro = Заявки, крайний срок которых пришёлся на месяц, по организациям-исполнителям и по услугам, как того требуют Правила внесения данных об этапах в информационную систему мониторинга (пункт 12).
report-help-link = Как считаются показатели
report-version = Версия
report-version-n = версия { $n }
report-version-latest = последняя сохранённая версия (если её нет — расчёт сейчас)
report-as-of = Показатели на
report-generated-at = Создан
report-delivered-at = Представлен
report-delivered-late = Представлен после 15-го числа
report-delivered-on-time = Представлен до 15-го числа
report-due-by = Срок представления
report-newer = Есть более поздняя версия этого месяца:
report-live-title = Это не сохранённый отчёт.
report-live-text = За этот месяц нет сохранённой версии: показатели ниже рассчитаны сейчас, на { $value }, и меняются по мере поступления данных.
report-versions = Версии
report-downloads = Скачать
report-download-xlsx = Excel (.xlsx)
report-download-csv = CSV
report-download-json = JSON
report-cause-schedule = создан 1-го числа
report-cause-demand = создан по запросу
report-cause-revision = пересчитан после поздних данных
report-by-organization = Нарушения по организациям
report-chart-organizations = Нарушения по организациям верхнего уровня (с подразделениями)
report-chart-units = Нарушения в подразделениях: { $name }
report-chart-own = { $name }: собственные заявки
report-chart-services = Нарушения по услугам
report-chart-services-hint = { $n ->
    [0] В этом месяце ни по одной услуге нет нарушений.
   *[other] На диаграмме услуги с наибольшим числом нарушений ({ $n }, не более 15); в таблице ниже — все услуги.
}
report-chart-trend = Нарушения за 12 месяцев
report-trend-hint = По последней сохранённой версии каждого месяца; месяц без сохранённого отчёта отмечен как отсутствующий, а не как ноль.
report-chart-empty = Нарушений нет.
report-chart-bar = { $name }: нарушений { $violations }, в т. ч. технических { $technical }
report-chart-value = { $violations } (технических { $technical })
report-chart-missing = { $name }: нет сохранённого отчёта
report-no-report = нет сохранённого отчёта
report-organizations = Организации
report-table-hint = В порядке иерархии: собственные показатели организации (заявки, которые она исполняет) и итог со всеми нижестоящими. Каждый показатель открывает список заявок, из которых он сложен.
report-drill = Показать подразделения на диаграмме
report-services = Услуги
report-quality = Показатели качества
report-quality-link = Таблица приложения
report-no-services = Ни по одной услуге нет заявок со сроком в этом месяце.
report-help-title = Как считаются показатели
report-help-month-term = Месяц нарушения
report-help-month = Заявка относится к отчёту того месяца, на который приходится её крайний срок (местная дата, Asia/Almaty). Продление или приостановление, сдвинувшее срок, переносит заявку в месяц нового срока.
report-help-on-time = Исполнена (впервые достигнут этап 4 «исполнено» или более поздний) не позднее крайнего срока.
report-help-violation = Исполнена после крайнего срока или не исполнена на момент расчёта отчёта, хотя срок истёк. Заявка, срок которой ещё не истёк или которая в этот момент приостановлена, учитывается только в графе «Со сроком в месяце».
report-help-technical = Нарушение по техническим причинам: сбой информационной системы, от которой зависит услуга (или всех систем), пришёлся на период заявки — от фактического принятия до крайнего срока. Сбои регистрируют администраторы с началом, окончанием и затронутыми системами.
report-help-open-overdue = Из нарушений — не исполненные на момент расчёта отчёта.
report-help-overdue-days = Для каждого нарушения — местная дата исполнения (или момента расчёта, пока заявка открыта) минус плановая дата, но не меньше 0; показатель — их сумма.
report-help-own-total = Собственные показатели организации учитывают заявки, которые она исполняет; «всего» добавляет все нижестоящие организации. Показатели услуги учитывают её заявки.
report-help-as-of = Показатели рассчитаны на { $value } (время Asia/Almaty): заявка, открытая в этот момент с истёкшим сроком, — нарушение, дни просрочки считаются по эту дату.
report-help-versions = Сохранённая версия не меняется. Данные, поступившие с опозданием за закрытый месяц, создают новую версию, рассчитанную на момент первой версии; прежние версии сохраняются, их можно открыть выше. Отчёт представляется до 15-го числа следующего месяца; он представлен, когда создана его первая версия.
report-version-invalid = Версия — целое число от 1. Версии месяца перечислены на странице отчёта.
report-version-missing = У отчёта за { $month } нет сохранённой версии { $n }.
report-format-invalid = Формат файла: xlsx, csv или json.
report-figure-invalid = Выберите один из показателей отчёта: со сроком в месяце, в срок, нарушения, в т. ч. технические, открытые просроченные.
report-list-title = Заявки, из которых сложен показатель отчёта
report-back = К отчёту
report-list-count = Учтено заявок
report-list-masked = Для вашей роли данные заявителей скрыты: у ИИН или БИН видны первые шесть цифр, у имён — инициалы.
report-figure = Показатель
report-all-organizations = Все организации
report-scope-own = собственные заявки
report-scope-total = с подразделениями
report-completed = Исполнена
report-verdict = Итог
report-verdict-on-time = в срок
report-verdict-running = ещё исполняется
report-verdict-violation = нарушение
report-badge-technical = техническое
report-badge-open = открыта
quality-title = Показатели качества
quality-year = Год
quality-intro = Приложение к стандарту услуги (Типовой стандарт государственной услуги, пункты 19–20): нормативное значение и цель на следующий год каждого показателя, заданные администраторами, и текущее значение за год, рассчитанное сейчас.
quality-counted = Из чего рассчитано
quality-counted-value = { $numerator } из { $denominator }
quality-counted-hint = 1.1 учитывает заявки, срок которых пришёлся на год и которые решены (исполнены или открыты с истёкшим сроком); 2.1, 3.1, 4.1 и 5.1 — ответы заявителей (оценка 4 или 5 либо «удовлетворён» — удовлетворён); 3.2 — можно ли подать заявку на услугу через портал.
quality-services-hint = Показатели качества каждой услуги (приложение к Типовому стандарту государственной услуги) за этот год; другой год можно выбрать на её странице.
quality-download-xlsx = Excel (.xlsx)
quality-download-csv = CSV
quality-format-invalid = Формат файла: xlsx или csv.

# Issue 15: the database unreachable (a page answered 503).
page-unavailable-title = База данных недоступна
page-unavailable-text = База данных временно недоступна. Ничего не изменено. Повторите через минуту.
