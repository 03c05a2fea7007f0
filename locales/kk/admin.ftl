# Әкімшінің формалары (issue 4): өндірістік күнтізбе, іркілістер, қызметтер және ұйымдар.
# Әрбір идентификатор ru және en тілдерінде де бар.

## Күнтізбе
month-1 = Қаңтар
month-2 = Ақпан
month-3 = Наурыз
month-4 = Сәуір
month-5 = Мамыр
month-6 = Маусым
month-7 = Шілде
month-8 = Тамыз
month-9 = Қыркүйек
month-10 = Қазан
month-11 = Қараша
month-12 = Желтоқсан
weekday-1 = Дүйсенбі
weekday-2 = Сейсенбі
weekday-3 = Сәрсенбі
weekday-4 = Бейсенбі
weekday-5 = Жұма
weekday-6 = Сенбі
weekday-7 = Жексенбі
weekday-short-1 = Дс
weekday-short-2 = Сс
weekday-short-3 = Ср
weekday-short-4 = Бс
weekday-short-5 = Жм
weekday-short-6 = Сб
weekday-short-7 = Жс
calendar-working = жұмыс күні
calendar-off = демалыс күні
calendar-years = Басқа жылдар
calendar-hint = Күнтізбе жазбасы өзгеше демесе, сенбі мен жексенбі — демалыс күндері. Жазбасын қосу, өзгерту немесе жою үшін күнді таңдаңыз.
calendar-legend = Белгілер
calendar-legend-entry-off = жазба бойынша демалыс (мереке немесе ауыстыру)
calendar-legend-entry-working = жазба бойынша жұмыс күні (ауыстырылған жұмыс күні)
calendar-entries = { $value } жылғы жазбалар
calendar-no-entries = Бұл жылы жазбалар жоқ: барлық күн апталық тәртіп бойынша.
calendar-actions = Әрекеттер
calendar-edit = Өзгерту
calendar-remove = Жою
calendar-form-title = Күнді қосу немесе өзгерту
calendar-name-hint = Бұл қандай күн, мысалы «Наурыз мейрамы» немесе «Демалыс күнін ауыстыру».
calendar-source-hint = Міндетті: күнді белгілеген акт, мысалы «Үкіметтің 01.12.2025 жылғы № 123 қаулысы».
calendar-translations = Атауы мен құқықтық негізі қазақ және орыс тілдерінде
calendar-translations-hint = Оларды қазақ және орыс тілінде оқитындар көреді. Жоғарыдағы атауы мен құқықтық негізі — ағылшын тіліндегісі; аудармасы жоқ жерде солар көрсетіледі.
calendar-name-kk = Қазақша атауы
calendar-name-ru = Орысша атауы
calendar-source-kk = Қазақша құқықтық негізі
calendar-source-ru = Орысша құқықтық негізі
calendar-recompute-hint = Сақтағанда осы күнге тәуелді аяқталмаған өтініштердің жоспарлы күндері қайта есептеледі; бұрынғы күндері себебімен сақталады.
calendar-save = Күнді сақтау
calendar-version = Күнтізбе нұсқасы
calendar-saved = Сақталды: { $date }. Қайта есептелген аяқталмаған өтініштер: { $n }; оның ішінде жоспарлы күні өзгергені: { $changed }.
calendar-removed = { $date } жазбасы жойылды: күн қайтадан апталық тәртіп бойынша. Қайта есептелген аяқталмаған өтініштер: { $n }; оның ішінде жоспарлы күні өзгергені: { $changed }.

## Форма қателері форманың тілімен (API хабарлары JSON туралы айтады)
admin-error-timestamp-invalid = { $field }: күні мен уақытын енгізіңіз.
admin-error-date-invalid = { $field }: күнді енгізіңіз.
admin-error-enum-invalid = { $field }: тізімнен мәнді таңдаңыз.
admin-error-systems-required = «Барлық жүйелер» дегенді белгілеңіз немесе зардап шеккен жүйелерді таңдаңыз.

## Іркілістер
outage-hint = Қызмет тәуелді жүйенің іркілісі уақыт аралығын қамтыған бұзушылықтар техникалық себептен болған бұзушылықтар ретінде бөлек есептеледі. Уақыт — Астана уақыты.
outage-new = Іркілісті тіркеу
outage-time-hint = Іркіліс жалғасып жатқанда аяқталуын бос қалдырыңыз.
outage-systems-hint = Немесе зардап шеккен жүйелерді таңдаңыз:
outage-operator-hint = Зардап шеккен жүйелерді кім пайдаланады.
outage-register = Іркілісті тіркеу
outage-created = Іркіліс тіркелді.
outage-ongoing = жалғасуда

## Тізілім: ортақ
code-hint = 1-ден 64-ке дейін таңба: латын әріптері, цифрлар, '.', '_' немесе '-'; кейін оны өзгертуге болмайды.
name-kk = Қазақша атауы
name-ru = Орысша атауы
name-en = Ағылшынша атауы

