// The search page: results as the person types, suggestions under the box,
// the query kept in the URL.  Every string that comes from the index is put
// in the page as text (textContent, createTextNode), never as markup.
'use strict';

(() => {
  const SUGGEST_DELAY_MS = 80;
  const SEARCH_DELAY_MS = 180;
  const RESULTS = 10;
  const SUGGESTED_PAGES = 5;

  const form = document.getElementById('search-form');
  const input = document.getElementById('q');
  const list = document.getElementById('suggestions');
  const statusLine = document.getElementById('status');
  const dym = document.getElementById('did-you-mean');
  const dymLink = document.getElementById('did-you-mean-link');
  const results = document.getElementById('results');

  // ------------------------------------------------------------ helpers

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // text with [start, end) ranges in Unicode code points (as the API counts
  // them) wrapped in <mark>.
  function highlighted(text, ranges) {
    const frag = document.createDocumentFragment();
    const chars = Array.from(text || '');
    let at = 0;
    for (const [start, end] of ranges || []) {
      if (start < at || end > chars.length || end <= start) continue;
      frag.appendChild(document.createTextNode(chars.slice(at, start).join('')));
      frag.appendChild(el('mark', null, chars.slice(start, end).join('')));
      at = end;
    }
    frag.appendChild(document.createTextNode(chars.slice(at).join('')));
    return frag;
  }

  // Latest-wins fetch of JSON: a newer call for the same kind aborts the
  // older one, so slow answers never overwrite newer ones.
  const pending = {};
  async function getJSON(kind, url) {
    if (pending[kind]) pending[kind].abort();
    const ctl = new AbortController();
    pending[kind] = ctl;
    try {
      const res = await fetch(url, { signal: ctl.signal, headers: { Accept: 'application/json' } });
      const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
      if (!res.ok) throw new Error(body.error || `HTTP ${res.status}`);
      return body;
    } finally {
      if (pending[kind] === ctl) delete pending[kind];
    }
  }

  function aborted(err) { return err && err.name === 'AbortError'; }

  function debounce(fn, ms) {
    let timer = 0;
    const d = (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
    d.cancel = () => clearTimeout(timer);
    return d;
  }

  function keepInUrl(q) {
    const url = q.trim() ? `/?q=${encodeURIComponent(q)}` : '/';
    if (location.pathname + location.search !== url) history.replaceState(null, '', url);
  }

  // -------------------------------------------------------- suggestions

  let options = [];   // {kind: 'completion'|'procedure', value, node}
  let active = -1;

  function setActive(i) {
    if (active >= 0 && options[active]) options[active].node.setAttribute('aria-selected', 'false');
    active = i;
    if (active >= 0 && options[active]) {
      const node = options[active].node;
      node.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', node.id);
      node.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  // Closing also drops suggestions still on their way, which would open
  // the list again after the person has closed it.
  function closeList() {
    suggestSoon.cancel();
    if (pending.suggest) pending.suggest.abort();
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  }

  function openList() {
    if (!options.length) return closeList();
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function renderSuggestions(data) {
    list.replaceChildren();
    options = [];
    active = -1;
    input.removeAttribute('aria-activedescendant');
    const add = (kind, value, node) => {
      node.id = `suggestion-${options.length}`;
      node.setAttribute('role', 'option');
      node.setAttribute('aria-selected', 'false');
      node.classList.add(kind);
      const index = options.length;
      // mousedown would take the focus from the box before the click lands.
      node.addEventListener('mousedown', (e) => e.preventDefault());
      node.addEventListener('click', () => choose(index));
      options.push({ kind, value, node });
      list.appendChild(node);
    };
    for (const text of data.completions || []) add('completion', text, el('li', null, text));
    const pages = (data.results || []).slice(0, SUGGESTED_PAGES);
    if (options.length && pages.length) {
      const sep = el('li', 'divider');
      sep.setAttribute('role', 'presentation');
      list.appendChild(sep);
    }
    for (const page of pages) {
      const li = el('li', null, page.name || page.descriptor);
      li.appendChild(el('span', 'code', page.id));
      add('procedure', page.id, li);
    }
    if (document.activeElement === input) openList();
  }

  async function suggest(q) {
    if (!q.trim()) { renderSuggestions({}); closeList(); return; }
    try {
      renderSuggestions(await getJSON('suggest', `/suggest?q=${encodeURIComponent(q)}&limit=${SUGGESTED_PAGES}`));
    } catch (err) {
      if (!aborted(err)) closeList();
    }
  }

  function choose(i) {
    const opt = options[i];
    if (!opt) return;
    closeList();
    if (opt.kind === 'completion') {
      input.value = `${opt.value} `;
      searchNow();
    } else {
      searchSoon.cancel(); // the results for the typed words would replace the page
      showPageAlone(opt.value);
    }
    input.focus();
  }

  // ------------------------------------------------------------ results

  function renderResults(data) {
    results.replaceChildren();
    const n = data.total || 0;
    const shown = (data.results || []).length;
    statusLine.classList.remove('error');
    statusLine.textContent = data.query.trim()
      ? `${n} result${n === 1 ? '' : 's'} for “${data.query}”${shown < n ? `, top ${shown}` : ''}`
        + ` (${Number(data.took_ms).toFixed(1)} ms)`
      : '';
    if (data.did_you_mean) {
      dymLink.textContent = data.did_you_mean;
      dymLink.href = `/?q=${encodeURIComponent(data.did_you_mean)}`;
      dym.hidden = false;
    } else {
      dym.hidden = true;
    }
    for (const hit of data.results || []) results.appendChild(resultItem(hit));
  }

  function resultItem(hit) {
    const li = el('li');
    li.dataset.id = hit.id;
    const title = el('button', 'result-title', hit.name || hit.descriptor);
    title.type = 'button';
    title.setAttribute('aria-expanded', 'false');
    const page = el('div', 'page');
    page.hidden = true;
    page.id = `page-${hit.id}`;
    title.setAttribute('aria-controls', page.id);
    title.addEventListener('click', () => togglePage(title, page, hit.id));
    li.appendChild(title);
    const desc = el('p', 'descriptor');
    desc.appendChild(el('span', 'code', hit.id));
    if (hit.name) desc.appendChild(document.createTextNode(` · ${hit.descriptor}`));
    li.appendChild(desc);
    if (hit.snippet) {
      const p = el('p', 'snippet');
      p.appendChild(el('span', 'section-name', `${hit.snippet.section}: `));
      p.appendChild(highlighted(hit.snippet.text, hit.snippet.highlights));
      li.appendChild(p);
    }
    li.appendChild(page);
    return li;
  }

  function renderPage(container, doc) {
    container.replaceChildren();
    if (doc.common_names && doc.common_names.length) {
      container.appendChild(el('p', null, `Also called: ${doc.common_names.join(', ')}`));
    }
    for (const section of doc.sections || []) {
      container.appendChild(el('h3', null, section.title));
      for (const line of String(section.text || '').split('\n')) container.appendChild(el('p', null, line));
    }
  }

  async function togglePage(button, container, id) {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    container.hidden = !open;
    if (!open || container.childElementCount) return;
    container.textContent = 'Loading…';
    try {
      renderPage(container, await getJSON(`doc-${id}`, `/doc/${encodeURIComponent(id)}`));
    } catch (err) {
      if (!aborted(err)) container.textContent = `Could not load the page: ${err.message}`;
    }
  }

  // A procedure picked from the suggestions: just that page, opened.
  async function showPageAlone(id) {
    try {
      const doc = await getJSON('search', `/doc/${encodeURIComponent(id)}`);
      renderResults({ query: input.value, total: 1, took_ms: 0, results: [{ id: doc.id, name: doc.name, descriptor: doc.descriptor }] });
      const item = results.firstElementChild;
      if (item) item.querySelector('.result-title').click();
    } catch (err) {
      if (!aborted(err)) showError(err);
    }
  }

  function showError(err) {
    statusLine.textContent = `Search failed: ${err.message}`;
    statusLine.classList.add('error');
  }

  async function search(q) {
    keepInUrl(q);
    if (!q.trim()) {
      renderResults({ query: '', total: 0, results: [] });
      return;
    }
    try {
      renderResults(await getJSON('search', `/search?q=${encodeURIComponent(q)}&limit=${RESULTS}`));
    } catch (err) {
      if (!aborted(err)) showError(err);
    }
  }

  const suggestSoon = debounce(suggest, SUGGEST_DELAY_MS);
  const searchSoon = debounce(search, SEARCH_DELAY_MS);
  function searchNow() { searchSoon.cancel(); search(input.value); }

  // ------------------------------------------------------------- events

  input.addEventListener('input', () => {
    suggestSoon(input.value);
    searchSoon(input.value);
  });

  input.addEventListener('keydown', (e) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (list.hidden) { openList(); if (!list.hidden) setActive(0); } else setActive((active + 1) % options.length);
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (!list.hidden) setActive(active <= 0 ? options.length - 1 : active - 1);
        break;
      case 'Enter':
        e.preventDefault();
        if (!list.hidden && active >= 0) choose(active);
        else { closeList(); searchNow(); }
        break;
      case 'Escape':
        if (!list.hidden) { e.preventDefault(); closeList(); }
        break;
      default:
        break;
    }
  });

  input.addEventListener('blur', () => closeList());
  input.addEventListener('focus', () => { if (options.length && input.value.trim()) openList(); });
  form.addEventListener('submit', (e) => { e.preventDefault(); closeList(); searchNow(); });

  dymLink.addEventListener('click', (e) => {
    e.preventDefault();
    input.value = dymLink.textContent;
    closeList();
    searchNow();
    input.focus();
  });

  const initial = new URLSearchParams(location.search).get('q') || '';
  if (initial) {
    input.value = initial;
    search(initial);
  }
  input.focus();
})();
