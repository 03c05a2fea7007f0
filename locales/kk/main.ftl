# qyzmet API қате хабарламалары — қазақ тілі
# Идентификатор: "error-" + қате коды, ондағы "_" белгісі "-" белгісімен ауыстырылады.
# $field — сұраныс өрісінің жолы (мысалы, applicant.iin, events[3].occurred_at).

## Сұраныс форматы

error-malformed-json = Сұраныс денесі жарамды JSON емес ({ $detail }). Синтаксисті тексеріп, сұранысты қайта жіберіңіз.
error-json-required = Сұраныс денесі JSON форматында болуы керек: Content-Type: application/json тақырыбын көрсетіңіз.
error-invalid-value = «{ $field }» өрісінің мәні жарамсыз: { $detail }. Мәннің түрі мен құрылымын тексеріңіз.
error-required = Міндетті «{ $field }» өрісі толтырылмаған.
error-payload-too-large = Сұраныс денесінің көлемі тым үлкен. Деректерді бөліп, бірнеше сұраныспен жіберіңіз.
error-batch-too-large = «{ $field }» өрісінде оқиғалар тым көп: { $count } оқиға жіберілді, ал бір сұраныста ең көбі { $limit } оқиға болуы мүмкін. Оларды бірнеше сұранысқа бөліп жіберіңіз.

## Қолжетімділік

error-unauthorized = Жарамды API токені қажет: оны Authorization: Bearer <токен> тақырыбында жіберіңіз.
error-admin-required = Бұл әрекетті тек әкімші токенімен орындауға болады.
error-outside-scope = «{ $field }» өрісіндегі ұйым токеннің әрекет ету аясынан тыс: токен тек өз ұйымы және оған бағынысты ұйымдар үшін жарамды.

## Мекенжайлар және сервер күйі

error-not-found = Бұл мекенжай бойынша ештеңе табылмады. Сұраныстың URL мекенжайын тексеріңіз.
error-method-not-allowed = Бұл мекенжай мұндай HTTP әдісін қолдамайды.
error-internal = Ішкі қате орын алды, ол журналға тіркелді. Кейінірек қайталап көріңіз, ал қате қайталана берсе, қолдау қызметіне хабарласыңыз.
error-database-unavailable = Дерекқор уақытша қолжетімсіз, ешқандай дерек сақталған жоқ. Сұранысты кейінірек қайталаңыз.

## Табылмаған немесе бос емес жазбалар

error-application-not-found = Мұндай нөмірлі өтінім табылмады. Өтінім нөмірін тексеріңіз.
error-service-not-found = Қызмет табылмады. Қызмет кодын тексеріңіз.
error-organization-not-found = Ұйым табылмады. Ұйым кодын тексеріңіз.
error-outage-not-found = Мұндай идентификаторы бар іркіліс табылмады. Іркілістер тізімі: /api/v1/outages.
error-row-not-found = Сұралған жазба табылмады.
error-report-version-not-found = Бұл айдың мұндай нұсқадағы сақталған есебі жоқ. Нұсқалар тізімі: /api/v1/reports/violations/versions.
error-organization-code-taken = Мұндай коды бар ұйым бұрыннан тіркелген («{ $field }» өрісі). Басқа код көрсетіңіз.
error-organization-bin-taken = Осы БСН бойынша ұйым бұрыннан тіркелген («{ $field }» өрісі). БСН дұрыс енгізілгенін тексеріңіз.
error-service-code-taken = Мұндай коды бар қызмет бұрыннан тіркелген («{ $field }» өрісі). Басқа код көрсетіңіз.
error-external-id-taken = «{ $field }» өрісінің мәні басқа өтінім үшін бұрын пайдаланылған. Әр өтінімнің өз сыртқы идентификаторы болуы керек.
error-event-id-conflict = «{ $field }» өрісіндегі оқиға идентификаторы мазмұны басқа оқиға үшін бұрын пайдаланылған. Жаңа оқиғаға жаңа идентификатор беріңіз, ал қайта жібергенде дәл сол мазмұнды өзгертпей жіберіңіз.
error-unknown-organization = «{ $field }» өрісіндегі код бойынша ұйым табылмады. Ұйым кодын тексеріңіз.
error-unknown-service = «{ $field }» өрісіндегі код бойынша қызмет табылмады. Қызмет кодын тексеріңіз.
error-unknown-term-variant = Қызметте «{ $field }» өрісінде көрсетілген мерзім нұсқасы жоқ. Қызметтер тізіліміндегі осы қызметтің мерзім нұсқаларын тексеріңіз.
error-unknown-information-system = «{ $field }» өрісінде тіркелмеген ақпараттық жүйе көрсетілген. Жүйе кодтарын тексеріңіз.
error-channel-not-offered = Бұл қызмет «{ $field }» өрісінде берілген арна арқылы көрсетілмейді.
error-executor-not-provider = «{ $field }» өрісінде көрсетілген ұйым бұл қызметті көрсетпейді: қызметке жауапты ұйымды немесе оның құрамындағы ұйымды таңдаңыз.
error-search-number-invalid = { $field }: бұл өтініш нөмірі емес — бақылау цифры бар 13 цифр; цифрларды тексеріңіз.
error-search-tax-id-invalid = { $field }: бұл жарамды ЖСН немесе БСН емес — бақылау цифры бар 12 цифр; цифрларды тексеріңіз.
error-search-digits = { $field }: өтініш нөмірін (13 цифр), ЖСН немесе БСН-ды (12 цифр) немесе тегін (тек әріптер) енгізіңіз.
error-search-too-short = { $field }: тегін толық енгізіңіз (кемінде 2 әріп).

