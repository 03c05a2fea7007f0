// Confirmation before what cannot be undone (issue 16, B.1, B.6). A form with
// data-confirm="question" asks it before it is sent (revoking a token, blocking a user,
// resetting a password). A form with data-confirm-choice="<control name>" asks the question
// its data-confirm-<chosen value> attribute holds (e.g. "Close the application as refused?"),
// naming the option chosen at the moment of sending. Cancelled, nothing is sent.
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  var question = form.getAttribute('data-confirm');
  if (!question && form.dataset.confirmChoice) {
    var control = form.elements.namedItem(form.dataset.confirmChoice);
    var value = control && 'value' in control ? control.value : '';
    question = form.getAttribute('data-confirm-' + value);
  }
  if (question && !window.confirm(question)) event.preventDefault();
});
