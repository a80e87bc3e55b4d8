// The worklist's detail table: filters, sorting and pages in the page itself. The rows come from the JSON in
// <script type="application/json" id="arbejdsliste-data">; every value is put in the page as text (textContent),
// never as markup. Columns of a row: case_ref, rule, severity (0 critical, 1 warning), municipality, id, amount
// ('1234.50' or null), age in banking days, arose (an index into data.arose: Copenhagen times in time order), detail
// (its parts, joined below).
// data.hints: [row index, text] for the rows with a possible explanation (a suggested match, an overdue delivery),
// shown under the description, in the colour of the hints, and searched with the text.
// data.handling holds, by row index, the case handling of the rows that have any: [status (0 Åben, 1 I gang,
// 2 Afventer with its follow-up date passed), assignee or null, reopened 1/0]; a row not in it is Åben.
(function () {
  'use strict';
  var dataEl = document.getElementById('arbejdsliste-data');
  var root = document.getElementById('arbejdsliste-detalje');
  if (!dataEl || !root) return;
  var data = JSON.parse(dataEl.textContent);
  var rows = data.rows;
  // a description is a string or its parts: phrase indexes (data.phrases) and text (src/report/phrases.ts)
  rows.forEach(function (r) { if (typeof r[8] !== 'string') r[8] = r[8].map(function (p) { return typeof p === 'number' ? data.phrases[p] : p; }).join(''); });
  (data.hints || []).forEach(function (h) { if (rows[h[0]]) rows[h[0]].hint = h[1]; });
  var PAGE = 50;
  var SEV = ['kritisk', 'advarsel'];
  var SEVCLS = ['critical', 'warning'];
  var state = { muni: '', rule: '', sev: '', age: 0, text: '', sort: -1, dir: 1, page: 0, handling: '' };
  var HANDLING = ['Åben', 'I gang', 'Afventer – opfølgning overskredet'];
  var handlingOf = new Map();
  Object.keys(data.handling || {}).forEach(function (i) { handlingOf.set(rows[Number(i)], data.handling[i]); });
  function handling(r) { return handlingOf.get(r) || [0, null, 0]; }
  function handlingText(h) {
    return HANDLING[h[0]] + (h[1] ? ' · ' + h[1] : '') + (h[2] ? ' · genåbnet' : '');
  }
  var q = function (sel) { return root.querySelector(sel); };
  var body = q('tbody');
  var info = q('.pager-info');

  function kroner(a) {
    if (a === null || a === undefined || a === '') return '';
    var m = /^(-?)(\d+)\.(\d+)$/.exec(a);
    if (!m) return a;
    return (m[1] ? '\u2212' : '') + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, '.') + ',' + (m[3] + '00').slice(0, 2) + ' kr.';
  }
  function count(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.'); }
  function fill(select, entries) {
    entries.forEach(function (e) {
      var o = document.createElement('option');
      o.value = e[0];
      o.textContent = e[1];
      select.appendChild(o);
    });
  }
  fill(q('[name=kommune]'), Object.keys(data.municipalities).sort().map(function (c) { return [c, data.municipalities[c]]; }));
  fill(q('[name=regel]'), Object.keys(data.rules).sort().map(function (c) { return [c, c + ' ' + data.rules[c]]; }));

  var KEYS = [0, 1, 2, 3, 4, 5, 6, 7];
  function compare(a, b) {
    var k = state.sort;
    var x = a[k], y = b[k];
    // amounts by their size without the sign (RULES.md §3): a large negative difference is a large one
    if (k === 5) { x = x === null ? -Infinity : Math.abs(Number(x)); y = y === null ? -Infinity : Math.abs(Number(y)); }
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * state.dir;
  }
  var current = rows;
  function apply() {
    var text = state.text.toLowerCase();
    current = rows.filter(function (r) {
      if (state.muni && r[3] !== state.muni) return false;
      if (state.rule && r[1] !== state.rule) return false;
      if (state.sev !== '' && String(r[2]) !== state.sev) return false;
      if (state.age && (r[6] === null || r[6] < state.age)) return false;
      if (state.handling !== '' && String(handling(r)[0]) !== state.handling) return false;
      if (text && (r[0] + ' ' + r[4] + ' ' + r[8] + ' ' + (r.hint || '') + ' ' + (handling(r)[1] || '')).toLowerCase().indexOf(text) < 0) return false;
      return true;
    });
    if (state.sort >= 0) current = current.slice().sort(compare);
    state.page = 0;
    draw();
  }
  function cell(tr, text, cls) {
    var td = document.createElement('td');
    if (cls) td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }
  function draw() {
    var pages = Math.max(1, Math.ceil(current.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var from = state.page * PAGE;
    var frag = document.createDocumentFragment();
    current.slice(from, from + PAGE).forEach(function (r) {
      var tr = document.createElement('tr');
      cell(tr, r[0], 'nowrap mono');
      cell(tr, r[1] + ' ' + (data.rules[r[1]] || ''));
      var s = cell(tr, '');
      var b = document.createElement('span');
      b.className = 'badge ' + SEVCLS[r[2]];
      b.textContent = SEV[r[2]];
      s.appendChild(b);
      cell(tr, data.municipalities[r[3]] || r[3], '');
      cell(tr, r[4], 'mono');
      cell(tr, kroner(r[5]), 'num');
      cell(tr, r[6] === null ? '' : count(r[6]), 'num');
      cell(tr, data.arose[r[7]], ''); // the date above the time where the page is narrow
      var d = cell(tr, r[8], 'detail');
      if (r.hint) {
        // the possible explanation under the description (a column of its own would push the table off the page)
        var hint = document.createElement('div');
        hint.className = 'hint';
        hint.textContent = r.hint;
        d.appendChild(hint);
      }
      var h = handling(r);
      cell(tr, handlingText(h), h[0] === 2 ? 'overdue' : '');
      frag.appendChild(tr);
    });
    body.textContent = '';
    body.appendChild(frag);
    info.textContent = current.length
      ? 'Række ' + count(from + 1) + '–' + count(Math.min(from + PAGE, current.length)) + ' af ' + count(current.length) +
        ' · side ' + count(state.page + 1) + ' af ' + count(pages)
      : 'Ingen afvigelser passer til filteret.';
    q('[data-page=prev]').disabled = state.page === 0;
    q('[data-page=next]').disabled = state.page >= pages - 1;
  }
  root.addEventListener('input', function (e) {
    var t = e.target;
    if (t.name === 'kommune') state.muni = t.value;
    else if (t.name === 'regel') state.rule = t.value;
    else if (t.name === 'alvor') state.sev = t.value;
    else if (t.name === 'alder') state.age = Number(t.value) || 0;
    else if (t.name === 'tekst') state.text = t.value;
    else if (t.name === 'behandling') state.handling = t.value;
    else return;
    apply();
  });
  root.addEventListener('click', function (e) {
    var t = e.target.closest('[data-page], th[data-sort]');
    if (!t) return;
    if (t.hasAttribute('data-page')) {
      state.page += t.getAttribute('data-page') === 'next' ? 1 : -1;
      if (state.page < 0) state.page = 0;
      draw();
      return;
    }
    var k = Number(t.getAttribute('data-sort'));
    if (KEYS.indexOf(k) < 0) return;
    state.dir = state.sort === k ? -state.dir : (k === 5 || k === 6 ? -1 : 1);
    state.sort = k;
    root.querySelectorAll('th[data-sort]').forEach(function (th) { th.removeAttribute('aria-sort'); });
    t.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
    apply();
  });
  apply();
})();
