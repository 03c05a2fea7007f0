# The public pages (issue 17): the catalogue of services, the status lookup, and their errors.
error-status-not-found = No application was found. Check the application number and the IIN/BIN: they must belong to the same application.
error-status-number-shape = An application number is 13 digits (dashes allowed), e.g. 1234-5678-9012-3.
error-status-iin-shape = An IIN or BIN is 12 digits.
error-too-many-lookups = Too many lookups from your address. Try again in { $seconds } s.
status-next-wait = The application is being worked on. The result is due by { $date }; you will be told when it is ready.
status-next-suspended = The service is suspended. The provider will tell you what is needed to continue.
status-next-suspended-ground = The service is suspended on this ground: { $ground }. The provider will tell you what is needed to continue.
status-next-collect = The result is ready. Collect it at "{ $office }" with your identity document.
status-next-cabinet = The result is ready and has been sent to your personal cabinet on the e-government portal.
status-next-issued = The result was issued. The service has been delivered.
status-next-refused = The service was refused. The reason is in the written refusal, which you can appeal as the service standard says.

## The catalogue
public-services-title = Public services
public-services-intro = Find a service and learn which documents it needs, how long it takes, what it costs, where to get it and how to appeal a decision.
public-services-search = Search for services
public-services-q = Name of the service
public-services-q-hint = In Kazakh, Russian or English; word endings do not matter.
public-services-organization = Government body
public-services-channel = Where to apply
public-services-situation = Life situation
public-services-any = Any
public-services-find = Find
public-services-reset = Reset
public-services-found = { $n ->
    [one] { $n } service found
   *[other] { $n } services found
}
public-services-none = Nothing was found. Try another word or remove the filters.
public-fee-free = Free
public-fee-paid = Paid
public-back-to-catalogue = ← All services
public-status-link = Check the status of an application

## A service's passport
public-passport-version = service standard, edition { $n }
public-passport-contents = Contents
public-passport-result = What you receive
public-passport-result-forms = Form of the result
public-passport-delivery = How the result is delivered
public-passport-recipients = Who may apply
public-passport-documents = Which documents you need
public-passport-copies = { $n } copies
public-passport-not-needed = You need not bring these: they are obtained from information systems
public-passport-forms = Forms
public-passport-terms = Terms
public-passport-counted-from = The term counts from
public-passport-max-wait = Longest wait in the queue: { $n } min.
public-passport-max-service = Longest service: { $n } min.
public-passport-fee = Cost
public-passport-amount = { $n } tenge.
public-passport-payment = How to pay
public-passport-expedited = Expedited service
public-passport-where = Where and when
public-passport-break = break
public-passport-submit = Where to submit the documents
public-passport-pre-registration = Booking in advance
public-passport-confirmation = Confirmation that the documents were accepted
public-passport-refusal = Grounds for refusal
public-passport-suspension = Grounds for suspension
public-passport-complaints = How to appeal
public-passport-complaint-help = Help with a complaint
public-passport-complaint-appeal = If you disagree with the result
public-passport-complaint-improper = A complaint about improper service
public-passport-complaint-documents = What a complaint needs
public-passport-complaint-acknowledgement = Confirmation that a complaint was accepted
public-passport-basis = Legal basis and sources of information

## The status lookup
public-status-title = Status of an application
public-status-intro = Enter the application number from your receipt and the applicant's IIN (BIN). We show the stage, the planned date and what to do next; no personal data is shown.
public-status-number = Application number
public-status-number-hint = 13 digits, e.g. 1234-5678-9012-3.
public-status-iin = The applicant's IIN or BIN
public-status-iin-hint = 12 digits.
public-status-check = Check
public-status-answer = Application
public-status-service = Service
public-status-stage = Stage
public-status-stage-of = stage { $n } of 6
public-status-suspended = Suspended
public-status-overdue = Overdue
public-status-planned = Planned date of the result
public-status-office = Place of issue
public-status-complain = The term of the service has passed. You may call the Unified Contact Center 1414 or file a complaint as the service standard says.
nav-services = Services
nav-status = Application status
nav-sign-in = Staff sign-in

## Words of the passport
situation-birth-of-a-child = Birth of a child
situation-family-and-marriage = Family and marriage
situation-education = Education
situation-health = Health
situation-employment = Work and employment
situation-social-support = Social support and pensions
situation-housing = Housing and property
situation-land = Land
situation-business = Business
situation-transport = Transport
situation-identity-documents = Identity documents
situation-archives = Archives and certificates
result-form-paper = on paper
result-form-electronic = an electronic document
result-form-data-in-system = data in an information system
delivery-in-person = in person
delivery-portal = to the personal cabinet on the portal
delivery-email = by e-mail
delivery-post = by post
delivery-courier = by courier
document-form-original = original
document-form-copy = copy
document-form-original-for-identification = original, for identification (handed back)
term-start-documents = the documents are submitted
term-start-application = the applicant applies (registers, takes a ticket)
term-start-electronic-request = the electronic request is submitted
day-mon = Mon
day-tue = Tue
day-wed = Wed
day-thu = Thu
day-fri = Fri
day-sat = Sat
day-sun = Sun
