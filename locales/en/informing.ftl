## Informing the applicant (000 §2): contact details, outgoing messages, webhooks.

error-invalid-email = { $field } is not an e-mail address: give one like name@domain.kz.
error-invalid-phone = { $field } is not a Kazakhstan mobile number: give one like +7 7XX XXX XX XX.
error-invalid-language = The language of messages in { $field } must be kk (Kazakh) or ru (Russian).
error-contact-unreachable = Give an e-mail address or a phone number in { $field }: without one the applicant cannot be told how the application goes.
error-webhook-url-invalid = The address in { $field } must start with http:// or https://, name a host, and carry no user name or password.
error-webhook-host-unresolved = The host name in { $field } is not found in DNS: check the address.
error-webhook-private-address = The address in { $field } leads into an internal network (loopback, private or special-purpose address): webhooks are posted to public addresses only.
error-webhook-secret-invalid = The secret in { $field } must have 16 to 256 characters and no control characters.
error-webhook-exists = The organization already has a webhook with this address ({ $field }).
error-message-not-retryable = Only a message that failed or was given up can be retried; this one is waiting to be sent or was sent.
error-message-not-found = Message not found.
error-webhook-not-found = Webhook not found.

request-field-applicant-contact = applicant's contact
request-field-applicant-contact-email = applicant's e-mail
request-field-applicant-contact-phone = applicant's phone
request-field-applicant-contact-language = language of the applicant's messages
request-field-url = webhook address
request-field-secret = webhook secret
request-field-state = state

register-contact-legend = Informing the applicant
register-contact-hint = Optional. With an e-mail or a phone, the applicant receives a message at the stages the service's standard flags.
label-contact-email = E-mail
label-contact-phone = Mobile phone
label-contact-language = Language of messages
application-contact = Contact for informing
application-contact-none = None given: the applicant receives no messages.

admin-outbox = Outbox
outbox-hint = Messages to applicants and organizations' webhooks: each is written with the change it tells of and sent by the delivery job. Addresses and phones are masked.
outbox-state-pending = Waiting to be sent
outbox-state-sent = Sent
outbox-state-delivered = Delivered
outbox-state-failed = Failed, to be retried
outbox-state-dead = Given up after its tries
outbox-channel-email = E-mail
outbox-channel-sms = SMS
outbox-channel-webhook = Webhook
outbox-col-created = Created
outbox-col-channel = Channel
outbox-col-application = Application
outbox-col-recipient = Recipient
outbox-col-state = State
outbox-col-attempts = Tries
outbox-col-error = Last error
outbox-any = Any
outbox-filter = Show
outbox-retry = Retry
outbox-retry-confirm = Send this message again?
outbox-retried = The message is back in line to be sent.
outbox-none = No messages.
outbox-next = Next page
storage-reminder-subject = Collect the result of application { $number }
storage-reminder-body = The result of application { $number } is waiting for you at office { $office }. Collect it by { $due }: after that it is returned to the provider.