## Өріс мәндері

error-code-invalid = «{ $field }» өрісіндегі код жарамсыз: ол 1–64 таңбадан (A–Z, a–z латын әріптері, цифрлар, «.», «_» немесе «-») тұруы және әріптен не цифрдан басталуы керек.
error-in-future = «{ $field }» өрісіндегі уақыт болашаққа жатады (сервер уақытынан 5 минуттан астам алда). Күнді, уақытты және уақыт белдеуінің ығысуын тексеріңіз.
error-timestamp-invalid = «{ $field }» өрісіндегі күн мен уақыттың форматы қате: уақыт белдеуінің ығысуы бар RFC 3339 форматын қолданыңыз, мысалы, 2026-03-20T10:00:00+05:00.
error-date-invalid = «{ $field }» өрісіндегі күн қате: ЖЖЖЖ-АА-КК форматын қолданыңыз, мысалы, 2026-03-20.
error-empty = «{ $field }» өрісі бос болмауы керек.
error-too-long = «{ $field }» өрісінің мәні тым ұзын: ол { $max } таңбадан аспауы керек.
error-enum-invalid = «{ $field }» өрісінің мәні жарамсыз: рұқсат етілген мәндер — { $allowed }.
error-unit-invalid = «{ $field }» өрісіндегі мерзім бірлігі жарамсыз: minutes, hours, working_days немесе calendar_days мәндерінің бірін көрсетіңіз.
error-amount-invalid = «{ $field }» өрісінің мәні 1 мен { $max } аралығындағы бүтін сан болуы керек.
error-working-hours-invalid = «{ $field }» өрісіндегі жұмыс уақыты қате: оны 09:00-18:30 түрінде жазыңыз, басталу уақыты аяқталу уақытынан ерте болуы керек.
error-id-length = «{ $field }» өрісіндегі ЖСН/БСН дәл 12 цифрдан тұруы керек.
error-id-not-digits = «{ $field }» өрісіндегі ЖСН/БСН бос орынсыз және басқа таңбаларсыз, тек цифрлардан тұруы керек.
error-id-checksum = «{ $field }» өрісіндегі ЖСН/БСН қате енгізілген: бақылау цифры (12-ші) сәйкес келмейді. Нөмірді құжатпен салыстырып тексеріңіз.
error-id-unissuable = «{ $field }» өрісіндегі ЖСН/БСН болуы мүмкін емес: мұндай нөмірлер берілмейді. Нөмірді құжатпен салыстырып тексеріңіз.
error-iin-or-bin-required = Қызмет алушының ЖСН-ін немесе БСН-ін көрсетіңіз («{ $field }» өрісі).
error-iin-and-bin = ЖСН мен БСН-нің біреуін ғана көрсетіңіз, екеуін бірдей емес («{ $field }» өрісі).
error-limit-invalid = «{ $field }» параметріндегі бет өлшемі 1 мен { $max } аралығында болуы керек.
error-cursor-invalid = «{ $field }» параметріндегі курсорды бұл API бермеген. Курсорсыз, бірінші беттен қайта бастаңыз.
error-month-invalid = «{ $field }» айды ЖЖЖЖ-АА түрінде көрсетуі керек (мысалы, 2026-03), 2000-01 мен 2999-12 аралығында.
error-feedback-id-conflict = Бұл пікір идентификаторы басқа жауапқа қолданылған. Әр жауапқа жеке идентификатор беріңіз.
error-feedback-already-given = Бұл өтініш бойынша «{ $field }» сұрағына жауап бұрын берілген. Бір өтініш пен сұраққа бір жауап.
error-rating-out-of-range = «{ $field }» 1-ден 5-ке дейінгі бүтін сан болуы керек.
error-rating-or-survey = Не бағаны (1–5), не сауалнама жауабын (not_satisfied, partly, satisfied) беріңіз — екеуін бірге емес, біреуін.
error-year-invalid = «{ $field }» 2000 мен 2999 аралығындағы жыл болуы керек.
error-percent-invalid = «{ $field }» 0-ден 100-ге дейінгі пайыз болуы керек.
error-variant-invalid = «{ $field }» өрісіндегі мерзім нұсқасының коды жарамсыз: тек кіші латын әріптерін, цифрларды және астын сызу белгісін (_) қолданыңыз.
error-duplicate = «{ $field }» өрісіндегі мән қайталанады: мәндер қайталанбауы керек.
error-uuid-invalid = «{ $field }» өрісінің мәні UUID болуы керек, мысалы, 3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c.
error-ends-before-start = «{ $field }» өрісіндегі аяқталу уақыты басталу уақытынан кейін болуы керек.
error-systems-required = Іркіліс әсер еткен ақпараттық жүйелерді «{ $field }» өрісінде көрсетіңіз немесе all_systems мәнін true етіп қойыңыз.

