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
sign-in-invalid = Неверное имя пользователя или пароль.
sign-in-locked = После нескольких неудачных попыток учётная запись заблокирована на 15 минут. Повторите позже или обратитесь к администратору.

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

## Registration
register-title = Регистрация заявки
register-service-hint = Введите код или слово из названия и выберите из списка.
register-submit = Зарегистрировать
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
action-suspend = Приостановить
label-suspension-reason = Основание приостановления
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