## Ұйымдар
org-new = Жаңа ұйым
org-parent = Жоғары тұрған ұйым
org-no-parent = Жоқ (жоғарғы деңгей)
org-bin = БСН
org-working-hours = Жұмыс уақыты
org-working-hours-hint = Мысалы 09:00-18:30; бос болса — 09:00-18:00. Жұмыс уақытынан кейін түскен өтініштер келесі жұмыс күнінен бастап есептеледі.
org-create = Ұйымды құру
org-created = Ұйым құрылды.
org-children = Құрамындағы бөлімшелер
policy-required = Міндетті
policy-optional = Міндетті емес
policy-off = Өшірулі
policy-required-long = Міндетті: қолтаңбасыз немесе қолтаңбасы жарамсыз оқиғалар қабылданбайды
policy-optional-long = Міндетті емес: қолтаңба болса, тексеріледі
policy-off-long = Өшірулі: қол қойылған деректер қабылданбайды
org-policy-legend = Осы ұйым оқиғаларының қолтаңбасы
org-policy-hint = Осы серверде бірден, қалғандарында 30 секунд ішінде күшіне енеді.
org-policy-save = Саясатты сақтау
org-policy-saved = Қолтаңба саясаты сақталды.

## Қызметтер
service-new = Жаңа қызмет
service-create = Қызметті құру
service-created = Қызмет құрылды.
terms-hint = Бірінші нұсқа әдепкі болып саналады; қажет емес жолдарды бос қалдырыңыз. Нұсқа кодтары: кіші латын әріптері, цифрлар және '_'.
term-row = Нұсқа
term-variant = Нұсқа коды
term-amount = Саны
term-unit = Өлшем бірлігі
service-acceptance-day-counted = Қабылдау күні есепке алынады
service-acceptance-day-hint = Тек қызмет стандартында солай көрсетілсе; әйтпесе есептеу келесі күннен басталады.
service-systems-hint = Іркілістері мерзімі өткен өтінішті техникалық себептен болған бұзушылыққа айналдыратын ақпараттық жүйелер.
service-updated = Өзгертілді
service-variants = Мерзім нұсқалары
service-terms-version = { $value }-редакция
service-default-variant = әдепкі
service-change-terms = Мерзімдерді өзгерту
service-change-terms-hint = Сақтағанда нұсқалардың жаңа нұсқасы жасалады; тіркелген өтініштер өздері тіркелген мерзімдерді сақтайды.
service-save-terms = Мерзімдерді сақтау
service-terms-changed = Мерзімдер өзгертілді: жаңа өтініштер жаңа нұсқа бойынша тіркеледі.
outage-edit = Іркілісті өзгерту
outage-edit-link = Өзгерту
outage-save = Өзгерістерді сақтау
outage-updated = Іркіліс өзгертілді. Ол қозғайтын сақталған бұзушылықтар есептері қайта есептелуде.
outage-cancel = Іркілістер тізіміне оралу
col-actions = Әрекеттер

## Users (issue 16, B.6)
col-status = Күйі
col-last-sign-in = Соңғы кіру
user-status-active = Белсенді
user-status-blocked = Бұғатталған
user-status-locked = Уақытша құлыпталған
user-never = әлі кірмеген
user-search = Пайдаланушыларды іздеу
user-search-words = Пайдаланушы аты немесе аты-жөні
user-search-submit = Табу
user-count = Табылды: { $n }
user-full-name = Толық аты-жөні
user-position = Лауазымы
user-password-state = Құпиясөз
user-must-change-password = Келесі кіргенде ауыстырылуы керек
user-profile = Профиль
user-profile-save = Профильді сақтау
user-role-title = Рөлі және ұйымы
user-no-organization = — ұйымсыз —
user-role-save = Рөлді сақтау
user-access = Қолжетімділік
user-block-reason = Бұғаттау себебі
user-block-hint = Пайдаланушы кіре алмайды, ашық сеанстары бірден жабылады.
user-block = Бұғаттау
user-block-confirm = { $name } пайдаланушысын бұғаттау керек пе? Оның барлық сеансы бірден жабылады.
user-unblock-hint = Бұғатты алғаннан кейін пайдаланушы өз құпиясөзімен қайта кіре алады.
user-unblock = Бұғатты алу
user-unlock-hint = Сәтсіз кіру әрекеттерінен кейінгі құлыпты алып, олардың санын нөлдейді.
user-unlock = Құлыпты алу
user-reset-title = Құпиясөзді қалпына келтіру
user-reset-hint = Уақытша құпиясөз жасалып, бір рет көрсетіледі. Пайдаланушы оны келесі кіргенде ауыстырады; ашық сеанстары бірден жабылады.
user-reset = Уақытша құпиясөз жасау
user-reset-confirm = { $name } пайдаланушысының құпиясөзін қалпына келтіру керек пе? Ескі құпиясөз жарамсыз болады, сеанстары жабылады.
user-password-shown-once = Уақытша құпиясөз төменде — ол тек қазір көрсетіледі. Оны пайдаланушыға қауіпсіз жолмен беріңіз.
user-done-profile = Профиль сақталды.
user-done-role = Рөл мен ұйым сақталды.
user-done-block = Пайдаланушы бұғатталды, оның сеанстары жабылды.
user-done-unblock = Бұғат алынды.
user-done-unlock = Құлып алынды.
user-done-password = Құпиясөз қалпына келтірілді, сеанстары жабылды.
token-revoke-confirm = { $name } токенін кері қайтару керек пе? Оны пайдаланатын жүйелер 30 секунд ішінде қол жеткізуден айырылады.