## Кезеңдер (000 §6): кезеңдер кері қайтпайды

error-outcome-required = Өтінімді жабу үшін «{ $field }» өрісінде нәтижені көрсетіңіз: issued (берілді) немесе refused (бас тартылды).
error-outcome-not-allowed = Нәтиже («{ $outcome }») тек «closed» кезеңінде көрсетіледі, «{ $stage }» кезеңінде емес. «{ $field }» өрісін алып тастаңыз немесе «closed» кезеңін тіркеңіз.
error-reason-required = Бас тарту немесе тоқтата тұру себебі көрсетілуі керек: «{ $field }» өрісін толтырыңыз.
error-executor-required = Орындаушыны ауыстыру үшін жаңа орындаушыны «{ $field }» өрісінде көрсетіңіз.
error-unknown-ground = Өтініш тіркелген қызмет паспортында «{ $field }» өрісінде көрсетілген негіз жоқ: осы паспорттың тоқтата тұру немесе бас тарту негіздерінің тізбесінен негізді таңдаңыз.
error-ground-not-applicable = Негіз («{ $field }» өрісі) тек тоқтата тұру немесе бас тарту кезінде көрсетіледі. Бұл оқиға үшін оны алып тастаңыз.
error-before-acceptance = Оқиға уақыты ({ $at }) өтінімнің қабылданған уақытынан ({ $accepted_at }) ерте. «{ $field }» өрісін тексеріңіз.
error-already-recorded = Бұл өтінім бойынша «{ $stage }» кезеңі бұрын тіркелген ({ $recorded_at }). Әр кезең бір рет қана тіркеледі.
error-after-closure = Өтінім { $closed_at } уақытында жабылған, сондықтан жабылғаннан кейінгі уақытпен оқиға тіркеуге болмайды («{ $field }» өрісінде: { $at }).
error-out-of-order = «{ $stage }» кезеңі ({ $at }) { $conflicting_at } уақытында тіркелген «{ $conflicting_stage }» кезеңіне қайшы келеді: кезеңдер ешқашан кері қайтпайды. «{ $field }» өрісін тексеріңіз.
error-already-suspended = Өтінім { $at } уақытында бұрыннан тоқтатыла тұрған ({ $since } уақытынан бастап). Алдымен қайта жалғастыруды тіркеңіз.
error-not-suspended = Өтінім { $at } уақытында тоқтатыла тұрмаған: қайта жалғастыратын ештеңе жоқ.
error-after-completion = Тоқтата тұру ({ $at }) мүмкін емес: өтінім бойынша жұмыс { $completed_at } уақытында аяқталған.
error-precedes-recorded = «{ $stage }» кезеңі ({ $at }) бұрын тіркелген «{ $recorded }» оқиғасынан ({ $recorded_at }) ерте болып шығады, ал ол оқиға бұл кезеңнен кейін бола алмайды. «{ $field }» өрісін тексеріңіз.
error-invalid-body = Сұраныс денесінің құрылымы дұрыс емес: { $detail }.

