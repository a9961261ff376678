// The home page's search: every word must match a product's name, title, domain, column, tag, concept or
// purpose. Results are built with textContent, never innerHTML, so nothing from a definition becomes markup.
(() => {
  const index = window.MESH_SEARCH_INDEX || [];
  const input = document.getElementById('search');
  const list = document.getElementById('search-results');
  const status = document.getElementById('search-status');
  const LIMIT = 50;

  /** The strongest reason an entry matches one word, or null. */
  function matchWord(entry, word) {
    const exactColumn = entry.columns.find((c) => c === word);
    if (exactColumn) return { score: 100, why: `column ${exactColumn}` };
    const exactConcept = entry.concepts.find((c) => c === word);
    if (exactConcept) return { score: 95, why: `concept ${exactConcept}` };
    if (entry.name === word || entry.id === word) return { score: 90, why: `product ${entry.id}` };
    const exactTag = entry.tags.find((t) => t === word);
    if (exactTag) return { score: 80, why: `tag ${exactTag}` };
    if (entry.domain === word) return { score: 70, why: `domain ${entry.domain}` };
    if (entry.id.includes(word) || entry.title.toLowerCase().includes(word))
      return { score: 60, why: `name ${entry.title}` };
    const column = entry.columns.find((c) => c.includes(word));
    if (column) return { score: 50, why: `column ${column}` };
    const concept = entry.concepts.find((c) => c.includes(word));
    if (concept) return { score: 45, why: `concept ${concept}` };
    const tag = entry.tags.find((t) => t.includes(word));
    if (tag) return { score: 40, why: `tag ${tag}` };
    if (entry.purpose.toLowerCase().includes(word)) return { score: 20, why: 'purpose' };
    return null;
  }

  function search(query) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return null;
    const hits = [];
    for (const entry of index) {
      const matches = words.map((word) => matchWord(entry, word));
      if (matches.some((m) => m === null)) continue;
      const why = [...new Set(matches.map((m) => m.why))];
      hits.push({ entry, score: matches.reduce((sum, m) => sum + m.score, 0), why });
    }
    hits.sort((a, b) => b.score - a.score || a.entry.id.localeCompare(b.entry.id));
    return hits;
  }

  function show(query) {
    const hits = search(query);
    list.textContent = '';
    if (hits === null) {
      status.textContent = `${index.length} product${index.length === 1 ? '' : 's'} to search.`;
      return;
    }
    if (hits.length === 0) {
      status.textContent = `No product matches "${query}".`;
      return;
    }
    const more = hits.length > LIMIT ? `; the first ${LIMIT} are shown, add words to narrow it down.` : '.';
    status.textContent = `${hits.length} product${hits.length === 1 ? ' matches' : 's match'}${more}`;
    for (const hit of hits.slice(0, LIMIT)) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = hit.entry.href;
      link.setAttribute('data-product', hit.entry.id);
      link.textContent = `${hit.entry.title} (${hit.entry.id})`;
      const match = document.createElement('span');
      match.className = 'match';
      match.textContent = `${hit.why.join(', ')} · ${hit.entry.purpose}`;
      item.append(link, match);
      list.append(item);
    }
  }

  input.value = new URLSearchParams(window.location.search).get('q') || '';
  show(input.value);
  input.addEventListener('input', () => show(input.value));
  input.form.addEventListener('submit', (event) => {
    event.preventDefault();
    show(input.value);
  });
})();
