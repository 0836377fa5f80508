/**
 * The page's only script, inlined: filters of the assertion table (verdict, control, suite, mode and
 * free text). Without it the page still shows everything; it only hides rows.
 */
export const PAGE_SCRIPT = `
(function () {
  var table = document.getElementById('assertions');
  if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
  var fields = ['verdict', 'control', 'suite', 'mode'];
  var controls = {};
  fields.forEach(function (name) { controls[name] = document.getElementById('filter-' + name); });
  var text = document.getElementById('filter-text');
  var shown = document.getElementById('shown');
  function matches(row) {
    for (var i = 0; i < fields.length; i++) {
      var wanted = controls[fields[i]].value;
      if (wanted === '') continue;
      var values = (row.getAttribute('data-' + fields[i]) || '').split('\\n');
      if (values.indexOf(wanted) < 0) return false;
    }
    var query = text.value.trim().toLowerCase();
    return query === '' || row.textContent.toLowerCase().indexOf(query) >= 0;
  }
  function apply() {
    var count = 0;
    rows.forEach(function (row) { var ok = matches(row); row.classList.toggle('hidden', !ok); if (ok) count++; });
    shown.textContent = count + ' of ' + rows.length + ' assertions shown';
  }
  fields.forEach(function (name) { controls[name].addEventListener('change', apply); });
  text.addEventListener('input', apply);
  var fromHash = /^#verdict=(pass|fail|error)$/.exec(location.hash);
  if (fromHash) controls.verdict.value = fromHash[1];
  apply();
})();
`
