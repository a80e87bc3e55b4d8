// The worklist's detail table: filters, sorting and pages in the page itself. The rows come from the JSON in
// <script type="application/json" id="arbejdsliste-data">; every value is put in the page as text (textContent),
// never as markup. Columns of a row: case_ref, rule, severity (0 critical, 1 warning), municipality, id, amount
// ('1234.50' or null), age in banking days, arose (an index into data.arose: Copenhagen times in time order), detail
// (its parts, joined below).
// data.hints: [row index, text] for the rows with a possible explanation (a suggested match, an overdue delivery),
// shown under the description, in the colour of the hints, and searched with the text.
// data.handling holds, by row index, the case handling of the rows that have any: [status (0 Åben, 1 I gang,
// 2 Afventer with its follow-up date passed), assignee or null, reopened 1/0]; a row not in it is Åben.
// The search: every word must be found in what the row shows (case, rule code and name, severity, municipality code
// and name, id, amount, age, arose, description, hint, handling); a word that is a case number (S-5) matches that case
// alone, never S-50. A search that is one case number alone finds the case wherever it is: on the worklist (whatever
// the other filters), else in data.elsewhere — [case_ref, rule, severity (0 critical, 1 warning, 2 info),
// municipality, id, amount, place (PLACES), follow-up date] of the cases off the worklist — said in .case-note with a
// link to where it is. report.html#S-123 opens with that search.
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
  var SEV = ['kritisk', 'advarsel', 'info'];
  var SEVCLS = ['critical', 'warning', 'info'];
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
  var caseNote = q('.case-note');
  var CASE = /^s-\d+$/;
  var elsewhere = new Map((data.elsewhere || []).map(function (e) { return [e[0].toLowerCase(), e]; }));

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
  // the filters offer what the worklist holds (data.municipalities and data.rules name the cases elsewhere too)
  function present(k) { var seen = {}; rows.forEach(function (r) { seen[r[k]] = 1; }); return Object.keys(seen).sort(); }
  fill(q('[name=kommune]'), present(3).map(function (c) { return [c, data.municipalities[c]]; }));
  fill(q('[name=regel]'), present(1).map(function (c) { return [c, c + ' ' + data.rules[c]]; }));
  function danishDate(d) { return d ? d.slice(8, 10) + '.' + d.slice(5, 7) + '.' + d.slice(0, 4) : ''; }
  /** Everything a row shows, lower case, once. */
  function shown(r) {
    if (r.shown === undefined) {
      r.shown = [r[0], r[1], data.rules[r[1]], SEV[r[2]], r[3], data.municipalities[r[3]], r[4], kroner(r[5]),
        r[5] === null ? '' : r[5].replace('.', ','), r[6] === null ? '' : count(r[6]), data.arose[r[7]], r[8], r.hint,
        handlingText(handling(r))].join(' \n ').toLowerCase();
    }
    return r.shown;
  }
  function matches(r, words) {
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (CASE.test(w) ? r[0].toLowerCase() !== w : shown(r).indexOf(w) < 0) return false;
    }
    return true;
  }

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
  var away = null; // the case off the worklist that a search by its number found
  function apply() {
    var words = state.text.toLowerCase().trim().split(/\s+/).filter(Boolean);
    var one = words.length === 1 && CASE.test(words[0]) ? words[0] : null;
    away = null;
    current = rows.filter(function (r) {
      if (one) return r[0].toLowerCase() === one; // a case number alone: that case, whatever the other filters
      if (state.muni && r[3] !== state.muni) return false;
      if (state.rule && r[1] !== state.rule) return false;
      if (state.sev !== '' && String(r[2]) !== state.sev) return false;
      if (state.age && (r[6] === null || r[6] < state.age)) return false;
      if (state.handling !== '' && String(handling(r)[0]) !== state.handling) return false;
      return matches(r, words);
    });
    if (one && !current.length) away = elsewhere.get(one) || one.toUpperCase();
    if (state.sort >= 0) current = current.slice().sort(compare);
    state.page = 0;
    draw();
  }
  // where a case off the worklist is: [its handling cell, the sentence of .case-note, the link's text, its target]
  var PLACES = [
    function (e) { return ['Forklaret', ' står ikke på arbejdslisten: den er forklaret og står under Behandlede.', 'Vis den under Behandlede', '#behandlede']; },
    function (e) { return ['Afventer til ' + danishDate(e[7]), ' står ikke på arbejdslisten: den afventer til ' + danishDate(e[7]) + ' og står under Behandlede; den kommer tilbage, når datoen er passeret.', 'Vis den under Behandlede', '#behandlede']; },
    function (e) { return ['–', ' står ikke på arbejdslisten: den er kun til orientering (info).', 'Se ' + e[1] + ' under Afvigelser pr. regel', '#regel-' + e[1]]; },
    function (e) { return ['Løst', ' er løst siden sidste kørsel og står ikke længere på arbejdslisten.', 'Se ' + e[1] + ' under Afvigelser pr. regel', '#regel-' + e[1]]; },
  ];
  /** The case's row in the section Behandlede, if the table there shows it. */
  function handledRow(ref) {
    var cells = document.querySelectorAll('#behandlede tbody tr > td:first-child');
    for (var i = 0; i < cells.length; i++) if (cells[i].textContent === ref) return cells[i].parentNode;
    return null;
  }
  function noteFor(e) {
    caseNote.textContent = '';
    caseNote.hidden = false;
    if (typeof e === 'string') {
      caseNote.textContent = 'Der er ingen sag ' + e + ' blandt afvigelserne i denne rapport.';
      return;
    }
    var p = PLACES[e[6]](e);
    caseNote.appendChild(document.createTextNode('Sag ' + e[0] + p[1] + ' '));
    var a = document.createElement('a');
    a.href = p[3];
    a.textContent = p[2];
    a.addEventListener('click', function (ev) {
      var tr = p[3] === '#behandlede' ? handledRow(e[0]) : null;
      if (!tr) return;
      ev.preventDefault();
      tr.classList.add('found');
      tr.scrollIntoView({ block: 'center' });
    });
    caseNote.appendChild(a);
  }
  function awayRow(e) {
    var tr = document.createElement('tr');
    tr.className = 'away';
    cell(tr, e[0], 'nowrap mono');
    cell(tr, e[1] + ' ' + (data.rules[e[1]] || ''));
    var b = document.createElement('span');
    b.className = 'badge ' + SEVCLS[e[2]];
    b.textContent = SEV[e[2]];
    cell(tr, '').appendChild(b);
    cell(tr, data.municipalities[e[3]] || e[3], '');
    cell(tr, e[4], 'mono');
    cell(tr, kroner(e[5]), 'num');
    cell(tr, '', 'num');
    cell(tr, '', '');
    cell(tr, 'Står ikke på arbejdslisten; se ovenfor.', 'detail');
    cell(tr, PLACES[e[6]](e)[0], '');
    return tr;
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
    if (away && typeof away !== 'string') frag.appendChild(awayRow(away));
    body.textContent = '';
    body.appendChild(frag);
    if (away) noteFor(away);
    else caseNote.hidden = true;
    info.textContent = current.length
      ? 'Række ' + count(from + 1) + '–' + count(Math.min(from + PAGE, current.length)) + ' af ' + count(current.length) +
        ' · side ' + count(state.page + 1) + ' af ' + count(pages)
      : away && typeof away !== 'string' ? 'Sagen står ikke på arbejdslisten.' : 'Ingen afvigelser passer til filteret.';
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
  // report.html#S-123: the search for that case, in view (also when the address changes to another case)
  function fromHash() {
    var ref = location.hash.slice(1).replace(/%20/g, ' ').trim();
    if (!CASE.test(ref.toLowerCase())) return;
    var input = q('[name=tekst]');
    input.value = ref.toUpperCase();
    state.text = input.value;
    apply();
    document.getElementById('arbejdsliste-alle').scrollIntoView();
  }
  window.addEventListener('hashchange', fromHash);
  apply();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fromHash);
  else fromHash();
})();