# Қолтаңбалар (3-тапсырма)
error-signature-required = Ұйымның саясаты қолтаңбаны талап етеді: деректерді {"{"}"signed": …{"}"} немесе {"{"}"event": …, "signature": …{"}"} түрінде жіберіңіз.
error-signature-malformed = «{ $field }» өрісіндегі қолтаңба оқылмайды: { $detail }.
error-signature-invalid = «{ $field }» өрісіндегі қолтаңба қол қойылған деректерге сәйкес келмейді: деректер қол қойылғаннан кейін өзгертілген немесе басқа кілтпен қол қойылған.
error-signature-algorithm-unsupported = { $oid } қолтаңба алгоритмі мұнда тексерілмейді (ГОСТ үшін NCANode тексерушісі қажет, ол бапталмаған).
error-certificate-untrusted = Қол қоюшының сертификаты сенімді түбір сертификатқа жетпейді: { $detail }.
error-certificate-expired = «{ $subject }» сертификатының мерзімі қол қою уақытынан бұрын, { $at } аяқталған.
error-certificate-not-yet-valid = «{ $subject }» сертификаты тек { $at } бастап, қол қою уақытынан кейін жарамды.
error-certificate-revoked = Қол қоюшының сертификаты (сериялық нөмірі { $serial }) { $at } кері қайтарып алынған.
error-certificate-revocation-unknown = Қол қоюшы сертификатының кері қайтарылу мәртебесі белгісіз: { $detail }. Кері қайтарылған сертификаттар тізімі жаңартылғаннан кейін қайталаңыз.
error-signer-iin-mismatch = Қол қоюшының ЖСН-і «{ $field }» өрісінде көрсетілген қызметкердің ЖСН-іне сәйкес келмейді.
error-signer-bin-mismatch = Қол қоюшының сертификаты басқа ұйымға тиесілі: оның БСН-і жіберуші ұйымның БСН-іне сәйкес келмейді.
error-signer-role-missing = Қол қоюшының сертификатында талап етілетін { $oid } рөлі жоқ.
error-signature-verifier-unavailable = Қолтаңбаны тексеру мүмкін болмады: { $verifier } қолжетімсіз ({ $detail }). Ештеңе жазылмады; кейінірек қайта жіберіңіз.
error-signature-not-accepted = Бұл ұйым үшін қолтаңбалар өшірілген: деректерді қолтаңбасыз жіберіңіз немесе әкімшіден қолтаңба саясатын өзгертуді сұраңыз.
error-signature-content-invalid = «{ $field }» өрісіндегі қол қойылған мазмұн JSON нысаны емес: { $detail }.
error-number-mismatch = Қол қойылған оқиғадағы өтініш нөмірі сұрау мекенжайындағы нөмірге сәйкес келмейді.

# Бұзушылықтар есебінің файлдары (CSV, Excel)
report-caption = Мерзімдерді бұзу, { $month } ({ $month_name }), { $as_of } жағдай бойынша
report-row = Жол
report-row-own = ұйым, өзінікі
report-row-total = ұйым, барлығы
report-row-service = қызмет
report-row-totals = барлығы, жиыны
report-code = Коды
report-parent = Жоғары тұрған ұйым
report-own = Өзінікі
report-total = Барлығы
report-due = Мерзімі осы айда
report-on-time = Мерзімінде
report-violations = Бұзушылықтар
report-technical = Оның ішінде техникалық
report-open-overdue = Ашық, мерзімі өткен
report-overdue-days = Кешіктірілген күндер
report-sheet-organizations = Ұйымдар
report-sheet-services = Қызметтер
report-name = Атауы
report-on-time-percent = Мерзімінде, %
report-totals = Жиыны
month-year = { $year } жылғы { $month }

