// The one script of the console, and optional: the pages work without it. It adds the Copy and
// Print buttons of the backup codes page, which need a browser API.
(function () {
  var list = document.querySelector('.backup-codes');
  if (!list) return;
  var codes = Array.prototype.map.call(list.querySelectorAll('code'), function (c) { return c.textContent; });
  var copy = document.getElementById('copy-codes');
  var print = document.getElementById('print-codes');
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener('click', function () {
      navigator.clipboard.writeText(codes.join('\n') + '\n').then(function () { copy.textContent = 'Copied'; });
    });
  }
  if (print) {
    print.hidden = false;
    print.addEventListener('click', function () { window.print(); });
  }
})();
