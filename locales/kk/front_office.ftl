## Фронт-офис (001): бөлімдер, терезелер, электрондық кезек.

error-office-code-taken = «{ $field }» өрісіндегі бөлім коды бос емес.
error-office-not-state-corp = «{ $field }» өрісіндегі ұйым Мемлекеттік корпорацияның филиалы емес: бөлімдер тек филиалдарда құрылады.
error-office-not-found = Бөлім табылмады.
error-counter-number-taken = Бөлімде осы нөмірлі терезе («{ $field }» өрісі) бар.
error-employee-has-counter = «{ $field }» өрісіндегі қызметкер басқа терезеде жұмыс істейді.
error-unknown-employee = «{ $field }» өрісінде белгісіз қызметкер көрсетілген: филиалдың қолданыстағы операторы немесе басшысы қажет.
error-employee-outside-office = «{ $field }» өрісіндегі қызметкер осы бөлімнің филиалына жатпайды.
error-counter-not-found = Терезе табылмады.
error-not-your-counter = Бұл терезе басқа қызметкерге бекітілген.
error-counter-busy = Терезеге келуші шақырылған немесе оған қызмет көрсетілуде: алдымен қызмет көрсетуді аяқтаңыз.
error-counter-not-open = Терезе ашық емес: келушілерді шақыру үшін оны ашыңыз.
error-counter-has-no-ticket = Терезеде шақырылған немесе қызмет көрсетілетін келуші жоқ.
error-ticket-state-wrong = Талонның қазіргі күйінде бұл әрекет қолжетімсіз.
error-not-called-enough = Келмеді деп бірнеше шақырудан кейін ғана белгілеуге болады: келушіні тағы шақырыңыз.
error-ticket-numbers-exhausted = Бүгінгі талон нөмірлері таусылды.
error-queue-live = Бөлім тірі кезек режимінде жұмыс істейді: талондар орнында беріледі.
error-office-closed = Бөлім қазір келушілерді қабылдамайды: талондар жұмыс уақытында беріледі.
error-ticket-not-found = Талон табылмады.
error-ticket-not-waiting = Бүгін кезекте мұндай нөмірлі талон жоқ.
error-ticket-number-invalid = «{ $field }» өрісінде талон нөмірі қажет: әріп пен сандар, мысалы A017.
error-too-many-tickets = Сіздің мекенжайыңыздан талондар тым көп. { $seconds } с кейін қайталаңыз.
error-unknown-counter = «{ $field }» өрісінде бұл бөлімде жоқ терезе көрсетілген.
error-queue-mode-unchanged = Бөлім осы кезек режимінде жұмыс істеп тұр.
error-unknown-application = «{ $field }» өрісіндегі өтініш табылмады.
error-application-number-invalid = «{ $field }» өрісінде өтініш нөмірі қажет.
error-overlap = «{ $field }» өрісіндегі үзілістер бір-бірімен қиылысады.

request-field-address = мекенжай
request-field-schedule = жұмыс кестесі
request-field-schedule-source = кестенің құқықтық негізі
request-field-weights = басым топтардың салмақтары
request-field-deadline-window-hours = «мерзімі өтеді» терезесі, сағат
request-field-calls-before-no-show = келмеді деуге дейінгі шақырулар
request-field-average-service-minutes = орташа қызмет көрсету уақыты, минут
request-field-window = терезе нөмірі
request-field-purposes = терезенің мақсаттары
request-field-services = терезенің қызметтері
request-field-employee = қызметкер
request-field-purpose = келу мақсаты
request-field-priority = басым топ
request-field-ticket = талон нөмірі
request-field-application = өтініш
request-field-counter-id = терезе

## Қабылдауға жазылу (001 §12), сұрауды қайталау, зал таблосы.
error-idempotency-key-invalid = «{ $field }» тақырыбында 1-ден { $max }-ге дейін көрінетін ASCII таңбасы болуы керек.
error-slot-full = «{ $field }» өрісіндегі уақыттың барлық орны бос емес: басқа уақытты таңдаңыз.
error-slot-unknown = Бөлім «{ $field }» өрісіндегі уақытқа жазылу бойынша қабылдамайды: бос уақыттар тізімінен таңдаңыз.
error-slot-past = «{ $field }» өрісіндегі уақыт өтіп кетті: басқасын таңдаңыз.
error-time-invalid = «{ $field }» өрісіне уақытты СС:ММ түрінде енгізіңіз, мысалы 10:15.
error-outside-booking-horizon = «{ $field }» өрісіндегі күн бүгіннен ерте емес және { $days } күннен кейін емес болуы керек.
error-booking-code-taken = Тіркелу кодын беру мүмкін болмады: жазылуды қайталаңыз.
error-booking-not-found = Жазылу табылмады.
error-booking-not-standing = Жазылу бұрын бас тартылған, пайдаланылған немесе оның уақыты өтіп кеткен.
error-booking-same-slot = Жазылу осы уақытқа жасалған (өріс «{ $field }»).
error-booking-missed = Жазылу уақыты өтіп кетті: киоскіден кәдімгі талон алыңыз.
error-check-in-too-early = Жазылу бойынша қабылдаудан бір сағат бұрын ғана тіркелуге болады, { $at } бастап.
error-booking-code-invalid = «{ $field }» өрісіне алты цифрдан тұратын тіркелу кодын енгізіңіз.
error-too-many-requests = Сіздің мекенжайыңыздан сұраулар тым көп. { $seconds } с кейін қайталаңыз.

request-field-start = қабылдау уақыты
request-field-contact = байланыс деректері
request-field-contact-email = электрондық пошта
request-field-contact-phone = телефон
request-field-contact-language = хабарламалар тілі
request-field-Idempotency-Key = Idempotency-Key
