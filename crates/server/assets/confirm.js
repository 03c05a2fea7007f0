// Confirmation before what cannot be undone (issue 16, B.1): a form with
// data-confirm-choice="<control name>" asks, before it is sent, the question its
// data-confirm-<chosen value> attribute holds (e.g. "Close the application as refused?"),
// naming the option chosen at the moment of sending. Cancelled, nothing is sent.
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirmChoice) return;
  var control = form.elements.namedItem(form.dataset.confirmChoice);
  var value = control && 'value' in control ? control.value : '';
  var question = form.getAttribute('data-confirm-' + value);
  if (question && !window.confirm(question)) event.preventDefault();
});