# Сапа көрсеткіштері кестесінің файлдары (CSV, Excel; 003, қосымша)
quality-caption = { $service } қызметінің сапа және тиімділік көрсеткіштері, { $year }, { $as_of } жағдай бойынша
quality-sheet = Көрсеткіштер
quality-code = Көрсеткіш
quality-indicator = Атауы
quality-normative = Нормативтік мәні, %
quality-target = Келесі жылға нысаналы мәні, %
quality-current = Ағымдағы мәні, %
quality-numerator = Есептелгені
quality-denominator = Барлығы
quality-indicator-1-1 = Құжаттар тапсырылған сәттен бастап белгіленген мерзімде қызмет көрсету жағдайларының %-ы (үлесі)
quality-indicator-2-1 = Қызмет көрсету процесінің сапасына қанағаттанған алушылардың %-ы (үлесі)
quality-indicator-3-1 = Қызмет көрсету тәртібі туралы ақпараттың сапасына қанағаттанған алушылардың %-ы (үлесі)
quality-indicator-3-2 = Ақпараты электрондық форматта қолжетімді қызметтердің %-ы (үлесі)
quality-indicator-4-1 = Шағымдану тәртібіне қанағаттанған алушылардың %-ы (үлесі)
quality-indicator-5-1 = Қызметкерлердің сыпайылығына қанағаттанған алушылардың %-ы (үлесі)

# Input hygiene (issue 15): text and moments refused at the edge. The offending character is
# named by its position and code point, never shown (the value may be personal data).
error-text-control-character = «{ $field }» өрісі: { $position }-таңба ({ $code_point }) — басқарушы таңба немесе жол ауыстыру, бұл өріс оларды қабылдамайды. Оны алып тастап, сұранысты қайта жіберіңіз.
error-text-bidi-control = «{ $field }» өрісі: { $position }-таңба ({ $code_point }) — мәтін бағытын басқаратын таңба (ендіру, қайта анықтау немесе оқшаулау), оның кесірінен мәтін жазылғанынан басқаша көрінуі мүмкін. Оны алып тастап, сұранысты қайта жіберіңіз.
error-text-noncharacter = «{ $field }» өрісі: { $position }-таңба ({ $code_point }) — Юникодтың таңба емес коды, ол ешқашан мәтінге кірмейді. Оны алып тастап, сұранысты қайта жіберіңіз.
error-text-invisible = «{ $field }» өрісінде бірде-бір көрінетін таңба жоқ: ол тек бос орындардан, ені нөлдік немесе басқа көрінбейтін таңбалардан тұрады.
error-offset-invalid = «{ $field }» өрісінде UTC-ден { $offset } ығысу көрсетілген, оны ешбір уақыт белдеуі қолданбайды: ығысу -12:00-ден +14:00-ге дейін, толық минутпен болады.
error-date-out-of-range = «{ $field }» өрісінің мәні қолдау көрсетілетін күндерден тыс: { $min } бен { $max } аралығында болуы керек.
error-before-calendar = «{ $field }» өрісінің мәні өндірістік күнтізбенің бірінші күнінен ({ $first }) бұрын: бұл күнге дейін мерзімді есептеу мүмкін емес.
error-value-not-storable = Сұраныстың мәнін сақтау мүмкін емес: дерекқор оны қабылдамады. Мәтінде басқарушы таңбалардың жоқтығын тексеріңіз.

## Path parameters (issue 15: the OpenAPI contract)
error-path-invalid = Мекенжайдағы «{ $field }» параметрі жарамсыз: оны күтілген түрде оқу мүмкін емес. Сұраныстың URL мекенжайын тексеріңіз.

