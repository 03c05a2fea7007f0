## Информирование услугополучателя (000 §2): контакты, исходящие сообщения, вебхуки.

error-invalid-email = В поле «{ $field }» указан не адрес электронной почты: нужен адрес вида имя@домен.kz.
error-invalid-phone = В поле «{ $field }» указан не номер мобильного телефона Казахстана: нужен номер вида +7 7XX XXX XX XX.
error-invalid-language = Язык сообщений в поле «{ $field }» должен быть kk (казахский) или ru (русский).
error-contact-unreachable = Укажите в поле «{ $field }» адрес электронной почты или номер телефона: без них сообщить услугополучателю о ходе заявки нельзя.
error-webhook-url-invalid = Адрес в поле «{ $field }» должен начинаться с http:// или https://, содержать имя хоста и не содержать имени пользователя и пароля.
error-webhook-host-unresolved = Имя хоста в поле «{ $field }» не найдено в DNS: проверьте адрес.
error-webhook-private-address = Адрес в поле «{ $field }» ведёт во внутреннюю сеть (loopback, частный или служебный адрес): вебхуки отправляются только на публичные адреса.
error-webhook-secret-invalid = Секрет в поле «{ $field }» должен содержать от 16 до 256 символов без управляющих символов.
error-webhook-exists = Вебхук с этим адресом (поле «{ $field }») у организации уже зарегистрирован.
error-message-not-retryable = Повторить можно только сообщение, которое не удалось отправить или от которого отказались; это сообщение уже ожидает отправки или отправлено.
error-message-not-found = Сообщение не найдено.
error-webhook-not-found = Вебхук не найден.

request-field-applicant-contact = контакты заявителя
request-field-applicant-contact-email = электронная почта заявителя
request-field-applicant-contact-phone = телефон заявителя
request-field-applicant-contact-language = язык сообщений заявителю
request-field-url = адрес вебхука
request-field-secret = секрет вебхука
request-field-state = состояние

register-contact-legend = Информирование заявителя
register-contact-hint = Необязательно. Если указать почту или телефон, заявитель получит сообщение на этапах, которые отмечены в стандарте услуги.
label-contact-email = Электронная почта
label-contact-phone = Мобильный телефон
label-contact-language = Язык сообщений
application-contact = Контакты для информирования
application-contact-none = Не указаны: заявитель не получает сообщений.

admin-outbox = Исходящие сообщения
outbox-hint = Сообщения услугополучателям и вебхуки организаций: каждое записывается вместе с изменением, о котором сообщает, и отправляется заданием доставки. Адреса и телефоны скрыты.
outbox-state-pending = Ожидает отправки
outbox-state-sent = Отправлено
outbox-state-delivered = Доставлено
outbox-state-failed = Не удалось, будет повторено
outbox-state-dead = Отказано после попыток
outbox-channel-email = Электронная почта
outbox-channel-sms = SMS
outbox-channel-webhook = Вебхук
outbox-col-created = Создано
outbox-col-channel = Канал
outbox-col-application = Заявка
outbox-col-recipient = Получатель
outbox-col-state = Состояние
outbox-col-attempts = Попыток
outbox-col-error = Последняя ошибка
outbox-any = Любое
outbox-filter = Показать
outbox-retry = Повторить
outbox-retry-confirm = Отправить это сообщение ещё раз?
outbox-retried = Сообщение снова поставлено в очередь на отправку.
outbox-none = Сообщений нет.
outbox-next = Следующая страница
storage-reminder-subject = Получите результат по заявке { $number }
storage-reminder-body = Результат по заявке { $number } ждёт вас в офисе { $office }. Получите его до { $due }: после этого он будет возвращён услугодателю.
