// The ticket's print button; on a kiosk the ticket prints at once and the screen goes back to
// the kiosk page a little later. Without this script the page still prints from the browser.
document.addEventListener('DOMContentLoaded', function () {
  var button = document.getElementById('print');
  if (button) button.addEventListener('click', function () { window.print(); });
  var body = document.body;
  if (body.dataset.autoprint === '1') {
    window.print();
    if (body.dataset.back) setTimeout(function () { window.location.href = body.dataset.back; }, 8000);
  }
});