## Өрістер сөзбен (issue 16): сұраныс өрісінің жолы хабарламада осылай аталады; API
## жауабының `field` мүшесі жолдың өзін сақтайды.
request-field-item = { $label } (№ { $n } жазба)
request-field-applicant-iin = өтініш берушінің ЖСН-і
request-field-applicant-bin = өтініш берушінің БСН-і
request-field-applicant-last-name = өтініш берушінің тегі
request-field-applicant-first-name = өтініш берушінің аты
request-field-applicant-middle-name = өтініш берушінің әкесінің аты
request-field-applicant = өтініш беруші
request-field-service-code = қызмет
request-field-service = қызмет
request-field-term-variant = мерзім нұсқасы
request-field-channel = өтініш беру арнасы
request-field-channels = өтініш беру арналары
request-field-acceptance-place = қабылдау орны
request-field-executor = орындаушы
request-field-executor-person = орындаушы қызметкер
request-field-accepted-at = қабылдау уақыты
request-field-external-id = сыртқы идентификатор
request-field-occurred-at = оқиға уақыты
request-field-events = оқиғалар
request-field-event = оқиға
request-field-id = идентификатор
request-field-type = оқиға түрі
request-field-stage = кезең
request-field-outcome = нәтиже
request-field-reason = себеп
request-field-ground = негіз
request-field-number = өтінім нөмірі
request-field-signed = қол қойылған деректер
request-field-signature = қолтаңба
request-field-date = күні
request-field-kind = түрі
request-field-office = кеңсе
request-field-barcode = пакеттің штрихкоды
request-field-name = атауы
request-field-name-kk = қазақша атауы
request-field-name-ru = орысша атауы
request-field-name-en = ағылшынша атауы
request-field-source = құқықтық негіз
request-field-source-kk = қазақша құқықтық негізі
request-field-source-ru = орысша құқықтық негізі
request-field-code = коды
request-field-parent = жоғары тұрған ұйым
request-field-bin = БСН
request-field-working-hours = жұмыс уақыты
request-field-organization = ұйым
request-field-depends-on = қызмет тәуелді ақпараттық жүйелер
request-field-terms = мерзім нұсқалары
request-field-terms-variant = мерзім нұсқасының коды
request-field-terms-amount = мерзім ұзақтығы
request-field-terms-unit = мерзім бірлігі
request-field-acceptance-day-counted = қабылдау күні есептеле ме
request-field-signature-policy = қолтаңба ережесі
request-field-systems = ақпараттық жүйелер
request-field-started-at = басталуы
request-field-ended-at = аяқталуы
request-field-description = сипаттамасы
request-field-operator = операторы
request-field-month = ай
request-field-year = жыл
request-field-format = файл пішімі
request-field-figure = көрсеткіш
request-field-version = нұсқа
request-field-limit = бет өлшемі
request-field-q = іздеу
request-field-cursor = бет курсоры
request-field-sort = сұрыптау тәртібі
request-field-accepted-from = қабылдау кезеңінің басы
request-field-accepted-to = қабылдау кезеңінің соңы
request-field-planned-from = жоспарлы күндер кезеңінің басы
request-field-planned-to = жоспарлы күндер кезеңінің соңы
request-field-rating = баға
request-field-survey = сауалнама жауабы
request-field-question = сұрақ
request-field-label = белгі
request-field-scope = аясы

