## Көрсетілетін қызметті алушыны хабардар ету (000 §2): байланыс деректері, шығыс хабарламалар, вебхуктер.

error-invalid-email = «{ $field }» өрісінде электрондық пошта мекенжайы емес: атау@домен.kz түріндегі мекенжай қажет.
error-invalid-phone = «{ $field }» өрісінде Қазақстанның ұялы телефон нөмірі емес: +7 7XX XXX XX XX түріндегі нөмір қажет.
error-invalid-language = «{ $field }» өрісіндегі хабарлама тілі kk (қазақ) немесе ru (орыс) болуы тиіс.
error-contact-unreachable = «{ $field }» өрісінде электрондық поштаны немесе телефон нөмірін көрсетіңіз: оларсыз өтінімнің барысы туралы хабарлау мүмкін емес.
error-webhook-url-invalid = «{ $field }» өрісіндегі мекенжай http:// немесе https:// деп басталып, хост атауын қамтуы және пайдаланушы аты мен құпиясөзді қамтымауы тиіс.
error-webhook-host-unresolved = «{ $field }» өрісіндегі хост атауы DNS-те табылмады: мекенжайды тексеріңіз.
error-webhook-private-address = «{ $field }» өрісіндегі мекенжай ішкі желіге апарады (loopback, жеке немесе қызметтік мекенжай): вебхуктер тек жария мекенжайларға жіберіледі.
error-webhook-secret-invalid = «{ $field }» өрісіндегі құпия басқару таңбаларынсыз 16–256 таңбадан тұруы тиіс.
error-webhook-exists = Ұйымда осы мекенжаймен («{ $field }» өрісі) вебхук тіркелген.
error-message-not-retryable = Тек жіберілмеген немесе бас тартылған хабарламаны қайталауға болады; бұл хабарлама жіберуді күтуде немесе жіберілген.
error-message-not-found = Хабарлама табылмады.
error-webhook-not-found = Вебхук табылмады.

request-field-applicant-contact = өтініш берушінің байланыс деректері
request-field-applicant-contact-email = өтініш берушінің электрондық поштасы
request-field-applicant-contact-phone = өтініш берушінің телефоны
request-field-applicant-contact-language = өтініш берушіге хабарлама тілі
request-field-url = вебхук мекенжайы
request-field-secret = вебхук құпиясы
request-field-state = күйі

register-contact-legend = Өтініш берушіні хабардар ету
register-contact-hint = Міндетті емес. Поштаны немесе телефонды көрсетсеңіз, өтініш беруші қызмет стандартында белгіленген кезеңдерде хабарлама алады.
label-contact-email = Электрондық пошта
label-contact-phone = Ұялы телефон
label-contact-language = Хабарлама тілі
application-contact = Хабардар етуге арналған байланыс деректері
application-contact-none = Көрсетілмеген: өтініш беруші хабарлама алмайды.

admin-outbox = Шығыс хабарламалар
outbox-hint = Көрсетілетін қызметті алушыларға хабарламалар және ұйымдардың вебхуктері: әрқайсысы өзі хабарлайтын өзгеріспен бірге жазылып, жеткізу тапсырмасымен жіберіледі. Мекенжайлар мен телефондар жасырылған.
outbox-state-pending = Жіберуді күтуде
outbox-state-sent = Жіберілді
outbox-state-delivered = Жеткізілді
outbox-state-failed = Сәтсіз, қайталанады
outbox-state-dead = Әрекеттерден кейін бас тартылды
outbox-channel-email = Электрондық пошта
outbox-channel-sms = SMS
outbox-channel-webhook = Вебхук
outbox-col-created = Құрылды
outbox-col-channel = Арна
outbox-col-application = Өтінім
outbox-col-recipient = Алушы
outbox-col-state = Күйі
outbox-col-attempts = Әрекеттер
outbox-col-error = Соңғы қате
outbox-any = Кез келген
outbox-filter = Көрсету
outbox-retry = Қайталау
outbox-retry-confirm = Бұл хабарламаны қайта жіберу керек пе?
outbox-retried = Хабарлама қайтадан жіберу кезегіне қойылды.
outbox-none = Хабарламалар жоқ.
outbox-next = Келесі бет
storage-reminder-subject = { $number } өтінімінің нәтижесін алыңыз
storage-reminder-body = { $number } өтінімі бойынша нәтиже { $office } кеңсесінде сізді күтуде. Оны { $due } дейін алыңыз: одан кейін ол көрсетілетін қызметті берушіге қайтарылады.
