# The public pages (issue 17): the catalogue of services, the status lookup, and their errors.
error-status-not-found = Заявка не найдена. Проверьте номер заявки и ИИН/БИН: они должны принадлежать одной заявке.
error-status-number-shape = Номер заявки — 13 цифр (можно с дефисами), например 1234-5678-9012-3.
error-status-iin-shape = ИИН или БИН — 12 цифр.
error-too-many-lookups = Слишком много запросов с вашего адреса. Повторите через { $seconds } с.
status-next-wait = Заявка исполняется. Результат ожидается не позднее { $date }; о готовности вам сообщат.
status-next-suspended = Оказание услуги приостановлено. Услугодатель сообщит, что требуется для продолжения.
status-next-suspended-ground = Оказание услуги приостановлено по основанию: { $ground }. Услугодатель сообщит, что требуется для продолжения.
status-next-collect = Результат готов. Получите его в «{ $office }», имея при себе документ, удостоверяющий личность.
status-next-cabinet = Результат готов и направлен в ваш личный кабинет на портале «электронного правительства».
status-next-issued = Результат выдан. Услуга оказана.
status-next-refused = В оказании услуги отказано. Причина указана в мотивированном отказе; его можно обжаловать, как указано в стандарте услуги.

## The catalogue
public-services-title = Государственные услуги
public-services-intro = Найдите услугу и узнайте, какие документы нужны, сколько времени она занимает, сколько стоит, где её получить и как обжаловать решение.
public-services-search = Поиск услуг
public-services-q = Название услуги
public-services-q-hint = На казахском, русском или английском; окончания слов не важны.
public-services-organization = Государственный орган
public-services-channel = Где подать
public-services-situation = Жизненная ситуация
public-services-any = Любой
public-services-find = Найти
public-services-reset = Сбросить
public-services-found = { $n ->
    [one] Найдена { $n } услуга
    [few] Найдено { $n } услуги
   *[other] Найдено { $n } услуг
}
public-services-none = Ничего не найдено. Попробуйте другое слово или уберите фильтры.
public-fee-free = Бесплатно
public-fee-paid = Платно
public-back-to-catalogue = ← Все услуги
public-status-link = Проверить статус заявки

## A service's passport
public-passport-version = стандарт услуги, редакция { $n }
public-passport-contents = Содержание
public-passport-result = Что вы получите
public-passport-result-forms = Форма результата
public-passport-delivery = Как выдаётся результат
public-passport-recipients = Кто может обратиться
public-passport-documents = Какие документы нужны
public-passport-copies = { $n } экз.
public-passport-not-needed = Не нужно приносить: сведения получат из информационных систем
public-passport-forms = Бланки
public-passport-terms = Сроки
public-passport-counted-from = Срок исчисляется с момента
public-passport-max-wait = Максимальное время ожидания в очереди: { $n } мин.
public-passport-max-service = Максимальное время обслуживания: { $n } мин.
public-passport-fee = Стоимость
public-passport-amount = { $n } тенге.
public-passport-payment = Способ оплаты
public-passport-expedited = Ускоренное оказание
public-passport-where = Где и когда
public-passport-break = перерыв
public-passport-submit = Куда подавать документы
public-passport-pre-registration = Предварительная запись
public-passport-confirmation = Подтверждение приёма документов
public-passport-refusal = Основания для отказа
public-passport-suspension = Основания для приостановления
public-passport-complaints = Как обжаловать
public-passport-complaint-help = Помощь в подаче жалобы
public-passport-complaint-appeal = Несогласие с результатом
public-passport-complaint-improper = Жалоба на ненадлежащее обслуживание
public-passport-complaint-documents = Что приложить к жалобе
public-passport-complaint-acknowledgement = Подтверждение приёма жалобы
public-passport-basis = Правовое основание и источники информации

## The status lookup
public-status-title = Статус заявки
public-status-intro = Введите номер заявки из расписки и ИИН (БИН) заявителя. Мы покажем этап, плановую дату и что делать дальше; личные данные не показываются.
public-status-number = Номер заявки
public-status-number-hint = 13 цифр, например 1234-5678-9012-3.
public-status-iin = ИИН или БИН заявителя
public-status-iin-hint = 12 цифр.
public-status-check = Проверить
public-status-answer = Заявка
public-status-service = Услуга
public-status-stage = Этап
public-status-stage-of = этап { $n } из 6
public-status-suspended = Приостановлена
public-status-overdue = Срок нарушен
public-status-planned = Плановая дата результата
public-status-office = Место выдачи
public-status-complain = Срок оказания услуги нарушен. Вы можете обратиться в Единый контакт-центр 1414 или подать жалобу, как указано в стандарте услуги.
nav-services = Услуги
nav-status = Статус заявки
nav-sign-in = Вход для сотрудников

## Words of the passport
situation-birth-of-a-child = Рождение ребёнка
situation-family-and-marriage = Семья и брак
situation-education = Образование
situation-health = Здоровье
situation-employment = Работа и занятость
situation-social-support = Социальная поддержка и пенсии
situation-housing = Жильё и недвижимость
situation-land = Земля
situation-business = Предпринимательство
situation-transport = Транспорт
situation-identity-documents = Документы, удостоверяющие личность
situation-archives = Архивы и справки
result-form-paper = на бумаге
result-form-electronic = электронный документ
result-form-data-in-system = сведения в информационной системе
delivery-in-person = лично
delivery-portal = в личный кабинет на портале
delivery-email = по электронной почте
delivery-post = почтой
delivery-courier = курьером
document-form-original = оригинал
document-form-copy = копия
document-form-original-for-identification = оригинал для удостоверения личности (возвращается)
term-start-documents = сдачи документов
term-start-application = обращения (регистрации, получения талона)
term-start-electronic-request = подачи электронного запроса
day-mon = Пн
day-tue = Вт
day-wed = Ср
day-thu = Чт
day-fri = Пт
day-sat = Сб
day-sun = Вс