# User administration (issue 16, B.6)
error-user-not-found = Пайдаланушы табылмады.
error-username-invalid = { $field } 3–64 таңбадан тұруы керек: латын әріптері, цифрлар, «.», «_» немесе «-».
error-cannot-block-self = Өз есептік жазбаңызды бұғаттай алмайсыз: мұны басқа әкімші жасауы керек.
error-cannot-demote-self = Өзіңізден әкімші рөлін ала алмайсыз: мұны басқа әкімші жасауы керек.
error-cannot-reset-self = Өз құпиясөзіңізді «Құпиясөзді өзгерту» бетінде өзгертіңіз: қалпына келтіру басқа пайдаланушыларға арналған.
error-organization-required = Операторлар мен басшылар ұйымда жұмыс істейді: ұйымды көрсетіңіз.
error-organization-not-allowed = Әкімшілер мен талдаушылар барлық ұйымды көреді: ұйымды бос қалдырыңыз.
error-password-too-short = Құпиясөз кемінде 12 таңбадан тұруы керек.
error-password-weak = Құпиясөзде пайдаланушы аты болмауы және ол бір қайталанатын таңбадан тұрмауы керек.
request-field-full-name = толық аты-жөні
request-field-position = лауазымы
request-field-role = рөлі
request-field-password = құпиясөз
request-field-username = пайдаланушы аты
request-field-revision = редакция
request-field-effective-from = мерзімдердің күшіне ену күні
request-field-legal-basis = құқықтық негіз
error-stale-revision = Жазба «{ $field }» өрісінде көрсетілген редакциядан кейін өзгертілген: ештеңе сақталмады. Оны қайта оқып, өзгерісті ағымдағы редакциямен жіберіңіз.
error-service-has-applications = Қызмет бойынша өтініштер тіркелген, сондықтан «{ $field }» өрісін өзгертуге болмайды: әр өтініш қызмет берушінің ұйымдарында қабылданып, орындалады.
error-effective-from-past = «{ $field }» өрісі бүгінгі күннен ({ $today }) ерте болмауы керек: тіркелген өтініштер өздері тіркелген мерзімдерді сақтайды.
error-effective-before-latest = «{ $field }» өрісі мерзімдердің соңғы нұсқасының күнінен ерте болмауы керек: нұсқалар жазылу ретімен күшіне енеді.
error-scan-already = Бұл пакет «{ $scan }» ретінде бұрын сканерленген: сканерлеу бір рет қана тіркеледі.
error-scan-out-of-order = Пакетті қазір «{ $scan }» ретінде сканерлеуге болмайды; келесі рұқсат етілгені: { $expected }.
error-not-a-package = Бұл qyzmet пакетінің затбелгісі емес (QZ және дұрыс бақылау цифры бар 13 цифр).
error-package-not-found = Құжаттар пакеті сіздің өкілеттігіңіз шегінде табылмады: өтініш Мемлекеттік корпорацияда қағаз түрінде қабылданбаған немесе басқа ұйымға тиесілі.
error-consent-missing = Өтінішті көрсетілетін қызметті алушының { $lacking ->
    [both] дербес деректерді және заңмен қорғалатын құпияны құрайтын мәліметтерді
    [personal_data] дербес деректерді
   *[protected_data] заңмен қорғалатын құпияны құрайтын мәліметтерді
} пайдалануға келісімінсіз жіберуге болмайды: алдымен оны тіркеңіз.
error-consent-repeated = { $field }: бұл келісім жоғарыда көрсетілген.
error-unknown-document = { $field }: қызмет паспортында мұндай құжат жоқ.
error-document-from-system = { $field }: бұл құжат ақпараттық жүйеден алынады, оны көрсетілетін қызметті алушыдан талап етпейді.
error-document-repeated = { $field }: бұл құжат жоғарыда көрсетілген.
error-document-count = { $field }: кемінде 1.
error-not-conditional = { $field }: құжат барлық алушылардан талап етіледі, оны қолданылмайды деп белгілеуге болмайды.
error-no-passport = Қызметтің қолданыстағы паспорты жоқ: құжаттарды тексеру мүмкін емес ({ $field }).
error-counter-not-of-office = { $field }: бұл кеңседе мұндай терезе жоқ.
error-ticket-not-of-office = { $field }: бұл кеңседе мұндай талон жоқ.
error-power-of-attorney-expired = Сенімхаттың мерзімі { $valid_until } аяқталған ({ $field }).
error-request-key-used = { $field } бас тартылған қабылдау үшін пайдаланылған: жаңа кілт қажет.
error-receipt-not-found = Қолхат сіздің өкілеттігіңіз шегінде табылмады.
error-not-at-issue-desk = Нәтижені беруге болмайды: пакет беру аймағында емес ({ $whereabouts }).
error-representative-required = Заңды тұлғаның нәтижесі тек сенімхаты бар өкілге беріледі ({ $field }).
error-not-the-applicant = Құжаттағы ЖСН өтініштегі көрсетілетін қызметті алушының ЖСН-імен сәйкес келмейді ({ $field }): нәтиже берілмейді.
error-already-issued = Бұл өтініштің нәтижесі бұрын берілген ({ $field }).
error-rating-link-invalid = Бағалау сілтемесі жарамсыз: оны қолхаттағы QR-кодтан қайта ашыңыз.
error-already-rated = Бұл келу бағаланған: бағаны бір рет беруге болады.
error-nothing-to-return = { $on } күні қайтаруға тиіс нәтиже жоқ.
error-return-register-not-found = Қайтару тізілімі сіздің өкілеттігіңіз шегінде табылмады.
error-scan-key-used = { $field } осы пакеттің басқа сканерлеуі үшін пайдаланылған: жаңа кілт қажет.
error-acceptance-not-found = Қабылдау сіздің өкілеттігіңіз шегінде табылмады.
error-copy-not-found = Куәландырылған көшірме сіздің өкілеттігіңіз шегінде табылмады.
error-not-state-corp = Өтініш Мемлекеттік корпорацияда қабылданбаған ({ $field }): көшірмені тек онда куәландыруға болады.
error-media-type-unsupported = { $field }: тек PDF, PNG немесе JPEG файлы қабылданады.
error-base64-invalid = { $field }: base64 түріндегі файл күтілді.
error-file-too-large = { $field }: файл { $max_mb } МБ-тан аспауы керек.
