// The worklist's detail table: filters, sorting and pages in the page itself. The rows come from the JSON in
// <script type="application/json" id="arbejdsliste-data">; every value is put in the page as text (textContent),
// never as markup. A row is a tuple whose columns this script reads by name through data.cols (named once, in
// src/report/sections/worklist.ts ROW_COLUMNS): ref (case_ref), rule, severity (an index into data.words.severity),
// municipality, id, amount ('1234.50' or null), age in banking days, arose (an index into data.arose: Copenhagen times
// in time order), detail (its parts, joined below). The Danish words it shows come in data.words (src/vocabulary.ts).
// data.hints: [row index, text] for the rows with a possible explanation (a suggested match, an overdue delivery),
// shown under the description, in the colour of the hints, and searched with the text.
// data.handling holds, by row index, the case handling of the rows that have any (data.handlingCols: status, an index
// into data.words.handling, data.handlingDue when its follow-up date has passed; assignee or null; reopened 1/0); a
// row not in it is Åben.
// The search: every word must be found in what the row shows (case, rule code and name, severity, municipality code
// and name, id, amount, age, arose, description, hint, handling); a word that is a case number (S-5) matches that case
// alone, never S-50. A search that is one case number alone finds the case wherever it is: on the worklist (whatever
// the other filters), else in data.elsewhere — the cases off the worklist, read through data.elsewhereCols (ref,
// rule, severity, municipality, id, amount, place: an index into PLACES, followUp) — said in .case-note with a link
// to where it is. report.html#S-123 opens with that search.
(function () {
  'use strict';
  var dataEl = document.getElementById('arbejdsliste-data');
  var root = document.getElementById('arbejdsliste-detalje');
  if (!dataEl || !root) return;
  var data = JSON.parse(dataEl.textContent);
  var rows = data.rows;
  var C = data.cols; // a row's column by name: r[C.amount]
  var E = data.elsewhereCols; // a case off the worklist's
  var H = data.handlingCols; // a row's handling's
  // a description is a string or its parts: phrase indexes (data.phrases) and text (src/report/phrases.ts)
  rows.forEach(function (r) { if (typeof r[C.detail] !== 'string') r[C.detail] = r[C.detail].map(function (p) { return typeof p === 'number' ? data.phrases[p] : p; }).join(''); });
  (data.hints || []).forEach(function (pair) { if (rows[pair[0]]) rows[pair[0]].hint = pair[1]; });
  var PAGE = 50;
  var SEV = data.words.severity.map(function (s) { return s[1]; });
  var SEVCLS = data.words.severity.map(function (s) { return s[0]; });
  var state = { muni: '', rule: '', sev: '', age: 0, text: '', sort: -1, dir: 1, page: 0, handling: '' };
  var HANDLING = data.words.handling;
  var handlingOf = new Map();
  Object.keys(data.handling || {}).forEach(function (i) { handlingOf.set(rows[Number(i)], data.handling[i]); });
  var NONE = [];
  NONE[H.status] = 0;
  NONE[H.assignee] = null;
  NONE[H.reopened] = 0;
  function handling(r) { return handlingOf.get(r) || NONE; }
  function handlingText(h) {
    return HANDLING[h[H.status]] + (h[H.assignee] ? ' · ' + h[H.assignee] : '') + (h[H.reopened] ? ' · genåbnet' : '');
  }
  var q = function (sel) { return root.querySelector(sel); };
  var body = q('tbody');
  var info = q('.pager-info');
  var caseNote = q('.case-note');
  var CASE = /^s-\d+$/;
  var elsewhere = new Map((data.elsewhere || []).map(function (e) { return [e[E.ref].toLowerCase(), e]; }));

  function kroner(a) {
    if (a === null || a === undefined || a === '') return '';
    var m = /^(-?)(\d+)\.(\d+)$/.exec(a);
    if (!m) return a;
    return (m[1] ? '\u2212' : '') + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, '.') + ',' + (m[3] + '00').slice(0, 2) + ' kr.';
  }
  function count(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.'); }
  function fill(select, entries) {
    entries.forEach(function (entry) {
      var o = document.createElement('option');
      o.value = entry[0];
      o.textContent = entry[1];
      select.appendChild(o);
    });
  }
  // the filters offer what the worklist holds (data.municipalities and data.rules name the cases elsewhere too)
  function present(k) { var seen = {}; rows.forEach(function (r) { seen[r[k]] = 1; }); return Object.keys(seen).sort(); }
  fill(q('[name=kommune]'), present(C.municipality).map(function (c) { return [c, data.municipalities[c]]; }));
  fill(q('[name=regel]'), present(C.rule).map(function (c) { return [c, c + ' ' + data.rules[c]]; }));
  function danishDate(d) { return d ? d.slice(8, 10) + '.' + d.slice(5, 7) + '.' + d.slice(0, 4) : ''; }
  /** Everything a row shows, lower case, once. */
  function shown(r) {
    if (r.shown === undefined) {
      r.shown = [r[C.ref], r[C.rule], data.rules[r[C.rule]], SEV[r[C.severity]], r[C.municipality], data.municipalities[r[C.municipality]],
        r[C.id], kroner(r[C.amount]), r[C.amount] === null ? '' : r[C.amount].replace('.', ','),
        r[C.age] === null ? '' : count(r[C.age]), data.arose[r[C.arose]], r[C.detail], r.hint,
        handlingText(handling(r))].join(' \n ').toLowerCase();
    }
    return r.shown;
  }
  function matches(r, words) {
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (CASE.test(w) ? r[C.ref].toLowerCase() !== w : shown(r).indexOf(w) < 0) return false;
    }
    return true;
  }

  function compare(a, b) {
    var k = state.sort;
    var x = a[k], y = b[k];
    // amounts by their size without the sign (RULES.md §3): a large negative difference is a large one
    if (k === C.amount) { x = x === null ? -Infinity : Math.abs(Number(x)); y = y === null ? -Infinity : Math.abs(Number(y)); }
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
      if (one) return r[C.ref].toLowerCase() === one; // a case number alone: that case, whatever the other filters
      if (state.muni && r[C.municipality] !== state.muni) return false;
      if (state.rule && r[C.rule] !== state.rule) return false;
      if (state.sev !== '' && String(r[C.severity]) !== state.sev) return false;
      if (state.age && (r[C.age] === null || r[C.age] < state.age)) return false;
      if (state.handling !== '' && String(handling(r)[H.status]) !== state.handling) return false;
      return matches(r, words);
    });
    if (one && !current.length) away = elsewhere.get(one) || one.toUpperCase();
    if (state.sort >= 0) current = current.slice().sort(compare);
    state.page = 0;
    draw();
  }
  // where a case off the worklist is: [its handling cell (data.words.place), the sentence of .case-note, the link's
  // text, its target]
  var PLACE = data.words.place;
  var PLACES = [
    function (e) { return [PLACE[0], ' står ikke på arbejdslisten: den er forklaret og står under Behandlede.', 'Vis den under Behandlede', '#behandlede']; },
    function (e) { return [PLACE[1] + ' til ' + danishDate(e[E.followUp]), ' står ikke på arbejdslisten: den afventer til ' + danishDate(e[E.followUp]) + ' og står under Behandlede; den kommer tilbage, når datoen er passeret.', 'Vis den under Behandlede', '#behandlede']; },
    function (e) { return [PLACE[2], ' står ikke på arbejdslisten: den er kun til orientering (info).', 'Se ' + e[E.rule] + ' under Afvigelser pr. regel', '#regel-' + e[E.rule]]; },
    function (e) { return [PLACE[3], ' er løst siden sidste kørsel og står ikke længere på arbejdslisten.', 'Se ' + e[E.rule] + ' under Afvigelser pr. regel', '#regel-' + e[E.rule]]; },
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
    var p = PLACES[e[E.place]](e);
    caseNote.appendChild(document.createTextNode('Sag ' + e[E.ref] + p[1] + ' '));
    var a = document.createElement('a');
    a.href = p[3];
    a.textContent = p[2];
    a.addEventListener('click', function (ev) {
      var tr = p[3] === '#behandlede' ? handledRow(e[E.ref]) : null;
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
    cell(tr, e[E.ref], 'nowrap mono');
    cell(tr, e[E.rule] + ' ' + (data.rules[e[E.rule]] || ''));
    var b = document.createElement('span');
    b.className = 'badge ' + SEVCLS[e[E.severity]];
    b.textContent = SEV[e[E.severity]];
    cell(tr, '').appendChild(b);
    cell(tr, data.municipalities[e[E.municipality]] || e[E.municipality], '');
    cell(tr, e[E.id], 'mono');
    cell(tr, kroner(e[E.amount]), 'num');
    cell(tr, '', 'num');
    cell(tr, '', '');
    cell(tr, 'Står ikke på arbejdslisten; se ovenfor.', 'detail');
    cell(tr, PLACES[e[E.place]](e)[0], '');
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
      cell(tr, r[C.ref], 'nowrap mono');
      cell(tr, r[C.rule] + ' ' + (data.rules[r[C.rule]] || ''));
      var s = cell(tr, '');
      var b = document.createElement('span');
      b.className = 'badge ' + SEVCLS[r[C.severity]];
      b.textContent = SEV[r[C.severity]];
      s.appendChild(b);
      cell(tr, data.municipalities[r[C.municipality]] || r[C.municipality], '');
      cell(tr, r[C.id], 'mono');
      cell(tr, kroner(r[C.amount]), 'num');
      cell(tr, r[C.age] === null ? '' : count(r[C.age]), 'num');
      cell(tr, data.arose[r[C.arose]], ''); // the date above the time where the page is narrow
      var d = cell(tr, r[C.detail], 'detail');
      if (r.hint) {
        // the possible explanation under the description (a column of its own would push the table off the page)
        var hint = document.createElement('div');
        hint.className = 'hint';
        hint.textContent = r.hint;
        d.appendChild(hint);
      }
      var h = handling(r);
      cell(tr, handlingText(h), h[H.status] === data.handlingDue ? 'overdue' : '');
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
    // a header names the row column it sorts by (data-sort="amount"); a number column (class num) sorts largest first
    var k = C[t.getAttribute('data-sort')];
    if (k === undefined) return;
    state.dir = state.sort === k ? -state.dir : (t.classList.contains('num') ? -1 : 1);
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
