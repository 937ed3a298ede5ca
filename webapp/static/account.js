// Copy buttons on the account page. Loaded from this origin only (CSP script-src 'self').
document.addEventListener('click', function (event) {
  var button = event.target.closest('[data-action="copy-key"]');
  if (!button) {
    return;
  }
  var target = document.getElementById(button.getAttribute('data-copy-target'));
  if (target && navigator.clipboard) {
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      button.textContent = 'Copied';
    });
  }
});
